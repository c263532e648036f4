// The risk warnings' harness controls (H4, H5 for D1–D8): seed a risk world, put enterprises in
// scope, fix levels, run the weekly fan-out and the reminders now.
import { harness } from '../../kernel/access.js';
import { mondayOf } from '../../kernel/clock.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { seed, uscc, uuid, week } from '../../kernel/fields.js';
import { normaliseCode } from '../../kernel/identifiers.js';
import { Api } from '../../kernel/http.js';
import { z } from '../../kernel/zod.js';
import { addToScope, runFanout, runReminders, startWorldJob, type JobDeps } from './jobs.js';
import { findFanout, findWorldJob, overrideLevel } from './store.js';

const TAG = 'Harness control · risk warnings';

const fanout = {
  week: z.string(),
  status: z.enum(['RUNNING', 'DONE']),
  total: z.number().int(),
  issued: z.number().int(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  lanes: z.array(z.strictObject({ lane: z.number().int(), cursor: z.number().int(), through: z.number().int(), issued: z.number().int() })),
};
const Fanout = z.strictObject(fanout).openapi('Fanout');

const WorldJob = z
  .strictObject({
    id: z.string().uuid(),
    seed: z.number().int(),
    enterprises: z.number().int(),
    state: z.enum(['QUEUED', 'RUNNING', 'DONE', 'FAILED']),
    phase: z.string().openapi({ description: 'queued, registry (generating people and entities), scope (scope and vehicles), store, done or failed' }),
    done: z.number().int().openapi({ description: 'Enterprises generated so far' }),
    total: z.number().int(),
    result: z.strictObject({ seed: z.number().int(), enterprises: z.number().int(), inScope: z.number().int(), vehicles: z.number().int() }).nullable().openapi({ description: 'The world, once DONE: enterprises added, in scope, vehicles added' }),
    error: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .openapi('RiskWorldJob');

/** The fan-out as it stands; alreadyRunning: another process is issuing it (and may not have stored it yet). */
const FanoutAnswer = z.union([z.strictObject({ ...fanout, alreadyRunning: z.boolean() }), z.strictObject({ alreadyRunning: z.literal(true) })]);

export function riskControl(deps: JobDeps): Api {
  const { db } = deps;
  // fenceWrites: a level fixed or a world seeded here is what the next request to the services sees
  // (the vehicle lists they keep in memory hear of it before this answers).
  const api = new Api(deps.live, { title: 'govsim risk-warning controls', description: 'Risk world, scope, levels and jobs of a run (H4, H5, D1–D8).' }, { fenceWrites: true });

  api.route({
    method: 'post',
    path: '/harness/v1/risk/world',
    tag: TAG,
    status: 202,
    summary: 'Start seeding a risk world: N enterprises (registry + legal reps), each a filling or transport enterprise, transport ones with vehicles (H4, D1)',
    description: 'Answers at once with the seeding job (QUEUED); GET /harness/v1/risk/world/jobs/{id} follows it to DONE (with the world) or FAILED. One job at a time per run.',
    body: z.object({ seed, enterprises: z.number().int().min(0).max(1_000_000) }),
    response: WorldJob,
    errors: { 409: ['WORLD_BEING_SEEDED'] },
    access: harness,
    handler: async ({ body, ctx, res }) => {
      const job = await startWorldJob(deps, ctx, body);
      if (!job) throw conflict('WORLD_BEING_SEEDED', '该运行的风险世界正在建立，请等待其完成');
      res.location(`/harness/v1/risk/world/jobs/${job.id}`); // 202: where its status is followed
      return job;
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/risk/world/jobs/:id',
    tag: TAG,
    summary: 'A risk-world seeding job: its state, phase, progress (enterprises generated of the world’s) and, when DONE, the world',
    params: z.object({ id: uuid }),
    response: WorldJob,
    errors: { 404: ['NO_WORLD_JOB'] },
    access: harness,
    handler: async ({ params, ctx }) => {
      const job = await findWorldJob(db, ctx.run, params.id);
      if (!job) throw notFound('NO_WORLD_JOB', '没有这个建立风险世界的任务');
      return job;
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/risk/enterprises',
    tag: TAG,
    summary: 'Put a registry enterprise in the warnings’ scope as a filling or transport enterprise (transport ones get vehicles)',
    body: z.object({ uscc, kind: z.enum(['FILLING', 'TRANSPORT']), seed: seed.optional() }),
    response: z.strictObject({ uscc: z.string(), kind: z.enum(['FILLING', 'TRANSPORT']), vehicles: z.number().int() }),
    errors: { 404: ['ENTERPRISE_NOT_FOUND'] },
    access: harness,
    handler: async ({ body, ctx }) => addToScope(db, ctx, body),
  });
  api.route({
    method: 'put',
    path: '/harness/v1/risk/levels',
    tag: TAG,
    summary: 'Fix the risk level of an enterprise (USCC) or vehicle (plate) for a week, instead of the seeded one',
    body: z.object({ subject: z.string().min(7).transform(normaliseCode).openapi({ type: 'string', description: 'USCC or plate (normalised as every USCC is)' }), week, level: z.enum(['RED', 'ORANGE', 'YELLOW', 'BLUE']) }),
    response: z.strictObject({ subject: z.string(), week: z.string(), level: z.enum(['RED', 'ORANGE', 'YELLOW', 'BLUE']) }),
    errors: { 400: ['NOT_A_MONDAY'] },
    access: harness,
    handler: async ({ body, ctx }) => {
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
    body: z.object({ week: week.optional() }),
    response: FanoutAnswer,
    errors: { 404: ['NO_RISK_WORLD'], 503: ['FANOUT_BUSY'] },
    access: harness,
    handler: async ({ body, ctx }) => runFanout(deps, ctx, body.week ?? mondayOf(ctx.now)) as Promise<z.infer<typeof FanoutAnswer>>,
  });
  api.route({
    method: 'get',
    path: '/harness/v1/jobs/weekly-fanout/:week',
    tag: TAG,
    summary: 'Progress of a week’s fan-out',
    params: z.object({ week }),
    response: Fanout,
    errors: { 404: ['NO_FANOUT'] },
    access: harness,
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
    response: z.strictObject({ sent: z.number().int(), failed: z.number().int() }),
    access: harness,
    handler: async ({ ctx }) => runReminders(deps, ctx, { settle: true }),
  });
  return api;
}
