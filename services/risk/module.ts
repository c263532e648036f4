// 粤商通 weekly enterprise risk warnings (SPEC D1–D8): routes and screens for the enterprise the
// caller acts for (access from 粤商通's public access module), harness controls, the fan-out and
// reminder jobs. Its search and popup show on 粤商通's 首页 (yueshangtong/module.ts).
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { ystAccess } from '../yueshangtong/access.js';
import { riskControl } from './control.js';
import { riskJobs } from './jobs.js';
import { riskPages } from './pages.js';
import { riskApi } from './routes.js';

const jobDeps = (deps: ServiceDeps) => ({ ...deps, fanoutLanes: deps.config.fanoutLanes });

export const riskModule: Module<ServiceDeps> = {
  name: 'risk',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => riskApi({ ...deps, access: ystAccess(deps.db, deps.live) }),
  pages: (deps) => riskPages({ ...deps, access: ystAccess(deps.db, deps.live) }),
  control: (deps) => riskControl(jobDeps(deps)),
  jobs: (deps) => riskJobs(jobDeps(deps)),
};
