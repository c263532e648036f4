// 信用修复's jobs, registered with the kernel's scheduler (each run's harness clock) and runnable
// on demand: the SMS owed to applicants (受理, 办结, refusal) and the time limit's overdue flag.
import { randomUUID } from 'node:crypto';
import { addDays, fromShanghai, shanghaiDay } from '../../kernel/clock.js';
import type { Config } from '../../kernel/config.js';
import type { Db } from '../../kernel/db.js';
import type { RunContext } from '../../kernel/http.js';
import { ClaimedElsewhere, leaseOf, type Job } from '../../kernel/scheduler.js';
import type { Providers } from '../verification/clients.js';
import * as store from './store.js';
import { JOBS } from './workflow.js';

export interface JobDeps {
  db: Db;
  providers: Providers;
  config?: Pick<Config, 'jobLeaseSeconds'> | undefined;
}

const CLAIM = 50;
const SENDING = 8;

/**
 * Sends the SMS owed: a batch is claimed in one statement, then sent with no transaction or
 * connection held, several at once, each settled as soon as it is answered; a refused one is
 * given back for a later run. Answers how many were sent and refused.
 */
export async function sendNotices(deps: JobDeps, ctx: RunContext, options: { settle?: boolean } = {}) {
  const lease = leaseOf(deps);
  let sent = 0;
  let failed = 0;
  for (;;) {
    const token = randomUUID();
    const claimed = await store.claimNotices(deps.db, ctx.run, token, CLAIM, lease);
    if (!claimed.length) break;
    let next = 0;
    let refused = 0;
    const sender = async () => {
      while (next < claimed.length) {
        const notice = claimed[next++]!;
        const answer = await deps.providers.sms.send(ctx, notice.mobile, notice.text).then(
          ({ messageId }) => ({ at: ctx.now, messageId: messageId ?? null }),
          () => null,
        );
        await store.settleNotice(deps.db, ctx.run, token, notice, answer);
        if (answer) sent++;
        else refused++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SENDING, claimed.length) }, sender));
    failed += refused;
    if (refused) break; // the gateway refuses: a later run tries them again
  }
  if (options.settle) await store.awaitUnsettledNotices(deps.db, ctx.run, 10_000, lease);
  return { sent, failed };
}

/** Flags the cases under way whose time limit passed; answers how many, and when the next one falls due. */
export async function flagOverdue(db: Db, ctx: RunContext) {
  const flagged = await store.flagOverdue(db, ctx.run, shanghaiDay(ctx.now));
  const next = await store.nextDeadline(db, ctx.run);
  return { flagged, nextDueOn: next ?? null };
}

export function creditRepairJobs(deps: JobDeps): Job[] {
  return [
    {
      name: JOBS.notices,
      async run({ run, now }) {
        const { failed } = await sendNotices(deps, { run, now });
        if (failed) throw new Error(`the SMS gateway refused ${failed} notice(s)`);
        // Claimed by the step's own request or another job (or a process that died with them): not done until they are sent.
        if (await store.unsettledNotices(deps.db, run, leaseOf(deps))) throw new ClaimedElsewhere('notices claimed by another sender are not sent yet');
        return null;
      },
    },
    {
      // A case past its deadline is flagged the day after; the to-do list also reads the deadline itself.
      name: JOBS.overdue,
      async run({ run, now }) {
        const { nextDueOn } = await flagOverdue(deps.db, { run, now });
        return nextDueOn ? fromShanghai(addDays(nextDueOn, 1)) : null;
      },
    },
  ];
}
