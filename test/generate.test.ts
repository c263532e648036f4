import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  REFERENCE_DATE,
  REGION_CODES,
  Rng,
  ageOn,
  buildResidentId,
  fakeEnterprise,
  fakePerson,
  fakePlate,
  fakeUscc,
  idCardTermYears,
  type Enterprise,
  type EnterpriseKind,
  type Person,
} from '../services/world/generate.js';
import {
  birthDateOf,
  isValidMobile,
  isValidPlate,
  isValidResidentId,
  isValidUscc,
} from '../kernel/identifiers.js';

const N = 1000;

function draws(rng: Rng, n = 20): number[] {
  return Array.from({ length: n }, () => rng.next());
}

function people(rng: Rng, n = N): Person[] {
  return Array.from({ length: n }, () => fakePerson(rng));
}

function enterprises(rng: Rng, n = N): Enterprise[] {
  return Array.from({ length: n }, () => fakeEnterprise(rng, fakePerson(rng)));
}

/** Independent of generate.ts: same month/day `years` later (no 29 Feb start dates are generated). */
function plusYears(date: string, years: number): string {
  return String(Number(date.slice(0, 4)) + years) + date.slice(4);
}

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    assert.deepEqual(draws(new Rng(42)), draws(new Rng(42)));
    assert.notDeepEqual(draws(new Rng(42)), draws(new Rng(43)));
    assert.notDeepEqual(draws(new Rng(0)), draws(new Rng(2 ** 32)));
  });

  it('next() stays in [0, 1) and int() in its inclusive bounds', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      const k = rng.int(-3, 3);
      assert.ok(Number.isInteger(k) && k >= -3 && k <= 3);
      seen.add(k);
    }
    assert.equal(seen.size, 7);
    assert.throws(() => rng.int(3, 2), RangeError);
    assert.throws(() => rng.pick([]), RangeError);
  });

  it('derives stable children from the seed, independent of parent draws', () => {
    const parent = new Rng(42);
    const a = draws(parent.child('scenario: X'));
    draws(parent, 100);
    assert.deepEqual(draws(parent.child('scenario: X')), a);
    assert.deepEqual(draws(new Rng(42).child('scenario: X')), a);
  });

  it('gives different streams for different labels, seeds and nesting', () => {
    const root = new Rng(42);
    const x = draws(root.child('scenario: X'));
    assert.notDeepEqual(draws(root.child('scenario: Y')), x);
    assert.notDeepEqual(draws(new Rng(41).child('scenario: X')), x);
    assert.notDeepEqual(draws(root.child('scenario: X').child('scenario: X')), x);
    assert.notDeepEqual(draws(root), x);
  });
});

describe('fakePerson', () => {
  const persons = people(new Rng(20261123).child('persons'));

  it('produces valid IDs, mobiles and zh_CN names', () => {
    for (const p of persons) {
      assert.equal(isValidResidentId(p.idNumber), true, p.idNumber);
      assert.equal(isValidMobile(p.mobile), true, p.mobile);
      assert.match(p.mobile, /^1[3-9]\d{9}$/);
      assert.match(p.name, /^[\u4e00-\u9fff]{2,3}$/);
      assert.ok(REGION_CODES.includes(p.idNumber.slice(0, 6)), p.idNumber);
      const birth = birthDateOf(p.idNumber);
      assert.ok(birth >= '1950-01-01' && birth <= '2004-12-31', birth);
    }
  });

  it('has ID card validity consistent with the age-at-issue rule and covering the reference date', () => {
    for (const p of persons) {
      const birth = birthDateOf(p.idNumber);
      const age = ageOn(birth, p.idValidFrom);
      assert.ok(age >= 16, `${p.idNumber} issued at age ${age}`);
      assert.ok(p.idValidFrom <= REFERENCE_DATE, p.idValidFrom);
      const expected = age <= 25 ? plusYears(p.idValidFrom, 10) : age <= 45 ? plusYears(p.idValidFrom, 20) : '长期';
      assert.equal(p.idValidTo, expected, `${p.idNumber} from ${p.idValidFrom} at age ${age}`);
      if (p.idValidTo !== '长期') assert.ok(p.idValidTo >= REFERENCE_DATE, p.idValidTo);
    }
  });

  it('covers all three validity terms and both 2- and 3-character names', () => {
    const terms = new Set(persons.map((p) => (p.idValidTo === '长期' ? 'long' : Number(p.idValidTo.slice(0, 4)) - Number(p.idValidFrom.slice(0, 4)))));
    assert.deepEqual([...terms].sort(), [10, 20, 'long'].sort());
    const lengths = new Set(persons.map((p) => p.name.length));
    assert.deepEqual([...lengths].sort(), [2, 3]);
  });

  it('honours the region option and rejects malformed regions', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) assert.equal(fakePerson(rng, { region: '440106' }).idNumber.slice(0, 6), '440106');
    assert.throws(() => fakePerson(rng, { region: '4401' }), RangeError);
    for (const region of ['000000', '440199', '990101']) assert.throws(() => fakePerson(rng, { region }), RangeError, region);
    assert.throws(() => fakeUscc(rng, { region: '000000' }), RangeError);
  });

  it('is reproducible from the seed and label', () => {
    assert.deepEqual(people(new Rng(5).child('a'), 50), people(new Rng(5).child('a'), 50));
    assert.notDeepEqual(people(new Rng(5).child('a'), 50), people(new Rng(5).child('b'), 50));
  });

  it('idCardTermYears and buildResidentId follow the rules', () => {
    assert.deepEqual([15, 16, 25, 26, 45, 46, 80].map(idCardTermYears), [5, 10, 10, 20, 20, null, null]);
    assert.equal(buildResidentId('110105', '1949-12-31', 2), '11010519491231002X');
  });
});

describe('fakeUscc', () => {
  it('generates valid codes with the category prefix and region', () => {
    const rng = new Rng(99).child('uscc');
    // 9 工商 registers companies (1), individual businesses (2) and farmers' cooperatives (3).
    const prefixes: Record<EnterpriseKind, string> = { company: '91', individual: '92', cooperative: '93' };
    for (const category of ['company', 'individual', 'cooperative'] as const) {
      for (let i = 0; i < N; i++) {
        const code = fakeUscc(rng, { category, region: '440117' });
        assert.equal(isValidUscc(code), true, code);
        assert.equal(code.slice(0, 2), prefixes[category]);
        assert.equal(code.slice(2, 8), '440117');
      }
    }
    for (let i = 0; i < N; i++) assert.equal(isValidUscc(fakeUscc(rng)), true);
  });
});

describe('fakeEnterprise', () => {
  const list = enterprises(new Rng(20261123).child('enterprises'));

  it('produces valid, internally consistent enterprises', () => {
    for (const e of list) {
      assert.equal(isValidUscc(e.uscc), true, e.uscc);
      assert.equal(isValidResidentId(e.legalRepIdNumber), true);
      assert.equal(e.status, '存续');
      assert.ok(e.industry.length > 0);
      assert.match(e.district, /^[\u4e00-\u9fff]+区市场监督管理局$/);
      assert.ok(e.office.startsWith(e.district) && e.office.endsWith('监管所'), e.office);
      const districtName = e.district.replace('市场监督管理局', '');
      switch (e.kind) {
        case 'company':
          assert.match(e.name, /^[\u4e00-\u9fff]+市[\u4e00-\u9fff]+区[\u4e00-\u9fff]+有限公司$/);
          assert.ok(e.name.includes(districtName), e.name);
          assert.ok(e.uscc.startsWith('91'));
          break;
        case 'individual':
          assert.ok(e.name.startsWith(districtName), e.name);
          assert.ok(e.uscc.startsWith('92'));
          break;
        case 'cooperative':
          assert.ok(e.name.startsWith(districtName) && e.name.endsWith('专业合作社'), e.name);
          assert.ok(e.uscc.startsWith('93'));
          break;
      }
    }
    assert.deepEqual(new Set(list.map((e) => e.kind)), new Set(['company', 'individual', 'cooperative']));
  });

  it('uses the legal representative and honours kind and city', () => {
    const rng = new Rng(3);
    const rep = fakePerson(rng);
    const shop = fakeEnterprise(rng, rep, { kind: 'individual', city: '广州市' });
    assert.equal(shop.kind, 'individual');
    assert.equal(shop.legalRepName, rep.name);
    assert.equal(shop.legalRepIdNumber, rep.idNumber);
    assert.equal(shop.uscc.slice(2, 4), '44');
    const company = fakeEnterprise(rng, rep, { kind: 'company', city: '深圳市' });
    assert.ok(company.name.startsWith('深圳市'), company.name);
    assert.equal(company.uscc.slice(2, 6), '4403');
  });

  it('is reproducible from the seed and label', () => {
    assert.deepEqual(enterprises(new Rng(8).child('x'), 50), enterprises(new Rng(8).child('x'), 50));
    assert.notDeepEqual(enterprises(new Rng(8).child('x'), 50), enterprises(new Rng(8).child('y'), 50));
  });
});

describe('fakePlate', () => {
  it('generates valid plates, ordinary and new-energy', () => {
    const rng = new Rng(11).child('plates');
    const plates = Array.from({ length: N }, () => fakePlate(rng));
    for (const p of plates) {
      assert.equal(isValidPlate(p), true, p);
      assert.ok(p.startsWith('粤'));
    }
    assert.ok(plates.some((p) => p.length === 7));
    assert.ok(plates.some((p) => p.length === 8));
    for (let i = 0; i < 100; i++) assert.ok(isValidPlate(fakePlate(rng, '鲁')));
    assert.throws(() => fakePlate(rng, '港'), RangeError);
  });

  it('is reproducible from the seed and label', () => {
    const run = (label: string) => {
      const rng = new Rng(12).child(label);
      return Array.from({ length: 50 }, () => fakePlate(rng));
    };
    assert.deepEqual(run('p'), run('p'));
    assert.notDeepEqual(run('p'), run('q'));
  });
});
