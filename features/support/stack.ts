// Where a scenario's clients go. Three ways:
//   - by default, one govsim stack per Cucumber worker process, on free ports, over the database
//     that `npm test` provides (DATABASE_URL);
//   - with GOVSIM_TARGET, a running govsim (its control API's URL);
//   - in conformance mode (world parameter `conformance`, set by `govsim conform`), another
//     implementation of the services, beside the providers and control of a running govsim.
import { loadConfig } from '../../kernel/config.js';
import { createDb, type Db } from '../../kernel/db.js';
import { migrateAll, startStack, type Stack, type StackUrls } from '../../services/stack.js';

/** What `govsim conform` tells the scenarios (docs/conformance.md); a type, being a world parameter (JSON). */
export type ConformanceParameters = {
  /** Base URL of the implementation under test's services. */
  target: string;
  /** govsim's control API (its providers and services' document are found through /harness/v1/stack). */
  control: string;
  /** Where the implementation under test offers the harness endpoints for its own data; none: scenarios that need them are not runnable. */
  targetControl?: string;
};

/** The servers a scenario's clients call. */
export interface TestStack extends StackUrls {
  /**
   * The harness endpoints for the services' own data (footprint, scheduled jobs, risk scope, 信用修复
   * and licensing worlds, the jobs run on demand): the control server, or in conformance mode the
   * implementation under test's (undefined when it offers none).
   */
  servicesControl: string | undefined;
  /** Conformance mode: the services are the implementation under test, their answers checked against govsim's services document at this base URL. */
  servicesDocumentOf?: string;
}

let started: { stack: Stack; db: Db } | undefined;
let urls: TestStack | undefined;

/** Short enough that a scripted provider timeout costs a scenario about a second. */
export const TEST_PROVIDER_TIMEOUT_MS = 1_000;
/** The scheduler looks at every scenario's clock this often (each worker runs one: two at once). */
export const TEST_SCHEDULER_MS = 200;

/** The URLs of the running govsim whose control API is at `control`. */
async function runningStack(control: string, what: string): Promise<StackUrls> {
  const response = await fetch(`${control}/harness/v1/stack`);
  if (!response.ok) throw new Error(`${what} ${control} did not answer /harness/v1/stack: ${response.status}`);
  return (await response.json()) as StackUrls;
}

export async function stackUrls(conformance?: ConformanceParameters): Promise<TestStack> {
  if (urls) return urls;
  if (conformance) {
    const govsim = await runningStack(conformance.control, 'govsim’s control API');
    urls = { services: conformance.target, providers: govsim.providers, control: conformance.control, servicesControl: conformance.targetControl, servicesDocumentOf: govsim.services };
    return urls;
  }
  const config = loadConfig();
  if (config.target) {
    const running = await runningStack(config.target, 'GOVSIM_TARGET');
    urls = { ...running, servicesControl: running.control };
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
  urls = { ...stack.urls, servicesControl: stack.urls.control };
  return urls;
}

export async function stopStack(): Promise<void> {
  if (!started) return;
  await started.stack.close();
  await started.db.end();
  started = undefined;
}
