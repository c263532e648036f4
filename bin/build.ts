// Builds the package (`npm run build`, and `npm pack` through prepack): the TypeScript of the
// kernel, the mocks, the services, govsim/testing and the command line compiled to JavaScript with
// declarations in dist/ (tsconfig.build.json), and every migration folder's SQL beside the module
// that reads it.
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

let copied = 0;
for (const top of ['kernel', 'mocks', 'services']) {
  for (const entry of await readdir(path.join(root, top), { recursive: true, withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name !== 'migrations') continue;
    const from = path.join(entry.parentPath, entry.name);
    await cp(from, path.join(dist, path.relative(root, from)), { recursive: true, filter: (source) => source === from || source.endsWith('.sql') });
    copied++;
  }
}
console.log(`dist/: compiled, ${copied} migration folders copied`);
