// @ts-check
// k6: overdue feedback → the reminder job, run twice at the same time → exactly one SMS per
// warning (D8).   npm run build:load && k6 run -e ENTERPRISES=2000 load/dist/reminders.js
// The iteration is the job under test: its control-API calls (the jobs, then the outbox and the
// footprint they are checked against) are what it measures; seeding stays in setup().
import { remindersRunTwice, seedAndIssue } from './lib/flow.js';
import { stackOrAbort, summaryFolder, summaryTo, target, THRESHOLDS } from './lib/k6.js';

const CONTROL = __ENV.CONTROL_URL || 'http://127.0.0.1:4102';
const RUN = __ENV.RUN || 'load-reminders';
const ENTERPRISES = Number(__ENV.ENTERPRISES || 1000);
const SUMMARY_DIR = summaryFolder();

export const options = {
  scenarios: { reminders: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: '30m' } },
  thresholds: { ...THRESHOLDS, http_req_duration: ['p(95)<60000'] },
  setupTimeout: '30m',
};

export async function setup() {
  const urls = stackOrAbort(CONTROL);
  await seedAndIssue(target(urls, RUN), { enterprises: ENTERPRISES, seed: Number(__ENV.SEED || 2) });
  return urls;
}

export default async function (/** @type {{ services: string, providers: string, control: string }} */ urls) {
  await remindersRunTwice(target(urls, RUN));
}

export const handleSummary = summaryTo('reminders', SUMMARY_DIR);
