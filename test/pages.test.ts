// Pages never fail on what a browser may send. Every page the three servers declare
// (kernel/pages.ts) is opened with hostile path parameters and queries, and every form of it is
// posted with hostile values — empty, blank, control characters, half a surrogate pair, markup,
// far too long, repeated, a body that is not a form, one over the size limit: each answer is a
// page (text/html) below 500; a refusal shows its message and 错误码 in role="alert"; nothing a
// request carried reaches the page unescaped. (What the forms do is the use-cases', which the
// API's fuzz test and the @ui scenarios cover.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import { Live } from '../kernel/live.js';
import { ACTION_FIELD, RUN_COOKIE, type DeclaredPage, type Pages } from '../kernel/pages.js';
import type { ServiceDeps } from '../services/deps.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp, migrateAll, startStack, type Stack, type StackUrls } from '../services/stack.js';

const config = loadConfig();
const db: Db = createDb(config.databaseUrl, 4);
const run = `pages-${randomUUID()}`;
let stack: Stack;

const MARKUP = '<script>alert("页")</script>';
const HOSTILE = ['', ' ', 'x\u0000y', '\uD800', MARKUP, '"><img src=x>', '٣٤٥', "' OR 1=1 --", '9'.repeat(40), '-1', '2026-02-30', '长'.repeat(3000)];
const HOSTILE_PARAMS = ['x', '00000000-0000-0000-0000-000000000000', encodeURIComponent(MARKUP), '%00', '%E0%A4%A', '%ED%A0%80'];
/** A value as a query carries it (half a surrogate pair as the bytes of one, which encodeURIComponent refuses). */
const inQuery = (value: string) => (value === '\uD800' ? '%ED%A0%80' : encodeURIComponent(value.slice(0, 300))); // within Node's 16 KB of headers

/** Every page each server declares (built apart, as the OpenAPI test does: declarations need no data). */
async function declaredPages(): Promise<{ server: keyof StackUrls; page: DeclaredPage }[]> {
  const unusedDb = {} as Db;
  const live = await Live.start(unusedDb, undefined);
  const deps: ServiceDeps = { db: unusedDb, live, providers: clientsFor(config, 'http://providers.invalid'), publicUrl: () => '', config };
  const apps = { services: createServicesApp(deps, () => {}), providers: createProvidersApp({ db: unusedDb, live }, () => {}), control: createControlApp(deps, () => ({}), () => {}) };
  await live.close();
  return (Object.entries(apps) as [keyof StackUrls, typeof apps.services][]).flatMap(([server, app]) => ((app.locals.pages ?? []) as Pages[]).flatMap((p) => p.declared.map((page) => ({ server, page }))));
}

const pathsOf = (page: DeclaredPage) =>
  page.path.includes(':') ? HOSTILE_PARAMS.map((value) => page.path.replace(/:(\w+)/g, value)) : [page.path];

async function send(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { cookie: `${RUN_COOKIE}=${run}`, ...init.headers } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

function checkPage(request: string, answer: { status: number; type: string; body: string }) {
  const what = request.length > 200 ? `${request.slice(0, 200)}…` : request;
  assert.ok(answer.status < 500, `${what} → ${answer.status}\n${answer.body.slice(0, 2000)}`);
  if (answer.status >= 300 && answer.status < 400) return; // 303 to the next page (or to 请登录)
  assert.match(answer.type, /^text\/html/, `${what} → ${answer.status} ${answer.type}`);
  assert.ok(!answer.body.includes(MARKUP), `${what}: markup sent came back unescaped`);
  if (answer.status >= 400) assert.match(answer.body, /role="alert"><p>[^<]+<\/p><p class="code">错误码：[A-Z_]+<\/p>/, `${what} → ${answer.status} without its refusal shown`);
}

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...config, servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, () => {});
});

after(async () => {
  await fetch(`${stack.urls.control}/harness/v1/reset`, { method: 'POST', headers: { 'x-govsim-run': run } });
  await stack.close();
  await db.end();
});

test('every page, opened with hostile path parameters and queries, answers a page below 500', async () => {
  const pages = (await declaredPages()).filter((p) => p.page.method === 'get');
  assert.ok(pages.length >= 10, `only ${pages.length} pages`);
  let requests = 0;
  for (const { server, page } of pages) {
    for (const path of pathsOf(page)) {
      for (const query of ['', ...HOSTILE.map((v) => `?return=${inQuery(v)}&mobile=${inQuery(v)}&provider=${inQuery(v)}&subject=${inQuery(v)}`)]) {
        checkPage(`GET ${server} ${path}${query}`, await send(`${stack.urls[server]}${path}${query}`));
        requests++;
      }
    }
  }
  console.log(`pages: ${pages.length} pages, ${requests} requests`);
});

test('every form, posted with hostile values, answers a page below 500 with its refusal shown', async () => {
  const forms = (await declaredPages()).filter((p) => p.page.method === 'post');
  assert.ok(forms.length >= 5, `only ${forms.length} forms`);
  let requests = 0;
  for (const { server, page } of forms) {
    const actions = Object.entries(page.forms ?? {});
    for (const path of pathsOf(page)) {
      for (const [action, schema] of actions) {
        const fields = Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {});
        const bodies = [
          ...HOSTILE.map((value) => new URLSearchParams([[ACTION_FIELD, action], ...fields.map((f): [string, string] => [f, value])])),
          new URLSearchParams([[ACTION_FIELD, action], ...fields.flatMap((f): [string, string][] => [[f, '1'], [f, '2']])]),
          new URLSearchParams([[ACTION_FIELD, `${action}-none`]]),
        ];
        for (const body of bodies) {
          checkPage(`POST ${server} ${path} ${action} ${body.toString().slice(0, 80)}`, await send(`${stack.urls[server]}${path}`, { method: 'POST', body }));
          requests++;
        }
      }
      const url = `${stack.urls[server]}${path}`;
      if (page.files) {
        // A form with files: multipart with hostile values and a file, and a body that only says it is multipart.
        for (const [action, schema] of actions) {
          const multipart = new FormData();
          multipart.set(ACTION_FIELD, action);
          for (const field of Object.keys((schema as unknown as { shape?: Record<string, unknown> }).shape ?? {})) multipart.set(field, new Blob([MARKUP]), `${MARKUP}.pdf`);
          checkPage(`POST ${server} ${path} ${action} multipart`, await send(url, { method: 'POST', body: multipart }));
        }
        checkPage(`POST ${server} ${path} broken multipart`, await send(url, { method: 'POST', body: '--x\r\nbroken', headers: { 'content-type': 'multipart/form-data; boundary=x' } }));
        requests += actions.length + 1;
      }
      checkPage(`POST ${server} ${path} as JSON`, await send(url, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
      checkPage(`POST ${server} ${path} over the limit`, await send(url, { method: 'POST', body: `${ACTION_FIELD}=x&a=${'x'.repeat(70_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
      requests += 2;
    }
  }
  console.log(`forms: ${forms.length} forms, ${requests} requests`);
});
