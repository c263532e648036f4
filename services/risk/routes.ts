// 企业风险预警 HTTP routes, inside 粤商通: every call acts for the session's chosen enterprise.
import type { Request } from 'express';
import { calendarDay, mobile, personName } from '../platform/fields.js';
import { Api, type RunContext } from '../platform/http.js';
import { z } from '../platform/zod.js';
import * as yst from '../yueshangtong/use-cases.js';
import * as uc from './use-cases.js';

const TAG = '粤商通 · 企业风险预警 (D2–D7)';
const weekParam = z.object({ week: calendarDay });

export function riskApi(deps: uc.Deps): Api {
  const api = new Api(deps.db, { title: 'govsim 企业风险预警', description: 'Weekly enterprise risk warnings in 粤商通.' });
  const session = (ctx: RunContext, req: Request) => yst.authenticate(deps, ctx, req.header('authorization'));

  api.route({ method: 'get', path: '/yst/v1/risk/popup', tag: TAG, secured: true, summary: 'D2 the home-page popup of an unsigned current warning ([查看] / [稍后处理])', handler: async ({ ctx, req }) => uc.popup(deps, ctx, await session(ctx, req)) });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/popup/later',
    tag: TAG,
    secured: true,
    summary: 'D2 [稍后处理]: no popup for the rest of this login; it pops again at the next login that week',
    handler: async ({ ctx, req }) => uc.later(deps, ctx, await session(ctx, req)),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/search',
    tag: TAG,
    secured: true,
    summary: 'Home-page search: [风险预警] reaches the warnings',
    query: z.object({ q: z.string().min(1) }),
    handler: async ({ query, ctx, req }) => {
      await session(ctx, req);
      return uc.search(query.q);
    },
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings',
    tag: TAG,
    secured: true,
    summary: 'D3 filling enterprise: info, current warning and advice, top 20 vehicles in/out of province, periods; D5 transport enterprise: all periods with level and sign status',
    handler: async ({ ctx, req }) => uc.overview(deps, ctx, await session(ctx, req)),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week',
    tag: TAG,
    secured: true,
    summary: 'One period: the warning; filling: top vehicles; transport: enterprise risk counts and vehicle risk list',
    params: weekParam,
    handler: async ({ params, ctx, req }) => uc.period(deps, ctx, await session(ctx, req), params.week),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/enterprise-risk/:category',
    tag: TAG,
    secured: true,
    summary: 'D5 the detail list behind one enterprise risk count (违法预警, 小微预警, 失信, 监控预警, 定位预警, 违章)',
    params: z.object({ week: calendarDay, category: z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]) }),
    handler: async ({ params, ctx, req }) => uc.enterpriseRiskDetail(deps, ctx, await session(ctx, req), params.week, params.category),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/vehicles/:plate',
    tag: TAG,
    secured: true,
    summary: 'D4 vehicle detail: owning enterprise, level, 监控预警, 定位预警, 违章信息 for a week',
    params: z.object({ plate: z.string().min(7).max(8) }),
    query: z.object({ week: calendarDay }),
    handler: async ({ params, query, ctx, req }) => uc.vehicleDetail(deps, ctx, await session(ctx, req), params.plate, query.week),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/warnings/:week/sign',
    tag: TAG,
    secured: true,
    status: 200,
    summary: 'D6 [签收]: who and when are recorded; signing again changes nothing',
    params: weekParam,
    handler: async ({ params, ctx, req }) => uc.sign(deps, ctx, await session(ctx, req), params.week),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    secured: true,
    summary: 'D7 the feedback submitted for a period',
    params: weekParam,
    handler: async ({ params, ctx, req }) => uc.feedbackView(deps, ctx, await session(ctx, req), params.week),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    secured: true,
    summary: 'D7 [填报预警反馈] after signing: required within the week for red and orange, optional for yellow and blue; once',
    params: weekParam,
    body: z.object({
      measures: z.array(z.enum(Object.keys(uc.MEASURES) as [keyof typeof uc.MEASURES])).min(1),
      description: z.string().trim().min(1).max(1000),
      contactName: personName,
      contactMobile: mobile,
    }),
    handler: async ({ params, body, ctx, req }) => uc.submitFeedback(deps, ctx, await session(ctx, req), params.week, body),
  });
  return api;
}
