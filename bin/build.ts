// Builds the package (`npm run build`, and `npm pack` through prepack): the TypeScript of the
// kernel, the mocks, the services, govsim/testing, the command line and what `govsim conform` runs
// (conformance/, the Gherkin's support code and steps) compiled to JavaScript with declarations in
// dist/ (tsconfig.build.json), and every other file of those folders — the migrations' SQL, the
// feature files, the pages' stylesheet — beside the modules that read it.
import { spawnSync } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');

await rm(dist, { recursive: true, force: true });
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

/** Copies the files under `top` that are not TypeScript to the same place under dist/; answers how many. */
async function copyOthers(top: string): Promise<number> {
  let copied = 0;
  for (const entry of await readdir(path.join(root, top), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
    const from = path.join(entry.parentPath, entry.name);
    await cp(from, path.join(dist, path.relative(root, from)));
    copied++;
  }
  return copied;
}

const tops = ['kernel', 'mocks', 'services', 'testing', 'conformance', 'features', 'step-definitions'];
const copied = (await Promise.all(tops.map(copyOthers))).reduce((a, b) => a + b, 0);
console.log(`dist/: compiled; ${copied} other files copied (SQL, features, stylesheets)`);
