// The appointment reminder (assumed): the day before a confirmed cloud inspection, at 09:00, an SMS
// to the enterprise's legal representative. A registered job of the kernel's scheduler, due when
// the earliest reminder of a run is; runnable on demand. Each reminder is claimed first (the
// primary key decides between jobs running at once), then sent with no transaction or connection
// held, then settled; a refused SMS gives its claim back and the job is tried again.
import { randomUUID } from 'node:crypto';
import { shanghaiTime } from '../../kernel/clock.js';
import type { RunContext } from '../../kernel/http.js';
import { ClaimedElsewhere, leaseOf, type Job } from '../../kernel/scheduler.js';
import type { Deps } from './common.js';
import { AUTHORITIES, REMINDER } from './rules.js';
import * as store from './store.js';

export const REMINDER_JOB = 'licensing.appointment-reminders';
const CLAIM = 50;

export async function runReminders(deps: Deps, ctx: RunContext): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const lease = leaseOf(deps);
  for (;;) {
    const token = randomUUID();
    const claimed = await store.claimReminders(deps.db, ctx.run, ctx.now, REMINDER, token, CLAIM, lease);
    for (const r of claimed) {
      const text = `【常州通办】${r.enterpriseName}：贵单位危险化学品经营许可证申报（${r.number}）的云核查定于${shanghaiTime(r.appointmentAt).slice(0, 16)}进行，由${AUTHORITIES[r.authority]}视频核查，请企业法人提前登录APP，在“应用-云核查”中按时参加。`;
      const answer = await deps.providers.sms.send(ctx, r.mobile, text).then(
        ({ messageId }) => ({ messageId: messageId ?? null, at: ctx.now }),
        () => undefined,
      );
      await store.settleReminder(deps.db, ctx.run, token, r, answer);
      if (answer) sent++;
      else failed++;
    }
    if (claimed.length < CLAIM || failed) break;
  }
  return { sent, failed };
}

export function licensingJobs(deps: Deps): Job[] {
  return [
    {
      name: REMINDER_JOB,
      async run({ run, now }) {
        const { failed } = await runReminders(deps, { run, now });
        if (failed) throw new Error(`the SMS gateway refused ${failed} appointment reminder(s)`);
        // Claimed by another job (on demand, or in a process that died with them): not done until they are settled.
        if (await store.unsettledReminders(deps.db, run, leaseOf(deps))) throw new ClaimedElsewhere('appointment reminders claimed by another job are not sent yet');
        return store.nextReminderDue(deps.db, run, now, REMINDER);
      },
    },
  ];
}
