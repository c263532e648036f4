// 登记注册身份验证 app (SPEC C1–C11): its API and its screens.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { registrationPages } from './pages.js';
import { registrationApi } from './routes.js';

export const registrationModule: Module<ServiceDeps> = {
  name: 'registration',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => registrationApi(deps),
  pages: (deps) => registrationPages(deps),
};
