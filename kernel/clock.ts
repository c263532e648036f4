// The harness clock (H1), one per run key, kept in PostgreSQL so that every service and provider
// process reads the same time. A run that never set its clock follows the wall clock.
// Timezone: Asia/Shanghai (UTC+8, no daylight saving), so calendar arithmetic is plain offsets.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from './db.js';
import { badRequest } from './errors.js';

/**
 * The days govsim accepts, in any field and on any clock: wide enough for birth dates and ID
 * validity, narrow enough that a day plus a week or a year is still a date JavaScript and
 * PostgreSQL agree on. 9999-12-31 stands apart, as 长期有效 (fields.ts).
 */
export const FIRST_DAY = '1900-01-01';
export const LAST_DAY = '2999-12-31';
/** A run's clock is set within [EARLIEST, LATEST) (harness_clocks_base_range holds it in PostgreSQL too). */
export const EARLIEST = new Date(`${FIRST_DAY}T00:00:00+08:00`);
export const LATEST = new Date(`${String(Number(LAST_DAY.slice(0, 4)) + 1)}-01-01T00:00:00+08:00`);
const outOfRange = () => badRequest('CLOCK_OUT_OF_RANGE', `时间须在 ${FIRST_DAY} 至 ${LAST_DAY} 之间`);

/** A clock the database refused to move out of range is the caller's mistake, like any other. */
const inRange = (error: unknown): never => {
  const e = error as { code?: string; constraint?: string };
  if (e.code === '23514' && e.constraint === 'harness_clocks_base_range') throw outOfRange();
  throw error;
};

export interface ClockState {
  now: Date;
  running: boolean;
  /** true when the run follows the wall clock (never set, or reset) */
  system: boolean;
}

export async function readClock(db: Queryable, run: string): Promise<ClockState> {
  const { rows } = await db.query<{ now: Date; running: boolean }>(
    `SELECT CASE WHEN running THEN base + (clock_timestamp() - set_at) ELSE base END AS now, running
       FROM harness_clocks WHERE run = $1`,
    [run],
  );
  const row = rows[0];
  return row ? { now: row.now, running: row.running, system: false } : { now: new Date(), running: true, system: true };
}

/** Sets the run's clock; every govsim process over the database forgets its copy at commit. */
export async function setClock(db: Queryable, run: string, at: Date, running = false): Promise<ClockState> {
  if (!(at >= EARLIEST && at < LATEST)) throw outOfRange();
  const { rows } = await db.query<{ now: Date; running: boolean }>(
    `WITH set AS (
       INSERT INTO harness_clocks (run, base, set_at, running) VALUES ($1, $2, clock_timestamp(), $3)
       ON CONFLICT (run) DO UPDATE SET base = EXCLUDED.base, set_at = EXCLUDED.set_at, running = EXCLUDED.running
       RETURNING base AS now, running)
     SELECT now, running, pg_notify('govsim_clock', $1) FROM set`,
    [run, at, running],
  ).catch(inRange);
  return { now: rows[0]!.now, running: rows[0]!.running, system: false };
}

/** Moves the run's clock on by `ms` in one statement (a clock never set starts from the wall clock, running). */
export async function advanceClock(db: Queryable, run: string, ms: number): Promise<ClockState> {
  // Longer than the whole range can only leave it (and keeps PostgreSQL's interval arithmetic in bounds).
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > LATEST.getTime() - EARLIEST.getTime()) throw outOfRange();
  const { rows } = await db.query<{ now: Date; running: boolean }>(
    `WITH set AS (
       INSERT INTO harness_clocks AS c (run, base, set_at, running) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond', clock_timestamp(), true)
       ON CONFLICT (run) DO UPDATE
         SET base = CASE WHEN c.running THEN c.base + (clock_timestamp() - c.set_at) ELSE c.base END + $2 * interval '1 millisecond', set_at = clock_timestamp()
       RETURNING base AS now, running)
     SELECT now, running, pg_notify('govsim_clock', $1) FROM set`,
    [run, ms],
  ).catch(inRange);
  return { now: rows[0]!.now, running: rows[0]!.running, system: false };
}

// The harness time of the call being served, for rules that are checked where no run context is
// passed: a field's schema (a birth date must not be after the run's today). The kernel enters
// it once it has read the run's clock; outside a call it is the wall clock.
const callTime = new AsyncLocalStorage<Date>();

/** From here on in this call (and what it awaits), callNow() is `now`. */
export const enterCallTime = (now: Date): void => callTime.enterWith(now);

/** The harness time of the call being served, else the wall clock. */
export const callNow = (): Date => callTime.getStore() ?? new Date();

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const DAY_MS = 86_400_000;

// Every request turns its clock into days ('YYYY-MM-DD'), and the days it meets are few: each is
// formatted once (a Date and toISOString cost as much as the rest of a cached read's view).
const MAX_KEPT = 4096;
const keep = <K, V>(cache: Map<K, V>, key: K, value: V): V => {
  if (cache.size >= MAX_KEPT) cache.clear();
  cache.set(key, value);
  return value;
};
const dayNames = new Map<number, string>();
/** Day n since 1970-01-01 as 'YYYY-MM-DD' (throws, as toISOString does, out of Date's range). */
const dayName = (n: number): string => dayNames.get(n) ?? keep(dayNames, n, new Date(n * DAY_MS).toISOString().slice(0, 10));
/** The Shanghai day of an instant, as a day number; NaN where a Date could not hold its local time. */
const shanghaiDayNumber = (instant: Date) => {
  const local = instant.getTime() + SHANGHAI_OFFSET_MS;
  return Math.abs(local) <= 8.64e15 ? Math.floor(local / DAY_MS) : Number.NaN;
};
/** What formatting such an instant did: a RangeError. */
const invalid = () => new Date(Number.NaN).toISOString();

/** The calendar day in Shanghai of an instant, as 'YYYY-MM-DD'. */
export function shanghaiDay(instant: Date): string {
  const n = shanghaiDayNumber(instant);
  return Number.isNaN(n) ? invalid() : dayName(n);
}

/** The instant a Shanghai local time 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm[:ss]' stands for. */
export function fromShanghai(local: string): Date {
  const withTime = local.length === 10 ? `${local}T00:00:00` : local;
  return new Date(`${withTime}+08:00`);
}

/** An ISO instant with its zone, or a Shanghai local time 'YYYY-MM-DD[THH:mm[:ss]]' (an invalid Date when it is neither). */
export function parseInstant(text: string): Date {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? new Date(text) : fromShanghai(text);
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses a duration like '90s', '5m1s', '2h', '3d', '1w' (or plain milliseconds). */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(trimmed)) throw new Error(`not a duration: ${text}`);
  return [...trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], 0);
}

/** The Monday (Asia/Shanghai) of the week an instant falls in, as 'YYYY-MM-DD'. */
export function mondayOf(instant: Date): string {
  const n = shanghaiDayNumber(instant);
  if (Number.isNaN(n)) return invalid();
  // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
  return dayName(n - ((((n + 3) % 7) + 7) % 7));
}

const shifted = new Map<string, string>();
/** 'YYYY-MM-DD' plus whole days. */
export function addDays(day: string, days: number): string {
  const key = `${day}|${days}`;
  return shifted.get(key) ?? keep(shifted, key, new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10));
}

const times = new Map<number, string>();
/** Shanghai local 'YYYY-MM-DD HH:mm:ss' of an instant, as the apps print times (the few a run's views show, each formatted once). */
export function shanghaiTime(instant: Date): string {
  const t = instant.getTime();
  return times.get(t) ?? keep(times, t, new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' '));
}
