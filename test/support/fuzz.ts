// Requests generated from the zod schemas a route declares (through their JSON Schema, zod's
// z.toJSONSchema): first a valid request, its fields taken from hints by name (an ID number that
// passes its check, the caller's own account …) or else from the schema; then, most of the time,
// one part of it made hostile — an edge date, a number past its column, a control character,
// unicode, a long or empty string, the wrong type, a field left out, extra nesting — or the whole
// body replaced. fast-check draws and shrinks them.
import fc from 'fast-check';
import type { Declared } from '../../kernel/http.js';
import { z, type ZodType } from '../../kernel/zod.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: Json[];
  const?: Json;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
}

/** A valid value for a field, by its name (and schema): undefined leaves it to the schema. */
export type Hints = (name: string, schema: Schema) => fc.Arbitrary<Json> | undefined;

export interface FuzzRequest {
  /** Path parameters as sent: percent-encoded, or raw when the mutation is a bad escape. */
  params: Record<string, string>;
  query: Record<string, Json>;
  /** Parsed JSON to send, or undefined: no body. */
  body: Json | undefined;
  /** Sent as is instead of `body` (not JSON, or not within the limits). */
  rawBody?: { text: string; contentType: string } | undefined;
  /** What was made hostile, for the report. */
  mutation: string;
}

const jsonSchemaOf = (schema: ZodType | undefined): Schema | undefined => (schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema) : undefined);

const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A valid value of `schema`, for a field called `name`. */
function valid(schema: Schema, name: string, hints: Hints): fc.Arbitrary<Json> {
  const hinted = hints(name, schema);
  if (hinted) return hinted;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => valid(b, name, hints)));
  switch (typeOf(schema)) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      const min = schema.minLength ?? 1;
      return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(schema.maxLength ?? 12, 12)) });
    }
    case 'integer':
    case 'number': {
      const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? -1) + 1, -1000);
      return fc.integer({ min, max: Math.min(schema.maximum ?? (schema.exclusiveMaximum ?? Infinity) - 1, min + 1000) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = Math.max(schema.minItems ?? 1, 1);
      return fc.array(schema.items ? valid(schema.items, name, hints) : fc.constant('x'), { minLength: min, maxLength: min + 1 });
    }
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      return fc.record(Object.fromEntries(properties.map(([key, s]) => [key, valid(s, key, hints)])), { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.constantFrom<Json>('x', 1, true);
  }
}

const deep = (levels: number, leaf: Json = 1): Json => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** Strings a careless or hostile client sends, whatever the field. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\t', '\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\ud800', 'x\udfffy', '😀', '👨‍👩‍👧', '\u202eevil', '\u200b', 'ＡＢＣ１２３', 'İı', 'ß', '١٢٣', 'e\u0301',
  "' OR 1=1 --", '"; DROP TABLE x; --', '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', '%00', '%E0%A4%A', 'null', 'undefined', 'NaN', 'Infinity', '-1', '1e309', '0x10', 'true', '[]', '{}',
  'x'.repeat(10_000), '田'.repeat(50_000),
];

/** Days and instants at and past every edge: year 0000, days that do not exist, five- and six-digit years, a Tuesday. */
export const HOSTILE_DATES: readonly string[] = [
  '0000-01-01', '0001-01-01', '1899-12-31', '1900-01-01', '1970-01-01', '2026-02-29', '2028-02-29', '2026-13-01', '2026-00-10', '2026-11-31', '2026-11-24', '2026-11-30', '2999-12-30', '2999-12-31', '3000-01-06', '9999-12-27', '9999-12-31', '99999-01-01', '2026-1-5', '20261123',
  '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z', '0000-01-01T00:00:00Z', '2026-11-23T09:00', '2026-11-23T24:00', '2026-11-23T09:00:00+25:00', '9999-12-31T23:59:59+08:00', '1899-12-31T23:59:59+08:00', '长期', '长期有效',
];

/** Durations past every unit and integer. */
export const HOSTILE_DURATIONS: readonly string[] = ['0', '1ms', '99999999999999999999', '1000000w', '9007199254740993', '999999999999999w', '1w1w1w', '-1d', '1.5d', '1e3', ' 1d', 'P1D'];

/** Numbers past every column and type: int4, safe integers, doubles, fractions, negatives. */
export const HOSTILE_NUMBERS: readonly number[] = [-1, -0, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 63, 1e308, -1e308, 5e-324, -(2 ** 31) - 1];

/** Variants of a valid string that a careless client sends, or a hostile one crafts, for its kind of field. */
function variantsOf(value: string): string[] {
  if (/^\d{4}-\d{2}-\d{2}/.test(value) || value.startsWith('长期')) return [...HOSTILE_DATES];
  if (/^\d+(ms|s|m|h|d|w)$/.test(value)) return [...HOSTILE_DURATIONS];
  const variants = [`${value}\u0000`, `\u0000${value}`, `${value.slice(0, 1)}\u0007${value.slice(1)}`, `${value}\ud800`, `${value}\u0085`, value.toLowerCase(), value.toUpperCase(), ` ${value} `, `${value}\n`, value.slice(1), value.slice(0, -1), value.repeat(1000), ''];
  if (/^[0-9A-Z]{17,18}$/.test(value)) variants.push(`${value.slice(0, 17)}${value.at(-1) === '0' ? '1' : '0'}`, value.replace(/\d/, 'Ｏ'), `${value.slice(0, 6)}00000000${value.slice(14)}`);
  if (/^[0-9a-f-]{36}$/.test(value)) variants.push(value.replaceAll('-', ''), '00000000-0000-0000-0000-000000000000', `${value}0`, `{${value}}`);
  return variants;
}

/** Values of the wrong type, and extra nesting. */
const wrongTypes = (current: Json): fc.Arbitrary<Json> => fc.constantFrom<Json>(null, true, false, 0, '', [], {}, [current], { value: current }, deep(40), deep(500), [[[[]]]]);

/** Bodies that are not what any route expects: any JSON, or none at all. */
const anyBody: fc.Arbitrary<Json | undefined> = fc.oneof(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, fc.constantFrom<Json | undefined>(undefined, null, [], 'text', 0, deep(33)));

const REMOVED = Symbol('removed');
type Slot = { where: 'params' | 'query' | 'body'; path: (string | number)[]; value: Json };

/** Every leaf (and every object and array) of a request's parts, as a place to put a hostile value. */
function slotsOf(request: { params: Record<string, string>; query: Record<string, Json>; body: Json | undefined }): Slot[] {
  const slots: Slot[] = [];
  for (const [name, value] of Object.entries(request.params)) slots.push({ where: 'params', path: [name], value });
  for (const [name, value] of Object.entries(request.query)) slots.push({ where: 'query', path: [name], value });
  const walk = (value: Json, path: (string | number)[]) => {
    if (path.length) slots.push({ where: 'body', path, value });
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  if (request.body !== undefined) walk(request.body, []);
  return slots;
}

function put(root: Json, path: (string | number)[], value: Json | typeof REMOVED): Json {
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === REMOVED) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy as Json;
}

/** A hostile value for a slot: a variant of the valid one for its kind of field, or anything from the hostile lists. */
function hostileFor(slot: Slot): fc.Arbitrary<Json | typeof REMOVED> {
  const typed: Json[] = typeof slot.value === 'string' ? variantsOf(slot.value) : typeof slot.value === 'number' ? [...HOSTILE_NUMBERS] : typeof slot.value === 'boolean' ? ['true', 1, null] : [];
  return fc.oneof(
    { weight: typed.length ? 6 : 0, arbitrary: fc.constantFrom(...(typed.length ? typed : [''])) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 2, arbitrary: wrongTypes(slot.value) },
    { weight: 1, arbitrary: fc.constant(REMOVED) },
  );
}

/** A path segment: percent-encoded UTF-8, half a surrogate pair as the bytes UTF-8 has no place for. */
function asParam(value: Json | typeof REMOVED): string {
  if (value === REMOVED) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^]/g, (unit) => {
    const code = unit.charCodeAt(0);
    if (unit.length === 2 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(unit);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

/** Valid requests for one declared operation: every field from its hint or its schema. */
export function validRequestsFor(route: Declared, hints: Hints): fc.Arbitrary<FuzzRequest & { raw: { params: Record<string, Json>; query: Record<string, Json>; body: Json | undefined } }> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const paramsSchema = jsonSchemaOf(route.params) ?? { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])), required: names };
  const params = valid(paramsSchema, '', hints) as fc.Arbitrary<Record<string, Json>>;
  const querySchema = jsonSchemaOf(route.query);
  const query = querySchema ? (valid(querySchema, '', hints) as fc.Arbitrary<Record<string, Json>>) : fc.constant({});
  const bodySchema = jsonSchemaOf(route.body);
  const body: fc.Arbitrary<Json | undefined> = bodySchema ? valid(bodySchema, '', hints) : fc.constant(undefined);
  return fc.record({ params, query, body }).map((raw) => ({ params: Object.fromEntries(Object.entries(raw.params).map(([k, v]) => [k, asParam(v)])), query: raw.query, body: raw.body, mutation: 'valid', raw }));
}

/**
 * Requests for one declared operation: valid ones, and valid ones with one part made hostile (or
 * the whole body replaced). Hints keep valid values cheap (a world of 2 enterprises, not 10⁶).
 */
export function requestsFor(route: Declared, hints: Hints): fc.Arbitrary<FuzzRequest> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const takesBody = route.method === 'post' || route.method === 'put';

  return validRequestsFor(route, hints).chain(({ raw: base, params, query, body }) => {
    const request = { params, query, body };
    const slots = slotsOf({ params: Object.fromEntries(Object.entries(base.params).map(([k, v]) => [k, String(v)])), query: base.query, body: base.body });
    const options: fc.WeightedArbitrary<FuzzRequest>[] = [{ weight: 1, arbitrary: fc.constant({ ...request, mutation: 'valid' }) }];
    if (slots.length)
      options.push({
        weight: 6,
        arbitrary: fc.constantFrom(...slots).chain((slot) =>
          hostileFor(slot).map((value) => {
            const at = `${slot.where}.${slot.path.join('.')}`;
            const mutation = `${at} = ${value === REMOVED ? '(removed)' : describe(value)}`;
            if (slot.where === 'params') return { ...request, params: { ...request.params, [slot.path[0]!]: asParam(value) }, mutation };
            if (slot.where === 'query') {
              const q: Record<string, Json> = { ...request.query };
              const key = String(slot.path[0]);
              if (value === REMOVED) delete q[key];
              else q[key] = value;
              return { ...request, query: q, mutation };
            }
            return { ...request, body: put(request.body!, slot.path, value), mutation };
          }),
        ),
      });
    if (names.length)
      options.push({
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...names), fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..', '%2F', '%00', '%0A')).map(([name, raw]) => ({ ...request, params: { ...request.params, [name]: raw }, mutation: `params.${name} = ${raw} (raw)` })),
      });
    if (takesBody)
      options.push(
        { weight: 1, arbitrary: anyBody.map((b) => ({ ...request, body: b, mutation: `body = ${describe(b)}` })) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(
              { text: '{"a":', contentType: 'application/json' },
              { text: '{"a":1}', contentType: 'text/plain' },
              { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
              { text: '<a/>', contentType: 'application/xml' },
              { text: '{"a":1}', contentType: 'application/json; charset=latin1' },
              { text: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), contentType: 'application/json' },
              { text: '\u0000', contentType: 'application/json' },
              { text: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, contentType: 'application/json' },
              { text: `${'['.repeat(50_000)}${']'.repeat(50_000)}`, contentType: 'application/json' },
            )
            .map((rawBody) => ({ ...request, rawBody, mutation: `raw body ${rawBody.contentType} ${describe(rawBody.text)}` })),
        },
      );
    if (takesBody && base.body !== null && typeof base.body === 'object' && !Array.isArray(base.body))
      options.push({ weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.slice(0, 12)).map((v) => ({ ...request, body: { ...(request.body as object), [v || 'extra']: deep(5, v) }, mutation: `body has an extra key ${describe(v)}` })) });
    return fc.oneof(...options);
  });
}

/** A short, printable account of a value. */
export function describe(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}
