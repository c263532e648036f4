// HTTP plumbing shared by every govsim app: the run-key context, declared routes that validate
// their input with zod and describe themselves in OpenAPI, the one error middleware, and listen().
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response, type Router } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import swaggerUi from 'swagger-ui-express';
import { z, ZodError, type ZodType } from './zod.js';
import type { Access } from './access.js';
import type { Live } from './live.js';
import { AppError } from './errors.js';
import { fieldErrorOf } from './fields.js';
import { enterCallTime } from './clock.js';
import { answerClientErrors, checkRequest, jsonBody, transportRefusal } from './input.js';
import { assets } from './assets.js';
import { pageErrors, type Pages } from './pages.js';
import { DEFAULT_RUN, RUN_HEADER, RUN_KEY } from './runs.js';
import { bearerToken } from './tokens.js';

export { DEFAULT_RUN, RUN_HEADER, RUN_KEY } from './runs.js';

/** What every handler knows about the call: its run key and the harness time it happens at. */
export interface RunContext {
  run: string;
  now: Date;
}

/** The request's run key: its x-govsim-run header, else (for a page, which a browser opens without headers) `fallback`, else the default run. */
export function runKeyOf(req: Request, fallback?: string): string {
  const raw = req.header(RUN_HEADER) || fallback;
  if (raw === undefined || raw === '') return DEFAULT_RUN;
  if (!RUN_KEY.test(raw)) throw new AppError(400, 'INVALID_RUN_KEY', `运行标识 ${RUN_HEADER} 格式不正确（${RUN_KEY.source}）`);
  return raw;
}

export async function contextOf(live: Live, req: Request, fallbackRun?: string): Promise<RunContext> {
  const run = runKeyOf(req, fallbackRun);
  return { run, now: (await live.clock(run)).now };
}

/** A string of one of these values: documented and checked by the tests where a use-case's type says only string. */
export const oneOf = (...values: [string, ...string[]]) => z.string().openapi({ enum: values });

/** The codes an operation may answer, by HTTP status: documented as its error responses. */
export type ErrorCodes = Partial<Record<number, readonly string[]>>;

/**
 * What any route may answer before its handler runs: a bad run key, and the refusals of input.ts
 * (a body that is not JSON, too large or too deep, a control character, a bad escape, headers
 * too large). Keep in step with input.ts's `refusals`.
 */
export const REQUEST_ERRORS: ErrorCodes = {
  400: ['INVALID_RUN_KEY', 'INVALID_JSON', 'BODY_TOO_DEEP', 'INVALID_CHARACTER', 'INVALID_PATH', 'INVALID_REQUEST'],
  413: ['BODY_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CHARSET', 'UNSUPPORTED_ENCODING'],
  431: ['HEADERS_TOO_LARGE'],
};

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType, R extends ZodType, C> {
  method: Method;
  /** Express-style path, e.g. /yst/v1/enterprise-accounts/:accountId */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success body (omit for 204); checked against every answer the tests receive. */
  response?: R;
  /** Default: 201 for POST, 200 otherwise; a handler answering nothing gives 204. */
  status?: number;
  /** What the route itself may refuse with (its use-cases); the kernel adds access, input and request errors. */
  errors?: ErrorCodes;
  /** Who may call it: resolved by the kernel before the body is read; the handler gets `caller`. */
  access: Access<C>;
  handler: (input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; caller: C; ctx: RunContext; req: Request; res: Response }) => Promise<z.infer<R> | undefined>;
}

/** What a route was declared with: walked by the tests (every served route declared, the access matrix). */
export interface Declared {
  method: Method;
  path: string;
  access: Access<unknown>;
  params?: ZodType | undefined;
  query?: ZodType | undefined;
  body?: ZodType | undefined;
}

type Described = {
  method: Method;
  path: string;
  summary: string;
  description?: string | undefined;
  tag: string;
  access: Access<unknown>;
  params?: ZodType | undefined;
  query?: ZodType | undefined;
  body?: ZodType | undefined;
  response?: ZodType | undefined;
  status: number;
  errors?: ErrorCodes | undefined;
};

/** A set of routes that is at once an Express router and an OpenAPI document. */
export class Api {
  readonly router: Router = express.Router();
  /** Every route reads its body as JSON (input.ts): declared routes only, so a page's form never meets it. */
  private readonly body = jsonBody();
  readonly registry = new OpenAPIRegistry();
  readonly declared: Declared[] = [];

  constructor(
    private readonly live: Live,
    readonly info: { title: string; description: string },
    /**
     * fenceWrites: a successful POST, PUT or DELETE answers only once every govsim process over the
     * database has heard every change it committed (Live.fence), for APIs whose writes change what
     * is kept in memory (who may act for an enterprise, a run's clock): the caller's next request,
     * to this process, a sibling worker or another instance, never meets the old copy. 'others':
     * the handler has told this process already (Live.changed), only the others are waited for.
     */
    private readonly options: { fenceWrites?: boolean | 'others' } = {},
  ) {
    this.registry.registerComponent('securitySchemes', 'session', { type: 'http', scheme: 'bearer' });
  }

  route<P extends ZodType = ZodType<Record<string, never>>, Q extends ZodType = ZodType<Record<string, unknown>>, B extends ZodType = ZodType<unknown>, R extends ZodType = ZodType<unknown>, C = unknown>(
    spec: RouteSpec<P, Q, B, R, C>,
  ): void {
    const status = spec.status ?? (spec.method === 'post' ? 201 : 200);
    this.describe({ ...spec, access: spec.access as Access<unknown>, status });
    this.router[spec.method](spec.path, this.body, async (req: Request, res: Response) => {
      const ctx = await contextOf(this.live, req);
      enterCallTime(ctx.now); // fields that depend on today (a birth date) see the run's clock
      // Who is calling comes first: a caller without the right gets 401/403 whatever else is wrong.
      const caller = await spec.access.resolve({ ctx, req, credential: bearerToken(req.header('authorization')), params: req.params, query: req.query as Record<string, unknown>, rawBody: req.body });
      checkRequest(req);
      const params = spec.params ? spec.params.parse(req.params) : req.params;
      const query = spec.query ? spec.query.parse(req.query) : req.query;
      const body = spec.body ? spec.body.parse(req.body ?? {}) : req.body;
      const result = await spec.handler({ params, query, body, caller, ctx, req, res } as never);
      if (this.options.fenceWrites && spec.method !== 'get') await this.live.fence(this.options.fenceWrites === 'others' ? 'others' : 'everyone');
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else sendJson(res, status, result);
    });
  }

  /**
   * A route served by a handler of its own (the provider mocks' adapter), declared and documented
   * like route(); the handler checks its own input (checkInput), as the mocks do for both adapters.
   */
  handle(spec: Described, handler: (req: Request, res: Response) => Promise<void>): void {
    this.describe(spec);
    this.router[spec.method](spec.path, this.body, handler);
  }

  /** Adds an endpoint to the OpenAPI document and to the declared routes. */
  private describe(spec: Described): void {
    this.declared.push({ method: spec.method, path: spec.path, access: spec.access, params: spec.params, query: spec.query, body: spec.body });
    const secured = spec.access.secured;
    const inputs = [spec.params, spec.query, spec.body].filter((s): s is ZodType => s !== undefined);
    const errors = mergeCodes(REQUEST_ERRORS, inputs.length ? { 400: ['INVALID_REQUEST', ...inputs.flatMap(fieldCodes)] } : {}, spec.access.errors ?? {}, spec.errors ?? {});
    const success =
      spec.status === 204
        ? { description: 'Done: no content' }
        : { description: 'Success', ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}) };
    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      description: [spec.description, `Access: ${spec.access.description}`].filter(Boolean).join('\n\n'),
      tags: [spec.tag],
      security: secured ? [{ session: [] }] : undefined,
      request: {
        headers: z.object({ [RUN_HEADER]: z.string().optional().openapi({ description: 'Run key: scopes clock, provider scripts, journal, outbox and data. Default: "default".' }) }),
        params: (spec.params ?? pathParams(spec.path)) as never,
        query: spec.query as never,
        body: spec.body ? { content: { 'application/json': { schema: spec.body } } } : undefined,
      },
      responses: {
        [spec.status]: success,
        ...Object.fromEntries(
          Object.entries(errors).map(([status, codes]) => [status, { description: `Error: ${codes!.join(', ')}`, content: { 'application/json': { schema: errorBody(codes!) } } }]),
        ),
      },
    });
  }

  /** This API's document; `servers`: where it is served (default: relative to the document). */
  document(servers: string[] = ['/']) {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: this.info.title, description: this.info.description, version: '0.1.0' },
      servers: servers.map((url) => ({ url })),
    });
  }
}

/** An error answer with one of `codes`: the shape errorMiddleware renders, nothing more. */
const errorBody = (codes: readonly string[]) =>
  z.strictObject({
    code: z.enum(codes as [string, ...string[]]).openapi({ description: 'Stable, for programs' }),
    message: z.string().openapi({ description: 'What the app shows', example: '请输入正确的身份证号码' }),
    details: z.record(z.string(), z.unknown()).optional(),
  });

function mergeCodes(...sets: ErrorCodes[]): Record<number, string[]> {
  const merged: Record<number, string[]> = {};
  for (const set of sets)
    for (const [status, codes] of Object.entries(set)) merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...(codes ?? [])])];
  return merged;
}

/** The stable codes of the field rules (fields.ts) anywhere in an input schema: what a failed parse answers. */
function fieldCodes(schema: ZodType): string[] {
  const codes = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return Object.values(node).forEach(visit); // an object's shape
    for (const error of [def.error, ...((def.checks as { _zod: { def: { error?: unknown } } }[] | undefined) ?? []).map((c) => c._zod.def.error)]) {
      const message = typeof error === 'function' ? (error as (issue: unknown) => unknown)({}) : undefined;
      const field = typeof message === 'string' ? fieldErrorOf(message) : undefined;
      if (field) codes.add(field.code);
    }
    for (const [key, value] of Object.entries(def)) if (key !== 'checks' && key !== 'error') visit(value);
  };
  visit(schema);
  return [...codes];
}

/** The refusal an error stands for — AppError, a failed field rule (fields.ts), a request refused before its route (input.ts) — or undefined for anything else (a bug). */
export function refusalOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0]!;
    const field = fieldErrorOf(issue.message);
    return new AppError(400, field?.code ?? 'INVALID_REQUEST', field?.message ?? '请求参数不正确', { path: issue.path.join('.'), ...(field ? {} : { reason: issue.message }) });
  }
  return transportRefusal(error);
}

/**
 * A JSON answer: what res.json() sends, without its ETag (a hash of every answer, which no client
 * of an API revalidates: measurable on the hot paths).
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Renders a refusal as { code, message, details? } with its status; anything else is a logged 500. */
export function errorMiddleware(log: (line: string) => void) {
  return (error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    const refusal = refusalOf(error);
    if (refusal) {
      res.status(refusal.status).json({ code: refusal.code, message: refusal.message, ...(refusal.details ? { details: refusal.details } : {}) });
      return;
    }
    log(`unexpected error: ${(error as Error).stack ?? String(error)}`);
    res.status(500).json({ code: 'INTERNAL', message: '系统繁忙，请稍后重试' });
  };
}

/**
 * A server: the JSON APIs first (each route reading its JSON body, their refusals rendered as
 * JSON), then the pages (each app's, with the assets they load), docs at /docs and /openapi.json,
 * a JSON 404, the error middleware last. The endpoints come first because they are the hot path:
 * a request walked past every page router first spent a sixth of its time there. No page may be
 * served at a path an endpoint matches (test/openapi.test.ts checks every pair).
 */
export function jsonApp(apis: Api[], options: { log: (line: string) => void; title: string; pages?: Pages[] }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.apis = apis; // what the tests walk: every served route must be declared
  app.locals.pages = options.pages ?? [];
  app.use(endpoints(apis, errorMiddleware(options.log)));
  if (options.pages?.length) app.use(assets(), ...options.pages.map((p) => ((p.log = options.log), p.router)), pageErrors(options.log));
  app.get('/openapi.json', (req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.json(merge(apis, options.title, [`${req.protocol}://${req.get('host')}`]));
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '../openapi.json' }, customSiteTitle: options.title }));
  app.use((req, res) => void res.status(404).json({ code: 'NOT_FOUND', message: `没有这个接口: ${req.method} ${req.path}` }));
  app.use(errorMiddleware(options.log));
  return app;
}

/** How many leading segments of a path tell which API may serve it (up to the first parameter). */
const HEAD_DEPTH = 3;

/** A route's static head: its first HEAD_DEPTH segments up to the first that is not plain text, lower-cased ('/' when the first is not). */
function headOf(path: string): string {
  const statics: string[] = [];
  for (const segment of path.split('/').slice(1, HEAD_DEPTH + 1)) {
    if (/[:*{(]/.test(segment)) break; // a parameter, a wildcard, an optional part: not static
    statics.push(segment.toLowerCase());
  }
  return `/${statics.join('/')}`;
}

/**
 * Every API's routes as one middleware: a request is handed, in the APIs' order, to each API one
 * of whose routes' heads (headOf) its path begins with — compared as Express matches, without
 * regard to case — and passes the others at the cost of up to HEAD_DEPTH lookups in a set, where
 * a router would test each of its routes. Express can only match a route on a path that begins
 * with the route's head, so nothing it would serve is turned away. An error an endpoint raises is
 * answered by `errors` (JSON), never by the pages' error page.
 */
function endpoints(apis: Api[], errors: express.ErrorRequestHandler): express.RequestHandler {
  const entries = apis.map((api) => ({ router: api.router, heads: new Set(api.declared.map((d) => headOf(d.path))) }));
  const dispatch: express.RequestHandler = (req, res, next) => {
    const path = req.path.toLowerCase();
    const heads: string[] = [];
    for (let depth = 1, end = path.indexOf('/', 1); depth <= HEAD_DEPTH; depth++, end = path.indexOf('/', end + 1)) {
      heads.push(end === -1 ? path : path.slice(0, end));
      if (end === -1) break;
    }
    let i = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null && error !== 'router') return void errors(error, req, res, next);
      while (i < entries.length) {
        const entry = entries[i++]!;
        // '/': a route with a parameter first, which any path may match.
        if (entry.heads.has('/') || heads.some((head) => entry.heads.has(head))) return void entry.router(req, res, step);
      }
      next();
    };
    step();
  };
  // The routes stay visible as a router's are (the tests walk every served route).
  return Object.assign(dispatch, { stack: entries.flatMap((entry) => entry.router.stack) });
}

/** One document for a server's APIs, served at `servers`. */
function merge(apis: Api[], title: string, servers?: string[]) {
  const docs = apis.map((api) => api.document(servers));
  const first = docs[0]!;
  return {
    ...first,
    info: { ...first.info, title },
    paths: Object.assign({}, ...docs.map((d) => d.paths)),
    components: {
      schemas: Object.assign({}, ...docs.map((d) => d.components?.schemas ?? {})),
      securitySchemes: Object.assign({}, ...docs.map((d) => d.components?.securitySchemes ?? {})),
    },
  };
}

function pathParams(path: string) {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined;
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** How long a closing server waits for the requests under way before it cuts their connections. */
const CLOSE_GRACE_MS = 2_000;

export function listen(app: express.Express, port: number, host: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    answerClientErrors(server);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        // Requests under way are answered (their handlers still have the database); idle
        // connections close at once, and any still busy after a grace period are cut.
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
          }),
      });
    });
  });
}
