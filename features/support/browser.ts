// One Chromium per Cucumber worker process, launched on first use and closed after the worker's
// last scenario. The browser is GOVSIM_CHROMIUM when set (a system Chromium or Chrome), else the
// Chromium the npm package @sparticuz/chromium ships (brotli-packed in node_modules, unpacked into
// the temporary folder the first time: no download, no install script). Two workers starting at
// once on a fresh machine would unpack into the same place: the first takes a lock (a folder made
// atomically) and the other waits for it. Both packages are loaded at launch only: `govsim conform`
// (the @api scenarios) runs this support code where they are not installed.
import { existsSync } from 'node:fs';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../kernel/config.js';

let launched: Promise<Browser> | undefined;

/** The worker's browser. */
export function browser(): Promise<Browser> {
  return (launched ??= launch());
}

export async function closeBrowser(): Promise<void> {
  if (!launched) return;
  const closing = launched;
  launched = undefined;
  await (await closing).close();
}

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const { chromium: configured } = loadConfig();
  if (configured) return chromium.launch({ executablePath: configured, headless: true });
  const { default: sparticuz } = await import('@sparticuz/chromium');
  sparticuz.setGraphicsMode = false; // no WebGL: nothing to unpack for it
  // Its flags are for AWS Lambda, where Chromium must run in one process; here that process dies
  // when a scenario closes one of several browser contexts, so the browser keeps its processes.
  const args = sparticuz.args.filter((flag) => flag !== '--single-process');
  return chromium.launch({ executablePath: await unpacked(sparticuz), args, headless: true });
}

const UNPACK_LOCK = path.join(tmpdir(), 'govsim-chromium.lock');
const STALE_MS = 120_000;

/** @sparticuz/chromium's binary, unpacked once per machine (under a lock between processes). */
async function unpacked(sparticuz: typeof import('@sparticuz/chromium').default): Promise<string> {
  for (;;) {
    try {
      await mkdir(UNPACK_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(UNPACK_LOCK).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (since > STALE_MS) await rmdir(UNPACK_LOCK).catch(() => {}); // a process died while unpacking
      else await sleep(200);
    }
  }
  try {
    const executable = await sparticuz.executablePath();
    if (!existsSync(executable)) throw new Error(`@sparticuz/chromium did not unpack Chromium to ${executable}`);
    return executable;
  } finally {
    await rmdir(UNPACK_LOCK).catch(() => {});
  }
}
