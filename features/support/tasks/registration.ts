// 登记注册身份验证 app tasks (C1–C11), in API form and in page form. Through the API the app's
// session token is kept in the actor's memory under 'sdreg token', apart from any 粤商通 session;
// through the pages it is the browser's `sdreg-session` cookie.
import type { Page } from 'playwright-core';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import type { Refusal } from '../client.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { FILING_STATUS_LABEL } from '../../../services/registration/pages.js';
import { faceInMiniProgram } from './login.js';

export const DEFAULT_PASSWORD = 'Abc12345';

export function registrationForm(actor: Actor, password = DEFAULT_PASSWORD) {
  const p = actor.person;
  return { name: p.name, idNumber: p.idNumber, idValidFrom: p.idValidFrom, idValidTo: p.idValidTo, mobile: p.mobile, password, confirmPassword: password, agreementAccepted: true };
}

const services = (actor: Actor) => CallAnApi.as(actor).services;
const token = (actor: Actor) => (actor.remembers('sdreg token') ? actor.recall('sdreg token') : undefined);

/** Page forms: opens one of the app's screens. */
const openApp = (actor: Actor, path: string) => BrowseTheWeb.as(actor).open('services', `/sdreg${path}`);
/** Page forms: fills the fields labelled so, in order. */
async function fill(page: Page, fields: [label: string, value: string][]) {
  for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
}
/** Page forms: presses the button named so (exactly), the page's refusal thrown. */
const press = (actor: Actor, page: Page, name: string) => BrowseTheWeb.as(actor).submit(page.getByRole('button', { name, exact: true }));
const SESSION_COOKIE = 'sdreg-session';
/** Page forms: the session the browser holds now, kept in memory as the API forms keep their token. */
async function rememberSession(actor: Actor, page: Page) {
  const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
  if (cookie) actor.remember('sdreg token', cookie.value);
}

/** The actor presents a session they held before (a token kept in memory; a browser's cookie). */
export const useRegistrationSession = (session: string): Task =>
  task('use an earlier session of the registration app', {
    api: async (actor) => actor.remember('sdreg token', session),
    page: async (actor) => {
      const page = await openApp(actor, '/');
      const url = new URL(page.url());
      await page.context().addCookies([{ name: SESSION_COOKIE, value: session, domain: url.hostname, path: '/sdreg' }]);
      actor.remember('sdreg token', session);
    },
  });

export const register = (changes: Partial<ReturnType<typeof registrationForm>> = {}, password?: string): Task =>
  task(`register in the registration app${Object.keys(changes).length ? ` with ${JSON.stringify(changes)}` : ''}`, {
    api: async (actor) => void (await services(actor).post('/sdreg/v1/users', { ...registrationForm(actor, password), ...changes })),
    page: async (actor) => {
      const form = { ...registrationForm(actor, password), ...changes };
      const page = await openApp(actor, '/register');
      await fill(page, [
        ['姓名', form.name],
        ['身份证号', form.idNumber],
        ['身份证生效日期', form.idValidFrom],
        ['身份证失效日期', form.idValidTo],
        ['手机号码', form.mobile],
        ['密码', form.password],
        ['确认密码', form.confirmPassword],
      ]);
      if (form.agreementAccepted) await page.getByLabel('用户协议', { exact: true }).selectOption({ label: '已阅读并同意《用户协议》' });
      await press(actor, page, '注册');
    },
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
    page: async (actor) => {
      const page = await openApp(actor, '/');
      await page.getByRole('link', { name: flow === 'activations' ? '账号激活' : '忘记密码' }).click();
      await fill(page, [
        ['姓名', name ?? actor.person.name],
        ['身份证号', actor.person.idNumber],
      ]);
      await press(actor, page, '扫描人脸');
      await faceInMiniProgram(actor, page, actor);
      await fill(page, [
        ['密码', password],
        ['确认密码', password],
      ]);
      await press(actor, page, '确认');
    },
  });

/** C4 with ID + password: the actor's own ID number, or another one typed in (`idNumber`). */
export const logInWithPassword = (password: string, idNumber?: string): Task =>
  task(`log in to the registration app with the password ${password}${idNumber ? ` and the ID number ${idNumber}` : ''}`, {
    api: async (actor) => {
      const { token } = await services(actor).post('/sdreg/v1/sessions', { idNumber: idNumber ?? actor.person.idNumber, password });
      actor.remember('sdreg token', token);
    },
    page: async (actor) => {
      const page = await openApp(actor, '/');
      await fill(page, [
        ['身份证号', idNumber ?? actor.person.idNumber],
        ['密码', password],
      ]);
      await press(actor, page, '登录');
      await rememberSession(actor, page);
    },
  });

export const logInByFace: Task = task('log in to the registration app by face', {
  api: async (actor) => {
    const started = await services(actor).post('/sdreg/v1/face-login', { idNumber: actor.person.idNumber });
    actor.remember('sdreg face check', started.faceCheckId);
    await faceControl(actor, started);
    actor.remember('sdreg token', (await services(actor).post(`/sdreg/v1/face-login/${started.faceCheckId}/complete`)).token);
  },
  page: async (actor) => {
    const page = await openApp(actor, '/');
    await page.getByRole('link', { name: '人脸识别登录' }).click();
    await fill(page, [['身份证号', actor.person.idNumber]]);
    await press(actor, page, '扫描人脸');
    await faceInMiniProgram(actor, page, actor);
    await press(actor, page, '完成登录');
    await rememberSession(actor, page);
  },
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
/** Page forms: from 账号管理, the screen `link` names, [`start`], the face in 粤信签, then `change` back in the app. */
const afterSelfCheck = (
  description: string,
  purpose: 'CHANGE_PHONE' | 'LEVEL_UP',
  change: (faceCheckId: string) => { path: string; body: object },
  screens: { link: string; start: string; change: (actor: Actor, page: Page) => Promise<void> },
  face?: Actor,
): Task =>
  task(description, {
    api: async (actor) => {
      const started = await services(actor).post('/sdreg/v1/me/face-checks', { purpose }, token(actor));
      const faceCheckId = await faceControl(actor, started, face);
      const { path, body } = change(faceCheckId);
      await services(actor).put(path, body, token(actor));
    },
    page: async (actor) => {
      const page = await openApp(actor, '/me');
      await page.getByRole('link', { name: screens.link }).click();
      await press(actor, page, screens.start);
      await faceInMiniProgram(actor, page, actor, face);
      await screens.change(actor, page);
    },
  });

export const changeMobile = (mobile: string, face?: Actor) =>
  afterSelfCheck(
    `change the mobile to ${mobile} after a face check${face ? ` of ${face.name}` : ''}`,
    'CHANGE_PHONE',
    (faceCheckId) => ({ path: '/sdreg/v1/me/mobile', body: { faceCheckId, mobile } }),
    {
      link: '修改手机号码',
      start: '扫描人脸',
      change: async (actor, page) => {
        await fill(page, [['新手机号码', mobile]]);
        await press(actor, page, '确认');
      },
    },
    face,
  );
export const raiseLevel = afterSelfCheck('raise the real-name level by face', 'LEVEL_UP', (faceCheckId) => ({ path: '/sdreg/v1/me/level', body: { faceCheckId } }), {
  link: '实名等级',
  start: '四级实名',
  change: (actor, page) => press(actor, page, '确认'),
});

/** The actor stands in front of `owner`'s phone while the owner changes the mobile. */
export const changeMobileOf = (owner: Actor, mobile: string): Task =>
  task(
    `change ${owner.name}'s mobile to ${mobile} with their own face`,
    inAnyInterface((impostor) => owner.attemptsTo(changeMobile(mobile, impostor))),
  );

export const takePartInRegistration = (deadline: string): Task =>
  task(`take part in enterprise registration until ${deadline}`, {
    api: async (actor) => void (await services(actor).put('/sdreg/v1/me/registration-authorisation', { participate: true, deadline }, token(actor))),
    page: async (actor) => {
      const page = await openApp(actor, '/me');
      await page.getByRole('link', { name: '企业登记注册' }).click();
      await page.getByLabel('是否办理企业登记注册', { exact: true }).selectOption({ label: '是' });
      await fill(page, [['企业登记注册截止日期', deadline]]);
      await press(actor, page, '确认');
    },
  });

export const changePassword = (oldPassword: string, newPassword: string): Task =>
  task(`change the password from ${oldPassword} to ${newPassword}`, {
    api: async (actor) => void (await services(actor).put('/sdreg/v1/me/password', { oldPassword, newPassword, confirmPassword: newPassword }, token(actor))),
    page: async (actor) => {
      const page = await openApp(actor, '/me');
      await page.getByRole('link', { name: '修改密码' }).click();
      await fill(page, [
        ['旧密码', oldPassword],
        ['新密码', newPassword],
        ['确认新密码', newPassword],
      ]);
      await press(actor, page, '确认');
    },
  });

export const logOut: Task = task('log out of the registration app', {
  api: async (actor) => void (await services(actor).post('/sdreg/v1/logout', {}, token(actor))),
  page: async (actor) => press(actor, await openApp(actor, '/me'), '退出登录'),
});

export interface RegistrationUser {
  name: string;
  mobile: string | null;
  level: { label: string };
  registrationAuthorisation: { label: string };
}

export const myRegistrationAccount: Question<RegistrationUser> = question('my registration account', {
  api: (actor) => services(actor).get('/sdreg/v1/me', token(actor)),
  page: async (actor) => {
    const account = (await accountPage(actor)).getByRole('region', { name: '账号信息' });
    const mobile = await factOf(account, '手机号');
    const level = await factOf(account, '实名等级');
    const authorisation = (await factOf(account, '企业登记注册')).replace(/（.*）$/, '');
    return {
      name: await factOf(account, '姓名'),
      mobile: mobile === '未绑定' ? null : mobile,
      level: { label: level },
      registrationAuthorisation: { label: authorisation },
    };
  },
});
/** 账号管理 (a browser with no session is refused: NOT_LOGGED_IN). */
const accountPage = (actor: Actor) => openApp(actor, '/me');
export const hasRegistrationSession: Question<boolean> = question('whether I am logged in to the registration app', {
  api: async (actor) => token(actor) !== undefined,
  page: async (actor) => {
    try {
      await accountPage(actor);
      return true;
    } catch (error) {
      if ((error as Refusal).code === 'NOT_LOGGED_IN') return false;
      throw error;
    }
  },
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
        persons: persons.map((p) => ({ name: p.actor.name, idNumber: filingIdNumber(p), roles: p.roles, origin: p.origin })),
      });
    },
    page: async (actor) => {
      const page = await openApp(actor, '/filings');
      const form = page.getByRole('form', { name: '实名验证情况查询' });
      await form.getByLabel('主体类型', { exact: true }).selectOption(entityKind);
      for (const [i, p] of persons.entries()) {
        const n = i + 1;
        await fill(page, [
          [`第${n}人姓名`, p.actor.name],
          [`第${n}人证件号码`, filingIdNumber(p)],
        ]);
        await page.getByLabel(`第${n}人身份`, { exact: true }).selectOption(p.roles[0]!);
        if (p.roles[1]) await page.getByLabel(`第${n}人其他身份`, { exact: true }).selectOption(p.roles[1]);
        await page.getByLabel(`第${n}人地区`, { exact: true }).selectOption(p.origin);
      }
      await press(actor, page, '查询');
      const result = page.getByRole('region', { name: '查询结果' });
      const rows = await result.getByRole('table', { name: '人员验证情况' }).getByRole('row').all();
      const shown = [];
      for (const row of rows.slice(1)) {
        const [name, , , status, missing] = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
        shown.push({ name: name!, status: FILING_STATUS[status!] ?? status!, missing: missing ? missing.split('、').map((label) => ({ label })) : [] });
      }
      actor.world.filing = { ready: (await factOf(result, '查询结果')).startsWith('相关人员均已完成'), persons: shown };
    },
  });

/** A mainland person's resident ID; another's travel permit or passport number. */
const filingIdNumber = (p: FilingPerson) => (p.origin === 'MAINLAND' ? p.actor.person.idNumber : `H${p.actor.person.idNumber.slice(-8)}`);
/** The statuses 实名验证情况查询 shows, as the API codes them. */
const FILING_STATUS: Record<string, string> = Object.fromEntries(Object.entries(FILING_STATUS_LABEL).map(([code, label]) => [label, code]));
