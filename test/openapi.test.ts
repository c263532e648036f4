// H6: every endpoint a server serves is described in its OpenAPI document, and nothing else is;
// and every served route declares who may call it (the kernel enforces the declaration).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type express from 'express';
import type { Db } from '../kernel/db.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp } from '../services/stack.js';
import { loadConfig } from '../kernel/config.js';
import type { Api } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import type { ServiceDeps } from '../services/deps.js';

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
  return routes.filter((r) => !/ \/(openapi\.json|docs.*|)$/.test(r)).sort();
}

async function documented(app: express.Express): Promise<string[]> {
  const { listen } = await import('../kernel/http.js');
  const server = await listen(app, 0, '127.0.0.1');
  try {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)).sort();
  } finally {
    await server.close();
  }
}

const deps: ServiceDeps = { db: unusedDb, live, providers: clientsFor(loadConfig({}), 'http://providers.invalid'), publicUrl: () => 'http://services.invalid', config: loadConfig({}) };
const apps = [
  ['services', createServicesApp(deps, log)],
  ['providers', createProvidersApp({ db: unusedDb, live }, log)],
  ['control', createControlApp(deps, () => ({}), log)],
] as const;

/** The routes declared through the kernel (Api.route / Api.handle), as the app holds them. */
function declaredRoutes(app: express.Express): string[] {
  const apis = (app as unknown as { locals: { apis?: Api[] } }).locals.apis ?? [];
  return apis.flatMap((api) => api.declared.filter((d) => d.access && typeof d.access.resolve === 'function').map((d) => `${d.method} ${d.path.replace(/:(\w+)/g, '{$1}')}`)).sort();
}

for (const [name, app] of apps) {
  test(`the ${name} server documents every endpoint it serves`, async () => {
    const served = servedRoutes(app);
    assert.ok(served.length > 3);
    assert.deepEqual(await documented(app), served);
  });
  test(`every route the ${name} server serves declares its access`, () => {
    assert.deepEqual(declaredRoutes(app), servedRoutes(app));
  });
}
