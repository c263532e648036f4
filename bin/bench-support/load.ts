// The load generator, on a worker thread of its own: the servers under test (govsim, the bare
// Express echo) run on the main thread's event loop, and a load generator on that same loop would
// steal its time — more so from the faster server, which would flatter every ratio. A worker has
// its own event loop (and V8 heap) in the same process, so peak RSS still counts everything.
import { Worker } from 'node:worker_threads';

/** One autocannon run: `connections` keep-alive connections for `seconds`, against 127.0.0.1. */
export interface HttpJob {
  kind: 'http';
  url: string;
  method: 'GET' | 'POST';
  /** May hold `{n}`: replaced, request by request, with nFrom, nFrom + 1, … (fresh face sessions). */
  path: string;
  nFrom?: number;
  headers: Record<string, string>;
  body?: string;
  /** Bearer tokens used in turn, one per request, across all connections (a session per request). */
  tokens?: string[];
  connections: number;
  seconds: number;
}

/** Face-login journeys (start → 粤信签 verify → complete) by `clients` concurrent clients for `seconds`. */
export interface LoginJob {
  kind: 'login';
  services: string;
  providers: string;
  run: string;
  /** The people each client logs in, in turn: clients never share a person. */
  personsByClient: Person[][];
  seconds: number;
}

export interface Person {
  name: string;
  idNumber: string;
  mobile: string;
}

export type Job = HttpJob | LoginJob;

export interface HttpResult {
  kind: 'http';
  seconds: number;
  /** Answers by HTTP status ("200", "409", …). */
  byStatus: Record<string, number>;
  answers: number;
  /** Connection errors and timeouts: requests that got no answer. */
  errors: number;
  timeouts: number;
  /** Latency of every answer (whatever its status), in ms. */
  p50: number;
  p95: number;
  p99: number;
  /** How many requests were sent (the next `{n}` is nFrom + sent). */
  sent: number;
}

export interface LoginResult {
  kind: 'login';
  seconds: number;
  completed: number;
  /** Failed journeys by step and cause, e.g. "start 500", "verify network". */
  failures: Record<string, number>;
  /** Latency of a whole completed journey (three requests), in ms. */
  p50: number;
  p95: number;
}

export type Result = HttpResult | LoginResult;

type Reply = { ok: true; result: Result } | { ok: false; error: string };

/** A worker thread that runs one job at a time. */
export class LoadGenerator {
  private readonly worker = new Worker(new URL('./load-worker.ts', import.meta.url));
  private queue: Promise<unknown> = Promise.resolve();

  run(job: HttpJob): Promise<HttpResult>;
  run(job: LoginJob): Promise<LoginResult>;
  run(job: Job): Promise<Result> {
    const next = this.queue.then(
      () =>
        new Promise<Result>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          this.worker.once('error', onError);
          this.worker.once('message', (reply: Reply) => {
            this.worker.off('error', onError);
            if (reply.ok) resolve(reply.result);
            else reject(new Error(`load generator: ${reply.error}`));
          });
          this.worker.postMessage(job);
        }),
    );
    this.queue = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
