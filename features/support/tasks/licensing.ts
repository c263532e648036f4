// 危险化学品经营许可证 with cloud inspection (常州, F1–F7): the harness side (the register, officers,
// reminders; the tester), the enterprise on 常州通办 (web) and in the app's 云核查 (the legal
// representative), and the reviewing authority's officers.
import { createHash } from 'node:crypto';
import { CallAnApi } from '../abilities.js';
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
    page: undefined,
  });

export const seedRegister = (seed: number, enterprises: number): Question<{ enterprises: number; officers: { username: string }[] }> =>
  question(`the register seeded from ${seed} with ${enterprises} enterprises`, inAnyInterface((actor) => servicesControl(actor).post('/harness/v1/licensing/register', { seed, enterprises })));

export const logInAsOfficer = (username: string, password: string): Task =>
  task(`log in as the officer ${username}`, {
    api: async (actor) => actor.remember('officer token', (await services(actor).post('/changzhou/v1/authority/sessions', { username, password })).token),
    page: undefined,
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
    page: undefined,
  });

export const submitApplication = (enterpriseName: string): Task =>
  task(`submit the application of ${enterpriseName}`, {
    api: async (actor) => {
      const { version } = await actor.asks(applicationView(enterpriseName));
      await services(actor).post(`${prefix('WEB')}/applications/${applicationOf(actor, enterpriseName)}/submit`, { version }, actor.token);
    },
    page: undefined,
  });

/** The application as the enterprise sees it, on the web or in the app. */
export const applicationView = (enterpriseName: string, channel: Channel = 'WEB'): Question<LicenceApplicationView> =>
  question(`the application of ${enterpriseName} (${channel})`, {
    api: (actor) => services(actor).get(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}`, actor.token),
    page: undefined,
  });

export const applicationsListed = (channel: Channel): Question<{ number: string; status: Labelled }[]> =>
  question(`the applications listed (${channel})`, {
    api: (actor) => services(actor).get(`${prefix(channel)}/applications`, actor.token),
    page: undefined,
  });

// The enterprise: the appointment (F3) --------------------------------------------------------------------------

/** [确认] the proposed time; `version`: the one seen earlier (default: the page as it is now). */
export const confirmTime = (enterpriseName: string, channel: Channel, version?: number): Task =>
  task(`confirm the inspection time of ${enterpriseName} (${channel})`, {
    api: async (actor) => {
      const seen = version ?? (await actor.asks(applicationView(enterpriseName, channel))).version;
      await services(actor).post(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}/appointment/confirm`, { version: seen }, actor.token);
    },
    page: undefined,
  });

/** [更改时间] */
export const changeTime = (enterpriseName: string, channel: Channel, at: string, version?: number): Task =>
  task(`change the inspection time of ${enterpriseName} to ${at} (${channel})`, {
    api: async (actor) => {
      const seen = version ?? (await actor.asks(applicationView(enterpriseName, channel))).version;
      await services(actor).post(`${prefix(channel)}/applications/${applicationOf(actor, enterpriseName)}/appointment/change`, { version: seen, at }, actor.token);
    },
    page: undefined,
  });

// The enterprise: the inspection in the app (F5) --------------------------------------------------------------

const appInspection = (actor: Actor, enterpriseName: string) => `${prefix('APP')}/applications/${applicationOf(actor, enterpriseName)}/inspection`;

export const commitmentLetter = (enterpriseName: string): Question<{ title: string; text: string }> =>
  question(`the 承诺书 of ${enterpriseName}`, {
    api: (actor) => services(actor).get(`${appInspection(actor, enterpriseName)}/commitment`, actor.token),
    page: undefined,
  });

export const signCommitment = (enterpriseName: string, signature = image()): Task =>
  task(`sign the 承诺书 of ${enterpriseName}`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/commitment-signature`, { image: signature }, actor.token)),
    page: undefined,
  });

export const uploadHandlerPhoto = (enterpriseName: string, photo = image()): Task =>
  task(`upload the handler's photo for ${enterpriseName}`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/handler-photo`, { image: photo }, actor.token)),
    page: undefined,
  });

export const joinVideo = (enterpriseName: string): Task =>
  task(`join the video of ${enterpriseName}'s inspection`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/video/join`, {}, actor.token)),
    page: undefined,
  });

export const hangUp = (enterpriseName: string): Task =>
  task(`hang up the video of ${enterpriseName}'s inspection`, {
    api: async (actor) => void (await services(actor).post(`${appInspection(actor, enterpriseName)}/video/hang-up`, {}, actor.token)),
    page: undefined,
  });

// The enterprise: 整改 (F7) ---------------------------------------------------------------------------------------

export const signRectification = (enterpriseName: string): Task =>
  task(`sign before rectifying ${enterpriseName}'s problems`, {
    api: async (actor) => void (await services(actor).post(`${prefix('APP')}/applications/${applicationOf(actor, enterpriseName)}/rectification/signature`, { image: image() }, actor.token)),
    page: undefined,
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
    page: undefined,
  });

// The authority ------------------------------------------------------------------------------------------------

const authorityPath = (actor: Actor, enterpriseName: string) => `${AUTHORITY}/${applicationOf(actor, enterpriseName)}`;

export const authorityView = (enterpriseName: string): Question<LicenceApplicationView> =>
  question(`the application of ${enterpriseName} at the authority`, {
    api: (actor) => services(actor).get(authorityPath(actor, enterpriseName), officerToken(actor)),
    page: undefined,
  });

export const authorityList = (status?: string): Question<{ number: string; enterprise: { name: string }; status: Labelled }[]> =>
  question(`the applications addressed to the authority${status ? ` in ${status}` : ''}`, {
    api: (actor) => services(actor).get(`${AUTHORITY}${status ? `?status=${status}` : ''}`, officerToken(actor)),
    page: undefined,
  });

/** An authority's move that names the version on the officer's page. */
const authorityMove = (description: string, path: string, body: Record<string, unknown> = {}, method: 'post' | 'put' = 'post'): ((enterpriseName: string) => Task) => (enterpriseName) =>
  task(`${description} for ${enterpriseName}`, {
    api: async (actor) => {
      const { version } = await actor.asks(authorityView(enterpriseName));
      await services(actor)[method](`${authorityPath(actor, enterpriseName)}${path}`, { version, ...body }, officerToken(actor));
    },
    page: undefined,
  });

export const proposeTime = (enterpriseName: string, at: string): Task => authorityMove(`propose ${at}`, '/appointment/propose', { at })(enterpriseName);
export const confirmRequestedTime = authorityMove('confirm the time the enterprise asked for', '/appointment/confirm');
export const recordOnSite = authorityMove('record the on-site inspection', '/on-site-inspection', { inspectedOn: '2026-11-23', note: '现场核查符合要求' });
export const startInspection = authorityMove('start the cloud inspection', '/inspection/start');
export const hangUpAndConclude = authorityMove('hang up and conclude the inspection', '/inspection/hang-up');
export const endNotFinished = (enterpriseName: string, reason: string): Task => authorityMove('end the inspection as not finished', '/inspection/not-finished', { reason })(enterpriseName);
export const approve = authorityMove('approve the application', '/approval');

export const officerRejoins = (enterpriseName: string): Task =>
  task(`join the video of ${enterpriseName}'s inspection again`, {
    api: async (actor) => void (await services(actor).post(`${authorityPath(actor, enterpriseName)}/inspection/video/join`, {}, officerToken(actor))),
    page: undefined,
  });

/** One checklist item 符合, or 不符合 with a note. */
export const recordItem = (enterpriseName: string, item: string, result: '符合' | '不符合', note?: string): Task =>
  task(`record ${item} as ${result} for ${enterpriseName}`, {
    api: async (actor) => {
      const body = { result: result === '符合' ? 'COMPLIANT' : 'NON_COMPLIANT', ...(note === undefined ? {} : { note }) };
      await services(actor).put(`${authorityPath(actor, enterpriseName)}/inspection/checklist/${checklistCode(item)}`, body, officerToken(actor));
    },
    page: undefined,
  });

/** Every checklist item: 符合, except those named, 不符合 with the note given. */
export const recordChecklist = (enterpriseName: string, problems: Record<string, string> = {}): Task =>
  task(`record the checklist of ${enterpriseName}${Object.keys(problems).length ? ` with problems ${Object.keys(problems).join(', ')}` : ' all 符合'}`, {
    api: async (actor) => {
      for (const { label } of CHECKLIST) await actor.attemptsTo(problems[label] ? recordItem(enterpriseName, label, '不符合', problems[label]) : recordItem(enterpriseName, label, '符合'));
    },
    page: undefined,
  });
