// F7 整改: the enterprise signs first, in the app — also when it then rectifies on the web, which
// refuses until the app's signature exists. Then, per problem of the 问题汇总 (未整改 → 已整改),
// rectification photos and a note, submitted once; when every problem is submitted the cloud
// inspection ends (整改完成).
import { inTransaction } from '../../kernel/db.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import type { EnterpriseCaller } from '../yueshangtong/access.js';
import { applicationIn, parseImage, type Deps } from './common.js';
import { RECTIFICATION_PHOTOS } from './rules.js';
import * as store from './store.js';
import { applicationView } from './views.js';

/** The application being rectified and the inspection whose problems are listed. */
async function rectifying(deps: Deps, ctx: RunContext, id: string, scope: store.Scope) {
  const application = await applicationIn(deps, ctx, id, scope);
  const inspection = application.status === 'RECTIFYING' ? await store.latestInspection(deps.db, ctx.run, id) : undefined;
  if (!inspection || inspection.status !== 'PROBLEMS') throw conflict('NOT_RECTIFYING', '当前没有待整改的问题');
  return { application, inspection };
}

/** In the app: 整改前需先签字确认 (once). */
export async function sign(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string, image: { mimeType: string; data: string }) {
  const scope = { uscc: caller.account.uscc };
  const { inspection } = await rectifying(deps, ctx, id, scope);
  const signature = parseImage(image);
  const stored = await store.insertFiles(
    deps.db,
    ctx.run,
    [{ applicationId: id, inspectionId: inspection.id, problemId: null, kind: 'RECTIFICATION_SIGNATURE', ...signature, uploadedBy: caller.person.name, channel: 'APP' }],
    ctx.now,
  );
  if (!stored) throw conflict('ALREADY_SIGNED', '已签字确认');
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** One problem rectified (web or app): photos and a note; the last one ends the cloud inspection. */
export async function rectify(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, channel: store.Channel, id: string, problemId: string, input: { photos: { mimeType: string; data: string }[]; note: string }) {
  const scope = { uscc: caller.account.uscc };
  const { inspection } = await rectifying(deps, ctx, id, scope);
  if (!inspection.files.some((f) => f.kind === 'RECTIFICATION_SIGNATURE')) throw conflict('RECTIFICATION_NOT_SIGNED', '整改前请先在APP端签字确认');
  const problems = await store.problemsOf(deps.db, ctx.run, inspection.id);
  const problem = problems.find((p) => p.id === problemId);
  if (!problem) throw notFound('PROBLEM_NOT_FOUND', '未找到该问题');
  if (problem.status === 'RECTIFIED') throw conflict('PROBLEM_RECTIFIED', '该问题已提交整改');
  if (input.photos.length < RECTIFICATION_PHOTOS.min || input.photos.length > RECTIFICATION_PHOTOS.max)
    throw badRequest('INVALID_PHOTO_COUNT', `请上传${RECTIFICATION_PHOTOS.min}至${RECTIFICATION_PHOTOS.max}张整改图片`);
  const photos = input.photos.map(parseImage);
  await inTransaction(deps.db, async (tx) => {
    // Under the application's lock: two last problems submitted at once end the inspection once.
    const locked = await store.lockApplication(tx, ctx.run, id);
    if (!(await store.rectifyProblem(tx, ctx.run, problemId, { note: input.note, by: caller.person.name, channel, now: ctx.now }))) throw conflict('PROBLEM_RECTIFIED', '该问题已提交整改');
    await store.insertFiles(
      tx,
      ctx.run,
      photos.map((photo) => ({ applicationId: id, inspectionId: inspection.id, problemId, kind: 'RECTIFICATION_PHOTO' as const, ...photo, uploadedBy: caller.person.name, channel })),
      ctx.now,
    );
    if ((await store.openProblems(tx, ctx.run, id)) === 0 && locked) await store.move(tx, ctx.run, id, locked.version, 'rectified', ctx.now);
  });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}
