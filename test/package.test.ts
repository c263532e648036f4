// The package as an integrator gets it: `npm pack` (which builds dist/), the tarball installed into a
// fresh project beside vitest and msw — with no install script run, as npm runs none a project has
// not allowed — and then, in that project: the README's vitest example typechecked against the
// packed declarations (every library type checked) and run; govsim/mocks and govsim/testing
// imported by plain Node; `npx govsim --help`; and `govsim start` up on embedded PostgreSQL,
// answering its control API, `govsim conform` running the compiled scenarios against it, and
// `govsim start` stopped by SIGTERM. Network: the npm registry (the npm cache first).
import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = path.join(root, 'examples', 'vitest', 'providers.test.ts');
let dir: string;
let project: string;

/** The environment of a command run as an integrator would: this Node first on PATH, none of this run's npm, tsx or database settings. */
const env = (extra: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|DATABASE_URL$|GOVSIM_)/.test(key)));
  return { ...clean, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', ...extra } as NodeJS.ProcessEnv;
};

/** Runs a command to its end within `timeoutMs`; its output, or a failure that shows it. */
function run(command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env(), ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} ended with ${signal ?? `exit ${code}`}:\n${output}`));
    });
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'govsim-package-'));
  await chmod(dir, 0o755); // run as root, embedded PostgreSQL runs as postgres, who must reach the project
  project = path.join(dir, 'project');
  await run('npm', ['pack', '--pack-destination', dir], { cwd: root, timeoutMs: 180_000 });
  const [tarball] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack made no tarball');
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'integrator', private: true, type: 'module' }));
  await run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball), 'vitest@5', 'msw@3'], { cwd: project, timeoutMs: 300_000 });
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the README’s vitest example typechecks against the packed declarations and passes', async () => {
  await copyFile(example, path.join(project, 'providers.test.ts'));
  await writeFile(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ['providers.test.ts'] }),
  );
  await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, timeoutMs: 120_000 });
  const output = await run('npx', ['vitest', 'run', '--reporter', 'verbose'], { cwd: project, timeoutMs: 120_000 });
  assert.match(output, /Tests\s+4 passed \(4\)/, output);
});

test('plain Node imports govsim/mocks and govsim/testing; the command line answers --help', async () => {
  const script = `const m = await import('govsim/mocks'); const t = await import('govsim/testing'); console.log(typeof m.createProviders, typeof t.controlClient, m.providers.map((p) => p.name).join(','));`;
  assert.equal((await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project, timeoutMs: 60_000 })).trim(), 'function function identity,face,ctid,sms,video');
  const help = await run('npx', ['govsim', '--help'], { cwd: project, timeoutMs: 60_000 });
  for (const command of ['start', 'seed', 'migrate', 'conform']) assert.match(help, new RegExp(`govsim ${command}`));
});

test('govsim start runs on embedded PostgreSQL, govsim conform runs the scenarios against it, SIGTERM stops it and PostgreSQL', async () => {
  // The command npx runs; a signal to npx itself would not reach it (govsim then stops as its parent is gone).
  const child = spawn(path.join(project, 'node_modules', '.bin', 'govsim'), ['start'], {
    cwd: project,
    env: env({ GOVSIM_SERVICES_PORT: '0', GOVSIM_PROVIDERS_PORT: '0', GOVSIM_CONTROL_PORT: '0', GOVSIM_SEED_ENTERPRISES: '3', GOVSIM_DATA_DIR: path.join(dir, 'data') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const [services, control] = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within 120 s:\n${output}`)), 120_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const urls = [/services\s+(http:\/\/\S+)/.exec(output)?.[1], /control\s+(http:\/\/\S+)/.exec(output)?.[1]];
        if (output.includes('govsim is ready') && urls[0] && urls[1]) {
          clearTimeout(timer);
          resolve(urls as [string, string]);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      void exited.then((code) => reject(new Error(`govsim start ended (exit ${code}) before it was ready:\n${output}`)));
    });
    assert.match(output, /database: embedded/);
    const clock = await fetch(`${control}/harness/v1/clock`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(clock.status, 200);
    // The compiled scenarios and steps, run by the packed Cucumber against govsim's own services.
    const conformed = await run(
      path.join(project, 'node_modules', '.bin', 'govsim'),
      ['conform', '--target', services, '--control', control, '--target-control', control, '--tags', '@A1', '--workers', '1', '--reports', path.join(dir, 'conformance')],
      { cwd: project, timeoutMs: 180_000 },
    );
    assert.match(conformed, /(\d+) of \1 capabilities conform/, conformed);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 30 s'), 30_000))]);
  assert.equal(code, 0, output);
  assert.ok(!existsSync(path.join(dir, 'data', 'pgdata', 'postmaster.pid')), 'PostgreSQL is still running');
});
