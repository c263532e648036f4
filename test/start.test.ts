// First contact: every server's address opens a start page that leads to its API browser, and
// `npm start` as a newcomer runs it — it prints where everything is, the database included, and a
// stop signal sent to the npm process itself stops every server and PostgreSQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../kernel/config.js';
import { createDb } from '../kernel/db.js';
import { listen } from '../kernel/http.js';
import { startEmbedded } from '../kernel/embedded.js';
import { Live } from '../kernel/live.js';
import type { ServiceDeps } from '../services/deps.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp } from '../services/stack.js';

describe('start pages', () => {
  const log = () => {};
  const others = { services: 'http://127.0.0.1:1', providers: 'http://127.0.0.1:2', control: 'http://127.0.0.1:3' };

  for (const name of ['services', 'providers', 'control'] as const) {
    test(`the ${name} server answers / with a page linking its API browser, its document and the other servers`, async () => {
      // A page reads its run's clock (the console, the runs too): the database npm test provides.
      const db = createDb(loadConfig().databaseUrl, 2);
      const live = await Live.start(db, undefined);
      const deps: ServiceDeps = { db, live, providers: clientsFor(loadConfig({}), others.providers), publicUrl: () => others.services, config: loadConfig({}) };
      const app =
        name === 'services' ? createServicesApp(deps, log, () => others) : name === 'providers' ? createProvidersApp({ db, live }, log, () => others) : createControlApp(deps, () => others, log);
      const server = await listen(app, 0, '127.0.0.1');
      try {
        const page = await fetch(`${server.url}/`);
        assert.equal(page.status, 200);
        assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
        const html = await page.text();
        assert.match(html, /<h1>govsim [^<]+<\/h1>/);
        for (const href of ['docs/', 'openapi.json', ...Object.values(others).flatMap((base) => [`${base}/docs/`, `${base}/openapi.json`])]) {
          assert.ok(html.includes(`href="${href}"`), `links ${href}`);
        }
        // The links lead somewhere.
        assert.equal((await fetch(new URL('docs/', `${server.url}/`))).status, 200);
        assert.equal((await fetch(new URL('openapi.json', `${server.url}/`))).status, 200);
      } finally {
        await server.close();
        await live.close();
        await db.end();
      }
    });
  }
});

/** Whether nothing listens on a local port any more. */
const closed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms));

/** Polls `probe` until it answers, for at most `ms`; `what` is read when it fails (the output by then). */
async function within<T>(ms: number, what: () => string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what()}`);
    await sleep(100);
  }
}

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`prints every address and the database URL; ${signal} to the npm process stops the servers and PostgreSQL`, { timeout: 180_000 }, async () => {
      // Where the server's user can reach it when the tests run as root (a fresh temp folder is for its owner only).
      const dataDir = await mkdtemp(path.join(tmpdir(), 'govsim-start-'));
      await chmod(dataDir, 0o755);
      const pidFile = path.join(dataDir, 'pgdata', 'postmaster.pid');
      const { DATABASE_URL: _url, ...env } = process.env;
      const execPath = process.env.npm_execpath;
      const npm = spawn(execPath ? process.execPath : 'npm', [...(execPath ? [execPath] : []), 'start'], {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: {
          ...env,
          GOVSIM_DATABASE: 'embedded',
          GOVSIM_DATA_DIR: dataDir,
          GOVSIM_SERVICES_PORT: '0',
          GOVSIM_PROVIDERS_PORT: '0',
          GOVSIM_CONTROL_PORT: '0',
          GOVSIM_SEED_ENTERPRISES: '1',
          GOVSIM_LOG: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
      try {
        await within(120_000, () => `npm start to be ready; it printed:\n${output}`, async () => {
          if (output.includes('Press Ctrl-C to stop.')) return true;
          if (npm.exitCode !== null) throw new Error(`npm start ended: ${output}`);
          return undefined;
        });
        const urls = ['services', 'providers', 'control'].map((name) => new RegExp(`^  ${name} +(http://\\S+)`, 'm').exec(output)?.[1]);
        const databaseUrl = /^  database +(postgres:\/\/\S+)$/m.exec(output)?.[1];
        assert.ok(urls.every(Boolean) && databaseUrl, output);
        for (const url of urls) assert.equal((await fetch(`${url}/`)).status, 200, `start page of ${url}`);
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        // The default run is seeded: the world asked for, 广州's 信用修复 staff, 常州's register and officers.
        const seeded = await client.query<{ world: number; staff: number; officers: number; register: number }>(
          `SELECT (SELECT count(*)::int FROM registry_enterprises WHERE run = 'default') AS world,
                  (SELECT count(*)::int FROM credit_staff WHERE run = 'default') AS staff,
                  (SELECT count(*)::int FROM lic_officers WHERE run = 'default') AS officers,
                  (SELECT count(*)::int FROM lic_enterprises WHERE run = 'default') AS register`,
        );
        const { world, staff, officers, register } = seeded.rows[0]!;
        assert.ok(world >= 1 && staff > 0 && officers > 0 && register === 1, JSON.stringify(seeded.rows[0])); // GOVSIM_SEED_ENTERPRISES=1: one enterprise on the register
        await client.end();
        const ports = [...urls, databaseUrl].map((url) => Number(new URL(url!).port));
        assert.ok(existsSync(pidFile));

        npm.kill(signal);
        await within(30_000, () => 'the npm process to exit', async () => ((await Promise.race([exited.then(() => true), sleep(100)])) ? true : undefined));
        await within(30_000, () => `every port to close; govsim printed:\n${output}`, async () => ((await Promise.all(ports.map(closed))).every(Boolean) ? true : undefined));
        await within(10_000, () => 'PostgreSQL to remove its pid file', async () => (existsSync(pidFile) ? undefined : true));
        await within(10_000, () => `govsim to say it stopped; it printed:\n${output}`, async () => (/\[govsim\] stopped/.test(output) ? true : undefined));
      } finally {
        // Only when the test failed half-way: nothing of it may outlive the test.
        if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
        if (existsSync(pidFile)) process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT');
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('embedded PostgreSQL', () => {
  test('keeps npm start’s data where the server’s user can reach it, also under a folder closed to others (as /root is)', { timeout: 120_000 }, async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'govsim-home-')); // mode 700, like /root
    const wanted = path.join(home, '.govsim', 'pgdata');
    const lines: string[] = [];
    const start = () => freePort().then((port) => startEmbedded({ dataDir: wanted, port, flags: [], log: (line) => lines.push(line) }));
    let kept: string | undefined;
    try {
      const first = await start();
      kept = first.dataDir;
      try {
        const client = new pg.Client({ connectionString: first.url });
        await client.connect();
        await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
        await client.end();
      } finally {
        await first.stop();
      }
      if (process.getuid?.() === 0) {
        // The server runs as postgres, who cannot enter `home`: the data lives elsewhere, linked from where it was wanted.
        assert.ok((await lstat(wanted)).isSymbolicLink());
        assert.equal(await realpath(wanted), kept);
        assert.ok(!kept.startsWith(home), kept);
        assert.ok(lines.some((line) => line.includes(`cannot reach ${path.join(home, '.govsim')}`)), lines.join('\n'));
      } else {
        assert.equal(kept, wanted);
      }
      // The next start finds the same data.
      const second = await start();
      try {
        assert.equal(second.dataDir, kept);
        const client = new pg.Client({ connectionString: second.url });
        await client.connect();
        assert.deepEqual((await client.query('SELECT n FROM kept')).rows, [{ n: 42 }]);
        await client.end();
      } finally {
        await second.stop();
      }
    } finally {
      if (kept && !kept.startsWith(home)) await rm(path.dirname(kept), { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    }
  });
});
