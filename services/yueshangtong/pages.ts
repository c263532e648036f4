// 粤商通's screens (phone-sized), served beside its API: 首页 → [请登录] → [人脸识别登录] (name + ID
// → 粤信签 → back in the app, [完成登录]) or [手机号码登录] (mobile + SMS code), and 我的, the
// personal account (A1–A3); 我的 → [切换企业]: 请选择办事企业 (each account: 账号信息, [选择办事]),
// [添加企业] → [立即添加], 经办人管理 → [添加经办人] → the share link the invitee opens, face-verifies
// in 粤信签 and is authorised (B1–B5). The session is the `yst-session` cookie, resolved by the same
// access declarations as the API's bearer token. Every screen calls the use-cases the API calls.
import { anonymous } from '../../kernel/access.js';
import { notFound } from '../../kernel/errors.js';
import { FOREVER, authorisationEnd, enterpriseName, idNumber, mobile, personName, uscc, uuid } from '../../kernel/fields.js';
import type { RunContext } from '../../kernel/http.js';
import { html, type Markup } from '../../kernel/html.js';
import { maskName } from '../../kernel/identifiers.js';
import type { Live } from '../../kernel/live.js';
import { Pages, type ViewInput } from '../../kernel/pages.js';
import { facts, field, form, submit, smsCodeLogin } from '../../kernel/widgets.js';
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
  /** 请选择办事企业: the enterprise accounts the person may use (我的 → 切换企业). */
  accounts: '/yst/enterprises',
  addEnterprise: '/yst/enterprises/add',
  /** The account acted for ([选择办事]). */
  acting: '/yst/me/enterprise',
  account: (accountId: string) => `/yst/enterprise-accounts/${accountId}`,
  agents: (accountId: string) => `/yst/enterprise-accounts/${accountId}/agents`,
  addAgent: (accountId: string) => `/yst/enterprise-accounts/${accountId}/agents/add`,
  agent: (accountId: string, memberId: string) => `/yst/enterprise-accounts/${accountId}/agents/${memberId}`,
  /** 关联企业账号 (B7): an enterprise found by its credit code, its accounts listed. */
  findEnterprise: '/yst/enterprises/find',
  enterpriseAccounts: (code: string) => `/yst/enterprises/${code}/accounts`,
  link: (accountId: string) => `/yst/enterprise-accounts/${accountId}/link`,
  linkRequests: (accountId: string) => `/yst/enterprise-accounts/${accountId}/link-requests`,
  linkRequest: (accountId: string, requestId: string) => `/yst/enterprise-accounts/${accountId}/link-requests/${requestId}`,
  /** The certification link sent to the legal representative by SMS (B4). */
  certification: (token: string) => `/yst/certifications/${token}`,
  certificationReturn: (token: string, faceCheckId: string) => `/yst/certifications/${token}/face/${faceCheckId}`,
  /** The share link: what the invitee opens. */
  invitation: (token: string) => `/yst/invitations/${token}`,
  invitationReturn: (token: string, faceCheckId: string) => `/yst/invitations/${token}/face/${faceCheckId}`,
};

/** 粤商通's session cookie, for every module's screens of the app. */
export const YST_SESSION = { cookie: 'yst-session', path: '/yst' };

const MEMBER_STATUS = { INVITED: '待认证', ACTIVE: '已授权', REVOKED: '已撤销' } as const;
const LINK_STATUS = { PENDING: '待处理', APPROVED: '已同意', REJECTED: '已拒绝' } as const;
const accountParam = z.object({ accountId: uuid });
const tokenParam = z.object({ token: z.string().min(10) });

type AccountView = ReturnType<typeof uc.accountView>;
type MemberView = ReturnType<typeof uc.memberView>;

const trustTag = (account: AccountView) => html`<span class="tag${account.trust.code === 'CERTIFIED' ? ' ok' : ''}">${account.trust.label}</span>`;

/** What every account screen shows of an account: the enterprise, the account, its trust, its applicant. */
/** An agent as 经办人管理 lists them: ID and phone masked (the use-case's view), 加入日期, 授权截止日期. */
const memberFacts = (m: MemberView): [string, Markup][] => [
  ['姓名', m.name],
  ['身份证号码', m.idNumber],
  ['手机号码', m.mobile ?? '—'],
  ['角色', m.role.label],
  ['状态', MEMBER_STATUS[m.status]],
  ['加入日期', m.joinedOn ?? '—'],
  ['授权截止日期', m.authEndLabel],
];

const accountFacts = (account: AccountView): [string, Markup][] => [
  ['企业名称', account.enterprise.name],
  ['统一社会信用代码', account.enterprise.uscc],
  ['账号', account.accountName],
  ['认证状态', trustTag(account)],
  ['账号申请人', account.applicant],
];

/**
 * What a domain served inside 粤商通 shows on its 首页 (the risk warnings' search and popup): each
 * part asks for the caller under the access it declares (`granted`) and shows nothing when refused.
 */
export type HomePart = (input: { ctx: RunContext; granted: ViewInput<unknown, unknown, unknown>['granted'] }) => Promise<Markup>;

export function yueshangtongPages(deps: uc.Deps & { live: Live; access: YstAccess }, homeParts: HomePart[] = []): Pages {
  const { person, visitor, actingFor, memberOf } = deps.access;
  const pages = new Pages(deps.live, {
    app: '粤商通',
    layout: 'phone',
    home: YST_PAGES.home,
    session: YST_SESSION,
    redirects: { NOT_LOGGED_IN: YST_PAGES.login },
  });

  pages.page({
    path: YST_PAGES.home,
    title: '粤商通',
    access: visitor,
    view: async ({ caller, ctx, granted }) =>
      html`<section class="hero"><h2>粤商通</h2><p>${caller ? `您好，${maskName(caller.person.name)}` : '涉企服务一站通'}</p></section>
${await Promise.all(homeParts.map((part) => part({ ctx, granted })))}
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
  smsCodeLogin(pages, { path: YST_PAGES.phoneLogin, title: '手机号码登录', back: YST_PAGES.login, formLabel: '手机号码登录', next: YST_PAGES.me }, (ctx, m) => uc.sendLoginCode(deps, ctx, m), (ctx, m, code) => uc.loginWithCode(deps, ctx, m, code));

  // A3: 我的 — the real-name personal account, shown to its owner in full; [退出登录] ends the session.
  pages
    .page({
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
      )}</section>
<section class="card stack"><a class="button primary" href="${YST_PAGES.accounts}">切换企业</a><a class="button plain" href="${YST_PAGES.acting}">当前办事企业</a>${form(submit('退出登录', 'logout', 'plain'))}</section>`,
  })
    .action('logout', z.object({}), async ({ caller, ctx, cookies }) => {
      await uc.logOut(deps, ctx, caller);
      cookies.forgetSession();
      return YST_PAGES.home;
    });

  // B1 / B2: 请选择办事企业 — every account this person may use, each to look at or to act for.
  pages.page({
    path: YST_PAGES.accounts,
    title: '请选择办事企业',
    access: person,
    back: YST_PAGES.me,
    view: async ({ caller, ctx }) => {
      const accounts = await uc.myEnterpriseAccounts(deps, ctx, caller.person);
      return html`<ul class="cards" aria-label="企业账号">${accounts.map(
        (a) =>
          html`<li class="card" aria-label="${a.enterprise.name}（${a.accountName}）">${facts(accountFacts(a))}
<a class="button plain" href="${YST_PAGES.account(a.accountId)}">账号信息</a>${form(submit('选择办事', 'choose'), { action: YST_PAGES.account(a.accountId) })}</li>`,
      )}</ul>${accounts.length ? '' : html`<p>您还没有可办事的企业账号</p>`}
<section class="card stack"><a class="button primary" href="${YST_PAGES.addEnterprise}">添加企业</a><a class="button plain" href="${YST_PAGES.findEnterprise}">关联企业账号</a></section>`;
    },
  });

  // B7: 关联企业账号 — the enterprise by its credit code, then its accounts, each to ask to join.
  pages
    .page({
      path: YST_PAGES.findEnterprise,
      title: '关联企业账号',
      access: person,
      back: YST_PAGES.accounts,
      view: ({ values }) =>
        html`<section class="card">${form(html`<p>关联他人创建的已认证企业账号，需账号申请人同意</p>${field({ label: '统一社会信用代码', name: 'uscc' }, values)}${submit('查询')}`, { label: '查询企业' })}</section>`,
    })
    .action('find', z.object({ uscc }), async ({ form }) => YST_PAGES.enterpriseAccounts(form.uscc));

  pages.page({
    path: YST_PAGES.enterpriseAccounts(':uscc'),
    title: '企业账号',
    access: person,
    back: YST_PAGES.findEnterprise,
    params: z.object({ uscc }),
    view: async ({ ctx, params }) => {
      const accounts = await uc.accountsOfEnterprise(deps, ctx, params.uscc);
      return html`<ul class="cards" aria-label="企业账号">${accounts.map(
        (a) =>
          html`<li class="card" aria-label="${a.enterprise.name}（${a.accountName}）">${facts(accountFacts(a))}
<a class="button plain" href="${YST_PAGES.account(a.accountId)}">账号信息</a><a class="button plain" href="${YST_PAGES.link(a.accountId)}">申请关联</a>${form(submit('选择办事', 'choose'), { action: YST_PAGES.account(a.accountId) })}</li>`,
      )}</ul>`;
    },
  });

  pages
    .page({
      path: YST_PAGES.link(':accountId'),
      title: '申请关联',
      access: person,
      params: accountParam,
      view: () => html`<section class="card">${form(html`<p>申请关联该企业账号，账号申请人同意后您即可为该企业办事</p>${submit('申请关联')}`, { label: '申请关联' })}</section>`,
    })
    .action('link', z.object({}), async ({ caller, ctx, params }) => {
      const request = await uc.requestLink(deps, ctx, caller, params.accountId);
      return { notice: `关联申请已提交，请等待账号申请人${request.applicant}同意` };
    });

  // B7: the applicant's side — the requests to join, each consented to (with 授权期限) or refused.
  pages.page({
    path: YST_PAGES.linkRequests(':accountId'),
    title: '关联申请',
    access: memberOf('accountId', 'ANY', 'APPLICANT'),
    params: accountParam,
    view: async ({ caller, ctx, params }) => {
      const requests = await uc.listLinkRequests(deps, ctx, caller);
      return html`<ul class="cards" aria-label="关联申请">${requests.map(
        (r) =>
          html`<li class="card" aria-label="${r.requester}的关联申请">${facts([
            ['申请人', r.requester],
            ['身份证号码', r.requesterIdNumber],
            ['状态', LINK_STATUS[r.status as keyof typeof LINK_STATUS] ?? r.status],
          ])}${r.status === 'PENDING' ? html`<a class="button primary" href="${YST_PAGES.linkRequest(params.accountId, r.requestId)}">处理</a>` : ''}</li>`,
      )}</ul>${requests.length ? '' : html`<p>暂无关联申请</p>`}`;
    },
  });

  pages
    .page({
      path: YST_PAGES.linkRequest(':accountId', ':requestId'),
      title: '处理关联申请',
      access: memberOf('accountId', 'ANY', 'APPLICANT'),
      params: z.object({ accountId: uuid, requestId: uuid }),
      view: ({ values }) =>
        html`<section class="card">${form(
          html`${field({ label: '授权截止日期', name: 'authEnd', placeholder: 'YYYY-MM-DD', hint: '填写日期，或填写“长期有效”' }, values)}${submit('同意', 'approve')}${submit('拒绝', 'refuse', 'plain')}`,
          { label: '处理关联申请' },
        )}</section>`,
    })
    .action('approve', z.object({ authEnd: authorisationEnd.prefault('长期有效') }), async ({ form, caller, ctx, params }) => {
      await uc.decideLink(deps, ctx, caller, params.requestId, { approve: true, authEnd: form.authEnd });
      return YST_PAGES.linkRequests(params.accountId);
    })
    .action('refuse', z.object({}), async ({ caller, ctx, params }) => {
      await uc.decideLink(deps, ctx, caller, params.requestId, { approve: false, authEnd: FOREVER });
      return YST_PAGES.linkRequests(params.accountId);
    });

  // B3: [添加企业] → enterprise info → [立即添加].
  pages
    .page({
      path: YST_PAGES.addEnterprise,
      title: '添加企业',
      access: person,
      back: YST_PAGES.accounts,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>请输入企业信息</p>
${field({ label: '企业名称', name: 'enterpriseName' }, values)}
${field({ label: '统一社会信用代码', name: 'uscc' }, values)}
${submit('立即添加')}`,
          { label: '企业信息' },
        )}</section>`,
    })
    .action('add', z.object({ enterpriseName, uscc }), async ({ form, caller, ctx }) => {
      await uc.addEnterprise(deps, ctx, caller.person, form);
      return YST_PAGES.accounts;
    });

  // B2: the account acted for; nobody acts for one before choosing it (请选择办事企业).
  pages.page({
    path: YST_PAGES.acting,
    title: '当前办事企业',
    access: actingFor('ANY'),
    back: YST_PAGES.me,
    view: ({ caller }) =>
      html`<section class="card" aria-label="当前办事企业">${facts(accountFacts(uc.accountOfCaller(caller)), '当前办事企业')}</section>
<section class="card stack"><a class="button plain" href="${YST_PAGES.accounts}">切换企业</a></section>`,
  });

  // B2 / B4 / B7: 账号信息 of one account — [选择办事], and [去认证>] while 未认证.
  pages
    .page({
      path: YST_PAGES.account(':accountId'),
      title: '账号信息',
      access: memberOf('accountId'),
      back: YST_PAGES.accounts,
      params: accountParam,
      view: ({ caller, params }) => {
        const account = uc.accountOfCaller(caller);
        return html`<section class="card" aria-label="账号信息">${facts(
          [
            ...accountFacts(account),
            ['您加入的日期', account.joinedOn ?? '—'],
            ['您的授权日期', account.authEndLabel ?? '—'],
          ],
          '账号信息',
        )}${account.trust.code === 'CERTIFIED' ? '' : form(html`<p>部分业务办理需完成企业账户认证</p>${submit('去认证>', 'certify', 'plain')}`)}</section>
<section class="card stack">${form(submit('选择办事', 'choose'))}<a class="button plain" href="${YST_PAGES.agents(params.accountId)}">经办人管理</a><a class="button plain" href="${YST_PAGES.linkRequests(params.accountId)}">关联申请</a></section>`;
      },
    })
    .action('choose', z.object({}), async ({ caller, ctx }) => {
      await uc.chooseAccount(deps, ctx, caller);
      return YST_PAGES.home; // 首页 of the enterprise entered: what it has to show pops up there (D2)
    })
    .action('certify', z.object({}), async ({ caller, ctx }) => {
      const sent = await uc.requestCertification(deps, ctx, caller);
      return { notice: `认证链接已发送给法定代表人${sent.legalRep}` };
    });

  // B4: the certification link — the legal representative verifies their face in 粤信签.
  pages
    .page({
      path: YST_PAGES.certification(':token'),
      title: '企业账号认证',
      access: anonymous,
      params: tokenParam,
      view: () =>
        html`<section class="card">${form(html`<p>请法定代表人本人在微信“粤信签”小程序完成人脸识别验证，验证通过后企业账号即为已认证</p>${submit('人脸识别认证')}`, { label: '企业账号认证' })}</section>`,
    })
    .action('start', z.object({}), async ({ ctx, params }) => {
      const started = await uc.startCertificationFace(deps, ctx, params.token);
      const back = `${deps.publicUrl()}${YST_PAGES.certificationReturn(params.token, started.faceCheckId)}`;
      return `${started.miniProgramUrl}?return=${encodeURIComponent(back)}`;
    });

  pages
    .page({
      path: YST_PAGES.certificationReturn(':token', ':faceCheckId'),
      title: '企业账号认证',
      access: anonymous,
      params: z.object({ token: tokenParam.shape.token, faceCheckId: uuid }),
      view: () => html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击完成认证。</p>${submit('完成认证')}`, { label: '完成认证' })}</section>`,
    })
    .action('confirm', z.object({}), async ({ ctx, params }) => {
      const account = await uc.confirmCertification(deps, ctx, params.token, params.faceCheckId);
      return { notice: `${account.enterprise.name}的企业账号${account.accountName}已认证` };
    });

  // B5: 经办人管理 — the account's agents, ID and phone masked.
  pages.page({
    path: YST_PAGES.agents(':accountId'),
    title: '经办人管理',
    access: memberOf('accountId'),
    params: accountParam,
    view: async ({ caller, ctx, params }) => {
      const members = await uc.listMembers(deps, ctx, caller);
      return html`<ul class="cards" aria-label="经办人">${members.map(
        (m) =>
          html`<li class="card" aria-label="${m.name}">${facts(memberFacts(m))}<a class="button plain" href="${YST_PAGES.agent(params.accountId, m.memberId)}">详情</a></li>`,
      )}</ul>
<section class="card stack"><a class="button primary" href="${YST_PAGES.addAgent(params.accountId)}">添加经办人</a></section>`;
    },
  });

  // B5 / B6: [添加经办人] — the invitee's name, ID, phone and 授权期限; then the link to share.
  pages
    .page({
      path: YST_PAGES.addAgent(':accountId'),
      title: '添加经办人',
      access: memberOf('accountId'),
      params: accountParam,
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<p>请填写经办人信息，添加后将生成分享链接，经办人打开链接完成人脸识别即授权成功</p>
${field({ label: '姓名', name: 'name' }, values)}
${field({ label: '身份证号码', name: 'idNumber' }, values)}
${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel' }, values)}
${field({ label: '授权截止日期', name: 'authEnd', placeholder: 'YYYY-MM-DD', hint: '填写日期，或填写“长期有效”' }, values)}
${submit('确定')}`,
          { label: '经办人信息' },
        )}</section>`,
    })
    .action('add', z.object({ name: personName, idNumber, mobile, authEnd: authorisationEnd }), async ({ form, caller, ctx }) => {
      const invitation = await uc.addAgent(deps, ctx, caller, form);
      return YST_PAGES.invitation(invitation.invitationToken);
    });

  // B8: one agent (declared after [添加经办人], whose path it would take) — revoked at once by the account's legal representative or applicant.
  pages
    .page({
      path: YST_PAGES.agent(':accountId', ':memberId'),
      title: '经办人',
      access: memberOf('accountId', 'ANY', 'MANAGER'),
      params: z.object({ accountId: uuid, memberId: uuid }),
      view: async ({ caller, ctx, params }) => {
        const member = (await uc.listMembers(deps, ctx, caller)).find((m) => m.memberId === params.memberId);
        if (!member) throw notFound('MEMBER_NOT_FOUND', '经办人不存在或已撤销');
        return html`<section class="card" aria-label="经办人">${facts(
          memberFacts(member),
          '经办人',
        )}${member.status === 'REVOKED' || member.role.code === 'APPLICANT' ? '' : form(submit('撤销授权', 'revoke', 'plain'))}</section>`;
      },
    })
    .action('revoke', z.object({}), async ({ caller, ctx, params }) => {
      await uc.revokeMember(deps, ctx, caller, params.memberId);
      return YST_PAGES.agents(params.accountId);
    });

  // B5: the share link — the invitee sees who invites them to what, and verifies their face in 粤信签.
  pages
    .page({
      path: YST_PAGES.invitation(':token'),
      title: '经办人邀请',
      access: anonymous,
      params: tokenParam,
      view: async ({ ctx, params }) => {
        const invitation = await uc.invitationInfo(deps, ctx, params.token);
        return html`<section class="card" aria-label="经办人邀请">${facts(
          [
            ['企业名称', invitation.enterprise],
            ['账号', invitation.accountName],
            ['被邀请人', invitation.invitee],
            ['授权截止日期', invitation.authEndLabel],
          ],
          '经办人邀请',
        )}${form(html`<p>请被邀请人本人在微信“粤信签”小程序完成人脸识别验证</p>${submit('人脸识别认证')}`)}</section>`;
      },
    })
    .action('start', z.object({}), async ({ ctx, params }) => {
      const started = await uc.startInvitationFace(deps, ctx, params.token);
      const back = `${deps.publicUrl()}${YST_PAGES.invitationReturn(params.token, started.faceCheckId)}`;
      return `${started.miniProgramUrl}?return=${encodeURIComponent(back)}`;
    });

  pages
    .page({
      path: YST_PAGES.invitationReturn(':token', ':faceCheckId'),
      title: '经办人邀请',
      access: anonymous,
      params: z.object({ token: tokenParam.shape.token, faceCheckId: uuid }),
      view: () => html`<section class="card">${form(html`<p>已从“粤信签”返回。完成人脸识别验证后，点击完成认证。</p>${submit('完成认证')}`, { label: '完成认证' })}</section>`,
    })
    .action('accept', z.object({}), async ({ ctx, params }) => {
      const accepted = await uc.acceptInvitation(deps, ctx, params.token, params.faceCheckId);
      return { notice: accepted.message };
    });
  return pages;
}
