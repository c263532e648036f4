// 粤商通 enterprise-account tasks (B1–B4, B7–B9).
import type { Actor, Question, Task } from '../world.js';
import { passFaceCheck } from './login.js';

export interface AccountView {
  accountId: string;
  accountName: string;
  enterprise: { uscc: string; name: string };
  trust: { code: string; label: string };
  applicant: string;
  joinedOn?: string | null;
  authEnd?: string;
  authEndLabel?: string;
}

export const myEnterpriseAccounts: Question<AccountView[]> = (actor) => actor.world.services.get('/yst/v1/me/enterprise-accounts', actor.token);

export const accountsOfEnterprise =
  (enterpriseName: string): Question<AccountView[]> =>
  (actor) =>
    actor.world.services.get(`/yst/v1/enterprises/${actor.world.enterprise(enterpriseName).uscc}/accounts`, actor.token);

/** The account of an enterprise created by `applicant` (by default the legal representative's). */
export async function accountOf(actor: Actor, enterpriseName: string, applicant?: Actor): Promise<AccountView> {
  const enterprise = actor.world.enterprise(enterpriseName);
  const owner = applicant ?? [...actor.world.cast.values()].find((a) => a.person.idNumber === enterprise.legalRepIdNumber)!;
  const ownerView = owner.name.slice(0, 1) + '*'.repeat(owner.name.length - 1);
  const accounts: AccountView[] = await actor.world.services.get(`/yst/v1/enterprises/${enterprise.uscc}/accounts`, actor.token);
  const found = accounts.find((a) => a.applicant === ownerView);
  if (!found) throw new Error(`no account of ${enterpriseName} applied for by ${owner.name}`);
  return found;
}

/** [请选择办事企业]→[选择办事] */
export const actFor =
  (enterpriseName: string, applicant?: Actor): Task =>
  async (actor) => {
    const account = await accountOf(actor, enterpriseName, applicant);
    await actor.world.services.put('/yst/v1/me/acting-account', { accountId: account.accountId }, actor.token);
  };

export const actingAccount: Question<AccountView> = (actor) => actor.world.services.get('/yst/v1/me/acting-account', actor.token);

export const accountInfo =
  (enterpriseName: string, applicant?: Actor): Question<AccountView> =>
  async (actor) =>
    actor.world.services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}`, actor.token);

/** [添加企业]→ enterprise info →[立即添加] */
export const addEnterprise =
  (enterpriseName: string, uscc?: string): Task =>
  async (actor) => {
    const known = actor.world.enterprises.get(enterpriseName);
    await actor.world.services.post('/yst/v1/enterprise-accounts', { enterpriseName, uscc: uscc ?? known?.uscc }, actor.token);
  };

/** [去认证>]: the certification link goes to the legal representative. */
export const askForCertification =
  (enterpriseName: string): Task =>
  async (actor) => {
    const account = await accountOf(actor, enterpriseName, actor);
    const request = await actor.world.services.post(`/yst/v1/enterprise-accounts/${account.accountId}/certification-requests`, {}, actor.token);
    actor.world.notes.set(`certification link ${enterpriseName}`, request.token);
  };

/** The legal representative opens the certification link and verifies their face (or `face` does). */
export const certifyFromLink =
  (enterpriseName: string, face?: Actor): Task =>
  async (actor) => {
    const token = actor.world.notes.get(`certification link ${enterpriseName}`) as string;
    const started = await actor.world.services.post(`/yst/v1/certifications/${token}/face-check`);
    const faceCheckId = await passFaceCheck(actor, started, face ?? actor);
    await actor.world.services.post(`/yst/v1/certifications/${token}/confirm`, { faceCheckId });
  };
