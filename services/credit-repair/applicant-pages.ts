// 广州企业一网通's 信用修复 screens (phone-sized, SPEC E1–E3), served beside its API: 首页 → [更多业务]
// → 信用修复 → the kind's tile → 办事指南, tick 已阅读, [立即申请] → the subject (one of mine, or 其他
// typed in), [登录] (the legal representative's identity check) → 列严/列异信息, pick, [移出申请] → the
// application: check the subject and records, upload materials, [提交] → 申请提交成功 (受理编号);
// 进度查询: [确认] the mobile logged in, or another mobile with the code sent to it. The session is
// the `gzqy-session` cookie (mobile + SMS code, 登录), resolved by the same access declarations as
// the API's bearer token; every screen calls the use-cases the API calls and parses its forms with
// the API's fields.
import { anonymous } from '../../kernel/access.js';
import { fieldError, idNumber, mobile, personName, smsCode, uuid } from '../../kernel/fields.js';
import { html, type Markup } from '../../kernel/html.js';
import { maskMobile } from '../../kernel/identifiers.js';
import type { Live } from '../../kernel/live.js';
import { formList, formNumber, Pages } from '../../kernel/pages.js';
import { check, choice, facts, field, fileInput, form, hidden, submit, table, smsCodeLogin } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import type { ApplicantAccess } from './access.js';
import * as applicant from './applicant.js';
import { code, fileContent, fileName, kind, materialType, readGuide, recordIds, version } from './routes.js';
import { FILE_TYPES, KIND_CODES, KINDS, MATERIAL_TYPES, MAX_FILE_BYTES, type Kind } from './rules.js';
import * as sessions from './sessions.js';
import type { ProgressItem, RecordView } from './views.js';

export const GZQY_PAGES = {
  home: '/gzqy/',
  login: '/gzqy/login',
  /** 更多业务: the businesses of the mini program. */
  services: '/gzqy/services',
  /** 信用修复: the kinds' tiles and 进度查询. */
  creditRepair: '/gzqy/credit-repair',
  /** A tile that leads to more than one kind (企业、农专社经营异常名录信用修复): its kinds. */
  entry: (kind: string) => `/gzqy/credit-repair/entries/${kind}`,
  guide: (kind: string) => `/gzqy/credit-repair/guides/${kind}`,
  subject: (kind: string) => `/gzqy/credit-repair/guides/${kind}/subject`,
  /** The records of the subject logged in for (列严/列异信息). */
  records: '/gzqy/credit-repair/records',
  application: (caseId: string) => `/gzqy/credit-repair/applications/${caseId}`,
  submitted: (caseId: string) => `/gzqy/credit-repair/applications/${caseId}/submitted`,
  progress: '/gzqy/credit-repair/progress',
};

const rule = (codeName: string, message: string) => ({ error: fieldError(codeName, message) });
const kindParam = z.object({ kind });
const caseParam = z.object({ caseId: uuid });

/** The tiles of the 信用修复 page, in the kinds' order: each with the kinds it leads to. */
const ENTRIES = KIND_CODES.reduce<{ entry: string; kinds: Kind[] }[]>((tiles, k) => {
  const tile = tiles.find((t) => t.entry === KINDS[k].entry);
  if (tile) tile.kinds.push(k);
  else tiles.push({ entry: KINDS[k].entry, kinds: [k] });
  return tiles;
}, []);

/** What the records are called on the screens: 列严信息 (the serious list), 列异信息 (the abnormal lists and state). */
const recordsWord = (k: Kind) => (k === 'SERIOUS' ? '列严信息' : '列异信息');

const FILES_HINT = `支持${FILE_TYPES.map((t) => t.label).join('、')}格式，单个文件不超过${MAX_FILE_BYTES / 1024}KB`;
const NOTICE =
  '办理须知：申请人应当如实提交申请材料，并对材料的真实性负责（《市场监督管理信用修复管理办法》第十条）。点击“登录”将核验法定代表人（经营者）身份信息。';

/** A listing record as the screens show it (the card's name: its 列入决定书文号). */
const recordCard = (r: z.infer<typeof RecordView>, pick?: Markup) =>
  html`<li class="card" aria-label="${r.decisionNo}">${facts([
    ['列入原因', r.reason.label],
    ['列入日期', r.listedOn],
    ['列入决定书文号', r.decisionNo],
    ['列入机关', r.office.name],
    ['状态', r.status.label],
    ...(r.repairedOn ? ([['移出日期', r.repairedOn]] as [string, Markup][]) : []),
    ...(r.acceptanceNo ? ([['办理中受理编号', r.acceptanceNo]] as [string, Markup][]) : []),
  ])}${pick ?? ''}</li>`;

/** 进度查询's answer: every application found, the refusal's step and reason when refused. */
const progressShown = (found: { mobile: string; applications: z.infer<typeof ProgressItem>[] }) =>
  html`<section class="card" aria-label="办理进度"><h2>办理进度</h2>${facts([['查询手机号码', found.mobile]])}${
    found.applications.length
      ? html`<ul class="cards" aria-label="办理进度">${found.applications.map(
          (a) =>
            html`<li class="card" aria-label="${a.acceptanceNo}">${facts([
              ['受理编号', a.acceptanceNo],
              ['业务类型', a.service],
              ['主体名称', a.subject.name],
              ['统一社会信用代码', a.subject.uscc],
              ['受理日期', a.receivedOn],
              ['办理期限', a.dueOn],
              ['办理状态', a.status.label],
              ...(a.refusal
                ? ([
                    ['不予修复环节', a.refusal.step.label],
                    ['不予修复原因', a.refusal.reason],
                  ] as [string, Markup][])
                : []),
              ...(a.repairedOn ? ([['修复日期', a.repairedOn]] as [string, Markup][]) : []),
            ])}</li>`,
        )}</ul>`
      : html`<p>暂无办理记录</p>`
  }</section>`;

/** A checkbox sends "on" when ticked (已阅读: true); several ticked boxes of one name, a list. */
const ticked = (value: unknown) => (value === 'on' ? true : value);
const listOf = (value: unknown) => formList(value ?? []);

export function applicantPages(deps: sessions.Deps & { live: Live; access: ApplicantAccess }): Pages {
  const who = deps.access;
  const pages = new Pages(deps.live, {
    app: '广州企业一网通',
    layout: 'phone',
    home: GZQY_PAGES.home,
    session: { cookie: 'gzqy-session', path: '/gzqy' },
    redirects: { NOT_LOGGED_IN: GZQY_PAGES.login },
  });

  pages.page({
    path: GZQY_PAGES.home,
    title: '广州企业一网通',
    access: who.visitor,
    view: ({ caller }) =>
      html`<section class="hero"><h2>广州企业一网通</h2><p>${caller ? `您好，${maskMobile(caller.mobile)}` : '企业开办 · 变更 · 信用修复，一网通办'}</p></section>
<section class="card stack"><a class="button primary" href="${GZQY_PAGES.services}">更多业务</a>${caller ? '' : html`<a class="button plain" href="${GZQY_PAGES.login}">登录</a>`}</section>`,
  });

  // The mini program's login: mobile + SMS code.
  smsCodeLogin(pages, { path: GZQY_PAGES.login, title: '登录', back: GZQY_PAGES.home, formLabel: '手机号码登录', next: GZQY_PAGES.home }, (ctx, m) => sessions.sendApplicantCode(deps, ctx, m), (ctx, m, code) => sessions.applicantLogin(deps, ctx, m, code));

  pages.page({
    path: GZQY_PAGES.services,
    title: '更多业务',
    access: anonymous,
    back: GZQY_PAGES.home,
    view: () => html`<nav class="tiles" aria-label="更多业务"><a class="button plain" href="${GZQY_PAGES.creditRepair}">信用修复</a></nav>`,
  });

  // E1: the tiles of the four kinds (企业 and 农专社 share one), and 进度查询.
  pages.page({
    path: GZQY_PAGES.creditRepair,
    title: '信用修复',
    access: anonymous,
    back: GZQY_PAGES.services,
    view: () =>
      html`<nav class="stack" aria-label="信用修复">${ENTRIES.map(
        (t) => html`<a class="button plain" href="${t.kinds.length === 1 ? GZQY_PAGES.guide(t.kinds[0]!) : GZQY_PAGES.entry(t.kinds[0]!)}">${t.entry}</a>`,
      )}</nav>
<section class="card stack"><a class="button primary" href="${GZQY_PAGES.progress}">进度查询</a></section>`,
  });

  pages.page({
    path: GZQY_PAGES.entry(':kind'),
    title: '信用修复',
    access: anonymous,
    back: GZQY_PAGES.creditRepair,
    params: kindParam,
    view: ({ params }) => {
      const tile = ENTRIES.find((t) => t.kinds.includes(params.kind))!;
      return html`<section class="card"><h2>${tile.entry}</h2><p>请选择办理的业务</p></section>
<nav class="stack" aria-label="${tile.entry}">${tile.kinds.map((k) => html`<a class="button plain" href="${GZQY_PAGES.guide(k)}">${KINDS[k].service}</a>`)}</nav>`;
    },
  });

  // E1 / E2: 办事指南 — conditions, materials, time limit, files; tick 已阅读 → [立即申请].
  pages
    .page({
      path: GZQY_PAGES.guide(':kind'),
      title: '办事指南',
      access: anonymous,
      back: GZQY_PAGES.creditRepair,
      params: kindParam,
      view: ({ params, values }) => {
        const k = applicant.kinds().find((x) => x.kind === params.kind)!;
        return html`<section class="card" aria-label="办事指南"><h2>${k.service}</h2>${facts([
          ['业务名称', k.service],
          ['适用主体', k.subjectKind.label],
          ['办理时限', k.guide.timeLimit.label],
          ['材料要求', `${k.guide.files.types.join('、')}格式，单个文件不超过${k.guide.files.maxBytes / 1024}KB，每件申请最多${k.guide.files.maxFiles}个文件`],
          ['设定依据', k.guide.basis],
        ])}
<h3>受理条件</h3><ul aria-label="受理条件">${k.guide.conditions.map((c) => html`<li>${c}</li>`)}</ul>
${table(
  '申请材料',
  ['材料名称', '是否必需'],
  k.guide.materials.map((m) => [m.label, m.required ? '必需' : '可选']),
)}</section>
<section class="card">${form(html`${check({ label: '已阅读', name: 'readGuide' }, values)}${submit('立即申请')}`, { label: '立即申请' })}</section>`;
      },
    })
    .action('apply', z.object({ readGuide: z.preprocess(ticked, readGuide) }), async ({ params }) => GZQY_PAGES.subject(params.kind));

  // E2: the subject — one of mine (filled in from the registry), or 其他 typed in — then [登录].
  pages
    .page({
      path: GZQY_PAGES.subject(':kind'),
      title: '选择办理主体',
      access: who.mobile,
      back: GZQY_PAGES.creditRepair,
      params: kindParam,
      view: async ({ caller, ctx, params, values }) => {
        const mine = await applicant.mySubjects(deps, ctx, caller, params.kind);
        const notice = html`<p><small>${NOTICE}</small></p>`;
        return html`<section class="card" aria-label="名下主体"><h2>名下主体</h2>${
          mine.length
            ? html`<ul class="cards" aria-label="名下主体">${mine.map(
                (s) =>
                  html`<li class="card" aria-label="${s.name}">${facts([
                    ['主体名称', s.name],
                    ['注册号', s.registrationNo ?? '—'],
                    ['统一社会信用代码', s.uscc],
                    ['法定代表人', s.legalRepName],
                    ['身份证号码', s.idNumber],
                  ])}</li>`,
              )}</ul>${form(
                html`${choice({ label: '办理主体', name: 'uscc', options: mine.map((s): [string, string] => [s.uscc, s.name]) }, values)}${notice}${submit('登录', 'mine')}`,
                { label: '名下主体' },
              )}`
            : html`<p>您名下暂无可办理该业务的主体，请选择“其他”填写主体信息</p>`
        }</section>
<section class="card" aria-label="其他"><h2>其他</h2>${form(
          html`<p>办理其他主体的业务，请填写主体信息</p>
${field({ label: '注册号/统一社会信用代码', name: 'code' }, values)}
${field({ label: '法定代表人', name: 'legalRepName' }, values)}
${field({ label: '身份证号码', name: 'idNumber' }, values)}
${notice}${submit('登录', 'other')}`,
          { label: '其他主体' },
        )}</section>`;
      },
    })
    .action('mine', z.object({ uscc: code }), async ({ form, caller, ctx, params }) => {
      await applicant.logInForSubject(deps, ctx, caller, params.kind, { choice: 'MINE', uscc: form.uscc });
      return GZQY_PAGES.records;
    })
    .action('other', z.object({ code, legalRepName: personName, idNumber }), async ({ form, caller, ctx, params }) => {
      await applicant.logInForSubject(deps, ctx, caller, params.kind, { choice: 'OTHER', ...form });
      return GZQY_PAGES.records;
    });

  // E2: the subject's records of the kind — those listed to pick, those repaired with the date — → [移出申请].
  pages
    .page({
      path: GZQY_PAGES.records,
      title: '选择列入信息',
      access: who.subject,
      back: GZQY_PAGES.creditRepair,
      view: async ({ caller, ctx }) => {
        const records = await applicant.subjectRecords(deps, ctx, caller);
        const word = recordsWord(caller.subject.kind);
        return html`<section class="card" aria-label="主体信息">${facts([
          ['主体名称', caller.subject.name],
          ['统一社会信用代码', caller.subject.uscc],
          ['业务名称', KINDS[caller.subject.kind].service],
        ])}</section>
<section class="card">${form(
          html`<h2>${word}</h2><ul class="cards" aria-label="${word}">${records.map((r) =>
            recordCard(r, r.status.code === 'LISTED' ? check({ label: '选择', name: 'recordIds', value: r.recordId }) : ''),
          )}</ul>${submit('移出申请')}`,
          { label: '移出申请' },
        )}</section>`;
      },
    })
    .action('start', z.object({ recordIds: z.preprocess(listOf, recordIds) }), async ({ form, caller, ctx }) => {
      const started = await applicant.startApplication(deps, ctx, caller, [...new Set(form.recordIds.map((id) => id.toLowerCase()))]);
      return GZQY_PAGES.application(started.caseId);
    });

  // E2: the application — check the subject and records, upload the materials, [提交].
  pages
    .page({
      path: GZQY_PAGES.application(':caseId'),
      title: '信用修复申请',
      access: who.application('caseId'),
      back: GZQY_PAGES.creditRepair,
      params: caseParam,
      files: true,
      view: async ({ caller, ctx, values }) => {
        const a = await applicant.applicationOf(deps, ctx, caller);
        const draft = a.state.code === 'DRAFT';
        return html`<section class="card" aria-label="主体信息"><h2>主体信息</h2>${facts([
          ['主体名称', a.subject.name],
          ['统一社会信用代码', a.subject.uscc],
          ['注册号', a.subject.registrationNo],
          ['主体类型', a.subject.kind.label],
          ['业务名称', KINDS[a.kind.code as Kind].service],
          ['申请状态', a.state.label],
          ['受理编号', a.acceptanceNo ?? '—'],
        ])}</section>
<section class="card"><h2>${recordsWord(a.kind.code as Kind)}</h2><ul class="cards" aria-label="${recordsWord(a.kind.code as Kind)}">${a.records.map((r) => recordCard(r))}</ul></section>
<section class="card" aria-label="申请材料"><h2>申请材料</h2>${table(
          '申请材料',
          ['材料名称', '状态'],
          a.requiredMaterials.map((m) => [m.label, m.uploaded ? '已上传' : '未上传']),
        )}${table(
          '已上传文件',
          ['材料名称', '文件名', '大小'],
          a.materials.map((m) => [m.type.label, m.fileName, `${Math.ceil(m.size / 1024)}KB`]),
          '暂未上传文件',
        )}${
          draft
            ? form(
                html`${choice({ label: '材料类型', name: 'materialType', options: Object.entries(MATERIAL_TYPES) }, values)}${fileInput({ label: '选择文件', name: 'file', accept: '.pdf,.jpg,.jpeg,.png', hint: FILES_HINT })}${submit('上传', 'upload', 'plain')}`,
                { label: '上传材料', files: true },
              )
            : ''
        }</section>
${draft ? html`<section class="card">${form(html`${hidden('version', a.version)}${submit('提交', 'submit')}`, { label: '提交申请' })}</section>` : ''}`;
      },
    })
    .action(
      'upload',
      z.object({ materialType, file: z.object({ fileName, content: fileContent }, rule('MATERIAL_REQUIRED', '请选择要上传的文件')) }),
      async ({ form, caller, ctx, params }) => {
        await applicant.uploadMaterial(deps, ctx, caller, { materialType: form.materialType, fileName: form.file.fileName, content: form.file.content });
        return GZQY_PAGES.application(params.caseId);
      },
    )
    .action('submit', z.object({ version: z.preprocess(formNumber, version) }), async ({ form, caller, ctx, params }) => {
      await applicant.submit(deps, ctx, caller, form.version);
      return GZQY_PAGES.submitted(params.caseId);
    });

  pages.page({
    path: GZQY_PAGES.submitted(':caseId'),
    title: '申请提交成功',
    access: who.application('caseId'),
    back: GZQY_PAGES.creditRepair,
    params: caseParam,
    view: async ({ caller, ctx, params }) => {
      const a = await applicant.applicationOf(deps, ctx, caller);
      if (!a.acceptanceNo) return html`<section class="card"><p>申请尚未提交</p><a class="button primary" href="${GZQY_PAGES.application(params.caseId)}">继续申请</a></section>`;
      return html`<section class="card" aria-label="申请提交成功"><h2>申请提交成功</h2>${facts([
        ['受理编号', a.acceptanceNo],
        ['业务名称', KINDS[a.kind.code as Kind].service],
        ['主体名称', a.subject.name],
        ['申请状态', a.state.label],
        ['受理日期', a.receivedOn ?? '—'],
        ['办理时限', `${KINDS[a.kind.code as Kind].decisionDays}个工作日`],
        ['办理期限', a.dueOn ?? '—'],
      ])}</section>
<section class="card stack"><a class="button primary" href="${GZQY_PAGES.progress}">进度查询</a><a class="button plain" href="${GZQY_PAGES.home}">返回首页</a></section>`;
    },
  });

  // E3: 进度查询 — [确认] the mobile logged in, or another mobile with the code sent to it.
  pages
    .page({
      path: GZQY_PAGES.progress,
      title: '进度查询',
      access: who.mobile,
      back: GZQY_PAGES.creditRepair,
      view: ({ caller, values }) =>
        html`<section class="card" aria-label="当前登录手机号码"><p>查询当前登录手机号码关联企业所办理业务的进度</p>${facts([['手机号码', caller.mobile]])}${form(submit('确认', 'mine'), {
          label: '当前登录手机号码',
        })}</section>
<section class="card" aria-label="其他手机号码"><p>也可输入以前申请时使用的手机号码查询</p>${form(
          html`<div class="row">${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel' }, values)}${submit('获取验证码', 'code', 'plain')}</div>
${field({ label: '验证码', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' }, values)}
${submit('查询', 'other')}`,
          { label: '其他手机号码' },
        )}</section>`,
    })
    .action('mine', z.object({}), async ({ caller, ctx }) => {
      const found = await applicant.progress(deps, ctx, caller, {});
      return { notice: `共${found.applications.length}条办理记录`, result: progressShown(found) };
    })
    .action('code', z.object({ mobile }), async ({ form, ctx }) => {
      const sent = await sessions.sendCode(deps, ctx, 'PROGRESS_QUERY', form.mobile);
      return { notice: `验证码已发送至${form.mobile}，${sent.validSeconds / 60}分钟内有效` };
    })
    .action('other', z.object({ mobile, code: smsCode.optional() }), async ({ form, caller, ctx }) => {
      const found = await applicant.progress(deps, ctx, caller, form);
      return { notice: `共${found.applications.length}条办理记录`, result: progressShown(found) };
    });

  return pages;
}
