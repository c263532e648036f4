// The 信用监管综合系统's screens for 信用修复 (SPEC E4–E9, desktop, with the menu), served beside its
// API and calling the same use-cases: 登录 (手机号码 + 验证码), 首页 (the user, their 监管所 and
// 区局, their roles), 我的待办 (search, paging, [办理]), one menu entry per kind (信用修复 → the
// office's listing records, searched, each with [办理]), the case's two tabs — 信用修复申请信息
// (subject, applicant, records, materials) → [确定] → 信用修复审批表 (the steps taken, the
// transfers) with the forms of the steps the user may take: 受理 / 转办 / 审核 / 审批, each with
// 不予通过 — and each material as uploaded. Each step's form posts to a page declared with that
// step's access, as its API route is. The session is the `gzxyjg-session` cookie, resolved by the
// same access declarations as the API's bearer token.
import { uuid } from '../../kernel/fields.js';
import { html, type Markup } from '../../kernel/html.js';
import type { RunContext } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { formNumber, Pages } from '../../kernel/pages.js';
import { choice, facts, field, form, hidden, pager, searchForm, submit, table, smsCodeLogin } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import type { BackOfficeAccess, CaseCaller } from './access.js';
import * as backOffice from './back-office.js';
import { KIND_CODES, KINDS, type Kind } from './rules.js';
import * as sessions from './sessions.js';
import { kind, RECORDS_QUERY, STEP_BODIES, TODO_QUERY, version } from './routes.js';
import { OPEN_STATES, STATE_LABEL, type Event } from './workflow.js';

export const GZXYJG_PAGES = {
  login: '/gzxyjg/',
  home: '/gzxyjg/home',
  todo: '/gzxyjg/todo',
  records: (kind: string) => `/gzxyjg/credit-repair/${kind}`,
  record: (recordId: string) => `/gzxyjg/records/${recordId}`,
  case: (caseId: string) => `/gzxyjg/cases/${caseId}`,
  approvalForm: (caseId: string) => `/gzxyjg/cases/${caseId}/approval-form`,
  step: (caseId: string, step: string) => `/gzxyjg/cases/${caseId}/${step}`,
  material: (caseId: string, materialId: string) => `/gzxyjg/cases/${caseId}/materials/${materialId}`,
};

/** The menu's name of a kind's business: 信用修复 → 企业经营异常名录信用修复管理. */
export const menuLabel = (k: Kind) => `${KINDS[k].service}管理`;

/** The steps a case's forms take, each posted to a page of its own (the path of its API route). */
const STEPS = [
  { event: 'ACCEPT', path: 'acceptance', label: '受理' },
  { event: 'TRANSFER', path: 'transfer', label: '转办' },
  { event: 'REVIEW', path: 'review', label: '审核' },
  { event: 'APPROVE', path: 'approval', label: '审批' },
  { event: 'REFUSE', path: 'refusal', label: '不予通过' },
] as const satisfies readonly { event: Event; path: string; label: string }[];
type StepEvent = (typeof STEPS)[number]['event'];

/** The version of the case the page showed (a hidden field, text): the API's field, once a number. */
const seenVersion = z.preprocess(formNumber, version);

/** A search's query as the search form sends it: an empty field is no value (as in a posted form). */
const searched = <T extends z.ZodType>(schema: T) =>
  z.preprocess((q) => (q && typeof q === 'object' ? Object.fromEntries(Object.entries(q).filter(([, v]) => v !== '')) : q), schema);

const queryString = (q: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(q).flatMap(([k, v]): [string, string][] => (v === undefined || v === null || v === '' ? [] : [[k, String(v)]]))).toString();

/** The query's values as the search form shows them again. */
const shown = (q: Record<string, unknown>) => Object.fromEntries(Object.entries(q).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])));

const ALL: [string, string] = ['', '全部'];

const overdueLabel = (overdue: boolean, since: string | null) => (overdue ? `已超期${since ? `（${since}起）` : ''}` : '未超期');

export function backOfficePages(deps: sessions.Deps & { live: Live; access: BackOfficeAccess }): Pages {
  const staff = deps.access;
  const pages = new Pages(deps.live, {
    app: '广州市市场监督管理局信用监管综合系统',
    layout: 'desktop',
    home: GZXYJG_PAGES.login,
    session: { cookie: 'gzxyjg-session', path: '/gzxyjg' },
    redirects: { NOT_LOGGED_IN: GZXYJG_PAGES.login },
    nav: [
      { label: '首页', path: GZXYJG_PAGES.home },
      { label: '我的待办', path: GZXYJG_PAGES.todo },
      ...KIND_CODES.map((k) => ({ label: menuLabel(k), path: GZXYJG_PAGES.records(k) })),
    ],
  });

  // E4: 手机号码 → [获取验证码] → 验证码 → [登录].
  smsCodeLogin(pages, { path: GZXYJG_PAGES.login, title: '登录', formLabel: '登录', next: GZXYJG_PAGES.home }, (ctx, m) => sessions.sendStaffCode(deps, ctx, m), (ctx, m, code) => sessions.staffLogin(deps, ctx, m, code));

  // E4: who is logged in, in which office of which bureau, in which roles.
  pages.page({
    path: GZXYJG_PAGES.home,
    title: '首页',
    access: staff.staff,
    view: ({ caller }) => {
      const user = sessions.staffView(caller);
      return html`<section class="card" aria-label="当前用户">${facts(
        [
          ['姓名', user.name],
          ['手机号码', user.mobile],
          ['所属单位', user.office.name],
          ['所属区局', user.bureau.name],
          ['角色', user.roles.map((r) => r.label).join('、')],
        ],
        '当前用户',
      )}</section>
<section class="card"><a class="button primary" href="${GZXYJG_PAGES.todo}">我的待办</a></section>`;
    },
  });

  // E5: 我的待办 — searched by 受理编号, 名称 (fuzzy), 业务类型 / 业务状态, 统一社会信用代码 / 注册号; paged.
  pages.page({
    path: GZXYJG_PAGES.todo,
    title: '我的待办',
    access: staff.staff,
    query: searched(TODO_QUERY),
    view: async ({ caller, ctx, query }) => {
      const found = await backOffice.todo(deps, ctx, caller, query);
      const values = shown(query);
      return html`<section class="card">${searchForm(
        html`<div class="row">${field({ label: '受理编号', name: 'acceptanceNo' }, values)}${field({ label: '名称', name: 'name' }, values)}
${choice({ label: '业务类型', name: 'kind', options: [ALL, ...KIND_CODES.map((k): [string, string] => [k, KINDS[k].service])] }, values)}
${choice({ label: '业务状态', name: 'status', options: [ALL, ...OPEN_STATES.map((s): [string, string] => [s, STATE_LABEL[s]])] }, values)}
${field({ label: '统一社会信用代码/注册号', name: 'code' }, values)}${field({ label: '每页条数', name: 'pageSize', type: 'number', inputmode: 'numeric' }, values)}${submit('查询')}</div>`,
        '查询待办',
      )}</section>
${table(
  '待办列表',
  ['受理编号', '名称', '统一社会信用代码', '业务类型', '业务状态', '来源', '受理日期', '办结期限', '超期', '操作'],
  found.items.map((i) => [
    i.acceptanceNo,
    i.subject.name,
    i.subject.uscc,
    KINDS[i.kind.code as Kind].service,
    i.state.label,
    i.origin.label,
    i.receivedOn,
    i.dueOn,
    overdueLabel(i.overdue, i.overdueSince),
    html`<a href="${GZXYJG_PAGES.case(i.caseId)}">办理</a>`,
  ]),
  '暂无待办业务',
)}
${pager(found, (page) => `${GZXYJG_PAGES.todo}?${queryString({ ...query, page })}`)}`;
    },
  });

  // E6: 信用修复 → a kind — the listing records of the office's jurisdiction, each with [办理].
  pages.page({
    path: GZXYJG_PAGES.records(':kind'),
    title: '信用修复',
    access: staff.office(['HANDLER']),
    params: z.object({ kind }),
    query: searched(RECORDS_QUERY.omit({ kind: true })),
    view: async ({ caller, ctx, params, query }) => {
      const found = await backOffice.records(deps, ctx, caller, { ...query, kind: params.kind });
      const rules = KINDS[params.kind];
      const values = shown(query);
      return html`<h2>${menuLabel(params.kind)}</h2>
<section class="card">${searchForm(
        html`<div class="row">${field({ label: '统一社会信用代码/注册号', name: 'code' }, values)}
${choice({ label: '列入原因', name: 'reason', options: [ALL, ...rules.reasons.map((r): [string, string] => [r.code, r.label])] }, values)}
${field({ label: '名称', name: 'name' }, values)}
${field({ label: '列入日期（起）', name: 'listedFrom', type: 'date' }, values)}${field({ label: '列入日期（止）', name: 'listedTo', type: 'date' }, values)}
${field({ label: '每页条数', name: 'pageSize', type: 'number', inputmode: 'numeric' }, values)}${submit('查询')}</div>`,
        '查询列入信息',
      )}</section>
${table(
  `${rules.label}列入信息`,
  ['名称', '统一社会信用代码', '注册号', '列入原因', '列入日期', '列入决定书文号', '列入机关', '状态', '操作'],
  found.items.map((r) => [
    r.subject.name,
    r.subject.uscc,
    r.subject.registrationNo,
    r.reason.label,
    r.listedOn,
    r.decisionNo,
    r.office.name,
    r.status.label,
    r.inCase ? `办理中（${r.acceptanceNo}）` : r.status.code === 'LISTED' ? form(submit('办理', 'open'), { action: GZXYJG_PAGES.record(r.recordId) }) : '',
  ]),
)}
${pager(found, (page) => `${GZXYJG_PAGES.records(params.kind)}?${queryString({ ...query, page })}`)}`;
    },
  });

  // E6: [办理] on one record — a case opened by the office, then its acceptance page.
  pages
    .page({
      path: GZXYJG_PAGES.record(':recordId'),
      title: '列入信息',
      access: staff.record('recordId', ['HANDLER']),
      params: z.object({ recordId: uuid }),
      view: async ({ caller, ctx }) => {
        const r = await backOffice.record(deps, ctx, caller);
        return html`<section class="card">${facts(
          [
            ['名称', r.subject.name],
            ['统一社会信用代码', r.subject.uscc],
            ['注册号', r.subject.registrationNo],
            ['列入名录', r.kind.label],
            ['列入原因', r.reason.label],
            ['列入日期', r.listedOn],
            ['列入决定书文号', r.decisionNo],
            ['状态', r.status.label],
          ],
          '列入信息',
        )}${form(submit('办理', 'open'))}</section>`;
      },
    })
    .action('open', z.object({}), async ({ caller, ctx }) => GZXYJG_PAGES.case((await backOffice.openCase(deps, ctx, caller)).caseId));

  const tabs = (caseId: string, current: 1 | 2) =>
    html`<nav class="tabs" aria-label="页签"><a href="${GZXYJG_PAGES.case(caseId)}"${current === 1 ? html` aria-current="page"` : ''}>信用修复申请信息</a><a href="${GZXYJG_PAGES.approvalForm(caseId)}"${current === 2 ? html` aria-current="page"` : ''}>信用修复审批表</a></nav>`;

  // E7: tab 1, 信用修复申请信息 → [确定].
  pages.page({
    path: GZXYJG_PAGES.case(':caseId'),
    title: '业务受理',
    access: staff.caseOffice('caseId'),
    params: z.object({ caseId: uuid }),
    view: async ({ caller, ctx }) => {
      const c = await backOffice.caseOf(deps, ctx, caller, caller.case.id);
      const { subject, applicant } = c.application;
      return html`${tabs(c.caseId, 1)}
<section class="card" aria-label="业务信息">${facts(
        [
          ['受理编号', c.acceptanceNo ?? '—'],
          ['业务类型', KINDS[c.kind.code as Kind].service],
          ['业务状态', c.state.label],
          ['来源', c.origin.label],
          ['办理单位', c.office.name],
          ['受理日期', c.receivedOn ?? '—'],
          ['办结期限', c.dueOn ?? '—'],
          ['是否超期', c.overdue ? '已超期' : '未超期'],
        ],
        '业务信息',
      )}</section>
<section class="card" aria-label="主体信息">${facts(
        [
          ['名称', subject.name],
          ['统一社会信用代码', subject.uscc],
          ['注册号', subject.registrationNo],
          ['主体类型', subject.kind.label],
          ['法定代表人', subject.legalRepName ?? '—'],
        ],
        '主体信息',
      )}</section>
${applicant ? html`<section class="card" aria-label="申请人信息">${facts([['姓名', applicant.name], ['身份证号码', applicant.idNumber], ['手机号码', applicant.mobile]], '申请人信息')}</section>` : ''}
${table(
  '列入信息',
  ['列入名录', '列入原因', '列入日期', '列入决定书文号', '列入机关', '状态'],
  c.application.records.map((r) => [r.kind.label, r.reason.label, r.listedOn, r.decisionNo, r.office.name, r.status.label]),
)}
${table(
  '申请材料',
  ['材料类型', '文件名', '大小', '操作'],
  c.application.materials.map((m) => [m.type.label, m.fileName, `${m.size} 字节`, html`<a href="${GZXYJG_PAGES.material(c.caseId, m.materialId)}">查看 ${m.fileName}</a>`]),
  '无申请材料',
)}
<section class="card"><a class="button primary" href="${GZXYJG_PAGES.approvalForm(c.caseId)}">确定</a></section>`;
    },
  });

  /** Tab 2, 信用修复审批表: the steps taken, the transfers, and a form for each step the user may take (`current`'s refilled after a refusal). */
  const approvalTab = async (caller: CaseCaller, ctx: RunContext, values: Record<string, string>, current?: StepEvent) => {
    const c = await backOffice.caseOf(deps, ctx, caller, caller.case.id);
    const may = new Set(c.actions.map((a) => a.code));
    const own = (event: StepEvent) => (event === current ? values : {});
    const stepForm = (event: StepEvent, content: Markup, label: string) => {
      const step = STEPS.find((s) => s.event === event)!;
      return form(html`${hidden('version', c.version)}${content}`, { action: GZXYJG_PAGES.step(c.caseId, step.path), label });
    };
    const opinion = { ACCEPT: '经办意见', REVIEW: '审核意见', APPROVE: '审批意见' } as const;
    const offices = may.has('TRANSFER') ? await backOffice.transferOffices(deps, ctx, caller) : [];
    return html`${tabs(c.caseId, 2)}
<section class="card" aria-label="业务信息">${facts(
      [
        ['受理编号', c.acceptanceNo ?? '—'],
        ['名称', c.application.subject.name],
        ['业务状态', c.state.label],
        ['办理单位', c.office.name],
      ],
      '业务信息',
    )}</section>
${table(
  '信用修复审批表',
  ['环节', '办理事项', '办理人', '办理单位', '转办机关', '意见', '原因', '时间'],
  c.approvalForm.entries.map((e) => [e.step.label, e.event.label, e.by, e.office?.name ?? '—', e.toOffice?.name ?? '—', e.opinion ?? '—', e.reason ?? '—', e.at]),
)}
${table(
  '转办记录',
  ['转出机关', '转入机关', '转办人', '转办原因', '时间'],
  c.approvalForm.transfers.map((t) => [t.from.name, t.to.name, t.by, t.reason, t.at]),
  '无转办记录',
)}
${(['ACCEPT', 'REVIEW', 'APPROVE'] as const).filter((e) => may.has(e)).map((e) => html`<section class="card">${stepForm(e, html`${field({ label: opinion[e], name: 'opinion' }, own(e))}${submit('提交')}`, opinion[e])}</section>`)}
${may.has('TRANSFER') ? html`<section class="card">${stepForm('TRANSFER', html`<div class="row">${choice({ label: '转办机关', name: 'toOffice', options: [['', '请选择'], ...offices.map((o): [string, string] => [o.code, o.name])] }, own('TRANSFER'))}${field({ label: '转办原因', name: 'reason' }, own('TRANSFER'))}</div>${submit('转办', undefined, 'plain')}`, '转办')}</section>` : ''}
${may.has('REFUSE') ? html`<section class="card">${stepForm('REFUSE', html`${field({ label: '不予通过原因', name: 'reason' }, own('REFUSE'))}${submit('不予通过', undefined, 'plain')}`, '不予通过')}</section>` : ''}`;
  };

  // E7–E9: tab 2.
  pages.page({
    path: GZXYJG_PAGES.approvalForm(':caseId'),
    title: '业务受理',
    access: staff.caseOffice('caseId'),
    params: z.object({ caseId: uuid }),
    view: ({ caller, ctx, values }) => approvalTab(caller, ctx, values),
  });

  // E7–E9: each step's form, declared with its API route's access; done, back to 我的待办.
  for (const step of STEPS) {
    pages
      .page({
        path: GZXYJG_PAGES.step(':caseId', step.path),
        title: step.label,
        access: staff.caseEvent('caseId', step.event),
        params: z.object({ caseId: uuid }),
        view: ({ caller, ctx, values }) => approvalTab(caller, ctx, values, step.event),
      })
      .action(step.path, STEP_BODIES[step.event].extend({ version: seenVersion }), async ({ form, caller, ctx }) => {
        await backOffice.act(deps, ctx, caller, step.event, form);
        return GZXYJG_PAGES.todo;
      });
  }

  // E7: a material as the applicant uploaded it.
  pages.page({
    path: GZXYJG_PAGES.material(':caseId', ':materialId'),
    title: '申请材料',
    access: staff.caseOffice('caseId'),
    params: z.object({ caseId: uuid, materialId: uuid }),
    view: async ({ caller, ctx, params }) => {
      const m = await backOffice.material(deps, ctx, caller, params.materialId);
      const data = `data:${m.contentType};base64,${m.content}`;
      return html`<section class="card">${facts(
        [
          ['材料类型', m.type.label],
          ['文件名', m.fileName],
          ['文件类型', m.contentType],
          ['大小', `${m.size} 字节`],
          ['SHA-256', m.sha256],
          ['上传时间', m.uploadedAt],
        ],
        '申请材料',
      )}<a class="button plain" href="${data}" download="${m.fileName}">下载</a>${m.contentType.startsWith('image/') ? html`<img src="${data}" alt="${m.fileName}">` : ''}</section>
<section class="card"><a class="button plain" href="${GZXYJG_PAGES.case(params.caseId)}">返回</a></section>`;
    },
  });

  return pages;
}
