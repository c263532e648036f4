// 粤商通's screens (phone-sized), served beside its API: 首页 → [请登录] → [人脸识别登录] (name + ID
// → 粤信签 → back in the app, [完成登录]) or [手机号码登录] (mobile + SMS code), and 我的, the
// personal account (A1–A3). The session is the `yst-session` cookie, resolved by the same access
// declarations as the API's bearer token. Every screen calls the use-cases the API calls.
import { anonymous } from '../../kernel/access.js';
import { idNumber, mobile, personName, smsCode, uuid } from '../../kernel/fields.js';
import { html } from '../../kernel/html.js';
import { maskName } from '../../kernel/identifiers.js';
import type { Live } from '../../kernel/live.js';
import { Pages } from '../../kernel/pages.js';
import { facts, field, form, submit } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import type { YstAccess } from './access.js';
import * as uc from './use-cases.js';

export const YST_PAGES = {
  home: '/yst/',
  login: '/yst/login',
  faceLogin: '/yst/login/face',
  faceReturn: (faceCheckId: string) => `/yst/login/face/${faceCheckId}`,
  phoneLogin: '/yst/login/phone',
  me: '/yst/me',
};

export function yueshangtongPages(deps: uc.Deps & { live: Live; access: YstAccess }): Pages {
  const { person, visitor } = deps.access;
  const pages = new Pages(deps.live, {
    app: '粤商通',
    layout: 'phone',
    home: YST_PAGES.home,
    session: { cookie: 'yst-session', path: '/yst' },
    redirects: { NOT_LOGGED_IN: YST_PAGES.login },
  });

  pages.page({
    path: YST_PAGES.home,
    title: '粤商通',
    access: visitor,
    view: ({ caller }) =>
      html`<section class="hero"><h2>粤商通</h2><p>${caller ? `您好，${maskName(caller.person.name)}` : '涉企服务一站通'}</p></section>
<section class="card stack">${caller ? html`<a class="button primary" href="${YST_PAGES.me}">我的</a>` : html`<a class="button primary" href="${YST_PAGES.login}">请登录</a>`}</section>`,
  });

  // A1 / A2: the two ways in.
  pages.page({
    path: YST_PAGES.login,
    title: '请登录',
    access: anonymous,
    back: YST_PAGES.home,
    view: () =>
      html`<section class="card stack"><p>请选择登录方式</p>
<a class="button primary" href="${YST_PAGES.faceLogin}">人脸识别登录</a>
<a class="button plain" href="${YST_PAGES.phoneLogin}">手机号码登录</a></section>`,
  });

  // A1: 输入身份信息, then 粤信签 opens (the mini-program's page, told where to come back to).
  pages
    .page({
      path: YST_PAGES.faceLogin,
      title: '人脸识别登录',
      access: anonymous,
      back: YST_PAGES.login,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>请输入身份信息，然后在微信“粤信签”小程序完成人脸识别验证</p>
${field({ label: '姓名', name: 'name', autocomplete: 'name' }, values)}
${field({ label: '身份证号码', name: 'idNumber' }, values)}
${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel', hint: '选填：首次登录时绑定，用于手机号码登录' }, values)}
${submit('下一步')}`,
          { label: '输入身份信息' },
        )}</section>`,
    })
    .action('start', z.object({ name: personName, idNumber, mobile: mobile.optional() }), async ({ form, ctx }) => {
      const started = await uc.startFaceLogin(deps, ctx, form);
      const back = `${deps.publicUrl()}${YST_PAGES.faceReturn(started.faceCheckId)}`;
      return `${started.miniProgramUrl}?return=${encodeURIComponent(back)}`;
    });

  // A1 / A3 / B1: back from 粤信签, logged in (the first time, the personal account is made).
  pages
    .page({
      path: YST_PAGES.faceReturn(':faceCheckId'),
      title: '人脸识别登录',
      access: anonymous,
      back: YST_PAGES.login,
      params: z.object({ faceCheckId: uuid }),
      view: () =>
        html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击完成登录。</p>${submit('完成登录')}`, { label: '完成登录' })}</section>`,
    })
    .action('complete', z.object({}), async ({ ctx, params, cookies }) => {
      cookies.keepSession((await uc.completeFaceLogin(deps, ctx, params.faceCheckId)).token);
      return YST_PAGES.me;
    });

  // A2: [获取验证码], then [登录] with the code from the SMS.
  pages
    .page({
      path: YST_PAGES.phoneLogin,
      title: '手机号码登录',
      access: anonymous,
      back: YST_PAGES.login,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<div class="row">${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel', autocomplete: 'tel' }, values)}${submit('获取验证码', 'code', 'plain')}</div>
${field({ label: '验证码', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' }, values)}
${submit('登录', 'login')}`,
          { label: '手机号码登录' },
        )}</section>`,
    })
    .action('code', z.object({ mobile }), async ({ form, ctx }) => {
      const sent = await uc.sendLoginCode(deps, ctx, form.mobile);
      return { notice: `验证码已发送，${sent.validSeconds / 60}分钟内有效` };
    })
    .action('login', z.object({ mobile, code: smsCode }), async ({ form, ctx, cookies }) => {
      cookies.keepSession((await uc.loginWithCode(deps, ctx, form.mobile, form.code)).token);
      return YST_PAGES.me;
    });

  // A3: 我的 — the real-name personal account, shown to its owner in full.
  pages.page({
    path: YST_PAGES.me,
    title: '我的',
    access: person,
    back: YST_PAGES.home,
    view: ({ caller }) =>
      html`<section class="card" aria-label="个人账号"><h2>个人账号</h2>${facts(
        [
          ['姓名', caller.person.name],
          ['身份证号码', caller.person.idNumber],
          ['手机号码', caller.person.mobile ?? '未绑定'],
          ['实名状态', html`<span class="tag ok">已实名</span>`],
        ],
        '个人账号',
      )}</section>`,
  });
  return pages;
}
