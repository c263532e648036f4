// @ts-check
// k6 side of the flows: clients over k6/http (async requests, tagged by step name), shared
// profiles, thresholds as SLOs, and the summary written to a folder probed before the test.
import http from 'k6/http';
import { check as k6check, sleep } from 'k6';

const RUN_HEADER = 'x-govsim-run';

/** @returns {import('./flow.js').Client} */
export function client(/** @type {string} */ baseUrl, /** @type {string} */ run) {
  return {
    async request(method, path, body, token, name) {
      /** @type {Record<string, string>} */
      const headers = { [RUN_HEADER]: run, 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await http.asyncRequest(method, `${baseUrl}${path}`, body === undefined ? null : JSON.stringify(body), {
        headers,
        tags: { name: name ?? path },
        timeout: '30s',
      });
      let parsed = null;
      try {
        parsed = res.body ? JSON.parse(String(res.body)) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, body: parsed };
    },
  };
}

/** The target: the control API's stack answer gives the services' and providers' URLs. */
export function target(/** @type {{ services: string, providers: string, control: string }} */ urls, /** @type {string} */ run) {
  return {
    services: client(urls.services, run),
    providers: client(urls.providers, run),
    control: client(urls.control, run),
    check: (/** @type {string} */ what, /** @type {boolean} */ ok) => k6check(ok, { [what]: (v) => v === true }),
    pause: sleep,
  };
}

/** Synchronous probe for setup(): fail fast, before any load, when the target is down. */
export function stackOrAbort(/** @type {string} */ controlUrl) {
  const res = http.get(`${controlUrl}/harness/v1/stack`, { timeout: '3s', tags: { name: 'stack' } });
  if (res.status !== 200) throw new Error(`govsim is not answering at ${controlUrl} (HTTP ${res.status}): start it with npm start`);
  return /** @type {{ services: string, providers: string, control: string }} */ (res.json());
}

/** Shared profiles. The weekly shape: Monday-morning rush, midweek lull, Friday deadline bump. */
export const PROFILES = {
  smoke: { executor: 'shared-iterations', vus: 1, iterations: 5, maxDuration: '2m' },
  average: weekShape(10),
  stress: weekShape(40),
  spike: { executor: 'ramping-arrival-rate', startRate: 1, timeUnit: '1s', preAllocatedVUs: 50, maxVUs: 400, stages: [{ target: 150, duration: '20s' }, { target: 150, duration: '40s' }, { target: 0, duration: '20s' }] },
};

function weekShape(/** @type {number} */ peak) {
  return {
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    preAllocatedVUs: peak * 2,
    maxVUs: peak * 10,
    stages: [
      { target: peak, duration: '30s' }, // Monday 00:00 → morning: the popup brings everyone in
      { target: peak, duration: '60s' }, // Monday
      { target: Math.ceil(peak / 3), duration: '30s' }, // Tuesday–Thursday lull
      { target: Math.ceil(peak / 3), duration: '60s' },
      { target: Math.ceil(peak * 0.7), duration: '20s' }, // Friday: red/orange feedback is due by Sunday
      { target: 0, duration: '20s' },
    ],
  };
}

/** SLOs, shared by every script. */
export const THRESHOLDS = {
  http_req_failed: ['rate<0.01'],
  http_req_duration: ['p(95)<500', 'p(99)<1500'],
  checks: ['rate>0.99'],
};

/**
 * The folder handleSummary writes to: SUMMARY_DIR, by default `reports` (every clone has it, its
 * README is tracked), relative to the working directory as k6 resolves summary paths. k6 creates
 * no folder and, when it cannot write a summary, only logs it and still exits 0; so the folder is
 * probed here, in the first init context, and a missing one stops k6 (non-zero) before any load.
 * open() resolves a relative path from the script, not the working directory: hence PWD.
 */
export function summaryFolder() {
  const dir = (__ENV.SUMMARY_DIR || 'reports').replace(/[\\/]+$/, '');
  if (__VU !== 0) return dir; // later VUs may only open() what the first init opened
  const absolute = /^([A-Za-z]:)?[\\/]/.test(dir) ? dir : __ENV.PWD ? `${__ENV.PWD}/${dir}` : '';
  if (!absolute) throw new Error(`SUMMARY_DIR ${dir} is relative and the environment has no PWD: give an absolute SUMMARY_DIR`);
  try {
    open(absolute);
  } catch (e) {
    // k6 refuses to open() a folder with this error: the folder exists.
    if (String(e).includes("can't be used with directories")) return dir;
    throw new Error(`the summary cannot be written to ${absolute} (${e}): create the folder or set SUMMARY_DIR`);
  }
  throw new Error(`SUMMARY_DIR ${absolute} is a file, not a folder`);
}

/** handleSummary: the raw data and a short text, into the folder summaryFolder() probed. */
export function summaryTo(/** @type {string} */ name, /** @type {string} */ dir) {
  return (/** @type {any} */ data) => {
    const m = data.metrics;
    const line = (/** @type {string} */ k, /** @type {string} */ f) => (m[k] ? `${k} ${f}: ${JSON.stringify(m[k].values[f] ?? m[k].values)}` : `${k}: -`);
    const text = [`${name}`, line('http_reqs', 'count'), line('http_req_duration', 'p(95)'), line('http_req_failed', 'rate'), line('checks', 'rate'), line('iterations', 'count')].join('\n');
    return { [`${dir}/load-${name}-summary.json`]: JSON.stringify(data, null, 2), [`${dir}/load-${name}-summary.txt`]: `${text}\n`, stdout: `${text}\n` };
  };
}
