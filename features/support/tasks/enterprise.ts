// 粤商通 enterprise-account tasks (B1–B4, B7–B9), in API form and in page form.
import type { Locator } from 'playwright-core';
import { FOREVER, FOREVER_LABEL } from '../../../kernel/fields.js';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import { question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { faceInMiniProgram, passFaceCheck } from './login.js';
import { smsReceived } from './registry.js';

export interface AccountView {
  /** The account's id: the API answers it, the pages do not show it. */
  accountId?: string;
  accountName: string;
  enterprise: { uscc: string; name: string };
  trust: { code: string; label: string };
  applicant: string;
  joinedOn?: string | null;
  authEnd?: string;
  authEndLabel?: string;
}

const masked = (name: string) => name.slice(0, 1) + '*'.repeat(name.length - 1);

/** What a page shows for a value it does not have. */
export const NONE_SHOWN = '—';
/** An authorisation's end as the API gives it, from what a page shows (a date, or 长期有效). */
export const authEndShown = (label: string) => (label === FOREVER_LABEL ? FOREVER : label);

/** An account as a page lists it (kernel/widgets.ts `facts`), with the caller's dates where the page shows them (账号信息). */
async function accountShown(scope: Locator): Promise<AccountView> {
  const trust = await factOf(scope, '认证状态');
  const view: AccountView = {
    accountName: await factOf(scope, '账号'),
    enterprise: { uscc: await factOf(scope, '统一社会信用代码'), name: await factOf(scope, '企业名称') },
    trust: { code: trust === '已认证' ? 'CERTIFIED' : 'UNCERTIFIED', label: trust },
    applicant: await factOf(scope, '账号申请人'),
  };
  if (await scope.getByRole('rowheader', { name: '您加入的日期', exact: true }).count()) {
    const joined = await factOf(scope, '您加入的日期');
    view.joinedOn = joined === NONE_SHOWN ? null : joined;
    view.authEndLabel = await factOf(scope, '您的授权日期');
    view.authEnd = authEndShown(view.authEndLabel);
  }
  return view;
}

/** Page forms: 我的 →[切换企业]: 请选择办事企业, the accounts listed. */
async function accountsPage(actor: Actor) {
  const page = await BrowseTheWeb.as(actor).open('services', '/yst/');
  await page.getByRole('link', { name: '我的' }).click();
  await page.getByRole('link', { name: '切换企业' }).click();
  return page.getByRole('list', { name: '企业账号' }).getByRole('listitem');
}

/** Page forms: [关联企业账号] → the enterprise's credit code → [查询]: its accounts listed. */
async function enterpriseAccountsPage(actor: Actor, enterpriseName: string) {
  const browsing = BrowseTheWeb.as(actor);
  const page = await browsing.open('services', '/yst/enterprises');
  await page.getByRole('link', { name: '关联企业账号' }).click();
  await page.getByLabel('统一社会信用代码', { exact: true }).fill(actor.world.enterprise(enterpriseName).uscc);
  await browsing.submit(page.getByRole('button', { name: '查询' }));
  return page.getByRole('list', { name: '企业账号' }).getByRole('listitem');
}

async function findListed(items: Locator, enterpriseName: string, applicant: Actor): Promise<Locator | undefined> {
  for (const item of await items.all()) {
    if ((await factOf(item, '企业名称')) === enterpriseName && (await factOf(item, '账号申请人')) === masked(applicant.name)) return item;
  }
  return undefined;
}

/**
 * Page forms: an account of an enterprise applied for by `applicant` (by default the legal
 * representative), as the actor finds it: among their own (请选择办事企业), else among the
 * enterprise's accounts (关联企业账号).
 */
export async function accountListed(actor: Actor, enterpriseName: string, applicant?: Actor): Promise<Locator> {
  const owner = applicant ?? actor.world.legalRepresentativeOf(enterpriseName);
  const found = (await findListed(await accountsPage(actor), enterpriseName, owner)) ?? (await findListed(await enterpriseAccountsPage(actor, enterpriseName), enterpriseName, owner));
  if (!found) throw new Error(`${actor.name} finds no account of ${enterpriseName} applied for by ${owner.name}`);
  return found;
}

/** Page forms: 账号信息 of the account of an enterprise (by its applicant); a refusal to show it is thrown. */
export async function accountPage(actor: Actor, enterpriseName: string, applicant?: Actor) {
  const item = await accountListed(actor, enterpriseName, applicant);
  await BrowseTheWeb.as(actor).follow(item.getByRole('link', { name: '账号信息' }));
  return item.page();
}

export const myEnterpriseAccounts: Question<AccountView[]> = question('my enterprise accounts', {
  api: (actor) => CallAnApi.as(actor).services.get('/yst/v1/me/enterprise-accounts', actor.token),
  page: async (actor) => Promise.all((await (await accountsPage(actor)).all()).map(accountShown)),
});

export const accountsOfEnterprise = (enterpriseName: string): Question<AccountView[]> =>
  question(`the accounts of ${enterpriseName}`, {
    api: (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprises/${actor.world.enterprise(enterpriseName).uscc}/accounts`, actor.token),
    page: async (actor) => Promise.all((await (await enterpriseAccountsPage(actor, enterpriseName)).all()).map(accountShown)),
  });

/** API forms: the account of an enterprise created by `applicant` (by default the legal representative's). */
export async function accountOf(actor: Actor, enterpriseName: string, applicant?: Actor): Promise<AccountView> {
  const enterprise = actor.world.enterprise(enterpriseName);
  const owner = applicant ?? actor.world.legalRepresentativeOf(enterpriseName);
  const ownerView = masked(owner.name);
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
    page: async (actor) => {
      const item = await accountListed(actor, enterpriseName, applicant);
      await BrowseTheWeb.as(actor).submit(item.getByRole('button', { name: '选择办事' }));
    },
  });

export const actingAccount: Question<AccountView> = question('the enterprise account acted for', {
  api: (actor) => CallAnApi.as(actor).services.get('/yst/v1/me/acting-account', actor.token),
  page: async (actor) => {
    const page = await BrowseTheWeb.as(actor).open('services', '/yst/me/enterprise');
    return accountShown(page.getByRole('region', { name: '当前办事企业' }));
  },
});

export const accountInfo = (enterpriseName: string, applicant?: Actor): Question<AccountView> =>
  question(`the account info of ${enterpriseName}`, {
    api: async (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}`, actor.token),
    page: async (actor) => accountShown((await accountPage(actor, enterpriseName, applicant)).getByRole('region', { name: '账号信息' })),
  });

/** [添加企业]→ enterprise info →[立即添加] */
export const addEnterprise = (enterpriseName: string, uscc?: string): Task =>
  task(`add the enterprise ${enterpriseName}${uscc ? ` with code ${uscc}` : ''}`, {
    api: async (actor) => {
      const known = actor.world.enterprises.get(enterpriseName);
      await CallAnApi.as(actor).services.post('/yst/v1/enterprise-accounts', { enterpriseName, uscc: uscc ?? known?.uscc }, actor.token);
    },
    page: async (actor) => {
      const known = actor.world.enterprises.get(enterpriseName);
      const browsing = BrowseTheWeb.as(actor);
      const page = await browsing.open('services', '/yst/me');
      await page.getByRole('link', { name: '切换企业' }).click();
      await page.getByRole('link', { name: '添加企业' }).click();
      await page.getByLabel('企业名称', { exact: true }).fill(enterpriseName);
      await page.getByLabel('统一社会信用代码', { exact: true }).fill(uscc ?? known?.uscc ?? '');
      await browsing.submit(page.getByRole('button', { name: '立即添加' }));
    },
  });

/** [去认证>]: the certification link goes to the legal representative (by SMS; kept by the World). */
export const askForCertification = (enterpriseName: string): Task =>
  task(`ask for certification of ${enterpriseName}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, actor);
      const request = await CallAnApi.as(actor).services.post(`/yst/v1/enterprise-accounts/${account.accountId}/certification-requests`, {}, actor.token);
      actor.world.certificationLinks.set(enterpriseName, request.token);
    },
    page: async (actor) => {
      const page = await accountPage(actor, enterpriseName, actor);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '去认证>' }));
    },
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
    page: async (actor) => {
      // The link, as the legal representative received it by SMS.
      const legalRep = actor.world.legalRepresentativeOf(enterpriseName);
      const sent = (await legalRep.asks(smsReceived)).map((m) => /https?:\/\/\S+\/yst\/certifications\/[\w-]+/.exec(m.text)?.[0]).filter((link) => link !== undefined);
      if (!sent.length) throw new Error(`no certification link of ${enterpriseName} was sent to ${legalRep.name}`);
      const browsing = BrowseTheWeb.as(actor);
      const page = await browsing.open('services', new URL(sent.at(-1)!).pathname);
      await browsing.submit(page.getByRole('button', { name: '人脸识别认证' }));
      await faceInMiniProgram(actor, page, legalRep, face ?? actor);
      await browsing.submit(page.getByRole('button', { name: '完成认证' }));
    },
  });
