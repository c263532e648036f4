// 粤商通 enterprise-account tasks (B1–B4, B7–B9).
import { CallAnApi } from '../abilities.js';
import { question, task, type Actor, type Question, type Task } from '../screenplay.js';
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

export const myEnterpriseAccounts: Question<AccountView[]> = question('my enterprise accounts', {
  api: (actor) => CallAnApi.as(actor).services.get('/yst/v1/me/enterprise-accounts', actor.token),
  page: undefined,
});

export const accountsOfEnterprise = (enterpriseName: string): Question<AccountView[]> =>
  question(`the accounts of ${enterpriseName}`, {
    api: (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprises/${actor.world.enterprise(enterpriseName).uscc}/accounts`, actor.token),
    page: undefined,
  });

/** API forms: the account of an enterprise created by `applicant` (by default the legal representative's). */
export async function accountOf(actor: Actor, enterpriseName: string, applicant?: Actor): Promise<AccountView> {
  const enterprise = actor.world.enterprise(enterpriseName);
  const owner = applicant ?? actor.world.legalRepresentativeOf(enterpriseName);
  const ownerView = owner.name.slice(0, 1) + '*'.repeat(owner.name.length - 1);
  const accounts: AccountView[] = await CallAnApi.as(actor).services.get(`/yst/v1/enterprises/${enterprise.uscc}/accounts`, actor.token);
  const found = accounts.find((a) => a.applicant === ownerView);
  if (!found) throw new Error(`no account of ${enterpriseName} applied for by ${owner.name}`);
  return found;
}

/** [请选择办事企业]→[选择办事] */
export const actFor = (enterpriseName: string, applicant?: Actor): Task =>
  task(`act for ${enterpriseName}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, applicant);
      await CallAnApi.as(actor).services.put('/yst/v1/me/acting-account', { accountId: account.accountId }, actor.token);
    },
    page: undefined,
  });

export const actingAccount: Question<AccountView> = question('the enterprise account acted for', {
  api: (actor) => CallAnApi.as(actor).services.get('/yst/v1/me/acting-account', actor.token),
  page: undefined,
});

export const accountInfo = (enterpriseName: string, applicant?: Actor): Question<AccountView> =>
  question(`the account info of ${enterpriseName}`, {
    api: async (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}`, actor.token),
    page: undefined,
  });

/** [添加企业]→ enterprise info →[立即添加] */
export const addEnterprise = (enterpriseName: string, uscc?: string): Task =>
  task(`add the enterprise ${enterpriseName}${uscc ? ` with code ${uscc}` : ''}`, {
    api: async (actor) => {
      const known = actor.world.enterprises.get(enterpriseName);
      await CallAnApi.as(actor).services.post('/yst/v1/enterprise-accounts', { enterpriseName, uscc: uscc ?? known?.uscc }, actor.token);
    },
    page: undefined,
  });

/** [去认证>]: the certification link goes to the legal representative (by SMS; kept by the World). */
export const askForCertification = (enterpriseName: string): Task =>
  task(`ask for certification of ${enterpriseName}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, actor);
      const request = await CallAnApi.as(actor).services.post(`/yst/v1/enterprise-accounts/${account.accountId}/certification-requests`, {}, actor.token);
      actor.world.certificationLinks.set(enterpriseName, request.token);
    },
    page: undefined,
  });

/** The legal representative opens the certification link and verifies their face (or `face` does). */
export const certifyFromLink = (enterpriseName: string, face?: Actor): Task =>
  task(`certify ${enterpriseName} from the link`, {
    api: async (actor) => {
      const token = actor.world.certificationLinks.get(enterpriseName);
      if (!token) throw new Error(`no certification link of ${enterpriseName} was sent in this scenario`);
      const { services } = CallAnApi.as(actor);
      const started = await services.post(`/yst/v1/certifications/${token}/face-check`);
      const faceCheckId = await passFaceCheck(actor, started, face ?? actor);
      await services.post(`/yst/v1/certifications/${token}/confirm`, { faceCheckId });
    },
    page: undefined,
  });
