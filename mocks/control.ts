// The providers' harness controls (H2, H3): the outcome table, the journal and the SMS outbox,
// served on the control server and scoped by the caller's run key.
import { harness } from '../kernel/access.js';
import type { Db } from '../kernel/db.js';
import { badRequest, notFound } from '../kernel/errors.js';
import { mobile } from '../kernel/fields.js';
import { normaliseCode } from '../kernel/identifiers.js';
import { Api } from '../kernel/http.js';
import type { Live } from '../kernel/live.js';
import { z } from '../kernel/zod.js';
import { addScript, clearScripts, FAULTS, listScripts, readJournal } from './core/store.js';
import type { ProviderDefinition } from './core/provider.js';
import { latestCode, readOutbox, SmsMessage } from './sms/provider.js';

const TAG = 'Harness control · providers';
const providerParam = z.object({ provider: z.string() });
const UNKNOWN_PROVIDER = { 404: ['UNKNOWN_PROVIDER'] };

const Script = z
  .strictObject({
    id: z.number().int(),
    provider: z.string(),
    subject: z.string(),
    operation: z.string().nullable(),
    outcome: z.string().nullable(),
    latency_ms: z.number().int(),
    fault: z.enum(FAULTS).nullable(),
    remaining: z.number().int().openapi({ description: 'Answers still to give' }),
  })
  .openapi('Script');
const JournalEntry = z
  .strictObject({
    id: z.number().int(),
    provider: z.string(),
    operation: z.string(),
    subject: z.string().nullable(),
    request: z.strictObject({ params: z.record(z.string(), z.string()), query: z.record(z.string(), z.unknown()), body: z.unknown() }),
    status: z.number().int().nullable().openapi({ description: 'null: a timeout or reset fault answered nothing' }),
    response: z.unknown(),
    outcome: z.string().nullable(),
    fault: z.enum(FAULTS).nullable(),
    latencyMs: z.number().int(),
    at: z.date(),
  })
  .openapi('JournalEntry');

const ProviderView = z.strictObject({
  name: z.string(),
  title: z.string(),
  outcomes: z.record(z.string(), z.strictObject({ message: z.string(), description: z.string() })),
  operations: z.array(z.strictObject({ name: z.string(), method: z.enum(['get', 'post']), path: z.string(), decides: z.boolean() })),
});
export type ProviderView = z.output<typeof ProviderView>;

/** An ID number or mobile, normalised as the providers normalise the numbers they are called with, so that scripts and journal lookups agree. */
const subjectOf = (text: z.ZodString) => text.transform(normaliseCode).openapi({ type: 'string', description: 'ID number (a lowercase x is accepted) or mobile' });

/** A script as a test asks for it: through this route, the console's form, or createProviders (create-providers.ts). */
export const ScriptRequest = z.object({
  subject: subjectOf(z.string().min(1)),
  outcome: z.string().optional(),
  operation: z.string().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  fault: z.enum(FAULTS).optional(),
  times: z.number().int().min(1).max(1000).default(1),
});
export type ScriptRequest = z.input<typeof ScriptRequest>;

/** The provider of this name, or 404 UNKNOWN_PROVIDER. */
export function providerNamed(providers: ProviderDefinition[], name: string): ProviderDefinition {
  const provider = providers.find((p) => p.name === name);
  if (!provider) throw notFound('UNKNOWN_PROVIDER', `没有这个服务商: ${name}`);
  return provider;
}

/** H2: scripts a provider's next answers for a subject, with checkScript's refusals. */
export async function scriptProvider(deps: { db: Db; live: Live; providers: ProviderDefinition[] }, run: string, providerName: string, script: ScriptRequest) {
  const provider = providerNamed(deps.providers, providerName);
  checkScript(provider, script);
  return addScript(deps.db, { ...script, run, provider: provider.name }, deps.live);
}

/** Refuses a script the provider cannot follow: an outcome or operation it does not have, or one that changes nothing. */
export function checkScript(provider: ProviderDefinition, script: ScriptRequest): void {
  if (script.outcome && !provider.outcomes[script.outcome])
    throw badRequest('UNKNOWN_OUTCOME', `${provider.name} 没有这个结果: ${script.outcome}`, { outcomes: Object.keys(provider.outcomes) });
  if (script.operation && !provider.operations.some((o) => o.name === script.operation && !o.passive))
    throw badRequest('UNKNOWN_OPERATION', `${provider.name} 没有这个操作: ${script.operation}`);
  if (!script.outcome && !script.fault && !script.latencyMs) throw badRequest('EMPTY_SCRIPT', '请至少指定 outcome、fault 或 latencyMs 之一');
}

export function providersControl(deps: { db: Db; live: Live; providers: ProviderDefinition[] }): Api {
  const { db, providers } = deps;
  // fenceWrites: a script added or cleared here applies to the next call to any govsim process.
  const api = new Api(deps.live, { title: 'govsim provider controls', description: 'Outcome tables, journal and SMS outbox of the provider mocks (H2, H3).' }, { fenceWrites: true });
  const named = (name: string) => providerNamed(providers, name);

  api.route({
    method: 'get',
    path: '/harness/v1/providers',
    tag: TAG,
    summary: 'Every provider with its documented outcomes and operations',
    response: z.array(ProviderView),
    access: harness,
    handler: async () =>
      providers.map((p) => ({ name: p.name, title: p.title, outcomes: p.outcomes, operations: p.operations.filter((o) => !o.passive).map((o) => ({ name: o.name, method: o.method, path: o.path, decides: Boolean(o.decides) })) })),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Script the next answers for a subject (ID number or mobile): an outcome, latency and/or a fault, `times` in a row (H2)',
    params: providerParam,
    body: ScriptRequest,
    response: Script,
    errors: { ...UNKNOWN_PROVIDER, 400: ['UNKNOWN_OUTCOME', 'UNKNOWN_OPERATION', 'EMPTY_SCRIPT'] },
    access: harness,
    handler: ({ params, body, ctx }) => scriptProvider(deps, ctx.run, params.provider, body),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Scripts not yet used up',
    params: providerParam,
    query: z.object({ subject: subjectOf(z.string()).optional() }),
    response: z.array(Script),
    errors: UNKNOWN_PROVIDER,
    access: harness,
    handler: async ({ params, query, ctx }) => listScripts(db, ctx.run, named(params.provider).name, query.subject),
  });
  api.route({
    method: 'delete',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Forget scripts (all, or one subject’s)',
    params: providerParam,
    query: z.object({ subject: subjectOf(z.string()).optional() }),
    status: 204,
    errors: UNKNOWN_PROVIDER,
    access: harness,
    handler: async ({ params, query, ctx }) => void (await clearScripts(db, ctx.run, named(params.provider).name, query.subject, deps.live)),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/journal',
    tag: TAG,
    summary: 'Every provider call of the run, oldest first (H2)',
    query: z.object({ provider: z.string().optional(), subject: subjectOf(z.string()).optional(), operation: z.string().optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }),
    response: z.array(JournalEntry),
    access: harness,
    handler: async ({ query, ctx }) => readJournal(db, { run: ctx.run, ...query }),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/sms/outbox',
    tag: TAG,
    summary: 'SMS messages of the run, optionally for one mobile (H3)',
    query: z.object({ mobile: z.string().optional() }),
    response: z.array(SmsMessage),
    access: harness,
    handler: async ({ query, ctx }) => readOutbox(db, ctx.run, query.mobile),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/sms/outbox/:mobile/latest-code',
    tag: TAG,
    summary: 'The verification code in the latest message to a mobile (H3)',
    params: z.object({ mobile }),
    response: z.strictObject({ code: z.string(), text: z.string(), sentAt: z.date() }),
    errors: { 404: ['NO_CODE'] },
    access: harness,
    handler: async ({ params, ctx }) => {
      const found = await latestCode(db, ctx.run, params.mobile);
      if (!found) throw notFound('NO_CODE', '该手机号没有收到验证码');
      return { code: found.code, text: found.message.text, sentAt: found.message.sentAt };
    },
  });
  return api;
}
