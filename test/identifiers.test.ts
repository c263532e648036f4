import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  EARLIEST_BIRTH_YEAR,
  USCC_AUTHORITIES,
  USCC_CHARSET,
  birthDateOf,
  isRealDate,
  isValidMobile,
  isValidPlate,
  isValidResidentId,
  isValidUscc,
  maskIdNumber,
  maskMobile,
  maskName,
  isRegionCode,
  normaliseCode,
  normaliseResidentId,
  organisationCodeCheckChar,
  residentIdCheckChar,
  residentIdFault,
  sexOf,
  usccCheckChar,
  usccFault,
} from '../kernel/identifiers.js';

/** Every string obtained by replacing exactly one character of `s` with another from `alphabet`. */
function singleCharMutations(s: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const ch of alphabet) {
      if (ch !== s[i]) out.push(s.slice(0, i) + ch + s.slice(i + 1));
    }
  }
  return out;
}

function withResidentCheck(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

/** A USCC from its first 16 characters: the GB 11714 check of positions 9–16, then the USCC check. */
function withUsccChecks(first16: string): string {
  const first17 = first16 + organisationCodeCheckChar(first16.slice(8, 16));
  return first17 + usccCheckChar(first17);
}

describe('resident ID (GB 11643-1999)', () => {
  const published = '11010519491231002X';

  it('accepts the published example', () => {
    assert.equal(residentIdCheckChar(published.slice(0, 17)), 'X');
    assert.equal(isValidResidentId(published), true);
  });

  it('accepts other well-formed IDs', () => {
    assert.equal(isValidResidentId(withResidentCheck('45000019900101122')), true);
    assert.equal(isValidResidentId('450000199001011227'), false); // masking example only; its check char is not 7
    assert.equal(isValidResidentId(withResidentCheck('44010620000229123')), true); // leap day
  });

  it('rejects the published example with a wrong check digit', () => {
    assert.equal(isValidResidentId('110105194912310021'), false);
  });

  it('rejects every one-character mutation of the published example', () => {
    for (const mutated of singleCharMutations(published, '0123456789X')) {
      assert.equal(isValidResidentId(mutated), false, mutated);
    }
  });

  it('rejects impossible birth dates even with a correct check character', () => {
    for (const date of ['19490230', '19000229', '20010229', '19491301', '19490001', '19491200', '19490431']) {
      const id = withResidentCheck(`110105${date}002`);
      assert.equal(isValidResidentId(id), false, id);
    }
  });

  it('rejects wrong lengths and stray characters', () => {
    assert.equal(isValidResidentId(''), false);
    assert.equal(isValidResidentId(published.slice(0, 17)), false);
    assert.equal(isValidResidentId(`${published}0`), false);
    assert.equal(isValidResidentId('110105491231002'), false); // legacy 15-digit
    assert.equal(isValidResidentId(` ${published}`), false);
    assert.equal(isValidResidentId('1101051949123100X2'), false);
  });

  it('accepts only upper-case X; normaliseResidentId trims and upper-cases', () => {
    assert.equal(isValidResidentId('11010519491231002x'), false);
    assert.equal(normaliseResidentId(' 11010519491231002x\n'), published);
    assert.equal(isValidResidentId(normaliseResidentId('11010519491231002x')), true);
  });

  it('residentIdCheckChar requires exactly 17 digits', () => {
    assert.throws(() => residentIdCheckChar('1101051949123100'), RangeError);
    assert.throws(() => residentIdCheckChar('1101051949123100A'), RangeError);
  });

  it('extracts birth date and sex', () => {
    assert.equal(birthDateOf(published), '1949-12-31');
    assert.equal(birthDateOf(withResidentCheck('45000019900101122')), '1990-01-01');
    assert.equal(sexOf(published), 'female');
    assert.equal(sexOf(withResidentCheck('44010619800101001')), 'male');
    assert.throws(() => birthDateOf('110105194912310021'), RangeError);
  });

  it('isRealDate follows Gregorian leap-year rules', () => {
    assert.equal(isRealDate(2000, 2, 29), true);
    assert.equal(isRealDate(1900, 2, 29), false);
    assert.equal(isRealDate(2024, 2, 29), true);
    assert.equal(isRealDate(2023, 2, 29), false);
    assert.equal(isRealDate(2023, 12, 31), true);
    assert.equal(isRealDate(2023, 4, 31), false);
  });

  it('checks every part and says which one is wrong', () => {
    const today = new Date('2026-11-23T01:00:00Z');
    assert.equal(residentIdFault(published, today), undefined);
    assert.equal(residentIdFault('abc', today), 'FORMAT');
    assert.equal(residentIdFault(withResidentCheck('00000019900101123'), today), 'REGION');
    assert.equal(residentIdFault(withResidentCheck('11010520230229123'), today), 'BIRTH_DATE');
    assert.equal(residentIdFault(withResidentCheck('11010520261124123'), today), 'FUTURE_BIRTH_DATE');
    assert.equal(residentIdFault('110105194912310021', today), 'CHECK_CHARACTER');
  });

  it('refuses region codes that never existed, keeps abolished ones', () => {
    for (const region of ['000000', '990101', '441299', '110199', '100000']) {
      const id = withResidentCheck(`${region}19900101123`);
      assert.equal(isValidResidentId(id), false, id);
    }
    // 崇文区 (abolished 2010) and 宣武区 stay in the numbers of everyone first registered there.
    for (const region of ['110103', '110104', '440106', '441900', '810000', '820000', '830000']) {
      assert.equal(isValidResidentId(withResidentCheck(`${region}19900101123`)), true, region);
    }
    assert.equal(isRegionCode('440101'), true); // 广州市市辖区, in older editions of GB/T 2260
    assert.equal(isRegionCode('4401'), false);
  });

  it('refuses 29 February of a non-leap year and accepts it in a leap year', () => {
    for (const year of ['1900', '2001', '2023', '2100']) {
      const id = withResidentCheck(`440106${year}0229123`);
      assert.equal(residentIdFault(id, new Date('2200-01-01T00:00:00Z')), 'BIRTH_DATE', id);
    }
    for (const year of ['1904', '2000', '2024']) {
      assert.equal(isValidResidentId(withResidentCheck(`440106${year}0229123`)), true, year);
    }
  });

  it('refuses a birth date after today in China, relative to the clock it is given', () => {
    const bornOn = (day: string) => withResidentCheck(`440106${day.replaceAll('-', '')}123`);
    const morning = new Date('2026-11-23T01:00:00Z'); // 09:00 in China
    assert.equal(isValidResidentId(bornOn('2026-11-23'), morning), true);
    assert.equal(isValidResidentId(bornOn('2026-11-24'), morning), false);
    // 2026-11-23 16:30 UTC is already the 24th in China.
    assert.equal(isValidResidentId(bornOn('2026-11-24'), new Date('2026-11-23T16:30:00Z')), true);
    // A harness clock set back: someone born in 2026 does not exist yet in 2020.
    assert.equal(isValidResidentId(bornOn('2026-01-01'), new Date('2020-06-01T00:00:00Z')), false);
    assert.equal(isValidResidentId(bornOn('2099-01-01')), false); // default: the wall clock
  });

  it(`refuses birth years before ${EARLIEST_BIRTH_YEAR} (year 0000 included)`, () => {
    for (const day of ['00000101', '18491231', '00040229']) {
      const id = withResidentCheck(`110105${day}123`);
      assert.equal(residentIdFault(id), 'BIRTH_DATE', id);
    }
    assert.equal(isValidResidentId(withResidentCheck(`110105${EARLIEST_BIRTH_YEAR}0101123`)), true);
  });

  it('accepts any sequence number, 000 included', () => {
    for (const sequence of ['000', '001', '999']) {
      assert.equal(isValidResidentId(withResidentCheck(`44010619800101${sequence}`)), true, sequence);
    }
  });

  it('normalises a lowercase x, full-width characters and surrounding blanks the same way', () => {
    for (const typed of ['11010519491231002x', ' 11010519491231002X\t', '１１０１０５１９４９１２３１００２ｘ']) {
      assert.equal(normaliseCode(typed), published, typed);
      assert.equal(isValidResidentId(normaliseCode(typed)), true, typed);
    }
    assert.equal(normaliseResidentId, normaliseCode);
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  const published = '91110000600037341L';

  it('accepts the published example', () => {
    assert.equal(usccCheckChar(published.slice(0, 17)), 'L');
    assert.equal(isValidUscc(published), true);
  });

  it('rejects every one-character mutation of the published example', () => {
    for (const mutated of singleCharMutations(published, USCC_CHARSET + 'IOSVZ')) {
      assert.equal(isValidUscc(mutated), false, mutated);
    }
  });

  it('maps a check value of 31 to 0', () => {
    // Find a code whose weighted sum is divisible by 31 by varying the last organisation code body character.
    const base = '914401060000000';
    const hit = Array.from(USCC_CHARSET)
      .map((ch) => base + ch)
      .map((first16) => first16 + organisationCodeCheckChar(first16.slice(8)))
      .find((p) => usccCheckChar(p) === '0');
    assert.ok(hit, 'some last body character yields check 0');
    assert.equal(isValidUscc(`${hit}0`), true);
  });

  it('rejects a non-numeric administrative division code even with a correct check character', () => {
    const first17 = '91A10000600037341';
    assert.equal(isValidUscc(first17 + usccCheckChar(first17)), false);
  });

  it('rejects wrong lengths, lower case and characters outside the charset', () => {
    assert.equal(isValidUscc(''), false);
    assert.equal(isValidUscc(published.slice(0, 17)), false);
    assert.equal(isValidUscc(`${published}0`), false);
    assert.equal(isValidUscc(published.toLowerCase()), false);
    assert.equal(isValidUscc('91110000600037341I'), false);
    assert.throws(() => usccCheckChar('9111000060003734O'), RangeError);
  });

  it('checks every part and says which one is wrong', () => {
    assert.equal(usccFault(published), undefined);
    assert.equal(usccFault('91110000600037341'), 'FORMAT');
    assert.equal(usccFault('91110000600037341I'), 'FORMAT');
    assert.equal(usccFault(withUsccChecks('B1110000MA4X777A')), 'AUTHORITY');
    assert.equal(usccFault(withUsccChecks('94110000MA4X777A')), 'CATEGORY');
    assert.equal(usccFault(withUsccChecks('91000000MA4X777A')), 'REGION');
    assert.equal(usccFault('91440000MA4X777A89'), undefined);
  });

  it('refuses a category its registration authority does not assign', () => {
    // 9 工商 assigns 1 企业, 2 个体工商户, 3 农民专业合作社; 5 民政 assigns 1, 2, 3 and 9; N 农业 1, 2, 3 and 9.
    for (const prefix of ['94', '99', '54', '5A', 'N4', 'Y2', '1A']) {
      const code = withUsccChecks(`${prefix}440106MA4X777A`);
      assert.equal(usccFault(code), 'CATEGORY', code);
    }
    for (const [authority, { categories }] of Object.entries(USCC_AUTHORITIES)) {
      for (const category of Object.keys(categories)) {
        const code = withUsccChecks(`${authority}${category}440106MA4X777A`);
        assert.equal(isValidUscc(code), true, code);
      }
    }
  });

  it('refuses a wrong GB 11714 organisation code check even when the USCC check character fits', () => {
    const first16 = '91440106MA4X777A';
    const right = organisationCodeCheckChar(first16.slice(8));
    for (const wrong of ['0', '1', '5', 'X'].filter((c) => c !== right)) {
      const first17 = first16 + wrong;
      const code = first17 + usccCheckChar(first17);
      assert.equal(usccFault(code), 'ORGANISATION_CODE', code);
    }
  });

  it('takes the region of the registration authority: a GB/T 2260 code or 100000 (national)', () => {
    assert.equal(isValidUscc(withUsccChecks('51100000MA4X777A')), true);
    for (const region of ['000000', '990000', '440199']) assert.equal(usccFault(withUsccChecks(`91${region}MA4X777A`)), 'REGION', region);
  });

  it('normalises lowercase and full-width input the same way as ID numbers', () => {
    assert.equal(normaliseCode(' 91110000600037341l '), published);
    assert.equal(normaliseCode('９１１１００００６０００３７３４１Ｌ'), published);
  });

  it('computes the GB 11714 organisation code check character', () => {
    assert.equal(organisationCodeCheckChar('60003734'), '1'); // body of the published USCC
    assert.throws(() => organisationCodeCheckChar('6000373'), RangeError);
  });
});

describe('mobile numbers', () => {
  it('accepts 11-digit numbers starting 13–19', () => {
    for (const m of ['13800138000', '18012341234', '19912345678', '16612345678']) {
      assert.equal(isValidMobile(m), true, m);
    }
  });

  it('rejects everything else', () => {
    for (const m of ['12345678901', '10012345678', '1380013800', '138001380000', '+8613800138000', ' 13800138000', '1380013800a', '']) {
      assert.equal(isValidMobile(m), false, m);
    }
  });
});

describe('vehicle plates', () => {
  it('accepts ordinary and new-energy plates', () => {
    for (const p of ['粤A12345', '粤AD12345', '粤BFA1234', '粤B12345D', '京A0B123', '琼EAB123', '鲁B99999']) {
      assert.equal(isValidPlate(p), true, p);
    }
  });

  it('rejects I/O, unknown provinces and malformed plates', () => {
    for (const p of ['粤I12345', '粤O12345', '粤A1234I', '粤A12O45', '港A12345', '台A12345', '粤A1234', '粤A123456', '粤AA12345', '粤AD1234A', '粤a12345', '粤A 12345', '粤A·12345', 'A12345', '']) {
      assert.equal(isValidPlate(p), false, p);
    }
  });
});

describe('masking', () => {
  it('masks ID numbers as first 3 + **** + last 3', () => {
    assert.equal(maskIdNumber('450000199001011227'), '450****227');
    assert.equal(maskIdNumber('11010519491231002X'), '110****02X');
  });

  it('masks mobiles as first 3 + **** + last 4', () => {
    assert.equal(maskMobile('18012341234'), '180****1234');
  });

  it('masks names as first character + one star per remaining character', () => {
    assert.equal(maskName('田军'), '田*');
    assert.equal(maskName('黄丽燕'), '黄**');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(maskName('田'), '田');
    assert.equal(maskName(''), '');
  });

  it('fully stars values too short to mask partially', () => {
    assert.equal(maskIdNumber('123456'), '******');
    assert.equal(maskMobile('1234567'), '*******');
  });
});
