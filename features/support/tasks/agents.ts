// 粤商通 agent tasks (B5–B8): 经办人管理, invitations, linking, revocation.
import { CallAnApi } from '../abilities.js';
import { question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { accountOf } from './enterprise.js';
import { passFaceCheck } from './login.js';

export interface MemberView {
  memberId: string;
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
    page: undefined,
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
    page: undefined,
  });

export const agentsOf = (enterpriseName: string, applicant?: Actor): Question<MemberView[]> =>
  question(`the agents of ${enterpriseName}`, {
    api: async (actor) => CallAnApi.as(actor).services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}/agents`, actor.token),
    page: undefined,
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
    page: undefined,
  });

export const askToLink = (enterpriseName: string, applicant?: Actor): Task =>
  task(`ask to link to ${enterpriseName}'s account${applicant ? ` of ${applicant.name}` : ''}`, {
    api: async (actor) => {
      const account = await accountOf(actor, enterpriseName, applicant);
      await CallAnApi.as(actor).services.post(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests`, {}, actor.token);
    },
    page: undefined,
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
    page: undefined,
  });
