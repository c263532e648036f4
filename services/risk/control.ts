// The risk warnings' harness controls (H4, H5 for D1–D8): seed a risk world, put enterprises in
// scope, fix levels, run the weekly fan-out and the reminders now.
import { harness } from '../../kernel/access.js';
import { mondayOf } from '../../kernel/clock.js';
import { notFound } from '../../kernel/errors.js';
import { seed, uscc, week } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import { z } from '../../kernel/zod.js';
import { addToScope, runFanout, runReminders, seedRiskWorld, type JobDeps } from './jobs.js';
import { findFanout, overrideLevel } from './store.js';

const TAG = 'Harness control · risk warnings';

export function riskControl(deps: JobDeps): Api {
  const { db } = deps;
  const api = new Api(deps.live, { title: 'govsim risk-warning controls', description: 'Risk world, scope, levels and jobs of a run (H4, H5, D1–D8).' });

  api.route({
    method: 'post',
    path: '/harness/v1/risk/world',
    tag: TAG,
    summary: 'Seed a risk world: N enterprises (registry + legal reps), each a filling or transport enterprise, transport ones with vehicles (H4, D1)',
    body: z.object({ seed, enterprises: z.number().int().min(0).max(1_000_000) }),
    access: harness,
    handler: async ({ body, ctx }) => seedRiskWorld(db, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/risk/enterprises',
    tag: TAG,
    summary: 'Put a registry enterprise in the warnings’ scope as a filling or transport enterprise (transport ones get vehicles)',
    body: z.object({ uscc, kind: z.enum(['FILLING', 'TRANSPORT']), seed: seed.optional() }),
    access: harness,
    handler: async ({ body, ctx }) => addToScope(db, ctx, body),
  });
  api.route({
    method: 'put',
    path: '/harness/v1/risk/levels',
    tag: TAG,
    summary: 'Fix the risk level of an enterprise (USCC) or vehicle (plate) for a week, instead of the seeded one',
    body: z.object({ subject: z.string().min(7), week, level: z.enum(['RED', 'ORANGE', 'YELLOW', 'BLUE']) }),
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
    access: harness,
    handler: async ({ body, ctx }) => runFanout(deps, ctx, body.week ?? mondayOf(ctx.now)),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/jobs/weekly-fanout/:week',
    tag: TAG,
    summary: 'Progress of a week’s fan-out',
    params: z.object({ week }),
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
    access: harness,
    handler: async ({ ctx }) => runReminders(deps, ctx, { settle: true }),
  });
  return api;
}
