// 企业风险预警 as the 粤商通 guide shows it (SPEC D2–D7): the popup, the filling-enterprise and
// transport-enterprise views, vehicle detail, sign and feedback — always for the enterprise the
// caller acts for. Who may call is declared on the routes (a live member of a 已认证 account,
// B4/B9) and checked by the kernel; each use-case reads and writes in one or two statements.
import { addDays, mondayOf, shanghaiDay, shanghaiTime } from '../../kernel/clock.js';
import type { Db } from '../../kernel/db.js';
import { conflict, notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { Rng } from '../world/generate.js';
import type { EnterpriseCaller } from '../yueshangtong/access.js';
import * as store from './store.js';
import type { Level, Subject, VehicleRisk, Warning } from './store.js';
import type { Scoped, Views } from './views.js';

export const LEVEL_LABEL: Record<Level, string> = { RED: '红色(重大风险)', ORANGE: '橙色(较大风险)', YELLOW: '黄色(一般风险)', BLUE: '蓝色(低风险)' };
// 逾期反馈: feedback that came in after the end of its week, as the guide names it (如逾期反馈会收到短信提醒).
export const STATUS_LABEL = { UNSIGNED: '待签收', TO_RECTIFY: '待整改', SIGNED: '已签收', FED_BACK: '已反馈', FED_BACK_LATE: '逾期反馈', OVERDUE: '逾期未反馈' } as const;
export const FILLING_ADVICE = '请你公司谨慎选用红色风险等级的运输企业、运输车辆';
const TRANSPORT_ADVICE: Record<Level, string> = {
  RED: '你公司本周风险等级为红色(重大风险)，请立即开展隐患排查整改，并于本周内填报预警反馈',
  ORANGE: '你公司本周风险等级为橙色(较大风险)，请开展隐患排查整改，并于本周内填报预警反馈',
  YELLOW: '你公司本周风险等级为黄色(一般风险)，请加强车辆动态监控，可根据实际情况填报预警反馈',
  BLUE: '你公司本周风险等级为蓝色(低风险)，请继续保持，可根据实际情况填报预警反馈',
};
export const MEASURES = {
  SUSPEND_RED_VEHICLES: '暂停红色风险等级车辆运营',
  CHOOSE_LOW_RISK_CARRIERS: '优先选用低风险等级的运输企业、运输车辆',
  SAFETY_TRAINING: '开展驾驶员安全教育培训',
  RECTIFY_VIOLATIONS: '督促整改违章违法行为',
  DYNAMIC_MONITORING: '加强车辆动态监控',
  OTHER: '其他措施',
} as const;
export const CATEGORIES = {
  ILLEGAL: { label: '违法预警', items: ['超速行驶', '疲劳驾驶', '未按规定路线行驶'] },
  SMALL_MICRO: { label: '小微预警', items: ['车辆未按时年检', '从业人员资格证即将到期', '车辆保险即将到期'] },
  DISHONEST: { label: '失信', items: ['列入严重违法失信名单', '行政处罚决定未履行'] },
  MONITORING: { label: '监控预警', items: ['驾驶员未系安全带', '驾驶中使用手机', '疑似疲劳驾驶', '遮挡监控摄像头'] },
  POSITIONING: { label: '定位预警', items: ['卫星定位信号中断超过20分钟', '偏离备案线路行驶', '夜间2时至5时违规运行'] },
  VIOLATION: { label: '违章', items: ['闯红灯', '违法停车', '超速50%以上', '不按规定车道行驶'] },
} as const;
export type Category = keyof typeof CATEGORIES;

export const feedbackRequired = (level: Level) => level === 'RED' || level === 'ORANGE';

export interface Deps {
  db: Db;
  views: Views;
}

/**
 * The acting enterprise in scope (404 otherwise) with all its warnings and the one of `week` if
 * issued: from memory when kept (views.ts).
 */
async function inScope(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string) {
  const load = async (): Promise<Scoped> => (await store.subjectAndWarnings(deps.db, ctx.run, caller.account.uscc)) ?? { subject: null, warnings: [] };
  const { subject, warnings } = (await deps.views.scoped.get(ctx.run, caller.account.uscc, load))!;
  if (!subject) throw notInScope();
  return { subject, warnings, warning: warnings.find((w) => w.week === week) };
}

/** A filling enterprise's top-20 lists of a week (its bucket's vehicles): from memory when kept. */
const topVehiclesOf = (deps: Deps, run: string, seed: number, uscc: string, week: string) =>
  deps.views.vehicles.get(run, `top|${seed}|${uscc}|${week}`, () => store.topVehiclesFor(deps.db, run, seed, uscc, week)) as Promise<VehicleRisk[]>;

/** A transport enterprise's own vehicles with their levels of a week: from memory when kept. */
const ownVehiclesOf = (deps: Deps, run: string, seed: number, uscc: string, week: string) =>
  deps.views.vehicles.get(run, `own|${seed}|${uscc}|${week}`, () => store.vehiclesOf(deps.db, run, seed, uscc, week)) as Promise<VehicleRisk[]>;

const notInScope = () => notFound('NOT_IN_SCOPE', '该企业不在风险预警范围内');
/** A warning is acted on only once it was issued: also when a run's clock is set back before that. */
const notYetIssued = (action: string) => conflict('WARNING_NOT_YET_ISSUED', `该周期风险预警尚未发布，暂不能${action}`);
const noWarning = () => notFound('WARNING_NOT_FOUND', '该周期没有风险预警信息');

/** Red and orange feedback is due within the warning's week: at `at`, is that week over? */
const pastDue = (w: Warning, at: Date) => feedbackRequired(w.level) && addDays(w.week, 7) <= shanghaiDay(at);

function statusOf(w: Warning, ctx: RunContext) {
  const feedback = w.feedbackAt && (pastDue(w, w.feedbackAt) ? 'FED_BACK_LATE' : 'FED_BACK');
  const code = feedback || (pastDue(w, ctx.now) ? 'OVERDUE' : !w.signedAt ? 'UNSIGNED' : feedbackRequired(w.level) ? 'TO_RECTIFY' : 'SIGNED');
  return { code, label: STATUS_LABEL[code] };
}

const levelView = (level: Level) => ({ code: level, label: LEVEL_LABEL[level] });
const kindTitle = (subject: Subject) => (subject.kind === 'FILLING' ? '危险货物充装企业风险预警' : '运输企业风险预警');

/** A warning as the API answers it and the screens show it. */
export type WarningView = ReturnType<typeof warningView>;

function warningView(w: Warning, ctx: RunContext) {
  return {
    week: w.week,
    date: shanghaiTime(w.issuedAt),
    level: levelView(w.level),
    advice: w.kind === 'FILLING' ? FILLING_ADVICE : TRANSPORT_ADVICE[w.level],
    status: statusOf(w, ctx),
    signed: w.signedAt ? { at: shanghaiTime(w.signedAt), by: w.signedByName } : null,
    feedback: { required: feedbackRequired(w.level), dueBy: `${addDays(w.week, 6)} 23:59:59`, submittedAt: w.feedbackAt ? shanghaiTime(w.feedbackAt) : null },
  };
}

/** The acting enterprise in scope and its warning of `week`, or 404. */
async function warningOf(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string) {
  const { subject, warning } = await inScope(deps, ctx, caller, week);
  if (!warning) throw noWarning();
  return { subject, warning };
}

// D2 popup and search --------------------------------------------------------------------------

export async function popup(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  const uscc = caller.account.uscc;
  const week = mondayOf(ctx.now);
  const { subject, warning } = await inScope(deps, ctx, caller, week);
  const dismissed = async () =>
    Boolean(await deps.views.dismissed.get(ctx.run, `${caller.tokenHash}|${uscc}|${week}`, () => store.dismissed(deps.db, ctx.run, caller.tokenHash, uscc, week)));
  const show = Boolean(warning && !warning.signedAt && !(await dismissed()));
  return { show, ...(show && warning ? { title: kindTitle(subject), warning: warningView(warning, ctx), actions: ['查看', '稍后处理'] } : {}) };
}

/** [稍后处理]: gone for this login; the next login that week shows it again. */
export async function later(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  await store.dismiss(deps.db, ctx.run, caller.tokenHash, caller.account.uscc, mondayOf(ctx.now));
  deps.views.changed(ctx.run);
}

/** What search finds: the service's API path, and its page in the app. */
const SERVICES = [{ title: '风险预警', keywords: ['风险预警', '预警', '风险'], path: '/yst/v1/risk/warnings', page: '/yst/risk' }];

export function search(q: string) {
  return SERVICES.filter((s) => s.keywords.some((k) => q.includes(k) || k.includes(q))).map(({ title, path, page }) => ({ title, path, page }));
}

// D3 / D5 views, D4 vehicle detail -------------------------------------------------------------------

export async function overview(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  const { subject, warnings, warning: current } = await inScope(deps, ctx, caller, mondayOf(ctx.now));
  const base = {
    kind: { code: subject.kind, label: kindTitle(subject) },
    enterprise: { name: caller.account.enterpriseName, uscc: caller.account.uscc },
    periods: warnings.map((w) => ({ week: w.week, date: shanghaiTime(w.issuedAt), level: levelView(w.level), status: statusOf(w, ctx), signed: Boolean(w.signedAt) })),
  };
  if (subject.kind === 'TRANSPORT') return base;
  return { ...base, current: current ? warningView(current, ctx) : null, topVehicles: current ? await topVehicles(deps, ctx, caller, subject, current.week) : null };
}

async function topVehicles(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, subject: Subject, week: string) {
  const vehicles = await topVehiclesOf(deps, ctx.run, subject.seed, caller.account.uscc, week);
  const view = (inProvince: boolean) => vehicles.filter((v) => v.inProvince === inProvince).map((v) => ({ plate: v.plate, level: levelView(v.level) }));
  return { inProvince: view(true), outOfProvince: view(false) };
}

export async function period(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string) {
  const { subject, warning } = await warningOf(deps, ctx, caller, week);
  if (subject.kind === 'FILLING') return { warning: warningView(warning, ctx), topVehicles: await topVehicles(deps, ctx, caller, subject, week) };
  const uscc = caller.account.uscc;
  const counts = riskCounts(subject.seed, uscc, week, warning.level);
  const vehicles = await ownVehiclesOf(deps, ctx.run, subject.seed, uscc, week);
  return {
    warning: warningView(warning, ctx),
    enterpriseRisk: (Object.keys(CATEGORIES) as Category[]).map((c) => ({ category: c, label: CATEGORIES[c].label, count: counts[c] })),
    vehicles: vehicles.map((v) => ({ plate: v.plate, level: levelView(v.level) })),
  };
}

const riskCount = (rng: Rng, level: Level) => rng.int(0, { RED: 6, ORANGE: 4, YELLOW: 2, BLUE: 1 }[level]);

/** A transport enterprise's count per category of a week (D5), drawn from the world's seed: the same on every call, so kept once drawn. */
const countsDrawn = new Map<string, Record<Category, number>>();
function riskCounts(seed: number, uscc: string, week: string, level: Level): Record<Category, number> {
  const key = `${seed}|${uscc}|${week}|${level}`;
  let counts = countsDrawn.get(key);
  if (!counts) {
    const rng = new Rng(seed).child(`${uscc}|${week}`);
    counts = Object.fromEntries((Object.keys(CATEGORIES) as Category[]).map((c) => [c, riskCount(rng.child(c), level)])) as Record<Category, number>;
    if (countsDrawn.size >= 10_000) countsDrawn.clear();
    countsDrawn.set(key, counts);
  }
  return counts;
}

/** The entries behind one count: the same rng stream as the count, so the list always matches it. */
function riskEntries(rng: Rng, level: Level, category: Category, week: string, plates: string[]) {
  const count = riskCount(rng, level);
  return Array.from({ length: count }, () => {
    const at = new Date(Date.parse(`${week}T00:00:00+08:00`) + rng.int(0, 7 * 24 * 60 - 1) * 60_000);
    return { time: shanghaiTime(at), plate: plates.length ? rng.pick(plates) : null, description: rng.pick(CATEGORIES[category].items) };
  }).sort((a, b) => a.time.localeCompare(b.time));
}

export async function enterpriseRiskDetail(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string, category: Category) {
  const { subject, warning } = await inScope(deps, ctx, caller, week);
  if (subject.kind !== 'TRANSPORT') throw notFound('NOT_TRANSPORT', '仅运输企业有企业风险信息');
  if (!warning) throw noWarning();
  const uscc = caller.account.uscc;
  const plates = (await ownVehiclesOf(deps, ctx.run, subject.seed, uscc, week)).map((v) => v.plate);
  const rng = new Rng(subject.seed).child(`${uscc}|${week}`).child(category);
  return { category, label: CATEGORIES[category].label, entries: riskEntries(rng, warning.level, category, week, plates) };
}

/**
 * D4, through an enterprise the vehicle concerns (B9): a transport enterprise's own vehicle, or
 * one in a filling enterprise's top-20 lists of that week. Any other plate is "not found".
 */
export async function vehicleDetail(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, plate: string, week: string) {
  const { subject } = await warningOf(deps, ctx, caller, week);
  const vehicle =
    subject.kind === 'TRANSPORT'
      ? (await ownVehiclesOf(deps, ctx.run, subject.seed, caller.account.uscc, week)).find((v) => v.plate === plate)
      : (await topVehiclesOf(deps, ctx.run, subject.seed, caller.account.uscc, week)).find((v) => v.plate === plate);
  if (!vehicle) throw notFound('VEHICLE_NOT_FOUND', '未查询到该车辆');
  const rng = new Rng(subject.seed).child(`${plate}|${week}`);
  const risk = (c: Category) => ({ label: CATEGORIES[c].label, entries: riskEntries(rng.child(c), vehicle.level, c, week, []) });
  return {
    plate: vehicle.plate,
    owner: { name: vehicle.ownerName, uscc: vehicle.ownerUscc },
    level: levelView(vehicle.level),
    monitoring: risk('MONITORING'),
    positioning: risk('POSITIONING'),
    violation: risk('VIOLATION'),
  };
}

// D6 sign, D7 feedback ---------------------------------------------------------------------------------

export async function sign(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string) {
  const signed = await store.sign(deps.db, ctx.run, caller.account.uscc, week, { id: caller.person.id, name: caller.person.name }, ctx.now);
  if (!signed) throw notInScope();
  if (!signed.warning) throw noWarning();
  if (signed.warning.issuedAt > ctx.now) throw notYetIssued('签收');
  if (signed.signedNow) deps.views.changed(ctx.run);
  return { signedNow: signed.signedNow, warning: warningView(signed.warning, ctx) };
}

export async function feedbackView(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string) {
  await warningOf(deps, ctx, caller, week);
  const feedback = await store.findFeedback(deps.db, ctx.run, caller.account.uscc, week);
  if (!feedback) throw notFound('NO_FEEDBACK', '本期尚未填报预警反馈');
  return { ...feedback, measures: feedback.measures.map((code) => ({ code, label: MEASURES[code as keyof typeof MEASURES] })), submittedAt: shanghaiTime(feedback.submittedAt) };
}

export async function submitFeedback(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, week: string, feedback: store.Feedback) {
  const result = await store.insertFeedback(deps.db, ctx.run, caller.account.uscc, week, feedback, caller.person.id, ctx.now);
  if (!result) throw notInScope();
  if (!result.warning) throw noWarning();
  if (result.stored) deps.views.changed(ctx.run);
  if (!result.stored) {
    if (result.warning.issuedAt > ctx.now) throw notYetIssued('填报反馈');
    // Signed later on the run's clock (set back since) is not signed yet.
    if (!result.warning.signedAt || result.warning.signedAt > ctx.now) throw conflict('NOT_SIGNED', '请先签收预警信息');
    throw conflict('FEEDBACK_SUBMITTED', '本期预警反馈已提交');
  }
  return { warning: warningView(result.warning, ctx), feedback: result.stored };
}
