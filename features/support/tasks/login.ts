// 粤商通 login tasks (A1–A3): the app's screens, in API form and in page form.
import type { Page } from 'playwright-core';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import { Refusal } from '../client.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';

/** 粤商通's session cookie: what a page login leaves in the browser (services/yueshangtong/pages.ts). */
const YST_SESSION = 'yst-session';

export interface PersonalAccount {
  /** The account's id: the API answers it, 我的 does not show it. */
  id?: string;
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

/**
 * Page forms: on the 粤信签 page an app opened for `claimed`, `face` presents their face
 * ([开始人脸识别]; someone else's is given by ID number) and goes back to the app ([返回APP]).
 */
export async function faceInMiniProgram(actor: Actor, page: Page, claimed: Actor, face: Actor = actor) {
  if (face.person.idNumber !== claimed.person.idNumber) await page.getByLabel('出镜人身份证号码', { exact: true }).fill(face.person.idNumber);
  await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '开始人脸识别' }));
  await page.getByRole('link', { name: '返回APP' }).click();
}

/** Page forms: 我的 →[退出登录], back on 首页. */
async function logOutOnPages(actor: Actor) {
  const browsing = BrowseTheWeb.as(actor);
  const page = await browsing.open('services', '/yst/me');
  await browsing.submit(page.getByRole('button', { name: '退出登录' }));
  actor.token = await browsing.cookie('services', '/yst/', YST_SESSION);
  return page;
}

/**
 * Page form of a face login: [请登录]→[人脸识别登录], 输入身份信息 of `claimed`, 粤信签 with `face`,
 * [完成登录]. Logged in already (首页 offers 我的, not 请登录), the person logs out first.
 */
async function faceLoginOnPages(actor: Actor, claimed: Actor, face: Actor, form: { withMobile?: boolean } = {}) {
  const browsing = BrowseTheWeb.as(actor);
  let page = await browsing.open('services', '/yst/');
  if (!(await page.getByRole('link', { name: '请登录' }).count())) page = await logOutOnPages(actor);
  await page.getByRole('link', { name: '请登录' }).click();
  await page.getByRole('link', { name: '人脸识别登录' }).click();
  await page.getByLabel('姓名', { exact: true }).fill(claimed.person.name);
  await page.getByLabel('身份证号码', { exact: true }).fill(claimed.person.idNumber);
  if (form.withMobile !== false) await page.getByLabel('手机号码', { exact: true }).fill(claimed.person.mobile);
  await browsing.submit(page.getByRole('button', { name: '下一步' }));
  await faceInMiniProgram(actor, page, claimed, face);
  await browsing.submit(page.getByRole('button', { name: '完成登录' }));
  actor.token = await browsing.cookie('services', '/yst/', YST_SESSION);
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
    page: (actor) => faceLoginOnPages(actor, actor, options.face ?? actor, options),
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
    page: (actor) => faceLoginOnPages(actor, claimed, actor, { withMobile: false }),
  });

export const startFaceLoginWith = (form: { name?: string; idNumber?: string; mobile?: string }): Task =>
  task(`start a face login with ${JSON.stringify(form)}`, {
    api: async (actor) => {
      await CallAnApi.as(actor).services.post('/yst/v1/face-login', { name: actor.person.name, idNumber: actor.person.idNumber, ...form });
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await browsing.open('services', '/yst/login/face');
      await page.getByLabel('姓名', { exact: true }).fill(form.name ?? actor.person.name);
      await page.getByLabel('身份证号码', { exact: true }).fill(form.idNumber ?? actor.person.idNumber);
      if (form.mobile) await page.getByLabel('手机号码', { exact: true }).fill(form.mobile);
      await browsing.submit(page.getByRole('button', { name: '下一步' }));
    },
  });

/** [手机号码登录] with the mobile filled in, ready for [获取验证码] or [登录]. */
async function phoneLoginPage(actor: Actor, mobile: string) {
  const page = await BrowseTheWeb.as(actor).open('services', '/yst/login/phone');
  await page.getByLabel('手机号码', { exact: true }).fill(mobile);
  return page;
}

export const askForLoginCode = (mobile?: string): Task =>
  task(`ask for a login code${mobile ? ` for ${mobile}` : ''}`, {
    api: async (actor) => {
      actor.remember('login code answer', await CallAnApi.as(actor).services.post('/yst/v1/sms-codes', { mobile: mobile ?? actor.person.mobile }));
    },
    page: async (actor) => {
      const page = await phoneLoginPage(actor, mobile ?? actor.person.mobile);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '获取验证码' }));
      actor.remember('login code answer', await page.getByRole('status').textContent());
    },
  });

export const logInWithCode = (code: string): Task =>
  task(`log in with the code ${code}`, {
    api: async (actor) => {
      actor.token = (await CallAnApi.as(actor).services.post('/yst/v1/phone-login', { mobile: actor.person.mobile, code })).token;
    },
    page: async (actor) => {
      const page = await phoneLoginPage(actor, actor.person.mobile);
      await page.getByLabel('验证码', { exact: true }).fill(code);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '登录', exact: true }));
      actor.token = await BrowseTheWeb.as(actor).cookie('services', '/yst/', YST_SESSION);
    },
  });

/** 我的 →[退出登录]: the session ends (kept in memory, to show it no longer works). */
export const logOut: Task = task('log out of 粤商通', {
  api: async (actor) => {
    await CallAnApi.as(actor).services.post('/yst/v1/logout', {}, actor.token);
    actor.remember('yst session logged out of', actor.token!);
    actor.token = undefined;
  },
  page: async (actor) => {
    actor.remember('yst session logged out of', actor.token!);
    await logOutOnPages(actor);
  },
});

/** What 粤商通 answers a session now (the tester's look at the server, in any interface): whether it still logs anyone in. */
export const sessionWorks = (token: string): Question<boolean> =>
  question(
    'whether a 粤商通 session still works',
    inAnyInterface(async (actor) => {
      try {
        await CallAnApi.as(actor).services.get('/yst/v1/me', token);
        return true;
      } catch (error) {
        if (error instanceof Refusal && error.status === 401) return false;
        throw error;
      }
    }),
  );

/** The personal account the actor is logged in to, or undefined when not logged in. */
export const personalAccount: Question<PersonalAccount | undefined> = question('the personal account', {
  api: async (actor) => (actor.token ? CallAnApi.as(actor).services.get('/yst/v1/me', actor.token) : undefined),
  page: async (actor) => {
    const page = await BrowseTheWeb.as(actor).open('services', '/yst/me');
    if (new URL(page.url()).pathname !== '/yst/me') return undefined; // led to 请登录
    const account = page.getByRole('region', { name: '个人账号' });
    return { name: await factOf(account, '姓名'), idNumber: await factOf(account, '身份证号码') };
  },
});
