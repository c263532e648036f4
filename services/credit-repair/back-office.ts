// 信用监管综合系统 → 信用修复 (SPEC E4–E9): 我的待办, the listing records of the office's
// jurisdiction and [办理], the case's two tabs (信用修复申请信息, 信用修复审批表), and the steps:
// 受理 or 转办, 审核, 审批, each of which may refuse with a reason. Every step is a transition
// of the workflow table (workflow.ts), fired under the case's lock at the version the user saw.
import { randomUUID } from 'node:crypto';
import { shanghaiDay } from '../../kernel/clock.js';
import { inTransaction } from '../../kernel/db.js';
import { notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { findEnterprise } from '../world/store.js';
import type { CaseCaller, RecordCaller, StaffCaller } from './access.js';
import { officeOf } from './offices.js';
import type { Kind } from './rules.js';
import type { Deps } from './sessions.js';
import * as store from './store.js';
import { caseView, materialView, movedView, recordView, todoItem } from './views.js';
import { actionsFor, fire, transitionOf, WAITING, type Event, type State } from './workflow.js';
import { sendNotices } from './jobs.js';

export interface Paging {
  page: number;
  pageSize: number;
}

const window = (p: Paging) => ({ limit: p.pageSize, offset: (p.page - 1) * p.pageSize });

/** 我的待办: cases of the user's office waiting for a step one of their roles acts in (not those they acted on in another step). */
export async function todo(deps: Deps, ctx: RunContext, caller: StaffCaller, q: Paging & { acceptanceNo?: string; name?: string; kind?: Kind; status?: State; code?: string }) {
  const waiting = WAITING.filter((w) => w.roles.some((r) => caller.staff.roles.includes(r)));
  const found = await store.todo(deps.db, ctx.run, caller.staff, waiting, { acceptanceNo: q.acceptanceNo, name: q.name, kind: q.kind, state: q.status, code: q.code, ...window(q) });
  return { total: found.total, page: q.page, pageSize: q.pageSize, items: found.items.map((c) => todoItem(c, shanghaiDay(ctx.now))) };
}

/** 信用修复 → kind: the records the office listed, searched by code, reason, name (fuzzy), listing dates. */
export async function records(deps: Deps, ctx: RunContext, caller: StaffCaller, q: Paging & Omit<store.RecordSearch, 'limit' | 'offset'>) {
  const found = await store.searchRecords(deps.db, ctx.run, caller.staff.office, { ...q, ...window(q) });
  return { total: found.total, page: q.page, pageSize: q.pageSize, items: found.items.map(recordView) };
}

/** One record of the office's jurisdiction, as its listing shows it (before [办理]). */
export async function record(deps: Deps, ctx: RunContext, caller: RecordCaller) {
  return recordView((await store.findRecord(deps.db, ctx.run, caller.recordId))!);
}

/** [办理] on a record: a case opened by the office, waiting for its acceptance. */
export async function openCase(deps: Deps, ctx: RunContext, caller: RecordCaller) {
  const record = (await store.findRecord(deps.db, ctx.run, caller.recordId))!;
  const id = randomUUID();
  await inTransaction(deps.db, async (tx) => {
    await store.insertCase(tx, ctx.run, {
      id,
      kind: record.kind,
      uscc: record.uscc,
      registrationNo: record.registrationNo,
      subjectName: record.subjectName,
      origin: 'OFFICE',
      office: record.office,
      applicantMobile: null,
      verifiedName: null,
      verifiedIdNumber: null,
      recordIds: [record.id],
      now: ctx.now,
    });
    const kase = (await store.lockCase(tx, ctx.run, id))!;
    await fire(tx, ctx, kase, { event: 'OPEN', actor: { party: 'STAFF', staff: caller.staff }, version: kase.version });
  });
  return caseOf(deps, ctx, caller, id);
}

/** The case's two tabs, and what the user may do on it now. */
export async function caseOf(deps: Deps, ctx: RunContext, caller: StaffCaller, caseId: string) {
  const kase = await store.findCase(deps.db, ctx.run, caseId);
  if (!kase) throw notFound('CASE_NOT_FOUND', '未找到该业务');
  const [records, materials, log, enterprise] = await Promise.all([
    store.recordsOfCase(deps.db, ctx.run, kase.id),
    store.materialsOfCase(deps.db, ctx.run, kase.id),
    store.transitionsOf(deps.db, ctx.run, kase.id),
    findEnterprise(deps.db, ctx.run, kase.uscc),
  ]);
  const acted = [...new Set(log.filter((t) => t.staffId === caller.staff.id).map((t) => t.step))];
  return caseView(kase, { records, materials, log, legalRepName: enterprise?.legalRepName ?? null, actions: actionsFor(kase.state, caller.staff.roles, acted), today: shanghaiDay(ctx.now) });
}

/** One of the case's materials, with its content. */
export async function material(deps: Deps, ctx: RunContext, caller: CaseCaller, materialId: string) {
  const found = await store.readMaterial(deps.db, ctx.run, caller.case.id, materialId);
  if (!found) throw notFound('MATERIAL_NOT_FOUND', '未找到该材料');
  return { ...materialView(found), content: found.content.toString('base64') };
}

/** A step on the case: the workflow table decides whether it may happen now and what follows. */
export async function act(deps: Deps, ctx: RunContext, caller: CaseCaller, event: Event, input: { version: number; opinion?: string; reason?: string; toOffice?: string }) {
  const { moved, notice } = await inTransaction(deps.db, async (tx) => {
    const kase = (await store.lockCase(tx, ctx.run, caller.case.id))!;
    const toOffice = input.toOffice === undefined ? undefined : (officeOf(input.toOffice)?.code ?? input.toOffice);
    return { moved: await fire(tx, ctx, kase, { event, actor: { party: 'STAFF', staff: caller.staff }, ...input, toOffice }), notice: transitionOf(kase.state, event)?.notice };
  });
  // The SMS owed goes out now that the step is committed, with nothing held; one the gateway
  // refuses is left to the notices job, scheduled with the step.
  if (notice && moved.applicantMobile) await sendNotices(deps, ctx).catch(() => undefined);
  return movedView(moved);
}

/** Where a handler may transfer a case (转办): the other supervision offices of the same district bureau. */
export async function transferOffices(deps: Deps, ctx: RunContext, caller: StaffCaller) {
  return (await store.listOffices(deps.db, ctx.run, caller.bureau.code)).filter((o) => o.kind === 'STATION' && o.code !== caller.office.code).map((o) => ({ code: o.code, name: o.name }));
}
