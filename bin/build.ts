// Builds the package (`npm run build`, and `npm pack` through prepack): the TypeScript of the
// kernel, the mocks, the services, govsim/testing, the command line and what `govsim conform` runs
// (conformance/, the Gherkin's support code and steps) compiled to JavaScript with declarations in
// dist/ (tsconfig.build.json); every migration folder's SQL beside the module that reads it, and
// the feature files beside their support code.
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

/** Copies the files under `top` that `wanted` picks to the same place under dist/; answers how many. */
async function copyFiles(top: string, wanted: (file: string) => boolean): Promise<number> {
  let copied = 0;
  for (const entry of await readdir(path.join(root, top), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !wanted(path.join(entry.parentPath, entry.name))) continue;
    const from = path.join(entry.parentPath, entry.name);
    await cp(from, path.join(dist, path.relative(root, from)));
    copied++;
  }
  return copied;
}

const isMigration = (file: string) => file.endsWith('.sql') && path.basename(path.dirname(file)) === 'migrations';
const sql = (await Promise.all(['kernel', 'mocks', 'services'].map((top) => copyFiles(top, isMigration)))).reduce((a, b) => a + b, 0);
const features = await copyFiles('features', (file) => file.endsWith('.feature'));
console.log(`dist/: compiled; ${sql} migration files and ${features} feature files copied`);
