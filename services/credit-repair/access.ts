// Who may call a 信用修复 route, as declarations the kernel enforces (one query per request):
//
// - 广州企业一网通 (the applicant): a mobile's session; for the subject routes, the subject the
//   session logged in for (登录, after the identity check); for an application, one made from that
//   mobile.
// - 信用监管综合系统 (the back office): a user's session and their roles (经办人, 审核人员, 审批人员)
//   in their office; for a listing record, the office that listed it; for a case, the office it
//   sits at now, the roles the workflow table lets fire the route's event in the case's state,
//   and — read from the case's log — no part in another step of the same case.
import type { Access, AccessRequest } from '../../kernel/access.js';
import type { Db } from '../../kernel/db.js';
import type { ErrorCodes } from '../../kernel/http.js';
import { conflict, forbidden, notFound, unauthorised } from '../../kernel/errors.js';
import { isUuid } from '../../kernel/fields.js';
import { tokenHash } from '../../kernel/tokens.js';
import { ROLE_LABEL, type Kind, type Role, type SubjectKind } from './rules.js';
import type { StaffRow } from './store.js';
import { EVENT_LABEL, partiesFor, roleRefusal, separationRefusal, STATES, stepFor, TRANSITIONS, type Event, type State, type Step } from './workflow.js';

const NIL = '00000000-0000-0000-0000-000000000000';

const sessionOf = (request: AccessRequest) => {
  if (!request.credential) throw unauthorised();
  return tokenHash(request.credential);
};

/** The path parameter naming an object, or an id that names nothing (a malformed one is no different). */
const idIn = (request: AccessRequest, field: string | undefined) => {
  const value = field ? request.params[field] : undefined;
  return typeof value === 'string' && isUuid(value) ? value : NIL;
};

// 广州企业一网通 ------------------------------------------------------------------------------------

export interface Subject {
  kind: Kind;
  uscc: string;
  name: string;
  subjectKind: SubjectKind;
  legalRepName: string;
  verifiedName: string;
  verifiedIdNumber: string;
}

export interface ApplicantCaller {
  tokenHash: string;
  mobile: string;
  subject: Subject | null;
}

export interface SubjectCaller extends ApplicantCaller {
  subject: Subject;
}

export interface ApplicationCaller extends ApplicantCaller {
  caseId: string;
}

export interface ApplicantPolicy {
  scope: 'mobile' | 'subject' | 'application';
  /** The path parameter naming the application, for scope application. */
  field?: string;
}

const APPLICANT_SQL = `SELECT s.token_hash AS "tokenHash", s.mobile, s.subject_kind AS kind, s.subject_uscc AS uscc, s.verified_name AS "verifiedName",
       s.verified_id_number AS "verifiedIdNumber", e.name, e.kind AS "subjectKind", e.legal_rep_name AS "legalRepName", c.id AS "caseId"
  FROM credit_applicant_sessions s
  LEFT JOIN registry_enterprises e ON e.run = s.run AND e.uscc = s.subject_uscc
  LEFT JOIN credit_cases c ON c.run = s.run AND c.id = $3::uuid AND c.applicant_mobile = s.mobile
 WHERE s.run = $1 AND s.token_hash = $2`;

type ApplicantRow = { tokenHash: string; mobile: string; kind: Kind | null; uscc: string | null; verifiedName: string | null; verifiedIdNumber: string | null; name: string | null; subjectKind: SubjectKind | null; legalRepName: string | null; caseId: string | null };

export function applicantAccess(db: Db) {
  const resolveRow = async (request: AccessRequest, field?: string) => {
    const hash = sessionOf(request);
    const { rows } = await db.query<ApplicantRow>({ name: 'credit.access.applicant', text: APPLICANT_SQL, values: [request.ctx.run, hash, idIn(request, field)] });
    const row = rows[0];
    if (!row) throw unauthorised();
    const subject: Subject | null =
      row.kind && row.uscc && row.name
        ? { kind: row.kind, uscc: row.uscc, name: row.name, subjectKind: row.subjectKind!, legalRepName: row.legalRepName!, verifiedName: row.verifiedName!, verifiedIdNumber: row.verifiedIdNumber! }
        : null;
    return { caller: { tokenHash: row.tokenHash, mobile: row.mobile, subject }, caseId: row.caseId };
  };
  const described = (policy: ApplicantPolicy, what: string, errors: ErrorCodes = {}) => ({
    kind: 'gzqy.applicant',
    description: `广州企业一网通 mobile session (Authorization: Bearer)${what}.`,
    secured: true,
    policy,
    errors: { 401: ['NOT_LOGGED_IN'], ...errors },
  });

  /** Logged in to 广州企业一网通 with a mobile and SMS code. */
  const mobile: Access<ApplicantCaller> = {
    ...described({ scope: 'mobile' }, ''),
    resolve: async (request) => (await resolveRow(request)).caller,
  };
  /** … and logged in (登录) for a subject of a kind, after the identity check. */
  const subject: Access<SubjectCaller> = {
    ...described({ scope: 'subject' }, ' that has logged in (登录) for a subject', { 409: ['NO_SUBJECT'] }),
    async resolve(request) {
      const { caller } = await resolveRow(request);
      if (!caller.subject) throw conflict('NO_SUBJECT', '请先选择办理主体并登录');
      return caller as SubjectCaller;
    },
  };
  /** … and the application in path parameter `field` was made from the session's mobile. */
  const application = (field: string): Access<ApplicationCaller> => ({
    ...described({ scope: 'application', field }, `; the application named by path ${field} was made from its mobile`, { 404: ['APPLICATION_NOT_FOUND'] }),
    async resolve(request) {
      const { caller, caseId } = await resolveRow(request, field);
      if (!caseId) throw notFound('APPLICATION_NOT_FOUND', '未找到该申请');
      return { ...caller, caseId };
    },
  });
  /** Anyone, and the mobile's session when one comes with the request (a page that shows more to someone logged in: 首页). */
  const visitor: Access<ApplicantCaller | undefined> = {
    kind: 'gzqy.visitor',
    description: 'Anyone; the 广州企业一网通 mobile session, when one is sent.',
    secured: false,
    policy: { scope: 'visitor' },
    async resolve(request) {
      if (!request.credential) return undefined;
      return mobile.resolve(request).catch((error: unknown) => {
        if ((error as { status?: number }).status === 401) return undefined;
        throw error;
      });
    },
  };
  return { mobile, subject, application, visitor };
}

// 信用监管综合系统 --------------------------------------------------------------------------------

export interface StaffCaller {
  tokenHash: string;
  staff: StaffRow;
  office: { code: string; name: string };
  bureau: { code: string; name: string };
}

export interface RecordCaller extends StaffCaller {
  recordId: string;
}

export interface CaseCaller extends StaffCaller {
  case: { id: string; state: State; version: number };
  /** The steps of the case this user acted in (its log). */
  acted: Step[];
}

export interface BackOfficePolicy {
  /** staff: any user; office: a role of the user's office; record: and the record's listing office; case: and the office the case sits at. */
  scope: 'staff' | 'office' | 'record' | 'case';
  /** Roles that may call (for a case with an event: those the workflow table lets fire it in the case's state). */
  roles: readonly Role[];
  /** The workflow event the route fires on the case. */
  event?: Event;
  /** The path parameter naming the record or case. */
  field?: string;
}

type StaffAccessRow = {
  tokenHash: string;
  id: string;
  name: string;
  mobile: string;
  office: string;
  roles: Role[];
  officeName: string;
  bureau: string;
  bureauName: string;
  caseId: string | null;
  state: State | null;
  version: number | null;
  caseOffice: string | null;
  acted: Step[];
  recordId: string | null;
  recordOffice: string | null;
};

// Drafts are the applicant's own: the back office sees a case once it is submitted or opened.
const STAFF_SQL = `SELECT s.token_hash AS "tokenHash", st.id, st.name, st.mobile, st.office, st.roles, o.name AS "officeName", o.bureau, b.name AS "bureauName",
       c.id AS "caseId", c.state, c.version, c.office AS "caseOffice",
       ARRAY(SELECT DISTINCT t.step FROM credit_transitions t WHERE t.run = c.run AND t.case_id = c.id AND t.staff_id = st.id) AS acted,
       r.id AS "recordId", r.office AS "recordOffice"
  FROM credit_staff_sessions s
  JOIN credit_staff st ON st.run = s.run AND st.id = s.staff_id
  JOIN credit_offices o ON o.run = st.run AND o.code = st.office
  JOIN credit_offices b ON b.run = o.run AND b.code = o.bureau
  LEFT JOIN credit_cases c ON c.run = s.run AND c.id = $3::uuid AND c.state NOT IN ('NEW', 'DRAFT')
  LEFT JOIN credit_records r ON r.run = s.run AND r.id = $4::uuid
 WHERE s.run = $1 AND s.token_hash = $2`;

export const caseNotInOffice = () => forbidden('CASE_NOT_IN_OFFICE', '该业务不在本单位办理范围内');
export const recordNotInOffice = () => forbidden('RECORD_NOT_IN_OFFICE', '该列入信息不在本单位管辖范围内');

/** The refusals of a back-office policy for a resolved row, in the order they are checked. */
export function decideBackOffice(row: StaffAccessRow | undefined, policy: BackOfficePolicy): StaffCaller | RecordCaller | CaseCaller {
  if (!row) throw unauthorised();
  const caller: StaffCaller = {
    tokenHash: row.tokenHash,
    staff: { id: row.id, name: row.name, mobile: row.mobile, office: row.office, roles: row.roles },
    office: { code: row.office, name: row.officeName },
    bureau: { code: row.bureau, name: row.bureauName },
  };
  const holds = (roles: readonly string[]) => row.roles.some((r) => roles.includes(r));
  if (policy.scope === 'staff') return caller;
  if (policy.scope === 'record' && (!row.recordId || row.recordOffice !== row.office)) throw recordNotInOffice();
  if (policy.scope === 'case' && (!row.caseId || row.caseOffice !== row.office)) throw caseNotInOffice();
  const state = row.state ?? undefined;
  const roles = policy.scope === 'case' && policy.event ? partiesFor(policy.event, state).filter((p) => p !== 'APPLICANT') : policy.roles;
  if (!holds(roles)) throw roleRefusal();
  if (policy.scope === 'record') return { ...caller, recordId: row.recordId! };
  if (policy.scope === 'case') {
    const step = policy.event && state ? stepFor(policy.event, state) : undefined;
    if (step && row.acted.some((s) => s !== step)) throw separationRefusal();
    return { ...caller, case: { id: row.caseId!, state: row.state!, version: row.version! }, acted: row.acted };
  }
  return caller;
}

const ALL: readonly Role[] = ['HANDLER', 'REVIEWER', 'APPROVER'];
const allowsAll = (parties: readonly string[]) => ALL.every((r) => parties.includes(r));

/**
 * The steps a user may have acted in on a case by the time it is in each state: those of the
 * back-office transitions on any way there through the table.
 */
const ACTED_BEFORE: ReadonlyMap<State, ReadonlySet<Step>> = (() => {
  const acted = new Map(STATES.map((s) => [s, new Set<Step>()]));
  for (let grown = true; grown; ) {
    grown = false;
    for (const t of TRANSITIONS) {
      const into = acted.get(t.to)!;
      const size = into.size;
      for (const step of acted.get(t.from)!) into.add(step);
      if (t.by.some((p) => p !== 'APPLICANT')) into.add(t.step);
      grown ||= into.size !== size;
    }
  }
  return acted;
})();

/**
 * What decideBackOffice may answer under a policy. Every user holds a role (credit_staff's check),
 * so a policy open to all roles never refuses one; an event's separation is refused only where a
 * user can have acted in another step of the case before it.
 */
function refusalsOf(policy: BackOfficePolicy): ErrorCodes {
  const event = policy.scope === 'case' ? policy.event : undefined;
  const limited = event ? STATES.some((s) => !allowsAll(partiesFor(event, s))) : policy.scope !== 'staff' && !allowsAll(policy.roles);
  const separated = event !== undefined && TRANSITIONS.some((t) => t.event === event && [...ACTED_BEFORE.get(t.from)!].some((s) => s !== t.step));
  const refused = [
    ...(policy.scope === 'record' ? ['RECORD_NOT_IN_OFFICE'] : []),
    ...(policy.scope === 'case' ? ['CASE_NOT_IN_OFFICE'] : []),
    ...(limited ? ['ROLE_NOT_ALLOWED'] : []),
    ...(separated ? ['ROLE_SEPARATION'] : []),
  ];
  return { 401: ['NOT_LOGGED_IN'], ...(refused.length ? { 403: refused } : {}) };
}

export function backOfficeAccess(db: Db) {
  const access = <C extends StaffCaller>(policy: BackOfficePolicy): Access<C> => {
    const who = policy.scope === 'staff' ? 'any user' : `a ${policy.roles.map((r) => ROLE_LABEL[r]).join('/')}`;
    const where = {
      staff: '',
      office: ' of their office',
      record: ` of the office that listed the record in path ${policy.field}`,
      case: ` of the office the case in path ${policy.field} sits at${policy.event ? ` whom the workflow lets ${EVENT_LABEL[policy.event]} in the case's state, and who acted in no other step of it` : ''}`,
    }[policy.scope];
    return {
      kind: 'gzxyjg.back-office',
      description: `信用监管综合系统 session (Authorization: Bearer) of ${who}${where}.`,
      secured: true,
      policy,
      errors: refusalsOf(policy),
      async resolve(request) {
        const hash = sessionOf(request);
        const record = policy.scope === 'record' ? idIn(request, policy.field) : NIL;
        const kase = policy.scope === 'case' ? idIn(request, policy.field) : NIL;
        const { rows } = await db.query<StaffAccessRow>({ name: 'credit.access.staff', text: STAFF_SQL, values: [request.ctx.run, hash, kase, record] });
        return decideBackOffice(rows[0], policy) as C;
      },
    };
  };
  return {
    /** Any back-office user. */
    staff: access<StaffCaller>({ scope: 'staff', roles: ALL }),
    /** A user holding one of `roles` in their office. */
    office: (roles: readonly Role[]) => access<StaffCaller>({ scope: 'office', roles }),
    /** A user holding one of `roles` in the office that listed the record in path `field`. */
    record: (field: string, roles: readonly Role[]) => access<RecordCaller>({ scope: 'record', roles, field }),
    /** Any user of the office the case in path `field` sits at. */
    caseOffice: (field: string) => access<CaseCaller>({ scope: 'case', roles: ALL, field }),
    /** A user of the case's office whom the workflow table lets fire `event` on it, with no part in another step. */
    caseEvent: (field: string, event: Event) => access<CaseCaller>({ scope: 'case', roles: partiesFor(event).filter((p): p is Role => p !== 'APPLICANT'), event, field }),
  };
}

export type ApplicantAccess = ReturnType<typeof applicantAccess>;
export type BackOfficeAccess = ReturnType<typeof backOfficeAccess>;
