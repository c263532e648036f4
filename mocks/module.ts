// The provider mocks as a module of the stack: their own migrations, their API on the providers
// server with 粤信签's page and the video room's, their controls (outcome tables, journal, outbox) on the control server. Nothing here
// imports a service domain: the mocks stand on the kernel alone.
import type { Db, MigrationSet } from '../kernel/db.js';
import type { Live } from '../kernel/live.js';
import { folder, kernelMigrations, type Module } from '../kernel/module.js';
import { providersControl } from './control.js';
import { providersApi } from './core/express.js';
import { facePages } from './face/page.js';
import { providers } from './providers.js';
import { videoPages } from './video/page.js';

export interface MocksDeps {
  db: Db;
  live: Live;
  /** How long a scripted 'timeout' holds the connection (tests shorten it). */
  holdMs?: number | undefined;
}

const MIGRATIONS = folder(import.meta.url, 'migrations/');

/** What the mocks alone need in a database of their own (createProviders): the kernel's tables and theirs. */
export const mocksMigrations: MigrationSet[] = [kernelMigrations, { owner: 'mocks', dir: MIGRATIONS }];

export const mocksModule: Module<MocksDeps> = {
  name: 'mocks',
  migrations: MIGRATIONS,
  api: (deps) => providersApi(deps, providers, deps.holdMs === undefined ? {} : { holdMs: deps.holdMs }),
  pages: (deps) => [facePages(deps), videoPages(deps)],
  control: (deps) => providersControl({ ...deps, providers }),
};
