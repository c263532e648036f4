// Conformance mode: the shipped Gherkin's @api scenarios for the service capabilities (A…F) run
// against another implementation of govsim's services, while the providers, the clock, the
// registry and the outbox stay govsim's own (docs/conformance.md is the contract). Every answer of
// the implementation under test is checked against govsim's OpenAPI documents
// (features/support/client.ts); the verdict per capability is built from Cucumber's message stream
// (report.ts) and written to the reports folder as report.html, junit.xml, report.json and the
// messages themselves (messages.ndjson).
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Config } from '../kernel/config.js';
import { acquireDatabase } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { migrateAll, startStack } from '../services/stack.js';
import type { ConformanceParameters } from '../features/support/stack.js';
import { byCapability, capabilitiesOf, conformanceReport, html, junitXml, type ConformanceReport } from './report.js';

/** Where the features and their support code are: beside this folder, as TypeScript or compiled. */
const ROOT = path.resolve(import.meta.dirname, '..');
const CODE = path.extname(import.meta.filename);

export interface ConformOptions {
  /** Base URL of the implementation under test's services. */
  target: string;
  /** Where it offers the harness endpoints for its own data (docs/conformance.md); none: scenarios that need them are not runnable. */
  targetControl?: string | undefined;
  /** govsim's control API of a running govsim; none: govsim is started here (providers and control on their configured ports). */
  control?: string | undefined;
  /** A Cucumber tag expression narrowing the scenarios (e.g. `@C1 or @C2`). */
  tags?: string | undefined;
  /** Parallel Cucumber workers. */
  workers: number;
  /** The folder the reports are written to. */
  reports: string;
}

/** The service capabilities the features carry (every SPEC tag but the harness's), as tags. */
async function serviceCapabilityTags(): Promise<string[]> {
  const files = (await readdir(path.join(ROOT, 'features'), { recursive: true })).filter((f) => f.endsWith('.feature'));
  const tags = new Set<string>();
  for (const file of files) for (const tag of (await readFile(path.join(ROOT, 'features', file), 'utf8')).match(/@[A-Z]\d+\b/g) ?? []) tags.add(tag);
  return capabilitiesOf([...tags]).sort(byCapability).map((id) => `@${id}`);
}

/** Fails early, and clearly, when nothing answers at `url`. */
async function answers(url: string, what: string): Promise<void> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`${what} at ${url} does not answer: ${(error as Error).cause ?? (error as Error).message}`);
  }
}

/** Runs the scenarios against the target and writes the reports; `log` is told how it goes. */
export async function conform(config: Config, options: ConformOptions, log: (line: string) => void): Promise<ConformanceReport> {
  await answers(options.target, 'the implementation under test');
  if (options.targetControl) await answers(options.targetControl, 'its harness endpoints');
  const govsim = options.control ? { control: options.control, stop: async () => {} } : await startGovsim(config, log);
  try {
    await answers(`${govsim.control}/harness/v1/stack`, 'govsim’s control API');
    const conformance: ConformanceParameters = { target: options.target, control: govsim.control, ...(options.targetControl ? { targetControl: options.targetControl } : {}) };
    const capabilities = await serviceCapabilityTags();
    const tags = [`@api`, `(${capabilities.join(' or ')})`, ...(options.tags ? [`(${options.tags})`] : [])].join(' and ');
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: ['features/**/*.feature'],
          import: [`features/support/**/*${CODE}`, `step-definitions/**/*${CODE}`],
          tags,
          format: [],
          parallel: options.workers,
          strict: true,
          worldParameters: { interface: 'api', conformance },
        },
      },
      { cwd: ROOT },
    );
    const envelopes: Envelope[] = [];
    let shown = 0;
    log(`running the @api scenarios of ${capabilities[0]} … ${capabilities.at(-1)}${options.tags ? ` that are ${options.tags}` : ''} against ${options.target}`);
    // Cucumber's own formatter is left unheard (its failures are the report's); a mark per scenario instead.
    const unheard = new Writable({ write: (_chunk, _encoding, done) => done() });
    await runCucumber(runConfiguration, { cwd: ROOT, stdout: unheard }, (envelope) => {
      envelopes.push(envelope);
      if (envelope.testCaseFinished && process.stderr.isTTY) process.stderr.write(++shown % 80 ? '.' : '.\n');
    });
    if (process.stderr.isTTY && shown) process.stderr.write('\n');
    const report = conformanceReport(options.target, envelopes);
    await mkdir(options.reports, { recursive: true });
    await Promise.all([
      writeFile(path.join(options.reports, 'report.json'), `${JSON.stringify(report, null, 2)}\n`),
      writeFile(path.join(options.reports, 'junit.xml'), junitXml(report)),
      writeFile(path.join(options.reports, 'report.html'), html(report)),
      writeFile(path.join(options.reports, 'messages.ndjson'), envelopes.map((e) => `${JSON.stringify(e)}\n`).join('')),
    ]);
    return report;
  } finally {
    await govsim.stop();
  }
}

/**
 * govsim's providers and control for the run, started here on their configured ports (so that the
 * implementation under test can be pointed at them beforehand), its services on a free port (they
 * serve the document the target is checked against), over DATABASE_URL or a throw-away database.
 */
async function startGovsim(config: Config, log: (line: string) => void) {
  const database = await acquireDatabase(config, { log });
  const db = createDb(database.url, config.dbPool);
  try {
    await migrateAll(db);
    const stack = await startStack(db, { ...config, servicesPort: 0 }, log);
    log(`govsim's providers: ${stack.urls.providers} (the implementation under test calls them, forwarding x-govsim-run); control: ${stack.urls.control}`);
    return {
      control: stack.urls.control,
      stop: async () => {
        await stack.close();
        await db.end();
        await database.stop();
      },
    };
  } catch (error) {
    await db.end();
    await database.stop();
    throw error;
  }
}

/** What `govsim conform` prints: the summary line, then each capability that does not conform. */
export function summaryText(report: ConformanceReport, reports: string): string {
  const lines = report.capabilities
    .filter((c) => c.verdict !== 'passed')
    .map((c) => `  ${c.id.padEnd(4)} ${c.verdict.padEnd(16)} ${c.failure!.scenario} — ${c.failure!.step}\n       ${c.failure!.error.split('\n')[0]}`);
  return [report.summary, ...lines, `reports: ${path.join(reports, 'report.html')}, junit.xml, report.json`].join('\n');
}
