// PostgreSQL in this process: PGlite (PostgreSQL compiled to WebAssembly) behind the part of a
// `pg` pool that govsim's stores use, so that the same SQL runs on it unchanged:
// query(text, values) and query({ name, text, values }), connect() → a client for a transaction
// (query, release), end(). A query without values runs as a simple query, several statements at
// once (a migration file), as with pg. `name` (a statement pg prepares once) is not needed: PGlite
// parses every statement anyway. Values come back as from the pool in db.ts: DATE as 'YYYY-MM-DD',
// int8 as a number, timestamptz as a Date, json as values.
//
// PGlite is one connection. A client holds it from connect() to release(), as a pool of one would:
// the pool's other queries wait until it is released (a query through the pool while its own
// client is held would wait for ever, as on a pool of one; the stores never do that).
//
// Making a PGlite database runs initdb inside WebAssembly, which costs several times what loading
// a copy does. openPglite keeps a copy of the migrated database in a folder of the user's own under
// the system's temporary folder, named by the PGlite version and the migrations' text, and starts
// from it when it is there: only the first process on a machine (after an upgrade) makes one.
import { PGlite, types, type Results } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { migrate, type Db, type MigrationSet } from './db.js';

type QueryConfig = string | { text: string; values?: unknown[] | undefined; name?: string | undefined };

class PgliteDb {
  /** Set while a client holds the connection; resolved at its release. */
  private held: Promise<void> | undefined;
  ending = false;
  ended = false;

  constructor(private readonly pglite: PGlite) {}

  async query(config: QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    while (this.held) await this.held;
    return this.run(config, values);
  }

  async connect(): Promise<Pick<pg.PoolClient, 'query' | 'release'>> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    let released = false;
    return {
      query: ((config: QueryConfig, values?: unknown[]) => this.run(config, values)) as pg.PoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        this.held = undefined;
        release();
      },
    };
  }

  async end(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    while (this.held) await this.held;
    await this.pglite.close();
    this.ended = true;
  }

  private async run(config: QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const text = typeof config === 'string' ? config : config.text;
    const params = typeof config === 'string' ? values : (config.values ?? values);
    if (params === undefined) return resultOf((await this.pglite.exec(text)).at(-1)!);
    return resultOf(await this.pglite.query(text, params));
  }
}

const resultOf = (result: Results): pg.QueryResult => ({
  command: (result as { command?: string }).command ?? '',
  rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
  oid: 0,
  fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, tableID: 0, columnID: 0, dataTypeSize: 0, dataTypeModifier: 0, format: 'text' })),
  rows: result.rows as pg.QueryResultRow[],
});

const PARSERS = { [types.DATE]: (value: string) => value, [types.INT8]: (value: string) => Number(value) };

/**
 * A PGlite database in memory as govsim's `Db`, with these migrations applied: only query,
 * connect (query, release) and end are there, which is what the stores, migrate() and the
 * provider mocks call.
 */
export async function openPglite(migrations: MigrationSet[]): Promise<Db> {
  const copy = await keptCopy(migrations).catch(() => undefined);
  const kept = copy && (await readFile(copy).catch(() => undefined));
  let pglite: PGlite | undefined;
  if (kept) pglite = await PGlite.create({ loadDataDir: new Blob([kept], { type: 'application/x-tar' }), parsers: PARSERS }).catch(() => undefined);
  const made = !pglite;
  pglite ??= await PGlite.create({ parsers: PARSERS });
  const db = new PgliteDb(pglite) as unknown as Db;
  try {
    await migrate(db, migrations);
    if (made && copy) await keep(pglite, copy).catch(() => {});
  } catch (error) {
    await db.end();
    throw error;
  }
  return db;
}

/** The folder of the kept copies (this user's own). */
export const keptCopiesDir = () => path.join(tmpdir(), `govsim-pglite-${process.getuid?.() ?? 'user'}`);

/** Where the copy of a database with these migrations is kept (in a folder only this user may change). */
async function keptCopy(migrations: MigrationSet[]): Promise<string | undefined> {
  const hash = createHash('sha256').update(`pglite ${await pgliteVersion()}\n`);
  for (const set of migrations) {
    for (const file of (await readdir(set.dir)).filter((f) => f.endsWith('.sql')).sort()) hash.update(`${set.owner}/${file}\n`).update(await readFile(path.join(set.dir, file)));
  }
  const uid = process.getuid?.();
  const dir = keptCopiesDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const folder = await stat(dir);
  if (uid !== undefined && (folder.uid !== uid || folder.mode & 0o022)) return undefined;
  return path.join(dir, `${hash.digest('hex').slice(0, 32)}.tar`);
}

async function keep(pglite: PGlite, file: string): Promise<void> {
  const dump = await pglite.dumpDataDir('none');
  const partial = `${file}.${process.pid}.partial`;
  try {
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file); // whole or not at all, whoever else is writing it
  } finally {
    await rm(partial, { force: true });
  }
  // Copies for other migrations or versions, unchanged for a week, go.
  const dir = path.dirname(file);
  for (const other of await readdir(dir)) {
    const full = path.join(dir, other);
    if (full !== file && other.endsWith('.tar') && Date.now() - (await stat(full)).mtimeMs > STALE_MS) await rm(full, { force: true });
  }
}

const STALE_MS = 7 * 86_400_000;

async function pgliteVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  return (JSON.parse(await readFile(path.resolve(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}
