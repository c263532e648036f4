// H6: every endpoint a server serves is described in its OpenAPI document, and nothing else is —
// but its pages (kernel/pages.ts: HTML for people, declared apart, with their own access) and the
// assets they load; every served route, page or endpoint, declares who may call it (the kernel
// enforces the declaration); every
// operation documents its success answer and its error codes, and each document says where it is
// served. (That the answers match the documents is checked on every answer the suite receives:
// conformance/openapi-check.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type express from 'express';
import type { Db } from '../kernel/db.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp } from '../services/stack.js';
import { loadConfig } from '../kernel/config.js';
import type { Api } from '../kernel/http.js';
import type { Pages } from '../kernel/pages.js';
import { Live } from '../kernel/live.js';
import type { ServiceDeps } from '../services/deps.js';
import { responseChecker } from '../conformance/openapi-check.js';

const unusedDb = {} as Db; // building apps and documents reads no data
const log = () => {};
const live = await Live.start(unusedDb, undefined);

function servedRoutes(app: express.Express): string[] {
  const layers = (app.router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: unknown[] } }[] }).stack;
  const routes: string[] = [];
  const walk = (stack: typeof layers) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      else if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack as typeof layers);
    }
  };
  walk(layers);
  return routes.filter((r) => !/ \/(openapi\.json|docs.*|assets\/.*)$/.test(r)).sort();
}

interface Response {
  description: string;
  content?: Record<string, { schema?: { $ref?: string; properties?: { code?: { enum?: string[] } } } }>;
}
interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
}

/** The document a server serves, and the URL it was served at. */
async function served(app: express.Express): Promise<{ doc: Document; url: string }> {
  const { listen } = await import('../kernel/http.js');
  const server = await listen(app, 0, '127.0.0.1');
  try {
    return { doc: (await (await fetch(`${server.url}/openapi.json`)).json()) as Document, url: server.url };
  } finally {
    await server.close();
  }
}

async function documented(app: express.Express): Promise<string[]> {
  const { doc } = await served(app);
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)).sort();
}

const operations = (doc: Document) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, responses: op.responses })));

const deps: ServiceDeps = { db: unusedDb, live, providers: clientsFor(loadConfig({}), 'http://providers.invalid'), publicUrl: () => 'http://services.invalid', config: loadConfig({}) };
const apps = [
  ['services', createServicesApp(deps, log)],
  ['providers', createProvidersApp({ db: unusedDb, live }, log)],
  ['control', createControlApp(deps, () => ({}), log)],
] as const;

const withAccess = (declared: { method: string; path: string; access: { resolve?: unknown } }[]) =>
  declared.filter((d) => d.access && typeof d.access.resolve === 'function').map((d) => `${d.method} ${d.path.replace(/:(\w+)/g, '{$1}')}`);

const apisOf = (app: express.Express) => (app as unknown as { locals: { apis?: Api[] } }).locals.apis ?? [];

/** The routes declared through the kernel (Api.route / Api.handle), as the app holds them. */
function declaredRoutes(app: express.Express): string[] {
  return apisOf(app).flatMap((api) => withAccess(api.declared)).sort();
}

/**
 * Whether one request could match both routes ("get /a/{x}"): same method, as many segments, and
 * each pair of segments equal (Express matches paths without regard to case) or one a parameter.
 */
function overlaps(a: string, b: string): boolean {
  const [methodA, pathA] = a.split(' ') as [string, string];
  const [methodB, pathB] = b.split(' ') as [string, string];
  const segmentsA = pathA.split('/');
  const segmentsB = pathB.split('/');
  const param = (segment: string) => segment.startsWith('{');
  return methodA === methodB && segmentsA.length === segmentsB.length && segmentsA.every((x, i) => param(x) || param(segmentsB[i]!) || x.toLowerCase() === segmentsB[i]!.toLowerCase());
}
test('two routes overlap when one request could match both', () => {
  assert.ok(overlaps('get /yst/v1/risk/popup', 'get /yst/v1/risk/{week}'));
  assert.ok(overlaps('get /yst/{page}', 'get /YST/risk'));
  assert.ok(!overlaps('post /yst/v1/risk/popup', 'get /yst/v1/risk/popup'));
  assert.ok(!overlaps('get /yst/risk/popup', 'get /yst/risk'));
  assert.ok(!overlaps('get /yst/v1/risk', 'get /yst/risk/v1'));
});

/** The pages declared through the kernel (Pages.page / .action), as the app holds them. */
function declaredPages(app: express.Express): string[] {
  const pages = (app as unknown as { locals: { pages?: Pages[] } }).locals.pages ?? [];
  return pages.flatMap((p) => withAccess(p.declared)).sort();
}

for (const [name, app] of apps) {
  test(`the ${name} server documents every endpoint it serves, and none of its pages`, async () => {
    const pages = declaredPages(app);
    const endpoints = servedRoutes(app).filter((r) => !pages.includes(r));
    assert.ok(endpoints.length > 3);
    assert.ok(pages.includes('get /'), 'a start page (the console on the control server)');
    assert.deepEqual(await documented(app), endpoints);
  });
  test(`every route the ${name} server serves declares its access, as an endpoint or as a page`, () => {
    assert.deepEqual([...declaredRoutes(app), ...declaredPages(app)].sort(), servedRoutes(app));
  });

  test(`no page of the ${name} server is at a path one of its endpoints matches (the endpoints are matched first)`, () => {
    const endpoints = withAccess(apisOf(app).flatMap((api) => api.declared));
    const shadowed = declaredPages(app).filter((page) => endpoints.some((endpoint) => overlaps(page, endpoint)));
    assert.deepEqual(shadowed, []);
  });

  test(`every endpoint of the ${name} server is reached at its path, in any case (none is turned away before its route)`, async () => {
    const { listen } = await import('../kernel/http.js');
    const server = await listen(app, 0, '127.0.0.1');
    try {
      for (const { method, path } of apisOf(app).flatMap((api) => api.declared)) {
        const sample = path.replace(/:(\w+)/g, 'x');
        for (const variant of [sample, sample.toUpperCase(), `${sample}/`]) {
          const response = await fetch(`${server.url}${variant}`, { method: method.toUpperCase(), ...(method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
          const body = (await response.text()).slice(0, 200);
          assert.ok(!body.includes('没有这个接口'), `${method} ${variant}: ${response.status} ${body}`);
        }
      }
    } finally {
      await server.close();
    }
  });

  test(`the ${name} document says where it is served`, async () => {
    const { doc, url } = await served(app);
    assert.deepEqual(doc.servers, [{ url }]);
  });
  test(`every operation of the ${name} server documents its success answer and its error codes`, async () => {
    const { doc } = await served(app);
    for (const { name: operation, responses } of operations(doc)) {
      const statuses = Object.keys(responses);
      assert.ok(!statuses.includes('default'), `${operation}: an undocumented status must fail the response check, not fall back to default`);
      const success = statuses.filter((s) => /^2\d\d$/.test(s));
      assert.equal(success.length, 1, `${operation}: one success status, not ${success.join(', ')}`);
      const answer = responses[success[0]!]!;
      if (success[0] !== '204') assert.ok(answer.content && Object.values(answer.content).some((c) => c.schema), `${operation}: no success schema`);
      else assert.equal(answer.content, undefined, `${operation}: 204 with a body`);
      for (const status of statuses.filter((s) => !success.includes(s))) {
        const codes = responses[status]!.content?.['application/json']?.schema?.properties?.code?.enum;
        assert.ok(codes?.length, `${operation} ${status}: no error codes`);
      }
      assert.ok(responses['400'], `${operation}: the request errors every route may answer`);
    }
  });
}

test('an answer is checked against its operation: status, body, error code', async () => {
  const { doc } = await served(apps[1][1]);
  const check = responseChecker(doc);
  const session = { sessionId: '6f1c1b8e-3f7b-4c6e-9a55-0b1d2c3e4f50', status: 'PENDING', name: '田军', idNumber: '11010519491231002X', purpose: 'LOGIN', code: null, message: null, miniProgramUrl: 'http://x/page' };
  assert.equal(check('POST', '/face/v1/sessions', 201, session), undefined);
  assert.match(check('POST', '/face/v1/sessions', 200, session)!, /POST \/face\/v1\/sessions → 200: status not documented \(documented: 201, 400/);
  assert.match(check('POST', '/face/v1/sessions', 201, { ...session, extra: 1 })!, /must NOT have additional properties: extra/);
  assert.match(check('POST', '/face/v1/sessions', 201, { ...session, status: 'DONE' })!, /\/status must be equal to one of the allowed values \["PENDING","PASSED","FAILED"\], got "DONE"/);
  assert.match(check('GET', `/face/v1/sessions/${session.sessionId}?x=1`, 404, { code: 'NO_SUCH', message: '…' })!, /GET \/face\/v1\/sessions\/\{sessionId\} → 404: .*\n  \/code must be equal to one of the allowed values \["SESSION_NOT_FOUND"\]/);
  assert.equal(check('GET', `/face/v1/sessions/${session.sessionId}`, 404, { code: 'SESSION_NOT_FOUND', message: '人脸识别会话不存在' }), undefined);
  assert.match(check('GET', '/face/v1/nothing', 200, {})!, /no such operation/);
});
