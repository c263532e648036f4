// 登记注册身份验证 app tasks (C1–C11), in API form. The app's session token is kept in the
// actor's memory under 'sdreg token', apart from any 粤商通 session.
import type { Actor, Question, Task } from '../world.js';

const TOKEN = 'sdreg token';
export const DEFAULT_PASSWORD = 'Abc12345';

export function registrationForm(actor: Actor, password = DEFAULT_PASSWORD) {
  const p = actor.person;
  return { name: p.name, idNumber: p.idNumber, idValidFrom: p.idValidFrom, idValidTo: p.idValidTo, mobile: p.mobile, password, confirmPassword: password, agreementAccepted: true };
}

export const register =
  (changes: Partial<ReturnType<typeof registrationForm>> = {}, password?: string): Task =>
  async (actor) => {
    await actor.world.services.post('/sdreg/v1/users', { ...registrationForm(actor, password), ...changes });
  };

/** The face control in the app: the person in front of the camera (by default the actor). */
async function faceControl(actor: Actor, started: { faceCheckId: string; providerSessionId: string }, face: Actor = actor) {
  await actor.world.providers.post(`/face/v1/sessions/${started.providerSessionId}/verify`, { presentedIdNumber: face.person.idNumber });
  return started.faceCheckId;
}

/** C2/C3 账号激活 or C5 忘记密码: name + ID, face, then the new password twice. */
export const setPasswordByFace =
  (flow: 'activations' | 'password-resets', password: string, name?: string): Task =>
  async (actor) => {
    const { services } = actor.world;
    const started = await services.post(`/sdreg/v1/${flow}`, { name: name ?? actor.person.name, idNumber: actor.person.idNumber });
    const faceCheckId = await faceControl(actor, started);
    await services.post(`/sdreg/v1/${flow}/${faceCheckId}/password`, { password, confirmPassword: password });
  };

export const logInWithPassword =
  (password: string): Task =>
  async (actor) => {
    const { token } = await actor.world.services.post('/sdreg/v1/sessions', { idNumber: actor.person.idNumber, password });
    actor.remember(TOKEN, token);
  };

export const logInByFace: Task = async (actor) => {
  const { services } = actor.world;
  const started = await services.post('/sdreg/v1/face-login', { idNumber: actor.person.idNumber });
  actor.remember('sdreg face check', started.faceCheckId);
  await faceControl(actor, started);
  actor.remember(TOKEN, (await services.post(`/sdreg/v1/face-login/${started.faceCheckId}/complete`)).token);
};

/** FAQ 5's remedy on the last face check, then back to the login it was for. */
export const verifyWithCtid: Task = async (actor) => {
  await actor.world.services.post(`/sdreg/v1/face-checks/${actor.recall<string>('sdreg face check')}/ctid`);
};
export const completeFaceLogin: Task = async (actor) => {
  actor.remember(TOKEN, (await actor.world.services.post(`/sdreg/v1/face-login/${actor.recall<string>('sdreg face check')}/complete`)).token);
};

const token = (actor: Actor) => (actor.memory.has(TOKEN) ? actor.recall<string>(TOKEN) : undefined);

/** C6/C7: a face check of the logged-in user (`face` in front of the camera), then the change. */
const afterSelfCheck =
  (purpose: 'CHANGE_PHONE' | 'LEVEL_UP', change: (faceCheckId: string) => { path: string; body: object }, face?: Actor): Task =>
  async (actor) => {
    const { services } = actor.world;
    const started = await services.post('/sdreg/v1/me/face-checks', { purpose }, token(actor));
    const faceCheckId = await faceControl(actor, started, face);
    const { path, body } = change(faceCheckId);
    await services.put(path, body, token(actor));
  };

export const changeMobile = (mobile: string, face?: Actor) => afterSelfCheck('CHANGE_PHONE', (faceCheckId) => ({ path: '/sdreg/v1/me/mobile', body: { faceCheckId, mobile } }), face);
export const raiseLevel = afterSelfCheck('LEVEL_UP', (faceCheckId) => ({ path: '/sdreg/v1/me/level', body: { faceCheckId } }));

export const takePartInRegistration =
  (deadline: string): Task =>
  async (actor) => {
    await actor.world.services.put('/sdreg/v1/me/registration-authorisation', { participate: true, deadline }, token(actor));
  };

export const changePassword =
  (oldPassword: string, newPassword: string): Task =>
  async (actor) => {
    await actor.world.services.put('/sdreg/v1/me/password', { oldPassword, newPassword, confirmPassword: newPassword }, token(actor));
  };

export const logOut: Task = async (actor) => {
  await actor.world.services.post('/sdreg/v1/logout', {}, token(actor));
};

export interface RegistrationUser {
  name: string;
  mobile: string | null;
  level: { code: number; label: string };
  registrationAuthorisation: { label: string; valid: boolean };
}

export const myRegistrationAccount: Question<RegistrationUser> = (actor) => actor.world.services.get('/sdreg/v1/me', token(actor));
export const hasRegistrationSession = (actor: Actor) => token(actor) !== undefined;

export interface FilingPerson {
  actor: Actor;
  roles: string[];
  origin: string;
}

export async function checkFiling(actor: Actor, entityKind: string, persons: FilingPerson[]) {
  return actor.world.services.post('/sdreg/v1/filings/readiness', {
    entityKind,
    persons: persons.map((p) => ({
      name: p.actor.name,
      idNumber: p.origin === 'MAINLAND' ? p.actor.person.idNumber : `H${p.actor.person.idNumber.slice(-8)}`,
      roles: p.roles,
      origin: p.origin,
    })),
  });
}
