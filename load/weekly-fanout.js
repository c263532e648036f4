// @ts-check
// k6: the weekly warning fan-out under load (D1–D7).
//   npm start            (in another terminal)
//   npm run build:load && k6 run -e PROFILE=average -e ENTERPRISES=10000 load/dist/weekly-fanout.js
// setup() seeds ENTERPRISES enterprises under the run key RUN, issues the week, reads the world's
// enterprises and hands them to the VUs; each iteration is one enterprise's user through the week
// and calls only the services and providers, never the control API.
import exec from 'k6/execution';
import { enterpriseUserJourney, enterprises, seedAndIssue } from './lib/flow.js';
import { PROFILES, stackOrAbort, summaryFolder, summaryTo, target, THRESHOLDS } from './lib/k6.js';

const CONTROL = __ENV.CONTROL_URL || 'http://127.0.0.1:4102';
const RUN = __ENV.RUN || 'load-weekly-fanout';
const ENTERPRISES = Number(__ENV.ENTERPRISES || 1000);
const PROFILE = /** @type {keyof typeof PROFILES} */ (__ENV.PROFILE || 'smoke');
if (!PROFILES[PROFILE]) throw new Error(`PROFILE ${PROFILE} is none of ${Object.keys(PROFILES).join(', ')}`);
const SUMMARY_DIR = summaryFolder();

export const options = {
  scenarios: { enterprise_users: PROFILES[PROFILE] },
  thresholds: THRESHOLDS,
  setupTimeout: '30m',
};

/** @typedef {{ urls: { services: string, providers: string, control: string }, enterprises: import('./lib/flow.js').Enterprise[] }} World */

export async function setup() {
  const urls = stackOrAbort(CONTROL);
  const t = target(urls, RUN);
  if (__ENV.SKIP_SEED !== '1') await seedAndIssue(t, { enterprises: ENTERPRISES, seed: Number(__ENV.SEED || 1) });
  return /** @type {World} */ ({ urls, enterprises: await enterprises(t, ENTERPRISES) });
}

export default async function (/** @type {World} */ world) {
  const e = world.enterprises[exec.scenario.iterationInTest % world.enterprises.length];
  await enterpriseUserJourney(target(world.urls, RUN), e);
}

export const handleSummary = summaryTo('weekly-fanout', SUMMARY_DIR);
