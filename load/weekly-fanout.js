// @ts-check
// k6: the weekly warning fan-out under load (D1–D7).
//   npm start            (in another terminal)
//   k6 run -e PROFILE=average -e ENTERPRISES=10000 load/weekly-fanout.js
// setup() seeds ENTERPRISES enterprises under the run key RUN, issues the week, and hands the
// world to the VUs; each iteration is one enterprise's user through the week.
import exec from 'k6/execution';
import { enterprise, enterpriseUserJourney, seedAndIssue } from './lib/flow.js';
import { PROFILES, stackOrAbort, summaryTo, target, THRESHOLDS } from './lib/k6.js';

const CONTROL = __ENV.CONTROL_URL || 'http://127.0.0.1:4102';
const RUN = __ENV.RUN || 'load-weekly-fanout';
const ENTERPRISES = Number(__ENV.ENTERPRISES || 1000);
const PROFILE = /** @type {keyof typeof PROFILES} */ (__ENV.PROFILE || 'smoke');

export const options = {
  scenarios: { enterprise_users: PROFILES[PROFILE] },
  thresholds: THRESHOLDS,
  setupTimeout: '30m',
};

export async function setup() {
  const urls = stackOrAbort(CONTROL);
  if (__ENV.SKIP_SEED !== '1') await seedAndIssue(target(urls, RUN), { enterprises: ENTERPRISES, seed: Number(__ENV.SEED || 1) });
  return urls;
}

export default async function (/** @type {{ services: string, providers: string, control: string }} */ urls) {
  const t = target(urls, RUN);
  const e = await enterprise(t, exec.scenario.iterationInTest, ENTERPRISES);
  await enterpriseUserJourney(t, e);
}

export const handleSummary = summaryTo('weekly-fanout');
