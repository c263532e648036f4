// 广州企业一网通 → 更多业务 → 信用修复 (SPEC E2, E3): the kinds and their 办事指南, the subject
// (one of mine, or 其他) and 登录 through the identity provider, the subject's listing records,
// 移出申请, materials, 提交 → 受理编号, and 进度查询.
import { randomUUID } from 'node:crypto';
import { shanghaiDay } from '../../kernel/clock.js';
import { inTransaction } from '../../kernel/db.js';
import { badRequest, conflict, forbidden, notFound, verificationFailed } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { isValidUscc, maskIdNumber } from '../../kernel/identifiers.js';
import { findEnterprise, type Enterprise } from '../world/store.js';
import type { ApplicantCaller, ApplicationCaller, SubjectCaller } from './access.js';
import {
  FILE_TYPES,
  fileTypeOf,
  KIND_CODES,
  KINDS,
  MATERIAL_TYPES,
  MAX_FILE_BYTES,
  MAX_FILES,
  REQUIRED_MATERIALS,
  SUBJECT_KIND_LABEL,
  type Kind,
  type MaterialType,
} from './rules.js';
import { withCode, type Deps } from './sessions.js';
import * as store from './store.js';
import { applicationView, materialView, progressItem, recordView } from './views.js';
import { fire } from './workflow.js';

export type { Deps };

// 信用修复 page and 办事指南 ---------------------------------------------------------------------

export function kinds() {
  return KIND_CODES.map((kind) => {
    const rules = KINDS[kind];
    return {
      kind,
      label: rules.label,
      service: rules.service,
      entry: rules.entry,
      subjectKind: { code: rules.subjectKind, label: SUBJECT_KIND_LABEL[rules.subjectKind] },
      guide: {
        conditions: [
          ...(rules.minMonthsListed ? [`列入${rules.label}满${rules.minMonthsListed / 12}年`] : []),
          ...rules.reasons.map((r) => `因“${r.label}”被列入的，已${r.cure}`),
        ],
        materials: (Object.keys(MATERIAL_TYPES) as MaterialType[]).map((code) => ({ code, label: MATERIAL_TYPES[code], required: REQUIRED_MATERIALS.includes(code) })),
        timeLimit: { workingDays: rules.decisionDays, label: `自收到申请之日起${rules.decisionDays}个工作日内作出决定` },
        files: { types: FILE_TYPES.map((t) => t.label), maxBytes: MAX_FILE_BYTES, maxFiles: MAX_FILES },
        basis: '《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）',
      },
    };
  });
}

// The subject and 登录 ------------------------------------------------------------------------------

/** 名下企业: the enterprises of the kind whose legal representative has this mobile in the registry, with the fields the app fills in. */
export async function mySubjects(deps: Deps, ctx: RunContext, caller: ApplicantCaller, kind: Kind) {
  const mine = await store.enterprisesOfMobile(deps.db, ctx.run, caller.mobile, KINDS[kind].subjectKind);
  return mine.map((e) => ({ uscc: e.uscc, name: e.name, registrationNo: e.registrationNo, legalRepName: e.legalRepName, idNumber: maskIdNumber(e.legalRepIdNumber) }));
}

export type SubjectChoice = { choice: 'MINE'; uscc: string } | { choice: 'OTHER'; code: string; legalRepName: string; idNumber: string };

async function enterpriseByCode(deps: Deps, ctx: RunContext, code: string): Promise<Enterprise | undefined> {
  const uscc = isValidUscc(code) ? code : await store.usccOfRegistrationNo(deps.db, ctx.run, code);
  return uscc ? findEnterprise(deps.db, ctx.run, uscc) : undefined;
}

/**
 * [登录]: the subject is found (one of mine: its legal representative has this mobile; 其他: the
 * code typed, and the legal representative and ID number must be the registered ones), must be
 * of the kind's market entities and have a record of the kind; then the identity provider checks
 * the legal representative (its failures are the documented messages). Only then is the session
 * logged in for the subject; nothing is stored on a refusal.
 */
export async function logInForSubject(deps: Deps, ctx: RunContext, caller: ApplicantCaller, kind: Kind, subject: SubjectChoice) {
  const rules = KINDS[kind];
  let enterprise: Enterprise | undefined;
  if (subject.choice === 'MINE') {
    enterprise = (await store.enterprisesOfMobile(deps.db, ctx.run, caller.mobile)).find((e) => e.uscc === subject.uscc);
    if (!enterprise) throw forbidden('SUBJECT_NOT_MINE', '该主体不在您的名下，请选择“其他”并填写主体信息');
  } else {
    enterprise = await enterpriseByCode(deps, ctx, subject.code);
    if (!enterprise) throw notFound('SUBJECT_NOT_FOUND', '未查询到该主体，请核对注册号/统一社会信用代码');
    if (enterprise.legalRepName !== subject.legalRepName || enterprise.legalRepIdNumber !== subject.idNumber) {
      throw verificationFailed('SUBJECT_MISMATCH', '法定代表人姓名或身份证号码与登记信息不一致');
    }
  }
  if (enterprise.kind !== rules.subjectKind) {
    const fitting = KIND_CODES.filter((k) => KINDS[k].subjectKind === enterprise.kind).map((k) => KINDS[k].service);
    throw badRequest('WRONG_SUBJECT_KIND', `该主体为${SUBJECT_KIND_LABEL[enterprise.kind]}，请办理${fitting.join('或')}`);
  }
  const records = await store.recordsOfSubject(deps.db, ctx.run, enterprise.uscc, kind);
  if (!records.some((r) => r.status === 'LISTED')) throw notFound('NO_LISTING_RECORD', `未查询到该主体的${rules.label}信息`);
  const verdict = await deps.providers.identity.verify(ctx, { name: enterprise.legalRepName, idNumber: enterprise.legalRepIdNumber });
  if (!verdict.passed) throw verificationFailed(verdict.code, verdict.message);
  await store.setSubject(deps.db, ctx.run, caller.tokenHash, { kind, uscc: enterprise.uscc, verifiedName: enterprise.legalRepName, verifiedIdNumber: enterprise.legalRepIdNumber });
  return {
    kind: { code: kind, label: rules.label },
    subject: { name: enterprise.name, uscc: enterprise.uscc, kind: { code: enterprise.kind, label: SUBJECT_KIND_LABEL[enterprise.kind] }, legalRepName: enterprise.legalRepName },
    records: records.map(recordView),
  };
}

/** The logged-in subject's records of the kind: those listed (to pick from) and those repaired (with the date). */
export async function subjectRecords(deps: Deps, ctx: RunContext, caller: SubjectCaller) {
  return (await store.recordsOfSubject(deps.db, ctx.run, caller.subject.uscc, caller.subject.kind)).map(recordView);
}

// 移出申请, materials, 提交 -------------------------------------------------------------------------

async function application(deps: Deps, ctx: RunContext, caseId: string) {
  const kase = (await store.findCase(deps.db, ctx.run, caseId))!;
  const [records, materials] = await Promise.all([store.recordsOfCase(deps.db, ctx.run, caseId), store.materialsOfCase(deps.db, ctx.run, caseId)]);
  return applicationView(kase, records, materials);
}

/** [移出申请] on the records picked: a draft application to the office that listed them. */
export async function startApplication(deps: Deps, ctx: RunContext, caller: SubjectCaller, recordIds: string[]) {
  const { subject } = caller;
  const records = (await store.recordsOfSubject(deps.db, ctx.run, subject.uscc, subject.kind)).filter((r) => recordIds.includes(r.id));
  if (records.length !== recordIds.length) throw badRequest('RECORD_NOT_OF_SUBJECT', '所选列入信息不属于该主体');
  const offices = new Set(records.map((r) => r.office));
  if (offices.size > 1) throw badRequest('RECORDS_OF_DIFFERENT_OFFICES', '所选列入信息由不同机关列入，请分别申请');
  const id = randomUUID();
  await inTransaction(deps.db, async (tx) => {
    await store.insertCase(tx, ctx.run, {
      id,
      kind: subject.kind,
      uscc: subject.uscc,
      registrationNo: records[0]!.registrationNo,
      subjectName: subject.name,
      origin: 'APPLICANT',
      office: records[0]!.office,
      applicantMobile: caller.mobile,
      verifiedName: subject.verifiedName,
      verifiedIdNumber: subject.verifiedIdNumber,
      recordIds,
      now: ctx.now,
    });
    const kase = (await store.lockCase(tx, ctx.run, id))!;
    await fire(tx, ctx, kase, { event: 'START', actor: { party: 'APPLICANT', name: subject.verifiedName }, version: kase.version });
  });
  return application(deps, ctx, id);
}

export const applicationOf = (deps: Deps, ctx: RunContext, caller: ApplicationCaller) => application(deps, ctx, caller.caseId);

const badFile = () => badRequest('MATERIAL_TYPE_NOT_ALLOWED', `仅支持上传${FILE_TYPES.map((t) => t.label).join('、')}格式的文件`);
const EXTENSIONS: Record<string, string[]> = { 'application/pdf': ['pdf'], 'image/jpeg': ['jpg', 'jpeg'], 'image/png': ['png'] };

/** A file for the draft: recognised by its content as PDF, JPG or PNG, named so, at most MAX_FILE_BYTES; stored in PostgreSQL. */
export async function uploadMaterial(deps: Deps, ctx: RunContext, caller: ApplicationCaller, input: { materialType: MaterialType; fileName: string; content: string }) {
  const bytes = Buffer.from(input.content, 'base64');
  if (bytes.length === 0) throw badRequest('MATERIAL_EMPTY', '文件内容为空，请重新选择');
  if (bytes.length > MAX_FILE_BYTES) throw badRequest('MATERIAL_TOO_LARGE', `单个文件不能超过${MAX_FILE_BYTES / 1024}KB`);
  const type = fileTypeOf(bytes);
  const extension = /\.([A-Za-z0-9]+)$/.exec(input.fileName)?.[1]?.toLowerCase();
  if (!type || !extension || !EXTENSIONS[type.contentType]!.includes(extension)) throw badFile();
  return inTransaction(deps.db, async (tx) => {
    const kase = (await store.lockCase(tx, ctx.run, caller.caseId))!;
    if (kase.state !== 'DRAFT') throw conflict('APPLICATION_SUBMITTED', '申请已提交，不能再修改材料');
    if ((await store.materialsOfCase(tx, ctx.run, kase.id)).length >= MAX_FILES) throw conflict('TOO_MANY_MATERIALS', `每件申请最多上传${MAX_FILES}个文件`);
    const material = await store.insertMaterial(tx, ctx.run, { id: randomUUID(), caseId: kase.id, materialType: input.materialType, fileName: input.fileName, contentType: type.contentType, content: bytes, now: ctx.now });
    return materialView(material);
  });
}

/** [提交]: the application is received (受理编号) and goes to the listing office's handlers. */
export async function submit(deps: Deps, ctx: RunContext, caller: ApplicationCaller, version: number) {
  await inTransaction(deps.db, async (tx) => {
    const kase = (await store.lockCase(tx, ctx.run, caller.caseId))!;
    await fire(tx, ctx, kase, { event: 'SUBMIT', actor: { party: 'APPLICANT', name: kase.verifiedName ?? caller.mobile }, version });
  });
  return application(deps, ctx, caller.caseId);
}

// 进度查询 ------------------------------------------------------------------------------------------

/**
 * Every application of the enterprises linked to the mobile logged in, or to another mobile
 * entered with the code sent to it (the code is used up by the query).
 */
export async function progress(deps: Deps, ctx: RunContext, caller: ApplicantCaller, input: { mobile?: string | undefined; code?: string | undefined }) {
  const mobile = input.mobile ?? caller.mobile;
  const code = input.code;
  if (mobile !== caller.mobile && !code) throw badRequest('CODE_REQUIRED', '请输入发送至该手机号的验证码');
  const rows =
    mobile === caller.mobile ? await store.progressOf(deps.db, ctx.run, mobile) : await withCode(deps, ctx, 'PROGRESS_QUERY', mobile, code!, (tx) => store.progressOf(tx, ctx.run, mobile));
  return { mobile, today: shanghaiDay(ctx.now), applications: rows.map(progressItem) };
}
