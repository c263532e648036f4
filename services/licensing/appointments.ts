// F3 the appointment loop: the authority proposes a time (待企业确认); the enterprise confirms it
// on the web or in the app, or 更改时间 with a time of its own (待政府确认), which the authority
// confirms or answers with another proposal — as many rounds as it takes. Each move names the
// version it was decided on, so two people answering the same proposal cannot both win. A
// confirmed time makes the legal representative's reminder due (jobs.ts).
import { shanghaiTime } from '../../kernel/clock.js';
import { inTransaction } from '../../kernel/db.js';
import { badRequest, conflict } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { scheduleJob } from '../../kernel/scheduler.js';
import type { EnterpriseCaller } from '../yueshangtong/access.js';
import { applicationIn, expectMove, refusedMove, type Deps } from './common.js';
import { REMINDER_JOB } from './jobs.js';
import { inWorkingHours, reminderDueAt, WORKING_HOURS_LABEL } from './rules.js';
import * as store from './store.js';
import { applicationView } from './views.js';
import type { MoveName } from './workflow.js';

/** A time the inspection may be appointed at *(assumed rules in rules.ts)*. */
function checkTime(ctx: RunContext, at: Date) {
  if (at.getTime() <= ctx.now.getTime()) throw badRequest('APPOINTMENT_IN_PAST', '核查时间须晚于当前时间');
  if (!inWorkingHours(at)) throw badRequest('OUTSIDE_WORKING_HOURS', `核查时间须在工作时间内（${WORKING_HOURS_LABEL}）`);
}

interface Decision {
  move: MoveName;
  version: number;
  /** A new proposal (propose, 更改时间), or the pending one confirmed. */
  proposal?: { by: store.Proposal['proposedBy']; at: Date };
  channel: store.Channel | null;
  name: string;
}

/** Applies one turn of the loop in one transaction: the move, the proposal history, the reminder. */
async function decide(deps: Deps, ctx: RunContext, application: store.Application, d: Decision) {
  await expectMove(deps, ctx, application, d.version, d.move);
  if (!d.proposal && application.appointmentAt && application.appointmentAt.getTime() <= ctx.now.getTime())
    throw conflict('APPOINTMENT_PASSED', `预约的核查时间（${shanghaiTime(application.appointmentAt)}）已过，请更改时间`);
  await inTransaction(deps.db, async (tx) => {
    const moved = await store.move(tx, ctx.run, application.id, d.version, d.move, ctx.now, d.proposal?.at);
    if (moved === undefined) throw await refusedMove(deps, ctx, application.id, d.version, d.move);
    if (d.proposal) await store.propose(tx, ctx.run, application.id, { by: d.proposal.by, channel: d.channel, name: d.name, at: d.proposal.at, now: ctx.now });
    else {
      await store.settleProposal(tx, ctx.run, application.id, 'CONFIRMED', { name: d.name, channel: d.channel, now: ctx.now });
      await scheduleJob(tx, ctx.run, REMINDER_JOB, reminderDueAt(application.appointmentAt!));
    }
  });
}

// The authority ---------------------------------------------------------------------------------------------

export async function propose(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, input: { version: number; at: Date }) {
  const scope = { authority: officer.authority };
  const application = await applicationIn(deps, ctx, id, scope);
  if (application.inspectionMethod !== 'CLOUD') throw conflict('NOT_CLOUD_INSPECTION', '该申报未选择云核查，无需预约核查时间');
  checkTime(ctx, input.at);
  await decide(deps, ctx, application, { move: 'propose', version: input.version, proposal: { by: 'AUTHORITY', at: input.at }, channel: null, name: officer.name });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** The authority confirms the time the enterprise asked for. */
export async function authorityConfirms(deps: Deps, ctx: RunContext, officer: store.Officer, id: string, version: number) {
  const scope = { authority: officer.authority };
  await decide(deps, ctx, await applicationIn(deps, ctx, id, scope), { move: 'authorityConfirms', version, channel: null, name: officer.name });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

// The enterprise (web or app) -----------------------------------------------------------------------------------

/** [确认] */
export async function enterpriseConfirms(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, channel: store.Channel, id: string, version: number) {
  const scope = { uscc: caller.account.uscc };
  await decide(deps, ctx, await applicationIn(deps, ctx, id, scope), { move: 'enterpriseConfirms', version, channel, name: caller.person.name });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}

/** [更改时间]: the authority must confirm again. */
export async function enterpriseChanges(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, channel: store.Channel, id: string, input: { version: number; at: Date }) {
  const scope = { uscc: caller.account.uscc };
  const application = await applicationIn(deps, ctx, id, scope);
  checkTime(ctx, input.at);
  await decide(deps, ctx, application, { move: 'enterpriseChanges', version: input.version, proposal: { by: 'ENTERPRISE', at: input.at }, channel, name: caller.person.name });
  return applicationView(deps, ctx, await applicationIn(deps, ctx, id, scope));
}
