// 广州 信用修复 (SPEC E1–E9): the applicant's side on 广州企业一网通 and the back office of the
// 信用监管综合系统 (its API and its screens), with declared access for both, harness controls and
// the SMS / overdue jobs.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';
import { applicantAccess, backOfficeAccess } from './access.js';
import { applicantPages } from './applicant-pages.js';
import { creditRepairControl } from './control.js';
import { creditRepairJobs } from './jobs.js';
import { backOfficePages } from './back-office-pages.js';
import { creditRepairApi } from './routes.js';

export const creditRepairModule: Module<ServiceDeps> = {
  name: 'credit-repair',
  migrations: folder(import.meta.url, 'migrations/'),
  api: (deps) => creditRepairApi({ ...deps, applicantAccess: applicantAccess(deps.db), backOfficeAccess: backOfficeAccess(deps.db) }),
  pages: (deps) => [applicantPages({ ...deps, access: applicantAccess(deps.db) }), backOfficePages({ ...deps, access: backOfficeAccess(deps.db) })],
  control: (deps) => creditRepairControl(deps),
  jobs: (deps) => creditRepairJobs(deps),
};
