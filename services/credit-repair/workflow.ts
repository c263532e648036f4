// The 信用修复 workflow as one table: (state, event) → next state, the step it belongs to, who may
// fire it, the guards it must pass and what else it does. The kernel's access reads the table (who
// may act on a case in its state), the to-do list reads it (what waits for whom), and `fire` is
// the only way a case moves: under the case's row lock, at the version its actor saw, checked
// against the guards, logged in credit_transitions in the same transaction.
import type { PoolClient } from 'pg';
import { addDays, fromShanghai, shanghaiDay } from '../../kernel/clock.js';
import { AppError, conflict, forbidden } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { scheduleJob } from '../../kernel/scheduler.js';
import { KINDS, MATERIAL_TYPES, REQUIRED_MATERIALS, ROLE_LABEL, type Kind, type Role } from './rules.js';
import * as store from './store.js';

export const STATE_LABEL = {
  NEW: '新建',
  DRAFT: '未提交',
  PENDING_ACCEPTANCE: '待受理',
  PENDING_REVIEW: '待审核',
  PENDING_APPROVAL: '待审批',
  REPAIRED: '已办结',
  REFUSED: '不予修复',
} as const;
export type State = keyof typeof STATE_LABEL;
export const STATES = Object.keys(STATE_LABEL) as State[];
/** States a case is under way in (its records held, its deadline running). */
export const OPEN_STATES: readonly State[] = ['PENDING_ACCEPTANCE', 'PENDING_REVIEW', 'PENDING_APPROVAL'];

export const EVENT_LABEL = {
  START: '移出申请',
  SUBMIT: '提交申请',
  OPEN: '办理',
  ACCEPT: '受理',
  TRANSFER: '转办',
  REVIEW: '审核通过',
  APPROVE: '审批通过',
  REFUSE: '不予通过',
} as const;
export type Event = keyof typeof EVENT_LABEL;

export const STEP_LABEL = { APPLY: '申请', ACCEPTANCE: '受理', REVIEW: '审核', APPROVAL: '审批' } as const;
export type Step = keyof typeof STEP_LABEL;

/** Who fires a transition: the applicant on 广州企业一网通, or a back-office role of the case's office. */
export type Party = 'APPLICANT' | Role;
export const PARTY_LABEL: Record<Party, string> = { APPLICANT: '申请人', ...ROLE_LABEL };

export type GuardName = 'recordsListed' | 'recordsFree' | 'eligible' | 'materialsComplete' | 'separateSteps' | 'sameBureau';
export type Effect = 'register' | 'holdRecords' | 'moveOffice' | 'releaseRecords' | 'repairRecords';
export type Notice = 'ACCEPTED' | 'REPAIRED' | 'REFUSED';

export interface Transition {
  from: State;
  event: Event;
  to: State;
  step: Step;
  by: readonly Party[];
  guards: readonly GuardName[];
  effects: readonly Effect[];
  /** The SMS the applicant is sent. */
  notice?: Notice;
}

export const TRANSITIONS: readonly Transition[] = [
  // 广州企业一网通: 移出申请 makes a draft; 提交 registers it (受理编号) with the listing office.
  { from: 'NEW', event: 'START', to: 'DRAFT', step: 'APPLY', by: ['APPLICANT'], guards: ['recordsListed', 'recordsFree', 'eligible'], effects: [] },
  { from: 'DRAFT', event: 'SUBMIT', to: 'PENDING_ACCEPTANCE', step: 'APPLY', by: ['APPLICANT'], guards: ['recordsListed', 'eligible', 'materialsComplete'], effects: ['register', 'holdRecords'] },
  // 审批端直接受理: a handler opens a case from a record of the office's jurisdiction.
  { from: 'NEW', event: 'OPEN', to: 'PENDING_ACCEPTANCE', step: 'ACCEPTANCE', by: ['HANDLER'], guards: ['recordsListed', 'eligible'], effects: ['register', 'holdRecords'] },
  { from: 'PENDING_ACCEPTANCE', event: 'ACCEPT', to: 'PENDING_REVIEW', step: 'ACCEPTANCE', by: ['HANDLER'], guards: ['separateSteps'], effects: [], notice: 'ACCEPTED' },
  { from: 'PENDING_ACCEPTANCE', event: 'TRANSFER', to: 'PENDING_ACCEPTANCE', step: 'ACCEPTANCE', by: ['HANDLER'], guards: ['separateSteps', 'sameBureau'], effects: ['moveOffice'] },
  { from: 'PENDING_ACCEPTANCE', event: 'REFUSE', to: 'REFUSED', step: 'ACCEPTANCE', by: ['HANDLER'], guards: ['separateSteps'], effects: ['releaseRecords'], notice: 'REFUSED' },
  { from: 'PENDING_REVIEW', event: 'REVIEW', to: 'PENDING_APPROVAL', step: 'REVIEW', by: ['REVIEWER'], guards: ['separateSteps'], effects: [] },
  { from: 'PENDING_REVIEW', event: 'REFUSE', to: 'REFUSED', step: 'REVIEW', by: ['REVIEWER'], guards: ['separateSteps'], effects: ['releaseRecords'], notice: 'REFUSED' },
  { from: 'PENDING_APPROVAL', event: 'APPROVE', to: 'REPAIRED', step: 'APPROVAL', by: ['APPROVER'], guards: ['separateSteps', 'recordsListed'], effects: ['repairRecords', 'releaseRecords'], notice: 'REPAIRED' },
  { from: 'PENDING_APPROVAL', event: 'REFUSE', to: 'REFUSED', step: 'APPROVAL', by: ['APPROVER'], guards: ['separateSteps'], effects: ['releaseRecords'], notice: 'REFUSED' },
];

export const transitionOf = (state: State, event: Event) => TRANSITIONS.find((t) => t.from === state && t.event === event);

/** Who may fire `event` on a case in `state`; where the state has no such transition, whoever may fire it in some state. */
export function partiesFor(event: Event, state?: State): readonly Party[] {
  const here = state && transitionOf(state, event);
  return here ? here.by : [...new Set(TRANSITIONS.filter((t) => t.event === event).flatMap((t) => t.by))];
}

/** The step a back-office event on a case in `state` belongs to (undefined where the state has no such transition). */
export const stepFor = (event: Event, state: State): Step | undefined => transitionOf(state, event)?.step;

/** The back-office step each open state waits for, and the roles that act in it (the to-do list). */
export const WAITING: readonly { state: State; step: Step; roles: readonly Role[] }[] = OPEN_STATES.map((state) => {
  const moves = TRANSITIONS.filter((t) => t.from === state);
  const steps = [...new Set(moves.map((t) => t.step))];
  if (steps.length !== 1) throw new Error(`state ${state} waits for more than one step`);
  return { state, step: steps[0]!, roles: [...new Set(moves.flatMap((t) => t.by))].filter((p): p is Role => p !== 'APPLICANT') };
});

/** What a back-office user may do now on a case: the events of its state their roles allow, unless they acted in another step. */
export function actionsFor(state: State, roles: readonly Role[], acted: readonly Step[]): Event[] {
  return TRANSITIONS.filter((t) => t.from === state && t.by.some((p) => (roles as readonly string[]).includes(p)) && acted.every((s) => s === t.step)).map((t) => t.event);
}

export const separationRefusal = () => forbidden('ROLE_SEPARATION', '同一人员不得办理同一业务的多个环节');
export const roleRefusal = () => forbidden('ROLE_NOT_ALLOWED', '您没有办理该环节的权限');

// Firing ---------------------------------------------------------------------------------------

export type Actor = { party: 'APPLICANT'; name: string } | { party: 'STAFF'; staff: store.StaffRow };

export interface Act {
  event: Event;
  actor: Actor;
  /** The version the actor saw (a case just made: its first). */
  version: number;
  opinion?: string | undefined;
  reason?: string | undefined;
  /** TRANSFER: the office it goes to. */
  toOffice?: string | undefined;
}

interface GuardInput {
  tx: PoolClient;
  ctx: RunContext;
  kase: store.CaseRow;
  act: Act;
  transition: Transition;
}

const monthsBetween = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
};

/** Whether a listed record may leave its list today: long enough on it, its cause cured (办法 第七、八条). */
export function eligibility(record: Pick<store.RecordRow, 'kind' | 'listedOn' | 'curedOn' | 'reason'>, today: string): AppError | undefined {
  const rules = KINDS[record.kind as Kind];
  // Kinds with no time on the list to serve have nothing to wait for, even on a clock set back before the listing.
  if (rules.minMonthsListed > 0 && monthsBetween(record.listedOn, today) < rules.minMonthsListed) {
    return conflict('NOT_YET_ELIGIBLE', `列入${rules.label}满${rules.minMonthsListed / 12}年后方可申请提前移出`);
  }
  if (!record.curedOn || record.curedOn > today) {
    const cure = rules.reasons.find((r) => r.code === record.reason)?.cure ?? '消除列入事由';
    return conflict('CAUSE_NOT_CURED', `列入事由尚未消除，请先${cure}`);
  }
  return undefined;
}

const GUARDS: Record<GuardName, (g: GuardInput) => Promise<AppError | undefined>> = {
  async recordsListed({ tx, ctx, kase }) {
    const records = await store.recordsOfCase(tx, ctx.run, kase.id);
    return records.every((r) => r.status === 'LISTED') ? undefined : conflict('RECORD_NOT_LISTED', '该列入信息已移出，无需修复');
  },
  async recordsFree({ tx, ctx, kase }) {
    return (await store.heldElsewhere(tx, ctx.run, kase.id)) ? recordHeld() : undefined;
  },
  async eligible({ tx, ctx, kase }) {
    const today = shanghaiDay(ctx.now);
    for (const record of await store.recordsOfCase(tx, ctx.run, kase.id)) {
      const refusal = eligibility(record, today);
      if (refusal) return refusal;
    }
    return undefined;
  },
  async materialsComplete({ tx, ctx, kase }) {
    const have = new Set(await store.materialTypesOfCase(tx, ctx.run, kase.id));
    const missing = REQUIRED_MATERIALS.filter((t) => !have.has(t));
    return missing.length ? conflict('MATERIALS_MISSING', `请上传以下材料：${missing.map((t) => MATERIAL_TYPES[t]).join('、')}`) : undefined;
  },
  async separateSteps({ tx, ctx, kase, act, transition }) {
    if (act.actor.party !== 'STAFF') return undefined;
    const acted = await store.stepsActed(tx, ctx.run, kase.id, act.actor.staff.id);
    return acted.every((s) => s === transition.step) ? undefined : separationRefusal();
  },
  async sameBureau({ tx, ctx, kase, act }) {
    const target = act.toOffice ? await store.findOffice(tx, ctx.run, act.toOffice) : undefined;
    const here = await store.findOffice(tx, ctx.run, kase.office);
    if (!target || target.kind !== 'STATION' || target.code === kase.office || target.bureau !== here?.bureau) {
      return badTransfer();
    }
    return undefined;
  },
};

export const recordHeld = () => conflict('RECORD_IN_CASE', '该列入信息已在办理信用修复，请勿重复申请');
export const badTransfer = () => new AppError(400, 'TRANSFER_NOT_ALLOWED', '转办机关只能选择同区局的其他监管所');
export const versionConflict = () => conflict('VERSION_CONFLICT', '该业务已被他人处理，请刷新后重试');

/**
 * Moves a case locked by the caller's transaction (store.lockCase): the version the actor saw,
 * the table's transition for its state, the actor's party, the guards; then the new state and
 * version, the log entry, the effects and the SMS owed, all in `tx`.
 */
export async function fire(tx: PoolClient, ctx: RunContext, kase: store.CaseRow, act: Act): Promise<store.CaseRow> {
  if (kase.version !== act.version) throw versionConflict();
  const transition = transitionOf(kase.state, act.event);
  if (!transition) throw conflict('INVALID_STATE', `该业务当前为“${STATE_LABEL[kase.state]}”，不能${EVENT_LABEL[act.event]}`);
  const actor = act.actor;
  const party: Party | undefined = actor.party === 'APPLICANT' ? 'APPLICANT' : transition.by.find((p) => (actor.staff.roles as readonly string[]).includes(p));
  if (!party || !transition.by.includes(party)) throw roleRefusal();
  for (const name of transition.guards) {
    const refusal = await GUARDS[name]({ tx, ctx, kase, act, transition });
    if (refusal) throw refusal;
  }

  const today = shanghaiDay(ctx.now);
  const rules = KINDS[kase.kind];
  let registered: { acceptanceNo: string; receivedOn: string } | undefined;
  if (transition.effects.includes('register')) registered = { acceptanceNo: await store.nextAcceptanceNo(tx, ctx.run, today), receivedOn: today };
  const moved = await store.moveCase(tx, ctx.run, kase.id, {
    version: kase.version,
    to: transition.to,
    office: transition.effects.includes('moveOffice') ? act.toOffice! : kase.office,
    registered: registered && { ...registered, decisionDays: rules.decisionDays },
    closedAt: transition.to === 'REPAIRED' || transition.to === 'REFUSED' ? ctx.now : null,
  });
  if (!moved) throw versionConflict();
  const staff = actor.party === 'STAFF' ? actor.staff : undefined;
  await store.appendTransition(tx, ctx.run, {
    caseId: kase.id,
    seq: moved.version,
    event: act.event,
    from: kase.state,
    to: transition.to,
    step: transition.step,
    party,
    staffId: staff?.id ?? null,
    actorName: actor.party === 'STAFF' ? actor.staff.name : actor.name,
    office: staff ? kase.office : null,
    toOffice: transition.effects.includes('moveOffice') ? act.toOffice! : null,
    opinion: act.opinion ?? null,
    reason: act.reason ?? null,
    at: ctx.now,
  });

  for (const effect of transition.effects) {
    if (effect === 'holdRecords') await store.holdRecords(tx, ctx.run, kase.id).catch((error) => Promise.reject(error instanceof store.RecordHeld ? recordHeld() : error));
    if (effect === 'releaseRecords') await store.releaseRecords(tx, ctx.run, kase.id);
    if (effect === 'repairRecords') await store.repairRecords(tx, ctx.run, kase.id, today, rules.repairWord);
  }
  // The deadline's overdue flag falls due the day after it (a job of the scheduler).
  if (registered && moved.dueOn) await scheduleJob(tx, ctx.run, JOBS.overdue, fromShanghai(addDays(moved.dueOn, 1)));
  if (transition.notice && moved.applicantMobile) {
    await store.insertNotice(tx, ctx.run, { caseId: kase.id, event: transition.notice, mobile: moved.applicantMobile, text: noticeText(transition.notice, moved, act, today), now: ctx.now });
    await scheduleJob(tx, ctx.run, JOBS.notices, ctx.now);
  }
  return moved;
}

export const JOBS = { notices: 'credit-repair.notices', overdue: 'credit-repair.overdue' } as const;

const SENDER = '【广州市市场监督管理局】';

function noticeText(notice: Notice, kase: store.CaseRow, act: Act, today: string): string {
  const rules = KINDS[kase.kind];
  const what = `您提交的${rules.service}申请（受理编号：${kase.acceptanceNo}）`;
  switch (notice) {
    case 'ACCEPTED':
      return `${SENDER}${what}已受理，将于${kase.dueOn}前办结。`;
    case 'REPAIRED':
      return `${SENDER}${what}已办结，${kase.subjectName}于${today}${rules.repairedLabel === '已移出' ? `移出${rules.label}` : '恢复正常记载状态'}。`;
    case 'REFUSED':
      return `${SENDER}${what}未通过，原因：${act.reason}。`;
  }
}
