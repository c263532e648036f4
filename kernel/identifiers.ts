/**
 * Chinese identifier validation and display masking — pure functions, no dependencies.
 *
 * - Resident identity card number: GB 11643-1999 (公民身份号码): region code (GB/T 2260),
 *   birth date, sequence, check character per ISO 7064:1983 MOD 11-2.
 * - Unified social credit code: GB 32100-2015 (法人和其他组织统一社会信用代码编码规则).
 * - Organisation code check character (positions 9–17 of a USCC): GB 11714-1997.
 * - Motor vehicle plates: GA 36-2018 (ordinary and new-energy small/large plates), simplified.
 * - Masking follows what government apps display (e.g. 粤商通 / 粤省事).
 *
 * Every place that takes an ID number or a USCC (the services' fields, the registry, the
 * provider mocks and their scripts and journal) normalises it with {@link normaliseCode} and
 * checks it with {@link isValidResidentId} / {@link isValidUscc}, so that lookups agree.
 */
import { isAuthorityRegionCode, isRegionCode } from './regions.js';

export { isRegionCode } from './regions.js';

/**
 * The one normalisation of an ID number or USCC as typed: full-width characters (an IME's
 * １２３ｘ) become ASCII, surrounding whitespace goes, letters are upper-cased (a trailing `x`
 * becomes `X`).
 */
export function normaliseCode(s: string): string {
  return s.normalize('NFKC').trim().toUpperCase();
}

// ---------------------------------------------------------------------------
// Resident identity card number (GB 11643-1999)
// ---------------------------------------------------------------------------

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK_MAP = '10X98765432';
const RESIDENT_ID_PATTERN = /^(\d{6})(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

/**
 * Earliest birth year accepted: nobody alive when resident ID numbers were first issued (1984)
 * was born before the 1860s; the margin keeps every real holder and refuses years like 0000.
 */
export const EARLIEST_BIRTH_YEAR = 1850;

/** {@link normaliseCode} for a resident ID. */
export const normaliseResidentId = normaliseCode;

/** ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`residentIdCheckChar: expected 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  }
  return RESIDENT_ID_CHECK_MAP[sum % 11]!;
}

/** True when `year-month-day` names a real proleptic Gregorian calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  const lengths = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return lengths[month - 1] ?? 0;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The calendar day in China (UTC+8) of an instant, as `YYYYMMDD`. */
function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Why a resident ID is not valid, part by part; undefined when it is. */
export type ResidentIdFault = 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'FUTURE_BIRTH_DATE' | 'CHECK_CHARACTER';

/**
 * What is wrong with an 18-character resident ID, checked part by part: the shape (17 digits and
 * a digit or upper-case `X`), the region code (a GB/T 2260 code, see regions.ts), the birth date
 * (a real date, from {@link EARLIEST_BIRTH_YEAR}, not after `today` in China), then the check
 * character. The sequence (positions 15–17) is any three digits: 000 included, as issued.
 * Use {@link normaliseCode} first.
 */
export function residentIdFault(id: string, today: Date = new Date()): ResidentIdFault | undefined {
  const m = RESIDENT_ID_PATTERN.exec(id);
  if (!m) return 'FORMAT';
  if (!isRegionCode(m[1]!)) return 'REGION';
  const [year, month, day] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) return 'BIRTH_DATE';
  if (`${m[2]}${m[3]}${m[4]}` > chinaDay(today)) return 'FUTURE_BIRTH_DATE';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'CHECK_CHARACTER';
  return undefined;
}

/**
 * Strict check of an 18-character resident ID, every part (see {@link residentIdFault}); a
 * birth date after `today` (default: the wall clock; the services pass the run's harness time)
 * is refused. Only an upper-case `X` is accepted: use {@link normaliseCode} first.
 */
export function isValidResidentId(id: string, today: Date = new Date()): boolean {
  return residentIdFault(id, today) === undefined;
}

/** Birth date encoded in a valid resident ID, as `YYYY-MM-DD`. Throws on an invalid ID. */
export function birthDateOf(id: string): string {
  if (!isValidResidentId(id)) {
    throw new RangeError(`birthDateOf: not a valid resident ID: ${JSON.stringify(id)}`);
  }
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Sex encoded in the 17th digit of a valid resident ID (odd = male). Throws on an invalid ID. */
export function sexOf(id: string): 'male' | 'female' {
  if (!isValidResidentId(id)) {
    throw new RangeError(`sexOf: not a valid resident ID: ${JSON.stringify(id)}`);
  }
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

// ---------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)
// ---------------------------------------------------------------------------

/** The 31-character USCC alphabet; a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function usccValue(ch: string): number {
  return ch.length === 1 ? USCC_CHARSET.indexOf(ch) : -1;
}

function isUsccChars(s: string): boolean {
  for (const ch of s) {
    if (usccValue(ch) < 0) return false;
  }
  return true;
}

/** GB 32100-2015 check character for the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || !isUsccChars(first17)) {
    throw new RangeError(`usccCheckChar: expected 17 USCC characters, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += usccValue(first17[i]!) * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Registration authorities (position 1 of a USCC) and the organisation categories each assigns
 * (position 2): GB 32100-2015 table 1, with its amendment adding A and N.
 */
export const USCC_AUTHORITIES: Readonly<Record<string, { name: string; categories: Readonly<Record<string, string>> }>> = {
  '1': { name: '机构编制', categories: { 1: '机关', 2: '事业单位', 3: '中央编办直接管理机构编制的群众团体', 9: '其他' } },
  '2': { name: '外交', categories: { 1: '外国常驻新闻机构', 9: '其他' } },
  '3': { name: '司法行政', categories: { 1: '律师执业机构', 2: '公证处', 3: '基层法律服务所', 4: '司法鉴定机构', 5: '仲裁委员会', 9: '其他' } },
  '4': { name: '文化', categories: { 1: '外国在华文化中心', 9: '其他' } },
  '5': { name: '民政', categories: { 1: '社会团体', 2: '民办非企业单位', 3: '基金会', 9: '其他' } },
  '6': { name: '旅游', categories: { 1: '外国旅游部门常驻代表机构', 2: '港澳台地区旅游部门常驻内地（大陆）代表机构', 9: '其他' } },
  '7': { name: '宗教', categories: { 1: '宗教活动场所', 2: '宗教院校', 9: '其他' } },
  '8': { name: '工会', categories: { 1: '基层工会', 9: '其他' } },
  '9': { name: '工商', categories: { 1: '企业', 2: '个体工商户', 3: '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { 1: '军队事业单位', 9: '其他' } },
  N: { name: '农业', categories: { 1: '组级集体经济组织', 2: '村级集体经济组织', 3: '乡镇级集体经济组织', 9: '其他' } },
  Y: { name: '其他', categories: { 1: '其他' } },
};

/** {@link normaliseCode} for a USCC. */
export const normaliseUscc = normaliseCode;

/** Why a USCC is not valid, part by part; undefined when it is. */
export type UsccFault = 'FORMAT' | 'AUTHORITY' | 'CATEGORY' | 'REGION' | 'ORGANISATION_CODE' | 'CHECK_CHARACTER';

/**
 * What is wrong with an 18-character USCC, checked part by part (GB 32100-2015): the shape
 * (18 characters of the USCC alphabet), position 1 a registration authority, position 2 a
 * category that authority assigns, positions 3–8 the authority's region (a GB/T 2260 code, or
 * 100000 for national-level authorities), positions 9–17 an organisation code whose last
 * character is its GB 11714 check, position 18 the USCC check character.
 * Use {@link normaliseCode} first.
 */
export function usccFault(code: string): UsccFault | undefined {
  if (code.length !== 18 || !isUsccChars(code)) return 'FORMAT';
  const authority = USCC_AUTHORITIES[code[0]!];
  if (!authority) return 'AUTHORITY';
  if (!authority.categories[code[1]!]) return 'CATEGORY';
  if (!isAuthorityRegionCode(code.slice(2, 8))) return 'REGION';
  if (organisationCodeCheckChar(code.slice(8, 16)) !== code[16]) return 'ORGANISATION_CODE';
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return 'CHECK_CHARACTER';
  return undefined;
}

/** Full validation of an 18-character USCC, every part (see {@link usccFault}). */
export function isValidUscc(code: string): boolean {
  return usccFault(code) === undefined;
}

const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714-1997 organisation code check character for an 8-character body of digits and
 * upper-case letters (A=10 … Z=35): USCC positions 9–16, whose check is position 17.
 */
export function organisationCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError(`organisationCodeCheckChar: expected 8 characters, got ${JSON.stringify(first8)}`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    sum += parseInt(first8[i]!, 36) * ORG_CODE_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// ---------------------------------------------------------------------------
// Mobile numbers and vehicle plates
// ---------------------------------------------------------------------------

/** Mainland mobile number: 11 digits starting 13–19. */
export function isValidMobile(s: string): boolean {
  return /^1[3-9]\d{9}$/.test(s);
}

/** The 31 mainland provincial-level plate abbreviations. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/** Letters usable on plates (A–Z without I and O). */
export const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const PLATE_ORDINARY = /^[A-HJ-NP-Z][A-HJ-NP-Z0-9]{5}$/;
/** Small new-energy: D/F + letter-or-digit + 4 digits; large new-energy: 5 digits + D/F. */
const PLATE_NEW_ENERGY = /^[A-HJ-NP-Z](?:[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/;

/** Ordinary (粤A12345) or new-energy (粤AD12345 / 粤A12345D) civilian plate, upper case, no separator. */
export function isValidPlate(s: string): boolean {
  const chars = Array.from(s);
  const province = chars[0];
  if (province === undefined || !PLATE_PROVINCES.includes(province)) return false;
  const rest = chars.slice(1).join('');
  return PLATE_ORDINARY.test(rest) || PLATE_NEW_ENERGY.test(rest);
}

// ---------------------------------------------------------------------------
// Display masking
// ---------------------------------------------------------------------------

function maskMiddle(s: string, keepStart: number, keepEnd: number): string {
  if (s.length <= keepStart + keepEnd) return '*'.repeat(s.length);
  return `${s.slice(0, keepStart)}****${s.slice(s.length - keepEnd)}`;
}

/** `450000199001011227` → `450****227`. Strings of 6 or fewer characters are fully starred. */
export function maskIdNumber(id: string): string {
  return maskMiddle(id, 3, 3);
}

/** `18012341234` → `180****1234`. Strings of 7 or fewer characters are fully starred. */
export function maskMobile(mobile: string): string {
  return maskMiddle(mobile, 3, 4);
}

/** `田军` → `田*`, `黄丽燕` → `黄**`: first character, then one star per remaining character. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(chars.length - 1);
}
