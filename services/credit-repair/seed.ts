// 信用修复's part of a run's world (H4), deterministic from the seed: 广州's offices, staff in
// every supervision office, and listing records on the registry's 广州 market entities of the
// kinds each list takes. "List a record" adds one for a scenario's own enterprise.
import { randomUUID } from 'node:crypto';
import { shanghaiDay } from '../../kernel/clock.js';
import { inTransaction, type Db, type Queryable } from '../../kernel/db.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { fakePerson, fnv1a32, REFERENCE_DATE, Rng } from '../world/generate.js';
import { worldSlice, seedWorld } from '../world/seed.js';
import { findEnterprise } from '../world/store.js';
import { bureauShort, officeOf, STATIONS } from './offices.js';
import { KINDS, reasonOf, SUBJECT_KIND_LABEL, type Kind, type Role, type SubjectKind } from './rules.js';
import * as store from './store.js';

/** 注册号 of a credit code: its region, 8 digits of its own, the ISO 7064 MOD 11,10 check digit (as 工商注册号 carry). */
export function registrationNoOf(uscc: string): string {
  const region = /^\d{6}$/.test(uscc.slice(2, 8)) ? uscc.slice(2, 8) : '440100';
  const body = `${region}${String(fnv1a32(uscc) % 100_000_000).padStart(8, '0')}`;
  let p = 10;
  for (const digit of body) {
    const s = (p % 11) + Number(digit);
    p = (s % 10 === 0 ? 10 : s % 10) * 2;
  }
  return `${body}${(11 - (p % 11)) % 10}`;
}

/** Decision numbers of a bureau: 穗天市监列异字〔2025〕第0012号, counted per bureau, word and year. */
async function decisionNumbers(db: Queryable, run: string, bureau: string, word: string, year: string, count: number): Promise<string[]> {
  const { rows } = await db.query<{ value: number }>(
    `INSERT INTO credit_counters AS c (run, name, value) VALUES ($1, $2, $3) ON CONFLICT (run, name) DO UPDATE SET value = c.value + $3 RETURNING value`,
    [run, `decision:${bureau}:${word}:${year}`, count],
  );
  const last = rows[0]!.value;
  return Array.from({ length: count }, (_, i) => `穗${bureauShort(bureau)}市监${word}字〔${year}〕第${String(last - count + i + 1).padStart(4, '0')}号`);
}

const KIND_OF_SUBJECT: Record<SubjectKind, (rng: Rng) => Kind> = {
  company: (rng) => (rng.chance(0.25) ? 'SERIOUS' : 'ABNORMAL'),
  individual: () => 'INDIVIDUAL_ABNORMAL',
  cooperative: () => 'COOPERATIVE_ABNORMAL',
};

const dayAfter = (day: string, days: number) => new Date(new Date(`${day}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** The staff of every supervision office: two handlers, a reviewer and an approver; the first handler also reviews. */
function seededStaff(seed: number): store.StaffRow[] {
  const root = new Rng(seed).child('credit-repair staff');
  return STATIONS.flatMap((office) => {
    const rng = root.child(office.code);
    const roles: Role[][] = [['HANDLER', 'REVIEWER'], ['HANDLER'], ['REVIEWER'], ['APPROVER']];
    return roles.map((r, i) => {
      const person = fakePerson(rng.child(`staff ${i}`), { region: office.bureau });
      return { id: randomUUID(), name: person.name, mobile: person.mobile, office: office.code, roles: r };
    });
  });
}

/** A run's 信用修复 world: the registry's first N enterprises of the seed, offices, staff, and records on about a third of the 广州 ones; a world seeded before adds none. */
export async function seedCreditWorld(db: Db, ctx: RunContext, options: { seed: number; enterprises: number }) {
  const registry = await seedWorld(db, ctx.run, options);
  await store.ensureOffices(db, ctx.run);
  const staff = await store.insertStaff(db, ctx.run, seededStaff(options.seed), ctx.now);
  const root = new Rng(options.seed).child('credit-repair records');
  const planned: (Omit<store.NewRecord, 'decisionNo'> & { bureau: string })[] = [];
  for (const e of worldSlice(options.seed, 0, options.enterprises).enterprises) {
    const office = officeOf(e.office);
    const rng = root.child(e.uscc);
    if (!office || !rng.chance(0.35)) continue;
    const kind = KIND_OF_SUBJECT[e.kind](rng);
    const reason = rng.pick(KINDS[kind].reasons);
    const listedOn = dayAfter('2022-01-03', rng.int(0, 1760));
    const curedOn = rng.chance(0.7) ? dayAfter(listedOn, rng.int(10, 400)) : null;
    planned.push({
      id: randomUUID(),
      kind,
      uscc: e.uscc,
      registrationNo: registrationNoOf(e.uscc),
      subjectName: e.name,
      office: office.code,
      bureau: office.bureau,
      reason: reason.code,
      listedOn,
      curedOn: curedOn && curedOn <= REFERENCE_DATE ? curedOn : null,
    });
  }
  // Seeded before (its staff are there): the records are too; seeding again adds none.
  const records = staff === 0 ? 0 : await inTransaction(db, async (tx) => {
    const groups = new Map<string, typeof planned>();
    for (const r of planned) {
      const key = `${r.bureau}|${KINDS[r.kind].listingWord}|${r.listedOn.slice(0, 4)}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const numbered: store.NewRecord[] = [];
    for (const [key, group] of groups) {
      const [bureau, word, year] = key.split('|') as [string, string, string];
      const numbers = await decisionNumbers(tx, ctx.run, bureau, word, year, group.length);
      group.forEach((r, i) => numbered.push({ id: r.id, kind: r.kind, uscc: r.uscc, registrationNo: r.registrationNo, subjectName: r.subjectName, office: r.office, reason: r.reason, listedOn: r.listedOn, curedOn: r.curedOn, decisionNo: numbers[i]! }));
    }
    return store.insertRecords(tx, ctx.run, numbered, ctx.now);
  });
  return { seed: options.seed, enterprises: registry.enterprises, offices: (await store.listOffices(db, ctx.run)).length, staff, records };
}

export interface ListRecord {
  uscc: string;
  kind: Kind;
  /** Its code or its label. */
  reason: string;
  listedOn: string;
  /** The listing office (name or code); default: the enterprise's office in charge. */
  office?: string | undefined;
  /** The day the cause was cured; null or absent: not yet. */
  curedOn?: string | null | undefined;
}

/** Lists a registry enterprise on a kind's list (a scenario's own records). */
export async function listRecord(db: Db, ctx: RunContext, input: ListRecord) {
  const enterprise = await findEnterprise(db, ctx.run, input.uscc);
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '登记信息中没有该企业');
  const rules = KINDS[input.kind];
  if (enterprise.kind !== rules.subjectKind) throw badRequest('WRONG_SUBJECT_KIND', `${rules.label}只列入${SUBJECT_KIND_LABEL[rules.subjectKind]}`);
  const reason = reasonOf(input.kind, input.reason);
  if (!reason) throw badRequest('UNKNOWN_REASON', `${rules.label}没有这个列入原因`);
  const office = officeOf(input.office ?? enterprise.office);
  if (!office || office.kind !== 'STATION') throw badRequest('UNKNOWN_OFFICE', '列入机关须为广州市的监管所');
  if (input.listedOn > shanghaiDay(ctx.now)) throw badRequest('LISTED_IN_FUTURE', '列入日期不能晚于今天');
  await store.ensureOffices(db, ctx.run);
  const id = randomUUID();
  await inTransaction(db, async (tx) => {
    const [decisionNo] = await decisionNumbers(tx, ctx.run, office.bureau, rules.listingWord, input.listedOn.slice(0, 4), 1);
    await store.insertRecords(
      tx,
      ctx.run,
      [{ id, kind: input.kind, uscc: enterprise.uscc, registrationNo: registrationNoOf(enterprise.uscc), subjectName: enterprise.name, office: office.code, reason: reason.code, listedOn: input.listedOn, decisionNo: decisionNo!, curedOn: input.curedOn ?? null }],
      ctx.now,
    );
  });
  return (await store.findRecord(db, ctx.run, id))!;
}
