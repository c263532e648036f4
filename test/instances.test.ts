// Several govsim instances over one PostgreSQL behave as one. Three instances — one serving from
// two workers, two from one process each — are started as `npm start` starts them (bin/govsim.ts,
// settings in the environment), each on free ports of its own, over a database of their own on the
// test's PostgreSQL (so that no other test's scheduler runs their jobs). Then: a clock set through
// one is what the others read at once; scripts added through one are used, in order, by the next
// calls to another; the SMS outbox and the journal of calls one answered are read through another;
// every registered job (粤商通's weekly fan-out and overdue reminders, 信用修复's notices and overdue
// flag, 常州's appointment reminders) runs once per due time while every instance's scheduler races
// for it and its on-demand control is called through every instance at the same moment, counted
// by its effects; and an instance killed (SIGKILL) while it holds a job's lease is taken over by
// another once the lease — GOVSIM_JOB_LEASE_S, 3 s here — runs out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startGovsimProcess, type GovsimProcess } from '../bin/govsim-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../kernel/database.js';
import { createDb, type Db } from '../kernel/db.js';
import { RUN_HEADER } from '../kernel/http.js';
import { migrateAll } from '../services/stack.js';
import { eventually } from '../features/support/eventually.js';
import { applicantSession, licensingEnterprise, licensingOfficer, listedCompany, pdf, SHIPAI, staffSession, submittedApplication } from './support/journeys.js';
import { ok, runClient, type RunClient } from './support/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');

const LEASE_SECONDS = 3;
/** A test that waits for jobs: over in seconds on a quiet machine, bounded well above that (a loaded one took 20 s). */
const TEST_MS = 90_000;

interface Instance extends GovsimProcess {
  name: string;
}

/** Seeds a risk world through `client` and waits for its seeding job: the world it made. */
async function riskWorld(client: RunClient, world: { seed: number; enterprises: number }) {
  const { id } = await ok(client.control('post', '/harness/v1/risk/world', world));
  return eventually(
    async () => {
      const job = await ok(client.control('get', `/harness/v1/risk/world/jobs/${id}`));
      assert.equal(job.state, 'DONE', `seeding: ${job.state} ${job.phase} ${job.error ?? ''}`);
      return job.result;
    },
    { timeoutMs: 30_000, intervalMs: 20 },
  );
}

/** `npm start`'s entry over `url` with `workers` workers, on free ports. */
async function startInstance(name: string, url: string, workers: number): Promise<Instance> {
  const started = await startGovsimProcess(
    {
      DATABASE_URL: url,
      GOVSIM_DATABASE: 'url',
      GOVSIM_SERVICES_PORT: '0',
      GOVSIM_PROVIDERS_PORT: '0',
      GOVSIM_CONTROL_PORT: '0',
      GOVSIM_WORKERS: String(workers),
      GOVSIM_SEED_ENTERPRISES: '20',
      GOVSIM_JOB_LEASE_S: String(LEASE_SECONDS),
      // A hanging SMS is given up after 1 s, not 5: the instance that takes the reminders over
      // may meet the hanging scripts the killed one had not reached, one after the other.
      GOVSIM_PROVIDER_TIMEOUT_MS: '1000',
      GOVSIM_SCHEDULER_MS: '50',
      GOVSIM_LOG: 'info',
    },
    45_000,
  );
  return { ...started, name };
}

/** The processes of an instance: its primary and the workers it forked. */
function processesOf(instance: Instance): number[] {
  const pid = instance.child.pid!;
  let children = '';
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  } catch {
    // no children
  }
  return [pid, ...children.split('\n').filter(Boolean).map(Number)];
}

let database: ScratchDatabase | undefined;
let db: Db;
let instances: Instance[] = [];

// Everything, the instances' start and stop included, is bounded: about 20 s, at most 4 min.
describe('several govsim instances over one database', { timeout: 240_000 }, () => {
  before(
    async () => {
      // A database of their own on the test's server: only these instances' schedulers run its jobs.
      database = await createScratchDatabase(databaseUrl, 'govsim_instances');
      const url = database.url;
      db = createDb(url, 4);
      await migrateAll(db);
      // Started together: their start (seeding the default run included) is safe at the same time.
      const started = await Promise.allSettled([startInstance('A', url, 2), startInstance('B', url, 1), startInstance('C', url, 1)]);
      instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      for (const s of started) if (s.status === 'rejected') throw s.reason;
    },
    { timeout: 50_000 },
  );

  after(async () => {
    // A stop signal to each primary: it stops its workers, then itself (killed if not gone in 10 s).
    await Promise.all(instances.map((instance) => instance.stop()));
    await db?.end();
    await database?.drop().catch(() => {});
  });

  const clients = (name: string, run = `${name}-${randomUUID()}`) => instances.map((instance) => runClient(instance, name, run));

  test('started together, they seeded the default run once', async () => {
    // Listing records have no key of their own: seeded twice, they would be there twice.
    const { rows } = await db.query<{ enterprises: number; records: number; distinct: number }>(
      `SELECT (SELECT count(*)::int FROM registry_enterprises WHERE run = 'default') AS enterprises,
              (SELECT count(*)::int FROM credit_records WHERE run = 'default') AS records,
              (SELECT count(DISTINCT (uscc, kind, reason, listed_on))::int FROM credit_records WHERE run = 'default') AS distinct`,
    );
    assert.ok(rows[0]!.enterprises >= 20 && rows[0]!.records === rows[0]!.distinct, JSON.stringify(rows[0]));
    const seeded = instances.filter((i) => i.output().includes('enterprises in run "default" (20 new)'));
    assert.equal(seeded.length, 1, instances.map((i) => i.output()).join('\n'));
  });

  test('a clock set through one instance is what every process of the others reads at once', async () => {
    const [a, b, c] = clients('instances-clock');
    const read = async (base: string) => {
      // A connection of its own each time: the primary hands it to the next worker.
      const response = await fetch(`${base}/harness/v1/clock`, { headers: { [RUN_HEADER]: a!.run, connection: 'close' } });
      return ((await response.json()) as { shanghai: string; running: boolean }).shanghai;
    };
    await read(instances[1]!.urls.control); // B keeps the run's clock (the wall clock) in memory
    for (const [setter, at] of [[a!, '2026-11-23 09:00:00'], [b!, '2027-01-01 08:30:00'], [c!, '2026-12-31 23:59:59']] as const) {
      await ok(setter.control('put', '/harness/v1/clock', { at: at.replace(' ', 'T') }));
      for (const instance of [...instances, instances[0]!]) assert.equal(await read(instance.urls.control), at, `instance ${instance.name}`);
    }
  });

  test('scripts added through one instance are used, in order, by the next calls to another', async () => {
    const [a, b, c] = clients('instances-scripts');
    const person = await a!.person('田军');
    const verify = async () => (await ok(b!.providers('post', '/identity/v1/verifications', { name: person.name, idNumber: person.idNumber }))).code as string;
    assert.equal(await verify(), 'PASS'); // B knows the run has no scripts
    await ok(a!.control('post', '/harness/v1/providers/identity/scripts', { subject: person.idNumber, outcome: 'MISMATCH' }));
    await ok(c!.control('post', '/harness/v1/providers/identity/scripts', { subject: person.idNumber, outcome: 'NOT_SYNCED' }));
    assert.deepEqual([await verify(), await verify(), await verify()], ['MISMATCH', 'NOT_SYNCED', 'PASS']);
    assert.deepEqual(await ok(c!.control('get', '/harness/v1/providers/identity/scripts')), []);
  });

  test('the SMS outbox and the journal of calls one instance answered are read through another', async () => {
    const [a, b, c] = clients('instances-outbox');
    const mobile = '13912345678';
    const texts = ['【测试】第一条', '【测试】第二条', '【测试】第三条'];
    for (const text of texts) await ok(b!.providers('post', '/sms/v1/messages', { mobile, text }));
    // Asked at once, through A and C: every call B answered is there.
    const outbox = await ok(a!.control('get', `/harness/v1/sms/outbox?mobile=${mobile}`));
    assert.deepEqual(
      outbox.map((m: { text: string }) => m.text),
      texts,
    );
    const journal = await ok(c!.control('get', `/harness/v1/journal?provider=sms&subject=${mobile}`));
    assert.deepEqual(
      journal.map((call: { operation: string; outcome: string; request: { body: { text: string } } }) => [call.operation, call.outcome, call.request.body.text]),
      texts.map((text) => ['send', 'PASS', text]),
    );
  });

  test('every registered job runs once per due time, every scheduler racing for it and every instance asked at once', { timeout: TEST_MS }, async () => {
    const [a, b, c] = clients('instances-jobs');
    const run = a!.run;
    const all = (method: string, path: string, body?: unknown) => Promise.all([a!, b!, c!].map((client) => ok(client.control(method, path, body))));
    const sms = async (mobile: string, like: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sms_messages WHERE run = $1 AND mobile = $2 AND text LIKE $3`, [run, mobile, like])).rows[0]!.n;

    // 常州: a cloud inspection appointed for Thursday 10:00: its reminder falls due on Wednesday at 09:00.
    const licensing = await licensingEnterprise(c!, 'CLOUD'); // the clock: Monday 2026-11-23 09:00, frozen
    const applicationId = await submittedApplication(c!, licensing.token, licensing.form);
    const inspector = await licensingOfficer(a!, 'tn-inspector', ['INSPECTOR']);
    const version = async () => (await ok(b!.services('get', `/changzhou/v1/web/applications/${applicationId}`, { token: licensing.token }))).version as number;
    await ok(a!.services('post', `/changzhou/v1/authority/applications/${applicationId}/appointment/propose`, { token: inspector, body: { version: await version(), at: '2026-11-26 10:00' } }));
    await ok(b!.services('post', `/changzhou/v1/app/applications/${applicationId}/appointment/confirm`, { token: licensing.token, body: { version: await version() } }));

    // 粤商通: a risk world, its first fan-out due next Monday 00:00.
    const world = await riskWorld(b!, { seed: 7, enterprises: 40 });

    // 信用修复: an application accepted by 石牌's handler. The SMS it owes is due at once (the
    // request and every scheduler race to send it); its time limit's flag, the day after it.
    const credit = await listedCompany(a!, '2025-07-01', '2026-11-01');
    const handler = { name: '王芳', mobile: '13811112222' };
    await ok(c!.control('post', '/harness/v1/credit-repair/staff', { ...handler, office: SHIPAI, roles: ['HANDLER'] }));
    const applicant = await applicantSession(b!, credit.rep.mobile);
    await ok(b!.services('post', '/gzqy/v1/credit-repair/subject-login', { token: applicant, body: { kind: 'ABNORMAL', readGuide: true, subject: { choice: 'MINE', uscc: credit.enterprise.uscc } } }));
    const draft = await ok(c!.services('post', '/gzqy/v1/credit-repair/applications', { token: applicant, body: { recordIds: [credit.recordId] } }));
    for (const materialType of ['APPLICATION_FORM', 'PLEDGE', 'CORRECTION_PROOF'])
      await ok(a!.services('post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/materials`, { token: applicant, body: { materialType, fileName: `${materialType}.pdf`, content: pdf } }));
    const submitted = await ok(b!.services('post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/submission`, { token: applicant, body: { version: draft.version } }));
    const staff = await staffSession(c!, handler.mobile);
    await Promise.all([
      ok(a!.services('post', `/gzxyjg/v1/credit-repair/cases/${draft.caseId}/acceptance`, { token: staff, body: { version: submitted.version, opinion: '同意受理' } })),
      all('post', '/harness/v1/jobs/credit-repair-notices'),
    ]);

    // Wednesday 09:00: the appointment reminder.
    await ok(b!.control('put', '/harness/v1/clock', { at: '2026-11-25T09:00:01' }));
    await all('post', '/harness/v1/jobs/licensing-reminders');
    await eventually(async () => assert.equal(await sms(licensing.rep.mobile, '【常州通办】%云核查%'), 1), { timeoutMs: 10_000 });

    // Monday 00:00: the week's fan-out.
    await ok(c!.control('put', '/harness/v1/clock', { at: '2026-11-30T00:00:01' }));
    await all('post', '/harness/v1/jobs/weekly-fanout', {});
    await eventually(async () => assert.equal((await ok(a!.control('get', '/harness/v1/jobs/weekly-fanout/2026-11-30'))).status, 'DONE'), { timeoutMs: 10_000 });

    // A week later: that week's overdue reminders, the next fan-out, and the 信用修复 case past its deadline.
    await ok(a!.control('put', '/harness/v1/clock', { at: '2026-12-07T00:00:01' }));
    await Promise.all([all('post', '/harness/v1/jobs/reminders'), all('post', '/harness/v1/jobs/credit-repair-overdue')]);
    const overdue = async () =>
      (
        await db.query<{ name: string; mobile: string }>(
          `SELECT r.name, p.mobile FROM risk_warnings w
             JOIN registry_enterprises r ON r.run = w.run AND r.uscc = w.uscc
             JOIN registry_persons p ON p.run = r.run AND p.id_number = r.legal_rep_id_number
            WHERE w.run = $1 AND w.week = '2026-11-30' AND w.level IN ('RED', 'ORANGE')`,
          [run],
        )
      ).rows;
    const warned = await overdue();
    assert.ok(warned.length > 0, 'the world has red or orange warnings');
    await eventually(
      async () => {
        assert.equal((await ok(b!.control('get', '/harness/v1/jobs/weekly-fanout/2026-12-07'))).status, 'DONE');
        const { rows } = await db.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM job_schedule WHERE run = $1 AND wall_due <= clock_timestamp()`, [run]);
        assert.equal(rows[0]!.pending, 0, 'every job due has run');
      },
      { timeoutMs: 15_000 },
    );

    // Counted by their effects: one warning per enterprise per week, one SMS per reminder, notice and appointment.
    const { rows: weeks } = await db.query<{ week: string; warnings: number; enterprises: number }>(
      `SELECT week::text, count(*)::int AS warnings, count(DISTINCT enterprise_id)::int AS enterprises FROM risk_warnings WHERE run = $1 GROUP BY week ORDER BY week`,
      [run],
    );
    assert.deepEqual(weeks, [
      { week: '2026-11-30', warnings: world.inScope, enterprises: world.inScope },
      { week: '2026-12-07', warnings: world.inScope, enterprises: world.inScope },
    ]);
    for (const w of warned) assert.equal(await sms(w.mobile, `【粤商通】${w.name}：贵单位2026-11-30周%`), 1, `the reminder to ${w.name}`);
    assert.equal(await sms(credit.rep.mobile, '%已受理%'), 1);
    assert.equal(await sms(licensing.rep.mobile, '【常州通办】%云核查%'), 1);
    const { rows: cases } = await db.query<{ overdue: string | null }>(`SELECT overdue_since::text AS overdue FROM credit_cases WHERE run = $1 AND id = $2`, [run, draft.caseId]);
    assert.ok(cases[0]?.overdue, 'the case is flagged overdue');
  });

  test('an instance killed while it holds a job’s lease is taken over by another when the lease runs out', { timeout: TEST_MS }, async () => {
    const [a, b, c] = clients('instances-kill');
    const run = a!.run;
    await ok(a!.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
    await riskWorld(b!, { seed: 11, enterprises: 20 });
    await ok(c!.control('post', '/harness/v1/jobs/weekly-fanout', { week: '2026-11-23' })); // its reminders fall due on 2026-11-30 00:00
    const { rows: warned } = await db.query<{ name: string; mobile: string }>(
      `SELECT r.name, p.mobile FROM risk_warnings w
         JOIN registry_enterprises r ON r.run = w.run AND r.uscc = w.uscc
         JOIN registry_persons p ON p.run = r.run AND p.id_number = r.legal_rep_id_number
        WHERE w.run = $1 AND w.week = '2026-11-23' AND w.level IN ('RED', 'ORANGE')`,
      [run],
    );
    assert.ok(warned.length > 0, 'the world has red or orange warnings');
    // The first SMS to each of them hangs (the gateway never answers): whoever claims the reminders is stuck with them.
    const perMobile = new Map<string, number>();
    for (const w of warned) perMobile.set(w.mobile, (perMobile.get(w.mobile) ?? 0) + 1);
    for (const [mobile, times] of perMobile) await ok(a!.control('post', '/harness/v1/providers/sms/scripts', { subject: mobile, fault: 'timeout', times }));

    await ok(b!.control('put', '/harness/v1/clock', { at: '2026-11-30T00:00:01' }));
    const holder = await eventually(
      async () => {
        const { rows } = await db.query<{ holder: string | null; claimed: number }>(
          `SELECT (SELECT leased_by FROM job_schedule WHERE run = $1 AND job = 'risk.reminders' AND leased_until > clock_timestamp()) AS holder,
                  (SELECT count(*)::int FROM risk_reminders WHERE run = $1 AND claimed_at IS NOT NULL AND message_id IS NULL) AS claimed`,
          [run],
        );
        assert.ok(rows[0]!.holder && rows[0]!.claimed === warned.length, `the reminders job is held with every reminder claimed: ${JSON.stringify(rows[0])}`);
        return rows[0]!.holder;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const pid = Number(holder.split(':').at(-1));
    const victim = instances.find((instance) => processesOf(instance).includes(pid));
    assert.ok(victim, `the lease holder ${holder} is one of the instances`);
    victim.kill();
    await victim.exited;
    assert.equal(await sms(db, run), 0, 'nothing was sent before the kill');

    // Another instance takes the job over once its lease (and the reminders' claims) run out, and sends each reminder once.
    await eventually(
      async () => {
        const { rows } = await db.query<{ unsent: number }>(`SELECT count(*)::int AS unsent FROM risk_reminders WHERE run = $1 AND message_id IS NULL`, [run]);
        const { rows: sent } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_reminders WHERE run = $1`, [run]);
        assert.deepEqual([rows[0]!.unsent, sent[0]!.n], [0, warned.length]);
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    for (const w of warned) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sms_messages WHERE run = $1 AND mobile = $2 AND text LIKE $3`, [run, w.mobile, `【粤商通】${w.name}：贵单位2026-11-23周%`]);
      assert.equal(rows[0]!.n, 1, `the reminder to ${w.name}`);
    }
    // The survivors serve on.
    const survivor = instances.find((instance) => instance !== victim)!;
    assert.equal((await fetch(`${survivor.urls.control}/harness/v1/clock`, { headers: { [RUN_HEADER]: run } })).status, 200);
    instances = instances.filter((instance) => instance !== victim);
  });
});

/** SMS messages of a run. */
async function sms(db: Db, run: string) {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sms_messages WHERE run = $1`, [run])).rows[0]!.n;
}
