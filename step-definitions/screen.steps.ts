// What a person sees, kept: attached to the report, and written to the folder the world parameter
// `screenshots` names (`npm run screenshots` writes docs/screenshots/, the README's pictures).
import { Then } from '@cucumber/cucumber';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { screen } from '../features/support/tasks/registry.js';
import type { Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

async function keep(world: GovsimWorld, actor: Actor, name: string) {
  const png = await actor.asks(screen);
  world.attach(png, { mediaType: 'image/png', fileName: `${name}.png` });
  const folder = world.parameters.screenshots;
  if (folder) {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `${name}.png`), png);
  }
}

Then('the screen {actor} sees is kept as {string}', function (this: GovsimWorld, actor: Actor, name: string) {
  return keep(this, actor, name);
});
Then('the screen the tester sees is kept as {string}', function (this: GovsimWorld, name: string) {
  return keep(this, this.tester, name);
});
