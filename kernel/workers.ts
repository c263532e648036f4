// `npm start` on every core (node:cluster): the primary process owns the database (PostgreSQL,
// migrations, seeding) and the workers' lives; each worker serves the whole stack — services,
// providers, control API, scheduler — on ports all workers share (the primary hands each new
// connection to the next worker). Nothing a worker keeps is its own alone: business state is in
// PostgreSQL, what it caches is kept fresh by LISTEN/NOTIFY and fenced on writes (live.ts), jobs
// are claimed under leases (scheduler.ts), so any number of workers answer as one process would.
//
// Workers leave stop signals to the primary (a Ctrl-C in a terminal reaches every process of the
// group): the primary tells each to stop, waits for it, and only then stops PostgreSQL. A worker
// that ends on its own is replaced; one that fails before all are ready fails the start. A worker
// whose primary is gone (killed) ends at once.
import cluster, { type Worker } from 'node:cluster';

export interface Served {
  urls: Record<string, string>;
  close(): Promise<void>;
}

type FromWorker = { type: 'ready'; urls: Record<string, string> } | { type: 'failed'; message: string };
const STOP = 'stop';
/** A worker not gone this long after being told to stop is killed. */
const STOP_MS = 30_000;
/** A worker that ended is replaced after this pause (long enough not to spin on a worker that cannot start). */
const RESTART_MS = 1_000;

export const isWorker = () => cluster.isWorker;
/** 'worker 3' in a worker, for its log lines; undefined in the primary. */
export const workerName = () => (cluster.worker ? `worker ${cluster.worker.id}` : undefined);

/**
 * In a worker: serves, tells the primary where (or why not), and stops when told to. Stop
 * signals sent to the worker itself are left to the primary.
 */
export async function serveAsWorker(serve: () => Promise<Served>): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
  const tell = (message: FromWorker) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  let stopAsked = false;
  let served: Served | undefined;
  const stop = async () => {
    try {
      await served?.close();
      process.exit(0);
    } catch (error) {
      console.error(`[govsim] worker ${cluster.worker!.id}: stopping: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  // Listening from the first moment: a stop asked for while starting is carried out once started.
  process.on('message', (message) => {
    if (message !== STOP || stopAsked) return;
    stopAsked = true;
    if (served) void stop();
  });
  try {
    served = await serve();
  } catch (error) {
    await tell({ type: 'failed', message: (error as Error).message });
    process.exit(1);
  }
  if (stopAsked) return stop();
  await tell({ type: 'ready', urls: served.urls });
}

export interface Workers {
  /** Where the workers serve (the same for all: the ports are shared). */
  urls: Record<string, string>;
  /** Tells every worker to stop and waits until all have ended. */
  stop(): Promise<void>;
}

/** In the primary: forks `count` workers with `env` added to their environment, once all are ready. */
export async function startWorkers(count: number, env: Record<string, string>, log: (line: string) => void): Promise<Workers> {
  let stopping = false;
  let urls: Record<string, string> | undefined;
  const live = new Set<Worker>();
  const restarts = new Set<NodeJS.Timeout>();

  /** Another worker in a second, for one that ended (again, should that one not start either). */
  const restart = () => {
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork(false).catch((error: Error) => log(`${error.message}: trying again`));
    }, RESTART_MS);
    restarts.add(timer);
  };

  const fork = (initial: boolean) =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const worker = cluster.fork(env);
      live.add(worker);
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(message.urls);
        } else reject(new Error(`worker ${worker.id}: ${message.message}`));
      });
      worker.once('exit', (code, signal) => {
        live.delete(worker);
        if (stopping) return;
        if (!ready) {
          reject(new Error(`worker ${worker.id} ended while starting (${signal ?? `exit ${code}`})`));
          if (!initial) restart();
          return;
        }
        log(`worker ${worker.id} (pid ${worker.process.pid}) ended (${signal ?? `exit ${code}`}): starting another`);
        restart();
      });
    });

  const stop = async () => {
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    await Promise.all(
      [...live].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (worker.isConnected()) worker.send(STOP);
            else worker.kill('SIGKILL');
          }),
      ),
    );
  };

  try {
    const all = await Promise.all(Array.from({ length: count }, () => fork(true)));
    urls = all[0]!;
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}
