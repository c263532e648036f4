// H6: every endpoint a server serves is described in its OpenAPI document, and nothing else is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type express from 'express';
import type { Db } from '../services/platform/db.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp } from '../services/stack.js';
import { loadConfig } from '../services/platform/config.js';

const unusedDb = {} as Db; // building apps and documents reads no data
const log = () => {};

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
  const { listen } = await import('../services/platform/http.js');
  const server = await listen(app, 0, '127.0.0.1');
  try {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)).sort();
  } finally {
    await server.close();
  }
}

const providers = clientsFor(loadConfig({}), 'http://providers.invalid');
for (const [name, app] of [
  ['services', createServicesApp(unusedDb, providers, () => 'http://services.invalid', log)],
  ['providers', createProvidersApp(unusedDb, log)],
  ['control', createControlApp(unusedDb, providers, () => ({}), log)],
] as const) {
  test(`the ${name} server documents every endpoint it serves`, async () => {
    const served = servedRoutes(app);
    assert.ok(served.length > 3);
    assert.deepEqual(await documented(app), served);
  });
}
