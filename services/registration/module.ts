// The 山东 registration identity verification app (SPEC C1–C11).
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { registrationApi } from './routes.js';

export const registrationModule: Module<ServiceDeps> = {
  name: 'registration',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => registrationApi(deps),
};
