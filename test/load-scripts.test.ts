// What k6 runs is load/dist/, built by bin/build-load.ts: every built script must parse on the
// oldest k6 the README names (0.45, ES2017 in goja) and import nothing but k6's own modules.
// No acorn here to parse at a fixed ECMAScript version, so esbuild's parser decides: a script is
// ES2017 when lowering it to ES2017 changes nothing, i.e. it holds no syntax newer than ES2017.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { transform } from 'esbuild';
import { buildLoad, K6_TARGET, loadScripts } from '../bin/build-load.js';

const outdir = await mkdtemp(join(tmpdir(), 'govsim-load-'));
after(() => rm(outdir, { recursive: true, force: true }));

/** The syntax in `code` newer than ES2017, as esbuild lowers it; '' when there is none. */
async function beyondEs2017(code: string) {
  const as = async (target: string) => (await transform(code, { format: 'esm', target, logLevel: 'silent' })).code;
  const [esnext, es2017] = await Promise.all([as('esnext'), as(K6_TARGET)]);
  return esnext === es2017 ? '' : es2017;
}

test('the ES2017 check finds what k6 0.45 refuses (`??`, `?.`, catch without binding, object spread, async iteration)', async () => {
  for (const newer of ['export const a = (x) => x ?? 1;', 'export const a = (x) => x?.y;', 'export function a() { try { a(); } catch { return 1; } }', 'export const a = (x) => ({ ...x });', 'export async function a(xs) { for await (const x of xs) return x; }']) {
    assert.notEqual(await beyondEs2017(newer), '', newer);
  }
  assert.equal(await beyondEs2017('export async function a(x) { const { y } = x; return [...y].map((z) => z ** 2); }'), '');
});

test('every load script builds into one ES2017 module that imports only k6', async () => {
  const { outputs, metafile } = await buildLoad(outdir);
  const scripts = loadScripts().map((s) => basename(s));
  assert.deepEqual(outputs.map((o) => basename(o)).sort(), scripts);
  assert.ok(scripts.includes('weekly-fanout.js') && scripts.includes('reminders.js'));
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const code = await readFile(path, 'utf8');
    assert.equal(await beyondEs2017(code), '', `${path} holds syntax newer than ES2017`);
    for (const i of output.imports) assert.ok(i.external && /^(k6(\/|$)|https:\/\/)/.test(i.path), `${path} imports ${i.path}`);
    assert.deepEqual(output.exports.sort(), ['default', 'handleSummary', 'options', 'setup'], path);
  }
});
