// 企业风险预警 HTTP routes, inside 粤商通: every call acts for the session's chosen enterprise,
// which must be a 已认证 account the caller is a live member of (B4, B9): declared, kernel-enforced.
import { calendarDay, fieldError, mobile, personName } from '../../kernel/fields.js';
import { Api, oneOf } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import type { YstAccess } from '../yueshangtong/access.js';
import * as uc from './use-cases.js';
import { riskViews } from './views.js';

const TAG = '粤商通 · 企业风险预警 (D2–D7)';
const weekParam = z.object({ week: calendarDay });

const LEVELS = ['RED', 'ORANGE', 'YELLOW', 'BLUE'] as const;
const Level = z.strictObject({ code: z.enum(LEVELS), label: z.string().openapi({ example: '红色(重大风险)' }) }).openapi('RiskLevel');
const Warning = z
  .strictObject({
    week: z.string().openapi({ example: '2025-03-03', description: 'The Monday of the period' }),
    date: z.string().openapi({ example: '2025-03-03 00:00:00', description: 'Issued at (Shanghai time)' }),
    level: Level,
    advice: z.string(),
    status: z.strictObject({ code: oneOf('UNSIGNED', 'TO_RECTIFY', 'SIGNED', 'FED_BACK', 'FED_BACK_LATE', 'OVERDUE'), label: z.string() }),
    signed: z.strictObject({ at: z.string(), by: z.string().nullable() }).nullable(),
    feedback: z.strictObject({ required: z.boolean(), dueBy: z.string(), submittedAt: z.string().nullable() }),
  })
  .openapi('RiskWarning');
const Vehicle = z.strictObject({ plate: z.string(), level: Level });
const TopVehicles = z.strictObject({ inProvince: z.array(Vehicle), outOfProvince: z.array(Vehicle) }).openapi('TopVehicles');
const Entries = z.array(z.strictObject({ time: z.string(), plate: z.string().nullable(), description: z.string() }));
const VehicleRisk = z.strictObject({ label: z.string(), entries: Entries });
const Period = z
  .union([
    z.strictObject({ warning: Warning, topVehicles: TopVehicles }),
    z.strictObject({
      warning: Warning,
      enterpriseRisk: z.array(z.strictObject({ category: z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]), label: z.string(), count: z.number().int() })),
      vehicles: z.array(Vehicle),
    }),
  ])
  .openapi('RiskPeriod');
const VehicleDetail = z
  .strictObject({
    plate: z.string(),
    owner: z.strictObject({ name: z.string(), uscc: z.string() }),
    level: Level,
    monitoring: VehicleRisk,
    positioning: VehicleRisk,
    violation: VehicleRisk,
  })
  .openapi('VehicleDetail');
const Kind = z.strictObject({ code: z.enum(['FILLING', 'TRANSPORT']), label: z.string() });
const NOT_IN_SCOPE = ['NOT_IN_SCOPE'];

/** [搜索]: what the API's query and the pages' form take. */
export const SearchQuery = z.object({ q: z.string().min(1) });
const measuresRule = { error: fieldError('INVALID_MEASURES', '请选择采取的措施') };
const descriptionRule = { error: fieldError('INVALID_DESCRIPTION', '请填写反馈说明（1000字以内）') };
/** [填报预警反馈]: what the API's body and the pages' form take. */
export const FeedbackBody = z.object({
  measures: z.array(z.enum(Object.keys(uc.MEASURES) as [keyof typeof uc.MEASURES], measuresRule), measuresRule).min(1, measuresRule),
  description: z.string(descriptionRule).trim().min(1, descriptionRule).max(1000, descriptionRule),
  contactName: personName,
  contactMobile: mobile,
});
const NO_WARNING = [...NOT_IN_SCOPE, 'WARNING_NOT_FOUND'];

export function riskApi(given: Omit<uc.Deps, 'views'> & { live: Live; access: YstAccess }): Api {
  const deps = { ...given, views: riskViews(given.live) };
  // After [签收], [稍后处理] or a feedback no govsim process shows the popup or the status as it was:
  // this one forgot its views at once (views.changed), the others are waited for.
  const api = new Api(deps.live, { title: 'govsim 企业风险预警', description: 'Weekly enterprise risk warnings in 粤商通.' }, { fenceWrites: 'others' });
  const certified = deps.access.actingFor('CERTIFIED');

  api.route({
    method: 'get',
    path: '/yst/v1/risk/popup',
    tag: TAG,
    summary: 'D2 the home-page popup of an unsigned current warning ([查看] / [稍后处理])',
    response: z.strictObject({ show: z.boolean(), title: z.string().optional(), warning: Warning.optional(), actions: z.array(z.string()).optional() }),
    errors: { 404: NOT_IN_SCOPE },
    access: certified,
    handler: ({ caller, ctx }) => uc.popup(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/popup/later',
    tag: TAG,
    summary: 'D2 [稍后处理]: no popup for the rest of this login; it pops again at the next login that week',
    status: 204,
    access: certified,
    handler: ({ caller, ctx }) => uc.later(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/search',
    tag: TAG,
    summary: 'Home-page search: [风险预警] reaches the warnings',
    query: SearchQuery,
    response: z.array(z.strictObject({ title: z.string(), path: z.string() })),
    access: deps.access.person,
    handler: async ({ query }) => uc.search(query.q).map(({ title, path }) => ({ title, path })),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings',
    tag: TAG,
    summary: 'D3 filling enterprise: info, current warning and advice, top 20 vehicles in/out of province, periods; D5 transport enterprise: all periods with level and sign status',
    response: z
      .strictObject({
        kind: Kind,
        enterprise: z.strictObject({ name: z.string(), uscc: z.string() }),
        periods: z.array(z.strictObject({ week: z.string(), date: z.string(), level: Level, status: Warning.shape.status, signed: z.boolean() })),
        current: Warning.nullable().optional().openapi({ description: 'Filling enterprises: this week’s warning' }),
        topVehicles: TopVehicles.nullable().optional().openapi({ description: 'Filling enterprises: this week’s top vehicles' }),
      })
      .openapi('RiskOverview'),
    errors: { 404: NOT_IN_SCOPE },
    access: certified,
    handler: ({ caller, ctx }) => uc.overview(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week',
    tag: TAG,
    summary: 'One period: the warning; filling: top vehicles; transport: enterprise risk counts and vehicle risk list',
    params: weekParam,
    response: Period,
    errors: { 404: NO_WARNING },
    access: certified,
    // A count for every category, which the use-case looks up by name.
    handler: ({ params, caller, ctx }) => uc.period(deps, ctx, caller, params.week) as Promise<z.infer<typeof Period>>,
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/enterprise-risk/:category',
    tag: TAG,
    summary: 'D5 the detail list behind one enterprise risk count (违法预警, 小微预警, 失信, 监控预警, 定位预警, 违章)',
    params: z.object({ week: calendarDay, category: z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]) }),
    response: z.strictObject({ category: z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]), label: z.string(), entries: Entries }),
    errors: { 404: [...NO_WARNING, 'NOT_TRANSPORT'] },
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
    response: VehicleDetail,
    errors: { 404: [...NO_WARNING, 'VEHICLE_NOT_FOUND'] },
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
    response: z.strictObject({ signedNow: z.boolean(), warning: Warning }),
    errors: { 404: NO_WARNING, 409: ['WARNING_NOT_YET_ISSUED'] },
    access: certified,
    handler: ({ params, caller, ctx }) => uc.sign(deps, ctx, caller, params.week),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    summary: 'D7 the feedback submitted for a period',
    params: weekParam,
    response: z.strictObject({
      measures: z.array(z.strictObject({ code: z.string(), label: z.string() })),
      description: z.string(),
      contactName: z.string(),
      contactMobile: z.string(),
      submittedAt: z.string().openapi({ description: 'Shanghai time' }),
    }),
    errors: { 404: [...NO_WARNING, 'NO_FEEDBACK'] },
    access: certified,
    handler: ({ params, caller, ctx }) => uc.feedbackView(deps, ctx, caller, params.week),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/risk/warnings/:week/feedback',
    tag: TAG,
    summary: 'D7 [填报预警反馈] after signing: required within the week for red and orange, optional for yellow and blue; once',
    params: weekParam,
    body: FeedbackBody,
    response: z.strictObject({
      warning: Warning,
      feedback: z.strictObject({ measures: z.array(z.string()), description: z.string(), contactName: z.string(), contactMobile: z.string(), submittedAt: z.date() }),
    }),
    errors: { 404: NO_WARNING, 409: ['WARNING_NOT_YET_ISSUED', 'NOT_SIGNED', 'FEEDBACK_SUBMITTED'] },
    access: certified,
    handler: ({ params, body, caller, ctx }) => uc.submitFeedback(deps, ctx, caller, params.week, body),
  });
  return api;
}
