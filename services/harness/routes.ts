// The harness control API's run-level part (H1, H4, H5): the run's clock, its scheduled jobs, its footprint, its reset
// and the stack's URLs. Each module brings its own controls (providers, registry, risk …).
import { harness } from '../../kernel/access.js';
import { Api } from '../../kernel/http.js';
import { z } from '../../kernel/zod.js';
import { shanghaiTime } from '../../kernel/clock.js';
import { scheduledJobs } from '../../kernel/scheduler.js';
import { runFootprint } from '../../kernel/runs.js';
import { advanceRunClock, clockView, resetRunData, setRunClock, type HarnessDeps } from './run.js';

const TAG = 'Harness control';

const ClockView = z
  .strictObject({ now: z.iso.datetime(), shanghai: z.string().openapi({ example: '2025-03-03 09:00:00' }), day: z.string().openapi({ example: '2025-03-03' }), running: z.boolean(), system: z.boolean() })
  .openapi('Clock');
const JobView = z
  .strictObject({ job: z.string().openapi({ example: 'risk.weekly-fanout' }), dueAt: z.iso.datetime(), shanghai: z.string().openapi({ example: '2025-03-10 00:00:00' }), due: z.boolean(), running: z.boolean() })
  .openapi('ScheduledJob');
const Counts = z.record(z.string(), z.number().int()).openapi({ description: 'Rows by table' });
export type ClockView = z.output<typeof ClockView>;
export type ScheduledJob = z.output<typeof JobView>;

export function harnessApi(deps: HarnessDeps, urls: () => Record<string, string> = () => ({})): Api {
  const { db, live } = deps;
  // fenceWrites: a clock set or a run reset is what the next request to any govsim process sees.
  const api = new Api(live, { title: 'govsim harness control', description: 'Run-level controls: clock, scheduled jobs, footprint, reset, stack (H1, H4, H5).' }, { fenceWrites: true });

  api.route({ method: 'get', path: '/harness/v1/clock', tag: TAG, summary: 'Read the run’s clock (H1)', response: ClockView, access: harness, handler: async ({ ctx }) => clockView(await live.clock(ctx.run)) });
  api.route({
    method: 'put',
    path: '/harness/v1/clock',
    tag: TAG,
    summary: 'Set the run’s clock; `at` is an ISO instant or a Shanghai local time; frozen unless running: true',
    body: z.object({ at: z.string(), running: z.boolean().default(false) }),
    response: ClockView,
    errors: { 400: ['INVALID_TIME', 'CLOCK_OUT_OF_RANGE'] },
    access: harness,
    handler: ({ body, ctx }) => setRunClock(deps, ctx.run, body.at, body.running),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/clock/advance',
    tag: TAG,
    status: 200,
    summary: 'Advance the run’s clock by a duration: "90s", "5m", "2h", "3d", "1w" or milliseconds',
    body: z.object({ by: z.union([z.string(), z.number().int().nonnegative()]) }),
    response: ClockView,
    errors: { 400: ['INVALID_DURATION', 'CLOCK_OUT_OF_RANGE'] },
    access: harness,
    handler: ({ body, ctx }) => advanceRunClock(deps, ctx.run, body.by),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/jobs',
    tag: TAG,
    summary: 'The run’s scheduled jobs, soonest first: next due time (harness time), whether the clock has reached it, whether one is running (H5)',
    response: z.strictObject({ jobs: z.array(JobView) }),
    access: harness,
    handler: async ({ ctx }) => ({ jobs: (await scheduledJobs(db, ctx.run)).map((j) => ({ job: j.job, dueAt: j.dueAt.toISOString(), shanghai: shanghaiTime(j.dueAt), due: j.due, running: j.running })) }),
  });

  api.route({
    method: 'get',
    path: '/harness/v1/footprint',
    tag: TAG,
    summary: 'How many rows the run has in each table: the before/after of "nothing was stored"',
    response: Counts,
    access: harness,
    handler: async ({ ctx }) => runFootprint(db, ctx.run),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/stack',
    tag: TAG,
    summary: 'Base URLs of this govsim stack’s servers',
    response: z.record(z.string(), z.string()).openapi({ example: { services: 'http://127.0.0.1:3000', providers: 'http://127.0.0.1:3001', control: 'http://127.0.0.1:3002' } }),
    access: harness,
    handler: async () => urls(),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/reset',
    tag: TAG,
    status: 200,
    summary: 'Delete everything the run owns: data, clock, scripts, journal, outbox (H4)',
    response: z.strictObject({ run: z.string(), deleted: Counts }),
    access: harness,
    handler: async ({ ctx }) => ({ run: ctx.run, deleted: await resetRunData(deps, ctx.run) }),
  });
  return api;
}
