// Checks Kubernetes objects offline, as an API server with strict field validation would: the
// built-in kinds against the Kubernetes schemas of the `kubernetes-models` package (types,
// required fields, enums, formats), custom resources against their CRD's openAPIV3Schema (Ajv);
// and, for both, no field the schema does not name (kubernetes-models' validators let unknown
// fields through, so they are found from the package's own type declarations). Tests only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv, formats: string[]) => Ajv;
import type { K8sObject } from './kustomize.js';

/** The declaration file beside a module the package exports. */
const declarationsOf = (specifier: string) => fileURLToPath(import.meta.resolve(specifier)).replace(/\.js$/, '.d.ts');

/** What is wrong with a built-in object; [] when nothing is. */
export async function checkBuiltIn(object: K8sObject): Promise<string[]> {
  const module = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = (await import(module))[object.kind];
  } catch {
    return [`${object.apiVersion} ${object.kind}: not a Kubernetes kind (${module})`];
  }
  const problems: string[] = [];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push((error as Error).message);
  }
  problems.push(...unknownFields(object, { object: declarationsOf(module) }, ''));
  return problems;
}

// --- fields from the type declarations ----------------------------------------------------------

type FieldType = { object: string } | { array: FieldType } | { map: FieldType } | 'leaf';

const interfaces = new Map<string, Map<string, FieldType>>();

/** The fields of the first interface a declaration file exports, each with its type. */
function fieldsOf(file: string): Map<string, FieldType> | undefined {
  if (interfaces.has(file)) return interfaces.get(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const imports = new Map<string, string>();
  for (const [, names, from] of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
    const target = from!.startsWith('.') ? path.resolve(path.dirname(file), from!.replace(/\.js$/, '.d.ts')) : declarationsOf(from!);
    for (const name of names!.split(',').map((n) => n.trim())) imports.set(name, target);
  }
  const head = /^export interface \w+( extends TypeMeta)? \{$/m.exec(text);
  if (!head) return undefined; // a type alias (a quantity, an int-or-string): a value
  const body = text.slice(head.index + head[0].length, text.indexOf('\n}', head.index));
  const fields = new Map<string, FieldType>(head[1] ? [['apiVersion', 'leaf'], ['kind', 'leaf']] : []);
  const typeOf = (type: string): FieldType => {
    type = type.trim();
    const array = /^Array<(.+)>$/s.exec(type);
    if (array) return { array: typeOf(array[1]!) };
    const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/s.exec(type);
    if (map) return { map: typeOf(map[1]!) };
    const target = imports.get(type);
    return target && fieldsOf(target) ? { object: target } : 'leaf';
  };
  let at = 0;
  for (;;) {
    const name = /"(\w+)"\??:\s*/g;
    name.lastIndex = at;
    const found = name.exec(body);
    if (!found) break;
    let depth = 0;
    let end = name.lastIndex;
    for (; end < body.length; end++) {
      const c = body[end];
      if (c === '{' || c === '<') depth++;
      else if (c === '}' || c === '>') depth--;
      else if (c === ';' && depth === 0) break;
    }
    fields.set(found[1]!, typeOf(body.slice(name.lastIndex, end)));
    at = end + 1;
  }
  interfaces.set(file, fields);
  return fields;
}

function unknownFields(value: unknown, type: FieldType, at: string): string[] {
  if (type === 'leaf' || value === null || typeof value !== 'object') return [];
  if ('array' in type) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, type.array, `${at}/${i}`)) : [];
  if ('map' in type) return Object.entries(value).flatMap(([k, v]) => unknownFields(v, type.map, `${at}/${k}`));
  const fields = fieldsOf(type.object)!;
  return Object.entries(value).flatMap(([k, v]) => {
    const field = fields.get(k);
    return field ? unknownFields(v, field, `${at}/${k}`) : [`${at}/${k}: unknown field`];
  });
}

// --- custom resources ----------------------------------------------------------------------------

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [keyword: string]: unknown;
}

/** A checker of the CRD's kinds: what is wrong with an object; [] when nothing is. */
export function crdChecker(crd: Crd): { apiVersions: string[]; kind: string; check(object: K8sObject): string[] } {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv, ['date-time']);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const versions = new Map(crd.spec.versions.map((v) => [`${crd.spec.group}/${v.name}`, v.schema.openAPIV3Schema]));
  const validators = new Map([...versions].map(([apiVersion, schema]) => [apiVersion, ajv.compile(schema)]));
  return {
    apiVersions: [...versions.keys()],
    kind: crd.spec.names.kind,
    check(object) {
      const validate = validators.get(object.apiVersion);
      if (!validate || object.kind !== crd.spec.names.kind) return [`${object.apiVersion} ${object.kind}: not served by this CRD`];
      const problems = validate(object) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
      // metadata is an ObjectMeta, not the CRD's to describe.
      return [...problems, ...unknownByCrd({ ...object, metadata: {} }, versions.get(object.apiVersion)!, '')];
    },
  };
}

/** Fields a structural schema does not name (what the API server prunes, or refuses when strict). */
function unknownByCrd(value: unknown, schema: Schema, at: string): string[] {
  if (value === null || typeof value !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => unknownByCrd(v, schema.items!, `${at}/${i}`)) : [];
  if (typeof schema.additionalProperties === 'object') return Object.entries(value).flatMap(([k, v]) => unknownByCrd(v, schema.additionalProperties as Schema, `${at}/${k}`));
  return Object.entries(value).flatMap(([k, v]) => {
    const field = schema.properties?.[k];
    return field ? unknownByCrd(v, field, `${at}/${k}`) : [`${at}/${k}: unknown field`];
  });
}
