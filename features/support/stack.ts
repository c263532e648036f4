// One govsim stack per Cucumber worker process, on free ports, over the database that
// `npm test` provides (DATABASE_URL). With GOVSIM_TARGET the suite drives a running govsim instead.
import { loadConfig } from '../../kernel/config.js';
import { createDb, type Db } from '../../kernel/db.js';
import { migrateAll, startStack, type Stack, type StackUrls } from '../../services/stack.js';

let started: { stack: Stack; db: Db } | undefined;
let urls: StackUrls | undefined;

/** Short enough that a scripted provider timeout costs a scenario about a second. */
export const TEST_PROVIDER_TIMEOUT_MS = 1_000;
/** The scheduler looks at every scenario's clock this often (each worker runs one: two at once). */
export const TEST_SCHEDULER_MS = 200;

export async function stackUrls(): Promise<StackUrls> {
  if (urls) return urls;
  const config = loadConfig();
  if (config.target) {
    const response = await fetch(`${config.target}/harness/v1/stack`);
    if (!response.ok) throw new Error(`GOVSIM_TARGET ${config.target} did not answer /harness/v1/stack: ${response.status}`);
    urls = (await response.json()) as StackUrls;
    return urls;
  }
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: run the suite with `npm test` (or `npm run test:features`)');
  const db = createDb(config.databaseUrl, config.dbPool);
  await migrateAll(db);
  const stack = await startStack(
    db,
    { ...config, servicesPort: 0, providersPort: 0, controlPort: 0, providerTimeoutMs: TEST_PROVIDER_TIMEOUT_MS, logLevel: 'silent', schedulerMs: TEST_SCHEDULER_MS },
    (line) => console.error(line),
  );
  started = { stack, db };
  urls = stack.urls;
  return urls;
}

export async function stopStack(): Promise<void> {
  if (!started) return;
  await started.stack.close();
  await started.db.end();
  started = undefined;
}
