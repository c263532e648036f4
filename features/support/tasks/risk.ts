// 企业风险预警 tasks (D1–D8): the harness side (world, levels, jobs; the tester, in any
// interface) and the user side (the 粤商通 screens for the enterprise the actor acts for).
import { CallAnApi } from '../abilities.js';
import { eventually } from '../eventually.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { actFor } from './enterprise.js';
import { logInWithFace } from './login.js';

const servicesControl = (actor: Actor) => CallAnApi.as(actor).servicesControl;
const services = (actor: Actor) => CallAnApi.as(actor).services;

export interface WorldJob {
  id: string;
  state: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  phase: string;
  done: number;
  total: number;
  error: string | null;
}

export interface FanoutView {
  week: string;
  issued: number;
  total: number;
  status: string;
}

/** Starts seeding a risk world and waits (polling its job) until it is done. */
export const seedRiskWorld = (seed: number, enterprises: number): Task =>
  task(
    `seed a risk world of ${enterprises} enterprises from seed ${seed}`,
    inAnyInterface(async (actor) => {
      const { id } = await servicesControl(actor).post<WorldJob>('/harness/v1/risk/world', { seed, enterprises });
      const job = await eventually(
        async () => {
          const job = await servicesControl(actor).get<WorldJob>(`/harness/v1/risk/world/jobs/${id}`);
          if (job.state !== 'DONE' && job.state !== 'FAILED') throw new Error(`seeding the risk world: still ${job.state}, ${job.phase} ${job.done}/${job.total}`);
          return job;
        },
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      if (job.state === 'FAILED') throw new Error(`seeding the risk world failed: ${job.error}`);
    }),
  );
export const putInScope = (enterpriseName: string, kind: 'FILLING' | 'TRANSPORT'): Task =>
  task(
    `put ${enterpriseName} in scope as a ${kind} enterprise`,
    inAnyInterface(async (actor) => void (await servicesControl(actor).post('/harness/v1/risk/enterprises', { uscc: actor.world.enterprise(enterpriseName).uscc, kind }))),
  );
export const rateLevel = (enterpriseName: string, week: string, level: string): Task =>
  task(
    `rate ${enterpriseName} ${level} for the week of ${week}`,
    inAnyInterface(async (actor) => void (await servicesControl(actor).put('/harness/v1/risk/levels', { subject: actor.world.enterprise(enterpriseName).uscc, week, level }))),
  );
/** Runs the weekly fan-out job now; what the job answered is added to the World's `fanouts`. */
export const runFanout = (week: string): Task =>
  task(
    `run the weekly fan-out for the week of ${week}`,
    inAnyInterface(async (actor) => void actor.world.fanouts.push(await servicesControl(actor).post('/harness/v1/jobs/weekly-fanout', { week }))),
  );
export const fanoutProgress = (week: string): Question<FanoutView> =>
  question(`the progress of the fan-out of the week of ${week}`, inAnyInterface((actor) => servicesControl(actor).get(`/harness/v1/jobs/weekly-fanout/${week}`)));
export const runReminders: Task = task('run the reminder job', inAnyInterface(async (actor) => void (await servicesControl(actor).post('/harness/v1/jobs/reminders'))));

/** Face login, [请选择办事企业], [选择办事]: what the home page does next is the popup. */
export const enterEnterpriseAccount = (enterpriseName: string): Task =>
  task(
    `enter the enterprise account of ${enterpriseName}`,
    inAnyInterface((actor) => actor.attemptsTo(logInWithFace(), actFor(enterpriseName))),
  );

export interface PopupView {
  show: boolean;
  title?: string;
  actions?: string[];
}
export const popup: Question<PopupView> = question('the popup', {
  api: (actor) => services(actor).get('/yst/v1/risk/popup', actor.token),
  page: undefined,
});
export const chooseLater: Task = task('choose [稍后处理]', {
  api: async (actor) => void (await services(actor).post('/yst/v1/risk/popup/later', {}, actor.token)),
  page: undefined,
});
export const searchFor = (q: string): Question<{ title: string; path: string }[]> =>
  question(`what searching [${q}] finds`, {
    api: (actor) => services(actor).get(`/yst/v1/search?q=${encodeURIComponent(q)}`, actor.token),
    page: undefined,
  });

export interface LevelView {
  code: string;
  label: string;
}
export interface Overview {
  enterprise: { name: string; uscc: string };
  current?: { week: string; date: string; advice: string; level: LevelView } | null;
  topVehicles?: { inProvince: { plate: string; level: LevelView }[]; outOfProvince: { plate: string; level: LevelView }[] } | null;
  periods: { week: string; date: string; level: LevelView; status: LevelView; signed: boolean }[];
}
export const warningsView: Question<Overview> = question('the risk warnings', {
  api: (actor) => services(actor).get('/yst/v1/risk/warnings', actor.token),
  page: undefined,
});

export interface Period {
  warning: { week: string; level: LevelView; status: LevelView; signed: { at: string; by: string } | null; feedback: { required: boolean; dueBy: string } };
  enterpriseRisk?: { category: string; label: string; count: number }[];
  vehicles?: { plate: string; level: LevelView }[];
}
export const periodView = (week: string): Question<Period> =>
  question(`the period of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}`, actor.token),
    page: undefined,
  });
export const enterpriseRiskDetail = (week: string, category: string): Question<{ entries: unknown[] }> =>
  question(`the ${category} entries of the week of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}/enterprise-risk/${category}`, actor.token),
    page: undefined,
  });

export interface VehicleView {
  plate: string;
  owner: { name: string; uscc: string };
  level: LevelView;
  monitoring: { label: string };
  positioning: { label: string };
  violation: { label: string };
  [more: string]: unknown;
}
export const vehicleDetail = (plate: string, week: string): Question<VehicleView> =>
  question(`the vehicle ${plate} in the week of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/vehicles/${encodeURIComponent(plate)}?week=${week}`, actor.token),
    page: undefined,
  });

export const signWarning = (week: string): Task =>
  task(`sign the warning of the week of ${week}`, {
    api: async (actor) => void (await services(actor).post(`/yst/v1/risk/warnings/${week}/sign`, {}, actor.token)),
    page: undefined,
  });

export const feedBack = (week: string, details: Partial<{ measures: string[]; contactMobile: string }> = {}): Task =>
  task(`feed back on the week of ${week}${Object.keys(details).length ? ` with ${JSON.stringify(details)}` : ''}`, {
    api: async (actor) =>
      void (await services(actor).post(
        `/yst/v1/risk/warnings/${week}/feedback`,
        { measures: ['SAFETY_TRAINING'], description: '已组织驾驶员安全培训并排查车辆隐患', contactName: actor.name, contactMobile: actor.person.mobile, ...details },
        actor.token,
      )),
    page: undefined,
  });

export const feedbackOf = (week: string): Question<{ measures: { code: string }[]; description: string }> =>
  question(`the feedback of the week of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}/feedback`, actor.token),
    page: undefined,
  });
