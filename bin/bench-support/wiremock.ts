// WireMock 3.13 (the jar the `wiremock` npm package ships) as the reference HTTP mock: started on a
// free port with one stub, for comparing the face provider mock's verify against it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface WireMock {
  url: string;
  flags: string[];
  jar: string;
  /** Peak resident memory of the JVM so far (VmHWM), in MiB; undefined when /proc does not say. */
  peakRssMiB(): number | undefined;
  stop(): Promise<void>;
}

/** Whether `java` runs (WireMock needs Java 11+; this machine has 17). */
export function javaAvailable(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** The standalone jar inside node_modules/wiremock (its package.json names it by a regexp). */
export function wiremockJar(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('wiremock/package.json');
  const root = path.dirname(packageJson);
  const pattern = new RegExp((JSON.parse(readFileSync(packageJson, 'utf8')) as { 'runnable-jar-regexp'?: string })['runnable-jar-regexp'] ?? 'build/.*\\.jar');
  const jar = readdirSync(path.join(root, 'build'))
    .map((file) => `build/${file}`)
    .find((file) => pattern.test(file));
  if (!jar) throw new Error(`no WireMock jar under ${root}/build`);
  return path.join(root, jar);
}

// Port 0: WireMock picks a free port and prints it ("port: 12345"). The request journal and the
// per-request notifier logging are off: the stub is always the same one, and govsim runs with
// logging silenced too.
const FLAGS = ['--port', '0', '--bind-address', '127.0.0.1', '--disable-banner', '--no-request-journal', '--disable-request-logging'];

export async function startWireMock(): Promise<WireMock> {
  const jar = wiremockJar();
  const child = spawn('java', ['-jar', jar, ...FLAGS], { stdio: ['ignore', 'pipe', 'pipe'] });
  // However this process ends (a crash, a closed stdout), the JVM must not outlive it.
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WireMock did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^port:\s+(\d+)/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`WireMock exited (${code}) before it started:\n${output}`));
    });
  });
  // Keep draining its output so a full pipe never blocks the JVM.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    flags: FLAGS,
    jar,
    peakRssMiB: () => peakRss(child),
    stop: () => stop(child),
  };
}

/** Registers a stub: POST `urlPath` answers 200 with `body` as JSON. */
export async function stubJson(wiremock: WireMock, urlPath: string, body: unknown): Promise<void> {
  const response = await fetch(`${wiremock.url}/__admin/mappings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      request: { method: 'POST', url: urlPath },
      response: { status: 200, jsonBody: body, headers: { 'Content-Type': 'application/json; charset=utf-8' } },
    }),
  });
  if (response.status !== 201) throw new Error(`WireMock refused the stub: ${response.status} ${await response.text()}`);
}

function peakRss(child: ChildProcess): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
