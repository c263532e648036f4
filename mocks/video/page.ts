// The video call as a participant sees it: the room a video service hands out a link to (its
// `roomUrl`), with the reference it was opened for, whether it is still open, and each
// participant's line (通话中, 已挂断, 视频通话已中断). Read-only: joining and hanging up are the
// app's, through the provider's API, so that they are scripted and journaled as any other call.
// The app that opened the page passes `return` (its URL) to be sent back to.
import { anonymous } from '../../kernel/access.js';
import { AppError } from '../../kernel/errors.js';
import { html } from '../../kernel/html.js';
import type { Db } from '../../kernel/db.js';
import type { Live } from '../../kernel/live.js';
import { Pages } from '../../kernel/pages.js';
import { facts, table } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import { findRoom, roomPagePath, roomView } from './provider.js';

const returnUrl = z.url({ protocol: /^https?$/ }).max(2000).optional();

export function videoPages(deps: { db: Db; live: Live }): Pages {
  const pages = new Pages(deps.live, { app: '视频核查', layout: 'phone' });
  pages.page({
    path: roomPagePath(':roomId'),
    title: '视频核查',
    access: anonymous,
    params: z.object({ roomId: z.uuid() }),
    query: z.object({ return: returnUrl }),
    view: async ({ ctx, params, query }) => {
      const found = await findRoom({ db: deps.db, run: ctx.run, now: ctx.now, baseUrl: '' }, params.roomId);
      if (!found) throw new AppError(404, 'ROOM_NOT_FOUND', '视频房间不存在');
      const room = roomView(found, '');
      return html`<section class="card" aria-label="视频房间">
<div class="camera" aria-hidden="true">${room.status === 'OPEN' ? '▶' : '■'}</div>
${facts([['核查编号', room.reference], ['主持人', room.host.name], ['房间状态', room.label]], '视频房间')}
${table('参与人员', ['姓名', '状态'], room.participants.map((p) => [p.name, p.label]), '暂无人员接入')}
${query.return ? html`<a class="button primary" href="${query.return}">返回APP</a>` : ''}</section>`;
    },
  });
  return pages;
}
