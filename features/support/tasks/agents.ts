// 粤商通 agent tasks (B5–B8): 经办人管理, invitations, linking, revocation, in API form and in page form.
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import { question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { accountListed, accountOf, accountPage, authEndShown, NONE_SHOWN } from './enterprise.js';
import { faceInMiniProgram, passFaceCheck } from './login.js';

const MEMBER_STATUS: Record<string, string> = { 待认证: 'INVITED', 已授权: 'ACTIVE', 已撤销: 'REVOKED' };

/** Page forms: 账号信息 →[经办人管理]. */
async function agentsPage(actor: Actor, enterpriseName: string, applicant?: Actor) {
  const page = await accountPage(actor, enterpriseName, applicant);
  await BrowseTheWeb.as(actor).follow(page.getByRole('link', { name: '经办人管理' }));
  return page;
}

export interface MemberView {
  /** The member's id: the API answers it, 经办人管理 does not show it. */
  memberId?: string;
  name: string;
  idNumber: string;
  mobile: string | null;
  status: string;
  joinedOn: string | null;
  authEnd: string;
  authEndLabel: string;
}

/** [经办人管理]→[添加经办人]: name, ID, phone, 授权期限 → the link is shared with the agent. */
export const addAgent = (agent: Actor, enterpriseName: string, authEnd: string, applicant?: Actor, details: Partial<{ name: string; idNumber: string; mobile: string }> = {}): Task =>
  task(`add ${agent.name} as an agent of ${enterpriseName} until ${authEnd}${Object.keys(details).length ? ` with ${JSON.stringify(details)}` : ''}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, applicant);
      const invitation = await CallAnApi.as(actor).services.post(
        `/yst/v1/enterprise-accounts/${account.accountId}/agents`,
        { name: agent.person.name, idNumber: agent.person.idNumber, mobile: agent.person.mobile, authEnd, ...details },
        actor.token,
      );
      agent.remember(`invitation ${enterpriseName}`, invitation.invitationToken);
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await agentsPage(actor, enterpriseName, applicant);
      await page.getByRole('link', { name: '添加经办人' }).click();
      await page.getByLabel('姓名', { exact: true }).fill(details.name ?? agent.person.name);
      await page.getByLabel('身份证号码', { exact: true }).fill(details.idNumber ?? agent.person.idNumber);
      await page.getByLabel('手机号码', { exact: true }).fill(details.mobile ?? agent.person.mobile);
      await page.getByLabel('授权截止日期', { exact: true }).fill(authEnd);
      await browsing.submit(page.getByRole('button', { name: '确定' }));
      // The share link (sent by WeChat): the page the invitee opens.
      agent.remember(`invitation ${enterpriseName}`, new URL(page.url()).pathname);
    },
  });

/** The invitee opens the shared link and verifies their face (or the actor stands in front of the camera). */
export const acceptInvitation = (enterpriseName: string, invitee?: Actor): Task =>
  task(`accept ${invitee ? `${invitee.name}'s` : 'the'} invitation to ${enterpriseName}`, {
    api: async (actor) => {
      const token = (invitee ?? actor).recall(`invitation ${enterpriseName}`);
      const { services } = CallAnApi.as(actor);
      const started = await services.post(`/yst/v1/invitations/${token}/face-check`);
      const faceCheckId = await passFaceCheck(actor, started, actor);
      await services.post(`/yst/v1/invitations/${token}/accept`, { faceCheckId });
    },
    page: async (actor) => {
      const invited = invitee ?? actor;
      const browsing = BrowseTheWeb.as(actor);
      const page = await browsing.open('services', invited.recall(`invitation ${enterpriseName}`));
      await browsing.submit(page.getByRole('button', { name: '人脸识别认证' }));
      await faceInMiniProgram(actor, page, invited, actor);
      await browsing.submit(page.getByRole('button', { name: '完成认证' }));
    },
  });

export const agentsOf = (enterpriseName: string, applicant?: Actor): Question<MemberView[]> =>
  question(`the agents of ${enterpriseName}`, {
    api: async (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}/agents`, actor.token),
    page: async (actor) => {
      const agents = (await agentsPage(actor, enterpriseName, applicant)).getByRole('list', { name: '经办人' }).getByRole('listitem');
      const shown: MemberView[] = [];
      for (const agent of await agents.all()) {
        const orNull = (value: string) => (value === NONE_SHOWN ? null : value);
        const authEndLabel = await factOf(agent, '授权截止日期');
        const status = await factOf(agent, '状态');
        shown.push({
          name: await factOf(agent, '姓名'),
          idNumber: await factOf(agent, '身份证号码'),
          mobile: orNull(await factOf(agent, '手机号码')),
          status: MEMBER_STATUS[status] ?? status,
          joinedOn: orNull(await factOf(agent, '加入日期')),
          authEnd: authEndShown(authEndLabel),
          authEndLabel,
        });
      }
      return shown;
    },
  });

export const revokeAgent = (agent: Actor, enterpriseName: string): Task =>
  task(`revoke ${agent.name} as an agent of ${enterpriseName}`, {
    api: async (actor) => {
      const { services } = CallAnApi.as(actor);
      const account = await accountOf(actor, enterpriseName);
      const members: MemberView[] = await services.get(`/yst/v1/enterprise-accounts/${account.accountId}/agents`, actor.token);
      const member = members.find((m) => m.name === agent.name && m.status === 'ACTIVE');
      if (!member) throw new Error(`${agent.name} is not an active agent of ${enterpriseName}`);
      await services.delete(`/yst/v1/enterprise-accounts/${account.accountId}/agents/${member.memberId}`, actor.token);
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await agentsPage(actor, enterpriseName);
      const shown = page.getByRole('list', { name: '经办人' }).getByRole('listitem', { name: agent.name, exact: true });
      await browsing.follow(shown.getByRole('link', { name: '详情' }));
      await browsing.submit(page.getByRole('button', { name: '撤销授权' }));
    },
  });

export const askToLink = (enterpriseName: string, applicant?: Actor): Task =>
  task(`ask to link to ${enterpriseName}'s account${applicant ? ` of ${applicant.name}` : ''}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, applicant);
      await CallAnApi.as(actor).services.post(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests`, {}, actor.token);
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const item = await accountListed(actor, enterpriseName, applicant);
      await browsing.follow(item.getByRole('link', { name: '申请关联' }));
      await browsing.submit(item.page().getByRole('button', { name: '申请关联' }));
    },
  });

export const decideLink = (requester: Actor, enterpriseName: string, decision: { approve: boolean; authEnd?: string }): Task =>
  task(`${decision.approve ? 'consent to' : 'refuse'} ${requester.name} linking to ${enterpriseName}${decision.authEnd ? ` until ${decision.authEnd}` : ''}`, {
    api: async (actor) => {
      const { services } = CallAnApi.as(actor);
      const account = await accountOf(actor, enterpriseName, actor);
      const requests: { requestId: string; requester: string; status: string }[] = await services.get(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests`, actor.token);
      const request = requests.find((r) => r.requester === requester.name && r.status === 'PENDING');
      if (!request) throw new Error(`no pending link request from ${requester.name}`);
      await services.post(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests/${request.requestId}/decision`, decision, actor.token);
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await accountPage(actor, enterpriseName, actor);
      await browsing.follow(page.getByRole('link', { name: '关联申请' }));
      const request = page.getByRole('listitem', { name: `${requester.name}的关联申请` }).filter({ has: page.getByRole('link', { name: '处理' }) });
      await browsing.follow(request.getByRole('link', { name: '处理' }));
      if (decision.authEnd) await page.getByLabel('授权截止日期', { exact: true }).fill(decision.authEnd);
      await browsing.submit(page.getByRole('button', { name: decision.approve ? '同意' : '拒绝', exact: true }));
    },
  });
