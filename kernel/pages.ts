// Pages people use, served by the same servers as the APIs. Each app's pages are one `Pages`: a
// router and its declarations, as `Api` is for JSON routes. A page declares its access like a
// route does, and the kernel enforces it the same way — the app's session cookie is the
// credential a page carries where an API call carries a bearer token. A page's view renders its
// content (the layout wraps it); its actions are the forms it posts back to itself: the kernel
// reads the form (an empty field is no value), parses it with the same zod fields the APIs use,
// runs the action and answers 303 to where it leads. A refusal — of access, of a field, of a
// use-case — shows the same page again with the message (role="alert") and the refusal's HTTP
// status, the values sent kept in the form.
//
// The run key: the x-govsim-run header when a client sends one, else the `govsim-run` cookie (a
// browser opening a page sends no header; the cookie holds for every govsim server of the host,
// so the console's choice of run follows a person into the apps), else the default run.
import express, { type Request, type Response, type Router } from 'express';
import type { Access } from './access.js';
import { ASSETS } from './assets.js';
import { enterCallTime } from './clock.js';
import { AppError } from './errors.js';
import { html, type Html, type Markup } from './html.js';
import { contextOf, refusalOf, type Method, type RunContext } from './http.js';
import { BODY_LIMIT, checkInput, refusals } from './input.js';
import type { Live } from './live.js';
import { z, type ZodType } from './zod.js';

export const RUN_COOKIE = 'govsim-run';
/** The form field naming the action a submit button runs (`<button name="_action" value="…">`). */
export const ACTION_FIELD = '_action';

export interface PagesOptions {
  /** The app's name, as people call it (粤商通, 粤信签, 测试控制台). */
  app: string;
  /** phone: a mobile app's screens (a phone-sized column); desktop: back offices and the console. */
  layout: 'phone' | 'desktop';
  /** The app's first page (linked from the start pages and the console); none for pages only opened from a link (粤信签). */
  home?: string;
  /** The app's session cookie (name and path), when its pages have sessions: the credential its access resolves. */
  session?: { cookie: string; path: string };
  /** Where a GET refused with one of these codes leads instead (e.g. NOT_LOGGED_IN → the login page). */
  redirects?: Record<string, string>;
  /** Desktop layouts: the menu. */
  nav?: { label: string; path: string }[];
}

/** What the kernel tells a view: who is calling, the run, the URL's parameters, the values a refused form sent. */
export interface ViewInput<C, P, Q> {
  caller: C;
  ctx: RunContext;
  params: P;
  query: Q;
  /** The form values of a refused action, to fill the form again (empty on a GET). */
  values: Record<string, string>;
  /**
   * The caller as another declaration resolves them for this request, or undefined where it
   * refuses: for a part of the page shown only to whom its own access admits (a popup on 首页).
   */
  granted<G>(access: Access<G>): Promise<G | undefined>;
}

/** What an action may do to the browser besides answering: keep the app's session, choose a run. */
export interface BrowserCookies {
  keepSession(token: string): void;
  /** The session ended ([退出登录]): the browser forgets it. */
  forgetSession(): void;
  useRun(run: string): void;
}

/**
 * Where an action leads: a URL (303 See Other), or the same page again with a notice
 * (role="status") and, below it, what the action found (a query's answer, which no URL can show again).
 */
export type Next = string | { notice: string; result?: Markup };

export interface PageSpec<C, P extends ZodType, Q extends ZodType> {
  path: string;
  title: string;
  access: Access<C>;
  params?: P;
  query?: Q;
  /** Phone layout: where the back arrow (く) leads. */
  back?: string;
  /**
   * Its forms may carry files (multipart/form-data, up to BODY_LIMIT): a chosen file arrives as a
   * PageFile (`{ fileName, mimeType, content }`, the content base64), a file input left empty as no
   * value.
   */
  files?: boolean;
  view(input: ViewInput<C, z.infer<P>, z.infer<Q>>): Promise<Markup> | Markup;
}

/** A page or a form post, as declared: walked by the tests (every served route declared, every page answering). */
export interface DeclaredPage {
  method: Method;
  path: string;
  title: string;
  access: Access<unknown>;
  params?: ZodType | undefined;
  query?: ZodType | undefined;
  /** The forms a POST accepts, by action name. */
  forms?: Record<string, ZodType>;
  /** Its forms may carry files (multipart/form-data). */
  files?: boolean;
}

interface Action<C, P> {
  form: ZodType;
  act(input: { form: unknown; caller: C; ctx: RunContext; params: P; cookies: BrowserCookies }): Promise<Next>;
}

/** A declared page: add the forms it posts back to itself with `action()`. */
export interface Page<C, P> {
  /**
   * A form of this page, run by the submit button `<button name="_action" value="name">`
   * (`submit(label, name)`); `form` is parsed with the APIs' field rules before `act` runs.
   */
  action<F extends ZodType>(name: string, form: F, act: (input: { form: z.infer<F>; caller: C; ctx: RunContext; params: P; cookies: BrowserCookies }) => Promise<Next>): Page<C, P>;
}

const FORM_LIMIT = '64kb';
const notAForm = () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容须为表单（application/x-www-form-urlencoded）');
const noSuchAction = () => new AppError(400, 'INVALID_REQUEST', '请求格式不正确');

/** One cookie of the request (no parser package: a page reads two at most). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A form as sent, with the submit button's action apart and empty fields left out (an empty field is no value). */
function formOf(body: unknown): { action: string | undefined; values: Record<string, string>; fields: Record<string, unknown> } {
  const sent = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sent)) {
    if (key === ACTION_FIELD) continue;
    if (typeof value === 'string') values[key] = value;
    const kept = Array.isArray(value) ? value.filter((v) => v !== '') : value; // a list without its empty entries (a file input left empty)
    if (kept !== '' && !(Array.isArray(kept) && !kept.length)) fields[key] = kept;
  }
  const action = sent[ACTION_FIELD];
  return { action: typeof action === 'string' ? action : undefined, values, fields };
}

// What a form sends is text: these read it as the APIs' fields take it, before the fields' own rules.
/** A number field (a hidden version): its digits as a number; anything else as sent, for the field's rule to refuse. */
export const formNumber = (value: unknown) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value);
/** Checkboxes of one name: one ticked sends a string, several a list (a list either way); none ticked sends nothing. */
export const formList = (value: unknown) => (typeof value === 'string' ? [value] : value);

/** A file chosen in a page's form, as its action receives it: the content base64, as the APIs take files. */
export interface PageFile {
  fileName: string;
  mimeType: string;
  content: string;
}

/**
 * A multipart form (read whole by express.raw) as a urlencoded one arrives: text fields as strings,
 * a field sent twice as a list, a chosen file as a PageFile, a file input left empty as an empty
 * field. A body that is no multipart form is a refusal.
 */
async function multipartForm(req: Request, _res: Response, next: express.NextFunction) {
  if (!Buffer.isBuffer(req.body)) return next();
  try {
    const sent = await new globalThis.Response(new Uint8Array(req.body), { headers: { 'content-type': req.header('content-type') ?? '' } }).formData();
    const body: Record<string, unknown> = {};
    for (const [key, value] of sent) {
      const field = typeof value === 'string' ? value : value.size === 0 && value.name === '' ? '' : ({ fileName: value.name, mimeType: value.type, content: Buffer.from(await value.arrayBuffer()).toString('base64') } satisfies PageFile);
      body[key] = key in body ? [body[key], field].flat() : field;
    }
    req.body = body;
    next();
  } catch {
    next(refusals.request());
  }
}

export class Pages {
  readonly router: Router = express.Router();
  readonly declared: DeclaredPage[] = [];

  /** Where an unexpected error is logged: the log of the server that serves these pages (jsonApp sets it). */
  log: (line: string) => void = (line) => console.error(line);

  constructor(
    private readonly live: Live,
    readonly options: PagesOptions,
  ) {}

  page<C, P extends ZodType = ZodType<Record<string, string>>, Q extends ZodType = ZodType<Record<string, unknown>>>(spec: PageSpec<C, P, Q>): Page<C, z.infer<P>> {
    const actions = new Map<string, Action<C, z.infer<P>>>();
    const get: DeclaredPage = { method: 'get', path: spec.path, title: spec.title, access: spec.access as Access<unknown>, params: spec.params, query: spec.query };
    this.declared.push(get);

    /** The page: its view, or a refusal (with the values sent) above it. */
    const show = async (req: Request, res: Response, status: number, extra: { refusal?: AppError; notice?: string; result?: Markup; values?: Record<string, string> }) => {
      let ctx: RunContext | undefined;
      try {
        ctx = await this.contextOf(req);
        enterCallTime(ctx.now); // fields that depend on today (a birth date) see the run's clock
        const caller = await spec.access.resolve({ ctx, req, credential: this.credentialOf(req), params: req.params, query: req.query as Record<string, unknown>, rawBody: undefined });
        checkInput({ params: req.params, query: req.query }, 'request');
        const params = spec.params ? spec.params.parse(req.params) : req.params;
        const query = spec.query ? spec.query.parse(req.query) : req.query;
        const asked = ctx;
        const granted = <G>(access: Access<G>) =>
          access.resolve({ ctx: asked, req, credential: this.credentialOf(req), params: req.params, query: req.query as Record<string, unknown>, rawBody: undefined }).catch((error: unknown) => {
            if ((refusalOf(error)?.status ?? 500) < 500) return undefined;
            throw error;
          });
        const content = await spec.view({ caller, ctx, params, query, values: extra.values ?? {}, granted } as ViewInput<C, z.infer<P>, z.infer<Q>>);
        this.send(res, status, spec, ctx, { ...extra, content });
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) return this.failed(req, res, spec, error);
        const elsewhere = this.options.redirects?.[refusal.code];
        if (req.method === 'GET' && elsewhere) return res.redirect(303, elsewhere);
        this.send(res, refusal.status, spec, ctx, { refusal: extra.refusal ?? refusal });
      }
    };

    this.router.get(spec.path, (req, res) => show(req, res, 200, {}));

    /** A form posted back: its action run, or the page again with the refusal. */
    const receive = async (req: Request, res: Response) => {
      const { action: name, values, fields } = formOf(req.body);
      try {
        const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
        if (hasBody && !req.is('application/x-www-form-urlencoded') && !(spec.files && req.is('multipart/form-data'))) throw notAForm();
        const action = actions.get(name ?? (actions.size === 1 ? [...actions.keys()][0]! : ''));
        if (!action) throw noSuchAction();
        const ctx = await this.contextOf(req);
        enterCallTime(ctx.now);
        const caller = await spec.access.resolve({ ctx, req, credential: this.credentialOf(req), params: req.params, query: req.query as Record<string, unknown>, rawBody: fields });
        checkInput({ params: req.params, query: req.query, form: fields }, 'request');
        const params = (spec.params ? spec.params.parse(req.params) : req.params) as z.infer<P>;
        const form = action.form.parse(fields);
        const next = await action.act({ form, caller, ctx, params, cookies: this.cookiesFor(res) });
        // As an API's writes (Api fenceWrites): the next page, in whichever process, sees what the action changed.
        await this.live.fence();
        if (typeof next === 'string') return res.redirect(303, next);
        await show(req, res, 200, { notice: next.notice, result: next.result, values });
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) return this.failed(req, res, spec, error);
        await show(req, res, refusal.status, { refusal, values });
      }
    };

    const page: Page<C, z.infer<P>> = {
      action: (name, form, act) => {
        if (!actions.size) {
          this.declared.push({ ...get, method: 'post', forms: {}, ...(spec.files ? { files: true } : {}) });
          const files = spec.files ? [express.raw({ type: 'multipart/form-data', limit: BODY_LIMIT }), multipartForm] : [];
          this.router.post(spec.path, express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 100 }), ...files, receive);
        }
        actions.set(name, { form, act: act as Action<C, z.infer<P>>['act'] });
        this.declared.find((d) => d.method === 'post' && d.path === spec.path)!.forms![name] = form;
        return page;
      },
    };
    return page;
  }

  private contextOf(req: Request) {
    return contextOf(this.live, req, cookieOf(req, RUN_COOKIE));
  }

  private credentialOf(req: Request) {
    return this.options.session ? cookieOf(req, this.options.session.cookie) : undefined;
  }

  private cookiesFor(res: Response): BrowserCookies {
    const session = this.options.session;
    return {
      keepSession: (token) => {
        if (!session) throw new Error(`${this.options.app} has no session cookie`);
        res.cookie(session.cookie, token, { httpOnly: true, sameSite: 'lax', path: session.path });
      },
      forgetSession: () => {
        if (!session) throw new Error(`${this.options.app} has no session cookie`);
        res.clearCookie(session.cookie, { httpOnly: true, sameSite: 'lax', path: session.path });
      },
      useRun: (run) => void res.cookie(RUN_COOKIE, run, { sameSite: 'lax', path: '/' }),
    };
  }

  /** An error that is no refusal (a bug): logged, and the page says 系统繁忙 with 500. */
  private failed(req: Request, res: Response, spec: { title: string }, error: unknown) {
    this.log(`unexpected error on page ${req.method} ${req.originalUrl}: ${(error as Error).stack ?? String(error)}`);
    this.send(res, 500, spec, undefined, { refusal: new AppError(500, 'INTERNAL', '系统繁忙，请稍后重试') });
  }

  private send(res: Response, status: number, spec: { title: string; back?: string | undefined }, ctx: RunContext | undefined, shown: { content?: Markup; refusal?: AppError | undefined; notice?: string | undefined; result?: Markup }) {
    res.status(status).type('html').setHeader('cache-control', 'no-store');
    res.send(layout(this.options, spec, ctx?.run, shown).text);
  }
}

/**
 * What a page route raised before its handler ran — a form too large or not a form, a bad percent
 * escape in its path — shown as a page with the refusal (mounted right after the pages: jsonApp).
 */
export function pageErrors(log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    const refusal = refusalOf(error);
    if (!refusal) log(`unexpected error on page ${req.method} ${req.originalUrl}: ${(error as Error).stack ?? String(error)}`);
    const shown = refusal ?? new AppError(500, 'INTERNAL', '系统繁忙，请稍后重试');
    res.status(shown.status).type('html').send(layout({ app: 'govsim', layout: 'desktop' }, { title: '无法打开页面' }, undefined, { refusal: shown }).text);
  };
}

/** The page around a view: head (font, css, htmx), the app's bar or menu, a refusal or notice, the content. */
function layout(app: PagesOptions, page: { title: string; back?: string | undefined }, run: string | undefined, shown: { content?: Markup; refusal?: AppError | undefined; notice?: string | undefined; result?: Markup }): Html {
  const messages = html`${shown.refusal ? html`<div class="alert" role="alert"><p>${shown.refusal.message}</p><p class="code">错误码：${shown.refusal.code}</p></div>` : ''}${shown.notice ? html`<p class="notice" role="status">${shown.notice}</p>` : ''}`;
  const header =
    app.layout === 'phone'
      ? html`<header class="bar">${page.back ? html`<a class="back" href="${page.back}" aria-label="返回">く</a>` : ''}<h1>${page.title}</h1></header>`
      : html`<header class="top"><a class="brand" href="${app.home ?? '/'}">${app.app}</a><nav aria-label="菜单">${(app.nav ?? []).map((n) => html`<a href="${n.path}">${n.label}</a>`)}</nav></header>`;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title === app.app ? page.title : `${page.title} · ${app.app}`}</title>
${ASSETS.fonts.map((href) => html`<link rel="stylesheet" href="${href}">`)}<link rel="stylesheet" href="${ASSETS.css}">
<script src="${ASSETS.htmx}" defer></script>
</head><body class="${app.layout}">
${header}
<main>${app.layout === 'desktop' ? html`<h1>${page.title}</h1>` : ''}${messages}${shown.content}${shown.result}</main>
<footer>govsim · 运行 <code>${run ?? '—'}</code></footer>
</body></html>`;
}
