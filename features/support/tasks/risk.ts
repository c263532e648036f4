// 企业风险预警 tasks (D1–D8): the harness side (world, levels, jobs; the tester, in any
// interface) and the user side (the 粤商通 screens for the enterprise the actor acts for).
import type { Locator, Page } from 'playwright-core';
import { CATEGORIES, LEVEL_LABEL, MEASURES, STATUS_LABEL } from '../../../services/risk/use-cases.js';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
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

// Page forms: what the 粤商通 screens show, read back by role and Chinese label (services/risk/pages.ts).

/** A code from the label a page shows (风险等级, 状态, 采取措施, 企业风险信息). */
const codeOf = (labels: Record<string, string>, label: string) => Object.keys(labels).find((code) => labels[code] === label) ?? label;
const levelShown = (label: string): LevelView => ({ code: codeOf(LEVEL_LABEL, label), label });
/** The week of a period as the screens name it: '2026-11-23 至 2026-11-29', or its Monday alone in a list. */
const weekShown = (label: string) => label.slice(0, 10);

/** The rows of a table (named by its caption) as their cells' texts; the 暂无数据 row is no row. */
async function rowsOf(scope: Page | Locator, caption: string): Promise<string[][]> {
  const table = scope.getByRole('table', { name: caption, exact: true });
  const columns = await table.getByRole('columnheader').count();
  const rows = [];
  for (const row of await table.getByRole('row').all()) {
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    if (cells.length === columns) rows.push(cells);
  }
  return rows;
}

/** Page forms: the value under a term, when the page lists it. */
const factIfShown = async (scope: Locator, term: string) => ((await scope.getByRole('rowheader', { name: term, exact: true }).count()) ? factOf(scope, term) : undefined);

const homePage = (actor: Actor) => BrowseTheWeb.as(actor).open('services', '/yst/');
const periodPage = (actor: Actor, week: string) => BrowseTheWeb.as(actor).open('services', `/yst/risk/warnings/${week}`);

export interface PopupView {
  show: boolean;
  title?: string;
  actions?: string[];
}
export const popup: Question<PopupView> = question('the popup', {
  api: (actor) => services(actor).get('/yst/v1/risk/popup', actor.token),
  page: async (actor) => {
    const popup = (await homePage(actor)).getByRole('dialog');
    if (!(await popup.count())) return { show: false };
    const title = ((await popup.getByRole('heading').textContent()) ?? '').trim();
    const actions = [...(await popup.getByRole('link').allTextContents()), ...(await popup.getByRole('button').allTextContents())].map((a) => a.trim());
    return { show: true, title, actions };
  },
});
export const chooseLater: Task = task('choose [稍后处理]', {
  api: async (actor) => void (await services(actor).post('/yst/v1/risk/popup/later', {}, actor.token)),
  page: async (actor) => BrowseTheWeb.as(actor).submit((await homePage(actor)).getByRole('dialog').getByRole('button', { name: '稍后处理' })),
});
export const searchFor = (q: string): Question<{ title: string; path: string }[]> =>
  question(`what searching [${q}] finds`, {
    api: (actor) => services(actor).get(`/yst/v1/search?q=${encodeURIComponent(q)}`, actor.token),
    page: async (actor) => {
      const page = await homePage(actor);
      await page.getByLabel('搜索', { exact: true }).fill(q);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '搜索', exact: true }));
      const found = await page.getByRole('list', { name: '搜索结果' }).getByRole('link').all();
      return Promise.all(found.map(async (link) => ({ title: ((await link.textContent()) ?? '').trim(), path: (await link.getAttribute('href')) ?? '' })));
    },
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
const vehiclesShown = async (scope: Locator, caption: string) => (await rowsOf(scope, caption)).map(([plate, level]) => ({ plate: plate!, level: levelShown(level!) }));

export const warningsView: Question<Overview> = question('the risk warnings', {
  api: (actor) => services(actor).get('/yst/v1/risk/warnings', actor.token),
  page: async (actor) => {
    const page = await BrowseTheWeb.as(actor).open('services', '/yst/risk');
    const enterprise = page.getByRole('region', { name: '企业信息' });
    const view: Overview = {
      enterprise: { name: await factOf(enterprise, '企业名称'), uscc: await factOf(enterprise, '统一社会信用代码') },
      periods: (await rowsOf(page, '风险预警信息')).map(([week, date, level, status, signed]) => ({
        week: weekShown(week!),
        date: date!,
        level: levelShown(level!),
        status: { code: codeOf(STATUS_LABEL, status!), label: status! },
        signed: signed === '已签收',
      })),
    };
    const current = page.getByRole('region', { name: '当前预警信息' });
    if (await current.count()) {
      const date = await factIfShown(current, '预警日期');
      view.current = date
        ? { week: weekShown(await factOf(current, '预警周期')), date, advice: ((await current.getByRole('paragraph').first().textContent()) ?? '').trim(), level: levelShown(await factOf(current, '风险等级')) }
        : null;
      const top = page.getByRole('region', { name: '省内外风险车辆前20预警信息' });
      view.topVehicles = date ? { inProvince: await vehiclesShown(top, '省内风险车辆'), outOfProvince: await vehiclesShown(top, '省外风险车辆') } : null;
    }
    return view;
  },
});

export interface Period {
  warning: { week: string; level: LevelView; status: LevelView; signed: { at: string; by: string } | null; feedback: { required: boolean; dueBy: string } };
  enterpriseRisk?: { category: string; label: string; count: number }[];
  vehicles?: { plate: string; level: LevelView }[];
}
export const periodView = (week: string): Question<Period> =>
  question(`the period of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}`, actor.token),
    page: async (actor) => {
      const page = await periodPage(actor, week);
      const shown = page.getByRole('region', { name: '预警信息' });
      const status = await factOf(shown, '状态');
      const signed = (await factOf(shown, '签收状态')) === '已签收';
      const period: Period = {
        warning: {
          week: weekShown(await factOf(shown, '预警周期')),
          level: levelShown(await factOf(shown, '风险等级')),
          status: { code: codeOf(STATUS_LABEL, status), label: status },
          signed: signed ? { at: await factOf(shown, '签收时间'), by: await factOf(shown, '签收人') } : null,
          feedback: { required: (await factOf(shown, '反馈要求')) === '本周内须填报预警反馈', dueBy: await factOf(shown, '反馈截止时间') },
        },
      };
      if (await page.getByRole('table', { name: '企业风险信息', exact: true }).count()) {
        const labels = Object.fromEntries(Object.entries(CATEGORIES).map(([code, c]) => [code, c.label]));
        period.enterpriseRisk = (await rowsOf(page, '企业风险信息')).map(([label, count]) => ({ category: codeOf(labels, label!), label: label!, count: Number(count) }));
        period.vehicles = (await rowsOf(page, '车辆风险信息')).map(([plate, level]) => ({ plate: plate!, level: levelShown(level!) }));
      }
      return period;
    },
  });
export const enterpriseRiskDetail = (week: string, category: string): Question<{ entries: unknown[] }> =>
  question(`the ${category} entries of the week of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}/enterprise-risk/${category}`, actor.token),
    page: async (actor) => {
      const page = await periodPage(actor, week);
      const label = CATEGORIES[category as keyof typeof CATEGORIES].label;
      await BrowseTheWeb.as(actor).follow(page.getByRole('table', { name: '企业风险信息', exact: true }).getByRole('link', { name: label, exact: true }));
      return { entries: (await rowsOf(page, label)).map(([time, plate, description]) => ({ time, plate, description })) };
    },
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
    page: async (actor) => {
      const page = await periodPage(actor, week);
      await BrowseTheWeb.as(actor).follow(page.getByRole('link', { name: plate, exact: true }));
      const shown = page.getByRole('region', { name: '车辆信息' });
      /** The list of one kind of risk, by its caption (the page calls the violations 违章信息). */
      const risk = async (caption: string, label: string) => {
        const table = page.getByRole('table', { name: caption, exact: true });
        if (!(await table.count())) throw new Error(`the vehicle page shows no ${caption}`);
        return { label, entries: await rowsOf(page, caption) };
      };
      return {
        plate: await factOf(shown, '车牌号码'),
        owner: { name: await factOf(shown, '所属企业'), uscc: await factOf(shown, '统一社会信用代码') },
        level: levelShown(await factOf(shown, '车辆风险等级')),
        monitoring: await risk('监控预警', '监控预警'),
        positioning: await risk('定位预警', '定位预警'),
        violation: await risk('违章信息', '违章'),
      };
    },
  });

export const signWarning = (week: string): Task =>
  task(`sign the warning of the week of ${week}`, {
    api: async (actor) => void (await services(actor).post(`/yst/v1/risk/warnings/${week}/sign`, {}, actor.token)),
    page: async (actor) => {
      const page = await periodPage(actor, week);
      const button = page.getByRole('button', { name: '签收', exact: true });
      // Signed already (by another member): the screen says so and offers nothing to sign.
      if (!(await button.count())) {
        const status = await factOf(page.getByRole('region', { name: '预警信息' }), '签收状态');
        if (status !== '已签收') throw new Error(`the warning of ${week} is ${status}, with no [签收]`);
        return;
      }
      await BrowseTheWeb.as(actor).submit(button);
    },
  });

/** The feedback a person gives unless told otherwise. */
const feedbackOfActor = (actor: Actor) => ({ measures: ['SAFETY_TRAINING'], description: '已组织驾驶员安全培训并排查车辆隐患', contactName: actor.name, contactMobile: actor.person.mobile });

export const feedBack = (week: string, details: Partial<{ measures: string[]; contactMobile: string }> = {}): Task =>
  task(`feed back on the week of ${week}${Object.keys(details).length ? ` with ${JSON.stringify(details)}` : ''}`, {
    api: async (actor) =>
      void (await services(actor).post(
        `/yst/v1/risk/warnings/${week}/feedback`,
        { ...feedbackOfActor(actor), ...details },
        actor.token,
      )),
    page: async (actor) => {
      const feedback = { ...feedbackOfActor(actor), ...details };
      const browsing = BrowseTheWeb.as(actor);
      const page = await periodPage(actor, week);
      await browsing.follow(page.getByRole('link', { name: '填报预警反馈' }));
      const measures = page.getByRole('group', { name: '采取措施' });
      for (const code of feedback.measures) await measures.getByRole('checkbox', { name: MEASURES[code as keyof typeof MEASURES], exact: true }).check();
      await page.getByLabel('反馈说明', { exact: true }).fill(feedback.description);
      await page.getByLabel('联系人', { exact: true }).fill(feedback.contactName);
      await page.getByLabel('联系电话', { exact: true }).fill(feedback.contactMobile);
      await browsing.submit(page.getByRole('button', { name: '提交' }));
    },
  });

export const feedbackOf = (week: string): Question<{ measures: { code: string }[]; description: string }> =>
  question(`the feedback of the week of ${week}`, {
    api: (actor) => services(actor).get(`/yst/v1/risk/warnings/${week}/feedback`, actor.token),
    page: async (actor) => {
      const page = await BrowseTheWeb.as(actor).open('services', `/yst/risk/warnings/${week}/feedback`);
      const shown = page.getByRole('region', { name: '预警反馈' });
      return {
        measures: (await factOf(shown, '采取措施')).split('、').map((label) => ({ code: codeOf(MEASURES, label) })),
        description: await factOf(shown, '反馈说明'),
      };
    },
  });
