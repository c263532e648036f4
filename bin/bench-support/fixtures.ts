// The data bench-api measures against. Worlds, clocks and the fan-out go through the harness
// control API, as a user would make them; what the API only makes one person at a time (logged-in
// sessions acting for certified enterprise accounts, signed red warnings, fresh face sessions) is
// made here with set-based SQL in the same rows the services write, so set-up takes seconds.
import { setTimeout as sleep } from 'node:timers/promises';
import { newToken, tokenHash } from '../../kernel/tokens.js';
import type { Db } from '../../kernel/db.js';
import type { Person } from './load.js';

export const WEEK = '2026-11-23'; // a Monday
export const CLOCK = `${WEEK}T09:00`; // Shanghai local time, frozen
const NOW = new Date(`${CLOCK}:00+08:00`);

/** The control API under one run key (x-govsim-run on every request). */
export class Control {
  constructor(
    readonly url: string,
    readonly run: string,
  ) {}

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-govsim-run': this.run },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} (run ${this.run}) answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  freezeClock() {
    return this.call('PUT', '/harness/v1/clock', { at: CLOCK });
  }

  /** A risk world of `enterprises` in scope, with the week's warnings issued. */
  async riskWorld(enterprises: number): Promise<{ inScope: number; issued: number }> {
    await this.freezeClock();
    const world = await this.seedRiskWorld(enterprises);
    const fanout = await this.call<{ issued: number }>('POST', '/harness/v1/jobs/weekly-fanout', { week: WEEK });
    return { inScope: world.inScope, issued: fanout.issued };
  }

  /** Seeds a risk world (a job) and polls it until it is done; answers the world. */
  private async seedRiskWorld(enterprises: number): Promise<{ inScope: number }> {
    const { id } = await this.call<{ id: string }>('POST', '/harness/v1/risk/world', { seed: 1, enterprises }, [202]);
    for (;;) {
      const job = await this.call<{ state: string; error: string | null; result: { inScope: number } }>('GET', `/harness/v1/risk/world/jobs/${id}`);
      if (job.state === 'DONE') return job.result;
      if (job.state === 'FAILED') throw new Error(`seeding the risk world failed: ${job.error}`);
      await sleep(100);
    }
  }

  /** A registry world of `enterprises`, each with its legal representative. */
  async world(enterprises: number) {
    await this.freezeClock();
    return this.call<Record<string, unknown>>('POST', '/harness/v1/world', { seed: 7, enterprises });
  }

  /** Every person of the run, 1000 a page. */
  async persons(): Promise<Person[]> {
    const all: Person[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.call<Person[]>('GET', `/harness/v1/registry/persons?limit=1000&offset=${offset}`);
      all.push(...page);
      if (page.length < 1000) return all;
    }
  }
}

/**
 * What a first face login leaves behind (A3, B1), for every legal representative of the run's
 * enterprises (only those in the warnings' scope with `inScopeOnly`): the real-name personal
 * account, a 已认证 enterprise account they applied for, and their ACTIVE applicant membership,
 * valid 长期 (9999-12-31). Answers how many enterprise accounts there are.
 */
export async function certifiedAccounts(db: Db, run: string, options: { inScopeOnly: boolean }): Promise<number> {
  const enterprises = options.inScopeOnly
    ? `registry_enterprises e JOIN risk_enterprises r ON r.run = e.run AND r.uscc = e.uscc`
    : `registry_enterprises e`;
  // A mobile is unique per run: a person whose mobile someone else already holds keeps none.
  await db.query(
    `INSERT INTO yst_personal_accounts (run, id, id_number, name, mobile, created_at)
     SELECT run, gen_random_uuid(), id_number, name, CASE WHEN row_number() OVER (PARTITION BY mobile ORDER BY id_number) = 1 THEN mobile END, $2
       FROM (SELECT DISTINCT p.run, p.id_number, p.name, p.mobile
               FROM ${enterprises} JOIN registry_persons p ON p.run = e.run AND p.id_number = e.legal_rep_id_number
              WHERE e.run = $1) people
     ON CONFLICT DO NOTHING`,
    [run, NOW],
  );
  const accounts = await db.query(
    `INSERT INTO yst_enterprise_accounts (run, id, account_name, uscc, trust, applicant_id, created_at, certified_at)
     SELECT e.run, gen_random_uuid(), 'bench-' || e.uscc, e.uscc, 'CERTIFIED', p.id, $2, $2
       FROM ${enterprises} JOIN yst_personal_accounts p ON p.run = e.run AND p.id_number = e.legal_rep_id_number
      WHERE e.run = $1`,
    [run, NOW],
  );
  await db.query(
    `INSERT INTO yst_members (run, id, account_id, role, status, person_id, name, id_number, mobile, auth_end, joined_on, created_at)
     SELECT a.run, gen_random_uuid(), a.id, 'APPLICANT', 'ACTIVE', p.id, p.name, p.id_number, p.mobile, DATE '9999-12-31', $2::date, $3
       FROM yst_enterprise_accounts a JOIN yst_personal_accounts p ON p.run = a.run AND p.id = a.applicant_id
      WHERE a.run = $1`,
    [run, WEEK, NOW],
  );
  return accounts.rowCount ?? 0;
}

/**
 * One logged-in session per enterprise account of the run, its applicant acting for it ([选择办事]),
 * as the login would store it (the SHA-256 of a random bearer token). Answers the tokens, in USCC
 * order, so that the first n requests of a rotation act for n different enterprises.
 */
export async function openSessions(db: Db, run: string): Promise<string[]> {
  const { rows } = await db.query<{ accountId: string; personId: string }>(
    `SELECT id AS "accountId", applicant_id AS "personId" FROM yst_enterprise_accounts WHERE run = $1 ORDER BY uscc`,
    [run],
  );
  const tokens = rows.map(() => newToken());
  await db.query(
    `INSERT INTO yst_sessions (run, token_hash, account_id, acting_account_id, created_at)
     SELECT $1, hash, person, account, $2 FROM unnest($3::text[], $4::uuid[], $5::uuid[]) AS s(hash, person, account)`,
    [run, NOW, tokens.map(tokenHash), rows.map((r) => r.personId), rows.map((r) => r.accountId)],
  );
  return tokens;
}

/** Every warning of the run's week becomes red (重大风险): feedback is due for each. */
export async function makeRed(db: Db, run: string): Promise<number> {
  return (await db.query(`UPDATE risk_warnings SET level = 'RED' WHERE run = $1 AND week = $2`, [run, WEEK])).rowCount ?? 0;
}

/** Every warning of the run's week signed by its enterprise's applicant (feedback comes after signing). */
export async function signAll(db: Db, run: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE risk_warnings w SET signed_at = $3, signed_by = p.id, signed_by_name = p.name
       FROM yst_enterprise_accounts a JOIN yst_personal_accounts p ON p.run = a.run AND p.id = a.applicant_id
      WHERE w.run = $1 AND w.week = $2 AND a.run = w.run AND a.uscc = w.uscc`,
    [run, WEEK, NOW],
  );
  return rowCount ?? 0;
}

/**
 * Undoes what the last sign or feedback measurement wrote, so that every round signs unsigned
 * warnings and inserts new feedback (not the cheap "already signed" / 409 answers), then vacuums
 * so the next round does not pay for the last one's dead rows.
 */
export async function unsign(db: Db, run: string): Promise<void> {
  await db.query(`UPDATE risk_warnings SET signed_at = NULL, signed_by = NULL, signed_by_name = NULL WHERE run = $1 AND week = $2 AND signed_at IS NOT NULL`, [run, WEEK]);
  await db.query('VACUUM (ANALYZE) risk_warnings');
}

export async function forgetFeedback(db: Db, run: string): Promise<void> {
  await db.query('DELETE FROM risk_feedback WHERE run = $1', [run]);
  await db.query('VACUUM (ANALYZE) risk_feedback');
}

/**
 * `count` PENDING face sessions (as the face provider's start makes them) with ids
 * `face-<after + 1>` … `face-<after + count>`, each of its own person, in one INSERT … SELECT.
 */
export async function faceSessions(db: Db, run: string, after: number, count: number): Promise<void> {
  await db.query(
    `INSERT INTO face_sessions (run, id, name, id_number, purpose, status, created_at)
     SELECT $1, 'face-' || g, '田军', '4401061990' || lpad((g % 100000000)::text, 8, '0'), 'yst:LOGIN', 'PENDING', $4
       FROM generate_series($2::int + 1, $2::int + $3::int) AS g`,
    [run, after, count, NOW],
  );
  await db.query('VACUUM (ANALYZE) face_sessions');
}
