// Every setting govsim reads, declared once: env name, default, meaning.
// Nothing else in the project reads process.env (README's settings table mirrors this list,
// and test/platform.test.ts keeps the two in step).
import { availableParallelism } from 'node:os';

export interface SettingSpec<T> {
  env: string;
  default: T;
  description: string;
  parse: (raw: string) => T;
}

const text = (raw: string) => raw;
const integer = (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${raw}`);
  return n;
};
const positive = (raw: string) => {
  const n = integer(raw);
  if (n === 0) throw new Error(`not a positive integer: ${raw}`);
  return n;
};
const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string): T => {
    if (!(values as string[]).includes(raw)) throw new Error(`expected one of ${values.join(', ')}: ${raw}`);
    return raw as T;
  };

export const settings = {
  host: { env: 'GOVSIM_HOST', default: '127.0.0.1', description: 'Address every govsim server listens on.', parse: text },
  publicHost: { env: 'GOVSIM_PUBLIC_HOST', default: '', description: 'Host name clients reach the servers at, on the same ports, when it is not the listening address (a load balancer, a Kubernetes Service): the URLs the stack control, the start pages and the services’ links give. Empty = the listening address.', parse: text },
  servicesPort: { env: 'GOVSIM_SERVICES_PORT', default: 4100, description: 'Port of the reference services (粤商通 …); 0 picks a free port.', parse: integer },
  providersPort: { env: 'GOVSIM_PROVIDERS_PORT', default: 4101, description: 'Port of the provider mocks (identity, face, CTID, SMS); 0 picks a free port.', parse: integer },
  controlPort: { env: 'GOVSIM_CONTROL_PORT', default: 4102, description: 'Port of the harness control API and the OpenAPI browser; 0 picks a free port.', parse: integer },
  identityUrl: { env: 'GOVSIM_IDENTITY_URL', default: '', description: 'Base URL of the identity-check provider the services call; empty = the bundled mock.', parse: text },
  faceUrl: { env: 'GOVSIM_FACE_URL', default: '', description: 'Base URL of the face-verification provider (粤信签); empty = the bundled mock.', parse: text },
  ctidUrl: { env: 'GOVSIM_CTID_URL', default: '', description: 'Base URL of the CTID provider; empty = the bundled mock.', parse: text },
  smsUrl: { env: 'GOVSIM_SMS_URL', default: '', description: 'Base URL of the SMS gateway; empty = the bundled mock.', parse: text },
  videoUrl: { env: 'GOVSIM_VIDEO_URL', default: '', description: 'Base URL of the video provider (云核查); empty = the bundled mock.', parse: text },
  providerTimeoutMs: { env: 'GOVSIM_PROVIDER_TIMEOUT_MS', default: 5000, description: 'How long a service waits for a provider before answering 验证失败，请稍后重试.', parse: integer },
  workers: { env: 'GOVSIM_WORKERS', default: 0, description: 'Worker processes `npm start` serves the services, providers and control API from, sharing their ports (each also runs the scheduler); 0 = one per core, 1 = the starting process itself, no workers.', parse: integer },
  schedulerMs: { env: 'GOVSIM_SCHEDULER_MS', default: 200, description: 'Shortest pause between two runs of the scheduler, which otherwise sleeps until the next job falls due on some run’s clock or a clock moves; 0 turns it off.', parse: integer },
  jobLeaseSeconds: { env: 'GOVSIM_JOB_LEASE_S', default: 120, description: 'How long a due job, and each SMS a job claimed, stays with the process that claimed it; past it another process takes it over (one that died mid-job is replaced).', parse: positive },
  dbPool: { env: 'GOVSIM_DB_POOL', default: 8, description: 'PostgreSQL connections a govsim instance keeps for its services, shared out between its workers (at least 2 each); the provider mocks keep as many again of their own. A few per database core: more only queue inside PostgreSQL.', parse: positive },
  fanoutLanes: { env: 'GOVSIM_FANOUT_LANES', default: 2, description: 'Enterprise-id ranges a weekly fan-out issues at once, each on its own database connection: about one per PostgreSQL core.', parse: positive },
  databaseUrl: { env: 'DATABASE_URL', default: '', description: 'PostgreSQL to use. Empty: testcontainers when a container runtime answers, else embedded PostgreSQL.', parse: text },
  migrations: { env: 'GOVSIM_MIGRATIONS', default: 'apply' as 'apply' | 'wait', description: 'At start: apply the pending migrations (apply), or apply none and wait until another process has applied them all, e.g. `npm run migrate` in a Kubernetes Job (wait).', parse: oneOf('apply', 'wait') },
  database: { env: 'GOVSIM_DATABASE', default: 'auto' as 'auto' | 'url' | 'testcontainers' | 'embedded', description: 'Force where PostgreSQL comes from: auto, url, testcontainers or embedded.', parse: oneOf('auto', 'url', 'testcontainers', 'embedded') },
  dataDir: { env: 'GOVSIM_DATA_DIR', default: '.govsim', description: 'Folder (git-ignored) for the embedded PostgreSQL data of `npm start`.', parse: text },
  seed: { env: 'GOVSIM_SEED', default: 42, description: 'Seed number of the world `npm start` creates (same seed, same people and enterprises).', parse: integer },
  seedEnterprises: { env: 'GOVSIM_SEED_ENTERPRISES', default: 50, description: 'How many enterprises (with their legal representatives) `npm start` seeds into the default run.', parse: integer },
  logLevel: { env: 'GOVSIM_LOG', default: 'info' as 'silent' | 'info' | 'debug', description: 'Log level: silent, info or debug (debug logs every request).', parse: oneOf('silent', 'info', 'debug') },
  testWorkers: { env: 'GOVSIM_TEST_WORKERS', default: 2, description: 'Tests and `govsim conform` (its default --workers): number of parallel Cucumber workers.', parse: integer },
  fuzzSeed: { env: 'GOVSIM_FUZZ_SEED', default: 20_261_123, description: 'Tests only: seed of the fuzz test (test/fuzz.test.ts): the same seed draws the same requests.', parse: integer },
  fuzzRuns: { env: 'GOVSIM_FUZZ_RUNS', default: 30, description: 'Tests only: requests the fuzz test sends per operation and caller (a quarter as many without a session where one is needed).', parse: positive },
  chromium: { env: 'GOVSIM_CHROMIUM', default: '', description: 'Tests only: path of the Chromium (or Chrome) the @ui scenarios and `npm run screenshots` drive; empty = the Chromium of the npm package @sparticuz/chromium, unpacked into the temporary folder on first use.', parse: text },
  target: { env: 'GOVSIM_TARGET', default: '', description: 'Tests only: URL of a running govsim control API (e.g. http://127.0.0.1:4102); empty = each test worker starts its own stack.', parse: text },
} satisfies Record<string, SettingSpec<unknown>>;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: Settings[K]['default'] };

/** How many worker processes `npm start` runs: the setting, or one per core. */
export const workerCount = (config: Pick<Config, 'workers'>) => config.workers || availableParallelism();

/** Connections each process of an instance keeps for its services: the instance's pool shared out between its workers. */
export const poolPerWorker = (config: Pick<Config, 'dbPool' | 'workers'>) => Math.max(2, Math.ceil(config.dbPool / workerCount(config)));

/** Reads the settings from an environment (process.env by default); throws naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const config = {} as Record<string, unknown>;
  for (const [key, spec] of Object.entries(settings) as [string, SettingSpec<unknown>][]) {
    const raw = env[spec.env];
    try {
      config[key] = raw === undefined || raw === '' ? spec.default : spec.parse(raw);
    } catch (error) {
      throw new Error(`${spec.env}: ${(error as Error).message}`);
    }
  }
  return { ...(config as Config), ...overrides };
}
