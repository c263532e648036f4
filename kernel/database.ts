// Where PostgreSQL comes from: DATABASE_URL if set; else testcontainers' PostgreSQL when a
// container runtime answers; else embedded PostgreSQL (real PostgreSQL binaries from npm, run by
// embedded.ts).
// The caller logs `source` so a user always knows which one is in use.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Config } from './config.js';
import { startEmbedded } from './embedded.js';

// A test database: nothing in it must survive a crash, and many connections run at once (at least
// 200, more when the caller needs them: every worker of `npm start` has pools of its own). Seeding
// a world loads tables of its own in the transaction that makes them: with wal_level minimal (no
// replicas) PostgreSQL writes them without logging every row, and builds their keys in memory.
const serverFlags = (connections = 0) => [
  ...['-c', `max_connections=${Math.max(200, connections)}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  ...['-c', 'wal_level=minimal', '-c', 'max_wal_senders=0', '-c', 'max_wal_size=4GB', '-c', 'maintenance_work_mem=256MB'],
];

export interface AcquiredDatabase {
  url: string;
  source: 'url' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

export interface AcquireOptions {
  /** Keep data in this folder across runs (npm start); a throw-away temp folder when absent. */
  persistentDir?: string;
  log?: (line: string) => void;
  /** Connections the caller will hold at once: an embedded server is started to take them. */
  connections?: number;
}

export async function acquireDatabase(config: Pick<Config, 'databaseUrl' | 'database'>, options: AcquireOptions = {}): Promise<AcquiredDatabase> {
  const log = options.log ?? (() => {});
  const choice = config.database === 'auto' ? (config.databaseUrl ? 'url' : 'auto') : config.database;
  if (choice === 'url') {
    if (!config.databaseUrl) throw new Error('GOVSIM_DATABASE=url needs DATABASE_URL');
    log(`database: DATABASE_URL (${redact(config.databaseUrl)})`);
    return { url: config.databaseUrl, source: 'url', stop: async () => {} };
  }
  if (choice === 'testcontainers' || choice === 'auto') {
    const container = await tryTestcontainers(choice === 'testcontainers');
    if (container) {
      log(`database: testcontainers PostgreSQL (${redact(container.url)})`);
      return container;
    }
  }
  const embedded = await startEmbedded({ dataDir: options.persistentDir && path.join(options.persistentDir, 'pgdata'), port: await freePort(), flags: serverFlags(options.connections), log });
  log(`database: embedded PostgreSQL (${embedded.dataDir}, port ${embedded.port})`);
  return { url: embedded.url, source: 'embedded', stop: embedded.stop };
}

async function tryTestcontainers(required: boolean): Promise<AcquiredDatabase | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch (error) {
    if (required) throw new Error(`GOVSIM_DATABASE=testcontainers but no container runtime answers: ${(error as Error).message}`);
    return undefined;
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A connection URL without its password. */
export const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** The URL of database `name` on the server `url` points to (its user, host and options kept). */
export function databaseUrlOf(url: string, name: string): string {
  const other = new URL(url);
  other.pathname = `/${name}`;
  return other.toString();
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops it, whoever is still connected. */
  drop(): Promise<void>;
}

/** A new, empty database on the server `url` points to, named `<prefix>_<random>`: for a test or a benchmark that needs one of its own. */
export async function createScratchDatabase(url: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(url, (admin) => admin.query(`CREATE DATABASE ${name}`));
  return { name, url: databaseUrlOf(url, name), drop: () => onServer(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

async function onServer(url: string, statement: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await statement(admin);
  } finally {
    await admin.end();
  }
}
