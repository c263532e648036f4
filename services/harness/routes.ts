// The harness control API (H1–H4): clock, provider scripts, journal, SMS outbox, registry,
// world seeding and reset, all scoped by the caller's run key.
import { z } from '../platform/zod.js';
import { FAULTS, addScript, latestCode, providerByName, providers, readJournal, readOutbox } from '../../mocks/index.js';
import { clearScripts, listScripts } from '../../mocks/core/store.js';
import { advanceClock, fromShanghai, mondayOf, parseDuration, readClock, setClock, shanghaiDay, shanghaiTime } from '../platform/clock.js';
import { inTransaction, withRunLock, type Db } from '../platform/db.js';
import { badRequest, notFound } from '../platform/errors.js';
import { calendarDay, idNumber, mobile, personName, uscc } from '../platform/fields.js';
import { Api } from '../platform/http.js';
import type { Providers } from '../providers/clients.js';
import { addToScope, runFanout, runReminders, seedRiskWorld } from '../risk/jobs.js';
import { findFanout, overrideLevel } from '../risk/store.js';
import { seedWorld } from '../world/seed.js';
import { dropRunPartitions, findEnterprise, findPerson, insertEnterprises, insertPersons, listEnterprises, listPersons, resetRun, runFootprint } from '../world/store.js';

const TAG = 'Harness control';

const ClockView = z.object({ now: z.string(), shanghai: z.string(), day: z.string(), running: z.boolean(), system: z.boolean() }).openapi('Clock');
const clockView = (c: { now: Date; running: boolean; system: boolean }) => ({
  now: c.now.toISOString(),
  shanghai: shanghaiTime(c.now),
  day: shanghaiDay(c.now),
  running: c.running,
  system: c.system,
});

const PersonBody = z.object({ name: personName, idNumber, mobile, idValidFrom: calendarDay, idValidTo: z.union([calendarDay, z.literal('长期')]) }).openapi('Person');
const EnterpriseBody = z
  .object({
    uscc,
    name: z.string().min(2),
    kind: z.enum(['company', 'individual', 'cooperative']).default('company'),
    status: z.string().default('存续'),
    industry: z.string().default('软件和信息技术服务业'),
    legalRepIdNumber: idNumber,
    district: z.string().default('天河区市场监督管理局'),
    office: z.string().default('天河区市场监督管理局石牌监管所'),
  })
  .openapi('Enterprise');

const providerParam = z.object({ provider: z.string() });
function providerNamed(name: string) {
  const provider = providerByName(name);
  if (!provider) throw notFound('UNKNOWN_PROVIDER', `没有这个服务商: ${name}`);
  return provider;
}

export function harnessApi(deps: { db: Db; providers: Providers; fanoutLanes?: number | undefined }, urls: () => Record<string, string> = () => ({})): Api {
  const { db } = deps;
  const api = new Api(db, { title: 'govsim harness control', description: 'Clock, provider outcome tables, journal, SMS outbox, registry, seed and reset (H1–H4).' });

  api.route({ method: 'get', path: '/harness/v1/clock', tag: TAG, summary: 'Read the run’s clock (H1)', response: ClockView, handler: async ({ ctx }) => clockView(await readClock(db, ctx.run)) });
  api.route({
    method: 'put',
    path: '/harness/v1/clock',
    tag: TAG,
    summary: 'Set the run’s clock; `at` is an ISO instant or a Shanghai local time; frozen unless running: true',
    body: z.object({ at: z.string(), running: z.boolean().default(false) }),
    response: ClockView,
    handler: async ({ body, ctx }) => {
      const at = /[zZ]|[+-]\d\d:?\d\d$/.test(body.at) ? new Date(body.at) : fromShanghai(body.at);
      if (Number.isNaN(at.getTime())) throw badRequest('INVALID_TIME', `无法识别的时间: ${body.at}`);
      return clockView(await setClock(db, ctx.run, at, body.running));
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/clock/advance',
    tag: TAG,
    status: 200,
    summary: 'Advance the run’s clock by a duration: "90s", "5m", "2h", "3d", "1w" or milliseconds',
    body: z.object({ by: z.union([z.string(), z.number().int().nonnegative()]) }),
    response: ClockView,
    handler: async ({ body, ctx }) => {
      let ms: number;
      try {
        ms = typeof body.by === 'number' ? body.by : parseDuration(body.by);
      } catch {
        throw badRequest('INVALID_DURATION', `无法识别的时长: ${body.by}`);
      }
      return clockView(await advanceClock(db, ctx.run, ms));
    },
  });

  api.route({
    method: 'get',
    path: '/harness/v1/providers',
    tag: TAG,
    summary: 'Every provider with its documented outcomes and operations',
    handler: async () =>
      providers.map((p) => ({ name: p.name, title: p.title, outcomes: p.outcomes, operations: p.operations.filter((o) => !o.passive).map((o) => ({ name: o.name, method: o.method, path: o.path, decides: Boolean(o.decides) })) })),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Script the next answers for a subject (ID number or mobile): an outcome, latency and/or a fault, `times` in a row (H2)',
    params: providerParam,
    body: z.object({
      subject: z.string().min(1),
      outcome: z.string().optional(),
      operation: z.string().optional(),
      latencyMs: z.number().int().min(0).max(60_000).optional(),
      fault: z.enum(FAULTS).optional(),
      times: z.number().int().min(1).max(1000).default(1),
    }),
    handler: async ({ params, body, ctx }) => {
      const provider = providerNamed(params.provider);
      if (body.outcome && !provider.outcomes[body.outcome])
        throw badRequest('UNKNOWN_OUTCOME', `${provider.name} 没有这个结果: ${body.outcome}`, { outcomes: Object.keys(provider.outcomes) });
      if (body.operation && !provider.operations.some((o) => o.name === body.operation && !o.passive))
        throw badRequest('UNKNOWN_OPERATION', `${provider.name} 没有这个操作: ${body.operation}`);
      if (!body.outcome && !body.fault && !body.latencyMs) throw badRequest('EMPTY_SCRIPT', '请至少指定 outcome、fault 或 latencyMs 之一');
      return addScript(db, { ...body, run: ctx.run, provider: provider.name, subject: body.subject.toUpperCase() });
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Scripts not yet used up',
    params: providerParam,
    query: z.object({ subject: z.string().optional() }),
    handler: async ({ params, query, ctx }) => listScripts(db, ctx.run, providerNamed(params.provider).name, query.subject?.toUpperCase()),
  });
  api.route({
    method: 'delete',
    path: '/harness/v1/providers/:provider/scripts',
    tag: TAG,
    summary: 'Forget scripts (all, or one subject’s)',
    params: providerParam,
    query: z.object({ subject: z.string().optional() }),
    handler: async ({ params, query, ctx }) => void (await clearScripts(db, ctx.run, providerNamed(params.provider).name, query.subject?.toUpperCase())),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/journal',
    tag: TAG,
    summary: 'Every provider call of the run, oldest first (H2)',
    query: z.object({ provider: z.string().optional(), subject: z.string().optional(), operation: z.string().optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }),
    handler: async ({ query, ctx }) => readJournal(db, { run: ctx.run, ...query, subject: query.subject?.toUpperCase() }),
  });

  api.route({
    method: 'get',
    path: '/harness/v1/sms/outbox',
    tag: TAG,
    summary: 'SMS messages of the run, optionally for one mobile (H3)',
    query: z.object({ mobile: z.string().optional() }),
    handler: async ({ query, ctx }) => readOutbox(db, ctx.run, query.mobile),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/sms/outbox/:mobile/latest-code',
    tag: TAG,
    summary: 'The verification code in the latest message to a mobile (H3)',
    params: z.object({ mobile }),
    handler: async ({ params, ctx }) => {
      const found = await latestCode(db, ctx.run, params.mobile);
      if (!found) throw notFound('NO_CODE', '该手机号没有收到验证码');
      return { code: found.code, text: found.message.text, sentAt: found.message.sentAt };
    },
  });

  api.route({
    method: 'post',
    path: '/harness/v1/world',
    tag: TAG,
    summary: 'Seed a deterministic world: N enterprises, each with its legal representative (H4)',
    body: z.object({ seed: z.number().int().nonnegative(), enterprises: z.number().int().min(0).max(1_000_000) }),
    handler: async ({ body, ctx }) => seedWorld(db, ctx.run, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/registry/persons',
    tag: TAG,
    summary: 'Add a person to the registry',
    body: PersonBody,
    handler: async ({ body, ctx }) => {
      await insertPersons(db, ctx.run, [body]);
      return findPerson(db, ctx.run, body.idNumber);
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/registry/enterprises',
    tag: TAG,
    summary: 'Add a market entity; its legal representative must be a registered person',
    body: EnterpriseBody,
    handler: async ({ body, ctx }) => {
      const rep = await findPerson(db, ctx.run, body.legalRepIdNumber);
      if (!rep) throw badRequest('UNKNOWN_LEGAL_REP', '法定代表人不在登记信息中');
      await insertEnterprises(db, ctx.run, [{ ...body, legalRepName: rep.name }]);
      return findEnterprise(db, ctx.run, body.uscc);
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/registry/enterprises',
    tag: TAG,
    summary: 'Market entities of the run',
    query: z.object({ legalRepIdNumber: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    handler: async ({ query, ctx }) => listEnterprises(db, ctx.run, query),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/registry/persons',
    tag: TAG,
    summary: 'People of the run',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    handler: async ({ query, ctx }) => listPersons(db, ctx.run, query),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/risk/world',
    tag: TAG,
    summary: 'Seed a risk world: N enterprises (registry + legal reps), each a filling or transport enterprise, transport ones with vehicles (H4, D1)',
    body: z.object({ seed: z.number().int().nonnegative(), enterprises: z.number().int().min(0).max(1_000_000) }),
    handler: async ({ body, ctx }) => seedRiskWorld(db, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/risk/enterprises',
    tag: TAG,
    summary: 'Put a registry enterprise in the warnings’ scope as a filling or transport enterprise (transport ones get vehicles)',
    body: z.object({ uscc, kind: z.enum(['FILLING', 'TRANSPORT']), seed: z.number().int().nonnegative().optional() }),
    handler: async ({ body, ctx }) => addToScope(db, ctx, body),
  });
  api.route({
    method: 'put',
    path: '/harness/v1/risk/levels',
    tag: TAG,
    summary: 'Fix the risk level of an enterprise (USCC) or vehicle (plate) for a week, instead of the seeded one',
    body: z.object({ subject: z.string().min(7), week: calendarDay, level: z.enum(['RED', 'ORANGE', 'YELLOW', 'BLUE']) }),
    handler: async ({ body, ctx }) => {
      if (mondayOf(fromShanghai(body.week)) !== body.week) throw badRequest('NOT_A_MONDAY', '周期须以周一表示');
      await overrideLevel(db, ctx.run, body.subject, body.week, body.level);
      return body;
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/jobs/weekly-fanout',
    tag: TAG,
    status: 200,
    summary: 'Issue the week’s warnings now (H5, D1); default week: the current one on the run’s clock',
    body: z.object({ week: calendarDay.optional() }),
    handler: async ({ body, ctx }) => runFanout(db, ctx, body.week ?? mondayOf(ctx.now), { lanes: deps.fanoutLanes }),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/jobs/weekly-fanout/:week',
    tag: TAG,
    summary: 'Progress of a week’s fan-out',
    params: z.object({ week: calendarDay }),
    handler: async ({ params, ctx }) => {
      const fanout = await findFanout(db, ctx.run, params.week);
      if (!fanout) throw notFound('NO_FANOUT', '该周尚未发布风险预警');
      return fanout;
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/jobs/reminders',
    tag: TAG,
    status: 200,
    summary: 'Send overdue-feedback SMS reminders now (H5, D8): exactly one per warning',
    handler: async ({ ctx }) => runReminders(deps, ctx),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/footprint',
    tag: TAG,
    summary: 'How many rows the run has in each table: the before/after of "nothing was stored"',
    handler: async ({ ctx }) => runFootprint(db, ctx.run),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/stack',
    tag: TAG,
    summary: 'Base URLs of this govsim stack’s servers',
    handler: async () => urls(),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/reset',
    tag: TAG,
    status: 200,
    summary: 'Delete everything the run owns: data, clock, scripts, journal, outbox (H4)',
    handler: async ({ ctx }) => ({
      run: ctx.run,
      deleted: await withRunLock(db, ctx.run, { wait: true }, async () => {
        const deleted = await inTransaction(db, (tx) => resetRun(tx, ctx.run));
        await dropRunPartitions(db, ctx.run);
        return deleted;
      }),
    }),
  });
  return api;
}
