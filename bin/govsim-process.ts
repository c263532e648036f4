// `npm start`'s entry (bin/govsim.ts start) run as a child process, its settings in its
// environment, ready once it prints where it serves: how the benchmark measures worker counts
// and how the instances test starts several govsim processes over one database.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { StackUrls } from '../services/stack.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const READY = 'Press Ctrl-C to stop.';

export interface GovsimProcess {
  urls: StackUrls;
  child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<void>;
  /** Kills it with every process it started (its workers): SIGKILL to its process group. */
  kill(): void;
  /** A stop signal (as Ctrl-C): it stops its workers, then itself; killed if not gone within `ms`. */
  stop(ms?: number): Promise<void>;
}

/** Starts govsim with `env` added to this process's environment; rejects with its output if it ends or is not ready within `timeoutMs`. */
export async function startGovsimProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<GovsimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/govsim.ts', 'start'], {
    cwd: ROOT,
    // A process group of its own: it is killed with its workers, and a Ctrl-C to the caller's
    // terminal is the caller's to pass on.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      kill();
      reject(new Error(`govsim ${why}; it printed:\n${text}`));
    };
    const read = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => fail(`ended while starting (${signal ?? `exit ${code}`})`));
  });
  const urls = Object.fromEntries(['services', 'providers', 'control'].map((server) => [server, new RegExp(`^  ${server} +(http://\\S+)`, 'm').exec(text)?.[1] ?? '']));
  return {
    urls: urls as unknown as StackUrls,
    child,
    output: () => text,
    exited,
    kill,
    stop: async (ms = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, ms);
      await exited;
      clearTimeout(timer);
    },
  };
}
