// 危险化学品经营许可证 with cloud inspection (常州, F1–F7): the harness side (the register, officers,
// reminders; the tester), the enterprise on 常州通办 (web) and in the app's 云核查 (the legal
// representative), and the reviewing authority's officers.
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';
import {
  AFFILIATIONS,
  APPLICATION_TYPES,
  AUTHORITIES,
  BUSINESS_MODES,
  CHECKLIST,
  GOODS_SCOPES,
  INSPECTION_METHODS,
  QUALIFICATIONS,
} from '../../../services/licensing/rules.js';
import { STATUSES } from '../../../services/licensing/workflow.js';
import { faceInMiniProgram } from './login.js';

const control = (actor: Actor) => CallAnApi.as(actor).control;
const servicesControl = (actor: Actor) => CallAnApi.as(actor).servicesControl;
const services = (actor: Actor) => CallAnApi.as(actor).services;

export type Channel = 'WEB' | 'APP';
const prefix = (channel: Channel) => `/changzhou/v1/${channel.toLowerCase()}`;
const AUTHORITY = '/changzhou/v1/authority/applications';

interface Labelled {
  code: string;
  label: string;
}
export interface LicenceApplicationView {
  applicationId: string;
  number: string;
  status: Labelled;
  version: number;
  readOnly: boolean;
  applicationType: Labelled | null;
  inspectionMethod: Labelled | null;
  personnel: { name: string; qualification: Labelled }[];
  businessModes: Labelled[];
  appointmentAt: string | null;
  next: string[];
  appointment: { at: string | null; proposals: { at: string; proposedBy: Labelled; channel: Labelled | null; outcome: Labelled; decidedChannel: Labelled | null }[] };
  inspection: {
    method: Labelled;
    status: Labelled;
    note: string | null;
    commitmentSignature: { sha256: string; sizeBytes: number; mimeType: string } | null;
    handlerPhoto: { sha256: string; sizeBytes: number } | null;
    rectificationSignature: { sha256: string; channel: Labelled } | null;
    video: { enterprise: Labelled; officer: Labelled } | null;
    checklist: { code: string; label: string; result: Labelled | null; note: string | null }[];
  } | null;
  problems: { problemId: string; item: string; finding: string; status: Labelled; note: string | null; channel: Labelled | null; photos: { sha256: string }[] }[];
  licence: { number: string; validFrom: string; validTo: string } | null;
}
export interface RegisterView {
  staff: { staffId: string; name: string; certificateNo: string; qualification: Labelled }[];
  filings: { number: string }[];
  licences: { number: string; validFrom: string; validTo: string }[];
}

/** A 1×1 PNG: what a signature pad or a camera sends here (only type and size matter). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
export const image = (bytes: Buffer = PNG, mimeType = 'image/png') => ({ mimeType, data: bytes.toString('base64') });
export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A PNG-looking image of `kb` kilobytes. */
export const bigPng = (kb: number) => Buffer.concat([PNG, Buffer.alloc(kb * 1024 - PNG.length, 1)]);

const codeOf = (labels: Record<string, string>, label: string, what: string) => {
  const code = Object.keys(labels).find((c) => labels[c] === label);
  if (!code) throw new Error(`no ${what} labelled ${label} (one of ${Object.values(labels).join(', ')})`);
  return code;
};
export const authorityCode = (name: string) => codeOf(AUTHORITIES, name, 'authority');
export const checklistCode = (label: string) => codeOf(Object.fromEntries(CHECKLIST.map((c) => [c.code, c.label])), label, 'checklist item');
const list = (text: string) => text.split(/[,，、]\s*/).filter(Boolean);

/** The application the scenario made for an enterprise. */
const applicationOf = (actor: Actor, enterpriseName: string) => {
  const id = actor.world.licenceApplications.get(enterpriseName);
  if (!id) throw new Error(`no licence application of ${enterpriseName} in this scenario`);
  return id;
};
const officerToken = (actor: Actor) => actor.recall('officer token');

// Page forms: 常州通办 (web, a desktop tab), its app's 云核查 (the phone), the authority (a desktop tab) -----------

const APPS = {
  WEB: { base: '/czth', cookie: 'czth-session', tab: { name: 'czth', device: 'desktop' as const }, application: (id: string) => `/czth/applications/${id}` },
  APP: { base: '/czapp', cookie: 'czapp-session', tab: { name: 'app', device: 'phone' as const }, application: (id: string) => `/czapp/cloud-inspection/${id}` },
};
const GOV = { cookie: 'czgov-session', tab: { name: 'czgov', device: 'desktop' as const } };

/**
 * Page forms: a page of 常州通办 or its app, as the actor opens it — logged in first when their
 * browser has no session of that app yet (粤商通 face login in 粤信签, then [选择办事] of the
 * enterprise). A login is stored (a session, a face check): a scenario that checks that nothing was
 * stored lets the person use the app before it tries what is refused.
 */
async function enterpriseOpens(actor: Actor, channel: Channel, enterpriseName: string, path: string): Promise<Page> {
  const browsing = BrowseTheWeb.as(actor);
  const app = APPS[channel];
  if (!(await browsing.cookie('services', `${app.base}/`, app.cookie))) {
    const page = await browsing.open('services', `${app.base}/login`, app.tab);
    await page.getByLabel('姓名', { exact: true }).fill(actor.person.name);
    await page.getByLabel('身份证号码', { exact: true }).fill(actor.person.idNumber);
    await browsing.submit(page.getByRole('button', { name: '下一步' }));
    await faceInMiniProgram(actor, page, actor);
    await browsing.submit(page.getByRole('button', { name: '完成登录' }));
    // The enterprise's account when the person has one, else their own enterprise's (to look at another's).
    const accounts = page.getByRole('list', { name: '企业账号' }).getByRole('listitem');
    const ofEnterprise = accounts.filter({ has: page.getByRole('cell', { name: enterpriseName, exact: true }) });
    await browsing.submit(((await ofEnterprise.count()) ? ofEnterprise : accounts).first().getByRole('button', { name: '选择办事' }));
  }
  return browsing.open('services', path, app.tab);
}

/** Page forms: an authority's page, in the officer's desktop tab. */
const officerOpens = (actor: Actor, path: string) => BrowseTheWeb.as(actor).open('services', path, GOV.tab);

/** Page forms: the officer logs in (审核人员登录). */
async function officerLogsIn(actor: Actor, username: string, password: string) {
  const browsing = BrowseTheWeb.as(actor);
  const page = await officerOpens(actor, '/czgov/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await browsing.submit(page.getByRole('button', { name: '登录', exact: true }));
  actor.remember('officer token', (await browsing.cookie('services', '/czgov/', GOV.cookie))!);
}

/** The rows of a table (by its caption) as their cells' texts; none when the page has no such table or it is empty. */
async function rowsOf(scope: Page | Locator, caption: string): Promise<string[][]> {
  const shown = scope.getByRole('table', { name: caption, exact: true });
  if (!(await shown.count())) return [];
  const rows: string[][] = [];
  for (const row of await shown.getByRole('row').all()) {
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    if (cells.length > 1) rows.push(cells);
  }
  return rows;
}

const labelledAs = (labels: Record<string, string>, label: string): Labelled | null => (label === '—' ? null : { code: Object.keys(labels).find((c) => labels[c] === label) ?? '', label });
const timeShown = (text: string) => (text === '—' ? null : text);
/** A signature or photo as a page lists it: 渠道，type，size字节，SHA-256：digest. */
function fileShown(text: string) {
  const shown = /^(.+?)，(.+?)，(\d+)字节，SHA-256：([0-9a-f]{64})$/.exec(text);
  return shown ? { channel: { code: '', label: shown[1]! }, mimeType: shown[2]!, sizeBytes: Number(shown[3]), sha256: shown[4]! } : null;
}

/** Page forms: an application as its page shows it (every app shows it alike). */
async function applicationShown(page: Page, id: string, editable: boolean): Promise<LicenceApplicationView> {
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const form = region('申报信息');
  const fact = (term: string) => factOf(form, term);
  const status = labelledAs(STATUSES, await fact('办理状态'))!;
  const modes = await fact('申请经营方式');
  const checked = region('核查情况');
  const inspected = (await checked.count()) > 0;
  const line = async (term: string) => labelledAs({}, await factOf(checked, term));
  const licence = region('许可证');
  return {
    applicationId: id,
    number: await fact('申报编号'),
    status,
    version: 0,
    readOnly: !editable,
    applicationType: labelledAs(APPLICATION_TYPES, await fact('申报类型')),
    inspectionMethod: labelledAs(INSPECTION_METHODS, await fact('核查方式')),
    personnel: (await rowsOf(form, '人员资格')).map(([name, , , qualification]) => ({ name: name!, qualification: labelledAs(QUALIFICATIONS, qualification!)! })),
    businessModes: modes === '—' ? [] : modes.split('、').map((m) => labelledAs(BUSINESS_MODES, m)!),
    appointmentAt: timeShown(await factOf(region('预约核查'), '预约核查时间')),
    next: [],
    appointment: {
      at: timeShown(await factOf(region('预约核查'), '预约核查时间')),
      proposals: (await rowsOf(region('预约核查'), '预约记录')).map(([at, by, channel, outcome, decided]) => ({
        at: at!,
        proposedBy: labelledAs({}, by!)!,
        channel: labelledAs({}, channel!),
        outcome: labelledAs({}, outcome!)!,
        decidedChannel: labelledAs({}, decided!),
      })),
    },
    inspection: inspected
      ? {
          method: labelledAs(INSPECTION_METHODS, await factOf(checked, '核查方式'))!,
          status: labelledAs({}, await factOf(checked, '核查状态'))!,
          note: timeShown(await factOf(checked, '核查说明')),
          commitmentSignature: fileShown(await factOf(checked, '承诺书签字')),
          handlerPhoto: fileShown(await factOf(checked, '经办人照片')),
          rectificationSignature: fileShown(await factOf(checked, '整改签字')),
          video: (await factOf(checked, '企业视频')) === '—' ? null : { enterprise: (await line('企业视频'))!, officer: (await line('核查人员视频'))! },
          checklist: (await rowsOf(checked, '核查项')).map(([label, result, note]) => ({ code: checklistCode(label!), label: label!, result: result === '未记录' ? null : labelledAs({}, result!), note: timeShown(note!) })),
        }
      : null,
    problems: (await rowsOf(page, '问题汇总')).map(([item, finding, state, channel, note, photos]) => ({
      problemId: '',
      item: item!,
      finding: finding!,
      status: labelledAs({}, state!)!,
      note: timeShown(note!),
      channel: labelledAs({}, channel!),
      photos: [...photos!.matchAll(/SHA-256：([0-9a-f]{64})/g)].map((m) => ({ sha256: m[1]! })),
    })),
    licence: (await licence.count()) ? { number: await factOf(licence, '许可证编号'), validFrom: await factOf(licence, '有效期起'), validTo: await factOf(licence, '有效期至') } : null,
  };
}

/** Page forms: the application's page of the channel, the enterprise logged in. */
async function enterpriseApplicationPage(actor: Actor, enterpriseName: string, channel: Channel) {
  return enterpriseOpens(actor, channel, enterpriseName, APPS[channel].application(applicationOf(actor, enterpriseName)));
}

/** A file as a file input takes it (Playwright's setInputFiles), from an image as the API takes it. */
const fileOf = (img: { mimeType: string; data: string }, name: string) => ({ name: `${name}.${img.mimeType.split('/')[1] ?? 'bin'}`, mimeType: img.mimeType, buffer: Buffer.from(img.data, 'base64') });

/** Page forms: the form of 新建申报 or of the draft filled as the rows say, every other field left empty. */
async function fillApplicationForm(page: Page, rows: FormRows) {
  const select = async (label: string) => {
    const control = page.getByLabel(label, { exact: true });
    const value = rows[label];
    if (value === undefined) await control.selectOption('');
    else if (label === '危险化学品事故应急预案备案') await control.selectOption(value === '已登记的备案' ? { index: 1 } : value);
    else await control.selectOption({ label: value });
  };
  const tick = async (label: string, names: string[]) => {
    const group = page.getByRole('group', { name: label, exact: true });
    for (const box of await group.getByRole('checkbox').all()) await box.uncheck();
    for (const name of names) await group.getByRole('checkbox', label === '人员资格' ? { name: new RegExp(`（${name}，`) } : { name, exact: true }).first().check();
  };
  for (const label of Object.keys(rows)) if (!Object.keys(COMPLETE_FORM).includes(label)) throw new Error(`the form has no field ${label}`);
  for (const label of ['申报类型', '隶属关系', '危险化学品事故应急预案备案', '核查方式', '审核机关']) await select(label);
  for (const label of ['人员资格', '申请品种范围', '申请经营方式']) await tick(label, list(rows[label] ?? ''));
}

// The harness ---------------------------------------------------------------------------------------------

/** Puts the scenario's enterprise on the register: staff, a filing, and a licence valid 3 years from `licensedOn` (none without). */
export const putOnRegister = (enterpriseName: string, licensedOn?: string): Task =>
  task(
    `put ${enterpriseName} on the licensing register${licensedOn ? ` licensed on ${licensedOn}` : ''}`,
    inAnyInterface(async (actor) => void (await servicesControl(actor).post('/harness/v1/licensing/enterprises', { uscc: actor.world.enterprise(enterpriseName).uscc, licence: licensedOn ? { validFrom: licensedOn } : null }))),
  );

const OFFICER_PASSWORD = 'Officer2026';

/** The actor becomes an officer of an authority (made by the harness) and logs in. */
export const becomeOfficer = (authorityName: string, roles: ('INSPECTOR' | 'REVIEWER')[]): Task =>
  task(`become ${roles.join(' and ')} of ${authorityName}`, {
    api: async (actor) => {
      const username = `officer-${actor.person.idNumber.slice(-8).toLowerCase()}`;
      await servicesControl(actor).post('/harness/v1/licensing/officers', { username, name: actor.person.name, idNumber: actor.person.idNumber, authority: authorityCode(authorityName), roles, password: OFFICER_PASSWORD });
      actor.remember('officer token', (await services(actor).post('/changzhou/v1/authority/sessions', { username, password: OFFICER_PASSWORD })).token);
    },
    page: async (actor) => {
      const username = `officer-${actor.person.idNumber.slice(-8).toLowerCase()}`;
      await servicesControl(actor).post('/harness/v1/licensing/officers', { username, name: actor.person.name, idNumber: actor.person.idNumber, authority: authorityCode(authorityName), roles, password: OFFICER_PASSWORD });
      await officerLogsIn(actor, username, OFFICER_PASSWORD);
    },
  });

export const seedRegister = (seed: number, enterprises: number): Question<{ enterprises: number; officers: { username: string }[] }> =>
  question(`the register seeded from ${seed} with ${enterprises} enterprises`, inAnyInterface((actor) => servicesControl(actor).post('/harness/v1/licensing/register', { seed, enterprises })));

export const logInAsOfficer = (username: string, password: string): Task =>
  task(`log in as the officer ${username}`, {
    api: async (actor) => actor.remember('officer token', (await services(actor).post('/changzhou/v1/authority/sessions', { username, password })).token),
    page: (actor) => officerLogsIn(actor, username, password),
  });

export interface ProviderListing {
  name: string;
  outcomes: Record<string, { message: string }>;
  operations: { name: string; decides: boolean }[];
}
/** What the harness lists of the providers and their outcome tables (H2). */
export const providersListed: Question<ProviderListing[]> = question('the providers', inAnyInterface((actor) => control(actor).get('/harness/v1/providers')));

export const runAppointmentReminders: Task = task('run the appointment reminders', inAnyInterface(async (actor) => void (await servicesControl(actor).post('/harness/v1/jobs/licensing-reminders'))));

// The enterprise: the form (F1, F2) ------------------------------------------------------------------------------

export const register: Question<RegisterView> = question('the enterprise on the register', {
  api: (actor) => services(actor).get(`${prefix('WEB')}/register`, actor.token),
  page: undefined,
});

/** The form as the page shows it: label → value, as a person fills it in. */
export type FormRows = Record<string, string>;

export const COMPLETE_FORM: FormRows = {
  申报类型: '首次',
  隶属关系: '其他',
  人员资格: '主要负责人, 安全生产管理人员',
  危险化学品事故应急预案备案: '已登记的备案',
  申请品种范围: '申请经营品种仅包含一般危险化学品的',
  申请经营方式: '其他经营',
  核查方式: '云核查',
  审核机关: '天宁区应急管理局',
};

/** The API form of what the page's rows say; the register gives the staff and the filing. */
async function formOf(actor: Actor, rows: FormRows) {
  const form: Record<string, unknown> = {};
  const known = await actor.asks(register);
  for (const [label, value] of Object.entries(rows)) {
    if (label === '申报类型') form.applicationType = codeOf(APPLICATION_TYPES, value, label);
    else if (label === '隶属关系') form.affiliation = codeOf(AFFILIATIONS, value, label);
    else if (label === '人员资格')
      form.personnel = list(value).map((q) => {
        const staff = known.staff.find((s) => s.qualification.code === codeOf(QUALIFICATIONS, q, label));
        if (!staff) throw new Error(`the register lists no ${q}`);
        return staff.staffId;
      });
    else if (label === '危险化学品事故应急预案备案') form.emergencyPlanNo = value === '已登记的备案' ? known.filings[0]!.number : value;
    else if (label === '申请品种范围') form.goodsScope = list(value).map((v) => codeOf(GOODS_SCOPES, v, label));
    else if (label === '申请经营方式') form.businessModes = list(value).map((v) => codeOf(BUSINESS_MODES, v, label));
    else if (label === '核查方式') form.inspectionMethod = codeOf(INSPECTION_METHODS, value, label);
    else if (label === '审核机关') form.authority = authorityCode(value);
    else throw new Error(`the form has no field ${label}`);
  }
  return form;
}

/** [保存]: a new draft (or another, `asNew`), or the draft of this scenario saved again; `raw` overrides the API form. */
export const saveDraft = (enterpriseName: string, rows: FormRows, raw: Record<string, unknown> = {}, options: { asNew?: boolean } = {}): Task =>
  task(`save ${options.asNew ? 'another' : 'a'} draft application of ${enterpriseName} with ${JSON.stringify({ ...rows, ...raw })}`, {
    api: async (actor) => {
      const form = { ...(await formOf(actor, rows)), ...raw };
      const known = options.asNew ? undefined : actor.world.licenceApplications.get(enterpriseName);
      if (known) {
        const { version } = await actor.asks(applicationView(enterpriseName));
        await services(actor).put(`${prefix('WEB')}/applications/${known}`, { ...form, version }, actor.token);
      } else {
        const saved = await services(actor).post<LicenceApplicationView>(`${prefix('WEB')}/applications`, form, actor.token);
        actor.world.licenceApplications.set(enterpriseName, saved.applicationId);
      }
    },
    page: async (actor) => {
      if (Object.keys(raw).length) throw new Error(`the page offers no value ${JSON.stringify(raw)} to choose`);
      const known = options.asNew ? undefined : actor.world.licenceApplications.get(enterpriseName);
      const page = await enterpriseOpens(actor, 'WEB', enterpriseName, known ? `/czth/applications/${known}/edit` : '/czth/applications/new');
      await fillApplicationForm(page, rows);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '保存', exact: true }));
      const saved = /\/czth\/applications\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
      if (!known && saved) actor.world.licenceApplications.set(enterpriseName, saved);
    },
  });

export const submitApplication = (enterpriseName: string): Task =>
  task(`submit the application of ${enterpriseName}`, {
    api: async (actor) => {
      const { version } = await actor.asks(applicationView(enterpriseName));
      await services(actor).post(`${prefix('WEB')}/applications/${applicationOf(actor, enterpriseName)}/submit`, { version }, actor.token);
    },
    page: async (actor) => {
      const page = await enterpriseApplicationPage(actor, enterpriseName, 'WEB');
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '确认提交', exact: true }));
    },
  });

/** The application as the enterprise sees it, on the web or in the app. */
export const applicationView = (enterpriseName: string, channel: Channel = 'WEB'): Question<LicenceApplicationView> =>
  question(`the application of ${enterpriseName} (${channel})`, {
    api: (actor) => services(actor).get(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}`, actor.token),
    page: async (actor) => {
      const page = await enterpriseApplicationPage(actor, enterpriseName, channel);
      return applicationShown(page, applicationOf(actor, enterpriseName), channel === 'WEB' && (await page.getByRole('link', { name: '修改', exact: true }).count()) > 0);
    },
  });

export const applicationsListed = (channel: Channel): Question<{ number: string; status: Labelled }[]> =>
  question(`the applications listed (${channel})`, {
    api: (actor) => services(actor).get(`${prefix(channel)}/applications`, actor.token),
    page: async (actor) => {
      const enterpriseName = [...actor.world.licenceApplications.keys()][0];
      if (!enterpriseName) throw new Error('no licence application in this scenario');
      const page = await enterpriseOpens(actor, channel, enterpriseName, channel === 'WEB' ? '/czth/' : '/czapp/cloud-inspection');
      const rows = await rowsOf(page, channel === 'WEB' ? '我的申报' : '云核查');
      return rows.map((cells) => ({ number: cells[0]!, status: labelledAs(STATUSES, cells[channel === 'WEB' ? 4 : 2]!)! }));
    },
  });

// The enterprise: the appointment (F3) --------------------------------------------------------------------------

/** [确认] the proposed time; `version`: the one seen earlier (default: the page as it is now). */
export const confirmTime = (enterpriseName: string, channel: Channel, version?: number): Task =>
  task(`confirm the inspection time of ${enterpriseName} (${channel})`, {
    api: async (actor) => {
      const seen = version ?? (await actor.asks(applicationView(enterpriseName, channel))).version;
      await services(actor).post(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}/appointment/confirm`, { version: seen }, actor.token);
    },
    page: async (actor) => {
      if (version !== undefined) throw new Error('a page confirms the version it shows');
      const page = await enterpriseApplicationPage(actor, enterpriseName, channel);
      await BrowseTheWeb.as(actor).submit(page.getByRole('form', { name: '确认核查时间' }).getByRole('button', { name: '确认', exact: true }));
    },
  });

/** [更改时间] */
export const changeTime = (enterpriseName: string, channel: Channel, at: string, version?: number): Task =>
  task(`change the inspection time of ${enterpriseName} to ${at} (${channel})`, {
    api: async (actor) => {
      const seen = version ?? (await actor.asks(applicationView(enterpriseName, channel))).version;
      await services(actor).post(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}/appointment/change`, { version: seen, at }, actor.token);
    },
    page: async (actor) => {
      if (version !== undefined) throw new Error('a page changes the version it shows');
      const form = (await enterpriseApplicationPage(actor, enterpriseName, channel)).getByRole('form', { name: '更改核查时间' });
      await form.getByLabel('核查时间', { exact: true }).fill(at.replace(' ', 'T'));
      await BrowseTheWeb.as(actor).submit(form.getByRole('button', { name: '更改时间', exact: true }));
    },
  });

// The enterprise: the inspection in the app (F5) --------------------------------------------------------------

const appInspection = (actor: Actor, enterpriseName: string) => `${prefix('APP')}/applications/${applicationOf(actor, enterpriseName)}/inspection`;
/** Page forms: 核查进行中 in the app (承诺书, 经办人照片, [进入视频]). */
const inspectionPage = (actor: Actor, enterpriseName: string) => enterpriseOpens(actor, 'APP', enterpriseName, `/czapp/cloud-inspection/${applicationOf(actor, enterpriseName)}/inspection`);

export const commitmentLetter = (enterpriseName: string): Question<{ title: string; text: string }> =>
  question(`the 承诺书 of ${enterpriseName}`, {
    api: (actor) => services(actor).get(`${appInspection(actor, enterpriseName)}/commitment`, actor.token),
    page: async (actor) => {
      const letter = (await inspectionPage(actor, enterpriseName)).getByRole('region', { name: '承诺书', exact: true });
      return { title: ((await letter.getByRole('heading').first().textContent()) ?? '').trim(), text: ((await letter.getByRole('paragraph').first().textContent()) ?? '').trim() };
    },
  });

/** Page forms: a file chosen in the labelled file input of a form, then its button. */
async function upload(actor: Actor, form: Locator, label: string, files: { mimeType: string; data: string }[], button: string) {
  await form.getByLabel(label, { exact: true }).setInputFiles(files.map((f, i) => fileOf(f, `${label}${i + 1}`)));
  await BrowseTheWeb.as(actor).submit(form.getByRole('button', { name: button, exact: true }));
}

export const signCommitment = (enterpriseName: string, signature = image()): Task =>
  task(`sign the 承诺书 of ${enterpriseName}`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/commitment-signature`, { image: signature }, actor.token)),
    page: async (actor) => upload(actor, (await inspectionPage(actor, enterpriseName)).getByRole('form', { name: '签字确认' }), '签名', [signature], '签字确认'),
  });

export const uploadHandlerPhoto = (enterpriseName: string, photo = image()): Task =>
  task(`upload the handler's photo for ${enterpriseName}`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/handler-photo`, { image: photo }, actor.token)),
    page: async (actor) => upload(actor, (await inspectionPage(actor, enterpriseName)).getByRole('form', { name: '上传经办人照片' }), '经办人照片', [photo], '上传照片'),
  });

export const joinVideo = (enterpriseName: string): Task =>
  task(`join the video of ${enterpriseName}'s inspection`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/video/join`, {}, actor.token)),
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await inspectionPage(actor, enterpriseName);
      await browsing.submit(page.getByRole('button', { name: '进入视频', exact: true }));
      // The call itself: the video service's room page, then back in the app.
      await browsing.follow(page.getByRole('link', { name: '打开视频画面' }));
      await browsing.follow(page.getByRole('link', { name: '返回APP' }));
    },
  });

export const hangUp = (enterpriseName: string): Task =>
  task(`hang up the video of ${enterpriseName}'s inspection`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/video/hang-up`, {}, actor.token)),
    page: async (actor) => {
      const page = await enterpriseOpens(actor, 'APP', enterpriseName, `/czapp/cloud-inspection/${applicationOf(actor, enterpriseName)}/video`);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '挂断', exact: true }));
    },
  });

// The enterprise: 整改 (F7) ---------------------------------------------------------------------------------------

/** Page forms: 问题汇总 in the app. */
const problemsPage = (actor: Actor, enterpriseName: string) => enterpriseOpens(actor, 'APP', enterpriseName, `/czapp/cloud-inspection/${applicationOf(actor, enterpriseName)}/problems`);

export const signRectification = (enterpriseName: string): Task =>
  task(`sign before rectifying ${enterpriseName}'s problems`, {
    api: async (actor) => void (await services(actor).post(`${prefix('APP')}/applications/${applicationOf(actor, enterpriseName)}/rectification/signature`, { image: image() }, actor.token)),
    page: async (actor) => upload(actor, (await problemsPage(actor, enterpriseName)).getByRole('form', { name: '整改签字' }), '签名', [image()], '签字确认'),
  });

/** [整改] the problem of a checklist item: photos and a note. */
export const rectify = (enterpriseName: string, channel: Channel, item: string, details: { photos?: { mimeType: string; data: string }[]; note?: string } = {}): Task =>
  task(`rectify ${item} of ${enterpriseName} (${channel})`, {
    api: async (actor) => {
      const view = await actor.asks(applicationView(enterpriseName, channel));
      const problem = view.problems.find((p) => p.item === item);
      if (!problem) throw new Error(`no problem ${item} in the 问题汇总 of ${enterpriseName}`);
      await services(actor).post(
        `${prefix(channel)}/applications/${view.applicationId}/problems/${problem.problemId}/rectification`,
        { photos: details.photos ?? [image()], note: details.note ?? `已整改：${item}` },
        actor.token,
      );
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = channel === 'WEB' ? await enterpriseApplicationPage(actor, enterpriseName, 'WEB') : await problemsPage(actor, enterpriseName);
      const link = page.getByRole('link', { name: `整改 ${item}`, exact: true });
      if (!(await link.count())) throw new Error(`the page offers no [整改] of ${item} to ${actor.name}`);
      await browsing.follow(link);
      const form = page.getByRole('form', { name: '整改' });
      await form.getByLabel('整改备注', { exact: true }).fill(details.note ?? `已整改：${item}`);
      await upload(actor, form, '整改图片', details.photos ?? [image()], '提交');
    },
  });

// The authority ------------------------------------------------------------------------------------------------

const authorityPath = (actor: Actor, enterpriseName: string) => `${AUTHORITY}/${applicationOf(actor, enterpriseName)}`;
/** Page forms: the application's page at the authority, or one of its pages (appointment, inspection, approval). */
const officerPage = (actor: Actor, enterpriseName: string, part = '') => officerOpens(actor, `/czgov/applications/${applicationOf(actor, enterpriseName)}${part}`);

export const authorityView = (enterpriseName: string): Question<LicenceApplicationView> =>
  question(`the application of ${enterpriseName} at the authority`, {
    api: (actor) => services(actor).get(authorityPath(actor, enterpriseName), officerToken(actor)),
    page: async (actor) => applicationShown(await officerPage(actor, enterpriseName), applicationOf(actor, enterpriseName), false),
  });

export const authorityList = (status?: string): Question<{ number: string; enterprise: { name: string }; status: Labelled }[]> =>
  question(`the applications addressed to the authority${status ? ` in ${status}` : ''}`, {
    api: (actor) => services(actor).get(`${AUTHORITY}${status ? `?status=${status}` : ''}`, officerToken(actor)),
    page: async (actor) => {
      const rows = await rowsOf(await officerOpens(actor, `/czgov/${status ? `?status=${status}` : ''}`), '申报列表');
      return rows.map((cells) => ({ number: cells[0]!, enterprise: { name: cells[1]! }, status: labelledAs(STATUSES, cells[4]!)! }));
    },
  });

/**
 * An authority's move that names the version on the officer's page; its page form presses `button`
 * in the form of that name on one of the application's pages (after filling `fields`: label → value).
 */
const authorityMove =
  (description: string, path: string, body: Record<string, unknown> = {}, page?: { part: string; button: string; form?: string; fields?: Record<string, string> }): ((enterpriseName: string) => Task) =>
  (enterpriseName) =>
    task(`${description} for ${enterpriseName}`, {
      api: async (actor) => {
        const { version } = await actor.asks(authorityView(enterpriseName));
        await services(actor).post(`${authorityPath(actor, enterpriseName)}${path}`, { version, ...body }, officerToken(actor));
      },
      page: page
        ? async (actor) => {
            const form = (await officerPage(actor, enterpriseName, page.part)).getByRole('form', { name: page.form ?? page.button, exact: true });
            for (const [label, value] of Object.entries(page.fields ?? {})) await form.getByLabel(label, { exact: true }).fill(value);
            await BrowseTheWeb.as(actor).submit(form.getByRole('button', { name: page.button, exact: true }));
          }
        : undefined,
    });

export const proposeTime = (enterpriseName: string, at: string): Task =>
  authorityMove(`propose ${at}`, '/appointment/propose', { at }, { part: '/appointment', button: '预约核查时间', fields: { 核查时间: at.replace(' ', 'T') } })(enterpriseName);
export const confirmRequestedTime = authorityMove('confirm the time the enterprise asked for', '/appointment/confirm', {}, { part: '/appointment', button: '确认企业时间' });
export const recordOnSite = authorityMove('record the on-site inspection', '/on-site-inspection', { inspectedOn: '2026-11-23', note: '现场核查符合要求' }, { part: '/on-site', button: '登记现场核查', fields: { 核查日期: '2026-11-23', 核查情况: '现场核查符合要求' } });
export const startInspection = authorityMove('start the cloud inspection', '/inspection/start', {}, { part: '/inspection', button: '启动核查' });
export const hangUpAndConclude = authorityMove('hang up and conclude the inspection', '/inspection/hang-up', {}, { part: '/inspection', button: '挂断' });
export const endNotFinished = (enterpriseName: string, reason: string): Task =>
  authorityMove('end the inspection as not finished', '/inspection/not-finished', { reason }, { part: '/inspection', button: '结束核查（未完成）', fields: { 未完成原因: reason } })(enterpriseName);
export const approve = authorityMove('approve the application', '/approval', {}, { part: '/approval', button: '审批通过', form: '审批' });

export const officerRejoins = (enterpriseName: string): Task =>
  task(`join the video of ${enterpriseName}'s inspection again`, {
    api: async (actor) => void (await services(actor).post(`${authorityPath(actor, enterpriseName)}/inspection/video/join`, {}, officerToken(actor))),
    page: async (actor) => BrowseTheWeb.as(actor).submit((await officerPage(actor, enterpriseName, '/inspection')).getByRole('button', { name: '重新接入', exact: true })),
  });

/** One checklist item 符合, or 不符合 with a note. */
export const recordItem = (enterpriseName: string, item: string, result: '符合' | '不符合', note?: string): Task =>
  task(`record ${item} as ${result} for ${enterpriseName}`, {
    api: async (actor) => {
      const body = { result: result === '符合' ? 'COMPLIANT' : 'NON_COMPLIANT', ...(note === undefined ? {} : { note }) };
      await services(actor).put(`${authorityPath(actor, enterpriseName)}/inspection/checklist/${checklistCode(item)}`, body, officerToken(actor));
    },
    page: async (actor) => {
      const form = (await officerPage(actor, enterpriseName, '/inspection')).getByRole('form', { name: item, exact: true });
      await form.getByLabel('结果', { exact: true }).selectOption({ label: result });
      await form.getByLabel('问题说明', { exact: true }).fill(note ?? '');
      await BrowseTheWeb.as(actor).submit(form.getByRole('button', { name: '记录', exact: true }));
    },
  });

/** Every checklist item: 符合, except those named, 不符合 with the note given. */
export const recordChecklist = (enterpriseName: string, problems: Record<string, string> = {}): Task =>
  task(
    `record the checklist of ${enterpriseName}${Object.keys(problems).length ? ` with problems ${Object.keys(problems).join(', ')}` : ' all 符合'}`,
    inAnyInterface(async (actor) => {
      for (const { label } of CHECKLIST) await actor.attemptsTo(problems[label] ? recordItem(enterpriseName, label, '不符合', problems[label]) : recordItem(enterpriseName, label, '符合'));
    }),
  );
