/**
 * Chinese identifier validation and display masking — pure functions, no dependencies.
 *
 * - Resident identity card number: GB 11643-1999 (公民身份号码), check character per
 *   ISO 7064:1983 MOD 11-2.
 * - Unified social credit code: GB 32100-2015 (法人和其他组织统一社会信用代码编码规则).
 * - Organisation code check character (positions 9–17 of a USCC): GB 11714-1997.
 * - Motor vehicle plates: GA 36-2018 (ordinary and new-energy small/large plates), simplified.
 * - Masking follows what government apps display (e.g. 粤商通 / 粤省事).
 */

// ---------------------------------------------------------------------------
// Resident identity card number (GB 11643-1999)
// ---------------------------------------------------------------------------

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK_MAP = '10X98765432';
const RESIDENT_ID_PATTERN = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

/** Trims surrounding whitespace and upper-cases (a trailing `x` becomes `X`). */
export function normaliseResidentId(s: string): string {
  return s.trim().toUpperCase();
}

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

/**
 * Strict check of an 18-character resident ID: structure, real birth date and check
 * character. Only an upper-case `X` is accepted; use {@link normaliseResidentId} first.
 */
export function isValidResidentId(id: string): boolean {
  const m = RESIDENT_ID_PATTERN.exec(id);
  if (!m) return false;
  if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return residentIdCheckChar(id.slice(0, 17)) === id[17];
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
 * Structural and check-character validation of an 18-character USCC:
 * pos 1 registration authority, pos 2 category (both in the charset), pos 3–8 a six-digit
 * administrative division code, pos 9–17 organisation code body (charset), pos 18 check.
 */
export function isValidUscc(code: string): boolean {
  if (code.length !== 18 || !isUsccChars(code)) return false;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714-1997 organisation code check character for an 8-character body of digits and
 * upper-case letters (A=10 … Z=35). Used for USCC positions 9–17; not enforced by
 * {@link isValidUscc}.
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
