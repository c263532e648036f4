// 危险化学品经营许可证 with cloud inspection (常州): declare who may call, parse, delegate.
//   /changzhou/v1/web/…        常州通办 on the web: the form (F1, F2), the appointment (F3), 整改 (F7)
//   /changzhou/v1/app/…        the app's 应用 → 云核查, for the legal representative (F3–F5, F7)
//   /changzhou/v1/authority/…  the reviewing authority's officers (F2–F6, the licence)
import { anonymous } from '../../kernel/access.js';
import { calendarDay, fieldError, idNumber, personName, uuid } from '../../kernel/fields.js';
import { fromShanghai } from '../../kernel/clock.js';
import { Api, type ErrorCodes } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import type { LicensingAccess } from './access.js';
import * as applications from './applications.js';
import * as appointments from './appointments.js';
import type { Deps } from './common.js';
import * as inspections from './inspections.js';
import { logIn } from './officers.js';
import * as rectification from './rectification.js';
import {
  AFFILIATIONS,
  APPLICATION_TYPES,
  AUTHORITIES,
  BUSINESS_MODES,
  CHECKLIST,
  GOODS_SCOPES,
  IMAGE,
  INSPECTION_METHODS,
  QUALIFICATIONS,
  RECTIFICATION_PHOTOS,
  UNIT_TYPES,
} from './rules.js';
import type { Channel } from './store.js';
import { ApplicationSummary, ApplicationView, FilingView, LicenceView, StaffView } from './views.js';
import { STATUSES } from './workflow.js';

const FORM = '常州通办 · 危险化学品经营许可证申报 (F1–F2)';
const CLOUD = '常州通办 · 云核查 (F3–F7)';
const AUTHORITY = '常州 · 审核机关 (F2–F7)';

const rule = (code: string, message: string) => ({ error: fieldError(code, message) });
const codes = <T extends Record<string, string>>(labels: T) => Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
/** Free text PostgreSQL can store: a NUL would fail the statement (and a step half done, such as a video room ended). */

export const version = z.number(rule('INVALID_VERSION', '请刷新后重试')).int(rule('INVALID_VERSION', '请刷新后重试')).min(1, rule('INVALID_VERSION', '请刷新后重试')).max(1_000_000, rule('INVALID_VERSION', '请刷新后重试')).openapi({ description: 'The version the caller last saw (a newer one answers 409 VERSION_CONFLICT)' });
const versionBody = z.object({ version });

const badTime = rule('INVALID_TIME', '请选择正确的核查时间');
/** A Shanghai local time 'YYYY-MM-DD HH:mm' (or with T). */
export const localTime = z
  .string(badTime)
  .max(16, badTime)
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/, badTime)
  .refine((s) => calendarDay.safeParse(s.slice(0, 10)).success && Number(s.slice(11, 13)) < 24 && Number(s.slice(14, 16)) < 60, badTime)
  .transform((s) => fromShanghai(`${s.slice(0, 10)}T${s.slice(11, 16)}`))
  .openapi({ type: 'string', example: '2026-11-25 10:00', description: 'Shanghai local time' });
const timeBody = z.object({ version, at: localTime });

const applicationParam = z.object({ applicationId: uuid });
const problemParam = z.object({ applicationId: uuid, problemId: uuid });

export const ApplicationForm = z
  .object({
    applicationType: z.enum(codes(APPLICATION_TYPES), rule('INVALID_APPLICATION_TYPE', '请选择申报类型')).optional().openapi({ description: '申报类型: FIRST 首次, RENEWAL 延期, REAPPLY 重新申请' }),
    affiliation: z.enum(codes(AFFILIATIONS), rule('INVALID_AFFILIATION', '请选择隶属关系')).optional().openapi({ description: '隶属关系' }),
    personnel: z
      .array(z.string(rule('STAFF_NOT_IN_REGISTER', '请从员工信息中选择人员')).max(64, rule('STAFF_NOT_IN_REGISTER', '请从员工信息中选择人员')), rule('INVALID_PERSONNEL', '请从员工信息中选择人员资格'))
      .max(20, rule('INVALID_PERSONNEL', '人员资格最多选择20人'))
      .optional()
      .openapi({ description: '人员资格: staffId of entries of the staff register (at least one 主要负责人 and one 安全生产管理人员 to submit)' }),
    emergencyPlanNo: z.string(rule('INVALID_EMERGENCY_PLAN', '请选择危险化学品事故应急预案备案')).trim().min(1, rule('INVALID_EMERGENCY_PLAN', '请选择危险化学品事故应急预案备案')).max(50, rule('INVALID_EMERGENCY_PLAN', '请选择危险化学品事故应急预案备案')).optional().openapi({ description: '备案文号 of one of the enterprise’s filings' }),
    goodsScope: z.array(z.enum(codes(GOODS_SCOPES), rule('INVALID_GOODS_SCOPE', '请选择申请品种范围')), rule('INVALID_GOODS_SCOPE', '请选择申请品种范围')).max(5, rule('INVALID_GOODS_SCOPE', '请选择申请品种范围')).optional().openapi({ description: '申请品种范围 (the five boxes)' }),
    businessModes: z.array(z.enum(codes(BUSINESS_MODES), rule('INVALID_BUSINESS_MODE', '请选择申请经营方式')), rule('INVALID_BUSINESS_MODE', '请选择申请经营方式')).max(5, rule('INVALID_BUSINESS_MODE', '请选择申请经营方式')).optional().openapi({ description: '申请经营方式' }),
    inspectionMethod: z.enum(codes(INSPECTION_METHODS), rule('INVALID_INSPECTION_METHOD', '请选择核查方式')).optional().openapi({ description: 'F2 核查方式, only when the modes include OTHER 其他经营' }),
    authority: z.enum(codes(AUTHORITIES), rule('INVALID_AUTHORITY', '请选择审核机关')).optional().openapi({ description: '审核机关' }),
  })
  .openapi('HazchemApplicationForm');

const badImage = rule('INVALID_IMAGE', '图片内容不正确，请重新上传');
export const ImageBody = z
  .object({
    mimeType: z.string(rule('INVALID_IMAGE_TYPE', '请上传PNG或JPG格式的图片')).max(40, rule('INVALID_IMAGE_TYPE', '请上传PNG或JPG格式的图片')).openapi({ example: 'image/png' }),
    data: z.string(badImage).min(4, badImage).max(Math.ceil(IMAGE.maxBytes / 3) * 4, rule('IMAGE_TOO_LARGE', `图片不能超过${IMAGE.label}`)).openapi({ description: 'base64' }),
  })
  .openapi('Image');
const imageBody = z.object({ image: ImageBody });

const photoCount = rule('INVALID_PHOTO_COUNT', `请上传${RECTIFICATION_PHOTOS.min}至${RECTIFICATION_PHOTOS.max}张整改图片`);
export const RectificationForm = z.object({
  photos: z.array(ImageBody, photoCount).min(RECTIFICATION_PHOTOS.min, photoCount).max(RECTIFICATION_PHOTOS.max, photoCount),
  note: z.string(rule('NOTE_REQUIRED', '请填写整改备注')).trim().min(1, rule('NOTE_REQUIRED', '请填写整改备注')).max(500, rule('NOTE_TOO_LONG', '整改备注不能超过500字')),
});

export const checklistItem = z.enum(CHECKLIST.map((c) => c.code) as [string, ...string[]], rule('UNKNOWN_CHECKLIST_ITEM', '没有该核查项'));
export const ChecklistResult = z.object({
  result: z.enum(['COMPLIANT', 'NON_COMPLIANT'], rule('INVALID_RESULT', '请选择符合或不符合')),
  note: z.string(rule('INVALID_NOTE', '请填写问题说明')).trim().max(500, rule('NOTE_TOO_LONG', '问题说明不能超过500字')).optional(),
});
/** 不符合 needs a note. */
export const noteForProblem = [(b: { result: string; note?: string | undefined }) => b.result !== 'NON_COMPLIANT' || Boolean(b.note), rule('NOTE_REQUIRED', '不符合项请填写问题说明')] as const;

export const OnSiteForm = z.object({
  inspectedOn: calendarDay,
  note: z.string(rule('NOTE_REQUIRED', '请填写核查情况')).trim().min(1, rule('NOTE_REQUIRED', '请填写核查情况')).max(500, rule('NOTE_TOO_LONG', '核查情况不能超过500字')),
});

export const OfficerLogin = z.object({
  username: z
    .string(rule('USERNAME_REQUIRED', '请输入用户名'))
    .trim()
    .min(1, rule('USERNAME_REQUIRED', '请输入用户名'))
    .max(40, rule('INVALID_USERNAME', '请输入正确的用户名')),
  password: z.string(rule('PASSWORD_REQUIRED', '请输入密码')).min(1, rule('PASSWORD_REQUIRED', '请输入密码')).max(64, rule('INVALID_PASSWORD', '请输入正确的密码')),
});

const Register = z.strictObject({ staff: z.array(StaffView), filings: z.array(FilingView), licences: z.array(LicenceView) }).openapi('LicensingRegister');
const Labelled = z.strictObject({ code: z.string(), label: z.string() });
const Officer = z
  .strictObject({ officerId: z.string(), username: z.string(), name: z.string(), authority: Labelled, roles: z.array(Labelled) })
  .openapi('LicensingOfficer');

const merged = (...sets: ErrorCodes[]): ErrorCodes =>
  sets.reduce<Record<number, string[]>>((all, set) => {
    for (const [status, codes] of Object.entries(set)) all[Number(status)] = [...new Set([...(all[Number(status)] ?? []), ...(codes ?? [])])];
    return all;
  }, {});

// What the use-cases refuse with, in the sets they share (common.ts and the flows).
const NOT_FOUND: ErrorCodes = { 404: ['APPLICATION_NOT_FOUND'] };
/** A move refused (refusedMove, expectMove): gone, changed since the caller saw it, or not in a status it leaves from. */
const MOVE: ErrorCodes = { 404: ['APPLICATION_NOT_FOUND'], 409: ['VERSION_CONFLICT', 'INVALID_STATUS'] };
/** The register the form is checked against (registerOf). */
const REGISTER: ErrorCodes = { 404: ['NOT_ON_REGISTER'] };
/** The form's fields against the register and each other (draftFields). */
const FORM_CHECKS: ErrorCodes = merged(REGISTER, { 400: ['STAFF_NOT_IN_REGISTER', 'PLAN_FILING_NOT_FOUND', 'GOODS_SCOPE_CONFLICT', 'INSPECTION_METHOD_NOT_APPLICABLE'] });
/** A time the inspection may be appointed at (checkTime). */
const TIME_CHECKS: ErrorCodes = { 400: ['APPOINTMENT_IN_PAST', 'OUTSIDE_WORKING_HOURS'] };
/** An image sent (parseImage). */
const IMAGE_CHECKS: ErrorCodes = { 400: ['INVALID_IMAGE_TYPE', 'INVALID_IMAGE', 'IMAGE_TOO_LARGE'] };
/** The application and its running cloud inspection (inspections.ts running). */
const RUNNING: ErrorCodes = { 404: ['APPLICATION_NOT_FOUND'], 409: ['INSPECTION_NOT_IN_PROGRESS'] };
/** The application being rectified (rectification.ts rectifying). */
const RECTIFYING: ErrorCodes = { 404: ['APPLICATION_NOT_FOUND'], 409: ['NOT_RECTIFYING'] };
/** The video provider, unreachable or refusing (videoOf), and a join that does not connect. */
const VIDEO: ErrorCodes = { 502: ['VIDEO_UNAVAILABLE'] };
const VIDEO_JOIN: ErrorCodes = { 422: ['VIDEO_CONNECT_FAILED'], 502: ['VIDEO_UNAVAILABLE'] };

export function licensingApi(deps: Deps & { live: Live; access: LicensingAccess }): Api {
  const api = new Api(deps.live, {
    title: 'govsim 常州 危险化学品经营许可',
    description: '危险化学品经营许可证 with cloud inspection (常州通办 web, the app’s 云核查, the reviewing authority).',
  });
  const web = deps.access.enterprise('WEB');
  const app = deps.access.enterprise('APP');
  const inspector = deps.access.officer('INSPECTOR');
  const reviewer = deps.access.officer('REVIEWER');
  const anyOfficer = deps.access.officer('ANY');

  // F1, F2 on the web --------------------------------------------------------------------------------------
  api.route({
    method: 'get',
    path: '/changzhou/v1/web/register',
    tag: FORM,
    summary: 'The enterprise as the register holds it: 员工信息 (staff with qualification certificates), emergency-plan filings, licences',
    response: Register,
    errors: REGISTER,
    access: web,
    handler: ({ caller, ctx }) => applications.staffRegister(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/changzhou/v1/web/staff',
    tag: FORM,
    summary: '员工信息管理 [添加员工]: a 主要负责人 or 安全生产管理人员 with their certificate',
    body: z.object({
      name: personName,
      idNumber,
      certificateNo: z.string(rule('INVALID_CERTIFICATE_NO', '请输入正确的证书编号')).trim().regex(/^[0-9A-Z]{8,24}$/, rule('INVALID_CERTIFICATE_NO', '请输入正确的证书编号')),
      unitType: z.enum(UNIT_TYPES, rule('INVALID_UNIT_TYPE', '请选择单位类型')),
      qualification: z.enum(codes(QUALIFICATIONS), rule('INVALID_QUALIFICATION', '请选择资格类型')),
      assessedOn: calendarDay,
    }),
    response: StaffView,
    errors: merged(REGISTER, { 400: ['INVALID_ASSESSED_ON'], 409: ['CERTIFICATE_LISTED'] }),
    access: web,
    handler: ({ body, caller, ctx }) => applications.addStaff(deps, ctx, caller, body),
  });
  api.route({
    method: 'post',
    path: '/changzhou/v1/web/applications',
    tag: FORM,
    summary: '新建申报 [保存]: a draft of 危险化学品经营许可证（首次、延期、重新申请）; any field may be left out',
    body: ApplicationForm,
    response: ApplicationView,
    errors: merged(FORM_CHECKS, { 409: ['APPLICATION_OPEN'] }),
    access: web,
    handler: ({ body, caller, ctx }) => applications.createDraft(deps, ctx, caller, body),
  });
  api.route({
    method: 'put',
    path: '/changzhou/v1/web/applications/:applicationId',
    tag: FORM,
    summary: '[保存] a draft again: its fields become the form’s (drafts only: a submitted application is read-only)',
    params: applicationParam,
    body: ApplicationForm.extend({ version }),
    response: ApplicationView,
    errors: merged(FORM_CHECKS, MOVE),
    access: web,
    handler: ({ params, body: { version: v, ...form }, caller, ctx }) => applications.saveDraft(deps, ctx, caller, params.applicationId, v, form),
  });
  api.route({
    method: 'post',
    path: '/changzhou/v1/web/applications/:applicationId/submit',
    tag: FORM,
    status: 200,
    summary: '[确认提交]: every field filled, personnel with a 主要负责人 and a 安全生产管理人员, 延期 within its window',
    params: applicationParam,
    body: versionBody,
    response: ApplicationView,
    errors: merged(MOVE, REGISTER, { 400: ['FIELD_REQUIRED', 'PERSONNEL_INCOMPLETE'], 409: ['LICENCE_HELD', 'NO_LICENCE_TO_RENEW', 'RENEWAL_NOT_DUE', 'NO_PREVIOUS_LICENCE'] }),
    access: web,
    handler: ({ params, body, caller, ctx }) => applications.submit(deps, ctx, caller, params.applicationId, body.version),
  });

  // Both channels: the applications, the appointment (F3), 整改 per problem (F7) ------------------------------------
  for (const channel of ['WEB', 'APP'] as const satisfies Channel[]) {
    const base = `/changzhou/v1/${channel.toLowerCase()}`;
    const access = channel === 'WEB' ? web : app;
    const where = channel === 'WEB' ? '常州通办 (web)' : 'the app’s 云核查 (legal representative)';
    api.route({
      method: 'get',
      path: `${base}/applications`,
      tag: channel === 'WEB' ? FORM : CLOUD,
      summary: `The enterprise’s applications in ${where}${channel === 'APP' ? ': those inspected by 云核查' : ''}`,
      response: z.array(ApplicationSummary),
      access,
      handler: ({ caller, ctx }) => applications.listForEnterprise(deps, ctx, caller, channel),
    });
    api.route({
      method: 'get',
      path: `${base}/applications/:applicationId`,
      tag: channel === 'WEB' ? FORM : CLOUD,
      summary: `One application in ${where}: the form, the appointment and its proposals, the inspection, 问题汇总, the licence`,
      params: applicationParam,
      response: ApplicationView,
      errors: NOT_FOUND,
      access,
      handler: ({ params, caller, ctx }) => applications.viewForEnterprise(deps, ctx, caller, params.applicationId),
    });
    api.route({
      method: 'post',
      path: `${base}/applications/:applicationId/appointment/confirm`,
      tag: CLOUD,
      status: 200,
      summary: `F3 [确认] the time the authority proposed (待企业确认 → 待核查), in ${where}`,
      params: applicationParam,
      body: versionBody,
      response: ApplicationView,
      errors: merged(MOVE, { 409: ['APPOINTMENT_PASSED'] }),
      access,
      handler: ({ params, body, caller, ctx }) => appointments.enterpriseConfirms(deps, ctx, caller, channel, params.applicationId, body.version),
    });
    api.route({
      method: 'post',
      path: `${base}/applications/:applicationId/appointment/change`,
      tag: CLOUD,
      status: 200,
      summary: `F3 [更改时间]: another time, which the authority must confirm (待政府确认), in ${where}`,
      params: applicationParam,
      body: timeBody,
      response: ApplicationView,
      errors: merged(MOVE, TIME_CHECKS),
      access,
      handler: ({ params, body, caller, ctx }) => appointments.enterpriseChanges(deps, ctx, caller, channel, params.applicationId, body),
    });
    api.route({
      method: 'post',
      path: `${base}/applications/:applicationId/problems/:problemId/rectification`,
      tag: CLOUD,
      status: 200,
      summary: `F7 [整改] one problem (未整改 → 已整改): photos and a note, after the app’s signature; in ${where}`,
      params: problemParam,
      body: RectificationForm,
      response: ApplicationView,
      errors: merged(RECTIFYING, IMAGE_CHECKS, { 400: ['INVALID_PHOTO_COUNT'], 404: ['PROBLEM_NOT_FOUND'], 409: ['RECTIFICATION_NOT_SIGNED', 'PROBLEM_RECTIFIED'] }),
      access,
      handler: ({ params, body, caller, ctx }) => rectification.rectify(deps, ctx, caller, channel, params.applicationId, params.problemId, body),
    });
  }

  // The app only: the inspection (F5) and the rectification signature (F7) ------------------------------------------
  const appBase = '/changzhou/v1/app/applications/:applicationId';
  api.route({
    method: 'get',
    path: `${appBase}/inspection/commitment`,
    tag: CLOUD,
    summary: 'F5 核查进行中: the 承诺书 to read before signing',
    params: applicationParam,
    response: z.strictObject({ title: z.string(), text: z.string(), enterprise: z.string(), number: z.string() }),
    errors: RUNNING,
    access: app,
    handler: ({ params, caller, ctx }) => inspections.commitmentLetter(deps, ctx, caller, params.applicationId),
  });
  api.route({
    method: 'post',
    path: `${appBase}/inspection/commitment-signature`,
    tag: CLOUD,
    status: 200,
    summary: 'F5 签字确认 of the 承诺书: the signature image (PNG/JPEG), once',
    params: applicationParam,
    body: imageBody,
    response: ApplicationView,
    errors: merged(RUNNING, IMAGE_CHECKS, { 409: ['ALREADY_SIGNED'] }),
    access: app,
    handler: ({ params, body, caller, ctx }) => inspections.giveOnce(deps, ctx, caller, params.applicationId, 'COMMITMENT_SIGNATURE', body.image),
  });
  api.route({
    method: 'post',
    path: `${appBase}/inspection/handler-photo`,
    tag: CLOUD,
    status: 200,
    summary: 'F5 上传经办人照片 (PNG/JPEG), once',
    params: applicationParam,
    body: imageBody,
    response: ApplicationView,
    errors: merged(RUNNING, IMAGE_CHECKS, { 409: ['HANDLER_PHOTO_GIVEN'] }),
    access: app,
    handler: ({ params, body, caller, ctx }) => inspections.giveOnce(deps, ctx, caller, params.applicationId, 'HANDLER_PHOTO', body.image),
  });
  api.route({
    method: 'post',
    path: `${appBase}/inspection/video/join`,
    tag: CLOUD,
    status: 200,
    summary: 'F5 进入视频 after signing and the photo; again after the call dropped (422 VIDEO_CONNECT_FAILED when it cannot connect)',
    params: applicationParam,
    response: ApplicationView,
    errors: merged(RUNNING, VIDEO_JOIN, { 409: ['COMMITMENT_NOT_SIGNED', 'HANDLER_PHOTO_MISSING'] }),
    access: app,
    handler: ({ params, caller, ctx }) => inspections.enterpriseJoins(deps, ctx, caller, params.applicationId),
  });
  api.route({
    method: 'post',
    path: `${appBase}/inspection/video/hang-up`,
    tag: CLOUD,
    status: 200,
    summary: 'F5 [挂断]',
    params: applicationParam,
    response: ApplicationView,
    errors: merged(RUNNING, VIDEO),
    access: app,
    handler: ({ params, caller, ctx }) => inspections.enterpriseHangsUp(deps, ctx, caller, params.applicationId),
  });
  api.route({
    method: 'post',
    path: `${appBase}/rectification/signature`,
    tag: CLOUD,
    status: 200,
    summary: 'F7 整改前先签字确认 — in the app only, even when rectifying on the web',
    params: applicationParam,
    body: imageBody,
    response: ApplicationView,
    errors: merged(RECTIFYING, IMAGE_CHECKS, { 409: ['ALREADY_SIGNED'] }),
    access: app,
    handler: ({ params, body, caller, ctx }) => rectification.sign(deps, ctx, caller, params.applicationId, body.image),
  });

  // The authority ------------------------------------------------------------------------------------------------
  const authorityBase = '/changzhou/v1/authority/applications/:applicationId';
  api.route({
    method: 'post',
    path: '/changzhou/v1/authority/sessions',
    tag: AUTHORITY,
    status: 200,
    summary: 'An officer logs in (username + password): a bearer token',
    body: OfficerLogin,
    response: z.strictObject({ token: z.string(), officer: Officer }),
    errors: { 401: ['WRONG_CREDENTIALS'], 423: ['ACCOUNT_LOCKED'] },
    access: anonymous,
    handler: ({ body, ctx }) => logIn(deps.db, ctx, body),
  });
  api.route({
    method: 'get',
    path: '/changzhou/v1/authority/applications',
    tag: AUTHORITY,
    summary: 'Submitted applications addressed to the officer’s authority, optionally of one status',
    query: z.object({ status: z.enum(codes(STATUSES), rule('INVALID_STATUS_FILTER', '没有该办理状态')).optional() }),
    response: z.array(ApplicationSummary),
    access: anyOfficer,
    handler: ({ query, caller, ctx }) => applications.listForAuthority(deps, ctx, caller, query.status),
  });
  api.route({
    method: 'get',
    path: authorityBase,
    tag: AUTHORITY,
    summary: 'One application addressed to the officer’s authority',
    params: applicationParam,
    response: ApplicationView,
    errors: NOT_FOUND,
    access: anyOfficer,
    handler: ({ params, caller, ctx }) => applications.viewForAuthority(deps, ctx, caller, params.applicationId),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/appointment/propose`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F3 预约核查时间 (first, or instead of the enterprise’s): 待企业确认; working hours and the future only',
    params: applicationParam,
    body: timeBody,
    response: ApplicationView,
    errors: merged(MOVE, TIME_CHECKS, { 409: ['NOT_CLOUD_INSPECTION'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => appointments.propose(deps, ctx, caller, params.applicationId, body),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/appointment/confirm`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F3 confirm the time the enterprise asked for (待政府确认 → 待核查)',
    params: applicationParam,
    body: versionBody,
    response: ApplicationView,
    errors: merged(MOVE, { 409: ['APPOINTMENT_PASSED'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => appointments.authorityConfirms(deps, ctx, caller, params.applicationId, body.version),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/on-site-inspection`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F2 现场核查 recorded (the old flow): the application moves on',
    params: applicationParam,
    body: OnSiteForm.extend({ version }),
    response: ApplicationView,
    errors: merged(MOVE, { 400: ['INVALID_INSPECTED_ON'], 409: ['CLOUD_INSPECTION'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => applications.recordOnSite(deps, ctx, caller, params.applicationId, body),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/inspection/start`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F5 启动核查 at the confirmed time: the video room is created and the inspector joins (核查进行中)',
    params: applicationParam,
    body: versionBody,
    response: ApplicationView,
    errors: merged(MOVE, VIDEO_JOIN, { 409: ['INSPECTION_TOO_EARLY'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => inspections.start(deps, ctx, caller, params.applicationId, body.version),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/inspection/video/join`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F5 the inspector joins the call again',
    params: applicationParam,
    response: ApplicationView,
    errors: merged(RUNNING, VIDEO_JOIN),
    access: inspector,
    handler: ({ params, caller, ctx }) => inspections.officerJoins(deps, ctx, caller, params.applicationId),
  });
  api.route({
    method: 'put',
    path: `${authorityBase}/inspection/checklist/:itemCode`,
    tag: AUTHORITY,
    summary: 'F5 one checklist item 符合 / 不符合 (with a note), while both sides are on the call',
    params: z.object({ applicationId: uuid, itemCode: checklistItem }),
    body: ChecklistResult.refine(...noteForProblem),
    response: ApplicationView,
    errors: merged(RUNNING, VIDEO, { 409: ['ENTERPRISE_NOT_ON_CALL', 'OFFICER_NOT_ON_CALL'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => inspections.recordItem(deps, ctx, caller, params.applicationId, params.itemCode as (typeof CHECKLIST)[number]['code'], body),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/inspection/hang-up`,
    tag: AUTHORITY,
    status: 200,
    summary: 'F5/F6 the inspector hangs up: the room ends; all 符合 → 核查通过, otherwise 企业修复中 with the 问题汇总',
    params: applicationParam,
    body: versionBody,
    response: ApplicationView,
    errors: merged(RUNNING, MOVE, VIDEO, { 409: ['CHECKLIST_INCOMPLETE'] }),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => inspections.conclude(deps, ctx, caller, params.applicationId, body.version),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/inspection/not-finished`,
    tag: AUTHORITY,
    status: 200,
    summary: '结束核查（未完成）: a call that will not hold; the room ends and the application is appointed again',
    params: applicationParam,
    body: z.object({ version, reason: z.string(rule('REASON_REQUIRED', '请填写核查未完成的原因')).trim().min(1, rule('REASON_REQUIRED', '请填写核查未完成的原因')).max(500, rule('REASON_TOO_LONG', '原因不能超过500字')) }),
    response: ApplicationView,
    errors: merged(RUNNING, MOVE, VIDEO),
    access: inspector,
    handler: ({ params, body, caller, ctx }) => inspections.notFinished(deps, ctx, caller, params.applicationId, body),
  });
  api.route({
    method: 'post',
    path: `${authorityBase}/approval`,
    tag: AUTHORITY,
    status: 200,
    summary: 'The next step after the inspection: approved, the licence issued (valid 3 years)',
    params: applicationParam,
    body: versionBody,
    response: ApplicationView,
    errors: MOVE,
    access: reviewer,
    handler: ({ params, body, caller, ctx }) => applications.approve(deps, ctx, caller, params.applicationId, body.version),
  });
  return api;
}
