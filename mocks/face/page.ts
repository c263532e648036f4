// 粤信签 (the WeChat mini-program) as a page: what a person "faces" when an app starts a face
// session — who is being verified, a camera, and [开始人脸识别]. A manual tester chooses whose face
// is in front of the camera (the session's person, or someone else by ID number) and, if they
// like, an outcome of the outcome table for this one verification; the verification is the face
// provider's own `verify`, through invoke(): scripted, journaled and decided as over HTTP. The app
// that opened the page passes `return` (its URL) to be sent back to when the person is done.
import { setTimeout as sleep } from 'node:timers/promises';
import { anonymous } from '../../kernel/access.js';
import { AppError } from '../../kernel/errors.js';
import { html } from '../../kernel/html.js';
import { maskIdNumber, maskName } from '../../kernel/identifiers.js';
import type { Db } from '../../kernel/db.js';
import type { Live } from '../../kernel/live.js';
import { Pages } from '../../kernel/pages.js';
import { choice, field, form, submit } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import { invoke } from '../core/provider.js';
import { addScript } from '../core/store.js';
import { faceOutcomes, faceProvider, findSession, miniProgramPath, sessionNotFound } from './provider.js';

const STATUS_LABEL = { PENDING: '待验证', PASSED: '认证成功', FAILED: '认证失败' } as const;
const verify = faceProvider.operations.find((o) => o.name === 'verify')!;
/** Where to go back to: an http(s) URL, nothing else. */
const returnUrl = z.url({ protocol: /^https?$/ }).max(2000).optional();

export function facePages(deps: { db: Db; live: Live }): Pages {
  const pages = new Pages(deps.live, { app: '粤信签', layout: 'phone' });
  pages
    .page({
      path: miniProgramPath(':sessionId'),
      title: '粤信签',
      access: anonymous,
      params: z.object({ sessionId: z.uuid() }),
      query: z.object({ return: returnUrl }),
      view: async ({ ctx, params, query, values }) => {
        const session = await findSession({ db: deps.db, run: ctx.run, now: ctx.now, baseUrl: '' }, params.sessionId);
        if (!session) throw new AppError(404, sessionNotFound.body.code, sessionNotFound.body.message);
        const done = session.status !== 'PENDING';
        return html`<section class="card" aria-label="人脸识别验证">
<h2>人脸识别验证</h2>
<p>请 <strong>${maskName(session.name)}</strong>（${maskIdNumber(session.id_number)}）本人完成人脸识别</p>
<div class="camera" aria-hidden="true">${done ? (session.status === 'PASSED' ? '✓' : '✕') : '☺'}</div>
<p>验证状态：<strong role="status" aria-label="验证状态">${done ? session.message : STATUS_LABEL.PENDING}</strong></p>
${
  done
    ? query.return
      ? html`<a class="button primary" href="${query.return}">返回APP</a>`
      : html`<p>请返回APP继续办理</p>`
    : form(
        html`${query.return ? html`<input type="hidden" name="return" value="${query.return}">` : ''}${field({ label: '出镜人身份证号码', name: 'presentedIdNumber', hint: '留空：本人出镜' }, values)}
${choice({ label: '验证结果', name: 'outcome', options: [['', '按结果表（未设脚本即通过）'], ...Object.entries(faceOutcomes).map(([code, o]): [string, string] => [code, `${o.message}（${code}）`])] }, values)}
${submit('开始人脸识别')}`,
        { label: '人脸识别' },
      )
}</section>`;
      },
    })
    .action(
      'verify',
      z.object({ presentedIdNumber: z.string().max(40).optional(), outcome: z.enum(Object.keys(faceOutcomes) as [keyof typeof faceOutcomes]).optional(), return: returnUrl }),
      async ({ form, ctx, params }) => {
        const session = await findSession({ db: deps.db, run: ctx.run, now: ctx.now, baseUrl: '' }, params.sessionId);
        if (!session) throw new AppError(404, sessionNotFound.body.code, sessionNotFound.body.message);
        // An outcome chosen here is a script for this one verification, like one added in the console.
        if (form.outcome) await addScript(deps.db, { run: ctx.run, provider: 'face', subject: session.id_number, operation: 'verify', outcome: form.outcome }, deps.live);
        const call = { run: ctx.run, baseUrl: '', params: { sessionId: params.sessionId }, query: {}, body: form.presentedIdNumber ? { presentedIdNumber: form.presentedIdNumber } : {} };
        const { latencyMs, fault, reply } = await invoke(deps.db, faceProvider, verify, call, { live: deps.live });
        if (latencyMs) await sleep(latencyMs);
        if (fault) throw new AppError(503, 'PROVIDER_FAULT', '网络异常，请稍后重试');
        if (reply.status !== 200) {
          const refused = reply.body as { code: string; message: string };
          throw new AppError(reply.status, refused.code, refused.message);
        }
        return `${miniProgramPath(params.sessionId)}${form.return ? `?return=${encodeURIComponent(form.return)}` : ''}`;
      },
    );
  return pages;
}
