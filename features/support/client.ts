// The test side's only HTTP: a client for one govsim server that sends the scenario's run key.
// Every answer is checked against the OpenAPI document of the server that sent it: an answer the
// document does not describe fails the step (the documents cannot drift from the servers).
import { RUN_HEADER } from '../../kernel/http.js';
import { responseChecker, type ResponseCheck } from '../../test/support/openapi-check.js';

/** What an actor was refused with: the HTTP status, the stable code and the message the app shows. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The answer's body, when the refusal came through the API (a page shows only its message and code). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

/** A refusal answered by the API. */
export class ApiError extends Refusal {
  override name = 'ApiError';
}

/** An answer its server's OpenAPI document does not describe. */
export class UndocumentedAnswer extends Error {
  override name = 'UndocumentedAnswer';
}

/** One checker per server (per worker): the document is read once, its validators compiled once. */
const checkers = new Map<string, Promise<ResponseCheck>>();
const checkerOf = (baseUrl: string) => {
  if (!checkers.has(baseUrl)) checkers.set(baseUrl, fetch(`${baseUrl}/openapi.json`).then(async (r) => responseChecker(await r.json())));
  return checkers.get(baseUrl)!;
};

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly run: string,
  ) {}

  async request<T = any>(method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        [RUN_HEADER]: this.run,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (path !== '/openapi.json') {
      const problem = (await checkerOf(this.baseUrl))(method, path, response.status, body);
      if (problem) throw new UndocumentedAnswer(`${this.baseUrl}: ${problem}`);
    }
    if (!response.ok) throw new ApiError(response.status, body?.code ?? 'UNKNOWN', body?.message ?? text, body);
    return body as T;
  }

  get = <T = any>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown = {}, token?: string) => this.request<T>('POST', path, { body, token });
  put = <T = any>(path: string, body: unknown, token?: string) => this.request<T>('PUT', path, { body, token });
  delete = <T = any>(path: string, token?: string) => this.request<T>('DELETE', path, { token });
}
