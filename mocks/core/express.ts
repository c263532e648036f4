// Serves provider definitions over plain HTTP (the standalone mock server of `npm start`).
// Faults are real: a timeout holds the connection, a reset destroys the socket.
import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { anonymous } from '../../kernel/access.js';
import type { Db } from '../../kernel/db.js';
import { Api, runKeyOf, sendJson } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { FAULT_ERRORS, invoke, type ProviderDefinition } from './provider.js';

export interface ServeOptions {
  /** How long a 'timeout' fault holds the connection before dropping it (the client gives up first). */
  holdMs?: number;
}

export function providersApi(deps: { db: Db; live: Live }, providers: ProviderDefinition[], options: ServeOptions = {}): Api {
  const { db, live } = deps;
  const api = new Api(live, { title: 'govsim provider mocks', description: 'Identity check, face verification (粤信签), CTID, SMS gateway and video (云核查) mocks with scriptable outcomes.' });
  const holdMs = options.holdMs ?? 30_000;
  for (const provider of providers) {
    for (const operation of provider.operations) {
      const spec = {
        method: operation.method,
        path: operation.path,
        summary: operation.summary,
        tag: provider.title,
        access: anonymous,
        body: operation.body,
        response: operation.response,
        status: operation.status ?? 200,
        errors: { ...operation.errors, ...(operation.passive ? {} : FAULT_ERRORS) },
      };
      api.handle(spec, async (req: Request, res: Response) => {
        const invocation = await invoke(
          db,
          provider,
          operation,
          { run: runKeyOf(req), baseUrl: `${req.protocol}://${req.get('host')}`, params: req.params as Record<string, string>, query: req.query as Record<string, unknown>, body: req.body },
          { live },
        );
        if (invocation.latencyMs || invocation.fault) {
          const aborted = new AbortController();
          if (req.socket.destroyed) aborted.abort();
          else res.once('close', () => aborted.abort());
          if (invocation.latencyMs) await sleep(invocation.latencyMs, undefined, { signal: aborted.signal }).catch(() => {});
          if (invocation.fault === 'timeout') await sleep(holdMs, undefined, { signal: aborted.signal }).catch(() => {});
          if (invocation.fault === 'timeout' || invocation.fault === 'reset') return void req.socket.destroy();
          if (aborted.signal.aborted) return;
        } else if (req.socket.destroyed) return;
        sendJson(res, invocation.reply.status, invocation.reply.body);
      });
    }
  }
  return api;
}
