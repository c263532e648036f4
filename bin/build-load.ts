// Builds what k6 runs: each load/*.js script, with the load/lib/ modules it imports, bundled into
// load/dist/<name>.js at ES2017, the syntax the oldest k6 the README names (0.45, goja) parses:
// `??`, `?.`, `catch {` and object spread are lowered here rather than refused by k6 at start.
// k6's own modules stay imports: k6 provides them at run time.
//   npm run build:load [-- --outdir load/dist]
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';

export const LOAD_DIR = resolve(import.meta.dirname, '..', 'load');
export const K6_TARGET = 'es2017';
// `k6`, `k6/http`, `k6/execution`, … and remote modules (jslib) are resolved by k6 itself.
export const K6_EXTERNALS = ['k6', 'k6/*', 'https://*'];

/** The scripts k6 runs: every .js directly under load/ (load/lib/ holds what they import). */
export function loadScripts(): string[] {
  return readdirSync(LOAD_DIR)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => join(LOAD_DIR, f));
}

export async function buildLoad(outdir = join(LOAD_DIR, 'dist')): Promise<{ outputs: string[]; metafile: Metafile }> {
  const entryPoints = loadScripts();
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: K6_TARGET,
    external: K6_EXTERNALS,
    metafile: true,
    logLevel: 'silent',
  });
  return { outputs: Object.keys(result.metafile.outputs).map((o) => resolve(o)), metafile: result.metafile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const { outputs } = await buildLoad(values.outdir ? resolve(values.outdir) : undefined);
  for (const output of outputs) console.log(output);
}
