// The harness console: the control server's pages, for a person testing by hand. A run (chosen
// here, kept in the govsim-run cookie that every govsim server of the host reads), its clock (H1),
// the providers' outcome tables, scripts and journal (H2), an SMS inbox per mobile that updates
// itself (H3: htmx polls the page and swaps the inbox in), the run's footprint and jobs, the apps'
// pages and every API browser. It calls the same use-cases as the control API.
import { harness } from '../../kernel/access.js';
import { shanghaiTime } from '../../kernel/clock.js';
import { fieldError } from '../../kernel/fields.js';
import { html, type Markup } from '../../kernel/html.js';
import { RUN_KEY } from '../../kernel/http.js';
import { Pages } from '../../kernel/pages.js';
import { appList, serverList, type AppLink, type ServerLink } from '../../kernel/start-page.js';
import { choice, facts, field, form, submit, table } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import { scriptProvider } from '../../mocks/control.js';
import { clearScripts, FAULTS, listScripts, readJournal } from '../../mocks/core/store.js';
import { providers } from '../../mocks/index.js';
import { latestCode, readOutbox } from '../../mocks/sms/provider.js';
import { runFootprint } from '../../kernel/runs.js';
import { scheduledJobs } from '../../kernel/scheduler.js';
import { advanceRunClock, clockView, knownRuns, resetRunData, setRunClock, type HarnessDeps } from './run.js';

const CONSOLE = {
  home: '/',
  clock: '/console/clock',
  providers: '/console/providers',
  journal: '/console/journal',
  sms: '/console/sms',
  footprint: '/console/footprint',
  jobs: '/console/jobs',
};

const rule = (code: string, message: string) => ({ error: fieldError(code, message) });
const runKey = z.string(rule('INVALID_RUN_KEY', '请输入运行标识')).regex(RUN_KEY, rule('INVALID_RUN_KEY', '运行标识只能包含字母、数字和 _ . : -（最多 80 个字符）'));
const count = (code: string, message: string, max: number) => z.coerce.number(rule(code, message)).int(rule(code, message)).min(0, rule(code, message)).max(max, rule(code, message));
const optionalText = z.string().max(200).optional();

/** The same page polled every second, its element `id` swapped in (htmx): what makes the inbox and the journal live. */
const live = (id: string, url: string, content: Markup) =>
  html`<div id="${id}" hx-get="${url}" hx-trigger="every 1s" hx-select="#${id}" hx-swap="outerHTML">${content}</div>`;

const day = (at: Date) => shanghaiTime(at);

export function consolePages(deps: HarnessDeps, stack: { title: string; servers: () => ServerLink[]; apps: () => AppLink[] }): Pages[] {
  const { db } = deps;
  const pages = new Pages(deps.live, {
    app: stack.title,
    layout: 'desktop',
    home: CONSOLE.home,
    nav: [
      { label: '概览', path: CONSOLE.home },
      { label: '时钟', path: CONSOLE.clock },
      { label: '服务商脚本', path: CONSOLE.providers },
      { label: '调用日志', path: CONSOLE.journal },
      { label: '短信收件箱', path: CONSOLE.sms },
      { label: '数据足迹', path: CONSOLE.footprint },
      { label: '定时任务', path: CONSOLE.jobs },
    ],
  });

  // 概览: the run, the apps, the servers and their API browsers (H4, H6).
  pages
    .page({
      path: CONSOLE.home,
      title: stack.title,
      access: harness,
      view: async ({ ctx, values }) => {
        const runs = await knownRuns(db);
        return html`<div class="panels">
<section class="panel" aria-label="运行"><h2>运行</h2>
${facts([['当前运行', html`<code>${ctx.run}</code>`]])}
${form(html`<div class="row">${field({ label: '运行标识', name: 'run', placeholder: 'default' }, values)}${submit('切换运行', 'run')}</div>`, { label: '切换运行' })}
${form(submit('重置本运行', 'reset', 'plain'), { label: '重置本运行' })}
${table('最近设置过时钟的运行', ['运行', '时钟设置于', ''], runs.map((r) => [html`<code>${r.run}</code>`, day(r.setAt), form(html`<input type="hidden" name="run" value="${r.run}">${submit('使用', 'run', 'plain')}`)]))}
</section>
<section class="panel" aria-label="页面"><h2>页面</h2>${appList(stack.apps())}
<p>govsim 的页面按 <code>govsim-run</code> Cookie 选择运行：在此切换后，本机各服务的页面都用这个运行。</p></section>
<section class="panel" aria-label="API 浏览器"><h2>API 浏览器</h2>
<p>本服务：<a href="docs/">API browser</a> · <a href="openapi.json">openapi.json</a>（请求头 <code>x-govsim-run: ${ctx.run}</code>）</p>
${serverList(stack.servers())}</section>
</div>`;
      },
    })
    .action('run', z.object({ run: runKey }), async ({ form, cookies }) => {
      cookies.useRun(form.run);
      return CONSOLE.home;
    })
    .action('reset', z.object({}), async ({ ctx }) => {
      const deleted = await resetRunData(deps, ctx.run);
      return { notice: `已重置运行 ${ctx.run}：删除 ${Object.values(deleted).reduce((a, b) => a + b, 0)} 行` };
    });

  // 时钟 (H1): read, set, advance.
  pages
    .page({
      path: CONSOLE.clock,
      title: '时钟',
      access: harness,
      view: async ({ ctx, values }) => {
        const clock = clockView(await deps.live.clock(ctx.run));
        return html`<div class="panels">
<section class="panel" aria-label="运行时钟"><h2>运行时钟</h2>
${facts(
  [
    ['当前时间', clock.shanghai],
    ['日期', clock.day],
    ['ISO 时间', html`<code>${clock.now}</code>`],
    ['状态', clock.system ? '跟随真实时间（未设置）' : clock.running ? '走动' : '冻结'],
  ],
  '运行时钟',
)}</section>
<section class="panel"><h2>设置时间</h2>
${form(html`${field({ label: '时间（上海时间）', name: 'at', placeholder: '2027-01-01T09:00:00' }, values)}${choice({ label: '设置后', name: 'running', options: [['false', '冻结'], ['true', '走动']] }, values)}${submit('设置时间', 'set')}`, { label: '设置时间' })}
</section>
<section class="panel"><h2>快进</h2>
${form(html`${field({ label: '时长', name: 'by', placeholder: '90s、5m1s、3d、1w', hint: '单位：ms s m h d w' }, values)}${submit('快进', 'advance')}`, { label: '快进' })}
</section></div>`;
      },
    })
    .action('set', z.object({ at: z.string(rule('INVALID_TIME', '请输入时间')), running: z.enum(['true', 'false']).default('false') }), async ({ form, ctx }) => {
      const clock = await setRunClock(deps, ctx.run, form.at, form.running === 'true');
      return { notice: `时钟已设为 ${clock.shanghai}` };
    })
    .action('advance', z.object({ by: z.string(rule('INVALID_DURATION', '请输入时长')) }), async ({ form, ctx }) => {
      const clock = await advanceRunClock(deps, ctx.run, /^\d+$/.test(form.by) ? Number(form.by) : form.by);
      return { notice: `时钟已快进到 ${clock.shanghai}` };
    });

  // 服务商脚本 (H2): each provider's outcome table, its scripts, a form to add one, a button to clear them.
  pages
    .page({
      path: CONSOLE.providers,
      title: '服务商脚本',
      access: harness,
      view: async ({ ctx, values }) => {
        const sections = await Promise.all(
          providers.map(async (p) => {
            const scripts = await listScripts(db, ctx.run, p.name);
            const mine = values.provider === p.name ? values : {};
            return html`<section class="panel" aria-label="${p.name}"><h2>${p.title} <code>${p.name}</code></h2>
${table('结果表', ['结果', '提示', '说明'], Object.entries(p.outcomes).map(([code, o]) => [html`<code>${code}</code>`, o.message, o.description]))}
${table('脚本', ['对象', '操作', '结果', '故障', '延迟', '剩余次数'], scripts.map((s) => [s.subject, s.operation ?? '任意', s.outcome ?? '—', s.fault ?? '—', `${s.latency_ms} ms`, s.remaining]), '没有脚本：按正常流程应答')}
${form(
  html`<input type="hidden" name="provider" value="${p.name}">
${field({ label: '对象（身份证号码或手机号码）', name: 'subject' }, mine)}
<div class="row">${choice({ label: '结果', name: 'outcome', options: [['', '不指定'], ...Object.entries(p.outcomes).map(([code, o]): [string, string] => [code, `${code} ${o.message}`])] }, mine)}
${choice({ label: '故障', name: 'fault', options: [['', '无'], ...FAULTS.map((f): [string, string] => [f, f])] }, mine)}</div>
<div class="row">${field({ label: '延迟（毫秒）', name: 'latencyMs', inputmode: 'numeric' }, mine)}${field({ label: '次数', name: 'times', value: '1', inputmode: 'numeric' }, mine)}
${choice({ label: '操作', name: 'operation', options: [['', '任意'], ...p.operations.filter((o) => !o.passive).map((o): [string, string] => [o.name, o.name])] }, mine)}</div>
${submit('添加脚本', 'script')} ${submit('清除脚本', 'clear', 'plain')}`,
  { label: '添加脚本' },
)}</section>`;
          }),
        );
        return html`<div class="panels">${sections}</div>`;
      },
    })
    .action(
      'script',
      z.object({
        provider: z.string(),
        subject: z.string(rule('INVALID_SUBJECT', '请输入身份证号码或手机号码')).max(40),
        outcome: optionalText,
        fault: z.enum(FAULTS).optional(),
        latencyMs: count('INVALID_LATENCY', '延迟须为 0 至 60000 毫秒', 60_000).optional(),
        times: count('INVALID_TIMES', '次数须为 1 至 1000', 1000).min(1, rule('INVALID_TIMES', '次数须为 1 至 1000')).optional(),
        operation: optionalText,
      }),
      async ({ form, ctx }) => {
        const { provider, ...script } = form;
        const added = await scriptProvider({ ...deps, providers }, ctx.run, provider, script);
        return { notice: `已为 ${added.subject} 添加 ${added.provider} 脚本（${added.remaining} 次）` };
      },
    )
    .action('clear', z.object({ provider: z.string() }), async ({ form, ctx }) => {
      const gone = await clearScripts(db, ctx.run, form.provider, undefined, deps.live);
      return { notice: `已清除 ${form.provider} 的 ${gone} 条脚本` };
    });

  // 调用日志 (H2): every provider call of the run, newest first, filtered; updates itself.
  pages.page({
    path: CONSOLE.journal,
    title: '调用日志',
    access: harness,
    query: z.object({ provider: optionalText, subject: optionalText }),
    view: async ({ ctx, query }) => {
      const filter = { provider: query.provider || undefined, subject: query.subject || undefined };
      const calls = (await readJournal(db, { run: ctx.run, ...filter })) as { provider: string; operation: string; subject: string | null; outcome: string | null; fault: string | null; latencyMs: number; status: number | null; at: Date }[];
      const self = `${CONSOLE.journal}?${new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])))}`;
      return html`<form method="get" aria-label="筛选调用日志" class="row">
${choice({ label: '服务商', name: 'provider', options: [['', '全部'], ...providers.map((p): [string, string] => [p.name, p.title])], value: filter.provider })}
${field({ label: '对象', name: 'subject', value: filter.subject })}<button type="submit" class="plain">筛选</button></form>
${live('journal', self, table('调用日志', ['时间', '服务商', '操作', '对象', '结果', '故障', '延迟', '状态'], calls.reverse().map((c) => [day(c.at), c.provider, c.operation, c.subject ?? '—', c.outcome ?? '—', c.fault ?? '—', `${c.latencyMs} ms`, c.status ?? '—']), '本运行还没有调用服务商'))}`;
    },
  });

  // 短信收件箱 (H3): the mobiles that received messages; the chosen one's messages, newest first, its latest code highlighted; live.
  pages.page({
    path: CONSOLE.sms,
    title: '短信收件箱',
    access: harness,
    query: z.object({ mobile: optionalText }),
    view: async ({ ctx, query }) => {
      const messages = await readOutbox(db, ctx.run);
      const mobiles = [...new Set(messages.map((m) => m.mobile))];
      const chosen = query.mobile || mobiles[0];
      const shown = messages.filter((m) => m.mobile === chosen).reverse();
      const code = chosen ? await latestCode(db, ctx.run, chosen) : undefined;
      const self = chosen ? `${CONSOLE.sms}?mobile=${encodeURIComponent(chosen)}` : CONSOLE.sms;
      return html`<form method="get" aria-label="查看手机号" class="row">${field({ label: '手机号码', name: 'mobile', value: chosen, inputmode: 'tel' })}<button type="submit" class="plain">查看</button></form>
${live(
  'sms-inbox',
  self,
  html`<div class="inbox"><nav aria-label="手机号"><ul class="mobiles">${mobiles.map((m) => html`<li><a href="${CONSOLE.sms}?mobile=${m}"${m === chosen ? html` aria-current="page"` : ''}>${m} <span class="tag">${messages.filter((x) => x.mobile === m).length}</span></a></li>`)}</ul></nav>
<section aria-label="${chosen ? `${chosen} 的短信` : '短信'}">
${code ? html`<div class="latest"><span>最新验证码</span><output aria-label="最新验证码">${code.code}</output><small>${day(code.message.sentAt)}</small></div>` : ''}
${shown.length ? html`<ul class="messages" aria-label="短信">${shown.map((m) => html`<li><time>${day(m.sentAt)}</time><p>${m.text}</p></li>`)}</ul>` : html`<p>暂无短信</p>`}
</section></div>`,
)}`;
    },
  });

  // 数据足迹 and 定时任务: what the run holds, what is due on its clock (H4, H5).
  pages.page({
    path: CONSOLE.footprint,
    title: '数据足迹',
    access: harness,
    view: async ({ ctx }) => table('本运行的数据（行数）', ['表', '行数'], Object.entries(await runFootprint(db, ctx.run)).map(([t, n]) => [html`<code>${t}</code>`, n]), '本运行没有数据'),
  });
  pages.page({
    path: CONSOLE.jobs,
    title: '定时任务',
    access: harness,
    view: async ({ ctx }) =>
      html`${table('本运行的定时任务', ['任务', '下次到期（运行时钟）', '状态'], (await scheduledJobs(db, ctx.run)).map((j) => [html`<code>${j.job}</code>`, day(j.dueAt), j.running ? '运行中' : j.due ? '已到期' : '等待']), '本运行没有待办任务')}
<p>立即运行任务：控制 API 的 <code>/harness/v1/jobs/…</code>（见 <a href="/docs/">API browser</a>）。</p>`,
  });
  return [pages];
}
