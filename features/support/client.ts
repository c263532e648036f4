// The test side's only HTTP: a client for one server that sends the scenario's run key.
// Every answer is checked against an OpenAPI document: the document of the server that sent it
// (the documents cannot drift from the servers), or, in conformance mode, govsim's own document
// for the implementation under test (it cannot drift from govsim's). An answer the document does
// not describe fails the step. Every call is kept as the scenario's last exchange (exchanges.ts).
import { RUN_HEADER } from '../../kernel/http.js';
import { responseChecker, type ResponseCheck } from '../../conformance/openapi-check.js';
import { recordExchange } from './exchanges.js';

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

/** Conformance: the implementation under test answered a route of govsim's document with a 404 or 405 the document does not describe. */
export class NotImplemented extends Error {
  override name = 'NotImplemented';
}

/** Conformance: the scenario needs a harness endpoint the implementation under test does not offer. */
export class NotRunnable extends Error {
  override name = 'NotRunnable';
}

/**
 * Whose answers a client receives: govsim's own servers, or in conformance mode the implementation
 * under test — its services, or the harness endpoints it offers for its own data.
 */
export type Party = 'govsim' | 'target' | 'target harness';

export interface ClientOptions {
  /** Base URL of the server whose /openapi.json the answers are checked against; default: the server's own. */
  documentOf?: string;
  /** Default 'govsim'. */
  party?: Party;
}

/** One checker per document (per worker): the document is read once, its validators compiled once. */
const checkers = new Map<string, Promise<ResponseCheck>>();
const checkerOf = (baseUrl: string) => {
  if (!checkers.has(baseUrl)) checkers.set(baseUrl, fetch(`${baseUrl}/openapi.json`).then(async (r) => responseChecker(await r.json())));
  return checkers.get(baseUrl)!;
};

/** The answer's JSON; an answer that is not JSON as its text (which no JSON operation's document describes). */
function parsed(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class HttpClient {
  private readonly documentOf: string;
  private readonly party: Party;

  constructor(
    readonly baseUrl: string,
    private readonly run: string,
    options: ClientOptions = {},
  ) {
    this.documentOf = options.documentOf ?? baseUrl;
    this.party = options.party ?? 'govsim';
  }

  async request<T = any>(method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers = {
      [RUN_HEADER]: this.run,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
    const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    const body = parsed(text);
    recordExchange({ party: this.party, request: { method, url, headers, body: options.body }, response: { status: response.status, body } });
    if (path !== '/openapi.json') {
      const problem = (await checkerOf(this.documentOf))(method, path, response.status, body);
      if (problem) throw this.undocumented(method, path, response.status, problem);
    }
    if (!response.ok) {
      const refusal = body as { code?: string; message?: string } | undefined;
      throw new ApiError(response.status, refusal?.code ?? 'UNKNOWN', refusal?.message ?? text, body);
    }
    return body as T;
  }

  get = <T = any>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown = {}, token?: string) => this.request<T>('POST', path, { body, token });
  put = <T = any>(path: string, body: unknown, token?: string) => this.request<T>('PUT', path, { body, token });
  delete = <T = any>(path: string, token?: string) => this.request<T>('DELETE', path, { token });

  /** What an answer the document does not describe means: a route the implementation under test lacks (404, 405), or a wrong answer. */
  private undocumented(method: string, path: string, status: number, problem: string): Error {
    if (this.party !== 'govsim' && (status === 404 || status === 405)) {
      return this.party === 'target'
        ? new NotImplemented(`${method} ${path} → ${status}: the implementation under test at ${this.baseUrl} does not have this route of govsim's document\n${problem}`)
        : new NotRunnable(`${method} ${path} → ${status}: the implementation under test offers no such harness endpoint at ${this.baseUrl} (docs/conformance.md lists them)\n${problem}`);
    }
    return new UndocumentedAnswer(`${this.baseUrl}: ${problem}`);
  }
}

/** Conformance without the implementation under test's harness endpoints: every call is not runnable, naming the endpoint it needed. */
export class NoHarness extends HttpClient {
  override async request<T>(method: string, path: string): Promise<T> {
    throw new NotRunnable(`${method} ${path.split('?')[0]}: the implementation under test offers no harness endpoints for its own data (govsim conform --target-control; docs/conformance.md)`);
  }
}
