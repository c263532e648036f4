// 登记注册身份验证 app's screens (phone-sized), served beside its API, with the guide's labels:
// 登录 (身份证号 + 密码, or [人脸识别登录]), 新用户注册 (C1), 账号激活 (C2/C3) and 忘记密码 (C5) —
// name + ID, [扫描人脸] in 粤信签, back in the app, the password twice — and 账号管理 with 手机号
// (C6), 实名等级 (C7), 企业登记注册 (C8), 修改密码 and [退出登录] (C9); and the registrar's
// 实名验证情况查询 of a filing (C10). A refusal shows the FAQ's
// message (C11). The session is the `sdreg-session` cookie, resolved by the same access
// declaration as the API's bearer token. Every screen calls the use-cases the API calls.
import { anonymous } from '../../kernel/access.js';
import { calendarDay, idNumber, mobile, personName, uuid } from '../../kernel/fields.js';
import { html } from '../../kernel/html.js';
import type { Live } from '../../kernel/live.js';
import { Pages } from '../../kernel/pages.js';
import { choice, facts, field, form, submit, table } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import { ENTITY_KINDS, ROLES, type EntityKind, type Role } from './filings.js';
import * as uc from './use-cases.js';

export const SDREG_PAGES = {
  login: '/sdreg/',
  faceLogin: '/sdreg/login/face',
  faceLoginReturn: (faceCheckId: string) => `/sdreg/login/face/${faceCheckId}`,
  register: '/sdreg/register',
  activation: '/sdreg/activation',
  activationReturn: (faceCheckId: string) => `/sdreg/activation/${faceCheckId}`,
  reset: '/sdreg/password-reset',
  resetReturn: (faceCheckId: string) => `/sdreg/password-reset/${faceCheckId}`,
  me: '/sdreg/me',
  mobile: '/sdreg/me/mobile',
  mobileReturn: (faceCheckId: string) => `/sdreg/me/mobile/${faceCheckId}`,
  level: '/sdreg/me/level',
  levelReturn: (faceCheckId: string) => `/sdreg/me/level/${faceCheckId}`,
  registration: '/sdreg/me/registration',
  password: '/sdreg/me/password',
  filings: '/sdreg/filings',
};

const password = z.string().max(100);
const faceCheckParam = z.object({ faceCheckId: uuid });

export function registrationPages(deps: uc.Deps & { live: Live; publicUrl: () => string }): Pages {
  const user = uc.sdregUser(deps.db);
  const pages = new Pages(deps.live, {
    app: '登记注册身份验证',
    layout: 'phone',
    home: SDREG_PAGES.login,
    session: { cookie: 'sdreg-session', path: '/sdreg' },
  });
  /** 粤信签's page for a face check the app started, told to come back to `back(faceCheckId)`. */
  const toMiniProgram = (started: { faceCheckId: string; miniProgramUrl: string }, back: (faceCheckId: string) => string) =>
    `${started.miniProgramUrl}?return=${encodeURIComponent(`${deps.publicUrl()}${back(started.faceCheckId)}`)}`;

  // C4: 身份证号码 + 密码; the other ways in are linked.
  pages
    .page({
      path: SDREG_PAGES.login,
      title: '登录',
      access: anonymous,
      view: ({ values }) =>
        html`<section class="hero"><h2>登记注册身份验证</h2><p>企业登记相关自然人实名验证</p></section>
<section class="card">${form(
          html`${field({ label: '身份证号', name: 'idNumber' }, values)}
${field({ label: '密码', name: 'password', type: 'password', autocomplete: 'current-password' })}
${submit('登录')}`,
          { label: '登录' },
        )}</section>
<section class="card stack"><a class="button plain" href="${SDREG_PAGES.faceLogin}">人脸识别登录</a>
<a class="button plain" href="${SDREG_PAGES.register}">新用户注册</a>
<a class="button plain" href="${SDREG_PAGES.activation}">账号激活</a>
<a class="button plain" href="${SDREG_PAGES.reset}">忘记密码</a></section>`,
    })
    .action('login', z.object({ idNumber, password }), async ({ form, ctx, cookies }) => {
      cookies.keepSession((await uc.logIn(deps, ctx, form)).token);
      return SDREG_PAGES.me;
    });

  // C4: 身份证号 + 人脸识别.
  pages
    .page({
      path: SDREG_PAGES.faceLogin,
      title: '人脸识别登录',
      access: anonymous,
      back: SDREG_PAGES.login,
      view: ({ values }) =>
        html`<section class="card">${form(html`${field({ label: '身份证号', name: 'idNumber' }, values)}${submit('扫描人脸')}`, { label: '人脸识别登录' })}</section>`,
    })
    .action('start', z.object({ idNumber }), async ({ form, ctx }) => toMiniProgram(await uc.startFaceLogin(deps, ctx, form.idNumber), SDREG_PAGES.faceLoginReturn));
  pages
    .page({
      path: SDREG_PAGES.faceLoginReturn(':faceCheckId'),
      title: '人脸识别登录',
      access: anonymous,
      back: SDREG_PAGES.login,
      params: faceCheckParam,
      view: () => html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击完成登录。</p>${submit('完成登录')}`, { label: '完成登录' })}</section>`,
    })
    .action('complete', z.object({}), async ({ ctx, params, cookies }) => {
      cookies.keepSession((await uc.completeFaceLogin(deps, ctx, params.faceCheckId)).token);
      return SDREG_PAGES.me;
    });

  // C1: the four elements, the mobile, the password twice and 《用户协议》.
  pages
    .page({
      path: SDREG_PAGES.register,
      title: '新用户注册',
      access: anonymous,
      back: SDREG_PAGES.login,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>请填写本人基本信息</p>
${field({ label: '姓名', name: 'name', autocomplete: 'name' }, values)}
${field({ label: '身份证号', name: 'idNumber' }, values)}
${field({ label: '身份证生效日期', name: 'idValidFrom', type: 'date' }, values)}
${field({ label: '身份证失效日期', name: 'idValidTo', placeholder: 'YYYY-MM-DD', hint: '长期有效的身份证请填写“长期”' }, values)}
${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel', autocomplete: 'tel' }, values)}
${field({ label: '密码', name: 'password', type: 'password', autocomplete: 'new-password', hint: uc.PASSWORD_POLICY.message })}
${field({ label: '确认密码', name: 'confirmPassword', type: 'password', autocomplete: 'new-password' })}
${choice({ label: '用户协议', name: 'agreementAccepted', options: [['', '请阅读《用户协议》'], ['true', '已阅读并同意《用户协议》']] }, values)}
${submit('注册')}`,
          { label: '新用户注册' },
        )}<p>提示“省用户需要在国家平台激活”时，请<a href="${SDREG_PAGES.activation}">激活账号</a></p></section>`,
    })
    .action(
      'register',
      z.object({
        name: personName,
        idNumber,
        idValidFrom: calendarDay,
        idValidTo: z.union([calendarDay, z.literal('长期')]),
        mobile,
        password,
        confirmPassword: password,
        agreementAccepted: z.literal('true').optional(),
      }),
      async ({ form, ctx }) => {
        await uc.register(deps, ctx, { ...form, agreementAccepted: form.agreementAccepted === 'true' });
        return SDREG_PAGES.login;
      },
    );

  // C2/C3 账号激活 and C5 忘记密码: 第一步 name + ID + face, 第二步 the password twice.
  for (const [flow, path, back, title] of [
    ['ACTIVATION', SDREG_PAGES.activation, SDREG_PAGES.activationReturn, '账号激活'],
    ['RESET', SDREG_PAGES.reset, SDREG_PAGES.resetReturn, '忘记密码'],
  ] as const) {
    pages
      .page({
        path,
        title,
        access: anonymous,
        back: SDREG_PAGES.login,
        view: ({ values }) =>
          html`<section class="card">${form(
            html`<p>第一步：核验身份信息</p>
${field({ label: '姓名', name: 'name', autocomplete: 'name' }, values)}
${field({ label: '身份证号', name: 'idNumber' }, values)}
${submit('扫描人脸')}`,
            { label: '核验身份信息' },
          )}</section>`,
      })
      .action('start', z.object({ name: personName, idNumber }), async ({ form, ctx }) => toMiniProgram(await uc.startPasswordFlow(deps, ctx, flow, form), back));
    pages
      .page({
        path: back(':faceCheckId'),
        title,
        access: anonymous,
        back: SDREG_PAGES.login,
        params: faceCheckParam,
        view: () =>
          html`<section class="card">${form(
            html`<p>第二步：设置新密码</p>
${field({ label: '密码', name: 'password', type: 'password', autocomplete: 'new-password', hint: uc.PASSWORD_POLICY.message })}
${field({ label: '确认密码', name: 'confirmPassword', type: 'password', autocomplete: 'new-password' })}
${submit('确认')}`,
            { label: '设置新密码' },
          )}</section>`,
      })
      .action('password', z.object({ password, confirmPassword: password }), async ({ form, ctx, params }) => {
        await uc.finishPasswordFlow(deps, ctx, flow, params.faceCheckId, form);
        return SDREG_PAGES.login;
      });
  }

  // 账号管理: the account, the ways to change it, [退出登录] (C9).
  pages
    .page({
      path: SDREG_PAGES.me,
      title: '账号管理',
      access: user,
      back: SDREG_PAGES.login, // where one who is not logged in goes
      view: async ({ caller, ctx }) => {
        const view = await uc.userView(deps.db, ctx, caller.user);
        const authorisation = view.registrationAuthorisation;
        return html`<section class="card" aria-label="账号信息">${facts(
          [
            ['姓名', view.name],
            ['身份证号', view.idNumber],
            ['手机号', view.mobile ?? '未绑定'],
            ['实名等级', view.level.label],
            ['企业登记注册', authorisation.deadline ? `${authorisation.label}（截止日期 ${authorisation.deadline}）` : authorisation.label],
          ],
          '账号信息',
        )}</section>
<section class="card stack"><a class="button plain" href="${SDREG_PAGES.mobile}">修改手机号码</a>
<a class="button plain" href="${SDREG_PAGES.level}">实名等级</a>
<a class="button plain" href="${SDREG_PAGES.registration}">企业登记注册</a>
<a class="button plain" href="${SDREG_PAGES.password}">修改密码</a>
${form(submit('退出登录', 'logout', 'plain'), { label: '退出登录' })}</section>`;
      },
    })
    .action('logout', z.object({}), async ({ caller, ctx }) => {
      await uc.logOut(deps, ctx, caller.tokenHash);
      return SDREG_PAGES.login;
    });

  // C6 修改手机号码 and C7 四级实名: the user's face first.
  for (const [purpose, path, back, title, start] of [
    ['CHANGE_PHONE', SDREG_PAGES.mobile, SDREG_PAGES.mobileReturn, '修改手机号码', '扫描人脸'],
    ['LEVEL_UP', SDREG_PAGES.level, SDREG_PAGES.levelReturn, '实名等级', '四级实名'],
  ] as const) {
    pages
      .page({
        path,
        title,
        access: user,
        back: SDREG_PAGES.me,
        view: async ({ caller, ctx }) => {
          const view = await uc.userView(deps.db, ctx, caller.user);
          const now = purpose === 'CHANGE_PHONE' ? (['手机号', view.mobile ?? '未绑定'] as [string, string]) : (['实名等级', view.level.label] as [string, string]);
          return html`<section class="card">${facts([now])}${form(html`<p>请先通过人脸识别验证本人身份</p>${submit(start)}`, { label: title })}</section>`;
        },
      })
      .action('start', z.object({}), async ({ caller, ctx }) => toMiniProgram(await uc.startSelfCheck(deps, ctx, caller.user, purpose), back));
  }
  pages
    .page({
      path: SDREG_PAGES.mobileReturn(':faceCheckId'),
      title: '修改手机号码',
      access: user,
      back: SDREG_PAGES.me,
      params: faceCheckParam,
      view: ({ values }) =>
        html`<section class="card">${form(html`${field({ label: '新手机号码', name: 'mobile', type: 'tel', inputmode: 'tel' }, values)}${submit('确认')}`, { label: '修改手机号码' })}</section>`,
    })
    .action('change', z.object({ mobile }), async ({ form, caller, ctx, params }) => {
      await uc.changeMobile(deps, ctx, caller.user, { faceCheckId: params.faceCheckId, mobile: form.mobile });
      return SDREG_PAGES.me;
    });
  pages
    .page({
      path: SDREG_PAGES.levelReturn(':faceCheckId'),
      title: '实名等级',
      access: user,
      back: SDREG_PAGES.me,
      params: faceCheckParam,
      view: () => html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击确认提升为四级实名。</p>${submit('确认')}`, { label: '四级实名' })}</section>`,
    })
    .action('raise', z.object({}), async ({ caller, ctx, params }) => {
      await uc.raiseLevel(deps, ctx, caller.user, params.faceCheckId);
      return SDREG_PAGES.me;
    });

  // C8: 是否办理企业登记注册 + 企业登记注册截止日期 (四级实名 only).
  pages
    .page({
      path: SDREG_PAGES.registration,
      title: '企业登记注册',
      access: user,
      back: SDREG_PAGES.me,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>注意：只有四级实名的用户才可以参与企业登记注册功能。</p>
${choice({ label: '是否办理企业登记注册', name: 'participate', options: [['true', '是'], ['false', '否']] }, values)}
${field({ label: '企业登记注册截止日期', name: 'deadline', type: 'date', hint: '办理业务时不能超过此日期，否则无效' }, values)}
${submit('确认')}`,
          { label: '企业登记注册' },
        )}</section>`,
    })
    .action('answer', z.object({ participate: z.enum(['true', 'false']), deadline: calendarDay.optional() }), async ({ form, caller, ctx }) => {
      await uc.answerRegistration(deps, ctx, caller.user, { participate: form.participate === 'true', deadline: form.deadline });
      return SDREG_PAGES.me;
    });

  // C9 修改密码: every session ends, so the user logs in again.
  pages
    .page({
      path: SDREG_PAGES.password,
      title: '修改密码',
      access: user,
      back: SDREG_PAGES.me,
      view: () =>
        html`<section class="card">${form(
          html`${field({ label: '旧密码', name: 'oldPassword', type: 'password', autocomplete: 'current-password' })}
${field({ label: '新密码', name: 'newPassword', type: 'password', autocomplete: 'new-password', hint: uc.PASSWORD_POLICY.message })}
${field({ label: '确认新密码', name: 'confirmPassword', type: 'password', autocomplete: 'new-password' })}
${submit('确认')}`,
          { label: '修改密码' },
        )}</section>`,
    })
    .action('change', z.object({ oldPassword: password, newPassword: password, confirmPassword: password }), async ({ form, caller, ctx }) => {
      await uc.changePassword(deps, ctx, caller.user, form);
      return SDREG_PAGES.login;
    });
  // C10: before a filing, the registrar (登记员) checks that every natural person of it is verified.
  const filingForm = z.object({
    entityKind: z.enum(Object.keys(ENTITY_KINDS) as [EntityKind]),
    ...Object.fromEntries(
      FILING_SLOTS.flatMap((n) => [
        [`name${n}`, z.string().max(50).optional()],
        [`idNumber${n}`, z.string().max(40).optional()],
        [`role${n}`, z.enum(Object.keys(ROLES) as [Role]).optional()],
        [`otherRole${n}`, z.enum(Object.keys(ROLES) as [Role]).optional()],
        [`origin${n}`, z.enum(Object.keys(ORIGINS) as [uc.FilingPerson['origin']]).optional()],
      ]),
    ),
  });
  /** The persons the form lists: each slot with a name, its roles (one or two). */
  const personsOf = (form: Record<string, string | undefined>): uc.FilingPerson[] =>
    FILING_SLOTS.filter((n) => form[`name${n}`]).map((n) => ({
      name: form[`name${n}`]!,
      idNumber: form[`idNumber${n}`] ?? '',
      roles: [...new Set([form[`role${n}`], form[`otherRole${n}`]].filter((r): r is Role => r !== undefined))],
      origin: (form[`origin${n}`] ?? 'MAINLAND') as uc.FilingPerson['origin'],
    }));
  const roleOptions: [string, string][] = Object.entries(ROLES);
  pages
    .page({
      path: SDREG_PAGES.filings,
      title: '实名验证情况查询',
      access: anonymous,
      back: SDREG_PAGES.login,
      query: filingForm.partial(),
      view: async ({ ctx, query }) => {
        const sent = query as Record<string, string>; // parsed by filingForm: a kind and roles of the lists
        const result = sent.entityKind ? await uc.checkReadiness(deps, ctx, { entityKind: sent.entityKind as EntityKind, persons: personsOf(sent) }) : undefined;
        return html`<section class="card">${form(
          html`<p>登记机关办理设立登记前，核验相关自然人是否已完成实名验证（港澳台及外国投资者暂不纳入）</p>
${choice({ label: '主体类型', name: 'entityKind', options: Object.entries(ENTITY_KINDS) }, sent)}
${FILING_SLOTS.map(
  (n) => html`<fieldset><legend>第${n}人</legend>
${field({ label: `第${n}人姓名`, name: `name${n}` }, sent)}
${field({ label: `第${n}人证件号码`, name: `idNumber${n}` }, sent)}
${choice({ label: `第${n}人身份`, name: `role${n}`, options: roleOptions }, sent)}
${choice({ label: `第${n}人其他身份`, name: `otherRole${n}`, options: [['', '无'], ...roleOptions] }, sent)}
${choice({ label: `第${n}人地区`, name: `origin${n}`, options: Object.entries(ORIGINS) }, sent)}</fieldset>`,
)}
${submit('查询')}`,
          { label: '实名验证情况查询' },
        )}</section>
${
  result
    ? html`<section class="card" aria-label="查询结果">${facts([
        ['主体类型', result.entityKind.label],
        ['查询结果', result.ready ? '相关人员均已完成实名验证，可以办理登记' : '有人员未完成实名验证，暂不能办理登记'],
      ])}${table(
        '人员验证情况',
        ['姓名', '证件号码', '身份', '验证状态', '未完成事项'],
        result.persons.map((p) => [p.name, p.idNumber, p.roles.map((r) => r.label).join('、'), FILING_STATUS_LABEL[p.status], p.missing.map((m) => m.label).join('、')]),
      )}</section>`
    : ''
}`;
      },
    })
    // The check changes nothing: the answer is the page of the filing's address (a link to it shows it again).
    .action('check', filingForm, async ({ form }) => `${SDREG_PAGES.filings}?${new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined))}`);
  return pages;
}

const FILING_SLOTS = [1, 2, 3, 4, 5];
const ORIGINS = { MAINLAND: '内地', HONG_KONG: '香港', MACAO: '澳门', TAIWAN: '台湾', FOREIGN: '外国' } as const;
export const FILING_STATUS_LABEL = { VERIFIED: '已验证', MISSING: '未完成', EXEMPT: '免于验证' } as const;
