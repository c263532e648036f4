// The registry every service shares (people, market entities): its tables and its controls.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { worldControl } from './control.js';

export const worldModule: Module<ServiceDeps> = {
  name: 'world',
  migrations: folder(import.meta.url, 'migrations/'),
  control: (deps) => worldControl(deps),
};
