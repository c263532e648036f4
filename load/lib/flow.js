// @ts-check
// The load flows, once, for both runners: k6 (lib/k6.js adapts k6/http) and Node (the CI smoke
// test adapts fetch). Nothing here imports k6 or Node: a flow gets a `client` per server and a
// `check` function, and every request carries the run key of the seeded world.

/**
 * @typedef {{ status: number, body: any }} Reply
 * @typedef {{ request(method: string, path: string, body?: unknown, token?: string, name?: string): Promise<Reply> }} Client
 * @typedef {(what: string, ok: boolean) => boolean} Check
 * @typedef {(seconds: number) => Promise<void> | void} Pause
 * @typedef {{ services: Client, providers: Client, control: Client, check: Check, pause: Pause }} Target
 * @typedef {{ uscc: string, name: string, legalRepName: string, legalRepIdNumber: string }} Enterprise
 */

export const WEEK = '2026-11-23'; // a Monday; the world's clock starts there, 08:30 Shanghai

/** Fails fast when the target does not answer (k6 setup, Node smoke). */
export async function assertUp(/** @type {Target} */ t) {
  const reply = await t.control.request('GET', '/harness/v1/stack', undefined, undefined, 'stack');
  if (reply.status !== 200) throw new Error(`govsim control API is not answering: HTTP ${reply.status}`);
  return reply.body;
}

/**
 * Seeds a risk world of N enterprises: starts the seeding job, then polls it (every 0.2 s, for at
 * most 10 minutes) until it is done; answers the world.
 */
export async function seedRiskWorld(/** @type {Target} */ t, /** @type {{ enterprises: number, seed: number }} */ o) {
  const started = await t.control.request('POST', '/harness/v1/risk/world', { seed: o.seed, enterprises: o.enterprises }, undefined, 'risk world');
  if (started.status !== 202) throw new Error(`seeding the risk world was refused: HTTP ${started.status} ${JSON.stringify(started.body)}`);
  for (let polls = 0; polls < 3000; polls++) {
    const job = await t.control.request('GET', `/harness/v1/risk/world/jobs/${started.body.id}`, undefined, undefined, 'risk world job');
    if (job.body && job.body.state === 'DONE') return job.body.result;
    if (job.status !== 200 || job.body.state === 'FAILED') throw new Error(`seeding the risk world failed: HTTP ${job.status} ${JSON.stringify(job.body)}`);
    await t.pause(0.2);
  }
  throw new Error('the risk world was not seeded within 10 minutes');
}

/** Seeds N enterprises, sets the week's Monday morning and issues the week (D1). */
export async function seedAndIssue(/** @type {Target} */ t, /** @type {{ enterprises: number, seed: number }} */ o) {
  await t.control.request('POST', '/harness/v1/reset', {}, undefined, 'reset');
  await t.control.request('PUT', '/harness/v1/clock', { at: `${WEEK}T00:00:00` }, undefined, 'clock');
  const world = await seedRiskWorld(t, o);
  t.check('world seeded', world.inScope === o.enterprises);
  const fanout = await t.control.request('POST', '/harness/v1/jobs/weekly-fanout', { week: WEEK }, undefined, 'fan-out');
  t.check('week issued to every enterprise', fanout.status === 200 && fanout.body.issued === o.enterprises);
  await t.control.request('PUT', '/harness/v1/clock', { at: `${WEEK}T08:30:00`, running: true }, undefined, 'clock');
  return { enterprises: o.enterprises, fanout: fanout.body };
}

/** The i-th enterprise of the world (wrapping), with its legal representative. */
export async function enterprise(/** @type {Target} */ t, /** @type {number} */ i, /** @type {number} */ count) {
  const reply = await t.control.request('GET', `/harness/v1/registry/enterprises?limit=1&offset=${i % count}`, undefined, undefined, 'registry');
  return /** @type {Enterprise} */ (reply.body[0]);
}

/**
 * Every enterprise of the world, with what a user journey needs, read once in setup() (1,000 a
 * page, the registry's largest) so that the measured iterations make no control-plane call.
 */
export async function enterprises(/** @type {Target} */ t, /** @type {number} */ count) {
  /** @type {Enterprise[]} */
  const all = [];
  for (let offset = 0; offset < count; offset += 1000) {
    const reply = await t.control.request('GET', `/harness/v1/registry/enterprises?limit=${Math.min(1000, count - offset)}&offset=${offset}`, undefined, undefined, 'registry');
    if (reply.status !== 200) throw new Error(`reading the world's enterprises failed: HTTP ${reply.status}`);
    for (const e of reply.body) all.push({ uscc: e.uscc, name: e.name, legalRepName: e.legalRepName, legalRepIdNumber: e.legalRepIdNumber });
  }
  if (all.length !== count) throw new Error(`the world has ${all.length} enterprises, not ${count}: seed it (or drop SKIP_SEED)`);
  return all;
}

/**
 * A virtual enterprise user through the week: face login → enter the enterprise account →
 * popup → view → sign → feedback when the level requires it (D2, D3/D5, D6, D7).
 */
export async function enterpriseUserJourney(/** @type {Target} */ t, /** @type {Enterprise} */ e) {
  const { services, providers, check } = t;
  const started = await services.request('POST', '/yst/v1/face-login', { name: e.legalRepName, idNumber: e.legalRepIdNumber }, undefined, 'face login');
  if (!check('face login started', started.status === 201)) return false;
  await providers.request('POST', `/face/v1/sessions/${started.body.providerSessionId}/verify`, {}, undefined, '粤信签 verify');
  const login = await services.request('POST', `/yst/v1/face-login/${started.body.faceCheckId}/complete`, {}, undefined, 'face login complete');
  if (!check('logged in', login.status === 200)) return false;
  const token = login.body.token;

  const accounts = await services.request('GET', '/yst/v1/me/enterprise-accounts', undefined, token, 'my accounts');
  const account = (accounts.body ?? []).find((/** @type {any} */ a) => a.enterprise.uscc === e.uscc);
  if (!check('the enterprise account is linked', Boolean(account))) return false;
  const acting = await services.request('PUT', '/yst/v1/me/acting-account', { accountId: account.accountId }, token, 'choose enterprise');
  check('acting for the enterprise', acting.status === 200);

  const popup = await services.request('GET', '/yst/v1/risk/popup', undefined, token, 'popup');
  check('the popup shows the unsigned warning', popup.status === 200 && popup.body.show === true);
  const view = await services.request('GET', '/yst/v1/risk/warnings', undefined, token, 'warnings');
  check('the warnings view lists the week', view.status === 200 && view.body.periods.some((/** @type {any} */ p) => p.week === WEEK));
  const period = await services.request('GET', `/yst/v1/risk/warnings/${WEEK}`, undefined, token, 'period');
  if (!check('the period opens', period.status === 200)) return false;

  const signed = await services.request('POST', `/yst/v1/risk/warnings/${WEEK}/sign`, {}, token, 'sign');
  check('signed', signed.status === 200 && signed.body.warning.signed !== null);
  if (period.body.warning.feedback.required) {
    const feedback = await services.request(
      'POST',
      `/yst/v1/risk/warnings/${WEEK}/feedback`,
      { measures: ['SAFETY_TRAINING', 'DYNAMIC_MONITORING'], description: '已开展安全培训，加强车辆动态监控', contactName: e.legalRepName, contactMobile: '13800138000' },
      token,
      'feedback',
    );
    check('fed back', feedback.status === 201);
  }
  return true;
}

/** D8: the week is over; the reminder job runs twice at once; each overdue warning got one SMS. */
export async function remindersRunTwice(/** @type {Target} */ t) {
  await t.control.request('PUT', '/harness/v1/clock', { at: '2026-11-30T09:00:00' }, undefined, 'clock');
  const runs = await Promise.all([1, 2].map(() => t.control.request('POST', '/harness/v1/jobs/reminders', {}, undefined, 'reminders')));
  const sent = runs.reduce((sum, r) => sum + (r.body?.sent ?? 0), 0);
  const again = await t.control.request('POST', '/harness/v1/jobs/reminders', {}, undefined, 'reminders');
  const footprint = await t.control.request('GET', '/harness/v1/footprint', undefined, undefined, 'footprint');
  const outbox = await t.control.request('GET', '/harness/v1/sms/outbox', undefined, undefined, 'outbox');
  const reminders = (outbox.body ?? []).filter((/** @type {any} */ m) => m.text.includes('逾期'));
  // A warning is one enterprise's week, and its SMS goes to that enterprise's legal representative:
  // the identity is the mobile with the enterprise and week the reminder names (enterprise names
  // alone repeat in a world, and so does a text), and every SMS is one message id.
  /** @type {Map<string, number>} */
  const perWarning = new Map();
  let unnamed = 0;
  for (const m of reminders) {
    const named = /^【粤商通】(.+)：贵单位(\d{4}-\d{2}-\d{2})周/.exec(m.text);
    if (!named) unnamed++;
    else perWarning.set(`${m.mobile} ${named[1]} ${named[2]}`, (perWarning.get(`${m.mobile} ${named[1]} ${named[2]}`) ?? 0) + 1);
  }
  t.check('the two concurrent jobs sent each reminder once', sent === (footprint.body.risk_reminders ?? 0));
  t.check('a later run sends nothing more', again.body.sent === 0);
  t.check('every reminder is a message of its own', new Set(reminders.map((/** @type {any} */ m) => m.id)).size === reminders.length);
  t.check('exactly one SMS per overdue warning', reminders.length === sent && unnamed === 0 && perWarning.size === sent && [...perWarning.values()].every((n) => n === 1));
  return { sent, reminders: reminders.length };
}
