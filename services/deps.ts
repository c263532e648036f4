// What every service module is built from: the database, the process's live caches, the
// providers' clients, its server's public URL (for links the apps share) and the settings.
import type { Config } from '../kernel/config.js';
import type { Db } from '../kernel/db.js';
import type { Live } from '../kernel/live.js';
import type { Providers } from './verification/clients.js';

export interface ServiceDeps {
  db: Db;
  live: Live;
  providers: Providers;
  publicUrl: () => string;
  config: Pick<Config, 'fanoutLanes' | 'jobLeaseSeconds'>;
}
