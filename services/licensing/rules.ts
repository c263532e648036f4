// The licence's vocabulary and rules as data: the form's choices with the labels 常州通办 shows,
// the authorities, the checklist, and every rule the guide leaves open (marked assumed, and
// listed in the README). Use-cases read these; nothing else spells them out.
import { addDays, fromShanghai, shanghaiDay, shanghaiTime } from '../../kernel/clock.js';

/** 申报类型 */
export const APPLICATION_TYPES = { FIRST: '首次', RENEWAL: '延期', REAPPLY: '重新申请' } as const;
/** 隶属关系 *(assumed list; the guide shows 其他)* */
export const AFFILIATIONS = { CENTRAL: '中央', PROVINCIAL: '省属', MUNICIPAL: '市属', DISTRICT: '区(县)属', TOWNSHIP: '乡镇(街道)属', OTHER: '其他' } as const;
/** 申请品种范围: the five boxes */
export const GOODS_SCOPES = {
  GENERAL_ONLY: '申请经营品种仅包含一般危险化学品的',
  MIXING: '申请经营分(充)混配危险化学品的',
  DIESEL_ONLY: '申请品种仅包含柴油的',
  EXPLOSIVE_PRECURSORS: '申请经营品种含易制爆危险化学品的',
  DRUG_PRECURSORS: '申请经营品种含易制毒危险化学品的',
} as const;
/** Boxes that say "only": ticked, no other box may be *(assumed)*. */
export const EXCLUSIVE_SCOPES: readonly (keyof typeof GOODS_SCOPES)[] = ['GENERAL_ONLY', 'DIESEL_ONLY'];
/** 申请经营方式 */
export const BUSINESS_MODES = { STORAGE: '仓储经营', FUEL_STATION: '加油站(点)经营', WITH_STORAGE: '带储存设施经营', OTHER: '其他经营', LEASED_STORAGE: '租赁储存设施经营' } as const;
/** The mode that asks for an inspection method (F2). */
export const MODE_WITH_METHOD = 'OTHER';
/** 核查方式 */
export const INSPECTION_METHODS = { ON_SITE: '现场核查', CLOUD: '云核查' } as const;
/** 审核机关: the safety authorities of 常州. */
export const AUTHORITIES = {
  CZ: '常州市应急管理局',
  TN: '天宁区应急管理局',
  ZL: '钟楼区应急管理局',
  XB: '新北区应急管理局',
  WJ: '武进区应急管理局',
  JT: '金坛区应急管理局',
  LY: '溧阳市应急管理局',
} as const;
/** 资格类型 of the staff register. */
export const QUALIFICATIONS = { PRINCIPAL: '主要负责人', SAFETY_MANAGER: '安全生产管理人员' } as const;
/** 单位类型 */
export const UNIT_TYPES = ['危险化学品经营单位', '危险化学品生产单位', '危险化学品使用单位'] as const;
/** 备案类型 of an emergency-plan filing. */
export const FILING_TYPES = ['一般危险化学品单位预案备案', '危险化学品重大危险源单位预案备案'] as const;

export type ApplicationType = keyof typeof APPLICATION_TYPES;
export type Affiliation = keyof typeof AFFILIATIONS;
export type GoodsScope = keyof typeof GOODS_SCOPES;
export type BusinessMode = keyof typeof BUSINESS_MODES;
export type InspectionMethod = keyof typeof INSPECTION_METHODS;
export type Authority = keyof typeof AUTHORITIES;
export type Qualification = keyof typeof QUALIFICATIONS;

/** A licence is valid 3 years from its issue day. */
export const LICENCE_YEARS = 3;
/** 延期 is accepted in the last 3 months before the licence expires *(assumed from 危险化学品经营许可证管理办法)*. */
export const RENEWAL_WINDOW_MONTHS = 3;

/**
 * When an inspection may be appointed *(assumed)*: Monday to Friday, starting 09:00–11:30 or
 * 13:30–17:00 Shanghai time, and after now.
 */
export const WORKING_HOURS = { days: [1, 2, 3, 4, 5], periods: [['09:00', '11:30'], ['13:30', '17:00']] } as const;
export const WORKING_HOURS_LABEL = '周一至周五 9:00-11:30、13:30-17:00';
/** The inspector may start at most this long before the appointed time *(assumed)*. */
export const START_EARLY_MINUTES = 15;
/** The legal representative's reminder: the day before the appointment at 09:00 *(assumed)*. */
export const REMINDER = { daysBefore: 1, at: '09:00' } as const;

/**
 * Signatures and photos: PNG or JPEG, at most 200 KB each, 1 to 3 photos per rectified problem
 * *(assumed)*: what a phone sends after compressing, and within one request body (1 MB, base64).
 */
export const IMAGE = { types: { 'image/png': [0x89, 0x50, 0x4e, 0x47], 'image/jpeg': [0xff, 0xd8, 0xff] }, maxBytes: 200 * 1024, label: '200KB' } as const;
export const RECTIFICATION_PHOTOS = { min: 1, max: 3 } as const;
export type ImageType = keyof typeof IMAGE.types;

/** What the inspector checks over the video *(assumed: the guide does not list the items)*. */
export const CHECKLIST = [
  { code: 'LICENCES_DISPLAYED', label: '营业执照等证照悬挂公示' },
  { code: 'STAFF_CERTIFIED', label: '主要负责人、安全生产管理人员持证上岗' },
  { code: 'SAFETY_RULES', label: '安全生产责任制、管理制度和岗位操作规程' },
  { code: 'STORAGE', label: '危险化学品储存场所或租赁储存设施符合要求' },
  { code: 'WARNING_SIGNS', label: '安全警示标志、安全技术说明书和安全标签' },
  { code: 'FIRE_EQUIPMENT', label: '消防器材和应急救援器材配备' },
  { code: 'EMERGENCY_PLAN', label: '事故应急预案及演练记录' },
  { code: 'LEDGER', label: '危险化学品购销台账' },
] as const;
export type ChecklistCode = (typeof CHECKLIST)[number]['code'];
export const CHECKLIST_RESULTS = { COMPLIANT: '符合', NON_COMPLIANT: '不符合' } as const;

/** 承诺书 the enterprise reads and signs before the video (wording assumed). */
export const COMMITMENT_LETTER = {
  title: '危险化学品经营许可云核查承诺书',
  text:
    '本单位承诺：在云核查过程中如实展示经营场所、储存设施、安全管理制度及相关证照的真实情况，' +
    '所提供的视频画面、照片及资料真实、准确、完整，不弄虚作假；如有不实，愿意承担相应的法律责任。',
};

// Calendar arithmetic on 'YYYY-MM-DD' days ------------------------------------------------------

/** A day plus whole months, clamped to the month's end (2027-05-31 − 3 months = 2027-02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The last day of a licence issued on `from`: 3 years, less a day. */
export const licenceValidTo = (from: string) => addDays(addMonths(from, LICENCE_YEARS * 12), -1);
/** The first day a 延期 application is accepted for a licence valid to `validTo`. */
export const renewalOpensOn = (validTo: string) => addMonths(validTo, -RENEWAL_WINDOW_MONTHS);

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether an instant is a working-hours start time in Shanghai. */
export function inWorkingHours(at: Date): boolean {
  const local = shanghaiTime(at); // 'YYYY-MM-DD HH:mm:ss'
  const weekday = new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay();
  const minute = minutes(local.slice(11, 16));
  return (WORKING_HOURS.days as readonly number[]).includes(weekday) && WORKING_HOURS.periods.some(([from, to]) => minute >= minutes(from) && minute <= minutes(to));
}

/** When the legal representative is reminded of an appointment at `at`. */
export const reminderDueAt = (at: Date) => fromShanghai(`${addDays(shanghaiDay(at), -REMINDER.daysBefore)}T${REMINDER.at}`);
