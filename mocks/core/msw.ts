// The same provider behaviour as MSW request handlers, for a consumer's own tests:
//   const server = setupServer(...providerHandlers(db, providers, { baseUrl: 'http://providers.test' }))
// (createProviders, create-providers.ts, makes the database and these handlers in one call.)
// Scripts, journal and outbox live in the same PostgreSQL tables the HTTP server uses. Without a
// Live (just a pool) every call reads its run's clock and looks its scripts up; the journal is
// written in batches as by the server: read it with readJournal, and call flushJournals() before
// closing the pool.
import { setTimeout as sleep } from 'node:timers/promises';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Queryable } from '../../kernel/db.js';
import { DEFAULT_RUN, RUN_HEADER } from '../../kernel/http.js';
import type { AppError } from '../../kernel/errors.js';
import { BODY_LIMIT, refusals, tooDeep } from '../../kernel/input.js';
import type { Live } from '../../kernel/live.js';
import { invoke, type ProviderDefinition } from './provider.js';

export interface HandlerOptions {
  /** Origin the handlers answer on, e.g. http://providers.test (the same paths as the HTTP server). */
  baseUrl: string;
  /** How long a 'timeout' fault waits before failing the request as a network error. */
  holdMs?: number;
  /** The process's Live, if it has one: clocks from memory, no script lookup for runs without scripts. */
  live?: Live | undefined;
  /** The run of a call that carries no x-govsim-run header (default: 'default'). */
  run?: string | undefined;
}

const refused = (refusal: AppError) => HttpResponse.json({ code: refusal.code, message: refusal.message }, { status: refusal.status });

export function providerHandlers(db: Queryable, providers: ProviderDefinition[], options: HandlerOptions): HttpHandler[] {
  const holdMs = options.holdMs ?? 30_000;
  return providers.flatMap((provider) =>
    provider.operations.map((operation) =>
      http[operation.method](`${options.baseUrl}${operation.path}`, async ({ request, params }) => {
        const url = new URL(request.url);
        // The HTTP server's body rules (kernel/input.ts): JSON within the size and depth limits, or none.
        let body: unknown;
        const text = operation.method === 'post' ? await request.text() : '';
        if (text) {
          if (Buffer.byteLength(text) > BODY_LIMIT) return refused(refusals.tooLarge());
          if (tooDeep(text)) return refused(refusals.tooDeep());
          try {
            body = JSON.parse(text);
          } catch {
            return refused(refusals.json());
          }
        }
        const invocation = await invoke(db, provider, operation, {
          run: request.headers.get(RUN_HEADER) || options.run || DEFAULT_RUN,
          baseUrl: options.baseUrl,
          params: params as Record<string, string>,
          query: Object.fromEntries(url.searchParams),
          body,
        }, { live: options.live });
        // Waits end early when the caller gives up (its fetch aborted), as on the HTTP server.
        if (invocation.latencyMs) await sleep(invocation.latencyMs, undefined, { signal: request.signal }).catch(() => {});
        if (invocation.fault === 'timeout') await sleep(holdMs, undefined, { signal: request.signal }).catch(() => {});
        if (invocation.fault === 'timeout' || invocation.fault === 'reset') return HttpResponse.error();
        const { reply } = invocation;
        return HttpResponse.json(reply.body as never, { status: reply.status });
      }),
    ),
  );
}
