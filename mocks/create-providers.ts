// The provider mocks in a consumer's own tests, in one call:
//
//   const providers = await createProviders();             // PostgreSQL in this process (PGlite)
//   const server = setupServer(...providers.handlers);     // MSW, on providers.baseUrl
//   await providers.face.script(idNumber, 'PHOTO_QUALITY', { times: 2 });
//   await providers.sms.latestCode(mobile);
//
// The handlers are the same MSW adapter over the same behaviour, stores and SQL as govsim's
// provider server (core/msw.ts → core/provider.ts). Without `databaseUrl` they run on PGlite,
// PostgreSQL compiled to WebAssembly, one per process, made and migrated at the first call and
// shared by every createProviders() of the process, each with a run key of its own (a new one
// unless given): nothing a test scripts or sends is seen by another. Nobody else writes to it, so
// its Live keeps each run's clock and whether it has scripts in memory, as a govsim process does.
// With `databaseUrl` (the database of a running govsim) they run over it, so that govsim's control
// API sees the same run's scripts, journal and outbox, and the other way round.
import { randomUUID } from 'node:crypto';
import type { HttpHandler } from 'msw';
import { advanceClock, parseDuration, parseInstant, setClock, type ClockState } from '../kernel/clock.js';
import { createDb, inTransaction, migrate, withRunLock, type Db } from '../kernel/db.js';
import { CHANNELS, Live } from '../kernel/live.js';
import { normaliseCode } from '../kernel/identifiers.js';
import { openPglite } from '../kernel/pglite.js';
import { resetRun, RUN_KEY } from '../kernel/runs.js';
import { checkScript, ScriptRequest } from './control.js';
import { closeJournal, journalOf } from './core/journal.js';
import { providerHandlers } from './core/msw.js';
import type { ProviderDefinition } from './core/provider.js';
import { addScript, clearScripts, listScripts, readJournal, type Fault, type ProviderCall, type Script } from './core/store.js';
import { ctidOutcomes, ctidProvider } from './ctid/provider.js';
import { faceOutcomes, faceProvider } from './face/provider.js';
import { identityOutcomes, identityProvider } from './identity/provider.js';
import { mocksMigrations } from './module.js';
import { providers } from './providers.js';
import { latestCode, readOutbox, smsOutcomes, smsProvider, type SmsMessage } from './sms/provider.js';
import { videoOutcomes, videoProvider } from './video/provider.js';

export interface CreateProvidersOptions {
  /** Origin the handlers answer on, with the paths of govsim's provider server (default http://providers.govsim.test). */
  baseUrl?: string | undefined;
  /** PostgreSQL to keep the mocks' state in (a running govsim's, to share it with its control API); default: PGlite in this process. */
  databaseUrl?: string | undefined;
  /** The run key of calls that carry no x-govsim-run header, and of what this object scripts and reads (default: a new one). */
  run?: string | undefined;
  /** How long a scripted `timeout` holds a call before it fails as a network error (default 30 s). */
  holdMs?: number | undefined;
}

export interface ScriptOptions {
  /** How many calls in a row the script answers (default 1). */
  times?: number | undefined;
  /** Delay before the answer, in milliseconds (at most 60 000). */
  latencyMs?: number | undefined;
  /** Fail the call: timeout, http500, http503 or reset. */
  fault?: Fault | undefined;
  /** The operation it applies to (default: the deciding one for an outcome, any for latency and faults). */
  operation?: string | undefined;
}

/** One provider's outcome table, scripts and journal, for this object's run. */
export interface ProviderControl<Outcome extends string> {
  /** Scripts the subject's next answers (an ID number, or a mobile for SMS): an outcome, and/or latency and faults. */
  script(subject: string, outcome: Outcome, options?: ScriptOptions): Promise<Script>;
  script(subject: string, options: ScriptOptions): Promise<Script>;
  /** Scripts not yet used up (the subject's, or all of the provider's). */
  scripts(subject?: string): Promise<Script[]>;
  /** Forgets scripts (the subject's, or all of the provider's). */
  clearScripts(subject?: string): Promise<void>;
  /** The provider's calls, oldest first (the subject's, or all; the first 500). */
  journal(subject?: string): Promise<ProviderCall[]>;
}

export interface SmsControl extends ProviderControl<keyof typeof smsOutcomes> {
  /** Messages the gateway accepted, oldest first (to one mobile, or all). */
  outbox(mobile?: string): Promise<SmsMessage[]>;
  /** The verification code (4–8 digits) in the latest message to a mobile that has one. */
  latestCode(mobile: string): Promise<string | undefined>;
}

/** Each provider's controls and the run's journal: the same from createProviders and from govsim/testing's controlClient. */
export interface ProviderControls {
  readonly identity: ProviderControl<keyof typeof identityOutcomes>;
  readonly face: ProviderControl<keyof typeof faceOutcomes>;
  readonly ctid: ProviderControl<keyof typeof ctidOutcomes>;
  readonly sms: SmsControl;
  readonly video: ProviderControl<keyof typeof videoOutcomes>;
  /** Provider calls of the run, oldest first (the first 500 unless `limit` says). */
  journal(filter?: { provider?: string; subject?: string; operation?: string; limit?: number }): Promise<ProviderCall[]>;
}

export interface Providers extends ProviderControls {
  /** The run key of this object: calls without an x-govsim-run header belong to it. */
  readonly run: string;
  /** The origin the handlers answer on: point the code under test at it. */
  readonly baseUrl: string;
  /** MSW request handlers for identity, face, CTID, SMS and video: `setupServer(...providers.handlers)`. */
  readonly handlers: HttpHandler[];
  /** The run's harness clock, which the providers read (a run never set follows the wall clock). */
  readonly clock: {
    now(): Promise<ClockState>;
    /** An ISO instant, a Shanghai local time ('2026-11-23T09:00') or a Date; frozen unless running. */
    set(at: Date | string, options?: { running?: boolean }): Promise<ClockState>;
    /** '90s', '5m', '2h', '3d', '1w' or milliseconds. */
    advance(by: string | number): Promise<ClockState>;
  };
  /** Forgets everything the run holds: scripts, journal, outbox, sessions, rooms, clock. */
  reset(): Promise<void>;
  /** Writes the journal's last calls and lets the database go (PGlite closes with its last user). */
  close(): Promise<void>;
}

const DEFAULT_BASE_URL = 'http://providers.govsim.test';

/** A database the mocks keep their state in, with the Live that keeps what they read often in memory. */
interface Store {
  db: Db;
  live: Live;
  release(): Promise<void>;
}

/**
 * The process's PGlite, migrated once, shared by every createProviders() of the process (each has
 * its own run) with one Live (Live.inProcess: nobody else writes to it), closed with its last user.
 */
let inProcess: { opening: Promise<{ db: Db; live: Live }>; users: number } | undefined;

async function usePglite(): Promise<Store> {
  if (!inProcess) {
    const opening = openPglite(mocksMigrations).then((db) => ({ db, live: Live.inProcess(db) }));
    const made = { opening, users: 0 };
    opening.catch(() => inProcess === made && (inProcess = undefined));
    inProcess = made;
  }
  const mine = inProcess;
  mine.users++;
  const letGo = async () => {
    if (--mine.users > 0) return;
    if (inProcess === mine) inProcess = undefined;
    const { db, live } = await mine.opening;
    await closeJournal(db);
    await live.close();
    await db.end();
  };
  try {
    const { db, live } = await mine.opening;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await letGo();
    };
    return { db, live, release };
  } catch (error) {
    await letGo().catch(() => {});
    throw error;
  }
}

async function useDatabase(url: string): Promise<Store> {
  const db = createDb(url, 4);
  try {
    await migrate(db, mocksMigrations);
    const live = await Live.start(db, url);
    return {
      db,
      live,
      release: async () => {
        await closeJournal(db);
        await live.close();
        await db.end();
      },
    };
  } catch (error) {
    await db.end();
    throw error;
  }
}

/** A subject as scripts and the journal keep it (the providers normalise the numbers they are called with). */
const subjectOf = (subject: string | undefined) => (subject === undefined ? undefined : normaliseCode(subject));

/** The script a test asks for, as the control API takes it; refused (an unknown outcome …) with the control API's message. */
function scriptOf(provider: ProviderDefinition, subject: string, outcome: string | undefined, options: ScriptOptions) {
  const parsed = ScriptRequest.safeParse({ subject, outcome, ...options });
  if (!parsed.success) throw new Error(`${provider.name} script: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  checkScript(provider, parsed.data);
  return parsed.data;
}

/** The provider mocks as MSW handlers with their controls, over PGlite in this process or a given PostgreSQL. */
export async function createProviders(options: CreateProvidersOptions = {}): Promise<Providers> {
  const run = options.run ?? randomUUID();
  if (!RUN_KEY.test(run)) throw new Error(`not a run key: ${run} (${RUN_KEY.source})`);
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const store = options.databaseUrl ? await useDatabase(options.databaseUrl) : await usePglite();
  const { db, live } = store;

  // A write answers once every govsim process over the database has heard it, as the control API's
  // do (at once over PGlite: nobody else listens).
  const heard = async <T>(written: T): Promise<T> => {
    await live.fence();
    return written;
  };
  const control = <O extends string>(provider: ProviderDefinition): ProviderControl<O> => ({
    script: async (subject: string, outcome: O | ScriptOptions, more: ScriptOptions = {}) => {
      const script = typeof outcome === 'string' ? scriptOf(provider, subject, outcome, more) : scriptOf(provider, subject, undefined, outcome);
      return heard(await addScript(db, { ...script, run, provider: provider.name }, live));
    },
    scripts: (subject?: string) => listScripts(db, run, provider.name, subjectOf(subject)),
    clearScripts: async (subject?: string) => void (await heard(await clearScripts(db, run, provider.name, subjectOf(subject), live))),
    journal: (subject?: string) => readJournal(db, { run, provider: provider.name, subject: subjectOf(subject) }),
  });
  const clockChanged = (state: ClockState) => {
    live.changed(CHANNELS.clock, run);
    return heard(state);
  };
  let closed = false;

  return {
    run,
    baseUrl,
    handlers: providerHandlers(db, providers, { baseUrl, run, live, ...(options.holdMs === undefined ? {} : { holdMs: options.holdMs }) }),
    identity: control(identityProvider),
    face: control(faceProvider),
    ctid: control(ctidProvider),
    video: control(videoProvider),
    sms: {
      ...control<keyof typeof smsOutcomes>(smsProvider),
      outbox: (mobile?: string) => readOutbox(db, run, mobile),
      latestCode: async (mobile: string) => (await latestCode(db, run, mobile))?.code,
    },
    journal: (filter = {}) => readJournal(db, { run, ...filter, subject: subjectOf(filter.subject) }),
    clock: {
      now: () => live.clock(run),
      set: async (at, { running = false } = {}) => {
        const instant = typeof at === 'string' ? parseInstant(at) : at;
        if (Number.isNaN(instant.getTime())) throw new Error(`not a time: ${String(at)}`);
        return clockChanged(await setClock(db, run, instant, running));
      },
      advance: async (by) => clockChanged(await advanceClock(db, run, typeof by === 'number' ? by : parseDuration(by))),
    },
    reset: async () => {
      await journalOf(db, live).flush(); // nothing of the run left to write after its rows are gone
      const reset = () =>
        inTransaction(db, async (tx) => {
          await resetRun(tx, run);
          await tx.query(`SELECT pg_notify('${CHANNELS.reset}', $1)`, [run]);
        });
      // Over a running govsim, as its control API does: not while one of the run's jobs is writing.
      if (options.databaseUrl) await withRunLock(db, run, { wait: true }, reset);
      else await reset();
      live.changed(CHANNELS.reset, run);
      await heard(undefined);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await store.release();
    },
  };
}
