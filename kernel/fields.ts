// Request fields shared by every service, each with its stable error code and the message the
// app shows. A failing field is reported by errorMiddleware as 400 { code, message }.
import { z } from './zod.js';
import { callNow, FIRST_DAY, LAST_DAY } from './clock.js';
import { isValidMobile, isValidResidentId, isValidUscc, normaliseCode } from './identifiers.js';

const SEPARATOR = '\u0000';

/** Encodes a stable code and a Chinese message as one zod issue message (decoded by fieldErrorOf). */
export const fieldError = (code: string, message: string) => `${code}${SEPARATOR}${message}`;

export function fieldErrorOf(issueMessage: string): { code: string; message: string } | undefined {
  const [code, message] = issueMessage.split(SEPARATOR);
  return message === undefined ? undefined : { code: code!, message };
}

const rule = (code: string, message: string) => ({ error: fieldError(code, message) });

/** A resident ID, normalised and checked in full (kernel/identifiers.ts); born no later than the run's today. */
export const idNumber = z
  .string(rule('INVALID_ID_NUMBER', '请输入正确的身份证号码'))
  .transform(normaliseCode)
  .refine((id) => isValidResidentId(id, callNow()), rule('INVALID_ID_NUMBER', '请输入正确的身份证号码'))
  .openapi({ type: 'string', example: '11010519491231002X', description: '18-char resident ID (GB 11643: region code, birth date not after today, sequence, check char); a lowercase x is accepted' });

/** A USCC, normalised and checked in full (kernel/identifiers.ts). */
export const uscc = z
  .string(rule('INVALID_USCC', '请输入正确的统一社会信用代码'))
  .transform(normaliseCode)
  .refine(isValidUscc, rule('INVALID_USCC', '请输入正确的统一社会信用代码'))
  .openapi({ type: 'string', example: '91440000MA4X777A89', description: 'Unified social credit code (GB 32100: authority, category, region, GB 11714 organisation code, check char)' });

export const mobile = z
  .string(rule('INVALID_MOBILE', '请输入正确的手机号码'))
  .trim()
  .refine(isValidMobile, rule('INVALID_MOBILE', '请输入正确的手机号码'))
  .openapi({ example: '18012341234' });

export const personName = z
  .string(rule('INVALID_NAME', '请输入正确的姓名'))
  .trim()
  .regex(/^[\u3400-\u9fff·]{2,20}$/, rule('INVALID_NAME', '请输入正确的姓名'))
  .openapi({ example: '田军' });

export const enterpriseName = z
  .string(rule('INVALID_ENTERPRISE_NAME', '请输入正确的企业名称'))
  .trim()
  .min(2, rule('INVALID_ENTERPRISE_NAME', '请输入正确的企业名称'))
  .max(100, rule('INVALID_ENTERPRISE_NAME', '请输入正确的企业名称'));

/** A real day within FIRST_DAY … LAST_DAY: year 0000, 2026-02-30 or a 5-digit year never reach PostgreSQL. */
const isCalendarDay = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s < FIRST_DAY || s > LAST_DAY) return false;
  const day = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(s);
};
const isMonday = (s: string) => new Date(`${s}T00:00:00Z`).getUTCDay() === 1;

export const calendarDay = z
  .string(rule('INVALID_DATE', '请选择正确的日期'))
  .refine(isCalendarDay, rule('INVALID_DATE', '请选择正确的日期'))
  .openapi({ example: '2027-01-01', description: "'YYYY-MM-DD'" });

/** A week of the risk warnings, named by its Monday. */
export const week = calendarDay.refine(isMonday, rule('NOT_A_MONDAY', '周期须以周一表示')).openapi({ example: '2026-11-23', description: "The week's Monday, 'YYYY-MM-DD'" });

export const FOREVER = '9999-12-31';
export const FOREVER_LABEL = '长期有效';

/** An authorisation end date: a day, or 长期有效 (stored as 9999-12-31). */
export const authorisationEnd = z
  .string(rule('INVALID_DATE', '请选择正确的授权期限'))
  .transform((s) => (s === FOREVER_LABEL ? FOREVER : s))
  .refine((s) => s === FOREVER || isCalendarDay(s), rule('INVALID_DATE', '请选择正确的授权期限'))
  .openapi({ type: 'string', example: '长期有效', description: "'YYYY-MM-DD' or 长期有效" });

export const smsCode = z
  .string(rule('INVALID_SMS_CODE_FORMAT', '请输入6位数字验证码'))
  .regex(/^\d{6}$/, rule('INVALID_SMS_CODE_FORMAT', '请输入6位数字验证码'));

/** A seed of the generators, stored as a PostgreSQL integer. */
const seedRule = rule('INVALID_SEED', '种子须为 0 至 2147483647 之间的整数');
export const seed = z.number(seedRule).int(seedRule).min(0, seedRule).max(2_147_483_647, seedRule).openapi({ example: 42 });

export const uuid = z.string().uuid(rule('NOT_FOUND', '记录不存在'));

export const authEndLabel = (day: string) => (day === FOREVER ? FOREVER_LABEL : day);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The shape of an id in a path or body, checked before it reaches a uuid column. */
export const isUuid = (value: string) => UUID.test(value);
