// A part of govsim that describes itself: a service domain, the provider mocks, the harness.
// The stack composes modules: their migrations in order, their public API on their server, their
// harness controls on the control server, their jobs in the scheduler, their part of a reset.
import { fileURLToPath } from 'node:url';
import type { Db, MigrationSet } from './db.js';
import type { Api } from './http.js';
import type { Pages } from './pages.js';
import type { Job } from './scheduler.js';

export interface Module<D> {
  name: string;
  /** Folder of this module's versioned SQL files (applied in module order, then file order). */
  migrations?: string;
  /** Public routes, served on the module's own server (services or providers). */
  api?(deps: D): Api;
  /** Pages people use (an app's screens, or several apps'), served on the module's own server beside its API. */
  pages?(deps: D): Pages | Pages[];
  /** Harness controls of this module, served on the control server. */
  control?(deps: D): Api;
  /** Jobs the scheduler runs on each run's clock. */
  jobs?(deps: D): Job[];
  /** After a run's rows are deleted (outside that transaction): tidy what rows do not cover. */
  afterReset?(db: Db, run: string): Promise<unknown>;
}

/** The folder beside a module file, for `migrations`. */
export const folder = (moduleUrl: string, name: string) => fileURLToPath(new URL(name, moduleUrl));

/** The kernel's own migrations (the harness clock, the job schedule): first of every set. */
export const kernelMigrations: MigrationSet = { owner: 'kernel', dir: folder(import.meta.url, 'migrations/') };
