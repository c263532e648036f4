// 信用修复 HTTP routes, both apps: 广州企业一网通 (/gzqy/v1, the applicant's mobile side) and the
// 信用监管综合系统 (/gzxyjg/v1, the back office). Declare who may call, parse, delegate.
import { anonymous } from '../../kernel/access.js';
import { calendarDay, fieldError, idNumber, mobile, personName, smsCode, uuid } from '../../kernel/fields.js';
import { Api, type ErrorCodes } from '../../kernel/http.js';
import { isValidUscc } from '../../kernel/identifiers.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import { IDENTITY_FAILURES, PROVIDER_ERRORS, SMS_ERRORS } from '../verification/clients.js';
import type { ApplicantAccess, BackOfficeAccess } from './access.js';
import * as applicant from './applicant.js';
import * as backOffice from './back-office.js';
import { KIND_CODES, MATERIAL_TYPES, REASON_CODES, type MaterialType } from './rules.js';
import * as sessions from './sessions.js';
import { ApplicationView, CaseView, MaterialFile, MaterialView, Moved, paged, ProgressItem, RecordView, TodoItem } from './views.js';
import { STATES, TRANSITIONS, type Effect, type Event, type GuardName } from './workflow.js';

const APPLICANT = '广州企业一网通 · 信用修复 (E2, E3)';
const BACK_OFFICE = '信用监管综合系统 · 信用修复 (E4–E9)';

const rule = (code: string, message: string) => ({ error: fieldError(code, message) });
const blank = (value: unknown) => (value === '' ? undefined : value);

export const kind = z.enum(KIND_CODES, rule('INVALID_KIND', '请选择业务类型'));
export const code = z
  .string(rule('INVALID_CODE', '请输入正确的注册号或统一社会信用代码'))
  .trim()
  .toUpperCase()
  .refine((s) => /^\d{15}$/.test(s) || isValidUscc(s), rule('INVALID_CODE', '请输入正确的注册号或统一社会信用代码'))
  .openapi({ description: '统一社会信用代码 (18) or 注册号 (15 digits)', example: '91440106MA59C3XK0R' });
export const version = z.number(rule('VERSION_REQUIRED', '请刷新后重试')).int().nonnegative().openapi({ description: 'The version of the case the user saw' });
/** Text PostgreSQL can store (no NUL), trimmed. */
const plain = (max: number, codeName = 'INVALID_TEXT', message = '请输入正确的内容') =>
  z.string(rule(codeName, message)).trim().max(max, rule(codeName, message)).regex(/^[^\u0000]*$/, rule(codeName, message));
const text = (codeName: string, message: string) => plain(500, codeName, message).min(1, rule(codeName, message));
const page = {
  page: z.coerce.number(rule('INVALID_PAGE', '页码不正确')).int().min(1, rule('INVALID_PAGE', '页码不正确')).default(1),
  pageSize: z.coerce.number(rule('INVALID_PAGE', '每页条数不正确')).int().min(1, rule('INVALID_PAGE', '每页条数不正确')).max(50, rule('INVALID_PAGE', '每页条数不正确')).default(10),
};
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

// The applicant's fields, which 广州企业一网通's pages parse their forms with too (applicant-pages.ts).
export const readGuide = z.literal(true, rule('GUIDE_NOT_READ', '请先阅读办事指南并勾选“已阅读”'));
export const recordIds = z.array(uuid).min(1, rule('NO_RECORD_PICKED', '请选择需要修复的列入信息')).max(20);
export const materialType = z.enum(Object.keys(MATERIAL_TYPES) as [MaterialType, ...MaterialType[]], rule('INVALID_MATERIAL_TYPE', '请选择材料类型'));
export const fileName = plain(100, 'INVALID_FILE_NAME', '文件名不正确').min(1, rule('INVALID_FILE_NAME', '文件名不正确'));
export const fileContent = z.base64(rule('MATERIAL_NOT_BASE64', '文件内容须为base64编码')).openapi({ description: 'The file, base64' });

/** 我的待办's search (E5): the API's query, and the page's search form. */
export const TODO_QUERY = z.object({
  acceptanceNo: optional(plain(40)),
  name: optional(plain(100)),
  kind: optional(kind),
  status: optional(z.enum(STATES, rule('INVALID_STATUS', '请选择业务状态'))),
  code: optional(code),
  ...page,
});
/** The search of a kind's listing records (E6): the API's query, and the page's search form. */
export const RECORDS_QUERY = z.object({
  kind,
  code: optional(code),
  reason: optional(z.enum(REASON_CODES, rule('INVALID_REASON', '请选择列入原因'))),
  name: optional(plain(100)),
  listedFrom: optional(calendarDay),
  listedTo: optional(calendarDay),
  status: z.enum(['LISTED', 'REPAIRED'], rule('INVALID_STATUS', '请选择状态')).default('LISTED'),
  ...page,
});

/** The body of each step on a case (E7–E9): the API's, and the page forms' (their version read from the form). */
export const STEP_BODIES = {
  ACCEPT: z.object({ version, opinion: text('OPINION_REQUIRED', '请填写经办意见') }),
  TRANSFER: z.object({ version, toOffice: plain(100, 'TRANSFER_NOT_ALLOWED', '请选择转办机关').min(1, rule('TRANSFER_NOT_ALLOWED', '请选择转办机关')), reason: text('REASON_REQUIRED', '请填写转办原因') }),
  REVIEW: z.object({ version, opinion: text('OPINION_REQUIRED', '请填写审核意见') }),
  APPROVE: z.object({ version, opinion: text('OPINION_REQUIRED', '请填写审批意见') }),
  REFUSE: z.object({ version, reason: text('REASON_REQUIRED', '请填写不予通过的原因') }),
} satisfies Partial<Record<Event, z.ZodObject>>;

const Coded = z.object({ code: z.string(), label: z.string() });
const Office = z.object({ code: z.string(), name: z.string() });
const CodeSent = z.object({ sent: z.boolean(), validSeconds: z.number(), resendAfterSeconds: z.number() }).openapi('CreditCodeSent');
const StaffView = z.object({ name: z.string(), mobile: z.string(), office: Office, bureau: Office, roles: z.array(Coded) }).openapi('CreditStaff');
const KindView = z
  .object({
    kind: z.string(),
    label: z.string(),
    service: z.string(),
    entry: z.string().openapi({ description: 'The tile on the 信用修复 page' }),
    subjectKind: Coded,
    guide: z.object({
      conditions: z.array(z.string()),
      materials: z.array(Coded.extend({ required: z.boolean() })),
      timeLimit: z.object({ workingDays: z.number().int(), label: z.string() }),
      files: z.object({ types: z.array(z.string()), maxBytes: z.number().int(), maxFiles: z.number().int() }),
      basis: z.string(),
    }),
  })
  .openapi('CreditKind');
const SubjectLoggedIn = z
  .object({
    kind: Coded,
    subject: z.object({ name: z.string(), uscc: z.string(), kind: Coded, legalRepName: z.string() }),
    records: z.array(RecordView),
  })
  .openapi('CreditSubjectLoggedIn');

const caseParam = z.object({ caseId: uuid });

const merged = (...sets: ErrorCodes[]): ErrorCodes =>
  sets.reduce<Record<number, string[]>>((all, set) => {
    for (const [status, codes] of Object.entries(set)) all[Number(status)] = [...new Set([...(all[Number(status)] ?? []), ...(codes ?? [])])];
    return all;
  }, {});

/** Sending a code (sessions.sendCode) and checking one (sessions.withCode). */
const CODE_SENDING: ErrorCodes = { 429: ['SMS_TOO_FREQUENT', 'CODE_LOCKED'], ...SMS_ERRORS };
const CODE_CHECKING: ErrorCodes = { 400: ['CODE_INVALID', 'CODE_EXPIRED'], 429: ['CODE_LOCKED'] };

// The refusals of the workflow's guards and effects (workflow.ts). Two steps apart is refused by
// the back office's access first, with the same code, wherever it can happen (access.ts).
const GUARD_ERRORS: Record<GuardName, ErrorCodes> = {
  recordsListed: { 409: ['RECORD_NOT_LISTED'] },
  recordsFree: { 409: ['RECORD_IN_CASE'] },
  eligible: { 409: ['NOT_YET_ELIGIBLE', 'CAUSE_NOT_CURED'] },
  materialsComplete: { 409: ['MATERIALS_MISSING'] },
  separateSteps: {},
  sameBureau: { 400: ['TRANSFER_NOT_ALLOWED'] },
};
const EFFECT_ERRORS: Partial<Record<Effect, ErrorCodes>> = { holdRecords: { 409: ['RECORD_IN_CASE'] } };

/**
 * What firing `event` may refuse: its transitions' guards and effects and, on a case at the
 * version its user saw, a stale version or a state the event is not fired in (a case just made is
 * fired at its own version, in the state it was made in).
 */
const firing = (event: Event, seen: boolean): ErrorCodes =>
  merged(
    seen ? { 409: ['VERSION_CONFLICT', 'INVALID_STATE'] } : {},
    ...TRANSITIONS.filter((t) => t.event === event).flatMap((t) => [...t.guards.map((g) => GUARD_ERRORS[g]), ...t.effects.map((e) => EFFECT_ERRORS[e] ?? {})]),
  );

export function creditRepairApi(deps: sessions.Deps & { live: Live; applicantAccess: ApplicantAccess; backOfficeAccess: BackOfficeAccess }): Api {
  const api = new Api(deps.live, { title: 'govsim 信用修复', description: '广州 信用修复: the applicant on 广州企业一网通 and the back office of the 信用监管综合系统.' });
  const who = deps.applicantAccess;
  const staff = deps.backOfficeAccess;

  // 广州企业一网通 (E2, E3) ----------------------------------------------------------------------

  api.route({
    method: 'get',
    path: '/gzqy/v1/credit-repair/kinds',
    tag: APPLICANT,
    summary: '更多业务 → 信用修复: the four kinds, each with its 办事指南 (conditions, materials, time limit)',
    response: z.array(KindView),
    access: anonymous,
    handler: async () => applicant.kinds(),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/sms-codes',
    tag: APPLICANT,
    summary: 'Send a 6-digit login code (the rules of A2)',
    body: z.object({ mobile }),
    response: CodeSent,
    status: 200,
    errors: CODE_SENDING,
    access: anonymous,
    handler: ({ body, ctx }) => sessions.sendApplicantCode(deps, ctx, body.mobile),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/sessions',
    tag: APPLICANT,
    summary: 'Log in to 广州企业一网通 with mobile + SMS code',
    body: z.object({ mobile, code: smsCode }),
    response: z.strictObject({ token: z.string(), mobile: z.string() }),
    errors: CODE_CHECKING,
    access: anonymous,
    handler: ({ body, ctx }) => sessions.applicantLogin(deps, ctx, body.mobile, body.code),
  });
  api.route({
    method: 'get',
    path: '/gzqy/v1/credit-repair/my-subjects',
    tag: APPLICANT,
    summary: 'Subjects in my name (名下企业) for a kind, with 注册号/统一社会信用代码, 法定代表人, 身份证号码 filled in',
    query: z.object({ kind }),
    response: z.array(z.strictObject({ uscc: z.string(), name: z.string(), registrationNo: z.string().nullable(), legalRepName: z.string(), idNumber: z.string() })),
    access: who.mobile,
    handler: ({ query, caller, ctx }) => applicant.mySubjects(deps, ctx, caller, query.kind),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/subject-login',
    tag: APPLICANT,
    summary: 'Tick 已阅读, choose the subject (one of mine, or 其他 typed in) → [登录]: identity check of the legal representative; the subject’s records of the kind',
    body: z.object({
      kind,
      readGuide,
      subject: z.discriminatedUnion(
        'choice',
        [z.object({ choice: z.literal('MINE'), uscc: code }), z.object({ choice: z.literal('OTHER'), code, legalRepName: personName, idNumber })],
        rule('INVALID_SUBJECT', '请选择办理主体'),
      ),
    }),
    response: SubjectLoggedIn,
    status: 200,
    errors: {
      400: ['WRONG_SUBJECT_KIND'],
      403: ['SUBJECT_NOT_MINE'],
      404: ['SUBJECT_NOT_FOUND', 'NO_LISTING_RECORD'],
      // Every verdict but a pass is the applicant's answer, a provincial user's activation too.
      422: ['SUBJECT_MISMATCH', ...IDENTITY_FAILURES, 'PROVINCE_ACTIVATION'],
      ...PROVIDER_ERRORS,
    },
    access: who.mobile,
    handler: ({ body, caller, ctx }) => applicant.logInForSubject(deps, ctx, caller, body.kind, body.subject),
  });
  api.route({
    method: 'get',
    path: '/gzqy/v1/credit-repair/subject/records',
    tag: APPLICANT,
    summary: 'The logged-in subject’s records of the kind (列严/列异信息): listed ones to pick, repaired ones with the date',
    response: z.array(RecordView),
    access: who.subject,
    handler: ({ caller, ctx }) => applicant.subjectRecords(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/applications',
    tag: APPLICANT,
    summary: '[移出申请] on the records picked: a draft application (check the subject and records, then upload materials)',
    body: z.object({ recordIds }),
    response: ApplicationView,
    errors: merged({ 400: ['RECORD_NOT_OF_SUBJECT', 'RECORDS_OF_DIFFERENT_OFFICES'] }, firing('START', false)),
    access: who.subject,
    handler: ({ body, caller, ctx }) => applicant.startApplication(deps, ctx, caller, [...new Set(body.recordIds.map((id) => id.toLowerCase()))]),
  });
  api.route({
    method: 'get',
    path: '/gzqy/v1/credit-repair/applications/:caseId',
    tag: APPLICANT,
    summary: 'An application made from this mobile: subject, records, materials, state',
    params: caseParam,
    response: ApplicationView,
    access: who.application('caseId'),
    handler: ({ caller, ctx }) => applicant.applicationOf(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/applications/:caseId/materials',
    tag: APPLICANT,
    summary: 'Upload a material (PDF, JPG or PNG, recognised by content; at most 512 KB; 10 per application) to a draft',
    params: caseParam,
    body: z.object({ materialType, fileName, content: fileContent }),
    response: MaterialView,
    errors: { 400: ['MATERIAL_EMPTY', 'MATERIAL_TOO_LARGE', 'MATERIAL_TYPE_NOT_ALLOWED'], 409: ['APPLICATION_SUBMITTED', 'TOO_MANY_MATERIALS'] },
    access: who.application('caseId'),
    handler: ({ body, caller, ctx }) => applicant.uploadMaterial(deps, ctx, caller, body),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/applications/:caseId/submission',
    tag: APPLICANT,
    summary: '[提交]: the application is received (受理编号) by the office that listed the records',
    params: caseParam,
    body: z.object({ version }),
    response: ApplicationView,
    status: 200,
    errors: firing('SUBMIT', true),
    access: who.application('caseId'),
    handler: ({ body, caller, ctx }) => applicant.submit(deps, ctx, caller, body.version),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/progress-codes',
    tag: APPLICANT,
    summary: '进度查询 for a mobile other than the one logged in: send a code to that mobile',
    body: z.object({ mobile }),
    response: CodeSent,
    status: 200,
    errors: CODE_SENDING,
    access: who.mobile,
    handler: ({ body, ctx }) => sessions.sendCode(deps, ctx, 'PROGRESS_QUERY', body.mobile),
  });
  api.route({
    method: 'post',
    path: '/gzqy/v1/credit-repair/progress-queries',
    tag: APPLICANT,
    summary: '进度查询: every application of the enterprises linked to the mobile logged in (or another, with the code sent to it), with the refusal reason when refused',
    body: z.object({ mobile: mobile.optional(), code: smsCode.optional() }),
    response: z.strictObject({ mobile: z.string(), today: z.string(), applications: z.array(ProgressItem) }),
    status: 200,
    errors: merged({ 400: ['CODE_REQUIRED'] }, CODE_CHECKING),
    access: who.mobile,
    handler: ({ body, caller, ctx }) => applicant.progress(deps, ctx, caller, body),
  });

  // 信用监管综合系统 (E4–E9) ---------------------------------------------------------------------

  api.route({
    method: 'post',
    path: '/gzxyjg/v1/sms-codes',
    tag: BACK_OFFICE,
    summary: 'E4 login: send a 6-digit code to a back-office user’s mobile (the rules of A2)',
    body: z.object({ mobile }),
    response: CodeSent,
    status: 200,
    errors: { 404: ['STAFF_NOT_FOUND'], ...CODE_SENDING },
    access: anonymous,
    handler: ({ body, ctx }) => sessions.sendStaffCode(deps, ctx, body.mobile),
  });
  api.route({
    method: 'post',
    path: '/gzxyjg/v1/sessions',
    tag: BACK_OFFICE,
    summary: 'E4 login with mobile + SMS code: the user, their office and roles',
    body: z.object({ mobile, code: smsCode }),
    response: z.strictObject({ token: z.string(), user: StaffView }),
    // A code is only sent to a user's mobile, and users stay: the user is found once it is right.
    errors: CODE_CHECKING,
    access: anonymous,
    handler: ({ body, ctx }) => sessions.staffLogin(deps, ctx, body.mobile, body.code),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/me',
    tag: BACK_OFFICE,
    summary: 'The logged-in user, their office (监管所) in its district bureau (区局) and their roles',
    response: StaffView,
    access: staff.staff,
    handler: async ({ caller }) => sessions.staffView(caller),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/credit-repair/todo',
    tag: BACK_OFFICE,
    summary: 'E5 我的待办: cases waiting for the user’s roles at their office; search by 受理编号, name (fuzzy), kind / status, USCC / 注册号; paged',
    query: TODO_QUERY,
    response: paged(TodoItem, 'CreditTodoPage'),
    access: staff.staff,
    handler: ({ query, caller, ctx }) => backOffice.todo(deps, ctx, caller, query),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/credit-repair/records',
    tag: BACK_OFFICE,
    summary: 'E6 信用修复 → kind: the listing records of the office’s jurisdiction; search by USCC / 注册号, reason, name (fuzzy), listing dates; paged',
    query: RECORDS_QUERY,
    response: paged(RecordView, 'CreditRecordPage'),
    access: staff.office(['HANDLER']),
    handler: ({ query, caller, ctx }) => backOffice.records(deps, ctx, caller, query),
  });
  api.route({
    method: 'post',
    path: '/gzxyjg/v1/credit-repair/records/:recordId/cases',
    tag: BACK_OFFICE,
    summary: 'E6 [办理] on a record: a case opened by the office, waiting for its acceptance',
    params: z.object({ recordId: uuid }),
    response: CaseView,
    errors: firing('OPEN', false),
    access: staff.record('recordId', ['HANDLER']),
    handler: ({ caller, ctx }) => backOffice.openCase(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/credit-repair/cases/:caseId',
    tag: BACK_OFFICE,
    summary: 'E7 [办理] from the to-do: tab 信用修复申请信息 (subject, applicant, records, materials) and tab 信用修复审批表 (the steps taken, transfers); what the user may do now',
    params: caseParam,
    response: CaseView,
    access: staff.caseOffice('caseId'),
    handler: ({ caller, ctx }) => backOffice.caseOf(deps, ctx, caller, caller.case.id),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/credit-repair/cases/:caseId/materials/:materialId',
    tag: BACK_OFFICE,
    summary: 'A material of the case, as uploaded',
    params: z.object({ caseId: uuid, materialId: uuid }),
    response: MaterialFile,
    errors: { 404: ['MATERIAL_NOT_FOUND'] },
    access: staff.caseOffice('caseId'),
    handler: ({ params, caller, ctx }) => backOffice.material(deps, ctx, caller, params.materialId),
  });
  api.route({
    method: 'get',
    path: '/gzxyjg/v1/credit-repair/transfer-offices',
    tag: BACK_OFFICE,
    summary: 'E8 转办机关: the other supervision offices of the user’s district bureau',
    response: z.array(Office),
    access: staff.office(['HANDLER']),
    handler: ({ caller, ctx }) => backOffice.transferOffices(deps, ctx, caller),
  });

  const step = (event: Event, path: string, summary: string, body: z.ZodObject) =>
    api.route({
      method: 'post',
      path: `/gzxyjg/v1/credit-repair/cases/:caseId/${path}`,
      tag: BACK_OFFICE,
      summary,
      params: caseParam,
      body,
      response: Moved,
      status: 200,
      errors: firing(event, true),
      access: staff.caseEvent('caseId', event),
      handler: ({ body, caller, ctx }) => backOffice.act(deps, ctx, caller, event, body as never),
    });
  step('ACCEPT', 'acceptance', 'E7 [确定] → 信用修复审批表: the handler’s opinion → [提交]: accepted, on to review (SMS to the applicant)', STEP_BODIES.ACCEPT);
  step('TRANSFER', 'transfer', 'E8 [转办]: to another supervision office of the same district bureau, with a reason; only its handlers see the case from then on', STEP_BODIES.TRANSFER);
  step('REVIEW', 'review', 'E9 the reviewer’s [提交]: on to approval', STEP_BODIES.REVIEW);
  step('APPROVE', 'approval', 'E9 the approver’s [提交]: 办结, the records leave their list today (SMS to the applicant)', STEP_BODIES.APPROVE);
  step('REFUSE', 'refusal', 'E9 any step refuses, with a reason: the case ends (shown in 进度查询; SMS to the applicant)', STEP_BODIES.REFUSE);
  return api;
}
