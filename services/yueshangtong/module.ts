// 粤商通 personal login, enterprise accounts and agents (SPEC A1–A3, B1–B9): its API and its screens.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { riskHomeParts } from '../risk/pages.js';
import { ystAccess } from './access.js';
import { yueshangtongPages } from './pages.js';
import { yueshangtongApi } from './routes.js';

export const yueshangtongModule: Module<ServiceDeps> = {
  name: 'yueshangtong',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => yueshangtongApi({ ...deps, access: ystAccess(deps.db, deps.live) }),
  // 首页 shows what the domains served inside 粤商通 add to it: the risk warnings' search and popup (D2).
  pages: (deps) => yueshangtongPages({ ...deps, access: ystAccess(deps.db, deps.live) }, riskHomeParts({ ...deps, access: ystAccess(deps.db, deps.live) })),
};
