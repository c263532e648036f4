// The composition root: one govsim stack made of modules — the provider mocks on the providers
// server, the service domains on the services server, every module's harness controls plus the
// run-level ones on the control server, every module's jobs in one scheduler. Each server is an
// Express app built from its dependencies (createApp apart from listen) on its own port.
import type { Config } from '../kernel/config.js';
import type { Db, MigrationSet } from '../kernel/db.js';
import { createDb, migrate } from '../kernel/db.js';
import { jsonApp, listen, type Api, type Listening } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import { kernelMigrations, type Module } from '../kernel/module.js';
import { startScheduler } from '../kernel/scheduler.js';
import type { Pages } from '../kernel/pages.js';
import { probesApi } from '../kernel/probes.js';
import { startPage, type AppLink } from '../kernel/start-page.js';
import { consolePages } from './harness/console.js';
import { flushJournals } from '../mocks/index.js';
import { mocksModule, type MocksDeps } from '../mocks/module.js';
import type { ServiceDeps } from './deps.js';
import { creditRepairModule } from './credit-repair/module.js';
import { harnessApi } from './harness/routes.js';
import { licensingModule } from './licensing/module.js';
import { registrationModule } from './registration/module.js';
import { riskModule } from './risk/module.js';
import { providerClients } from './verification/clients.js';
import { verificationModule } from './verification/module.js';
import { worldModule } from './world/module.js';
import { yueshangtongModule } from './yueshangtong/module.js';

/** The service domains, in the order their migrations apply. */
export const serviceModules: Module<ServiceDeps>[] = [worldModule, verificationModule, yueshangtongModule, registrationModule, riskModule, creditRepairModule, licensingModule];

/** Every migration folder: the kernel's, the mocks', then each domain's. */
export const migrationSets: MigrationSet[] = [
  kernelMigrations,
  ...[mocksModule, ...serviceModules].filter((m) => m.migrations).map((m) => ({ owner: m.name, dir: m.migrations! })),
];

export const migrateAll = (db: Db) => migrate(db, migrationSets);

export interface StackUrls {
  services: string;
  providers: string;
  control: string;
}

export interface Stack {
  urls: StackUrls;
  /** The apps' first pages (粤商通 …) and the console: what a person opens in a browser. */
  apps: AppLink[];
  close(): Promise<void>;
}

type StackConfig = Pick<Config, 'host' | 'publicHost' | 'servicesPort' | 'providersPort' | 'controlPort' | 'identityUrl' | 'faceUrl' | 'ctidUrl' | 'smsUrl' | 'videoUrl' | 'providerTimeoutMs' | 'logLevel' | 'schedulerMs' | 'jobLeaseSeconds' | 'fanoutLanes'>;
type Log = (line: string) => void;

/** The services' clients of the providers: configured URLs, else the bundled mocks. */
export function clientsFor(config: Pick<Config, 'identityUrl' | 'faceUrl' | 'ctidUrl' | 'smsUrl' | 'videoUrl' | 'providerTimeoutMs'>, providersUrl: string) {
  const urls = {
    identity: config.identityUrl || providersUrl,
    face: config.faceUrl || providersUrl,
    ctid: config.ctidUrl || providersUrl,
    sms: config.smsUrl || providersUrl,
    video: config.videoUrl || providersUrl,
  };
  return providerClients(urls, config.providerTimeoutMs);
}

const apisOf = <D>(modules: Module<D>[], deps: D, part: 'api' | 'control'): Api[] => modules.flatMap((m) => (m[part] ? [m[part](deps)] : []));
const pagesOf = <D>(modules: Module<D>[], deps: D): Pages[] => modules.flatMap((m) => (m.pages ? [m.pages(deps)].flat() : []));
/** The first pages of apps served at `base` ('' on their own server). */
const appLinks = (pages: Pages[], base: string | undefined): AppLink[] =>
  base === undefined ? [] : pages.flatMap((p) => (p.options.home ? [{ label: p.options.app, url: `${base}${p.options.home}` }] : []));

/** The servers of a stack, for each start page (links to the others as they come up). */
const serverLinks = (urls: () => Partial<StackUrls>) => () => {
  const u = urls();
  return [
    { label: 'Reference services (粤商通 …)', url: u.services },
    { label: 'Provider mocks (identity, face, CTID, SMS)', url: u.providers },
    { label: 'Harness control (clock, outcome tables, journal, outbox, seed, reset)', url: u.control },
  ];
};

export function createProvidersApp(deps: MocksDeps, log: Log, urls: () => Partial<StackUrls> = () => ({})) {
  const title = 'govsim provider mocks';
  const intro = 'Identity check, face verification (粤信签), CTID and SMS gateway mocks; their outcomes are scripted per person through the harness control.';
  const pages = pagesOf([mocksModule], deps);
  return jsonApp([...apisOf([mocksModule], deps, 'api'), probesApi(deps, migrationSets)], { log, title, pages: [startPage(deps.live, { title, intro, servers: serverLinks(urls), apps: () => appLinks(pages, '') }), ...pages] });
}

export function createServicesApp(deps: ServiceDeps, log: Log, urls: () => Partial<StackUrls> = () => ({})) {
  const title = 'govsim reference services';
  const intro = 'Reference implementations of 粤商通 (face login, enterprise accounts, agents, risk warnings) and the 山东 registration identity verification app.';
  const pages = pagesOf(serviceModules, deps);
  return jsonApp([...apisOf(serviceModules, deps, 'api'), probesApi(deps, migrationSets)], { log, title, pages: [startPage(deps.live, { title, intro, servers: serverLinks(urls), apps: () => appLinks(pages, '') }), ...pages] });
}

export function createControlApp(deps: ServiceDeps, urls: () => Partial<StackUrls>, log: Log) {
  const modules = [mocksModule, ...serviceModules] as Module<never>[];
  const apis = [harnessApi({ db: deps.db, live: deps.live, modules }, () => ({ ...urls() }) as Record<string, string>), ...apisOf([mocksModule], deps, 'control'), ...apisOf(serviceModules, deps, 'control'), probesApi(deps, migrationSets)];
  const title = 'govsim harness control';
  // The apps' first pages on the other servers, for the console's links.
  const servicePages = pagesOf(serviceModules, deps);
  const providerPages = pagesOf([mocksModule], deps);
  const apps = () => [...appLinks(servicePages, urls().services), ...appLinks(providerPages, urls().providers)];
  return jsonApp(apis, { log, title, pages: consolePages({ db: deps.db, live: deps.live, modules }, { title: 'govsim 测试控制台', servers: serverLinks(urls), apps }) });
}

/** Where clients reach a server: its listening URL, or the same port on the public host (a load balancer, a Service). */
const advertised = (listening: Listening, publicHost: string) => {
  if (!publicHost) return listening.url;
  const url = new URL(listening.url);
  url.hostname = publicHost;
  return url.origin;
};

/** The connection string of a pool, for the process's LISTEN connection. */
const urlOf = (db: Db) => (db as unknown as { options: { connectionString?: string } }).options.connectionString;

export async function startStack(db: Db, config: StackConfig, log: Log): Promise<Stack> {
  const opened: Listening[] = [];
  const live = await Live.start(db, urlOf(db));
  // The mocks get connections of their own: a service waiting for a connection never holds up
  // the provider it is calling (and the mocks stand for servers elsewhere).
  const mocksDb = urlOf(db) ? createDb(urlOf(db)!, (db as unknown as { options: { max: number } }).options.max) : db;
  const closeMocksDb = async () => void (mocksDb !== db && (await mocksDb.end()));
  try {
    const urls: StackUrls = { services: '', providers: '', control: '' };
    const providersApp = createProvidersApp({ db: mocksDb, live }, log, () => urls);
    const providersServer = await listen(providersApp, config.providersPort, config.host);
    urls.providers = advertised(providersServer, config.publicHost);
    opened.push(providersServer);
    const deps: ServiceDeps = { db, live, providers: clientsFor(config, providersServer.url), publicUrl: () => urls.services, config };
    const servicesApp = createServicesApp(deps, log, () => urls);
    const servicesServer = await listen(servicesApp, config.servicesPort, config.host);
    urls.services = advertised(servicesServer, config.publicHost);
    opened.push(servicesServer);
    const controlServer = await listen(createControlApp(deps, () => urls, log), config.controlPort, config.host);
    urls.control = advertised(controlServer, config.publicHost);
    opened.push(controlServer);
    const stopScheduler = startScheduler({ db, live, jobs: serviceModules.flatMap((m) => m.jobs?.(deps) ?? []), intervalMs: config.schedulerMs, leaseSeconds: config.jobLeaseSeconds, log });
    return {
      urls,
      apps: [
        ...appLinks(servicesApp.locals.pages as Pages[], urls.services),
        ...appLinks(providersApp.locals.pages as Pages[], urls.providers),
        { label: 'govsim 测试控制台', url: `${urls.control}/` },
      ],
      close: async () => {
        await stopScheduler();
        await Promise.all(opened.map((s) => s.close()));
        await flushJournals(); // calls answered but not yet journaled
        await live.close();
        await closeMocksDb();
      },
    };
  } catch (error) {
    await Promise.all(opened.map((s) => s.close()));
    await flushJournals();
    await live.close();
    await closeMocksDb();
    throw error;
  }
}
