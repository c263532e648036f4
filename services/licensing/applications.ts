// F1 危险化学品经营许可证（首次、延期、重新申请） and F2 the inspection method, as the enterprise
// fills the form on 常州通办 (web): save a draft, edit it, submit it; the staff register it takes
// the personnel from. The authority's side of F2 (现场核查 recorded) and the step after the
// inspection (the licence issued) close the application.
import { shanghaiDay } from '../../kernel/clock.js';
import { inTransaction } from '../../kernel/db.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import type { EnterpriseCaller } from '../yueshangtong/access.js';
import { applicationIn, expectMove, refusedMove, type Deps } from './common.js';
import {
  EXCLUSIVE_SCOPES,
  GOODS_SCOPES,
  licenceValidTo,
  MODE_WITH_METHOD,
  QUALIFICATIONS,
  renewalOpensOn,
  RENEWAL_WINDOW_MONTHS,
  type Affiliation,
  type ApplicationType,
  type Authority,
  type BusinessMode,
  type GoodsScope,
  type InspectionMethod,
  type Qualification,
} from './rules.js';
import * as store from './store.js';
import { applicationView, filingView, licenceView, staffView, summaryView } from './views.js';

/** The form as sent: every field may be left out of a draft. */
export interface ApplicationForm {
  applicationType?: ApplicationType | undefined;
  affiliation?: Affiliation | undefined;
  personnel?: string[] | undefined;
  emergencyPlanNo?: string | undefined;
  goodsScope?: GoodsScope[] | undefined;
  businessModes?: BusinessMode[] | undefined;
  inspectionMethod?: InspectionMethod | undefined;
  authority?: Authority | undefined;
}

const notOnRegister = () => notFound('NOT_ON_REGISTER', '该企业未在常州市安全生产行政审批系统中登记');
const STAFF_HINT = '如果主要负责人或安全生产管理人员未出现在上述列表中，请点击进入企业组织机构管理->员工信息管理添加员工';

async function registerOf(deps: Deps, ctx: RunContext, uscc: string) {
  const entry = await store.registerEntry(deps.db, ctx.run, uscc);
  if (!entry) throw notOnRegister();
  return entry;
}

/** The form's fields checked against the register and each other; what a draft stores. */
function draftFields(form: ApplicationForm, register: store.RegisterEntry): store.DraftFields {
  const personnel = [...new Set(form.personnel ?? [])].map((staffId) => {
    const staff = register.staff.find((s) => s.id === staffId);
    if (!staff) throw badRequest('STAFF_NOT_IN_REGISTER', STAFF_HINT, { staffId });
    const { id, name, certificateNo, unitType, qualification, assessedOn } = staff;
    return { staffId: id, name, certificateNo, unitType, qualification, assessedOn };
  });
  let emergencyPlan: store.Filing | null = null;
  if (form.emergencyPlanNo !== undefined) {
    emergencyPlan = register.filings.find((f) => f.number === form.emergencyPlanNo) ?? null;
    if (!emergencyPlan) throw badRequest('PLAN_FILING_NOT_FOUND', '未查询到该危险化学品事故应急预案备案，请核对备案文号');
  }
  const goodsScope = [...new Set(form.goodsScope ?? [])];
  const exclusive = goodsScope.find((scope) => EXCLUSIVE_SCOPES.includes(scope));
  if (exclusive && goodsScope.length > 1) throw badRequest('GOODS_SCOPE_CONFLICT', `选择“${GOODS_SCOPES[exclusive]}”时不能同时选择其他品种范围`);
  const businessModes = [...new Set(form.businessModes ?? [])];
  // F2: the method is asked for only when the modes include 其他经营.
  if (form.inspectionMethod && !businessModes.includes(MODE_WITH_METHOD)) throw badRequest('INSPECTION_METHOD_NOT_APPLICABLE', '只有申请经营方式包含“其他经营”时才需要选择核查方式');
  return {
    applicationType: form.applicationType ?? null,
    affiliation: form.affiliation ?? null,
    personnel,
    emergencyPlan,
    goodsScope,
    businessModes,
    inspectionMethod: form.inspectionMethod ?? null,
    authority: form.authority ?? null,
  };
}

/** 申报编号: CZWH, the day, and six digits from a sequence (store.insertDraft). */
const numberPrefix = (ctx: RunContext) => `CZWH${shanghaiDay(ctx.now).replaceAll('-', '')}`;

// The enterprise ---------------------------------------------------------------------------------------

export async function staffRegister(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  const register = await registerOf(deps, ctx, caller.account.uscc);
  return { staff: register.staff.map(staffView), filings: register.filings.map(filingView), licences: register.licences.map(licenceView) };
}

/** 员工信息管理 [添加员工] */
export async function addStaff(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, staff: { name: string; idNumber: string; certificateNo: string; unitType: string; qualification: Qualification; assessedOn: string }) {
  if (staff.assessedOn > shanghaiDay(ctx.now)) throw badRequest('INVALID_ASSESSED_ON', '考核日期不能晚于今天');
  await registerOf(deps, ctx, caller.account.uscc);
  const added = await store.addStaff(deps.db, ctx.run, caller.account.uscc, staff);
  if (!added) throw conflict('CERTIFICATE_LISTED', '该证书编号的人员已在员工信息中');
  return staffView(added);
}

export async function createDraft(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, form: ApplicationForm) {
  const fields = draftFields(form, await registerOf(deps, ctx, caller.account.uscc));
  const id = await store.insertDraft(deps.db, ctx.run, caller.account.uscc, numberPrefix(ctx), fields, caller.person.name, ctx.now);
  if (!id) throw conflict('APPLICATION_OPEN', '该企业已有办理中的危险化学品经营许可证申报');
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, { uscc: caller.account.uscc }));
}

/** [保存]: the draft becomes what the form says now. */
export async function saveDraft(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string, version: number, form: ApplicationForm) {
  const scope = { uscc: caller.account.uscc };
  await applicationIn(deps, ctx, id, scope);
  const fields = draftFields(form, await registerOf(deps, ctx, caller.account.uscc));
  if (!(await store.saveDraft(deps.db, ctx.run, id, caller.account.uscc, version, fields, ctx.now))) throw await refusedMove(deps, ctx, id, version, 'edit');
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The first field the form still lacks, in the form's order, with what the page says. */
function missingField(a: store.Application): { field: string; message: string } | undefined {
  if (!a.applicationType) return { field: 'applicationType', message: '请选择申报类型' };
  if (!a.affiliation) return { field: 'affiliation', message: '请选择隶属关系' };
  if (!a.emergencyPlan) return { field: 'emergencyPlanNo', message: '请选择危险化学品事故应急预案备案' };
  if (!a.goodsScope.length) return { field: 'goodsScope', message: '请选择申请品种范围' };
  if (!a.businessModes.length) return { field: 'businessModes', message: '请选择申请经营方式' };
  if (a.businessModes.includes(MODE_WITH_METHOD) && !a.inspectionMethod) return { field: 'inspectionMethod', message: '请选择核查方式' };
  if (!a.authority) return { field: 'authority', message: '请选择审核机关' };
  return undefined;
}

/** 首次 / 延期 / 重新申请 against the licences the register holds, on the harness clock. */
function checkType(a: store.Application, register: store.RegisterEntry, today: string) {
  const valid = register.licences.find((l) => l.validFrom <= today && l.validTo >= today);
  if (a.applicationType === 'FIRST' && valid) throw conflict('LICENCE_HELD', `企业已持有有效期内的危险化学品经营许可证（有效期至${valid.validTo}），请选择延期`);
  if (a.applicationType === 'RENEWAL') {
    if (!valid) throw conflict('NO_LICENCE_TO_RENEW', '未查询到有效期内的危险化学品经营许可证，不能申请延期');
    if (today < renewalOpensOn(valid.validTo))
      throw conflict('RENEWAL_NOT_DUE', `延期申请须在许可证有效期届满前${RENEWAL_WINDOW_MONTHS}个月内提出（有效期至${valid.validTo}，${renewalOpensOn(valid.validTo)}起可申请）`);
  }
  if (a.applicationType === 'REAPPLY' && !register.licences.length) throw conflict('NO_PREVIOUS_LICENCE', '未查询到原危险化学品经营许可证，请选择首次申请');
}

/** [确认提交]: complete, consistent with the register; read-only from now on. */
export async function submit(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string, version: number) {
  const scope = { uscc: caller.account.uscc };
  const application = await applicationIn(deps, ctx, id, scope);
  await expectMove(deps, ctx, application, version, 'submit');
  const missing = missingField(application);
  if (missing) throw badRequest('FIELD_REQUIRED', missing.message, { field: missing.field });
  const has = (q: Qualification) => application.personnel.some((p) => p.qualification === q);
  if (!has('PRINCIPAL') || !has('SAFETY_MANAGER'))
    throw badRequest('PERSONNEL_INCOMPLETE', `人员资格须至少包含一名${QUALIFICATIONS.PRINCIPAL}和一名${QUALIFICATIONS.SAFETY_MANAGER}`, { field: 'personnel' });
  checkType(application, await registerOf(deps, ctx, caller.account.uscc), shanghaiDay(ctx.now));
  if ((await store.move(deps.db, ctx.run, id, version, 'submit', ctx.now)) === undefined) throw await refusedMove(deps, ctx, id, version, 'submit');
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The enterprise's applications; the app's 云核查 lists the cloud-inspected ones. */
export async function listForEnterprise(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, channel: store.Channel) {
  const all = await store.listApplications(deps.db, ctx.run, { uscc: caller.account.uscc });
  return all.filter((a) => channel === 'WEB' || (a.inspectionMethod === 'CLOUD' && a.status !== 'DRAFT')).map(summaryView);
}

export async function viewForEnterprise(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, id: string) {
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, { uscc: caller.account.uscc }));
}

// The authority -------------------------------------------------------------------------------------------

export async function listForAuthority(deps: Deps, ctx: RunContext, officer: store.Officer, status?: store.Application['status']) {
  return (await store.listApplications(deps.db, ctx.run, { authority: officer.authority }, status)).map(summaryView);
}

export async function viewForAuthority(deps: Deps, ctx: RunContext, officer: store.Officer, id: string) {
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, { authority: officer.authority }));
}

/** F2 现场核查: the on-site inspection recorded, the application moves on (the old flow). */
export async function recordOnSite(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, input: { version: number; inspectedOn: string; note: string }) {
  const scope = { authority: officer.authority };
  const application = await applicationIn(deps, ctx, id, scope);
  if (application.inspectionMethod === 'CLOUD') throw conflict('CLOUD_INSPECTION', '该申报选择云核查，请预约核查时间');
  if (input.inspectedOn > shanghaiDay(ctx.now)) throw badRequest('INVALID_INSPECTED_ON', '核查日期不能晚于今天');
  if (application.submittedAt && input.inspectedOn < shanghaiDay(application.submittedAt)) throw badRequest('INVALID_INSPECTED_ON', '核查日期不能早于申报提交日期');
  await inTransaction(deps.db, async (tx) => {
    if ((await store.move(tx, ctx.run, id, input.version, 'recordOnSite', ctx.now)) === undefined) throw await refusedMove(deps, ctx, id, input.version, 'recordOnSite');
    await store.insertInspection(
      tx,
      ctx.run,
      { applicationId: id, method: 'ON_SITE', status: 'PASSED', appointmentAt: null, roomId: null, officerId: officer.id, officerName: officer.name, note: `${input.inspectedOn} ${input.note}`, now: ctx.now },
      [],
    );
  });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The step after the inspection: the licence is issued, valid 3 years from today. */
export async function approve(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, version: number) {
  const scope = { authority: officer.authority };
  const application = await applicationIn(deps, ctx, id, scope);
  await expectMove(deps, ctx, application, version, 'approve');
  const validFrom = shanghaiDay(ctx.now);
  await inTransaction(deps.db, async (tx) => {
    if ((await store.move(tx, ctx.run, id, version, 'approve', ctx.now)) === undefined) throw await refusedMove(deps, ctx, id, version, 'approve');
    await store.issueLicence(tx, ctx.run, { numberPrefix: `苏常危化经字〔${validFrom.slice(0, 4)}〕`, uscc: application.uscc, validFrom, validTo: licenceValidTo(validFrom), applicationId: id }, ctx.now);
  });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}
