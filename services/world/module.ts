// The registry every service shares (people, market entities): its tables and its controls.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { worldControl } from './control.js';
import { dropRunPartitions } from './store.js';

export const worldModule: Module<ServiceDeps> = {
  name: 'world',
  migrations: folder(import.meta.url, 'migrations/'),
  control: (deps) => worldControl(deps),
  // A reset deletes the run's rows; its partitions (a seeded world's, its weekly warnings) are then dropped.
  afterReset: (db, run) => dropRunPartitions(db, run),
};
