// 危险化学品经营许可证 with cloud inspection (常州, SPEC F1–F7): the enterprise on 常州通办 and in the
// app's 云核查 (through 粤商通's enterprise accounts), the reviewing authority's officers, the
// register, the appointment reminders.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { ystAccess } from '../yueshangtong/access.js';
import { licensingAccess } from './access.js';
import { licensingControl } from './control.js';
import { licensingJobs } from './jobs.js';
import { licensingPages } from './pages.js';
import { licensingApi } from './routes.js';

export const licensingModule: Module<ServiceDeps> = {
  name: 'licensing',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => licensingApi({ ...deps, access: licensingAccess(deps.db, ystAccess(deps.db, deps.live)) }),
  pages: (deps) => {
    const yst = ystAccess(deps.db, deps.live);
    return licensingPages({ ...deps, access: licensingAccess(deps.db, yst), yst });
  },
  control: (deps) => licensingControl(deps),
  jobs: (deps) => licensingJobs(deps),
};
