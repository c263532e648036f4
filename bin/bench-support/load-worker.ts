// Worker thread of bench-api's load generator (see load.ts): runs one job per message and answers
// with its result. autocannon for single requests; a fetch loop for the chained face login.
import autocannon from 'autocannon';
import { parentPort } from 'node:worker_threads';
import type { HttpJob, HttpResult, Job, LoginJob, LoginResult, Person } from './load.js';
import { percentile, Samples } from './stats.js';

const RUN_HEADER = 'x-govsim-run';

function runHttp(job: HttpJob): Promise<HttpResult> {
  const latencies = new Samples();
  const byStatus: Record<string, number> = {};
  let next = 0;
  const tokens = job.tokens;
  const dynamic = Boolean(tokens?.length) || job.path.includes('{n}');
  // setupRequest runs for every request (autocannon rebuilds a request that has one), across all
  // connections of this single-threaded run: one shared counter hands each request the next
  // session or face session.
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const i = next++;
    return {
      ...request,
      path: job.path.replace('{n}', String((job.nFrom ?? 0) + i)),
      headers: tokens?.length ? { ...request.headers, authorization: `Bearer ${tokens[i % tokens.length]}` } : request.headers,
    };
  };
  const request: autocannon.Request = {
    method: job.method,
    path: job.path,
    headers: job.headers,
    ...(job.body === undefined ? {} : { body: job.body }),
    ...(dynamic ? { setupRequest } : {}),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: job.url, connections: job.connections, duration: job.seconds, requests: [request], timeout: 10 },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error);
        const answers = Object.values(byStatus).reduce((a, b) => a + b, 0);
        const sorted = latencies.sorted();
        resolve({
          kind: 'http',
          seconds: result.duration,
          byStatus,
          answers,
          errors: result.errors,
          timeouts: result.timeouts,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          sent: next,
        });
      },
    );
    // Our own record of every answer: autocannon's summary has no p95 (it reports p90 and p97.5).
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
      latencies.push(responseTime);
    });
  });
}

/** One POST with a JSON body; the answer's status and parsed body, or the network error's name. */
async function post(url: string, run: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> } | { error: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [RUN_HEADER]: run },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON: keep the status, the body does not matter for a failure
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    return { error: error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network' };
  }
}

async function runLogin(job: LoginJob): Promise<LoginResult> {
  const latencies = new Samples();
  const failures: Record<string, number> = {};
  const fail = (what: string) => void (failures[what] = (failures[what] ?? 0) + 1);
  let completed = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;

  /** One journey; true when the person ended up logged in. */
  const journey = async (person: Person): Promise<boolean> => {
    const start = await post(`${job.services}/yst/v1/face-login`, job.run, { name: person.name, idNumber: person.idNumber, mobile: person.mobile });
    if ('error' in start) return fail(`start ${start.error}`), false;
    if (start.status !== 201) return fail(`start ${start.status}${codeOf(start.body)}`), false;
    const verify = await post(`${job.providers}/face/v1/sessions/${String(start.body.providerSessionId)}/verify`, job.run, {});
    if ('error' in verify) return fail(`verify ${verify.error}`), false;
    if (verify.status < 200 || verify.status > 299) return fail(`verify ${verify.status}${codeOf(verify.body)}`), false;
    const complete = await post(`${job.services}/yst/v1/face-login/${String(start.body.faceCheckId)}/complete`, job.run, {});
    if ('error' in complete) return fail(`complete ${complete.error}`), false;
    if (complete.status < 200 || complete.status > 299) return fail(`complete ${complete.status}${codeOf(complete.body)}`), false;
    return true;
  };

  const client = async (persons: Person[]) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      const ok = await journey(persons[i % persons.length]!);
      // A journey that ends after the deadline is not counted either way: the rate is per duration.
      if (performance.now() > deadline) break;
      if (ok) {
        completed++;
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(job.personsByClient.map(client));
  const sorted = latencies.sorted();
  return { kind: 'login', seconds: job.seconds, completed, failures, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

const codeOf = (body: Record<string, unknown>) => (typeof body.code === 'string' ? ` ${body.code}` : '');

parentPort!.on('message', (job: Job) => {
  const work = job.kind === 'http' ? runHttp(job) : runLogin(job);
  work.then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
