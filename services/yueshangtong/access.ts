// Who may call a 粤商通 route (B2, B4, B8, B9), as declarations the kernel enforces: a person's
// session, or acting for an enterprise account with a required trust level and role. The caller
// is resolved in one round trip — session, person, account, enterprise and the person's
// membership — and checked against the run's clock. The resolved facts are kept in memory per
// run until a change to sessions, accounts, memberships or enterprises is announced
// (migrations/0002_access_notify.sql): at once in the process that made it (its writes answer
// after Live.fence), within the notification's delivery in the others. Dates are checked on every
// call. Other domains (risk warnings) use these declarations; they never read 粤商通's tables.
import type { Access, AccessRequest } from '../../kernel/access.js';
import { shanghaiDay } from '../../kernel/clock.js';
import type { Db } from '../../kernel/db.js';
import type { ErrorCodes } from '../../kernel/http.js';
import { CHANNELS, type Live, type RunCache } from '../../kernel/live.js';
import { conflict, forbidden, unauthorised } from '../../kernel/errors.js';
import { tokenHash } from '../../kernel/tokens.js';
import { isUuid } from '../../kernel/fields.js';
import type { EnterpriseAccount, Member, MemberStatus, PersonalAccount, Role } from './store.js';

export interface PersonCaller {
  tokenHash: string;
  person: PersonalAccount;
  actingAccountId: string | null;
}

/** A person acting for an enterprise account they are a live member of. */
export interface EnterpriseCaller extends PersonCaller {
  account: EnterpriseAccount;
  member: Pick<Member, 'id' | 'role' | 'authEnd' | 'joinedOn'>;
}

export type Trust = 'ANY' | 'CERTIFIED';
/** Beyond membership: APPLICANT = the account's applicant; MANAGER = its legal representative or applicant; LEGAL_REP = its legal representative. */
export type RoleRule = 'ANY' | 'APPLICANT' | 'MANAGER' | 'LEGAL_REP';

export interface EnterprisePolicy {
  scope: 'enterprise';
  /** Which account: the one the session acts for ([选择办事]), or one named in the path or the body. */
  via: 'acting' | 'path' | 'body';
  /** The path parameter or body field naming the account, for via path/body. */
  field?: string;
  trust: Trust;
  role: RoleRule;
}

const ROLE_REFUSAL = {
  APPLICANT: () => forbidden('NOT_APPLICANT', '只有账号申请人可以处理关联申请'),
  MANAGER: () => forbidden('NOT_ALLOWED_TO_REVOKE', '只有法定代表人或账号申请人可以撤销经办人'),
  LEGAL_REP: () => forbidden('LEGAL_REP_REQUIRED', 'APP端云核查视频调度需使用企业法人账号登录'),
};

const ROLE_NEEDS: Record<RoleRule, string> = { ANY: 'any live member', APPLICANT: 'its applicant only', MANAGER: 'its legal representative or applicant only', LEGAL_REP: 'its legal representative only' };

/** One resolved row: the session and its person, the account (columns of EnterpriseAccount) and the membership. */
type Row = Omit<EnterpriseAccount, 'id'> & {
  tokenHash: string;
  actingAccountId: string | null;
  personId: string;
  idNumber: string;
  name: string;
  mobile: string | null;
  accountId: string | null;
  memberId: string | null;
  role: Role;
  memberStatus: MemberStatus;
  authEnd: string;
  joinedOn: string | null;
};

const PERSON_SQL = `SELECT s.token_hash AS "tokenHash", s.acting_account_id AS "actingAccountId", p.id AS "personId", p.id_number AS "idNumber", p.name, p.mobile
  FROM yst_sessions s JOIN yst_personal_accounts p ON p.run = s.run AND p.id = s.account_id
 WHERE s.run = $1 AND s.token_hash = $2`;

// The account is the one named ($3), else the one the session acts for. The person's membership
// of it: a live one if any, else the newest (a revoked agent may have been invited again).
const ENTERPRISE_SQL = `SELECT s.token_hash AS "tokenHash", s.acting_account_id AS "actingAccountId", p.id AS "personId", p.id_number AS "idNumber", p.name, p.mobile,
       a.id AS "accountId", a.account_name AS "accountName", a.uscc, e.name AS "enterpriseName", e.status AS "enterpriseStatus", e.industry,
       e.legal_rep_id_number AS "legalRepIdNumber", e.legal_rep_name AS "legalRepName", a.trust, a.applicant_id AS "applicantId",
       ap.name AS "applicantName", ap.mobile AS "applicantMobile", a.created_at AS "createdAt",
       m.id AS "memberId", m.role, m.status AS "memberStatus", m.auth_end AS "authEnd", m.joined_on AS "joinedOn"
  FROM yst_sessions s
  JOIN yst_personal_accounts p ON p.run = s.run AND p.id = s.account_id
  LEFT JOIN yst_enterprise_accounts a ON a.run = s.run AND a.id = COALESCE($3::uuid, s.acting_account_id)
  LEFT JOIN registry_enterprises e ON e.run = a.run AND e.uscc = a.uscc
  LEFT JOIN yst_personal_accounts ap ON ap.run = a.run AND ap.id = a.applicant_id
  LEFT JOIN LATERAL (
    SELECT id, role, status, auth_end, joined_on FROM yst_members
     WHERE run = a.run AND account_id = a.id AND person_id = p.id
     ORDER BY status = 'ACTIVE' DESC, created_at DESC LIMIT 1) m ON true
 WHERE s.run = $1 AND s.token_hash = $2`;

const sessionOf = (request: AccessRequest) => {
  if (!request.credential) throw unauthorised();
  return tokenHash(request.credential);
};

const personOf = (row: Pick<Row, 'tokenHash' | 'actingAccountId' | 'personId' | 'idNumber' | 'name' | 'mobile'>): PersonCaller => ({
  tokenHash: row.tokenHash,
  actingAccountId: row.actingAccountId,
  person: { id: row.personId, idNumber: row.idNumber, name: row.name, mobile: row.mobile },
});

const accountOf = (row: Row, id: string): EnterpriseAccount => {
  const { accountName, uscc, enterpriseName, enterpriseStatus, industry, legalRepIdNumber, legalRepName, trust, applicantId, applicantName, applicantMobile, createdAt } = row;
  return { id, accountName, uscc, enterpriseName, enterpriseStatus, industry, legalRepIdNumber, legalRepName, trust, applicantId, applicantName, applicantMobile, createdAt };
};

/** The checks of B2/B4/B8/B9 on a resolved row, in the order the app reports them. */
export function decide(row: Row | undefined, policy: EnterprisePolicy, today: string): EnterpriseCaller {
  if (!row) throw unauthorised();
  if (policy.via === 'acting' && !row.actingAccountId) throw conflict('NO_ACTING_ENTERPRISE', '请选择办事企业');
  if (!row.accountId || !row.memberId) throw forbidden('NOT_A_MEMBER', '您无权访问该企业账号');
  if (row.memberStatus !== 'ACTIVE') throw forbidden('AUTHORISATION_REVOKED', '您的经办人授权已被撤销');
  if (row.authEnd < today) throw forbidden('AUTHORISATION_EXPIRED', '您对该企业账号的授权已过期');
  if (policy.trust === 'CERTIFIED' && row.trust !== 'CERTIFIED') throw forbidden('ACCOUNT_NOT_CERTIFIED', '该企业账号未认证，请先完成企业账户认证');
  if (policy.role === 'APPLICANT' && row.applicantId !== row.personId) throw ROLE_REFUSAL.APPLICANT();
  if (policy.role === 'MANAGER' && row.applicantId !== row.personId && row.legalRepIdNumber !== row.idNumber) throw ROLE_REFUSAL.MANAGER();
  if (policy.role === 'LEGAL_REP' && row.legalRepIdNumber !== row.idNumber) throw ROLE_REFUSAL.LEGAL_REP();
  return {
    ...personOf(row),
    account: accountOf(row, row.accountId),
    member: { id: row.memberId, role: row.role, authEnd: row.authEnd, joinedOn: row.joinedOn },
  };
}

/** What decide() may answer under a policy. */
function refusalsOf(policy: EnterprisePolicy): ErrorCodes {
  return {
    401: ['NOT_LOGGED_IN'],
    403: [
      'NOT_A_MEMBER',
      'AUTHORISATION_REVOKED',
      'AUTHORISATION_EXPIRED',
      ...(policy.trust === 'CERTIFIED' ? ['ACCOUNT_NOT_CERTIFIED'] : []),
      ...(policy.role === 'ANY' ? [] : [ROLE_REFUSAL[policy.role]().code]),
    ],
    ...(policy.via === 'acting' ? { 409: ['NO_ACTING_ENTERPRISE'] } : {}),
  };
}

/** One cache of resolved callers per process (per Live), shared by every module that declares 粤商通 access. */
const callers = new WeakMap<Live, RunCache<Row>>();

export function ystAccess(db: Db, live: Live) {
  if (!callers.has(live)) callers.set(live, live.runCache<Row>([CHANNELS.access]));
  const cache = callers.get(live)!;
  /** Logged in to 粤商通 (a personal account's session). */
  const person: Access<PersonCaller> = {
    kind: 'yst.person',
    description: '粤商通 personal session (Authorization: Bearer).',
    secured: true,
    policy: { scope: 'person' },
    errors: { 401: ['NOT_LOGGED_IN'] },
    async resolve(request) {
      const hash = sessionOf(request);
      const row = await cache.get(request.ctx.run, `${hash}|person`, async () => {
        const { rows } = await db.query<Row>({ name: 'yst.access.person', text: PERSON_SQL, values: [request.ctx.run, hash] });
        return rows[0];
      });
      if (!row) throw unauthorised();
      return personOf(row);
    },
  };

  const enterprise = (policy: Omit<EnterprisePolicy, 'scope'>): Access<EnterpriseCaller> => {
    const full: EnterprisePolicy = { scope: 'enterprise', ...policy };
    const which = policy.via === 'acting' ? 'the enterprise account the session acts for' : `the enterprise account named by ${policy.via} ${policy.field}`;
    const needs = [policy.trust === 'CERTIFIED' ? '已认证 account' : 'any trust', ROLE_NEEDS[policy.role]];
    return {
      kind: 'yst.enterprise',
      description: `粤商通 session of a live member (owner, agent within its dates, linked member) of ${which}; ${needs.join(', ')}.`,
      secured: true,
      policy: full,
      errors: refusalsOf(full),
      async resolve(request) {
        const hash = sessionOf(request);
        let named: string | null = null;
        if (policy.via !== 'acting') {
          const source = (policy.via === 'path' ? request.params : (request.rawBody ?? {})) as Record<string, unknown>;
          const value = source[policy.field!];
          // A malformed id names no account this person may use: the same answer as any other.
          named = typeof value === 'string' && isUuid(value) ? value : '00000000-0000-0000-0000-000000000000';
        }
        const row = await cache.get(request.ctx.run, `${hash}|${named ?? ''}`, async () => {
          const { rows } = await db.query<Row>({ name: 'yst.access.enterprise', text: ENTERPRISE_SQL, values: [request.ctx.run, hash, named] });
          return rows[0];
        });
        return decide(row, full, shanghaiDay(request.ctx.now));
      },
    };
  };

  /** Anyone, and the person when a personal session comes with the request (a page that shows more to a person logged in: 首页). */
  const visitor: Access<PersonCaller | undefined> = {
    kind: 'yst.visitor',
    description: 'Anyone; the 粤商通 personal session, when one is sent.',
    secured: false,
    policy: { scope: 'visitor' },
    async resolve(request) {
      if (!request.credential) return undefined;
      return person.resolve(request).catch((error: unknown) => {
        if ((error as { status?: number }).status === 401) return undefined;
        throw error;
      });
    },
  };

  return {
    person,
    visitor,
    /** Acting for the session's chosen account ([选择办事]); risk warnings need it 已认证. */
    actingFor: (trust: Trust = 'CERTIFIED', role: RoleRule = 'ANY') => enterprise({ via: 'acting', trust, role }),
    /** A live member of the account in path parameter `param`. */
    memberOf: (param: string, trust: Trust = 'ANY', role: RoleRule = 'ANY') => enterprise({ via: 'path', field: param, trust, role }),
    /** A live member of the account named in body field `field`. */
    memberOfBodyAccount: (field: string) => enterprise({ via: 'body', field, trust: 'ANY', role: 'ANY' }),
  };
}

export type YstAccess = ReturnType<typeof ystAccess>;
