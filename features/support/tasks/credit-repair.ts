// 信用修复 tasks (E1–E9): the harness side (offices, staff, listing records, calendar, case logs;
// the tester, in any interface), the applicant on 广州企业一网通 and the back office of the
// 信用监管综合系统. What a step keeps for a later one sits in the World's `credit` (typed).
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { fakeEnterprise, fakeUscc } from '../../../services/world/generate.js';
import type { Enterprise } from '../../../services/world/store.js';
import { menuLabel } from '../../../services/credit-repair/back-office-pages.js';
import { officeOf } from '../../../services/credit-repair/offices.js';
import { KINDS, MATERIAL_TYPES, type Kind } from '../../../services/credit-repair/rules.js';
import { EVENT_LABEL, STATE_LABEL, STEP_LABEL, type State } from '../../../services/credit-repair/workflow.js';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import type { Refusal } from '../client.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';
import { beRegisteredPerson, latestCode, rowsOf } from './registry.js';

const control = (actor: Actor) => CallAnApi.as(actor).control;
const servicesControl = (actor: Actor) => CallAnApi.as(actor).servicesControl;
const services = (actor: Actor) => CallAnApi.as(actor).services;

export const KIND = { 严重违法失信企业名单: 'SERIOUS', 企业经营异常名录: 'ABNORMAL', 个体工商户经营异常状态: 'INDIVIDUAL_ABNORMAL', 农专社经营异常名录: 'COOPERATIVE_ABNORMAL' } as const;
export type KindLabel = keyof typeof KIND;
export const ROLE = { 经办人: 'HANDLER', 审核人员: 'REVIEWER', 审批人员: 'APPROVER' } as const;
export type RoleLabel = keyof typeof ROLE;
export const SUBJECT_KIND = { company: 'company', 'individual business': 'individual', "farmers' cooperative": 'cooperative' } as const;

export interface Coded {
  code: string;
  label: string;
}
export interface RecordView {
  recordId: string;
  kind: Coded;
  subject: { name: string; uscc: string; registrationNo: string };
  reason: Coded;
  listedOn: string;
  decisionNo: string;
  office: { code: string; name: string };
  status: Coded;
  repairedOn: string | null;
  inCase: boolean;
}
export interface MaterialView {
  materialId: string;
  type: Coded;
  fileName: string;
  size: number;
  sha256: string;
}
export interface ApplicationView {
  caseId: string;
  version: number;
  acceptanceNo: string | null;
  state: Coded;
  subject: { name: string; uscc: string; registrationNo: string };
  records: RecordView[];
  materials: MaterialView[];
  dueOn: string | null;
}
export interface KindView {
  kind: string;
  guide: { materials: (Coded & { required: boolean })[]; timeLimit: { workingDays: number } };
}
export interface LogEntry {
  event: Coded;
  step: Coded;
  by: string;
  office: { name: string } | null;
  toOffice: { name: string } | null;
  opinion: string | null;
  reason: string | null;
}
export interface CaseView {
  caseId: string;
  acceptanceNo: string;
  version: number;
  state: Coded;
  office: { code: string; name: string };
  overdue: boolean;
  application: { subject: { name: string; uscc: string }; records: RecordView[]; materials: MaterialView[] };
  approvalForm: { entries: LogEntry[]; transfers: { from: { name: string }; to: { name: string }; reason: string; by: string }[] };
  actions: Coded[];
}
export interface TodoItem {
  caseId: string;
  acceptanceNo: string;
  subject: { name: string; uscc: string };
  state: Coded;
  kind: Coded;
  dueOn: string;
  overdue: boolean;
  overdueSince: string | null;
}
export interface PageOf<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}
export interface ProgressView {
  mobile: string;
  applications: { acceptanceNo: string; service: string; subject: { name: string }; status: Coded; refusal: { step: Coded; reason: string } | null; repairedOn: string | null }[];
}
export interface StaffView {
  name: string;
  office: { name: string };
  bureau: { name: string };
  roles: Coded[];
}
export interface MaterialFile extends MaterialView {
  content: string;
}

/** What the scenario's 信用修复 steps found out, for later steps. */
export class CreditScenario {
  /** 广州企业一网通 sessions, by actor. */
  readonly applicantTokens = new Map<string, string>();
  /** 信用监管综合系统 sessions, by actor. */
  readonly staffTokens = new Map<string, string>();
  /** The listing record of each enterprise (the latest listed). */
  readonly records = new Map<string, RecordView>();
  /** The case of each enterprise (the latest made), with the version last seen. */
  readonly cases = new Map<string, { caseId: string; acceptanceNo: string | null; version: number }>();
  /** Back-office users the scenario appointed, with their roles. */
  readonly staff = new Map<string, RoleLabel[]>();
  /** Enterprises a step made in a batch (listed together). */
  batch: string[] = [];
  /** The enterprise the applicant last logged in for (登录). */
  subject?: string;
  /** The files uploaded, by material id (API forms) or, as the pages show no id, by file name (page forms): what the back office must get back. */
  readonly uploaded = new Map<string, Buffer>();
  /** What the last look showed. */
  guide?: KindView;
  subjectRecords?: RecordView[];
  application?: ApplicationView;
  todo?: PageOf<TodoItem>;
  listing?: PageOf<RecordView>;
  openedCase?: CaseView;
  /** Who opened it. */
  openedBy?: string;
  progress?: ProgressView;
  staffView?: StaffView;
  /** Two actions at once: who succeeded, and the refusals of the others. */
  race?: { succeeded: string[]; refused: Refusal[] };
}

const credit = (actor: Actor) => actor.world.credit;

function caseOf(actor: Actor, enterpriseName: string) {
  const found = credit(actor).cases.get(enterpriseName);
  if (!found) throw new Error(`no case of ${enterpriseName} in this scenario`);
  return found;
}

function recordOf(actor: Actor, enterpriseName: string) {
  const found = credit(actor).records.get(enterpriseName);
  if (!found) throw new Error(`no listing record of ${enterpriseName} in this scenario`);
  return found;
}

// Files --------------------------------------------------------------------------------------------

export interface SampleFile {
  fileName: string;
  bytes: Buffer;
}

/** A small real file of a kind: a PDF, a JPG, a PNG, or things that are none of them. */
export function sampleFile(kind: 'pdf' | 'jpg' | 'png' | 'text' | 'program', fileName: string, size = 2048): SampleFile {
  const heads = {
    pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'),
    jpg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
    png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    text: Buffer.from('信用修复申请书\n本企业已补报年度报告。\n'),
    program: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]),
  };
  const head = heads[kind];
  return { fileName, bytes: Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]) };
}

export const REQUIRED_MATERIALS = { APPLICATION_FORM: '信用修复申请书', PLEDGE: '守信承诺书', CORRECTION_PROOF: '履行法定义务、纠正违法行为的相关材料' } as const;
export type MaterialType = keyof typeof REQUIRED_MATERIALS;
export const materialTypeOf = (label: string) => (Object.keys(REQUIRED_MATERIALS) as MaterialType[]).find((t) => REQUIRED_MATERIALS[t] === label);

// The harness --------------------------------------------------------------------------------------

/** The actor is the registered legal representative (or operator) of a market entity in 广州, in the charge of `office`. */
export const becomeLegalRepresentativeInGuangzhou = (enterpriseName: string, subjectKind: Enterprise['kind'], officeName: string): Task =>
  task(
    `become the legal representative of ${enterpriseName}, in the charge of ${officeName}`,
    inAnyInterface(async (actor) => {
      const office = officeOf(officeName);
      if (!office) throw new Error(`${officeName} is not an office of 广州`);
      const rng = actor.world.rng.child(`enterprise ${enterpriseName}`);
      const made = fakeEnterprise(rng, actor.person, { kind: subjectKind, city: '广州市' });
      const bureau = officeOf(office.bureau)!;
      const enterprise: Enterprise = { ...made, name: enterpriseName, uscc: fakeUscc(rng.child('uscc'), { region: office.bureau, category: subjectKind }), district: bureau.name, office: office.name };
      actor.world.enterprises.set(enterpriseName, enterprise);
      await actor.attemptsTo(beRegisteredPerson);
      await control(actor).post('/harness/v1/registry/enterprises', enterprise);
    }),
  );

/** 列入: the enterprise is put on a kind's list for a reason on a day, its cause cured since (or not yet). */
export const listOn = (enterpriseName: string, kind: KindLabel, reason: string, listedOn: string, options: { cured: boolean; office?: string }): Task =>
  task(
    `list ${enterpriseName} on the ${kind} on ${listedOn} for ${reason}`,
    inAnyInterface(async (actor) => {
      const record = await servicesControl(actor).post<RecordView>('/harness/v1/credit-repair/records', {
        uscc: actor.world.enterprise(enterpriseName).uscc,
        kind: KIND[kind],
        reason,
        listedOn,
        office: options.office,
        curedOn: options.cured ? '2026-11-02' : null,
      });
      credit(actor).records.set(enterpriseName, record);
    }),
  );

/** The actor becomes a back-office user of an office with these roles (more roles if they are one already). */
export const appoint = (staff: Actor, officeName: string, roles: RoleLabel[]): Task =>
  task(
    `make ${staff.name} ${roles.join('、')} of ${officeName}`,
    inAnyInterface(async (actor) => {
      await servicesControl(actor).post('/harness/v1/credit-repair/staff', { name: staff.name, mobile: staff.person.mobile, office: officeName, roles: roles.map((r) => ROLE[r]) });
      credit(actor).staff.set(staff.name, [...new Set([...(credit(actor).staff.get(staff.name) ?? []), ...roles])]);
    }),
  );

export const declareCalendarDay = (day: string, working: boolean, note: string): Task =>
  task(
    `make ${day} ${working ? 'a working day' : 'a holiday'}`,
    inAnyInterface(async (actor) => void (await servicesControl(actor).put(`/harness/v1/credit-repair/calendar/${day}`, { working, note }))),
  );

export const recordsInRegistry = (enterpriseName: string): Question<RecordView[]> =>
  question(
    `the listing records of ${enterpriseName}`,
    inAnyInterface((actor) => servicesControl(actor).get(`/harness/v1/credit-repair/records?uscc=${actor.world.enterprise(enterpriseName).uscc}`)),
  );

export const caseLog = (enterpriseName: string): Question<{ case: { state: Coded; version: number }; log: LogEntry[] }> =>
  question(
    `the log of the case of ${enterpriseName}`,
    inAnyInterface(async (actor) => {
      const { acceptanceNo } = caseOf(actor, enterpriseName);
      if (!acceptanceNo) throw new Error(`the case of ${enterpriseName} has no acceptance number`);
      return servicesControl(actor).get(`/harness/v1/credit-repair/cases/${acceptanceNo}/log`);
    }),
  );

export const seedCreditWorld = (seed: number, enterprises: number): Question<{ records: number; staff: number; offices: number }> =>
  question(
    `the 信用修复 world of ${enterprises} enterprises from seed ${seed}`,
    inAnyInterface((actor) => servicesControl(actor).post('/harness/v1/credit-repair/world', { seed, enterprises })),
  );

// 广州企业一网通 -----------------------------------------------------------------------------------

const applicantToken = (actor: Actor) => {
  const token = credit(actor).applicantTokens.get(actor.name);
  if (!token) throw new Error(`${actor.name} has not logged in to 广州企业一网通`);
  return token;
};

/** 广州企业一网通's session cookie: what a page login leaves in the browser (services/credit-repair/applicant-pages.ts). */
const GZQY_SESSION = 'gzqy-session';
/** What a page shows for a value it does not have. */
const NONE_SHOWN = '—';
const shownOrNull = (text: string) => (text === NONE_SHOWN ? null : text);
/** A label the pages show, with the code it stands for. */
const coded = (labels: Record<string, string>, label: string): Coded => ({ code: Object.entries(labels).find(([, l]) => l === label)?.[0] ?? label, label });
const stateShown = (label: string) => coded(STATE_LABEL, label);
const LISTED_LABELS = new Set(Object.values(KINDS).map((k) => k.listedLabel));

/** Page forms: 首页 → [更多业务] → 信用修复 → the kind's tile (and its business, where the tile leads to two) → 办事指南. */
async function guidePage(actor: Actor, kind: KindLabel): Promise<Page> {
  const browsing = BrowseTheWeb.as(actor);
  const rules = KINDS[KIND[kind]];
  const page = await browsing.open('services', '/gzqy/');
  await browsing.follow(page.getByRole('link', { name: '更多业务', exact: true }));
  await browsing.follow(page.getByRole('link', { name: '信用修复', exact: true }));
  await browsing.follow(page.getByRole('link', { name: rules.entry, exact: true }));
  if (rules.entry !== rules.service) await browsing.follow(page.getByRole('link', { name: rules.service, exact: true }));
  return page;
}

/**
 * A listing record as the pages show it (a card named by its 列入决定书文号). The pages show no
 * record id: it is the id of the record the scenario listed under that number; the subject's
 * code and the office's are not shown either.
 */
async function recordShown(actor: Actor, card: Locator, kind: Coded, subjectName: string): Promise<RecordView> {
  const decisionNo = await factOf(card, '列入决定书文号');
  const listed = [...credit(actor).records.values()].find((r) => r.decisionNo === decisionNo);
  const status = await factOf(card, '状态');
  const repairedOn = (await card.getByRole('rowheader', { name: '移出日期', exact: true }).count()) ? await factOf(card, '移出日期') : null;
  return {
    recordId: listed?.recordId ?? '',
    kind,
    subject: { name: subjectName, uscc: listed?.subject.uscc ?? '', registrationNo: listed?.subject.registrationNo ?? '' },
    reason: { code: listed?.reason.code ?? '', label: await factOf(card, '列入原因') },
    listedOn: await factOf(card, '列入日期'),
    decisionNo,
    office: { code: listed?.office.code ?? '', name: await factOf(card, '列入机关') },
    status: { code: LISTED_LABELS.has(status) ? 'LISTED' : 'REPAIRED', label: status },
    repairedOn,
    inCase: (await card.getByRole('rowheader', { name: '办理中受理编号', exact: true }).count()) > 0,
  };
}

const recordCards = (page: Page) => page.getByRole('list', { name: /^(列严信息|列异信息)$/ }).getByRole('listitem');

/** Page forms: the records of the subject logged in for (选择列入信息). */
async function recordsShown(actor: Actor, page: Page): Promise<RecordView[]> {
  const subject = page.getByRole('region', { name: '主体信息' });
  const service = await factOf(subject, '业务名称');
  const kind = (Object.keys(KIND) as KindLabel[]).find((k) => KINDS[KIND[k]].service === service)!;
  const name = await factOf(subject, '主体名称');
  const records = [];
  for (const card of await recordCards(page).all()) records.push(await recordShown(actor, card, { code: KIND[kind], label: kind }, name));
  return records;
}

/** Page forms: the application as its page shows it (its id in the page's address). */
async function applicationShown(actor: Actor, page: Page): Promise<ApplicationView> {
  const caseId = /\/applications\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  if (!caseId) throw new Error(`${actor.name} is not on an application's page (${page.url()})`);
  const subject = page.getByRole('region', { name: '主体信息' });
  const service = await factOf(subject, '业务名称');
  const kind = (Object.keys(KIND) as KindLabel[]).find((k) => KINDS[KIND[k]].service === service)!;
  const name = await factOf(subject, '主体名称');
  const records = [];
  for (const card of await recordCards(page).all()) records.push(await recordShown(actor, card, { code: KIND[kind], label: kind }, name));
  const known = [...credit(actor).cases.values()].find((c) => c.caseId === caseId);
  return {
    caseId,
    version: known?.version ?? 0,
    acceptanceNo: shownOrNull(await factOf(subject, '受理编号')),
    state: stateShown(await factOf(subject, '申请状态')),
    subject: { name, uscc: await factOf(subject, '统一社会信用代码'), registrationNo: await factOf(subject, '注册号') },
    records,
    materials: (await rowsOf(page, '已上传文件')).map(([type, fileName, size]) => ({
      materialId: '',
      type: coded(MATERIAL_TYPES, type!),
      fileName: fileName!,
      size: Number.parseInt(size!, 10) * 1024,
      sha256: '',
    })),
    dueOn: null,
  };
}

/** Page forms: an application made in this scenario, opened by its address (where its SMS and 进度查询 lead). */
async function applicationPage(actor: Actor, enterpriseName: string): Promise<Page> {
  return BrowseTheWeb.as(actor).open('services', `/gzqy/credit-repair/applications/${caseOf(actor, enterpriseName).caseId}`);
}

/** Mobile + SMS code. */
export const logInToGzqy: Task = task('log in to 广州企业一网通', {
  api: async (actor) => {
    await services(actor).post('/gzqy/v1/sms-codes', { mobile: actor.person.mobile });
    const code = await actor.asks(latestCode);
    const { token } = await services(actor).post<{ token: string }>('/gzqy/v1/sessions', { mobile: actor.person.mobile, code });
    credit(actor).applicantTokens.set(actor.name, token);
  },
  page: async (actor) => {
    const browsing = BrowseTheWeb.as(actor);
    const page = await browsing.open('services', '/gzqy/login');
    await page.getByLabel('手机号码', { exact: true }).fill(actor.person.mobile);
    await browsing.submit(page.getByRole('button', { name: '获取验证码' }));
    const code = await actor.asks(latestCode);
    await page.getByLabel('验证码', { exact: true }).fill(code);
    await browsing.submit(page.getByRole('button', { name: '登录', exact: true }));
    const token = await browsing.cookie('services', '/gzqy/', GZQY_SESSION);
    if (!token) throw new Error(`${actor.name} logged in to 广州企业一网通 but no session cookie was kept`);
    credit(actor).applicantTokens.set(actor.name, token);
  },
});

const loggedInToGzqy = async (actor: Actor) => {
  if (!credit(actor).applicantTokens.has(actor.name)) await actor.attemptsTo(logInToGzqy);
};

export const guideOf = (kind: KindLabel): Question<KindView> =>
  question(`the 办事指南 of ${kind}`, {
    api: async (actor) => {
      const kinds = await services(actor).get<KindView[]>('/gzqy/v1/credit-repair/kinds');
      return kinds.find((k) => k.kind === KIND[kind])!;
    },
    page: async (actor) => {
      const guide = (await guidePage(actor, kind)).getByRole('region', { name: '办事指南' });
      const materials = (await rowsOf(guide, '申请材料')).map(([label, required]) => ({ ...coded(MATERIAL_TYPES, label!), required: required === '必需' }));
      const timeLimit = await factOf(guide, '办理时限');
      const days = /(\d+)个工作日/.exec(timeLimit)?.[1];
      if (!days) throw new Error(`the 办事指南 of ${kind} shows no time limit in working days: ${timeLimit}`);
      return { kind: KIND[kind], guide: { materials, timeLimit: { workingDays: Number(days) } } };
    },
  });

export type SubjectAs = { as: 'mine' } | { as: 'other'; by: 'uscc' | 'registrationNo'; legalRep: 'registered' | 'self' };

/** The 其他 subject's code and legal representative, as the actor types them in. */
async function otherSubject(actor: Actor, enterpriseName: string, subject: { by: 'uscc' | 'registrationNo'; legalRep: 'registered' | 'self' }) {
  const enterprise = actor.world.enterprise(enterpriseName);
  const code = subject.by === 'uscc' ? enterprise.uscc : (await actor.world.tester.asks(recordsInRegistry(enterpriseName)))[0]!.subject.registrationNo;
  const [legalRepName, idNumber] = subject.legalRep === 'registered' ? [enterprise.legalRepName, enterprise.legalRepIdNumber] : [actor.name, actor.person.idNumber];
  return { code, legalRepName, idNumber };
}

/** Tick 已阅读, choose the subject (one of mine from the list, or 其他 typed in), [登录]. */
export const logInForSubject = (kind: KindLabel, enterpriseName: string, subject: SubjectAs = { as: 'mine' }): Task =>
  task(`log in for ${enterpriseName} (${subject.as}) to repair its ${kind}`, {
    api: async (actor) => {
      const enterprise = actor.world.enterprise(enterpriseName);
      let body: unknown;
      if (subject.as === 'mine') {
        const mine = await services(actor).get<{ uscc: string; name: string }[]>(`/gzqy/v1/credit-repair/my-subjects?kind=${KIND[kind]}`, applicantToken(actor));
        const chosen = mine.find((s) => s.name === enterpriseName);
        body = { kind: KIND[kind], readGuide: true, subject: { choice: 'MINE', uscc: chosen?.uscc ?? enterprise.uscc } };
      } else {
        body = { kind: KIND[kind], readGuide: true, subject: { choice: 'OTHER', ...(await otherSubject(actor, enterpriseName, subject)) } };
      }
      const answer = await services(actor).post<{ records: RecordView[] }>('/gzqy/v1/credit-repair/subject-login', body, applicantToken(actor));
      credit(actor).subjectRecords = answer.records;
      credit(actor).subject = enterpriseName;
    },
    // One of mine is chosen from 名下主体; one the list does not offer (of another kind of market
    // entity) is typed in as 其他, with its registered legal representative — the actor.
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await guidePage(actor, kind);
      await page.getByRole('checkbox', { name: '已阅读' }).check();
      await browsing.submit(page.getByRole('button', { name: '立即申请' }));
      const mine = page.getByRole('form', { name: '名下主体' });
      if (subject.as === 'mine' && (await mine.getByRole('option', { name: enterpriseName, exact: true }).count())) {
        await mine.getByLabel('办理主体', { exact: true }).selectOption({ label: enterpriseName });
        await browsing.submit(mine.getByRole('button', { name: '登录' }));
      } else {
        const typed = await otherSubject(actor, enterpriseName, subject.as === 'other' ? subject : { by: 'uscc', legalRep: 'registered' });
        const other = page.getByRole('form', { name: '其他主体' });
        await other.getByLabel('注册号/统一社会信用代码', { exact: true }).fill(typed.code);
        await other.getByLabel('法定代表人', { exact: true }).fill(typed.legalRepName);
        await other.getByLabel('身份证号码', { exact: true }).fill(typed.idNumber);
        await browsing.submit(other.getByRole('button', { name: '登录' }));
      }
      credit(actor).subjectRecords = await recordsShown(actor, page);
      credit(actor).subject = enterpriseName;
    },
  });

export const subjectRecords: Question<RecordView[]> = question('the listing records of the subject logged in for', {
  api: (actor) => services(actor).get('/gzqy/v1/credit-repair/subject/records', applicantToken(actor)),
  page: async (actor) => recordsShown(actor, await BrowseTheWeb.as(actor).open('services', '/gzqy/credit-repair/records')),
});

/** Pick the records (all listed ones of the subject when none are named) → [移出申请]. */
export const chooseRemoval = (enterpriseName: string, recordIds?: string[]): Task =>
  task(`choose 移出申请 for ${enterpriseName}`, {
    api: async (actor) => {
      const picked = recordIds ?? (await actor.asks(subjectRecords)).filter((r) => r.status.code === 'LISTED').map((r) => r.recordId);
      const application = await services(actor).post<ApplicationView>('/gzqy/v1/credit-repair/applications', { recordIds: picked }, applicantToken(actor));
      credit(actor).application = application;
      credit(actor).cases.set(enterpriseName, { caseId: application.caseId, acceptanceNo: null, version: application.version });
    },
    // A record named is found by its 列入决定书文号 (the card's name).
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await browsing.open('services', '/gzqy/credit-repair/records');
      const named = recordIds?.map((id) => [...credit(actor).records.values()].find((r) => r.recordId === id)?.decisionNo ?? id);
      if (named) {
        for (const decisionNo of named) await recordCards(page).filter({ has: page.getByRole('cell', { name: decisionNo, exact: true }) }).getByRole('checkbox', { name: '选择' }).check();
      } else {
        for (const box of await page.getByRole('checkbox', { name: '选择' }).all()) await box.check();
      }
      await browsing.submit(page.getByRole('button', { name: '移出申请' }));
      const application = await applicationShown(actor, page);
      credit(actor).application = application;
      credit(actor).cases.set(enterpriseName, { caseId: application.caseId, acceptanceNo: null, version: application.version });
    },
  });

export const applicationOf = (enterpriseName: string): Question<ApplicationView> =>
  question(`the application of ${enterpriseName}`, {
    api: (actor) => services(actor).get(`/gzqy/v1/credit-repair/applications/${caseOf(actor, enterpriseName).caseId}`, applicantToken(actor)),
    page: async (actor) => applicationShown(actor, await applicationPage(actor, enterpriseName)),
  });

/** The type a browser gives a file it uploads, by its name (the services recognise a file by its content). */
const mimeTypeOf = (fileName: string) =>
  ({ pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', txt: 'text/plain' })[/\.(\w+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ''] ?? 'application/octet-stream';

export const uploadMaterial = (enterpriseName: string, materialType: string, file: SampleFile): Task =>
  task(`upload ${file.fileName} as the ${materialType} of ${enterpriseName}'s application`, {
    api: async (actor) => {
      const { caseId } = caseOf(actor, enterpriseName);
      const material = await services(actor).post<MaterialView>(
        `/gzqy/v1/credit-repair/applications/${caseId}/materials`,
        { materialType, fileName: file.fileName, content: file.bytes.toString('base64') },
        applicantToken(actor),
      );
      credit(actor).uploaded.set(material.materialId, file.bytes);
    },
    // 上传材料: the material's type, the file chosen in the labelled file input, [上传].
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const upload = (await applicationPage(actor, enterpriseName)).getByRole('form', { name: '上传材料' });
      await upload.getByLabel('材料类型', { exact: true }).selectOption({ label: MATERIAL_TYPES[materialType as keyof typeof MATERIAL_TYPES] ?? materialType });
      await upload.getByLabel('选择文件', { exact: true }).setInputFiles({ name: file.fileName, mimeType: mimeTypeOf(file.fileName), buffer: file.bytes });
      await browsing.submit(upload.getByRole('button', { name: '上传' }));
      credit(actor).uploaded.set(file.fileName, file.bytes);
    },
  });

/** The three required materials: a PDF application form and pledge, a JPG proof. */
export const uploadRequiredMaterials = (enterpriseName: string): Task =>
  task(
    `upload the required materials of ${enterpriseName}'s application`,
    inAnyInterface((actor) =>
      actor.attemptsTo(
        uploadMaterial(enterpriseName, 'APPLICATION_FORM', sampleFile('pdf', '信用修复申请书.pdf', 12_000)),
        uploadMaterial(enterpriseName, 'PLEDGE', sampleFile('pdf', '守信承诺书.pdf', 6_000)),
        uploadMaterial(enterpriseName, 'CORRECTION_PROOF', sampleFile('jpg', '年度报告公示截图.jpg', 16_000)),
      ),
    ),
  );

/** [提交] at the version the application was last seen at: the acceptance number comes back. */
export const submitApplication = (enterpriseName: string): Task =>
  task(`submit the application of ${enterpriseName}`, {
    api: async (actor) => {
      const kase = caseOf(actor, enterpriseName);
      const application = await services(actor).post<ApplicationView>(`/gzqy/v1/credit-repair/applications/${kase.caseId}/submission`, { version: kase.version }, applicantToken(actor));
      credit(actor).application = application;
      credit(actor).cases.set(enterpriseName, { caseId: application.caseId, acceptanceNo: application.acceptanceNo, version: application.version });
    },
    // The application checked once more, [提交] → 申请提交成功: 受理编号, 申请状态, 办理期限.
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await applicationPage(actor, enterpriseName);
      const application = await applicationShown(actor, page);
      await browsing.submit(page.getByRole('button', { name: '提交', exact: true }));
      const done = page.getByRole('region', { name: '申请提交成功' });
      const submitted = {
        ...application,
        acceptanceNo: await factOf(done, '受理编号'),
        state: stateShown(await factOf(done, '申请状态')),
        dueOn: shownOrNull(await factOf(done, '办理期限')),
      };
      credit(actor).application = submitted;
      credit(actor).cases.set(enterpriseName, { caseId: submitted.caseId, acceptanceNo: submitted.acceptanceNo, version: submitted.version });
    },
  });

/** The whole mobile flow for a subject: log in, 登录 for it, pick every listed record, 移出申请, the materials, 提交. */
export const applyForRemoval = (kind: KindLabel, enterpriseName: string, subject: SubjectAs = { as: 'mine' }): Task =>
  task(
    `apply to remove ${enterpriseName} from the ${kind}`,
    inAnyInterface(async (actor) => {
      await loggedInToGzqy(actor);
      await actor.attemptsTo(logInForSubject(kind, enterpriseName, subject), chooseRemoval(enterpriseName), uploadRequiredMaterials(enterpriseName), submitApplication(enterpriseName));
    }),
  );

/** Page forms: 信用修复 → [进度查询]. */
async function progressPage(actor: Actor): Promise<Page> {
  const browsing = BrowseTheWeb.as(actor);
  const page = await browsing.open('services', '/gzqy/credit-repair');
  await browsing.follow(page.getByRole('link', { name: '进度查询', exact: true }));
  return page;
}

export const askForProgressCode = (mobile: string): Task =>
  task(`ask for a 进度查询 code for ${mobile}`, {
    api: async (actor) => void (await services(actor).post('/gzqy/v1/credit-repair/progress-codes', { mobile }, applicantToken(actor))),
    page: async (actor) => {
      const other = (await progressPage(actor)).getByRole('form', { name: '其他手机号码' });
      await other.getByLabel('手机号码', { exact: true }).fill(mobile);
      await BrowseTheWeb.as(actor).submit(other.getByRole('button', { name: '获取验证码' }));
    },
  });

/** 进度查询: the mobile logged in (confirmed), or another one with the code sent to it. */
export const progressOf = (other?: { mobile: string; code?: string }): Question<ProgressView> =>
  question(`the progress of ${other?.mobile ?? 'the mobile logged in'}`, {
    api: (actor) => services(actor).post('/gzqy/v1/credit-repair/progress-queries', other ?? {}, applicantToken(actor)),
    // [确认] the mobile the page shows, or another mobile and its code → [查询]: the applications found.
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await progressPage(actor);
      if (other) {
        const form = page.getByRole('form', { name: '其他手机号码' });
        await form.getByLabel('手机号码', { exact: true }).fill(other.mobile);
        if (other.code) await form.getByLabel('验证码', { exact: true }).fill(other.code);
        await browsing.submit(form.getByRole('button', { name: '查询' }));
      } else {
        await browsing.submit(page.getByRole('form', { name: '当前登录手机号码' }).getByRole('button', { name: '确认' }));
      }
      const found = page.getByRole('region', { name: '办理进度' });
      const applications = [];
      for (const card of await found.getByRole('list', { name: '办理进度' }).getByRole('listitem').all()) {
        const refused = (await card.getByRole('rowheader', { name: '不予修复原因', exact: true }).count()) > 0;
        const repairedOn = (await card.getByRole('rowheader', { name: '修复日期', exact: true }).count()) ? await factOf(card, '修复日期') : null;
        applications.push({
          acceptanceNo: await factOf(card, '受理编号'),
          service: await factOf(card, '业务类型'),
          subject: { name: await factOf(card, '主体名称') },
          status: stateShown(await factOf(card, '办理状态')),
          refusal: refused ? { step: coded(STEP_LABEL, await factOf(card, '不予修复环节')), reason: await factOf(card, '不予修复原因') } : null,
          repairedOn,
        });
      }
      return { mobile: await factOf(found, '查询手机号码'), applications };
    },
  });

// 信用监管综合系统 -----------------------------------------------------------------------------------
// Page forms: the back office's screens (services/credit-repair/back-office-pages.ts), a desktop
// with the menu; what a screen shows is read back by its labels into the API's shapes, the ids of
// records and materials from what the scenario listed and the links the screens give.

/** The back office's session cookie: what a page login leaves in the browser. */
const STAFF_SESSION = 'gzxyjg-session';
/** The back office is a desktop's: its pages open in a tab of their own at a desktop's size. */
const BACK_OFFICE_TAB = { name: 'back-office', device: 'desktop' } as const;
const backOfficePage = (actor: Actor, path: string) => BrowseTheWeb.as(actor).open('services', path, BACK_OFFICE_TAB);
const kindOfService = (service: string) => (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k].service === service);

export const askForStaffCode: Task = task('ask the 信用监管综合系统 for a login code', {
  api: async (actor) => void (await services(actor).post('/gzxyjg/v1/sms-codes', { mobile: actor.person.mobile })),
  page: async (actor) => {
    const page = await backOfficePage(actor, '/gzxyjg/');
    await page.getByLabel('手机号码', { exact: true }).fill(actor.person.mobile);
    await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '获取验证码' }));
  },
});

/** 首页: the user logged in, their office in its bureau, their roles. */
async function staffOnHome(page: Page): Promise<StaffView> {
  const user = page.getByRole('table', { name: '当前用户' });
  const roles = (await factOf(user, '角色')).split('、');
  return {
    name: await factOf(user, '姓名'),
    office: { name: await factOf(user, '所属单位') },
    bureau: { name: await factOf(user, '所属区局') },
    roles: roles.map((label) => ({ code: ROLE[label as RoleLabel] ?? label, label })),
  };
}

export const logInToBackOffice = (code: string): Task =>
  task(`log in to the 信用监管综合系统 with the code ${code}`, {
    api: async (actor) => {
      const { token, user } = await services(actor).post<{ token: string; user: StaffView }>('/gzxyjg/v1/sessions', { mobile: actor.person.mobile, code });
      credit(actor).staffTokens.set(actor.name, token);
      credit(actor).staffView = user;
    },
    page: async (actor) => {
      const browsing = BrowseTheWeb.as(actor);
      const page = await backOfficePage(actor, '/gzxyjg/');
      await page.getByLabel('手机号码', { exact: true }).fill(actor.person.mobile);
      await page.getByLabel('验证码', { exact: true }).fill(code);
      await browsing.submit(page.getByRole('button', { name: '登录', exact: true }));
      credit(actor).staffTokens.set(actor.name, (await browsing.cookie('services', '/gzxyjg/', STAFF_SESSION))!);
      credit(actor).staffView = await staffOnHome(page);
    },
  });

/** The back-office session, logging in with mobile and SMS code first when there is none. */
async function staffToken(actor: Actor) {
  if (!credit(actor).staffTokens.has(actor.name)) {
    await actor.attemptsTo(askForStaffCode);
    await actor.attemptsTo(logInToBackOffice(await actor.asks(latestCode)));
  }
  return credit(actor).staffTokens.get(actor.name)!;
}

export const backOfficeUser: Question<StaffView> = question('the back-office user logged in', {
  api: async (actor) => services(actor).get('/gzxyjg/v1/me', await staffToken(actor)),
  page: async (actor) => {
    await staffToken(actor);
    return staffOnHome(await backOfficePage(actor, '/gzxyjg/home'));
  },
});

export interface TodoSearch {
  acceptanceNo?: string;
  name?: string;
  kind?: string;
  status?: string;
  code?: string;
  page?: number;
  pageSize?: number;
}
const queryOf = (search: object) => new URLSearchParams(Object.entries(search).map(([k, v]) => [k, String(v)])).toString();

/** The rows of a table named `caption` (the header row and an empty table's one cell left out). */
async function tableRows(page: Page, caption: string): Promise<{ cells: string[]; row: Locator }[]> {
  const rows = (await page.getByRole('table', { name: caption, exact: true }).getByRole('row').all()).slice(1);
  const read = await Promise.all(rows.map(async (row) => ({ cells: (await row.getByRole('cell').allTextContents()).map((c) => c.trim()), row })));
  return read.filter((r) => r.cells.length > 1);
}

/** 共 N 条 of a list's paging. */
async function totalOf(page: Page) {
  const text = (await page.getByRole('navigation', { name: '分页' }).textContent()) ?? '';
  return Number(/共 (\d+) 条/.exec(text)?.[1] ?? NaN);
}

/** Fills a search form (role="search") by its labels and runs it ([查询]), then follows 下一页 to the page asked for. */
async function search(actor: Actor, page: Page, name: string, fields: Record<string, string | undefined>, choices: Record<string, string | undefined>, pageNo = 1) {
  const browsing = BrowseTheWeb.as(actor);
  const form = page.getByRole('search', { name });
  for (const [label, value] of Object.entries(fields)) if (value !== undefined) await form.getByLabel(label, { exact: true }).fill(value);
  for (const [label, value] of Object.entries(choices)) if (value !== undefined) await form.getByLabel(label, { exact: true }).selectOption({ label: value });
  await browsing.submit(form.getByRole('button', { name: '查询' }));
  for (let at = 1; at < pageNo; at++) await browsing.follow(page.getByRole('navigation', { name: '分页' }).getByRole('link', { name: '下一页' }));
}

const idInLink = async (row: Locator, name: string) => (await row.getByRole('link', { name }).getAttribute('href'))!.split('/').at(-1)!;

export const todoList = (query: TodoSearch = {}): Question<PageOf<TodoItem>> =>
  question(`my to-do list ${JSON.stringify(query)}`, {
    api: async (actor) => services(actor).get(`/gzxyjg/v1/credit-repair/todo?${queryOf(query)}`, await staffToken(actor)),
    page: async (actor) => {
      await staffToken(actor);
      const page = await backOfficePage(actor, '/gzxyjg/todo');
      await search(
        actor,
        page,
        '查询待办',
        { 受理编号: query.acceptanceNo, 名称: query.name, '统一社会信用代码/注册号': query.code, 每页条数: query.pageSize?.toString() },
        { 业务类型: query.kind && KINDS[query.kind as Kind].service, 业务状态: query.status && STATE_LABEL[query.status as State] },
        query.page,
      );
      const items = await Promise.all(
        (await tableRows(page, '待办列表')).map(async ({ cells: [acceptanceNo, name, uscc, service, state, , , dueOn, overdue], row }) => {
          const kind = kindOfService(service!)!;
          return {
            caseId: await idInLink(row, '办理'),
            acceptanceNo: acceptanceNo!,
            subject: { name: name!, uscc: uscc! },
            state: coded(STATE_LABEL, state!),
            kind: { code: kind, label: KINDS[kind].label },
            dueOn: dueOn!,
            overdue: overdue!.startsWith('已超期'),
            overdueSince: /（(\d{4}-\d{2}-\d{2})起）/.exec(overdue!)?.[1] ?? null,
          };
        }),
      );
      return { total: await totalOf(page), page: query.page ?? 1, pageSize: query.pageSize ?? 10, items };
    },
  });

/** 信用修复 → the kind's entry of the menu: the office's listing records. */
async function listingOf(actor: Actor, kind: Kind) {
  await staffToken(actor);
  const page = await backOfficePage(actor, '/gzxyjg/home');
  await BrowseTheWeb.as(actor).follow(page.getByRole('navigation', { name: '菜单' }).getByRole('link', { name: menuLabel(kind), exact: true }));
  return page;
}

/** A record as the listing shows it; its id is the one of the record the scenario listed with its 列入决定书文号. */
function recordInListing(actor: Actor, kind: Kind, [name, uscc, registrationNo, reason, listedOn, decisionNo, office, status, action]: string[]): RecordView {
  const known = [...credit(actor).records.values()].find((r) => r.decisionNo === decisionNo);
  const rules = KINDS[kind];
  return {
    recordId: known?.recordId ?? '',
    kind: { code: kind, label: rules.label },
    subject: { name: name!, uscc: uscc!, registrationNo: registrationNo! },
    reason: { code: rules.reasons.find((r) => r.label === reason)?.code ?? reason!, label: reason! },
    listedOn: listedOn!,
    decisionNo: decisionNo!,
    office: { code: officeOf(office!)?.code ?? office!, name: office! },
    status: { code: status === rules.listedLabel ? 'LISTED' : 'REPAIRED', label: status! },
    repairedOn: null,
    inCase: action!.startsWith('办理中'),
  };
}

export const officeRecords = (kind: KindLabel, query: Record<string, string | number> = {}): Question<PageOf<RecordView>> =>
  question(`the ${kind} records of my office ${JSON.stringify(query)}`, {
    api: async (actor) => services(actor).get(`/gzxyjg/v1/credit-repair/records?${queryOf({ kind: KIND[kind], ...query })}`, await staffToken(actor)),
    page: async (actor) => {
      const code = KIND[kind];
      const rules = KINDS[code];
      const page = await listingOf(actor, code);
      const text = (key: string) => (query[key] === undefined ? undefined : String(query[key]));
      await search(
        actor,
        page,
        '查询列入信息',
        { '统一社会信用代码/注册号': text('code'), 名称: text('name'), '列入日期（起）': text('listedFrom'), '列入日期（止）': text('listedTo'), 每页条数: text('pageSize') },
        { 列入原因: query.reason === undefined ? undefined : rules.reasons.find((r) => r.code === query.reason)?.label },
        Number(query.page ?? 1),
      );
      const items = (await tableRows(page, `${rules.label}列入信息`)).map(({ cells }) => recordInListing(actor, code, cells));
      return { total: await totalOf(page), page: Number(query.page ?? 1), pageSize: Number(query.pageSize ?? 10), items };
    },
  });

/** The case's two tabs as they show it, from 信用修复申请信息 through [确定] to 信用修复审批表 (where the page is left). */
async function caseShown(actor: Actor, page: Page, enterpriseName: string | undefined): Promise<CaseView> {
  const caseId = new URL(page.url()).pathname.split('/').at(-1)!;
  const about = page.getByRole('table', { name: '业务信息' });
  const subject = page.getByRole('table', { name: '主体信息' });
  const service = await factOf(about, '业务类型');
  const kind = kindOfService(service);
  if (!kind) throw new Error(`the case shows the business ${service}, which is none of the four kinds'`);
  const records = (await tableRows(page, '列入信息')).map(({ cells: [, reason, listedOn, decisionNo, office, status] }) => {
    const known = [...credit(actor).records.values()].find((r) => r.decisionNo === decisionNo);
    return known ? { ...known, status: { code: known.status.code, label: status! } } : recordInListing(actor, kind, ['', '', '', reason!, listedOn!, decisionNo!, office!, status!, '']);
  });
  const materials = await Promise.all(
    (await tableRows(page, '申请材料')).map(async ({ cells: [type, fileName, size], row }) => ({
      materialId: await idInLink(row, `查看 ${fileName}`),
      type: { code: materialTypeOf(type!) ?? type!, label: type! },
      fileName: fileName!,
      size: Number.parseInt(size!, 10),
      sha256: '',
    })),
  );
  const officeName = await factOf(about, '办理单位');
  const shown = {
    caseId,
    acceptanceNo: await factOf(about, '受理编号'),
    state: coded(STATE_LABEL, await factOf(about, '业务状态')),
    office: { code: officeOf(officeName)?.code ?? officeName, name: officeName },
    overdue: (await factOf(about, '是否超期')) === '已超期',
    application: { subject: { name: await factOf(subject, '名称'), uscc: await factOf(subject, '统一社会信用代码') }, records, materials },
  };
  await BrowseTheWeb.as(actor).follow(page.getByRole('link', { name: '确定', exact: true }));
  const entries = (await tableRows(page, '信用修复审批表')).map(({ cells: [step, event, by, office, toOffice, opinion, reason] }) => ({
    step: coded(STEP_LABEL, step!),
    event: coded(EVENT_LABEL, event!),
    by: by!,
    office: office === NONE_SHOWN ? null : { name: office! },
    toOffice: toOffice === NONE_SHOWN ? null : { name: toOffice! },
    opinion: shownOrNull(opinion!),
    reason: shownOrNull(reason!),
  }));
  const transfers = (await tableRows(page, '转办记录')).map(({ cells: [from, to, by, reason] }) => ({ from: { name: from! }, to: { name: to! }, by: by!, reason: reason! }));
  const version = enterpriseName ? (credit(actor).cases.get(enterpriseName)?.version ?? 0) : 0;
  return { ...shown, version, approvalForm: { entries, transfers }, actions: [] };
}

/** [办理] on the record of an enterprise: a case opened by the office. */
export const openCaseFor = (enterpriseName: string): Task =>
  task(`choose 办理 on the record of ${enterpriseName}`, {
    api: async (actor) => {
      const opened = await services(actor).post<CaseView>(`/gzxyjg/v1/credit-repair/records/${recordOf(actor, enterpriseName).recordId}/cases`, {}, await staffToken(actor));
      credit(actor).openedCase = opened;
      credit(actor).openedBy = actor.name;
      credit(actor).cases.set(enterpriseName, { caseId: opened.caseId, acceptanceNo: opened.acceptanceNo, version: opened.version });
    },
    page: async (actor) => {
      const record = recordOf(actor, enterpriseName);
      const page = await listingOf(actor, record.kind.code as Kind);
      await search(actor, page, '查询列入信息', { '统一社会信用代码/注册号': record.subject.uscc }, {});
      const row = page.getByRole('table', { name: `${KINDS[record.kind.code as Kind].label}列入信息`, exact: true }).getByRole('row').filter({ hasText: record.decisionNo });
      await BrowseTheWeb.as(actor).submit(row.getByRole('button', { name: '办理' }));
      const opened = await caseShown(actor, page, undefined);
      credit(actor).openedCase = opened;
      credit(actor).openedBy = actor.name;
      credit(actor).cases.set(enterpriseName, { caseId: opened.caseId, acceptanceNo: opened.acceptanceNo, version: opened.version });
    },
  });

/** The case opened from the to-do list: its two tabs; its version is what the user's next step sends. */
export const caseOfEnterprise = (enterpriseName: string): Question<CaseView> =>
  question(`the case of ${enterpriseName}`, {
    api: async (actor) => {
      const kase = caseOf(actor, enterpriseName);
      const view = await services(actor).get<CaseView>(`/gzxyjg/v1/credit-repair/cases/${kase.caseId}`, await staffToken(actor));
      credit(actor).cases.set(enterpriseName, { ...kase, acceptanceNo: view.acceptanceNo, version: view.version });
      return view;
    },
    page: async (actor) => {
      const kase = caseOf(actor, enterpriseName);
      await staffToken(actor);
      const view = await caseShown(actor, await backOfficePage(actor, `/gzxyjg/cases/${kase.caseId}`), enterpriseName);
      credit(actor).cases.set(enterpriseName, { ...kase, acceptanceNo: view.acceptanceNo });
      return view;
    },
  });

export const materialFile = (enterpriseName: string, materialId: string): Question<MaterialFile> =>
  question(`the material ${materialId} of ${enterpriseName}`, {
    api: async (actor) => services(actor).get(`/gzxyjg/v1/credit-repair/cases/${caseOf(actor, enterpriseName).caseId}/materials/${materialId}`, await staffToken(actor)),
    page: async (actor) => {
      await staffToken(actor);
      const page = await backOfficePage(actor, `/gzxyjg/cases/${caseOf(actor, enterpriseName).caseId}/materials/${materialId}`);
      const shown = page.getByRole('table', { name: '申请材料' });
      const type = await factOf(shown, '材料类型');
      const href = (await page.getByRole('link', { name: '下载' }).getAttribute('href')) ?? '';
      return {
        materialId,
        type: { code: materialTypeOf(type) ?? type, label: type },
        fileName: await factOf(shown, '文件名'),
        size: Number.parseInt(await factOf(shown, '大小'), 10),
        sha256: await factOf(shown, 'SHA-256'),
        content: href.slice(href.indexOf(',') + 1),
      };
    },
  });

export type Step =
  | { event: 'acceptance'; opinion: string }
  | { event: 'review'; opinion: string }
  | { event: 'approval'; opinion: string }
  | { event: 'refusal'; reason: string }
  | { event: 'transfer'; toOffice: string; reason: string };

/** The form of each step on 信用修复审批表, by its name. */
const STEP_FORM = { acceptance: '经办意见', review: '审核意见', approval: '审批意见', transfer: '转办', refusal: '不予通过' } as const;

/**
 * Page forms: the form of a step on 信用修复审批表, filled by its labels and submitted. The tab
 * offers only the steps the user may take; another is tried at its own page's address, which
 * shows why it is refused.
 */
async function stepOnPage(actor: Actor, page: Page, caseId: string, step: Step) {
  const browsing = BrowseTheWeb.as(actor);
  if (!(await page.getByRole('form', { name: STEP_FORM[step.event] }).count())) page = await backOfficePage(actor, `/gzxyjg/cases/${caseId}/${step.event}`);
  if (step.event === 'transfer') {
    const form = page.getByRole('form', { name: '转办' });
    await form.getByLabel('转办机关', { exact: true }).selectOption({ label: step.toOffice });
    await form.getByLabel('转办原因', { exact: true }).fill(step.reason);
    return browsing.submit(form.getByRole('button', { name: '转办' }));
  }
  if (step.event === 'refusal') {
    const form = page.getByRole('form', { name: '不予通过' });
    await form.getByLabel('不予通过原因', { exact: true }).fill(step.reason);
    return browsing.submit(form.getByRole('button', { name: '不予通过' }));
  }
  const label = STEP_FORM[step.event];
  const form = page.getByRole('form', { name: label });
  await form.getByLabel(label, { exact: true }).fill(step.opinion);
  await browsing.submit(form.getByRole('button', { name: '提交' }));
}

/**
 * One step on the case: opened from the to-do list (its version), then submitted. `seen` is a
 * version the user saw earlier (two users who opened it at once); on the pages, the 信用修复审批表
 * the user has open since.
 */
export const takeStep = (enterpriseName: string, step: Step, seen?: number): Task =>
  task(`${step.event} the case of ${enterpriseName}`, {
    api: async (actor) => {
      const version = seen ?? (await actor.asks(caseOfEnterprise(enterpriseName))).version;
      const { event, ...body } = step;
      const kase = caseOf(actor, enterpriseName);
      const moved = await services(actor).post<{ version: number; acceptanceNo: string }>(`/gzxyjg/v1/credit-repair/cases/${kase.caseId}/${event}`, { version, ...body }, await staffToken(actor));
      credit(actor).cases.set(enterpriseName, { ...kase, version: moved.version });
    },
    page: async (actor) => {
      let page: Page;
      if (seen === undefined) {
        await staffToken(actor);
        page = await backOfficePage(actor, `/gzxyjg/cases/${caseOf(actor, enterpriseName).caseId}`);
        await BrowseTheWeb.as(actor).follow(page.getByRole('link', { name: '确定', exact: true }));
      } else page = await BrowseTheWeb.as(actor).tab(BACK_OFFICE_TAB.name, BACK_OFFICE_TAB.device);
      await stepOnPage(actor, page, caseOf(actor, enterpriseName).caseId, step);
    },
  });
