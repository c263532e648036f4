// What 粤商通 keeps in memory of a caller (services/yueshangtong/access.ts) follows every change,
// in the process that made it and in the others: two processes' worth of caches (two Live
// connections) over one database. A fence waits for both.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createDb } from '../kernel/db.js';
import type { AccessRequest } from '../kernel/access.js';
import { Live } from '../kernel/live.js';
import { migrateAll } from '../services/stack.js';
import { ystAccess } from '../services/yueshangtong/access.js';
import { tokenHash } from '../kernel/tokens.js';
import { eventually } from '../features/support/eventually.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 4);
let here: Live;
let there: Live;

before(async () => {
  await migrateAll(db);
  here = await Live.start(db, databaseUrl);
  there = await Live.start(db, databaseUrl);
});
after(async () => {
  await here.close();
  await there.close();
  await db.end();
});

/** An owner acting for a certified account of a registered enterprise, made in SQL. */
async function world(run: string) {
  const token = randomUUID();
  const [person, account, member] = [randomUUID(), randomUUID(), randomUUID()];
  await db.query(`INSERT INTO registry_persons VALUES ($1, '11010519491231002X', '田军', '13800138000', '2020-01-01', '长期')`, [run]);
  await db.query(`INSERT INTO registry_enterprises VALUES ($1, '91440000MA4X777A89', '测试有限公司', 'company', '存续', '软件', '11010519491231002X', '田军', '天河区', '石牌所')`, [run]);
  await db.query(`INSERT INTO yst_personal_accounts (run, id, id_number, name, mobile, created_at) VALUES ($1, $2, '11010519491231002X', '田军', '13800138000', now())`, [run, person]);
  await db.query(`INSERT INTO yst_enterprise_accounts (run, id, account_name, uscc, trust, applicant_id, created_at) VALUES ($1, $2, $3, '91440000MA4X777A89', 'CERTIFIED', $4, now())`, [run, account, run.slice(0, 8), person]);
  await db.query(`INSERT INTO yst_members (run, id, account_id, role, status, person_id, name, id_number, auth_end, created_at) VALUES ($1, $2, $3, 'APPLICANT', 'ACTIVE', $4, '田军', '11010519491231002X', '9999-12-31', now())`, [run, member, account, person]);
  await db.query(`INSERT INTO yst_sessions (run, token_hash, account_id, acting_account_id, created_at) VALUES ($1, $2, $3, $4, now())`, [run, tokenHash(token), person, account]);
  return { token, account, member };
}

const request = (run: string, token: string) => ({ ctx: { run, now: new Date('2026-11-23T01:00:00Z') }, req: {}, credential: token, params: {}, query: {}, rawBody: undefined }) as unknown as AccessRequest;

test('a revocation made in one process reaches the caller kept by another', async () => {
  const run = `cache-${randomUUID()}`;
  const { token, member } = await world(run);
  const acting = ystAccess(db, there).actingFor('CERTIFIED');
  assert.equal((await acting.resolve(request(run, token))).member.id, member); // kept by "there"
  await db.query(`UPDATE yst_members SET status = 'REVOKED' WHERE run = $1 AND id = $2`, [run, member]); // written "here"
  await eventually(() => assert.rejects(acting.resolve(request(run, token)), { code: 'AUTHORISATION_REVOKED' }), { timeoutMs: 2_000, intervalMs: 5 });
});

test('after a fence, the writing process never answers from what it kept before the write', async () => {
  const run = `cache-${randomUUID()}`;
  const { token, account } = await world(run);
  const acting = ystAccess(db, here).actingFor('CERTIFIED');
  await acting.resolve(request(run, token));
  await db.query(`UPDATE yst_enterprise_accounts SET trust = 'UNCERTIFIED' WHERE run = $1 AND id = $2`, [run, account]);
  await here.fence();
  await assert.rejects(acting.resolve(request(run, token)), { code: 'ACCOUNT_NOT_CERTIFIED' });
});

test('a fence ends once every other process has heard what was committed before it', async () => {
  const run = `cache-${randomUUID()}`;
  const { token, member } = await world(run);
  const acting = ystAccess(db, there).actingFor('CERTIFIED');
  await acting.resolve(request(run, token)); // kept by "there"
  // "there" is busy: what PostgreSQL sends it waits in its socket.
  const socket = (there as unknown as { listener: { connection: { stream: Socket } } }).listener.connection.stream;
  socket.pause();
  await db.query(`UPDATE yst_members SET status = 'REVOKED' WHERE run = $1 AND id = $2`, [run, member]); // written "here"
  let fenced = false;
  const fence = here.fence().then(() => (fenced = true));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(fenced, false, 'the fence waits for the other process');
  socket.resume();
  await fence;
  await assert.rejects(acting.resolve(request(run, token)), { code: 'AUTHORISATION_REVOKED' }); // at once: "there" has heard it
});

test('other runs keep what they kept, and a new session is not announced to anyone', async () => {
  const [a, b] = [`cache-${randomUUID()}`, `cache-${randomUUID()}`];
  const [wa, wb] = [await world(a), await world(b)];
  const acting = ystAccess(db, here).actingFor('CERTIFIED');
  await acting.resolve(request(a, wa.token));
  await acting.resolve(request(b, wb.token));
  await here.fence(); // what making the two worlds announced has been heard before counting starts
  let announced = 0;
  // Other test files write to the same database at the same time: only these runs' announcements count.
  const off = here.on('govsim_access', (run) => {
    if (run === a || run === b) announced++;
  });
  await db.query(`INSERT INTO yst_sessions (run, token_hash, account_id, created_at) SELECT run, $2, account_id, now() FROM yst_sessions WHERE run = $1 LIMIT 1`, [a, tokenHash(randomUUID())]);
  await here.fence();
  off();
  assert.equal(announced, 0);
});
