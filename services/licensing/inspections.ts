// F5 the cloud inspection and F6 its outcome. The inspector starts it at the appointed time: a
// video room is created and the inspector joins (核查进行中). In the app the legal representative
// reads the 承诺书 and signs it, uploads the handler's photo, then joins the video. The inspector
// records each checklist item 符合 / 不符合 while both are on the call, and hangs up: every item
// 符合 → 核查通过, otherwise 企业修复中 with the 问题汇总.
//
// A dropped call: the room shows the line dropped; nothing is recorded while the enterprise is
// off the call; the legal representative joins again, or the inspector ends the inspection as
// not finished (核查未完成) and the application goes back to be appointed again.
//
// Provider calls are made with no transaction or connection held; what they lead to is written
// after, in one short transaction that checks again what may have changed meanwhile.
import { shanghaiTime } from '../../kernel/clock.js';
import { inTransaction } from '../../kernel/db.js';
import { AppError, conflict } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import type { EnterpriseCaller } from '../yueshangtong/access.js';
import { applicationIn, expectMove, parseImage, refusedMove, videoOf, type Deps } from './common.js';
import { CHECKLIST, COMMITMENT_LETTER, START_EARLY_MINUTES, type ChecklistCode } from './rules.js';
import * as store from './store.js';
import { applicationView } from './views.js';

const notInProgress = () => conflict('INSPECTION_NOT_IN_PROGRESS', '云核查未在进行中');

/** The application and its running cloud inspection. */
async function running(deps: Deps, ctx: RunContext, id: string, scope: store.Scope) {
  const application = await applicationIn(deps, ctx, id, scope);
  const inspection = application.status === 'IN_PROGRESS' ? await store.latestInspection(deps.db, ctx.run, id) : undefined;
  if (!inspection || inspection.status !== 'IN_PROGRESS' || !inspection.roomId) throw notInProgress();
  return { application, inspection, roomId: inspection.roomId };
}

// The authority ------------------------------------------------------------------------------------------------

/** Starts the inspection at the confirmed time: the room is created and the inspector joins it. */
export async function start(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, version: number) {
  const scope = { authority: officer.authority };
  const application = await applicationIn(deps, ctx, id, scope);
  await expectMove(deps, ctx, application, version, 'start');
  const at = application.appointmentAt!;
  if (ctx.now.getTime() < at.getTime() - START_EARLY_MINUTES * 60_000) throw conflict('INSPECTION_TOO_EARLY', `未到预约的核查时间（${shanghaiTime(at).slice(0, 16)}）`);
  const video = videoOf(deps);
  const room = await video.createRoom(ctx, application.number, { id: officer.idNumber, name: officer.name });
  try {
    await video.join(ctx, room.roomId, { id: officer.idNumber, name: officer.name });
    await inTransaction(deps.db, async (tx) => {
      if ((await store.move(tx, ctx.run, id, version, 'start', ctx.now)) === undefined) throw await refusedMove(deps, ctx, id, version, 'start');
      await store.insertInspection(
        tx,
        ctx.run,
        { applicationId: id, method: 'CLOUD', status: 'IN_PROGRESS', appointmentAt: at, roomId: room.roomId, officerId: officer.id, officerName: officer.name, note: null, now: ctx.now },
        CHECKLIST,
      );
    });
  } catch (error) {
    await video.end(ctx, room.roomId).catch(() => {}); // nobody will use it
    throw error;
  }
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The inspector joins the call again (after their own line dropped). */
export async function officerJoins(deps: Deps, ctx: RunContext, officer: store.Officer, id: string) {
  const scope = { authority: officer.authority };
  const { roomId } = await running(deps, ctx, id, scope);
  await videoOf(deps).join(ctx, roomId, { id: officer.idNumber, name: officer.name });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** One checklist item, recorded while the enterprise and the inspector are both on the call. */
export async function recordItem(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, code: ChecklistCode, input: { result: 'COMPLIANT' | 'NON_COMPLIANT'; note?: string | undefined }) {
  const scope = { authority: officer.authority };
  const { application, inspection, roomId } = await running(deps, ctx, id, scope);
  const room = await videoOf(deps).room(ctx, roomId);
  const line = (idNumber: string) => room.participants.find((p) => p.id === idNumber.toUpperCase())?.status;
  if (line(application.legalRepIdNumber) !== 'JOINED') throw conflict('ENTERPRISE_NOT_ON_CALL', '企业视频未接通，请等待企业重新接入，或结束核查（未完成）');
  if (line(officer.idNumber) !== 'JOINED') throw conflict('OFFICER_NOT_ON_CALL', '您不在视频通话中，请重新接入');
  if (!(await store.recordItem(deps.db, ctx.run, inspection.id, code, input.result, input.note ?? null, officer.name, ctx.now))) throw notInProgress();
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The inspector hangs up: the room ends and the outcome follows from the checklist (F6). */
export async function conclude(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, version: number) {
  const scope = { authority: officer.authority };
  const { application, inspection, roomId } = await running(deps, ctx, id, scope);
  await expectMove(deps, ctx, application, version, 'pass');
  const missing = inspection.checklist.filter((c) => !c.result);
  if (missing.length) throw new AppError(409, 'CHECKLIST_INCOMPLETE', `尚有${missing.length}项核查内容未记录`, { missing: missing.map((c) => c.code) });
  await videoOf(deps).end(ctx, roomId);
  await inTransaction(deps.db, async (tx) => {
    // The checklist as it stands under the inspection's lock: an item being recorded now is waited for.
    await store.lockInspection(tx, ctx.run, inspection.id);
    const items = (await store.latestInspection(tx, ctx.run, id))!.checklist;
    const problems = items.some((c) => c.result === 'NON_COMPLIANT');
    const moveName = problems ? 'findProblems' : 'pass';
    if ((await store.move(tx, ctx.run, id, version, moveName, ctx.now)) === undefined) throw await refusedMove(deps, ctx, id, version, moveName);
    await store.endInspection(tx, ctx.run, inspection.id, problems ? 'PROBLEMS' : 'PASSED', null, ctx.now);
  });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The inspection cannot be finished (a call that will not hold): back to be appointed again. */
export async function notFinished(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, input: { version: number; reason: string }) {
  const scope = { authority: officer.authority };
  const { application, inspection, roomId } = await running(deps, ctx, id, scope);
  await expectMove(deps, ctx, application, input.version, 'notFinished');
  await videoOf(deps).end(ctx, roomId);
  await inTransaction(deps.db, async (tx) => {
    if ((await store.move(tx, ctx.run, id, input.version, 'notFinished', ctx.now, null)) === undefined) throw await refusedMove(deps, ctx, id, input.version, 'notFinished');
    await store.endInspection(tx, ctx.run, inspection.id, 'UNFINISHED', input.reason, ctx.now);
    await store.settleProposal(tx, ctx.run, id, 'CANCELLED', { name: officer.name, channel: null, now: ctx.now });
  });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

// The enterprise, in the app (the legal representative) ------------------------------------------------------------

export async function commitmentLetter(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string) {
  const { application } = await running(deps, ctx, id, { uscc: caller.account.uscc });
  return { ...COMMITMENT_LETTER, enterprise: application.enterpriseName, number: application.number };
}

/** The 承诺书 signed, or the handler's photo: once per inspection each. */
export async function giveOnce(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string, kind: 'COMMITMENT_SIGNATURE' | 'HANDLER_PHOTO', input: { mimeType: string; data: string }) {
  const scope = { uscc: caller.account.uscc };
  const { inspection } = await running(deps, ctx, id, scope);
  const image = parseImage(input);
  const stored = await store.insertFiles(deps.db, ctx.run, [{ applicationId: id, inspectionId: inspection.id, problemId: null, kind, ...image, uploadedBy: caller.person.name, channel: 'APP' }], ctx.now);
  if (!stored) throw kind === 'COMMITMENT_SIGNATURE' ? conflict('ALREADY_SIGNED', '承诺书已签字确认') : conflict('HANDLER_PHOTO_GIVEN', '经办人照片已上传');
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The legal representative joins the call (or joins again after it dropped). */
export async function enterpriseJoins(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string) {
  const scope = { uscc: caller.account.uscc };
  const { inspection, roomId } = await running(deps, ctx, id, scope);
  if (!inspection.files.some((f) => f.kind === 'COMMITMENT_SIGNATURE')) throw conflict('COMMITMENT_NOT_SIGNED', '请先阅读承诺书并签字确认');
  if (!inspection.files.some((f) => f.kind === 'HANDLER_PHOTO')) throw conflict('HANDLER_PHOTO_MISSING', '请上传经办人照片');
  await videoOf(deps).join(ctx, roomId, { id: caller.person.idNumber, name: caller.person.name });
  await store.markEnterpriseJoined(deps.db, ctx.run, inspection.id, ctx.now);
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** [挂断] in the app. */
export async function enterpriseHangsUp(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string) {
  const scope = { uscc: caller.account.uscc };
  const { roomId } = await running(deps, ctx, id, scope);
  await videoOf(deps).leave(ctx, roomId, caller.person.idNumber);
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}
