import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
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
  normaliseResidentId,
  organisationCodeCheckChar,
  residentIdCheckChar,
  sexOf,
  usccCheckChar,
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
    // Find a prefix whose weighted sum is divisible by 31 by varying the last body character.
    const base = '9144010600000000';
    const hit = Array.from(USCC_CHARSET).map((ch) => base + ch).find((p) => usccCheckChar(p) === '0');
    assert.ok(hit, 'some last character yields check 0');
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
