// Probes for whatever keeps govsim running (Kubernetes, compose, a load balancer), on each of the
// three servers: GET /healthz — the process answers; GET /readyz — it can serve: its database
// answers within `READY_WITHIN_MS` and has every migration this build ships. Declared and
// documented like every route, but served without the run's clock (reading it may need the very
// database being checked), so a probe never hangs on what it is asking about.
import type { Request, Response } from 'express';
import { anonymous } from './access.js';
import { migrationFiles, pendingMigrations, type Db, type MigrationSet } from './db.js';
import { AppError } from './errors.js';
import { Api } from './http.js';
import { checkRequest } from './input.js';
import type { Live } from './live.js';
import { z } from './zod.js';

/** How long /readyz waits for the database before answering 503 (below a probe's usual 3 s timeout). */
export const READY_WITHIN_MS = 2000;

const alive = z.strictObject({ status: z.literal('ok') }).openapi('Alive');
const ready = z
  .strictObject({
    status: z.literal('ready'),
    migrations: z.number().int().openapi({ description: 'Migrations this build ships, all applied' }),
  })
  .openapi('Ready');

const unreachable = (reason: string) => new AppError(503, 'DATABASE_UNREACHABLE', '数据库无法连接，服务暂不可用', { reason });

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The probes of a server whose state lives in `db`, migrated from `migrations`. */
export function probesApi(deps: { db: Db; live: Live }, migrations: MigrationSet[], options: { readyWithinMs?: number } = {}): Api {
  const api = new Api(deps.live, { title: 'govsim probes', description: 'Liveness and readiness of this server.' });
  const tag = 'Probes';
  const json = (res: Response, body: unknown) => void res.status(200).json(body);
  api.handle(
    { method: 'get', path: '/healthz', summary: 'Liveness: the process answers (nothing else is checked)', tag, access: anonymous, response: alive, status: 200 },
    async (req: Request, res: Response) => {
      checkRequest(req);
      json(res, { status: 'ok' });
    },
  );
  api.handle(
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the database answers and every migration is applied',
      description: `503 \`DATABASE_UNREACHABLE\` when the database does not answer within ${READY_WITHIN_MS} ms; 503 \`MIGRATIONS_PENDING\` (details.pending) while migrations this build ships are not applied.`,
      tag,
      access: anonymous,
      response: ready,
      status: 200,
      errors: { 503: ['DATABASE_UNREACHABLE', 'MIGRATIONS_PENDING'] },
    },
    async (req: Request, res: Response) => {
      checkRequest(req);
      const pending = await within(options.readyWithinMs ?? READY_WITHIN_MS, pendingMigrations(deps.db, migrations)).catch((error: Error) => {
        throw unreachable(error.message);
      });
      if (pending.length) throw new AppError(503, 'MIGRATIONS_PENDING', '数据库迁移尚未完成，服务暂不可用', { pending });
      json(res, { status: 'ready', migrations: (await migrationFiles(migrations)).length });
    },
  );
  return api;
}
