// Request fields shared by every service, each with its stable error code and the message the
// app shows. A failing field is reported by errorMiddleware as 400 { code, message }.
import { z } from './zod.js';
import { callNow } from './clock.js';
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

// Year 0000 is a day to JavaScript but none to PostgreSQL's date.
const isCalendarDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !s.startsWith('0000') && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export const calendarDay = z
  .string(rule('INVALID_DATE', '请选择正确的日期'))
  .refine(isCalendarDay, rule('INVALID_DATE', '请选择正确的日期'))
  .openapi({ example: '2027-01-01', description: "'YYYY-MM-DD'" });

export const FOREVER = '9999-12-31';
export const FOREVER_LABEL = '长期有效';

/** An authorisation end date: a day, or 长期有效 (stored as 9999-12-31). */
export const authorisationEnd = z
  .string(rule('INVALID_DATE', '请选择正确的授权期限'))
  .transform((s) => (s === FOREVER_LABEL ? FOREVER : s))
  .refine(isCalendarDay, rule('INVALID_DATE', '请选择正确的授权期限'))
  .openapi({ type: 'string', example: '长期有效', description: "'YYYY-MM-DD' or 长期有效" });

export const smsCode = z
  .string(rule('INVALID_SMS_CODE_FORMAT', '请输入6位数字验证码'))
  .regex(/^\d{6}$/, rule('INVALID_SMS_CODE_FORMAT', '请输入6位数字验证码'));

export const uuid = z.string().uuid(rule('NOT_FOUND', '记录不存在'));

export const authEndLabel = (day: string) => (day === FOREVER ? FOREVER_LABEL : day);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The shape of an id in a path or body, checked before it reaches a uuid column. */
export const isUuid = (value: string) => UUID.test(value);
