// 粤商通 login tasks (A1–A3): the app's screens, in API form.
import { CallAnApi } from '../abilities.js';
import { question, task, type Actor, type Question, type Task } from '../screenplay.js';

export interface PersonalAccount {
  id: string;
  name: string;
  idNumber: string;
}

/** 粤信签: the person in front of the camera (by default the actor) verifies the face session. */
async function verifyInMiniProgram(actor: Actor, providerSessionId: string, face: Actor = actor) {
  await CallAnApi.as(actor).providers.post(`/face/v1/sessions/${providerSessionId}/verify`, { presentedIdNumber: face.person.idNumber });
}

/** API forms: runs a face check the app started — verify in 粤信签 with `face`, then return to the app. */
export async function passFaceCheck(actor: Actor, started: { faceCheckId: string; providerSessionId: string }, face: Actor = actor) {
  await verifyInMiniProgram(actor, started.providerSessionId, face);
  return started.faceCheckId;
}

/** [请登录]→[人脸识别登录]: name + ID, 粤信签, back in the app. */
export const logInWithFace = (options: { face?: Actor; withMobile?: boolean } = {}): Task =>
  task(`log in with face recognition${options.face ? ` (${options.face.name} in front of the camera)` : ''}`, {
    api: async (actor) => {
      const { services } = CallAnApi.as(actor);
      const started = await services.post('/yst/v1/face-login', {
        name: actor.person.name,
        idNumber: actor.person.idNumber,
        ...(options.withMobile === false ? {} : { mobile: actor.person.mobile }),
      });
      await passFaceCheck(actor, started, options.face ?? actor);
      actor.token = (await services.post(`/yst/v1/face-login/${started.faceCheckId}/complete`)).token;
    },
    page: undefined,
  });

/** Face login as someone else: the form says `claimed`, the camera sees the actor. */
export const logInWithFaceAs = (claimed: Actor): Task =>
  task(`log in with face recognition as ${claimed.name}`, {
    api: async (actor) => {
      const { services } = CallAnApi.as(actor);
      const started = await services.post('/yst/v1/face-login', { name: claimed.person.name, idNumber: claimed.person.idNumber });
      await passFaceCheck(actor, started, actor);
      actor.token = (await services.post(`/yst/v1/face-login/${started.faceCheckId}/complete`)).token;
    },
    page: undefined,
  });

export const startFaceLoginWith = (form: { name?: string; idNumber?: string; mobile?: string }): Task =>
  task(`start a face login with ${JSON.stringify(form)}`, {
    api: async (actor) => {
      await CallAnApi.as(actor).services.post('/yst/v1/face-login', { name: actor.person.name, idNumber: actor.person.idNumber, ...form });
    },
    page: undefined,
  });

export const askForLoginCode = (mobile?: string): Task =>
  task(`ask for a login code${mobile ? ` for ${mobile}` : ''}`, {
    api: async (actor) => {
      actor.remember('login code answer', await CallAnApi.as(actor).services.post('/yst/v1/sms-codes', { mobile: mobile ?? actor.person.mobile }));
    },
    page: undefined,
  });

export const logInWithCode = (code: string): Task =>
  task(`log in with the code ${code}`, {
    api: async (actor) => {
      actor.token = (await CallAnApi.as(actor).services.post('/yst/v1/phone-login', { mobile: actor.person.mobile, code })).token;
    },
    page: undefined,
  });

/** The personal account the actor is logged in to, or undefined when not logged in. */
export const personalAccount: Question<PersonalAccount | undefined> = question('the personal account', {
  api: async (actor) => (actor.token ? CallAnApi.as(actor).services.get('/yst/v1/me', actor.token) : undefined),
  page: undefined,
});
