// A provider's behaviour, written once: its documented outcomes, its operations, and invoke(),
// which consults the outcome table, runs the operation and journals the call. The HTTP server
// (express.ts) and the MSW handlers (msw.ts) are thin adapters over invoke().
import { z, type ZodType } from '../../services/platform/zod.js';
import { readClock } from '../../services/platform/clock.js';
import type { Queryable } from '../../services/platform/db.js';
import { journal, takeScript, type Fault } from './store.js';

export interface Outcome {
  message: string;
  description: string;
}

export interface ProviderEnv {
  db: Queryable;
  run: string;
  now: Date;
  /** The URL this provider is served at (for links it hands out). */
  baseUrl: string;
}

export interface OperationInput<B> {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: B;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Set when the reply is a page, not JSON. */
  html?: boolean;
}

export interface Operation<B extends ZodType = ZodType> {
  name: string;
  method: 'get' | 'post';
  /** Path with :params, the same syntax for Express and MSW. */
  path: string;
  summary: string;
  body?: B;
  response?: ZodType;
  /** Business outcomes from the outcome table apply to this operation (faults apply to any). */
  decides?: boolean;
  /** Leave out of the journal and the outcome table (pages, read-only helpers). */
  passive?: boolean;
  /** The ID number or mobile the call concerns: the key of the outcome table. */
  subject(input: OperationInput<z.infer<B>>, env: ProviderEnv): Promise<string | undefined> | string | undefined;
  handle(input: OperationInput<z.infer<B>>, env: ProviderEnv & { outcome: string }): Promise<Reply>;
}

export interface ProviderDefinition {
  name: string;
  title: string;
  description: string;
  outcomes: Record<string, Outcome>;
  operations: Operation[];
}

export const defineOperation = <B extends ZodType>(op: Operation<B>): Operation => op as unknown as Operation;

export interface Invocation {
  latencyMs: number;
  fault?: Fault;
  reply: Reply;
}

/** Runs one provider call for a run: outcome table first, then the operation, then the journal. */
export async function invoke(
  db: Queryable,
  provider: ProviderDefinition,
  operation: Operation,
  call: { run: string; baseUrl: string; params: Record<string, string>; query: Record<string, unknown>; body: unknown },
): Promise<Invocation> {
  const env: ProviderEnv = { db, run: call.run, now: (await readClock(db, call.run)).now, baseUrl: call.baseUrl };
  const parsed = operation.body ? operation.body.safeParse(call.body ?? {}) : { success: true as const, data: call.body };
  if (!parsed.success) {
    const reply = { status: 400, body: { code: 'INVALID_REQUEST', message: '请求参数不正确', details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } } };
    if (!operation.passive) await journal(db, { run: call.run, provider: provider.name, operation: operation.name, subject: undefined, request: call, status: 400, response: reply.body, at: env.now });
    return { latencyMs: 0, reply };
  }
  const input = { params: call.params, query: call.query, body: parsed.data };
  if (operation.passive) return { latencyMs: 0, reply: await operation.handle(input, { ...env, outcome: 'PASS' }) };

  const subject = await operation.subject(input, env);
  const script = subject ? await takeScript(db, { run: call.run, provider: provider.name, subject, operation: operation.name, decides: Boolean(operation.decides) }) : undefined;
  const latencyMs = script?.latency_ms ?? 0;
  const record = { run: call.run, provider: provider.name, operation: operation.name, subject, request: { params: call.params, query: call.query, body: call.body }, at: env.now, latencyMs };

  if (script?.fault) {
    const status = script.fault === 'http500' ? 500 : script.fault === 'http503' ? 503 : undefined;
    const reply = { status: status ?? 0, body: { code: 'PROVIDER_FAULT', message: '服务暂不可用' } };
    await journal(db, { ...record, status, response: status ? reply.body : undefined, fault: script.fault });
    return { latencyMs, fault: script.fault, reply };
  }
  const outcome = operation.decides ? (script?.outcome ?? 'PASS') : 'PASS';
  const reply = await operation.handle(input, { ...env, outcome });
  await journal(db, { ...record, status: reply.status, response: reply.body, outcome: operation.decides ? outcome : undefined });
  return { latencyMs, reply };
}

/** The JSON body of a business answer: passed or not, with the documented code and message. */
export function verdict(provider: ProviderDefinition, outcome: string) {
  const known = provider.outcomes[outcome];
  if (!known) throw new Error(`${provider.name}: unknown outcome ${outcome}`);
  return { passed: outcome === 'PASS', code: outcome, message: known.message };
}

export const Verdict = z.object({ passed: z.boolean(), code: z.string(), message: z.string() });
