// 企业风险预警's screens inside 粤商通 (phone-sized, the `yst-session` cookie), as the guide shows
// them: on 首页 the popup of an unsigned current warning ([查看] / [稍后处理]) and [搜索] (D2); the
// filling enterprise's view — enterprise info, the current warning and its advice, the top 20 risk
// vehicles inside and outside the province, the periods (D3); the transport enterprise's periods
// with level and sign status, a period's enterprise risk counts (each opening its list) and vehicle
// risk list (D5); a vehicle's detail (D4); [签收] (D6); [填报预警反馈] (D7). Access is the risk
// routes' own: acting for a 已认证 enterprise account (B4, B9); every screen calls the use-cases
// the API calls.
import { addDays } from '../../kernel/clock.js';
import { calendarDay } from '../../kernel/fields.js';
import { html, type Markup } from '../../kernel/html.js';
import type { RunContext } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { formList, Pages } from '../../kernel/pages.js';
import { checks, dialog, facts, field, form, submit, table } from '../../kernel/widgets.js';
import { z } from '../../kernel/zod.js';
import type { EnterpriseCaller, YstAccess } from '../yueshangtong/access.js';
import { YST_PAGES, YST_SESSION, type HomePart } from '../yueshangtong/pages.js';
import { FeedbackBody, SearchQuery } from './routes.js';
import * as uc from './use-cases.js';
import { riskViews } from './views.js';

export const RISK_PAGES = {
  search: '/yst/search',
  /** The popup on its own (where [稍后处理] posts). */
  popup: '/yst/risk/popup',
  /** 危险货物充装企业风险预警 / 运输企业风险预警: the acting enterprise's view. */
  warnings: '/yst/risk',
  period: (week: string) => `/yst/risk/warnings/${week}`,
  enterpriseRisk: (week: string, category: string) => `/yst/risk/warnings/${week}/enterprise-risk/${category}`,
  vehicle: (week: string, plate: string) => `/yst/risk/warnings/${week}/vehicles/${plate}`,
  feedback: (week: string) => `/yst/risk/warnings/${week}/feedback`,
};

/** How a period is named on the screens: its week, Monday to Sunday. */
const weekLabel = (week: string) => `${week} 至 ${addDays(week, 6)}`;
const SIGNED_LABEL = (signed: boolean) => (signed ? '已签收' : '未签收');
const CATEGORY_OF_PATH = z.enum(Object.keys(uc.CATEGORIES) as [uc.Category]);
const weekParam = z.object({ week: calendarDay });

type Deps = Omit<uc.Deps, 'views'> & { live: Live; access: YstAccess };
type Vehicle = { plate: string; level: { label: string } };

const levelTag = (level: { code: string; label: string }) => html`<span class="tag${level.code === 'RED' || level.code === 'ORANGE' ? ' bad' : ''}">${level.label}</span>`;

/** A warning as every screen shows it: its week, date, level, status, who signed, what feedback is owed. */
const warningFacts = (w: uc.WarningView): [string, Markup][] => [
  ['预警周期', weekLabel(w.week)],
  ['预警日期', w.date],
  ['风险等级', levelTag(w.level)],
  ['状态', w.status.label],
  ['签收状态', SIGNED_LABEL(Boolean(w.signed))],
  ...(w.signed ? ([['签收人', w.signed.by ?? '—'], ['签收时间', w.signed.at]] as [string, Markup][]) : []),
  ['反馈要求', w.feedback.required ? '本周内须填报预警反馈' : '根据实际情况决定是否反馈'],
  ['反馈截止时间', w.feedback.dueBy],
  ...(w.feedback.submittedAt ? ([['反馈时间', w.feedback.submittedAt]] as [string, Markup][]) : []),
];

const vehicleTable = (caption: string, week: string, vehicles: Vehicle[]) =>
  table(
    caption,
    ['车牌号码', '车辆风险等级'],
    vehicles.map((v) => [html`<a href="${RISK_PAGES.vehicle(week, encodeURIComponent(v.plate))}">${v.plate}</a>`, v.level.label]),
  );

/** The popup: the warning's title, date and advice; [查看] opens the period, [稍后处理] puts it off. */
const popupDialog = (title: string, warning: uc.WarningView) =>
  dialog(
    title,
    html`${facts([
      ['预警日期', warning.date],
      ['风险等级', levelTag(warning.level)],
    ])}<p>${warning.advice}</p>
<a class="button primary" href="${RISK_PAGES.period(warning.week)}">查看</a>${form(submit('稍后处理', 'later', 'plain'), { action: RISK_PAGES.popup })}`,
  );

/** The popup of the enterprise acted for, or none; an enterprise out of scope has none. */
async function popupOf(deps: uc.Deps, ctx: RunContext, caller: EnterpriseCaller) {
  try {
    return await uc.popup(deps, ctx, caller);
  } catch (error) {
    if ((error as { code?: string }).code === 'NOT_IN_SCOPE') return { show: false };
    throw error;
  }
}

/** What 企业风险预警 shows on 粤商通's 首页: [搜索] to a person logged in; the popup to one acting for a 已认证 account with an unsigned current warning. */
export function riskHomeParts(given: Deps): HomePart[] {
  const deps = { ...given, views: riskViews(given.live) };
  const certified = deps.access.actingFor('CERTIFIED');
  return [
    async ({ granted }) =>
      (await granted(deps.access.person))
        ? html`<section class="card">${form(html`<div class="row">${field({ label: '搜索', name: 'q', placeholder: '输入服务名称，如：风险预警' })}${submit('搜索', 'search', 'plain')}</div>`, { action: RISK_PAGES.search })}</section>`
        : '',
    async ({ ctx, granted }) => {
      const caller = await granted(certified);
      if (!caller) return '';
      const shown = await popupOf(deps, ctx, caller);
      return shown.show && shown.warning ? popupDialog(shown.title!, shown.warning) : '';
    },
  ];
}

export function riskPages(given: Deps): Pages {
  const deps = { ...given, views: riskViews(given.live) };
  const certified = deps.access.actingFor('CERTIFIED');
  // The same app and session as 粤商通's other screens (services/yueshangtong/pages.ts), which
  // holds its 首页 and is listed once; these screens are reached from there.
  const pages = new Pages(deps.live, { app: '粤商通', layout: 'phone', session: YST_SESSION, redirects: { NOT_LOGGED_IN: YST_PAGES.login } });

  // D2: [搜索] on 首页 — [风险预警] reaches the warnings.
  pages
    .page({
      path: RISK_PAGES.search,
      title: '搜索',
      access: deps.access.person,
      back: YST_PAGES.home,
      query: z.object({ q: z.string().optional() }),
      view: ({ query, values }) => {
        const found = query.q ? uc.search(query.q) : [];
        return html`<section class="card">${form(html`<div class="row">${field({ label: '搜索', name: 'q', value: query.q }, values)}${submit('搜索', 'search', 'plain')}</div>`)}</section>
${query.q ? html`<ul class="cards" aria-label="搜索结果">${found.map((s) => html`<li class="card"><a href="${s.page}">${s.title}</a></li>`)}</ul>${found.length ? '' : html`<p>未找到相关服务</p>`}` : ''}`;
      },
    })
    .action('search', SearchQuery, async ({ form }) => `${RISK_PAGES.search}?q=${encodeURIComponent(form.q)}`);

  // D2: the popup on its own; [稍后处理] puts it off until the next login this week.
  pages
    .page({
      path: RISK_PAGES.popup,
      title: '风险预警提醒',
      access: certified,
      back: YST_PAGES.home,
      view: async ({ caller, ctx }) => {
        const shown = await uc.popup(deps, ctx, caller);
        return shown.show && shown.warning ? popupDialog(shown.title!, shown.warning) : html`<section class="card"><p>暂无待处理的风险预警</p></section>`;
      },
    })
    .action('later', z.object({}), async ({ caller, ctx }) => {
      await uc.later(deps, ctx, caller);
      return YST_PAGES.home;
    });

  // D3 / D5: the acting enterprise's warnings — a filling enterprise's current warning and top
  // vehicles, and every enterprise's periods.
  pages.page({
    path: RISK_PAGES.warnings,
    title: '企业风险预警',
    access: certified,
    back: YST_PAGES.home,
    view: async ({ caller, ctx }) => {
      const view = await uc.overview(deps, ctx, caller);
      const current = 'current' in view ? view.current : undefined;
      const top = 'topVehicles' in view ? view.topVehicles : undefined;
      return html`<section class="card" aria-label="企业信息"><h2>${view.kind.label}</h2>${facts(
        [
          ['企业名称', view.enterprise.name],
          ['统一社会信用代码', view.enterprise.uscc],
        ],
        '企业信息',
      )}</section>
${
  view.kind.code === 'FILLING'
    ? html`<section class="card" aria-label="当前预警信息"><h2>当前预警信息</h2>${
        current ? html`<p>${current.advice}</p>${facts(warningFacts(current), '当前预警信息')}<a class="button primary" href="${RISK_PAGES.period(current.week)}">查看</a>` : html`<p>本周暂无预警信息</p>`
      }</section>
<section class="card" aria-label="省内外风险车辆前20预警信息"><h2>省内外风险车辆前20预警信息</h2>${
        top && current ? html`${vehicleTable('省内风险车辆', current.week, top.inProvince)}${vehicleTable('省外风险车辆', current.week, top.outOfProvince)}` : html`<p>暂无数据</p>`
      }</section>`
    : ''
}
<section class="card">${table(
        '风险预警信息',
        ['周期', '预警日期', '风险等级', '状态', '签收状态'],
        // A period by its Monday (the week in full on its own page).
        view.periods.map((p) => [html`<a href="${RISK_PAGES.period(p.week)}">${p.week}</a>`, p.date, p.level.label, p.status.label, SIGNED_LABEL(p.signed)]),
        '暂无风险预警信息',
      )}</section>`;
    },
  });

  // D3 / D5 / D6: one period — the warning, [签收], [填报预警反馈]; a filling enterprise's top
  // vehicles, or a transport enterprise's risk counts and its vehicles.
  pages
    .page({
      path: RISK_PAGES.period(':week'),
      title: '风险预警详情',
      access: certified,
      back: RISK_PAGES.warnings,
      params: weekParam,
      view: async ({ caller, ctx, params }) => {
        const period = await uc.period(deps, ctx, caller, params.week);
        const w = period.warning;
        return html`<section class="card" aria-label="预警信息"><h2>预警信息</h2><p>${w.advice}</p>${facts(warningFacts(w), '预警信息')}
${w.signed ? '' : form(submit('签收', 'sign'))}${w.feedback.submittedAt ? html`<a class="button plain" href="${RISK_PAGES.feedback(w.week)}">查看预警反馈</a>` : html`<a class="button primary" href="${RISK_PAGES.feedback(w.week)}">填报预警反馈</a>`}</section>
${
  period.topVehicles
    ? html`<section class="card" aria-label="省内外风险车辆前20预警信息"><h2>省内外风险车辆前20预警信息</h2>${vehicleTable('省内风险车辆', w.week, period.topVehicles.inProvince)}${vehicleTable('省外风险车辆', w.week, period.topVehicles.outOfProvince)}</section>`
    : html`<section class="card">${table(
        '企业风险信息',
        ['类别', '数量'],
        period.enterpriseRisk.map((r) => [html`<a href="${RISK_PAGES.enterpriseRisk(w.week, r.category)}">${r.label}</a>`, r.count]),
      )}</section>
<section class="card">${vehicleTable('车辆风险信息', w.week, period.vehicles)}</section>`
}`;
      },
    })
    .action('sign', z.object({}), async ({ caller, ctx, params }) => {
      const signed = await uc.sign(deps, ctx, caller, params.week);
      return { notice: signed.signedNow ? '签收成功' : '该预警信息已签收' };
    });

  // D5: the list behind one enterprise risk count.
  pages.page({
    path: RISK_PAGES.enterpriseRisk(':week', ':category'),
    title: '企业风险信息',
    access: certified,
    params: z.object({ week: calendarDay, category: CATEGORY_OF_PATH }),
    view: async ({ caller, ctx, params }) => {
      const detail = await uc.enterpriseRiskDetail(deps, ctx, caller, params.week, params.category);
      return html`<a class="button plain" href="${RISK_PAGES.period(params.week)}">返回预警详情</a>
<section class="card">${table(
        detail.label,
        ['时间', '车牌号码', '详情'],
        detail.entries.map((e) => [e.time, e.plate ?? '—', e.description]),
      )}</section>`;
    },
  });

  // D4: a vehicle of a period, through the enterprise it concerns.
  pages.page({
    path: RISK_PAGES.vehicle(':week', ':plate'),
    title: '车辆风险信息',
    access: certified,
    params: z.object({ week: calendarDay, plate: z.string().min(7).max(8) }),
    view: async ({ caller, ctx, params }) => {
      const v = await uc.vehicleDetail(deps, ctx, caller, params.plate, params.week);
      const entries = (risk: { label: string; entries: { time: string; description: string }[] }, caption: string) =>
        table(
          caption,
          ['时间', '详情'],
          risk.entries.map((e) => [e.time, e.description]),
        );
      return html`<a class="button plain" href="${RISK_PAGES.period(params.week)}">返回预警详情</a>
<section class="card" aria-label="车辆信息">${facts(
        [
          ['车牌号码', v.plate],
          ['所属企业', v.owner.name],
          ['统一社会信用代码', v.owner.uscc],
          ['车辆风险等级', levelTag(v.level)],
        ],
        '车辆信息',
      )}</section>
<section class="card">${entries(v.monitoring, v.monitoring.label)}${entries(v.positioning, v.positioning.label)}${entries(v.violation, `${v.violation.label}信息`)}</section>`;
    },
  });

  // D7: [填报预警反馈] — measures and details; once submitted, what was fed back.
  pages
    .page({
      path: RISK_PAGES.feedback(':week'),
      title: '填报预警反馈',
      access: certified,
      params: weekParam,
      view: async ({ caller, ctx, params, values }) => {
        const submitted = await uc.feedbackView(deps, ctx, caller, params.week).catch((error: { code?: string }) => {
          if (error.code === 'NO_FEEDBACK') return undefined;
          throw error;
        });
        const back = html`<a class="button plain" href="${RISK_PAGES.period(params.week)}">返回预警详情</a>`;
        if (submitted) {
          return html`${back}<section class="card" aria-label="预警反馈">${facts(
            [
              ['采取措施', submitted.measures.map((m) => m.label).join('、')],
              ['反馈说明', submitted.description],
              ['联系人', submitted.contactName],
              ['联系电话', submitted.contactMobile],
              ['提交时间', submitted.submittedAt],
            ],
            '预警反馈',
          )}</section>`;
        }
        return html`${back}<section class="card">${form(
          html`<p>请根据要求选择和填写详细反馈信息，填写完毕检查无误后提交</p>
${checks({ legend: '采取措施', name: 'measures', options: Object.entries(uc.MEASURES), chosen: values.measures ? [values.measures] : [] })}
${field({ label: '反馈说明', name: 'description' }, values)}
${field({ label: '联系人', name: 'contactName', autocomplete: 'name' }, values)}
${field({ label: '联系电话', name: 'contactMobile', type: 'tel', inputmode: 'tel' }, values)}
${submit('提交')}`,
          { label: '预警反馈' },
        )}</section>`;
      },
    })
    .action(
      'submit',
      // One ticked box is sent as one value, several as a list.
      FeedbackBody.extend({ measures: z.preprocess(formList, FeedbackBody.shape.measures) }),
      async ({ form, caller, ctx, params }) => {
        await uc.submitFeedback(deps, ctx, caller, params.week, form);
        return RISK_PAGES.period(params.week);
      },
    );

  return pages;
}
