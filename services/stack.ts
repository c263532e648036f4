// One govsim stack: provider mocks, reference services and the harness control API, each an
// Express app built from its dependencies (createApp apart from listen) on its own port.
import express from 'express';
import { providers, providersApi } from '../mocks/index.js';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db.js';
import { jsonApp, listen, type Api, type Listening } from './platform/http.js';
import { harnessApi } from './harness/routes.js';
import { providerClients, type Providers } from './providers/clients.js';
import { startScheduler } from './risk/jobs.js';
import { riskApi } from './risk/routes.js';
import { registrationApi } from './registration/routes.js';
import { yueshangtongApi } from './yueshangtong/routes.js';

export interface StackUrls {
  services: string;
  providers: string;
  control: string;
}

export interface Stack {
  urls: StackUrls;
  close(): Promise<void>;
}

type StackConfig = Pick<Config, 'host' | 'servicesPort' | 'providersPort' | 'controlPort' | 'identityUrl' | 'faceUrl' | 'ctidUrl' | 'smsUrl' | 'providerTimeoutMs' | 'logLevel' | 'schedulerMs' | 'fanoutLanes'>;

export function createProvidersApp(db: Db, log: (line: string) => void, holdMs?: number) {
  return jsonApp([providersApi(db, providers, holdMs === undefined ? {} : { holdMs })], { log, title: 'govsim provider mocks' });
}

/** The services' clients of the providers: configured URLs, else the bundled mocks. */
export function clientsFor(config: Pick<Config, 'identityUrl' | 'faceUrl' | 'ctidUrl' | 'smsUrl' | 'providerTimeoutMs'>, providersUrl: string) {
  const urls = {
    identity: config.identityUrl || providersUrl,
    face: config.faceUrl || providersUrl,
    ctid: config.ctidUrl || providersUrl,
    sms: config.smsUrl || providersUrl,
  };
  return providerClients(urls, config.providerTimeoutMs);
}

export function createServicesApp(db: Db, providers: Providers, publicUrl: () => string, log: (line: string) => void) {
  const apis: Api[] = [yueshangtongApi({ db, providers, publicUrl }), riskApi({ db, providers, publicUrl }), registrationApi({ db, providers })];
  return jsonApp(apis, { log, title: 'govsim reference services' });
}

export function createControlApp(db: Db, providers: Providers, urls: () => Partial<StackUrls>, log: (line: string) => void, fanoutLanes?: number) {
  return jsonApp([harnessApi({ db, providers, fanoutLanes }, () => ({ ...urls() }) as Record<string, string>)], { log, title: 'govsim harness control', pages: landing(urls) });
}

/** A landing page that links every server's API browser (H6). */
function landing(urls: () => Partial<StackUrls>) {
  const page = express.Router();
  page.get('/', (_req, res) => {
    const u = urls();
    const link = (label: string, base?: string) => (base ? `<li><a href="${base}/docs/">${label}</a> — <code>${base}</code> (<a href="${base}/openapi.json">openapi.json</a>)</li>` : '');
    res.type('html').send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>govsim</title></head><body style="font-family:sans-serif;max-width:48em;margin:2em auto">
<h1>govsim</h1><p>Reference services and provider mocks for Chinese government e-services.</p><ul>
${link('Reference services (粤商通 …)', u.services)}${link('Provider mocks (identity, face, CTID, SMS)', u.providers)}${link('Harness control (clock, outcome tables, journal, outbox, seed, reset)', u.control)}
</ul></body></html>`,
    );
  });
  return page;
}

export async function startStack(db: Db, config: StackConfig, log: (line: string) => void): Promise<Stack> {
  const opened: Listening[] = [];
  try {
    const providersServer = await listen(createProvidersApp(db, log), config.providersPort, config.host);
    opened.push(providersServer);
    const providers = clientsFor(config, providersServer.url);
    let servicesUrl = '';
    const servicesServer = await listen(createServicesApp(db, providers, () => servicesUrl, log), config.servicesPort, config.host);
    servicesUrl = servicesServer.url;
    opened.push(servicesServer);
    const urls: StackUrls = { services: servicesServer.url, providers: providersServer.url, control: '' };
    const controlServer = await listen(createControlApp(db, providers, () => urls, log, config.fanoutLanes), config.controlPort, config.host);
    urls.control = controlServer.url;
    opened.push(controlServer);
    const stopScheduler = startScheduler({ db, providers, fanoutLanes: config.fanoutLanes }, config.schedulerMs, log);
    return {
      urls,
      close: async () => {
        await stopScheduler();
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(opened.map((s) => s.close()));
    throw error;
  }
}
