// The probes a deployment keeps govsim running by (kernel/probes.ts), on the three servers as
// served: /healthz answers while the process does; /readyz only while the database answers and has
// every migration — an empty database, one with a migration missing, a database that refuses
// connections and one that never answers are each 503 with their code, as the documents say. And
// the migration step of a deployment: `govsim migrate`, and servers that wait for it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../kernel/config.js';
import { createScratchDatabase, type ScratchDatabase } from '../kernel/database.js';
import { awaitMigrations, createDb, migrationFiles, type Db } from '../kernel/db.js';
import { listen, type Listening } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import { READY_WITHIN_MS } from '../kernel/probes.js';
import type { ServiceDeps } from '../services/deps.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp, migrateAll, migrationSets } from '../services/stack.js';
import { eventually } from '../features/support/eventually.js';
import { responseChecker, type ResponseCheck } from '../conformance/openapi-check.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const admin = createDb(databaseUrl, 2);
const shipped = (await migrationFiles(migrationSets)).map((m) => m.name);
const made: ScratchDatabase[] = [];

/** A new, empty database on the test server, dropped after the tests. */
async function emptyDatabase(): Promise<string> {
  const database = await createScratchDatabase(databaseUrl!, 'probe');
  made.push(database);
  return database.url;
}

interface Served {
  name: string;
  url: string;
  check: ResponseCheck;
}

/** The three servers over `db`, as startStack builds them (without the scheduler and the LISTEN connection). */
async function serve(db: Db): Promise<{ servers: Served[]; close(): Promise<void> }> {
  const live = await Live.start(db, undefined);
  const config = loadConfig({});
  const deps: ServiceDeps = { db, live, providers: clientsFor(config, 'http://providers.invalid'), publicUrl: () => '', config };
  const apps = { services: createServicesApp(deps, () => {}), providers: createProvidersApp({ db, live }, () => {}), control: createControlApp(deps, () => ({}), () => {}) };
  const opened: Listening[] = [];
  const servers: Served[] = [];
  for (const [name, app] of Object.entries(apps)) {
    const server = await listen(app, 0, '127.0.0.1');
    opened.push(server);
    servers.push({ name, url: server.url, check: responseChecker(await (await fetch(`${server.url}/openapi.json`)).json()) });
  }
  return { servers, close: async () => void (await Promise.all(opened.map((s) => s.close()))) };
}

/** GET a probe of a server, its answer checked against the server's document. */
async function probe(server: Served, path: '/healthz' | '/readyz') {
  const response = await fetch(`${server.url}${path}`);
  const body = await response.json();
  const problem = server.check('GET', path, response.status, body);
  assert.equal(problem, undefined, `${server.name} ${path}: ${problem}`);
  return { status: response.status, body };
}

async function everyServer(db: Db, expect: (answers: { server: string; healthz: Awaited<ReturnType<typeof probe>>; readyz: Awaited<ReturnType<typeof probe>> }) => void) {
  const { servers, close } = await serve(db);
  try {
    for (const server of servers) expect({ server: server.name, healthz: await probe(server, '/healthz'), readyz: await probe(server, '/readyz') });
  } finally {
    await close();
  }
}

before(async () => {
  await migrateAll(admin);
});
after(async () => {
  for (const database of made) await database.drop();
  await admin.end();
});

test('ready: the migrated database answers, every server says so', async () => {
  await everyServer(admin, ({ server, healthz, readyz }) => {
    assert.deepEqual(healthz, { status: 200, body: { status: 'ok' } }, server);
    assert.deepEqual(readyz, { status: 200, body: { status: 'ready', migrations: shipped.length } }, server);
  });
});

test('not ready while migrations are missing: all of them on an empty database, then the one taken away', async () => {
  const db = createDb(await emptyDatabase(), 2);
  try {
    await everyServer(db, ({ server, healthz, readyz }) => {
      assert.equal(healthz.status, 200, server);
      assert.deepEqual(readyz, { status: 503, body: { code: 'MIGRATIONS_PENDING', message: '数据库迁移尚未完成，服务暂不可用', details: { pending: shipped } } }, server);
    });
    await migrateAll(db);
    await everyServer(db, ({ server, readyz }) => assert.equal(readyz.status, 200, server));
    const last = shipped.at(-1)!;
    await db.query('DELETE FROM schema_migrations WHERE name = $1', [last]);
    await everyServer(db, ({ server, readyz }) => assert.deepEqual(readyz.body.details, { pending: [last] }, server));
  } finally {
    await db.end();
  }
});

test('not ready when the database refuses connections', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const db = createDb(`postgres://govsim:govsim@127.0.0.1:${port}/govsim`, 2);
  try {
    await everyServer(db, ({ server, healthz, readyz }) => {
      assert.equal(healthz.status, 200, server);
      assert.equal(readyz.status, 503, server);
      assert.equal(readyz.body.code, 'DATABASE_UNREACHABLE', server);
      assert.equal(readyz.body.message, '数据库无法连接，服务暂不可用');
      assert.match(readyz.body.details.reason, /ECONNREFUSED/);
    });
  } finally {
    await db.end();
  }
});

test(`not ready when the database does not answer: 503 after ${READY_WITHIN_MS} ms, not a hung probe`, async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => void sockets.push(socket)); // accepts the connection, says nothing
  const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
  const db = createDb(`postgres://govsim:govsim@127.0.0.1:${port}/govsim`, 2);
  try {
    await everyServer(db, ({ server, readyz }) => {
      assert.equal(readyz.status, 503, server);
      assert.deepEqual(readyz.body.details, { reason: `no answer within ${READY_WITHIN_MS} ms` }, server);
    });
  } finally {
    silent.close();
    for (const socket of sockets) socket.destroy();
    await db.end();
  }
});

test('servers that wait (GOVSIM_MIGRATIONS=wait) go on once another process has applied every migration', async () => {
  const url = await emptyDatabase();
  const db = createDb(url, 2);
  const job = createDb(url, 1); // the other process: a migration Job
  const stop = new AbortController();
  try {
    const said: string[] = [];
    let done = false;
    const waiting = awaitMigrations(db, migrationSets, { intervalMs: 20, log: (line) => said.push(line), signal: stop.signal }).then(() => (done = true));
    await eventually(async () => assert.ok(said.length, 'says what it waits for'));
    assert.equal(done, false);
    assert.match(said[0]!, new RegExp(`^waiting for migrations to be applied by another process: ${shipped[0]}, `));
    assert.deepEqual(await migrateAll(job), shipped);
    await waiting;
    assert.equal(new Set(said).size, said.length, 'says what it waits for only when that changes');
  } finally {
    stop.abort();
    await job.end();
    await db.end();
  }
});

test('`govsim migrate` applies the pending migrations and stops; again, it finds none', async () => {
  const url = await emptyDatabase();
  const run = () =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/govsim.ts', 'migrate'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: url, GOVSIM_DATABASE: 'url', GOVSIM_LOG: 'silent' },
    });
  assert.equal((await run()).stdout, `migrations applied: ${shipped.join(', ')}\n`);
  assert.equal((await run()).stdout, 'migrations: none pending\n');
});

test('a stop while waiting for migrations ends the wait', async () => {
  const db = createDb(await emptyDatabase(), 1);
  const stop = new AbortController();
  try {
    const waiting = awaitMigrations(db, migrationSets, { intervalMs: 20, signal: stop.signal });
    stop.abort(new Error('SIGTERM'));
    await assert.rejects(waiting, /SIGTERM/);
  } finally {
    await db.end();
  }
});
