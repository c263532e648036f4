// 信用修复's harness controls (H4, H5): seed the offices, staff and listing records of a run; add a
// back-office user; list a record, cure its cause, read it; read a case's log; the run's own
// calendar days; the SMS and overdue jobs now.
import { randomUUID } from 'node:crypto';
import { harness } from '../../kernel/access.js';
import type { Db } from '../../kernel/db.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { calendarDay, mobile, personName, uscc, uuid } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import { flagOverdue, sendNotices, type JobDeps } from './jobs.js';
import { officeOf } from './offices.js';
import { KIND_CODES, ROLES } from './rules.js';
import { listRecord, seedCreditWorld } from './seed.js';
import * as store from './store.js';
import { LogEntry, logEntry, Moved, movedView, RecordView, recordView } from './views.js';

const TAG = 'Harness control · 信用修复';

export function creditRepairControl(deps: JobDeps & { live: Live }): Api {
  const db: Db = deps.db;
  const api = new Api(deps.live, { title: 'govsim 信用修复 controls', description: 'Offices, staff, listing records, case logs, calendar and jobs of 信用修复 (H4, H5, E1–E9).' }, { fenceWrites: true });

  api.route({
    method: 'post',
    path: '/harness/v1/credit-repair/world',
    tag: TAG,
    summary: 'Seed a 信用修复 world: the registry’s first N enterprises of the seed, 广州’s offices, staff in every supervision office, listing records on about a third of the 广州 entities (H4)',
    body: z.object({ seed: z.number().int().nonnegative(), enterprises: z.number().int().min(0).max(100_000) }),
    response: z.strictObject({ seed: z.number(), enterprises: z.number(), offices: z.number(), staff: z.number(), records: z.number() }),
    access: harness,
    handler: ({ body, ctx }) => seedCreditWorld(db, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/credit-repair/offices',
    tag: TAG,
    status: 200,
    summary: '广州’s district bureaus (区局) and supervision offices (监管所) in the run (idempotent)',
    response: z.array(z.strictObject({ code: z.string(), name: z.string(), bureau: z.string(), kind: z.enum(['BUREAU', 'STATION']) })),
    access: harness,
    handler: async ({ ctx }) => {
      await store.ensureOffices(db, ctx.run);
      return store.listOffices(db, ctx.run);
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/credit-repair/staff',
    tag: TAG,
    status: 200,
    summary: 'Add a back-office user of a supervision office (name or code) with roles, or more roles to one of that office',
    body: z.object({ name: personName, mobile, office: z.string().min(1).max(40), roles: z.array(z.enum(ROLES)).min(1) }),
    response: z.strictObject({ id: z.string(), name: z.string(), mobile: z.string(), office: z.string(), roles: z.array(z.string()) }),
    errors: { 400: ['UNKNOWN_OFFICE'], 409: ['STAFF_IN_OTHER_OFFICE'] },
    access: harness,
    handler: async ({ body, ctx }) => {
      const office = officeOf(body.office);
      if (!office || office.kind !== 'STATION') throw badRequest('UNKNOWN_OFFICE', '请选择广州市的监管所');
      await store.ensureOffices(db, ctx.run);
      const staff = await store.upsertStaff(db, ctx.run, { id: randomUUID(), name: body.name, mobile: body.mobile, office: office.code, roles: body.roles, now: ctx.now });
      if (!staff) throw conflict('STAFF_IN_OTHER_OFFICE', '该手机号已是其他单位的用户');
      return staff;
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/credit-repair/records',
    tag: TAG,
    summary: 'List a record: a registry enterprise on a kind’s list, for a reason (code or label), since a day, by an office (default: its office in charge), its cause cured on a day or not yet',
    body: z.object({ uscc, kind: z.enum(KIND_CODES), reason: z.string().min(1).max(100), listedOn: calendarDay, office: z.string().max(40).optional(), curedOn: calendarDay.nullable().optional() }),
    response: RecordView,
    errors: { 400: ['WRONG_SUBJECT_KIND', 'UNKNOWN_REASON', 'UNKNOWN_OFFICE', 'LISTED_IN_FUTURE'], 404: ['ENTERPRISE_NOT_FOUND'] },
    access: harness,
    handler: async ({ body, ctx }) => recordView(await listRecord(db, ctx, body)),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/credit-repair/records/:recordId/cure',
    tag: TAG,
    status: 200,
    summary: 'The cause of a record is cured on a day (reports filed, address reachable, penalty fulfilled), or not (null)',
    params: z.object({ recordId: uuid }),
    body: z.object({ on: calendarDay.nullable() }),
    response: RecordView,
    errors: { 404: ['RECORD_NOT_FOUND'] },
    access: harness,
    handler: async ({ params, body, ctx }) => {
      if (!(await store.cureRecord(db, ctx.run, params.recordId, body.on))) throw notFound('RECORD_NOT_FOUND', '未找到该列入信息');
      return recordView((await store.findRecord(db, ctx.run, params.recordId))!);
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/credit-repair/records',
    tag: TAG,
    summary: 'An enterprise’s listing records of every kind, with their status',
    query: z.object({ uscc }),
    response: z.array(RecordView),
    access: harness,
    handler: async ({ query, ctx }) => (await store.recordsOfSubject(db, ctx.run, query.uscc)).map(recordView),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/credit-repair/cases/:acceptanceNo/log',
    tag: TAG,
    summary: 'A case (by 受理编号) and its log: every transition, in order',
    params: z.object({ acceptanceNo: z.string().min(1).max(40).regex(/^[^\u0000]*$/) }),
    response: z.strictObject({ case: Moved, log: z.array(LogEntry) }),
    errors: { 404: ['CASE_NOT_FOUND'] },
    access: harness,
    handler: async ({ params, ctx }) => {
      const kase = await store.findCaseByAcceptanceNo(db, ctx.run, params.acceptanceNo);
      if (!kase) throw notFound('CASE_NOT_FOUND', '未找到该业务');
      return { case: movedView(kase), log: (await store.transitionsOf(db, ctx.run, kase.id)).map(logEntry) };
    },
  });
  api.route({
    method: 'put',
    path: '/harness/v1/credit-repair/calendar/:day',
    tag: TAG,
    summary: 'The run’s own calendar day: a holiday, or an adjusted working day (it wins over the statutory calendar)',
    params: z.object({ day: calendarDay }),
    body: z.object({ working: z.boolean(), note: z.string().min(1).max(40).regex(/^[^\u0000]*$/) }),
    response: z.strictObject({ day: z.string(), working: z.boolean(), note: z.string() }),
    access: harness,
    handler: async ({ params, body, ctx }) => {
      await store.putCalendarDay(db, ctx.run, params.day, body.working, body.note);
      return { day: params.day, ...body };
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/credit-repair/calendar',
    tag: TAG,
    summary: 'Working days of the run between two days, and the day a number of working days after a day',
    query: z.object({ from: calendarDay, to: calendarDay, workingDaysAfter: z.coerce.number().int().min(1).max(60).optional() }),
    response: z.strictObject({ days: z.array(z.object({ day: z.string(), working: z.boolean(), note: z.string().nullable() })), workingDayAfter: z.string().nullable() }),
    errors: { 400: ['INVALID_RANGE'] },
    access: harness,
    handler: async ({ query, ctx }) => {
      if (query.to < query.from || Date.parse(query.to) - Date.parse(query.from) > 366 * 86_400_000) throw badRequest('INVALID_RANGE', '日期范围不正确');
      return {
        days: await store.calendarBetween(db, ctx.run, query.from, query.to),
        workingDayAfter: query.workingDaysAfter ? await store.workingDayAfter(db, ctx.run, query.from, query.workingDaysAfter) : null,
      };
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/jobs/credit-repair-notices',
    tag: TAG,
    status: 200,
    summary: 'Send the SMS owed to applicants (受理, 办结, refusal) now (H5): exactly one per case and event',
    response: z.strictObject({ sent: z.number(), failed: z.number() }),
    access: harness,
    handler: ({ ctx }) => sendNotices(deps, ctx, { settle: true }),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/jobs/credit-repair-overdue',
    tag: TAG,
    status: 200,
    summary: 'Flag the cases past their time limit now (H5)',
    response: z.strictObject({ flagged: z.number(), nextDueOn: z.string().nullable() }),
    access: harness,
    handler: ({ ctx }) => flagOverdue(db, ctx),
  });
  return api;
}
