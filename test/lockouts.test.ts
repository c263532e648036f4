// Lock-outs and privacy as a security reviewer expects them (OWASP ASVS v4 §2.2, §2.7): wrong
// guesses are counted per subject (ID number, mobile) in PostgreSQL, tries made at once cannot pass
// the limit, and no answer tells whether a person, account or mobile exists or whose a name is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../kernel/db.js';
import type { Stack } from '../services/stack.js';
import type { Person } from '../services/world/generate.js';
import { atOnce, ok, refusal, runClient, startTestStack, tally, type Answer, type RunClient } from './support/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
let stack: Stack;
const AT_ONCE = 20;

async function until(condition: () => Promise<boolean>) {
  for (let i = 0; !(await condition()); i++) {
    assert.ok(i < 500, 'waited 5 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

before(async () => {
  stack = await startTestStack(db);
});
after(async () => {
  await stack.close();
  await db.end();
});

async function scene(name: string): Promise<RunClient> {
  const client = runClient(stack, name);
  await ok(client.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  return client;
}

const LOCKED = { status: 423, code: 'ACCOUNT_LOCKED', message: '密码错误次数过多，账号已锁定，请30分钟后再试' };
const passwordLogin = (client: RunClient, idNumber: string, password: string) => client.services('post', '/sdreg/v1/sessions', { body: { idNumber, password } });
const register = (client: RunClient, p: Person) => ok(client.services('post', '/sdreg/v1/users', { body: client.registration(p) }));

/** An answer with what differs between two subjects left out (ids, links). */
const shape = (a: Answer) => ({ status: a.status, ...(a.status < 300 ? { keys: Object.keys(a.body).sort() } : refusal(a)) });

describe('wrong passwords (C4)', () => {
  test('tries made at once cannot pass the limit: four are told how many are left, the rest are locked out, the right password too', async () => {
    const client = await scene('lock-parallel');
    const p = await client.person('张伟');
    await register(client, p);
    const answers = await atOnce(AT_ONCE, () => passwordLogin(client, p.idNumber, 'Wrong0000'));
    assert.deepEqual(tally(answers), { '401 LOGIN_FAILED': 4, '423 ACCOUNT_LOCKED': AT_ONCE - 4 });
    assert.deepEqual(
      answers.filter((a) => a.status === 401).map((a) => a.body.message).sort(),
      ['身份证号或密码错误，还可尝试1次', '身份证号或密码错误，还可尝试2次', '身份证号或密码错误，还可尝试3次', '身份证号或密码错误，还可尝试4次'],
    );
    assert.deepEqual(refusal(await passwordLogin(client, p.idNumber, 'Abc12345')), LOCKED);
    const { rows } = await db.query('SELECT failures FROM sdreg_login_guards WHERE run = $1 AND id_number = $2', [client.run, p.idNumber]);
    assert.deepEqual(rows, [{ failures: 5 }]);
  });

  test('a try waiting on the one that locks the account is told it is locked (found by the fuzz test: 500)', async () => {
    const client = await scene('lock-waiting');
    const p = await client.person('张伟');
    await register(client, p);
    for (let i = 0; i < 4; i++) await passwordLogin(client, p.idNumber, 'Wrong0000');
    // The fifth wrong try, held open: a try made meanwhile read the guard from before the lock-out.
    const fifth = await db.connect();
    try {
      await fifth.query('BEGIN');
      await fifth.query(`UPDATE sdreg_login_guards SET failures = 5, locked_until = '2026-11-23T09:30:00+08:00' WHERE run = $1 AND id_number = $2`, [client.run, p.idNumber]);
      const waiting = passwordLogin(client, p.idNumber, 'Abc12345');
      await until(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%sdreg_login_guards%'`)).rowCount === 1);
      await fifth.query('COMMIT');
      assert.deepEqual(refusal(await waiting), LOCKED);
    } finally {
      fifth.release();
    }
  });

  test('a registered, an unregistered and a not yet activated ID get the same answers, and are locked alike', async () => {
    const client = await scene('lock-alike');
    const registered = await client.person('张伟');
    await register(client, registered);
    const pending = await client.person('王芳');
    await ok(client.control('post', '/harness/v1/providers/identity/scripts', { subject: pending.idNumber, outcome: 'PROVINCE_ACTIVATION' }));
    assert.equal(refusal(await client.services('post', '/sdreg/v1/users', { body: client.registration(pending) })).code, 'ACTIVATION_REQUIRED');
    const unregistered = await client.person('李娜');
    const tries = async (p: Person) => {
      const answers: ReturnType<typeof refusal>[] = [];
      for (let i = 0; i < 6; i++) answers.push(refusal(await passwordLogin(client, p.idNumber, 'Wrong0000')));
      return answers;
    };
    const expected = [4, 3, 2, 1].map((left) => ({ status: 401, code: 'LOGIN_FAILED', message: `身份证号或密码错误，还可尝试${left}次` })).concat([LOCKED, LOCKED]);
    assert.deepEqual(await tries(registered), expected);
    assert.deepEqual(await tries(unregistered), expected);
    assert.deepEqual(await tries(pending), expected);
  });

  test('the lock-out ends with time, and the count starts again', async () => {
    const client = await scene('lock-time');
    const p = await client.person('张伟');
    await register(client, p);
    for (let i = 0; i < 5; i++) await passwordLogin(client, p.idNumber, 'Wrong0000');
    await ok(client.control('post', '/harness/v1/clock/advance', { by: '29m' }));
    assert.deepEqual(refusal(await passwordLogin(client, p.idNumber, 'Abc12345')), { ...LOCKED, message: '密码错误次数过多，账号已锁定，请1分钟后再试' });
    await ok(client.control('post', '/harness/v1/clock/advance', { by: '1m' }));
    assert.deepEqual(refusal(await passwordLogin(client, p.idNumber, 'Wrong0000')), { status: 401, code: 'LOGIN_FAILED', message: '身份证号或密码错误，还可尝试4次' });
    await ok(passwordLogin(client, p.idNumber, 'Abc12345'));
    assert.deepEqual(refusal(await passwordLogin(client, p.idNumber, 'Wrong0000')), { status: 401, code: 'LOGIN_FAILED', message: '身份证号或密码错误，还可尝试4次' });
  });

  test('a session is no licence to guess: wrong old passwords count towards the same lock-out (C9)', async () => {
    const client = await scene('lock-change');
    const p = await client.person('张伟');
    await register(client, p);
    const { token } = await ok(passwordLogin(client, p.idNumber, 'Abc12345'));
    const change = (oldPassword: string) => client.services('put', '/sdreg/v1/me/password', { token, body: { oldPassword, newPassword: 'Changed2027', confirmPassword: 'Changed2027' } });
    for (let i = 0; i < 4; i++) assert.deepEqual(refusal(await change('Wrong0000')), { status: 400, code: 'OLD_PASSWORD_WRONG', message: '原密码错误' });
    assert.deepEqual(refusal(await change('Wrong0000')), LOCKED);
    assert.deepEqual(refusal(await change('Abc12345')), LOCKED);
    assert.deepEqual(refusal(await passwordLogin(client, p.idNumber, 'Abc12345')), LOCKED);
  });
});

describe('wrong SMS codes (A2)', () => {
  test('codes tried at once cannot pass the limit; then the right code is locked out too', async () => {
    const client = await scene('lock-sms-parallel');
    const p = await client.person('田军');
    await client.ystLogIn(p);
    await ok(client.services('post', '/yst/v1/sms-codes', { body: { mobile: p.mobile } }));
    const { code } = await ok(client.control('get', `/harness/v1/sms/outbox/${p.mobile}/latest-code`));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const answers = await atOnce(AT_ONCE, () => client.services('post', '/yst/v1/phone-login', { body: { mobile: p.mobile, code: wrong } }));
    assert.deepEqual(tally(answers), { '400 CODE_INVALID': 4, '429 CODE_LOCKED': AT_ONCE - 4 });
    assert.deepEqual(refusal(await client.services('post', '/yst/v1/phone-login', { body: { mobile: p.mobile, code } })), {
      status: 429,
      code: 'CODE_LOCKED',
      message: '验证码错误次数过多，请15分钟后再试',
    });
  });

  test('a mobile no account holds is answered, counted and locked as a bound one, and gets no SMS', async () => {
    const client = await scene('lock-sms-alike');
    const bound = await client.person('田军');
    await client.ystLogIn(bound);
    const unbound = await client.person('黄丽燕');
    const send = (p: Person) => client.services('post', '/yst/v1/sms-codes', { body: { mobile: p.mobile } });
    const [toBound, toUnbound] = [await send(bound), await send(unbound)];
    assert.deepEqual(shape(toUnbound), shape(toBound));
    assert.deepEqual(toUnbound.body, toBound.body);
    const { code } = await ok(client.control('get', `/harness/v1/sms/outbox/${bound.mobile}/latest-code`));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const tries = async (p: Person) => {
      const answers: ReturnType<typeof shape>[] = [];
      for (let i = 0; i < 6; i++) answers.push(shape(await client.services('post', '/yst/v1/phone-login', { body: { mobile: p.mobile, code: wrong } })));
      answers.push(shape(await send(p)));
      return answers;
    };
    const boundAnswers = await tries(bound);
    assert.deepEqual(await tries(unbound), boundAnswers);
    assert.deepEqual(boundAnswers.map((a) => a.status), [400, 400, 400, 400, 429, 429, 429]);
    const messages = await ok(client.control('get', `/harness/v1/sms/outbox?mobile=${unbound.mobile}`));
    assert.deepEqual(messages, []);
  });
});

describe('who is registered, and under which name (C2, C4, C5, C10)', () => {
  test('the first step of activation, reset and face login answers alike for every name and ID; the face page shows nothing looked up', async () => {
    const client = await scene('privacy-start');
    const registered = await client.person('张伟');
    await register(client, registered);
    const unregistered = await client.person('李娜');
    const pages = new Set<string>();
    for (const flow of ['activations', 'password-resets']) {
      const answers = [
        await client.services('post', `/sdreg/v1/${flow}`, { body: { name: registered.name, idNumber: registered.idNumber } }),
        await client.services('post', `/sdreg/v1/${flow}`, { body: { name: '张卫', idNumber: registered.idNumber } }),
        await client.services('post', `/sdreg/v1/${flow}`, { body: { name: unregistered.name, idNumber: unregistered.idNumber } }),
      ];
      assert.deepEqual(new Set(answers.map((a) => JSON.stringify(shape(a)))).size, 1, JSON.stringify(answers));
      assert.equal(answers[0]!.status, 201);
    }
    const logins = [registered, unregistered].map((p) => client.services('post', '/sdreg/v1/face-login', { body: { idNumber: p.idNumber } }));
    for (const answer of await Promise.all(logins)) {
      assert.equal(answer.status, 201);
      pages.add(await (await fetch(answer.body.miniProgramUrl)).text());
    }
    assert.equal(pages.size, 1, 'the face page of a login by ID + face shows the same for a registered and an unregistered ID');
  });

  test('what is wrong is told once the face has shown the person holds the ID', async () => {
    const client = await scene('privacy-after-face');
    const registered = await client.person('张伟');
    await register(client, registered);
    const unregistered = await client.person('李娜');
    const finish = async (flow: string, name: string, idNumber: string, face: boolean) => {
      const started = await ok(client.services('post', `/sdreg/v1/${flow}`, { body: { name, idNumber } }));
      if (face) await client.passFace(started.providerSessionId);
      return refusal(await client.services('post', `/sdreg/v1/${flow}/${started.faceCheckId}/password`, { body: { password: 'Reset2027x', confirmPassword: 'Reset2027x' } }));
    };
    const pending = { status: 409, code: 'FACE_PENDING', message: '请先完成人脸识别' };
    assert.deepEqual(await finish('password-resets', '张卫', registered.idNumber, false), pending);
    assert.deepEqual(await finish('password-resets', unregistered.name, unregistered.idNumber, false), pending);
    assert.deepEqual(await finish('password-resets', '张卫', registered.idNumber, true), { status: 422, code: 'MISMATCH', message: '验证失败，请检查输入信息' });
    assert.deepEqual(await finish('password-resets', unregistered.name, unregistered.idNumber, true), { status: 404, code: 'USER_NOT_FOUND', message: '该身份证号尚未注册，请先注册' });
    assert.deepEqual(await finish('activations', registered.name, registered.idNumber, true), { status: 409, code: 'ALREADY_ACTIVE', message: '账号已激活，请直接登录' });
    await ok(passwordLogin(client, registered.idNumber, 'Abc12345'));
  });

  test('a filing check does not tell whose an ID is: a wrong name reads as not registered', async () => {
    const client = await scene('privacy-filing');
    const registered = await client.person('张伟');
    await register(client, registered);
    const unregistered = await client.person('李娜');
    const filing = await ok(
      client.services('post', '/sdreg/v1/filings/readiness', {
        body: {
          entityKind: 'COMPANY',
          persons: [
            { name: '张卫', idNumber: registered.idNumber, roles: ['DIRECTOR'] },
            { name: unregistered.name, idNumber: unregistered.idNumber, roles: ['SUPERVISOR'] },
          ],
        },
      }),
    );
    assert.deepEqual(
      filing.persons.map((p: { status: string; missing: unknown[] }) => [p.status, p.missing]),
      [0, 1].map(() => ['MISSING', [{ code: 'NOT_REGISTERED', label: '未在登记注册身份验证APP注册' }]]),
    );
  });
});
