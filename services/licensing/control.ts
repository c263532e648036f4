// The licence's harness controls (H4, H5 for F): the seeded register, a scenario's own enterprise
// on it, officers, and the appointment reminders run now.
import { harness } from '../../kernel/access.js';
import { notFound } from '../../kernel/errors.js';
import { calendarDay, idNumber, personName, uscc } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import type { Deps } from './common.js';
import { runReminders } from './jobs.js';
import { addOfficer } from './officers.js';
import { putOnRegister, seedRegister } from './register.js';
import { AUTHORITIES } from './rules.js';
import * as store from './store.js';
import { FilingView, LicenceView, StaffView, filingView, licenceView, staffView } from './views.js';

const TAG = 'Harness control · 危险化学品经营许可 (常州)';
/** The password of the officers the seeded register makes. */
export const SEEDED_OFFICER_PASSWORD = 'Changzhou2026';

const Entry = z.strictObject({ uscc: z.string(), staff: z.array(StaffView), filings: z.array(FilingView), licences: z.array(LicenceView) }).openapi('LicensingRegisterEntry');
const entryView = (e: store.RegisterEntry) => ({ uscc: e.uscc, staff: e.staff.map(staffView), filings: e.filings.map(filingView), licences: e.licences.map(licenceView) });
const Labelled = z.strictObject({ code: z.string(), label: z.string() });

export function licensingControl(deps: Deps & { live: Live }): Api {
  const { db } = deps;
  const api = new Api(deps.live, { title: 'govsim licensing controls', description: 'The 常州 licensing register, officers and appointment reminders of a run (H4, H5, F1–F7).' }, { fenceWrites: true });

  api.route({
    method: 'post',
    path: '/harness/v1/licensing/register',
    tag: TAG,
    summary: `Seed the register: N 常州 enterprises holding licences (with legal reps, staff, filings), and a REVIEWER and an INSPECTOR per authority (<code>-reviewer / <code>-inspector, password ${SEEDED_OFFICER_PASSWORD} unless given)`,
    body: z.object({ seed: z.number().int().nonnegative(), enterprises: z.number().int().min(0).max(10_000), password: z.string().min(8).max(64).default(SEEDED_OFFICER_PASSWORD) }),
    response: z.strictObject({ seed: z.number(), enterprises: z.number(), officers: z.array(z.strictObject({ username: z.string(), name: z.string(), authority: z.string(), roles: z.array(z.string()) })) }),
    access: harness,
    handler: ({ body, ctx }) => seedRegister(db, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/licensing/enterprises',
    tag: TAG,
    summary: 'Put a registry enterprise on the register: its legal rep as 主要负责人, safety managers, a filing, and a licence valid 3 years from licence.validFrom (none when null)',
    body: z.object({ uscc, licence: z.object({ validFrom: calendarDay }).nullable().default(null), seed: z.number().int().nonnegative().default(1) }),
    response: Entry,
    errors: { 404: ['ENTERPRISE_NOT_FOUND'] },
    access: harness,
    handler: async ({ body, ctx }) => entryView(await putOnRegister(db, ctx, body)),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/licensing/enterprises/:uscc',
    tag: TAG,
    summary: 'An enterprise as the register holds it',
    params: z.object({ uscc }),
    response: Entry,
    errors: { 404: ['NOT_ON_REGISTER'] },
    access: harness,
    handler: async ({ params, ctx }) => {
      const entry = await store.registerEntry(db, ctx.run, params.uscc);
      if (!entry) throw notFound('NOT_ON_REGISTER', '该企业未在常州市安全生产行政审批系统中登记');
      return entryView(entry);
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/licensing/officers',
    tag: TAG,
    summary: 'An officer of an authority with roles REVIEWER (审核人员) and/or INSPECTOR (核查人员); their video line is their ID number',
    body: z.object({
      username: z.string().trim().regex(/^[a-z0-9._-]{3,40}$/),
      name: personName,
      idNumber,
      authority: z.enum(Object.keys(AUTHORITIES) as [keyof typeof AUTHORITIES]),
      roles: z.array(z.enum(['REVIEWER', 'INSPECTOR'])).min(1).max(2).transform((roles) => [...new Set(roles)]),
      password: z.string().min(8).max(64),
    }),
    response: z.strictObject({ officerId: z.string(), username: z.string(), name: z.string(), authority: Labelled, roles: z.array(Labelled) }),
    errors: { 409: ['USERNAME_TAKEN'] },
    access: harness,
    handler: ({ body, ctx }) => addOfficer(db, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/jobs/licensing-reminders',
    tag: TAG,
    status: 200,
    summary: 'Send the appointment reminders due now (the day before, 09:00) to the legal representatives (H5)',
    response: z.strictObject({ sent: z.number().int(), failed: z.number().int() }),
    access: harness,
    handler: ({ ctx }) => runReminders(deps, ctx),
  });
  return api;
}
