// 粤商通 login tasks (A1–A3): the app's screens, in API form.
import type { Actor, Question, Task } from '../world.js';

/** 粤信签: the person in front of the camera (by default the actor) verifies the face session. */
async function verifyInMiniProgram(actor: Actor, providerSessionId: string, face: Actor = actor) {
  await actor.world.providers.post(`/face/v1/sessions/${providerSessionId}/verify`, { presentedIdNumber: face.person.idNumber });
}

/** Runs a face check the app started: verify in 粤信签 with `face`, then return to the app. */
export async function passFaceCheck(actor: Actor, started: { faceCheckId: string; providerSessionId: string }, face: Actor = actor) {
  await verifyInMiniProgram(actor, started.providerSessionId, face);
  return started.faceCheckId;
}

/** [请登录]→[人脸识别登录]: name + ID, 粤信签, back in the app. */
export const logInWithFace =
  (options: { face?: Actor; withMobile?: boolean } = {}): Task =>
  async (actor) => {
    const { services } = actor.world;
    const started = await services.post('/yst/v1/face-login', {
      name: actor.person.name,
      idNumber: actor.person.idNumber,
      ...(options.withMobile === false ? {} : { mobile: actor.person.mobile }),
    });
    await passFaceCheck(actor, started, options.face ?? actor);
    const loggedIn = await services.post(`/yst/v1/face-login/${started.faceCheckId}/complete`);
    actor.token = loggedIn.token;
    actor.remember('login', loggedIn);
  };

/** Face login as someone else: the form says `claimed`, the camera sees the actor. */
export const logInWithFaceAs =
  (claimed: Actor): Task =>
  async (actor) => {
    const { services } = actor.world;
    const started = await services.post('/yst/v1/face-login', { name: claimed.person.name, idNumber: claimed.person.idNumber });
    await passFaceCheck(actor, started, actor);
    actor.token = (await services.post(`/yst/v1/face-login/${started.faceCheckId}/complete`)).token;
  };

export const startFaceLoginWith =
  (form: { name?: string; idNumber?: string; mobile?: string }): Task =>
  async (actor) => {
    await actor.world.services.post('/yst/v1/face-login', { name: actor.person.name, idNumber: actor.person.idNumber, ...form });
  };

export const askForLoginCode =
  (mobile?: string): Task =>
  async (actor) => {
    await actor.world.services.post('/yst/v1/sms-codes', { mobile: mobile ?? actor.person.mobile });
  };

export const logInWithCode =
  (code: string): Task =>
  async (actor) => {
    const loggedIn = await actor.world.services.post('/yst/v1/phone-login', { mobile: actor.person.mobile, code });
    actor.token = loggedIn.token;
  };

export const personalAccount: Question<{ id: string; name: string; idNumber: string } | undefined> = async (actor) =>
  actor.token ? actor.world.services.get('/yst/v1/me', actor.token) : undefined;
