// 企业风险预警 HTTP routes, inside 粤商通: every call acts for the session's chosen enterprise,
// which must be a 已认证 account the caller is a live member of (B4, B9): declared, kernel-enforced.
import { calendarDay, mobile, personName } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import type { YstAccess } from '../yueshangtong/access.js';
import * as uc from './use-cases.js';
import { riskViews } from './views.js';

const TAG = '粤商通 · 企业风险预警 (D2–D7)';
const weekParam = z.object({ week: calendarDay });

export function riskApi(given: Omit<uc.Deps, 'views'> & { live: Live; access: YstAccess }): Api {
  const deps = { ...given, views: riskViews(given.live) };
  const api = new Api(deps.live, { title: 'govsim 企业风险预警', description: 'Weekly enterprise risk warnings in 粤商通.' });
  const certified = deps.access.actingFor('CERTIFIED');

  api.route({ method: 'get', path: '/yst/v1/risk/popup', tag: TAG, access: certified, summary: 'D2 the home-page popup of an unsigned current warning ([查看] / [稍后处理])', handler: ({ caller, ctx }) => uc.popup(deps, ctx, caller) });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/popup/later',
    tag: TAG,
    summary: 'D2 [稍后处理]: no popup for the rest of this login; it pops again at the next login that week',
    access: certified,
    handler: ({ caller, ctx }) => uc.later(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/search',
    tag: TAG,
    summary: 'Home-page search: [风险预警] reaches the warnings',
    query: z.object({ q: z.string().min(1) }),
    access: deps.access.person,
    handler: async ({ query }) => uc.search(query.q),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings',
    tag: TAG,
    summary: 'D3 filling enterprise: info, current warning and advice, top 20 vehicles in/out of province, periods; D5 transport enterprise: all periods with level and sign status',
    access: certified,
    handler: ({ caller, ctx }) => uc.overview(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week',
    tag: TAG,
    summary: 'One period: the warning; filling: top vehicles; transport: enterprise risk counts and vehicle risk list',
    params: weekParam,
    access: certified,
    handler: ({ params, caller, ctx }) => uc.period(deps, ctx, caller, params.week),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/enterprise-risk/:category',
    tag: TAG,
    summary: 'D5 the detail list behind one enterprise risk count (违法预警, 小微预警, 失信, 监控预警, 定位预警, 违章)',
    params: z.object({ week: calendarDay, category: z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]) }),
    access: certified,
    handler: ({ params, caller, ctx }) => uc.enterpriseRiskDetail(deps, ctx, caller, params.week, params.category),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/vehicles/:plate',
    tag: TAG,
    summary: 'D4 vehicle detail: owning enterprise, level, 监控预警, 定位预警, 违章信息 for a week',
    params: z.object({ plate: z.string().min(7).max(8) }),
    query: z.object({ week: calendarDay }),
    access: certified,
    handler: ({ params, query, caller, ctx }) => uc.vehicleDetail(deps, ctx, caller, params.plate, query.week),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/warnings/:week/sign',
    tag: TAG,
    status: 200,
    summary: 'D6 [签收]: who and when are recorded; signing again changes nothing',
    params: weekParam,
    access: certified,
    handler: ({ params, caller, ctx }) => uc.sign(deps, ctx, caller, params.week),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    summary: 'D7 the feedback submitted for a period',
    params: weekParam,
    access: certified,
    handler: ({ params, caller, ctx }) => uc.feedbackView(deps, ctx, caller, params.week),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    summary: 'D7 [填报预警反馈] after signing: required within the week for red and orange, optional for yellow and blue; once',
    params: weekParam,
    body: z.object({
      measures: z.array(z.enum(Object.keys(uc.MEASURES) as [keyof typeof uc.MEASURES])).min(1),
      description: z.string().trim().min(1).max(1000),
      contactName: personName,
      contactMobile: mobile,
    }),
    access: certified,
    handler: ({ params, body, caller, ctx }) => uc.submitFeedback(deps, ctx, caller, params.week, body),
  });
  return api;
}
