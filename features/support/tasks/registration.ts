// 登记注册身份验证 app tasks (C1–C11), in API form. The app's session token is kept in the
// actor's memory under 'sdreg token', apart from any 粤商通 session.
import { CallAnApi } from '../abilities.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';

export const DEFAULT_PASSWORD = 'Abc12345';

export function registrationForm(actor: Actor, password = DEFAULT_PASSWORD) {
  const p = actor.person;
  return { name: p.name, idNumber: p.idNumber, idValidFrom: p.idValidFrom, idValidTo: p.idValidTo, mobile: p.mobile, password, confirmPassword: password, agreementAccepted: true };
}

const services = (actor: Actor) => CallAnApi.as(actor).services;
const token = (actor: Actor) => (actor.remembers('sdreg token') ? actor.recall('sdreg token') : undefined);

export const register = (changes: Partial<ReturnType<typeof registrationForm>> = {}, password?: string): Task =>
  task(`register in the registration app${Object.keys(changes).length ? ` with ${JSON.stringify(changes)}` : ''}`, {
    api: async (actor) => void (await services(actor).post('/sdreg/v1/users', { ...registrationForm(actor, password), ...changes })),
    page: undefined,
  });

/** API forms: the face control in the app — the person in front of the camera (by default the actor). */
async function faceControl(actor: Actor, started: { faceCheckId: string; providerSessionId: string }, face: Actor = actor) {
  await CallAnApi.as(actor).providers.post(`/face/v1/sessions/${started.providerSessionId}/verify`, { presentedIdNumber: face.person.idNumber });
  return started.faceCheckId;
}

/** C2/C3 账号激活 or C5 忘记密码: name + ID, face, then the new password twice. */
export const setPasswordByFace = (flow: 'activations' | 'password-resets', password: string, name?: string): Task =>
  task(`${flow === 'activations' ? 'activate the account' : 'reset the password'} by face with the password ${password}${name ? ` under the name ${name}` : ''}`, {
    api: async (actor) => {
      const started = await services(actor).post(`/sdreg/v1/${flow}`, { name: name ?? actor.person.name, idNumber: actor.person.idNumber });
      const faceCheckId = await faceControl(actor, started);
      await services(actor).post(`/sdreg/v1/${flow}/${faceCheckId}/password`, { password, confirmPassword: password });
    },
    page: undefined,
  });

/** C4 with ID + password: the actor's own ID number, or another one typed in (`idNumber`). */
export const logInWithPassword = (password: string, idNumber?: string): Task =>
  task(`log in to the registration app with the password ${password}${idNumber ? ` and the ID number ${idNumber}` : ''}`, {
    api: async (actor) => {
      const { token } = await services(actor).post('/sdreg/v1/sessions', { idNumber: idNumber ?? actor.person.idNumber, password });
      actor.remember('sdreg token', token);
    },
    page: undefined,
  });

export const logInByFace: Task = task('log in to the registration app by face', {
  api: async (actor) => {
    const started = await services(actor).post('/sdreg/v1/face-login', { idNumber: actor.person.idNumber });
    actor.remember('sdreg face check', started.faceCheckId);
    await faceControl(actor, started);
    actor.remember('sdreg token', (await services(actor).post(`/sdreg/v1/face-login/${started.faceCheckId}/complete`)).token);
  },
  page: undefined,
});

/** FAQ 5's remedy on the last face check, then back to the login it was for. */
export const verifyWithCtid: Task = task('verify with CTID', {
  api: async (actor) => void (await services(actor).post(`/sdreg/v1/face-checks/${actor.recall('sdreg face check')}/ctid`)),
  page: undefined,
});
export const completeFaceLogin: Task = task('complete the face login', {
  api: async (actor) => actor.remember('sdreg token', (await services(actor).post(`/sdreg/v1/face-login/${actor.recall('sdreg face check')}/complete`)).token),
  page: undefined,
});

/** C6/C7: a face check of the logged-in user (`face` in front of the camera), then the change. */
const afterSelfCheck = (description: string, purpose: 'CHANGE_PHONE' | 'LEVEL_UP', change: (faceCheckId: string) => { path: string; body: object }, face?: Actor): Task =>
  task(description, {
    api: async (actor) => {
      const started = await services(actor).post('/sdreg/v1/me/face-checks', { purpose }, token(actor));
      const faceCheckId = await faceControl(actor, started, face);
      const { path, body } = change(faceCheckId);
      await services(actor).put(path, body, token(actor));
    },
    page: undefined,
  });

export const changeMobile = (mobile: string, face?: Actor) =>
  afterSelfCheck(`change the mobile to ${mobile} after a face check${face ? ` of ${face.name}` : ''}`, 'CHANGE_PHONE', (faceCheckId) => ({ path: '/sdreg/v1/me/mobile', body: { faceCheckId, mobile } }), face);
export const raiseLevel = afterSelfCheck('raise the real-name level by face', 'LEVEL_UP', (faceCheckId) => ({ path: '/sdreg/v1/me/level', body: { faceCheckId } }));

/** The actor stands in front of `owner`'s phone while the owner changes the mobile. */
export const changeMobileOf = (owner: Actor, mobile: string): Task =>
  task(
    `change ${owner.name}'s mobile to ${mobile} with their own face`,
    inAnyInterface((impostor) => owner.attemptsTo(changeMobile(mobile, impostor))),
  );

export const takePartInRegistration = (deadline: string): Task =>
  task(`take part in enterprise registration until ${deadline}`, {
    api: async (actor) => void (await services(actor).put('/sdreg/v1/me/registration-authorisation', { participate: true, deadline }, token(actor))),
    page: undefined,
  });

export const changePassword = (oldPassword: string, newPassword: string): Task =>
  task(`change the password from ${oldPassword} to ${newPassword}`, {
    api: async (actor) => void (await services(actor).put('/sdreg/v1/me/password', { oldPassword, newPassword, confirmPassword: newPassword }, token(actor))),
    page: undefined,
  });

export const logOut: Task = task('log out of the registration app', {
  api: async (actor) => void (await services(actor).post('/sdreg/v1/logout', {}, token(actor))),
  page: undefined,
});

export interface RegistrationUser {
  name: string;
  mobile: string | null;
  level: { code: number; label: string };
  registrationAuthorisation: { label: string; valid: boolean };
}

export const myRegistrationAccount: Question<RegistrationUser> = question('my registration account', {
  api: (actor) => services(actor).get('/sdreg/v1/me', token(actor)),
  page: undefined,
});
export const hasRegistrationSession: Question<boolean> = question('whether I am logged in to the registration app', {
  api: async (actor) => token(actor) !== undefined,
  page: undefined,
});

export interface FilingPerson {
  actor: Actor;
  roles: string[];
  origin: string;
}
export interface FilingView {
  ready: boolean;
  persons: { name: string; status: string; missing: { label: string }[] }[];
}

/** C10: whether the persons of a filing are ready; the answer is kept as the World's `filing`. */
export const checkFiling = (entityKind: string, persons: FilingPerson[]): Task =>
  task(`check a ${entityKind} filing of ${persons.map((p) => p.actor.name).join(', ')}`, {
    api: async (actor) => {
      actor.world.filing = await services(actor).post('/sdreg/v1/filings/readiness', {
        entityKind,
        persons: persons.map((p) => ({
          name: p.actor.name,
          idNumber: p.origin === 'MAINLAND' ? p.actor.person.idNumber : `H${p.actor.person.idNumber.slice(-8)}`,
          roles: p.roles,
          origin: p.origin,
        })),
      });
    },
    page: undefined,
  });
