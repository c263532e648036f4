// 危险化学品经营许可证 with cloud inspection (常州, F1–F7) as people use it: three apps of one domain.
//   常州通办 (web, desktop)   /czth/    the form (F1, F2), the appointment (F3), 整改 (F7)
//   常州通办APP (phone)       /czapp/   应用 → 云核查 for the legal representative (F3–F5, F7)
//   审核端 (desktop)          /czgov/   the reviewing authority's officers (F2–F6, the licence)
// The enterprise logs in to either app with its 粤商通 real-name account (face, in 粤信签) and
// chooses the enterprise it acts for: the same session the API takes as a bearer token, kept in
// the app's own cookie; officers log in with their username and password. Every page declares the
// API routes' access and calls their use-cases.
import { anonymous } from '../../kernel/access.js';
import { notFound } from '../../kernel/errors.js';
import { fieldError, idNumber, personName, uuid } from '../../kernel/fields.js';
import { html, type Markup } from '../../kernel/html.js';
import type { RunContext } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { formList, formNumber, Pages, type Page, type PageFile } from '../../kernel/pages.js';
import { checks, choice, facts, field, fileInput, form, submit, table } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import type { EnterpriseCaller, YstAccess } from '../yueshangtong/access.js';
import * as yst from '../yueshangtong/use-cases.js';
import type { ServiceDeps } from '../deps.js';
import type { LicensingAccess } from './access.js';
import * as applications from './applications.js';
import * as appointments from './appointments.js';
import { applicationIn, expectMove, videoOf } from './common.js';
import * as inspections from './inspections.js';
import { logIn } from './officers.js';
import * as rectification from './rectification.js';
import { ApplicationForm, ChecklistResult, checklistItem, ImageBody, localTime, noteForProblem, OfficerLogin, OnSiteForm, RectificationForm, version } from './routes.js';
import { AFFILIATIONS, APPLICATION_TYPES, AUTHORITIES, BUSINESS_MODES, CHECKLIST, CHECKLIST_RESULTS, GOODS_SCOPES, INSPECTION_METHODS, MODE_WITH_METHOD } from './rules.js';
import * as store from './store.js';
import type { ApplicationViewT } from './views.js';
import { STATUSES } from './workflow.js';

export const ITEM = '危险化学品经营许可证（首次、延期、重新申请）';

export const CZTH_PAGES = {
  home: '/czth/',
  newApplication: '/czth/applications/new',
  application: (id: string) => `/czth/applications/${id}`,
  edit: (id: string) => `/czth/applications/${id}/edit`,
  problem: (id: string, problemId: string) => `/czth/applications/${id}/problems/${problemId}`,
};
export const CZAPP_PAGES = {
  home: '/czapp/',
  list: '/czapp/cloud-inspection',
  application: (id: string) => `/czapp/cloud-inspection/${id}`,
  inspection: (id: string) => `/czapp/cloud-inspection/${id}/inspection`,
  video: (id: string) => `/czapp/cloud-inspection/${id}/video`,
  problems: (id: string) => `/czapp/cloud-inspection/${id}/problems`,
  problem: (id: string, problemId: string) => `/czapp/cloud-inspection/${id}/problems/${problemId}`,
};
export const CZGOV_PAGES = {
  home: '/czgov/',
  login: '/czgov/login',
  application: (id: string) => `/czgov/applications/${id}`,
  appointment: (id: string) => `/czgov/applications/${id}/appointment`,
  inspection: (id: string) => `/czgov/applications/${id}/inspection`,
  approval: (id: string) => `/czgov/applications/${id}/approval`,
  onSite: (id: string) => `/czgov/applications/${id}/on-site`,
};

const applicationParam = z.object({ applicationId: uuid });
const problemParam = z.object({ applicationId: uuid, problemId: uuid });
/** A form's number (the version the page was shown at), parsed as the API's. */
const formVersion = z.preprocess(formNumber, version);
const versionForm = z.object({ version: formVersion });
const list = <T extends z.ZodType>(schema: T) => z.preprocess(formList, schema);
/** The images a file input offers. */
const IMAGES = 'image/png,image/jpeg';
/** A chosen file as the APIs take an image ({ mimeType, data }); anything else as it came. */
const asImage = (v: unknown) => (v && typeof v === 'object' && 'content' in v ? { mimeType: (v as PageFile).mimeType, data: (v as PageFile).content } : v);
/** A file input: the image chosen, or none (refused as the API refuses an image without a type). */
const chosenImage = z.preprocess((v) => asImage(v) ?? {}, ImageBody);
const PageApplicationForm = ApplicationForm.extend({
  personnel: list(ApplicationForm.shape.personnel),
  goodsScope: list(ApplicationForm.shape.goodsScope),
  businessModes: list(ApplicationForm.shape.businessModes),
});
const PageRectificationForm = RectificationForm.extend({
  photos: z.preprocess((v) => (Array.isArray(v) ? v.map(asImage) : v === undefined ? v : [asImage(v)]), RectificationForm.shape.photos),
});

const hidden = (name: string, value: string | number) => html`<input type="hidden" name="${name}" value="${value}">`;
const labels = (items: { label: string }[]) => items.map((i) => i.label).join('、') || '—';
const minute = (at: string | null) => at?.slice(0, 16) ?? '—';
const options = (labelled: Record<string, string>): [string, string][] => [['', '请选择'], ...Object.entries(labelled)];
type FileShown = { mimeType: string; sizeBytes: number; sha256: string; channel: { label: string } } | null;
/** A signature or photo as the pages list it: where it came from, its type, size and digest. */
const fileShown = (f: FileShown) => (f ? `${f.channel.label}，${f.mimeType}，${f.sizeBytes}字节，SHA-256：${f.sha256}` : '未提交');

/** Everything an application shows, on every app: the form, the appointment, the inspection, 问题汇总, the licence. */
function applicationDetails(a: ApplicationViewT, problemAction: (p: ApplicationViewT['problems'][number]) => Markup = () => ''): Markup {
  const i = a.inspection;
  return html`<section class="card" aria-label="申报信息">${facts(
    [
      ['申报编号', a.number],
      ['许可事项名称', ITEM],
      ['许可申办单位', a.enterprise.name],
      ['办理状态', a.status.label],
      ['申报类型', a.applicationType?.label ?? '—'],
      ['隶属关系', a.affiliation?.label ?? '—'],
      ['危险化学品事故应急预案备案', a.emergencyPlan ? `${a.emergencyPlan.number}（${a.emergencyPlan.filingType}，${a.emergencyPlan.filedOn}）` : '—'],
      ['申请品种范围', labels(a.goodsScope)],
      ['申请经营方式', labels(a.businessModes)],
      ['核查方式', a.inspectionMethod?.label ?? '—'],
      ['审核机关', a.authority?.label ?? '—'],
    ],
    '申报信息',
  )}
${table('人员资格', ['姓名', '证书编号', '单位类型', '资格类型', '考核日期'], a.personnel.map((p) => [p.name, p.certificateNo, p.unitType, p.qualification.label, p.assessedOn]))}</section>
<section class="card" aria-label="预约核查">${facts([['预约核查时间', minute(a.appointment.at)]], '预约核查')}
${table('预约记录', ['核查时间', '提出方', '提出渠道', '状态', '确认渠道'], a.appointment.proposals.map((p) => [minute(p.at), p.proposedBy.label, p.channel?.label ?? '—', p.outcome.label, p.decidedChannel?.label ?? '—']))}</section>
${
  i
    ? html`<section class="card" aria-label="核查情况">${facts(
        [
          ['核查方式', i.method.label],
          ['核查状态', i.status.label],
          ['核查人员', i.officer],
          ['核查说明', i.note ?? '—'],
          ['承诺书签字', fileShown(i.commitmentSignature)],
          ['经办人照片', fileShown(i.handlerPhoto)],
          ['整改签字', fileShown(i.rectificationSignature)],
          ['企业视频', i.video?.enterprise.label ?? '—'],
          ['核查人员视频', i.video?.officer.label ?? '—'],
        ],
        '核查情况',
      )}
${i.checklist.length ? table('核查项', ['核查内容', '结果', '问题说明'], i.checklist.map((c) => [c.label, c.result?.label ?? '未记录', c.note ?? '—'])) : ''}</section>`
    : ''
}
${
  a.problems.length
    ? html`<section class="card" aria-label="问题汇总">${table(
        '问题汇总',
        ['核查项', '问题说明', '整改状态', '整改渠道', '整改备注', '整改图片', '操作'],
        a.problems.map((p) => [p.item, p.finding, p.status.label, p.channel?.label ?? '—', p.note ?? '—', p.photos.length ? html`<ul>${p.photos.map((f) => html`<li>SHA-256：${f.sha256}</li>`)}</ul>` : '—', problemAction(p)]),
      )}</section>`
    : ''
}
${a.licence ? html`<section class="card" aria-label="许可证">${facts([['许可证编号', a.licence.number], ['有效期起', a.licence.validFrom], ['有效期至', a.licence.validTo]], '许可证')}</section>` : ''}`;
}

/** F3 on either channel: [确认] the time proposed, or [更改时间] to another one (待企业确认 only). */
function appointmentForms(a: ApplicationViewT, values: Record<string, string>): Markup {
  if (a.status.code !== 'AWAITING_ENTERPRISE') return '';
  return html`<section class="card stack" aria-label="核查时间确认"><p>审核机关预约的核查时间：<strong>${minute(a.appointment.at)}</strong>。无异议请点击确认；需重新选择核查时间请更改时间，更改后需审核机关再次确认。</p>
${form(html`${hidden('version', a.version)}${submit('确认', 'confirm')}`, { label: '确认核查时间' })}
${form(html`${hidden('version', a.version)}${field({ label: '核查时间', name: 'at', type: 'datetime-local' }, values)}${submit('更改时间', 'change', 'plain')}`, { label: '更改核查时间' })}</section>`;
}

/** F7 one problem: photos and a note. */
function rectificationForm(a: ApplicationViewT, problemId: string, values: Record<string, string>): Markup {
  const problem = a.problems.find((p) => p.problemId === problemId);
  if (!problem) throw notFound('PROBLEM_NOT_FOUND', '未找到该问题');
  return html`<section class="card" aria-label="整改详情">${facts([['核查项', problem.item], ['问题说明', problem.finding], ['整改状态', problem.status.label]], '问题')}
${
  problem.status.code === 'OPEN'
    ? form(html`${fileInput({ label: '整改图片', name: 'photos', multiple: true, hint: 'PNG或JPG格式，1至3张，每张不超过200KB', accept: IMAGES })}${field({ label: '整改备注', name: 'note' }, values)}${submit('提交', 'rectify')}`, { label: '整改', files: true })
    : html`<p>该问题已提交整改</p>`
}</section>`;
}

/**
 * The enterprise's way in, on both of its apps: 粤商通's face login (粤信签), then the enterprise
 * account it acts for (请选择办事企业) — the session the API takes, in the app's own cookie.
 */
function enterpriseLogin(pages: Pages, base: string, deps: ServiceDeps, access: YstAccess, home: string) {
  const login = `${base}/login`;
  const faceReturn = (id: string) => `${base}/login/face/${id}`;
  const accounts = `${base}/enterprises`;
  const account = (id: string) => `${base}/enterprises/${id}`;
  pages
    .page({
      path: login,
      title: '登录',
      access: anonymous,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>请使用粤商通实名账号登录：输入身份信息，然后在“粤信签”完成人脸识别验证</p>
${field({ label: '姓名', name: 'name', autocomplete: 'name' }, values)}
${field({ label: '身份证号码', name: 'idNumber' }, values)}
${submit('下一步')}`,
          { label: '人脸识别登录' },
        )}</section>`,
    })
    .action('start', z.object({ name: personName, idNumber }), async ({ form, ctx }) => {
      const started = await yst.startFaceLogin(deps, ctx, form);
      return `${started.miniProgramUrl}?return=${encodeURIComponent(`${deps.publicUrl()}${faceReturn(started.faceCheckId)}`)}`;
    });
  pages
    .page({
      path: faceReturn(':faceCheckId'),
      title: '登录',
      access: anonymous,
      params: z.object({ faceCheckId: uuid }),
      view: () => html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击完成登录。</p>${submit('完成登录')}`, { label: '完成登录' })}</section>`,
    })
    .action('complete', z.object({}), async ({ ctx, params, cookies }) => {
      cookies.keepSession((await yst.completeFaceLogin(deps, ctx, params.faceCheckId)).token);
      return accounts;
    });
  pages.page({
    path: accounts,
    title: '请选择办事企业',
    access: access.person,
    view: async ({ caller, ctx }) => {
      const mine = await yst.myEnterpriseAccounts(deps, ctx, caller.person);
      return html`<ul class="cards" aria-label="企业账号">${mine.map(
        (a) =>
          html`<li class="card" aria-label="${a.enterprise.name}（${a.accountName}）">${facts([
            ['企业名称', a.enterprise.name],
            ['统一社会信用代码', a.enterprise.uscc],
            ['账号', a.accountName],
            ['认证状态', a.trust.label],
          ])}${form(submit('选择办事', 'choose'), { action: account(a.accountId) })}</li>`,
      )}</ul>${mine.length ? '' : html`<p>您还没有可办事的企业账号，请先在粤商通添加企业</p>`}`;
    },
  });
  pages
    .page({
      path: account(':accountId'),
      title: '选择办事企业',
      access: access.memberOf('accountId'),
      params: z.object({ accountId: uuid }),
      view: ({ caller }) => html`<section class="card">${facts([['企业名称', caller.account.enterpriseName], ['账号', caller.account.accountName]])}${form(submit('选择办事', 'choose'))}</section>`,
    })
    .action('choose', z.object({}), async ({ caller, ctx }) => {
      await yst.chooseAccount(deps, ctx, caller);
      return home;
    });
}

/** The form of 新建申报 and of a draft: the register's staff and filings to choose from, `shown` the draft's values. */
function applicationForm(register: Awaited<ReturnType<typeof applications.staffRegister>>, shown: ApplicationViewT | undefined, values: Record<string, string>): Markup {
  const value = (name: string, code: string | undefined) => values[name] ?? code ?? '';
  return html`${facts([['许可事项名称', ITEM]])}
${choice({ label: '申报类型', name: 'applicationType', options: options(APPLICATION_TYPES), value: value('applicationType', shown?.applicationType?.code) })}
${choice({ label: '隶属关系', name: 'affiliation', options: options(AFFILIATIONS), value: value('affiliation', shown?.affiliation?.code) })}
${checks({ legend: '人员资格', name: 'personnel', options: register.staff.map((s) => [s.staffId, `${s.name}（${s.qualification.label}，证书编号${s.certificateNo}，考核日期${s.assessedOn}）`]), chosen: shown?.personnel.map((p) => p.staffId) })}
<p><small>如果主要负责人或安全生产管理人员未出现在上述列表中，请点击进入企业组织机构管理->员工信息管理添加员工，已存在请忽略本提示</small></p>
${choice({ label: '危险化学品事故应急预案备案', name: 'emergencyPlanNo', options: [['', '请选择'], ...register.filings.map((f): [string, string] => [f.number, `${f.number}（${f.filingType}，${f.authority}，${f.filedOn}）`])], value: value('emergencyPlanNo', shown?.emergencyPlan?.number) })}
${checks({ legend: '申请品种范围', name: 'goodsScope', options: Object.entries(GOODS_SCOPES), chosen: shown?.goodsScope.map((g) => g.code) })}
${checks({ legend: '申请经营方式', name: 'businessModes', options: Object.entries(BUSINESS_MODES), chosen: shown?.businessModes.map((m) => m.code) })}
${choice({ label: '核查方式', name: 'inspectionMethod', options: options(INSPECTION_METHODS), value: value('inspectionMethod', shown?.inspectionMethod?.code) })}
<p><small>只有申请经营方式包含“${BUSINESS_MODES[MODE_WITH_METHOD]}”时才需要选择核查方式：现场核查与以往流程相同，云核查则后续开展云核查流程</small></p>
${choice({ label: '审核机关', name: 'authority', options: options(AUTHORITIES), value: value('authority', shown?.authority?.code) })}`;
}

export function licensingPages(deps: ServiceDeps & { access: LicensingAccess; yst: YstAccess; live: Live }): Pages[] {
  const webAccess = deps.access.enterprise('WEB');
  const appAccess = deps.access.enterprise('APP');
  const inspector = deps.access.officer('INSPECTOR');
  const reviewer = deps.access.officer('REVIEWER');
  const anyOfficer = deps.access.officer('ANY');

  /** F4: what appointmentForms posts — confirm the proposed time, or ask for another — on the web's or the app's page of an application; `then` is where it leads after. */
  const appointmentActions = (page: Page<EnterpriseCaller, { applicationId: string }>, channel: 'WEB' | 'APP', then: (applicationId: string) => string) =>
    page
      .action('confirm', versionForm, async ({ form, caller, ctx, params }) => {
        await appointments.enterpriseConfirms(deps, ctx, caller, channel, params.applicationId, form.version);
        return then(params.applicationId);
      })
      .action('change', z.object({ version: formVersion, at: localTime }), async ({ form, caller, ctx, params }) => {
        await appointments.enterpriseChanges(deps, ctx, caller, channel, params.applicationId, form);
        return then(params.applicationId);
      });

  /** F7 整改: a problem's rectification form, the same on the web and in the app, each rectifying through its own channel; `then` is where it leads after. */
  const rectificationPage = (pages: Pages, channel: 'WEB' | 'APP', page: { path: string; title: string; back?: string; then: (applicationId: string) => string }) =>
    pages
      .page({
        path: page.path,
        title: page.title,
        access: channel === 'WEB' ? webAccess : appAccess,
        ...(page.back ? { back: page.back } : {}),
        params: problemParam,
        files: true,
        view: async ({ caller, ctx, params, values }) => rectificationForm(await applications.viewForEnterprise(deps, ctx, caller, params.applicationId), params.problemId, values),
      })
      .action('rectify', PageRectificationForm, async ({ form, caller, ctx, params }) => {
        await rectification.rectify(deps, ctx, caller, channel, params.applicationId, params.problemId, form);
        return page.then(params.applicationId);
      });

  // 常州通办 (web) -----------------------------------------------------------------------------------------
  const web = new Pages(deps.live, {
    app: '常州通办',
    layout: 'desktop',
    home: CZTH_PAGES.home,
    session: { cookie: 'czth-session', path: '/czth' },
    redirects: { NOT_LOGGED_IN: '/czth/login', NO_ACTING_ENTERPRISE: '/czth/enterprises' },
    nav: [
      { label: '我的申报', path: CZTH_PAGES.home },
      { label: '新建申报', path: CZTH_PAGES.newApplication },
      { label: '切换企业', path: '/czth/enterprises' },
    ],
  });
  enterpriseLogin(web, '/czth', deps, deps.yst, CZTH_PAGES.home);

  web.page({
    path: CZTH_PAGES.home,
    title: '常州市安全生产行政服务“一网通办”',
    access: webAccess,
    view: async ({ caller, ctx }) => {
      const mine = await applications.listForEnterprise(deps, ctx, caller, 'WEB');
      return html`${facts([['当前办事企业', caller.account.enterpriseName]])}
${table('我的申报', ['申报编号', '许可事项名称', '申报类型', '核查方式', '办理状态', '预约核查时间', '操作'], mine.map((a) => [a.number, ITEM, a.applicationType?.label ?? '—', a.inspectionMethod?.label ?? '—', a.status.label, minute(a.appointmentAt), html`<a href="${CZTH_PAGES.application(a.applicationId)}">查看</a>`]))}
<p><a class="button primary" href="${CZTH_PAGES.newApplication}">新建申报</a></p>`;
    },
  });

  web
    .page({
      path: CZTH_PAGES.newApplication,
      title: `${ITEM} 新建申报`,
      access: webAccess,
      view: async ({ caller, ctx, values }) =>
        html`<section class="card">${form(html`${applicationForm(await applications.staffRegister(deps, ctx, caller), undefined, values)}${submit('保存', 'save')}`, { label: '危险化学品经营许可证申报' })}</section>`,
    })
    .action('save', PageApplicationForm, async ({ form, caller, ctx }) => CZTH_PAGES.application((await applications.createDraft(deps, ctx, caller, form)).applicationId));

  const webApplication = web
    .page({
      path: CZTH_PAGES.application(':applicationId'),
      title: ITEM,
      access: webAccess,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const a = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        const rectifying = a.status.code === 'RECTIFYING';
        return html`${applicationDetails(a, (p) => (rectifying && p.status.code === 'OPEN' ? html`<a href="${CZTH_PAGES.problem(a.applicationId, p.problemId)}" aria-label="整改 ${p.item}">整改</a>` : ''))}
${a.status.code === 'DRAFT' ? html`<section class="card stack"><a class="button plain" href="${CZTH_PAGES.edit(a.applicationId)}">修改</a>${form(html`${hidden('version', a.version)}${submit('确认提交', 'submit')}`, { label: '确认提交' })}</section>` : ''}
${appointmentForms(a, values)}
${rectifying && !a.inspection?.rectificationSignature ? html`<p role="note">整改前需先在APP端签字确认</p>` : ''}`;
      },
    })
    .action('submit', versionForm, async ({ form, caller, ctx, params }) => {
      await applications.submit(deps, ctx, caller, params.applicationId, form.version);
      return CZTH_PAGES.application(params.applicationId);
    });
  appointmentActions(webApplication, 'WEB', CZTH_PAGES.application);

  web
    .page({
      path: CZTH_PAGES.edit(':applicationId'),
      title: `${ITEM} 修改申报`,
      access: webAccess,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const application = await applicationIn(deps, ctx, params.applicationId, { uscc: caller.account.uscc });
        await expectMove(deps, ctx, application, application.version, 'edit'); // a submitted application is read-only
        const shown = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        return html`<section class="card">${form(html`${hidden('version', shown.version)}${applicationForm(await applications.staffRegister(deps, ctx, caller), shown, values)}${submit('保存', 'save')}`, { label: '危险化学品经营许可证申报' })}</section>`;
      },
    })
    .action('save', PageApplicationForm.extend({ version: formVersion }), async ({ form: { version: seen, ...fields }, caller, ctx, params }) => {
      await applications.saveDraft(deps, ctx, caller, params.applicationId, seen, fields);
      return CZTH_PAGES.application(params.applicationId);
    });

  rectificationPage(web, 'WEB', { path: CZTH_PAGES.problem(':applicationId', ':problemId'), title: '核查整改', then: CZTH_PAGES.application });

  // 常州通办APP: 应用 → 云核查 (the legal representative) --------------------------------------------------------
  const app = new Pages(deps.live, {
    app: '常州通办APP',
    layout: 'phone',
    home: CZAPP_PAGES.home,
    session: { cookie: 'czapp-session', path: '/czapp' },
    redirects: { NOT_LOGGED_IN: '/czapp/login', NO_ACTING_ENTERPRISE: '/czapp/enterprises' },
  });
  enterpriseLogin(app, '/czapp', deps, deps.yst, CZAPP_PAGES.list);

  app.page({
    path: CZAPP_PAGES.home,
    title: '应用',
    access: anonymous,
    view: () => html`<section class="card stack" aria-label="应用"><a class="button primary" href="${CZAPP_PAGES.list}">云核查</a></section>`,
  });

  app.page({
    path: CZAPP_PAGES.list,
    title: '云核查',
    access: appAccess,
    back: CZAPP_PAGES.home,
    view: async ({ caller, ctx }) => {
      const mine = await applications.listForEnterprise(deps, ctx, caller, 'APP');
      return table('云核查', ['申报编号', '企业名称', '办理状态', '预约核查时间', '操作'], mine.map((a) => [a.number, a.enterprise.name, a.status.label, minute(a.appointmentAt), html`<a href="${CZAPP_PAGES.application(a.applicationId)}">查看</a>`]), '暂无云核查');
    },
  });

  const appApplication = app.page({
      path: CZAPP_PAGES.application(':applicationId'),
      title: '预约详情',
      access: appAccess,
      back: CZAPP_PAGES.list,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const a = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        return html`${appointmentForms(a, values)}
${a.status.code === 'IN_PROGRESS' ? html`<section class="card stack"><a class="button primary" href="${CZAPP_PAGES.inspection(a.applicationId)}">进入核查</a></section>` : ''}
${a.problems.length ? html`<section class="card stack"><a class="button primary" href="${CZAPP_PAGES.problems(a.applicationId)}">问题汇总</a></section>` : ''}
${applicationDetails(a)}`;
      },
    });
  appointmentActions(appApplication, 'APP', CZAPP_PAGES.application);

  // F5: 承诺书 (read, sign), 经办人照片, then the video.
  app
    .page({
      path: CZAPP_PAGES.inspection(':applicationId'),
      title: '核查进行中',
      access: appAccess,
      back: CZAPP_PAGES.list,
      params: applicationParam,
      files: true,
      view: async ({ caller, ctx, params }) => {
        const letter = await inspections.commitmentLetter(deps, ctx, caller, params.applicationId);
        const { inspection } = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        return html`<section class="card" aria-label="承诺书"><h2>${letter.title}</h2><p>${letter.text}</p>${facts([['承诺单位', letter.enterprise], ['申报编号', letter.number]])}
${inspection?.commitmentSignature ? html`<p>承诺书已签字确认</p>` : form(html`${fileInput({ label: '签名', name: 'signature', hint: '手写签名图片，PNG或JPG格式，不超过200KB', accept: IMAGES })}${submit('签字确认', 'sign')}`, { label: '签字确认', files: true })}</section>
<section class="card" aria-label="经办人照片">${inspection?.handlerPhoto ? html`<p>经办人照片已上传</p>` : form(html`${fileInput({ label: '经办人照片', name: 'photo', accept: IMAGES })}${submit('上传照片', 'photo')}`, { label: '上传经办人照片', files: true })}</section>
<section class="card stack">${form(submit('进入视频', 'join'), { label: '进入视频' })}</section>`;
      },
    })
    .action('sign', z.object({ signature: chosenImage }), async ({ form, caller, ctx, params }) => {
      await inspections.giveOnce(deps, ctx, caller, params.applicationId, 'COMMITMENT_SIGNATURE', form.signature);
      return CZAPP_PAGES.inspection(params.applicationId);
    })
    .action('photo', z.object({ photo: chosenImage }), async ({ form, caller, ctx, params }) => {
      await inspections.giveOnce(deps, ctx, caller, params.applicationId, 'HANDLER_PHOTO', form.photo);
      return CZAPP_PAGES.inspection(params.applicationId);
    })
    .action('join', z.object({}), async ({ caller, ctx, params }) => {
      await inspections.enterpriseJoins(deps, ctx, caller, params.applicationId);
      return CZAPP_PAGES.video(params.applicationId);
    });

  app
    .page({
      path: CZAPP_PAGES.video(':applicationId'),
      title: '视频核查',
      access: appAccess,
      back: CZAPP_PAGES.list,
      params: applicationParam,
      view: async ({ caller, ctx, params }) => {
        const a = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        const room = await roomUrlOf(deps, ctx, a.applicationId, `${deps.publicUrl()}${CZAPP_PAGES.video(a.applicationId)}`);
        return html`<section class="card" aria-label="视频核查">${facts([['企业视频', a.inspection?.video?.enterprise.label ?? '—'], ['核查人员视频', a.inspection?.video?.officer.label ?? '—']], '视频核查')}
<p>请根据审核机关的要求调整视频拍摄内容，结束后点击挂断。</p>
${room ? html`<a class="button plain" href="${room}">打开视频画面</a>` : ''}</section>
<section class="card stack">${form(submit('挂断', 'hangUp'), { label: '挂断' })}${form(submit('重新接入', 'join', 'plain'), { label: '重新接入' })}</section>`;
      },
    })
    .action('hangUp', z.object({}), async ({ caller, ctx, params }) => {
      await inspections.enterpriseHangsUp(deps, ctx, caller, params.applicationId);
      return CZAPP_PAGES.application(params.applicationId);
    })
    .action('join', z.object({}), async ({ caller, ctx, params }) => {
      await inspections.enterpriseJoins(deps, ctx, caller, params.applicationId);
      return CZAPP_PAGES.video(params.applicationId);
    });

  // F7: 问题汇总 — sign first (here, in the app, also for rectifying on the web), then each problem.
  app
    .page({
      path: CZAPP_PAGES.problems(':applicationId'),
      title: '问题汇总',
      access: appAccess,
      back: CZAPP_PAGES.list,
      params: applicationParam,
      files: true,
      view: async ({ caller, ctx, params }) => {
        const a = await applications.viewForEnterprise(deps, ctx, caller, params.applicationId);
        const signed = Boolean(a.inspection?.rectificationSignature);
        return html`${
          a.status.code === 'RECTIFYING' && !signed
            ? html`<section class="card" aria-label="整改签字">${form(html`<p>整改前需先签字确认</p>${fileInput({ label: '签名', name: 'signature', hint: '手写签名图片，PNG或JPG格式，不超过200KB', accept: IMAGES })}${submit('签字确认', 'sign')}`, { label: '整改签字', files: true })}</section>`
            : ''
        }
<section class="card">${table(
          '问题汇总',
          ['核查项', '问题说明', '整改状态', '操作'],
          a.problems.map((p) => [p.item, p.finding, p.status.label, p.status.code === 'OPEN' && signed ? html`<a href="${CZAPP_PAGES.problem(a.applicationId, p.problemId)}" aria-label="整改 ${p.item}">未整改</a>` : p.status.label]),
          '暂无问题',
        )}</section>`;
      },
    })
    .action('sign', z.object({ signature: chosenImage }), async ({ form, caller, ctx, params }) => {
      await rectification.sign(deps, ctx, caller, params.applicationId, form.signature);
      return CZAPP_PAGES.problems(params.applicationId);
    });

  rectificationPage(app, 'APP', { path: CZAPP_PAGES.problem(':applicationId', ':problemId'), title: '整改详情', back: CZAPP_PAGES.list, then: CZAPP_PAGES.problems });

  // 审核端: the reviewing authority's officers ----------------------------------------------------------------
  const gov = new Pages(deps.live, {
    app: '常州通办 审核端',
    layout: 'desktop',
    home: CZGOV_PAGES.home,
    session: { cookie: 'czgov-session', path: '/czgov' },
    redirects: { NOT_LOGGED_IN: CZGOV_PAGES.login },
    nav: [{ label: '申报列表', path: CZGOV_PAGES.home }],
  });

  gov
    .page({
      path: CZGOV_PAGES.login,
      title: '审核人员登录',
      access: anonymous,
      view: ({ values }) =>
        html`<section class="card">${form(html`${field({ label: '用户名', name: 'username', autocomplete: 'username' }, values)}${field({ label: '密码', name: 'password', type: 'password', autocomplete: 'current-password' })}${submit('登录')}`, { label: '审核人员登录' })}</section>`,
    })
    .action('login', OfficerLogin, async ({ form, ctx, cookies }) => {
      cookies.keepSession((await logIn(deps.db, ctx, form)).token);
      return CZGOV_PAGES.home;
    });

  gov.page({
    path: CZGOV_PAGES.home,
    title: '申报列表',
    access: anyOfficer,
    query: z.object({ status: z.enum(Object.keys(STATUSES) as [keyof typeof STATUSES], { error: fieldError('INVALID_STATUS_FILTER', '没有该办理状态') }).optional() }),
    view: async ({ caller, ctx, query }) => {
      const listed = await applications.listForAuthority(deps, ctx, caller, query.status);
      return html`${facts([['审核机关', AUTHORITIES[caller.authority]], ['核查人员', caller.name]])}
<form method="get" aria-label="查询"><div class="field"><label><span>办理状态</span><select aria-label="办理状态" name="status"><option value="">全部</option>${Object.entries(STATUSES).map(([code, label]) => html`<option value="${code}"${code === query.status ? html` selected` : ''}>${label}</option>`)}</select></label></div><button type="submit" class="plain">查询</button></form>
${table('申报列表', ['申报编号', '企业名称', '申报类型', '核查方式', '办理状态', '预约核查时间', '操作'], listed.map((a) => [a.number, a.enterprise.name, a.applicationType?.label ?? '—', a.inspectionMethod?.label ?? '—', a.status.label, minute(a.appointmentAt), html`<a href="${CZGOV_PAGES.application(a.applicationId)}">查看</a>`]))}`;
    },
  });

  gov.page({
    path: CZGOV_PAGES.application(':applicationId'),
    title: ITEM,
    access: anyOfficer,
    params: applicationParam,
    view: async ({ caller, ctx, params }) => {
      const a = await applications.viewForAuthority(deps, ctx, caller, params.applicationId);
      const next = new Set(a.next);
      return html`<section class="card stack" aria-label="办理">${next.has('recordOnSite') && a.inspectionMethod?.code !== 'CLOUD' ? html`<a class="button primary" href="${CZGOV_PAGES.onSite(a.applicationId)}">现场核查</a>` : ''}${next.has('propose') || next.has('authorityConfirms') ? html`<a class="button primary" href="${CZGOV_PAGES.appointment(a.applicationId)}">预约核查时间</a>` : ''}${
        next.has('start') || a.status.code === 'IN_PROGRESS' ? html`<a class="button primary" href="${CZGOV_PAGES.inspection(a.applicationId)}">云核查</a>` : ''
      }${next.has('approve') ? html`<a class="button primary" href="${CZGOV_PAGES.approval(a.applicationId)}">审批</a>` : ''}</section>
${applicationDetails(a)}`;
    },
  });

  gov
    .page({
      path: CZGOV_PAGES.appointment(':applicationId'),
      title: '预约核查时间',
      access: inspector,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const a = await applications.viewForAuthority(deps, ctx, caller, params.applicationId);
        return html`<section class="card">${facts([['申报编号', a.number], ['许可申办单位', a.enterprise.name], ['办理状态', a.status.label], ['预约核查时间', minute(a.appointment.at)]], '预约核查')}
${form(html`${hidden('version', a.version)}${field({ label: '核查时间', name: 'at', type: 'datetime-local' }, values)}${submit('预约核查时间', 'propose')}`, { label: '预约核查时间' })}
${a.status.code === 'AWAITING_AUTHORITY' ? form(html`${hidden('version', a.version)}<p>企业申请更改核查时间为 ${minute(a.appointment.at)}</p>${submit('确认企业时间', 'confirm')}`, { label: '确认企业时间' }) : ''}</section>
<section class="card">${table('预约记录', ['核查时间', '提出方', '提出渠道', '状态', '确认渠道'], a.appointment.proposals.map((p) => [minute(p.at), p.proposedBy.label, p.channel?.label ?? '—', p.outcome.label, p.decidedChannel?.label ?? '—']))}</section>`;
      },
    })
    .action('propose', z.object({ version: formVersion, at: localTime }), async ({ form, caller, ctx, params }) => {
      await appointments.propose(deps, ctx, caller, params.applicationId, form);
      return CZGOV_PAGES.application(params.applicationId);
    })
    .action('confirm', versionForm, async ({ form, caller, ctx, params }) => {
      await appointments.authorityConfirms(deps, ctx, caller, params.applicationId, form.version);
      return CZGOV_PAGES.application(params.applicationId);
    });

  // F2: 现场核查, the old flow, recorded when the enterprise did not choose 云核查.
  gov
    .page({
      path: CZGOV_PAGES.onSite(':applicationId'),
      title: '现场核查',
      access: inspector,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const a = await applications.viewForAuthority(deps, ctx, caller, params.applicationId);
        return html`<section class="card">${facts([['申报编号', a.number], ['许可申办单位', a.enterprise.name], ['办理状态', a.status.label], ['核查方式', a.inspectionMethod?.label ?? '—']], '现场核查')}
${form(html`${hidden('version', a.version)}${field({ label: '核查日期', name: 'inspectedOn', type: 'date' }, values)}${field({ label: '核查情况', name: 'note' }, values)}${submit('登记现场核查', 'record')}`, { label: '登记现场核查' })}</section>`;
      },
    })
    .action('record', OnSiteForm.extend({ version: formVersion }), async ({ form, caller, ctx, params }) => {
      await applications.recordOnSite(deps, ctx, caller, params.applicationId, form);
      return CZGOV_PAGES.application(params.applicationId);
    });

  // F5/F6: start, the video, the checklist item by item, hang up (the outcome follows).
  gov
    .page({
      path: CZGOV_PAGES.inspection(':applicationId'),
      title: '云核查',
      access: inspector,
      params: applicationParam,
      view: async ({ caller, ctx, params, values }) => {
        const a = await applications.viewForAuthority(deps, ctx, caller, params.applicationId);
        const running = a.status.code === 'IN_PROGRESS' && a.inspection?.status.code === 'IN_PROGRESS';
        if (!running)
          return html`<section class="card">${facts([['申报编号', a.number], ['许可申办单位', a.enterprise.name], ['办理状态', a.status.label], ['预约核查时间', minute(a.appointment.at)]], '云核查')}
${a.status.code === 'CONFIRMED' ? form(html`${hidden('version', a.version)}${submit('启动核查', 'start')}`, { label: '启动核查' }) : ''}</section>`;
        const room = await roomUrlOf(deps, ctx, a.applicationId, `${deps.publicUrl()}${CZGOV_PAGES.inspection(a.applicationId)}`);
        return html`<section class="card" aria-label="视频核查">${facts([['申报编号', a.number], ['许可申办单位', a.enterprise.name], ['企业视频', a.inspection!.video?.enterprise.label ?? '—'], ['核查人员视频', a.inspection!.video?.officer.label ?? '—']], '视频核查')}
${room ? html`<a class="button plain" href="${room}">打开视频画面</a>` : ''}${form(submit('重新接入', 'join', 'plain'), { label: '重新接入' })}</section>
<section class="card" aria-label="核查项">${a.inspection!.checklist.map(
          (c) =>
            html`${form(
              html`<h3>${c.label}</h3>${hidden('itemCode', c.code)}<p>当前结果：${c.result?.label ?? '未记录'}${c.note ? `（${c.note}）` : ''}</p>${choice({ label: '结果', name: 'result', options: [['', '请选择'], ...Object.entries(CHECKLIST_RESULTS)], value: c.result?.code })}${field({ label: '问题说明', name: 'note', value: c.note ?? '' })}${submit('记录', 'record')}`,
              { label: c.label },
            )}`,
        )}</section>
<section class="card stack">${form(html`${hidden('version', a.version)}${submit('挂断', 'hangUp')}`, { label: '挂断' })}
${form(html`${hidden('version', a.version)}${field({ label: '未完成原因', name: 'reason' }, values)}${submit('结束核查（未完成）', 'notFinished', 'plain')}`, { label: '结束核查（未完成）' })}</section>`;
      },
    })
    .action('start', versionForm, async ({ form, caller, ctx, params }) => {
      await inspections.start(deps, ctx, caller, params.applicationId, form.version);
      return CZGOV_PAGES.inspection(params.applicationId);
    })
    .action('join', z.object({}), async ({ caller, ctx, params }) => {
      await inspections.officerJoins(deps, ctx, caller, params.applicationId);
      return CZGOV_PAGES.inspection(params.applicationId);
    })
    .action('record', ChecklistResult.extend({ itemCode: checklistItem }).refine(...noteForProblem), async ({ form: { itemCode, ...result }, caller, ctx, params }) => {
      await inspections.recordItem(deps, ctx, caller, params.applicationId, itemCode as (typeof CHECKLIST)[number]['code'], result);
      return CZGOV_PAGES.inspection(params.applicationId);
    })
    .action('hangUp', versionForm, async ({ form, caller, ctx, params }) => {
      await inspections.conclude(deps, ctx, caller, params.applicationId, form.version);
      return CZGOV_PAGES.application(params.applicationId);
    })
    .action('notFinished', z.object({ version: formVersion, reason: z.string({ error: fieldError('REASON_REQUIRED', '请填写核查未完成的原因') }).trim().min(1, { error: fieldError('REASON_REQUIRED', '请填写核查未完成的原因') }).max(500, { error: fieldError('REASON_TOO_LONG', '原因不能超过500字') }) }), async ({ form, caller, ctx, params }) => {
      await inspections.notFinished(deps, ctx, caller, params.applicationId, form);
      return CZGOV_PAGES.application(params.applicationId);
    });

  gov
    .page({
      path: CZGOV_PAGES.approval(':applicationId'),
      title: '审批',
      access: reviewer,
      params: applicationParam,
      view: async ({ caller, ctx, params }) => {
        const a = await applications.viewForAuthority(deps, ctx, caller, params.applicationId);
        return html`<section class="card">${facts([['申报编号', a.number], ['许可申办单位', a.enterprise.name], ['办理状态', a.status.label]], '审批')}
${a.next.includes('approve') ? form(html`${hidden('version', a.version)}${submit('审批通过', 'approve')}`, { label: '审批' }) : ''}</section>`;
      },
    })
    .action('approve', versionForm, async ({ form, caller, ctx, params }) => {
      await applications.approve(deps, ctx, caller, params.applicationId, form.version);
      return CZGOV_PAGES.application(params.applicationId);
    });

  return [web, app, gov];
}

/** The video room's page (the provider's link), to come back to `back`; none when the provider cannot say. */
async function roomUrlOf(deps: ServiceDeps, ctx: RunContext, applicationId: string, back: string): Promise<string | undefined> {
  const inspection = await store.latestInspection(deps.db, ctx.run, applicationId);
  if (!inspection?.roomId || inspection.status !== 'IN_PROGRESS') return undefined;
  const room = await videoOf(deps).room(ctx, inspection.roomId).catch(() => undefined);
  return room && `${room.roomUrl}?return=${encodeURIComponent(back)}`;
}
