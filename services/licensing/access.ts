// Who may call the licence's routes. The enterprise side acts for its enterprise through
// 粤商通's enterprise accounts (services/yueshangtong/access.ts): a live member of a 已认证
// account on the web, its legal representative in the app (F4). The authority side is its
// officers, by declared role: REVIEWER (审核, approves) and INSPECTOR (核查人员: appointments,
// inspections). An officer sees only applications addressed to their authority.
import type { Access } from '../../kernel/access.js';
import type { Db } from '../../kernel/db.js';
import { forbidden, unauthorised } from '../../kernel/errors.js';
import { tokenHash } from '../../kernel/tokens.js';
import type { YstAccess } from '../yueshangtong/access.js';
import { officerOfSession, type Channel, type Officer, type OfficerRole } from './store.js';

export const ROLE_LABEL: Record<OfficerRole, string> = { REVIEWER: '审核人员', INSPECTOR: '核查人员' };

const roleRequired = (role: OfficerRole) => forbidden('ROLE_REQUIRED', `该操作需要${ROLE_LABEL[role]}权限`);

export function licensingAccess(db: Db, yst: YstAccess) {
  /** An officer with the role (ANY: any officer), for the applications addressed to their authority. */
  const officer = (role: OfficerRole | 'ANY'): Access<Officer> => ({
    kind: 'licensing.officer',
    description: `An officer of a reviewing authority (Authorization: Bearer, from POST /changzhou/v1/authority/sessions)${role === 'ANY' ? '' : ` with the role ${role} (${ROLE_LABEL[role]})`}.`,
    secured: true,
    policy: { scope: 'authority', role },
    errors: { 401: ['NOT_LOGGED_IN'], ...(role === 'ANY' ? {} : { 403: [roleRequired(role).code] }) },
    async resolve(request) {
      if (!request.credential) throw unauthorised();
      const found = await officerOfSession(db, request.ctx.run, tokenHash(request.credential));
      if (!found) throw unauthorised();
      if (role !== 'ANY' && !found.roles.includes(role)) throw roleRequired(role);
      return found;
    },
  });
  return {
    /** The enterprise through a channel: 常州通办 on the web (any live member), 应用 → 云核查 in the app (the legal representative only). */
    enterprise: (channel: Channel) => (channel === 'WEB' ? yst.actingFor('CERTIFIED') : yst.actingFor('CERTIFIED', 'LEGAL_REP')),
    officer,
  };
}

export type LicensingAccess = ReturnType<typeof licensingAccess>;
