// The one error path: use-cases throw AppError; one Express middleware renders it as
// { code, message } with its HTTP status. `code` is stable English, `message` is what the app shows.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) => new AppError(400, code, message, details);
export const unauthorised = (code = 'NOT_LOGGED_IN', message = '请先登录') => new AppError(401, code, message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooMany = (code: string, message: string, details?: Record<string, unknown>) => new AppError(429, code, message, details);
/** The database is busy with something that must not wait (a partition being detached); try again. */
export const busy = (code: string) => new AppError(503, code, '系统繁忙，请稍后重试');
/** A provider answered with a failure the app shows to the user (face mismatch, identity mismatch …). */
export const verificationFailed = (code: string, message: string, details?: Record<string, unknown>) => new AppError(422, code, message, details);
/** A provider could not be reached, timed out or answered 5xx. */
export const providerUnavailable = (provider: string) =>
  new AppError(502, 'PROVIDER_UNAVAILABLE', '验证失败，请稍后重试', { provider });
