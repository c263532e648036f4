// The 信用修复 workflow table and rules as data: every state is reached and left as the flows say,
// each waiting state waits for one back-office step, and the conditions of a repair (time listed,
// cause cured) and the 注册号 of the seeded records hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registrationNoOf } from '../services/credit-repair/seed.js';
import { actionsFor, eligibility, OPEN_STATES, partiesFor, stepFor, TRANSITIONS, WAITING } from '../services/credit-repair/workflow.js';

test('the table: one transition per state and event; ended cases move no more; every open state can be refused', () => {
  const keys = TRANSITIONS.map((t) => `${t.from}|${t.event}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(TRANSITIONS.every((t) => t.from !== 'REPAIRED' && t.from !== 'REFUSED'));
  for (const state of OPEN_STATES) assert.ok(TRANSITIONS.some((t) => t.from === state && t.event === 'REFUSE' && t.to === 'REFUSED' && t.notice === 'REFUSED'), state);
  assert.deepEqual(
    WAITING.map((w) => [w.state, w.step, w.roles]),
    [
      ['PENDING_ACCEPTANCE', 'ACCEPTANCE', ['HANDLER']],
      ['PENDING_REVIEW', 'REVIEW', ['REVIEWER']],
      ['PENDING_APPROVAL', 'APPROVAL', ['APPROVER']],
    ],
  );
});

test('who may refuse depends on the state; a user who acted in one step is offered nothing in another', () => {
  assert.deepEqual(partiesFor('REFUSE', 'PENDING_REVIEW'), ['REVIEWER']);
  assert.deepEqual([...partiesFor('REFUSE')].sort(), ['APPROVER', 'HANDLER', 'REVIEWER']);
  assert.equal(stepFor('REVIEW', 'PENDING_ACCEPTANCE'), undefined);
  assert.deepEqual(actionsFor('PENDING_ACCEPTANCE', ['HANDLER'], []), ['ACCEPT', 'TRANSFER', 'REFUSE']);
  assert.deepEqual(actionsFor('PENDING_REVIEW', ['HANDLER', 'REVIEWER'], ['ACCEPTANCE']), []);
  assert.deepEqual(actionsFor('PENDING_REVIEW', ['HANDLER', 'REVIEWER'], []), ['REVIEW', 'REFUSE']);
});

test('the serious list is left early only after a whole year on it; any list only once the cause is cured', () => {
  const serious = { kind: 'SERIOUS' as const, reason: 'FOOD_SAFETY', curedOn: '2025-12-01' };
  assert.equal(eligibility({ ...serious, listedOn: '2025-11-24' }, '2026-11-23')?.code, 'NOT_YET_ELIGIBLE');
  assert.equal(eligibility({ ...serious, listedOn: '2025-11-23' }, '2026-11-23'), undefined);
  assert.equal(eligibility({ kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn: '2026-11-01', curedOn: null }, '2026-11-23')?.message, '列入事由尚未消除，请先补报未报年份的年度报告并公示');
  assert.equal(eligibility({ kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn: '2026-11-01', curedOn: '2026-11-24' }, '2026-11-23')?.code, 'CAUSE_NOT_CURED');
  assert.equal(eligibility({ kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn: '2026-11-01', curedOn: '2026-11-23' }, '2026-11-23'), undefined);
});

test('a 注册号 is 15 digits of the credit code’s region with an ISO 7064 MOD 11,10 check digit, the same for the same code', () => {
  // Verifying: run every digit, the check digit too; the last sum must end in 1.
  const checks = (no: string) => {
    let p = 10;
    let s = 0;
    for (const d of no) {
      s = (p % 11) + Number(d);
      p = (s % 10 === 0 ? 10 : s % 10) * 2;
    }
    return s % 10 === 1;
  };
  for (const uscc of ['91440106MA59C3XK0R', '92440104MA5D1RYC2T', 'N3440117MA55RGKE6X']) {
    const no = registrationNoOf(uscc);
    assert.match(no, /^\d{15}$/);
    assert.equal(no.slice(0, 6), uscc.slice(2, 8));
    assert.equal(registrationNoOf(uscc), no);
    assert.ok(checks(no), `${no} fails its check digit`);
  }
});
