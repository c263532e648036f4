// A provider's behaviour, written once: its documented outcomes, its operations, and invoke(),
// which consults the outcome table, runs the operation and journals the call. The HTTP server
// (express.ts) and the MSW handlers (msw.ts) are thin adapters over invoke().
//
// The happy path is cheap: the clock comes from memory (Live), a run known to have no scripts
// needs neither the call's subject nor a script lookup (the operation may hand the subject back
// with its reply), and the journal entry joins the batch being written (journal.ts): the call is
// answered once it is in.
import { z, type ZodType } from '../../kernel/zod.js';
import { readClock } from '../../kernel/clock.js';
import type { Queryable } from '../../kernel/db.js';
import type { ErrorCodes } from '../../kernel/http.js';
import { AppError } from '../../kernel/errors.js';
import { checkInput } from '../../kernel/input.js';
import type { Live } from '../../kernel/live.js';
import { journalOf, storable, type JournalEntry } from './journal.js';
import { ScriptIndex } from './scripts.js';
import { giveBackScript, takeScript, type Fault } from './store.js';

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
  /**
   * The subject the call concerned, when the operation learnt it anyway (null: none), for the
   * journal: spares invoke() the operation's subject lookup. Never sent.
   */
  subject?: string | null;
  /**
   * False when the call decided nothing (a face session closed already): a scripted outcome it
   * took is given back, so that `times: 2` means two decisions. Never sent.
   */
  decided?: boolean;
}

export interface Operation<B extends ZodType = ZodType> {
  name: string;
  method: 'get' | 'post';
  /** Path with :params, the same syntax for Express and MSW. */
  path: string;
  summary: string;
  body?: B;
  /** The success answer: its status (default 200) and body. */
  response?: ZodType;
  status?: number;
  /** The refusals handle() answers, by status (faults and a body that does not parse are added). */
  errors?: ErrorCodes;
  /** Business outcomes from the outcome table apply to this operation (faults apply to any). */
  decides?: boolean;
  /** Leave out of the journal and the outcome table (read-only helpers). */
  passive?: boolean;
  /**
   * The outcome the call gets whatever is scripted, when its input alone decides it (an ID number
   * that is not a valid GB 11643 number never passes): no script is consulted or used up, and the
   * journal records that outcome.
   */
  refuse?(input: OperationInput<z.infer<B>>, env: ProviderEnv): string | undefined;
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

export interface InvokeOptions {
  /** The process's Live: the run's clock from memory, and which runs have no scripts. Without it every call reads both. */
  live?: Live | undefined;
}

/** Runs one provider call for a run: outcome table first, then the operation, then the journal. */
export async function invoke(
  db: Queryable,
  provider: ProviderDefinition,
  operation: Operation,
  call: { run: string; baseUrl: string; params: Record<string, string>; query: Record<string, unknown>; body: unknown },
  options: InvokeOptions = {},
): Promise<Invocation> {
  const { live } = options;
  const env: ProviderEnv = { db, run: call.run, now: (await (live ? live.clock(call.run) : readClock(db, call.run))).now, baseUrl: call.baseUrl };
  const journal = journalOf(db, live);
  // The answer waits for its entry; a journal that cannot be written is logged there and holds no answer up.
  const journaled = (entry: JournalEntry) => journal.add(entry).catch(() => {});
  const request = { params: call.params, query: call.query, body: call.body };
  const refuse = async (body: { code: string; message: string; details?: unknown }, sent: unknown = request): Promise<Invocation> => {
    if (!operation.passive) await journaled({ run: call.run, provider: provider.name, operation: operation.name, subject: undefined, request: sent, status: 400, response: body, at: env.now });
    return { latencyMs: 0, reply: { status: 400, body } };
  };
  try {
    checkInput({ params: call.params, query: call.query, body: call.body }, 'request');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return refuse({ code: error.code, message: error.message, details: error.details }, storable(call));
  }
  const parsed = operation.body ? operation.body.safeParse(call.body ?? {}) : { success: true as const, data: call.body };
  if (!parsed.success) return refuse({ code: 'INVALID_REQUEST', message: '请求参数不正确', details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } });
  const input = { params: call.params, query: call.query, body: parsed.data };
  if (operation.passive) return { latencyMs: 0, reply: await operation.handle(input, { ...env, outcome: 'PASS' }) };

  const refusal = operation.refuse?.(input, env);
  if (refusal) {
    const reply = await operation.handle(input, { ...env, outcome: refusal });
    await journaled({ run: call.run, provider: provider.name, operation: operation.name, subject: await operation.subject(input, env), request, at: env.now, latencyMs: 0, status: reply.status, response: reply.body, outcome: refusal });
    return { latencyMs: 0, reply };
  }

  if (live && !(await ScriptIndex.of(live, db).mayHaveScripts(call.run))) {
    // No script in the run: the happy path, and the subject only for the journal.
    const reply = await operation.handle(input, { ...env, outcome: 'PASS' });
    const subject = reply.subject !== undefined ? (reply.subject ?? undefined) : await operation.subject(input, env);
    const outcome = operation.decides && reply.decided !== false ? 'PASS' : undefined;
    await journaled({ run: call.run, provider: provider.name, operation: operation.name, subject, request, at: env.now, latencyMs: 0, status: reply.status, response: reply.body, outcome });
    return { latencyMs: 0, reply };
  }

  const subject = await operation.subject(input, env);
  const script = subject ? await takeScript(db, { run: call.run, provider: provider.name, subject, operation: operation.name, decides: Boolean(operation.decides) }) : undefined;
  const latencyMs = script?.latency_ms ?? 0;
  const record = { run: call.run, provider: provider.name, operation: operation.name, subject, request, at: env.now, latencyMs };

  if (script?.fault) {
    const status = script.fault === 'http500' ? 500 : script.fault === 'http503' ? 503 : undefined;
    const reply = { status: status ?? 0, body: { code: 'PROVIDER_FAULT', message: '服务暂不可用' } };
    await journaled({ ...record, status, response: status ? reply.body : undefined, fault: script.fault });
    return { latencyMs, fault: script.fault, reply };
  }
  const outcome = operation.decides ? (script?.outcome ?? 'PASS') : 'PASS';
  const reply = await operation.handle(input, { ...env, outcome });
  const decided = reply.decided !== false;
  // A call that decided nothing leaves the outcome it took for the next call that does.
  if (script?.outcome && !decided) await giveBackScript(db, call.run, script.id, live);
  await journaled({ ...record, status: reply.status, response: reply.body, outcome: operation.decides && decided ? outcome : undefined });
  return { latencyMs, reply };
}

/** The JSON body of a business answer: passed or not, with the documented code and message. */
export function verdict(provider: ProviderDefinition, outcome: string) {
  const known = provider.outcomes[outcome];
  if (!known) throw new Error(`${provider.name}: unknown outcome ${outcome}`);
  return { passed: outcome === 'PASS', code: outcome, message: known.message };
}

/** The answer of a deciding operation with these outcomes. */
export const verdictOf = (provider: string, outcomes: Record<string, Outcome>) =>
  z.strictObject({ passed: z.boolean(), code: z.enum(Object.keys(outcomes) as [string, ...string[]]), message: z.string() }).openapi(`${provider}Verdict`);

/** What a scripted fault answers with a status (http500, http503); timeout and reset answer nothing. */
export const FAULT_ERRORS: ErrorCodes = { 500: ['PROVIDER_FAULT'], 503: ['PROVIDER_FAULT'] };
