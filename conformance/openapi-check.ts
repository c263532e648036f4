// Checks answers against an OpenAPI 3.1 document (Ajv over the document's JSON Schema 2020-12):
// the document of the server that sent them, so that a document cannot drift from its server, and
// in conformance mode govsim's own, so that another implementation cannot drift from govsim's.
//
//   const check = responseChecker(await (await fetch(`${baseUrl}/openapi.json`)).json());
//   const problem = check('POST', '/face/v1/sessions', 201, body);
//   // undefined: the operation documents this status and the body matches its schema;
//   // otherwise a readable account: the operation, the status, what is wrong (Ajv), the body.
//
// `path` is the path the request went to, relative to the server (a query string is ignored,
// percent-encoded segments are fine); `body` is the parsed JSON, undefined when there was none
// (a page's text is not checked). An answer with a status the operation does not document, to a
// path or method the document does not have, or with a body where none is documented, is a
// problem too. Make one checker per document and keep it: validators compile on first use and
// are cached (compiling costs far more than validating).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

export type ResponseCheck = (method: string, path: string, status: number, body: unknown) => string | undefined;

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const COMPONENTS = 'openapi:components';
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

export function responseChecker(document: unknown): ResponseCheck {
  const doc = document as Document;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']); // OpenAPI's own keywords
  ajv.addSchema({ $id: COMPONENTS, $defs: withRefs(doc.components?.schemas ?? {}) });

  // Paths with fewer parameters first, as a literal segment beats a parameter.
  const routes = Object.entries(doc.paths ?? {})
    .map(([template, operations]) => ({ template, operations, pattern: patternOf(template), parameters: (template.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.parameters - b.parameters);
  const validators = new Map<string, ValidateFunction>();

  return (method, path, status, body) => {
    const verb = method.toLowerCase();
    const bare = path.split('?')[0]!;
    const route = routes.find((r) => r.pattern.test(bare) && r.operations[verb]);
    const name = `${method.toUpperCase()} ${route?.template ?? bare}`;
    if (!route) return `${method.toUpperCase()} ${bare} → ${status}: no such operation in the document`;
    const responses = route.operations[verb]!.responses ?? {};
    const response = responses[String(status)];
    if (!response) return `${name} → ${status}: status not documented (documented: ${Object.keys(responses).join(', ')})${shown(body)}`;
    const content = response.content ?? {};
    const json = content['application/json'];
    if (!json) {
      if (Object.keys(content).length) return undefined; // a page
      return body === undefined || body === '' ? undefined : `${name} → ${status}: a body where the document has none${shown(body)}`;
    }
    if (body === undefined) return `${name} → ${status}: no body where the document has one`;
    const key = `${verb} ${route.template} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(withRefs(json.schema ?? {}) as object);
      validators.set(key, validate);
    }
    if (validate(body)) return undefined;
    return `${name} → ${status}: the body does not match the document\n${(validate.errors ?? []).map((e) => `  ${describe(e, body)}`).join('\n')}${shown(body)}`;
  };
}

/** The schema with its references to components pointed at the components schema. */
function withRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) : withRefs(value),
    ]),
  );
}

function patternOf(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`);
}

function describe(error: ErrorObject, body: unknown): string {
  const where = error.instancePath || '(body)';
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[]; missingProperty?: string };
  const extra = params.additionalProperty
    ? `: ${params.additionalProperty}`
    : params.allowedValues
      ? ` ${JSON.stringify(params.allowedValues)}, got ${JSON.stringify(at(body, error.instancePath))}`
      : error.keyword === 'type' || error.keyword === 'format' || error.keyword === 'const'
        ? `, got ${JSON.stringify(at(body, error.instancePath))}`
        : '';
  return `${where} ${error.message}${extra}`;
}

/** The value at a JSON pointer. */
function at(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), value);
}

function shown(body: unknown): string {
  if (body === undefined) return '';
  const text = JSON.stringify(body);
  return `\n  body: ${text.length > 1500 ? `${text.slice(0, 1500)}…` : text}`;
}
