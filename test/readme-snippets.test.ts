// A code block in the README that follows a marker naming a file, `<!-- file: examples/… -->`, is
// that file word for word: the file is what the tests run (test/package.test.ts runs the vitest
// example against the packed tarball), so the README cannot drift from what works.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('every README code block marked with a file is that file', async () => {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const marked = [...readme.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)];
  assert.ok(marked.some(([, file]) => file === 'examples/vitest/providers.test.ts'), 'the README shows the vitest example');
  for (const [, file, block] of marked) assert.equal(block, await readFile(path.join(root, file!), 'utf8'), `README's block for ${file} differs from the file`);
});
