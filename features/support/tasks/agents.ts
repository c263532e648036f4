// 粤商通 agent tasks (B5–B8): 经办人管理, invitations, linking, revocation.
import type { Actor, Question, Task } from '../world.js';
import { accountOf, type AccountView } from './enterprise.js';
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
export const addAgent =
  (agent: Actor, enterpriseName: string, authEnd: string, applicant?: Actor, details: Partial<{ name: string; idNumber: string; mobile: string }> = {}): Task =>
  async (actor) => {
    const account = await accountOf(actor, enterpriseName, applicant);
    const invitation = await actor.world.services.post(
      `/yst/v1/enterprise-accounts/${account.accountId}/agents`,
      { name: agent.person.name, idNumber: agent.person.idNumber, mobile: agent.person.mobile, authEnd, ...details },
      actor.token,
    );
    agent.remember(`invitation ${enterpriseName}`, invitation.invitationToken);
  };

/** The invitee opens the shared link and verifies their face (or `face` stands in front of the camera). */
export const acceptInvitation =
  (enterpriseName: string, invitee?: Actor): Task =>
  async (actor) => {
    const holder = invitee ?? actor;
    const token = holder.recall<string>(`invitation ${enterpriseName}`);
    const started = await actor.world.services.post(`/yst/v1/invitations/${token}/face-check`);
    const faceCheckId = await passFaceCheck(actor, started, actor);
    await actor.world.services.post(`/yst/v1/invitations/${token}/accept`, { faceCheckId });
  };

export const agentsOf =
  (enterpriseName: string, applicant?: Actor): Question<MemberView[]> =>
  async (actor) =>
    actor.world.services.get(`/yst/v1/enterprise-accounts/${(await accountOf(actor, enterpriseName, applicant)).accountId}/agents`, actor.token);

export const revokeAgent =
  (agent: Actor, enterpriseName: string): Task =>
  async (actor) => {
    const account = await accountOf(actor, enterpriseName);
    const members: MemberView[] = await actor.world.services.get(`/yst/v1/enterprise-accounts/${account.accountId}/agents`, actor.token);
    const member = members.find((m) => m.name === agent.name && m.status === 'ACTIVE');
    if (!member) throw new Error(`${agent.name} is not an active agent of ${enterpriseName}`);
    await actor.world.services.delete(`/yst/v1/enterprise-accounts/${account.accountId}/agents/${member.memberId}`, actor.token);
  };

export const askToLink =
  (enterpriseName: string, applicant?: Actor): Task =>
  async (actor) => {
    const account: AccountView = await accountOf(actor, enterpriseName, applicant);
    await actor.world.services.post(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests`, {}, actor.token);
  };

export const decideLink =
  (requester: Actor, enterpriseName: string, decision: { approve: boolean; authEnd?: string }): Task =>
  async (actor) => {
    const account = await accountOf(actor, enterpriseName, actor);
    const requests: { requestId: string; requester: string; status: string }[] = await actor.world.services.get(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests`, actor.token);
    const request = requests.find((r) => r.requester === requester.name && r.status === 'PENDING');
    if (!request) throw new Error(`no pending link request from ${requester.name}`);
    await actor.world.services.post(`/yst/v1/enterprise-accounts/${account.accountId}/link-requests/${request.requestId}/decision`, decision, actor.token);
  };
