// The seeded register of 常州's hazardous-chemicals traders (H4 for F): enterprises in the shared
// registry with their legal representatives, each holding a licence, its staff with
// qualification certificates (the legal representative is a 主要负责人) and its emergency-plan
// filing; and each authority's officers. Deterministic: enterprise i of seed s is always the same.
import { addDays, shanghaiDay } from '../../kernel/clock.js';
import type { Db } from '../../kernel/db.js';
import { notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { fakePerson, fakeUscc, Rng } from '../world/generate.js';
import { findEnterprise, insertEnterprises, insertPersons, type Enterprise, type Person } from '../world/store.js';
import { AUTHORITIES, FILING_TYPES, licenceValidTo, type Authority } from './rules.js';
import { addOfficers } from './officers.js';
import * as store from './store.js';

const DISTRICTS = [
  { code: '320402', name: '天宁区', towns: ['茶山', '青龙', '红梅', '雕庄'], authority: 'TN' },
  { code: '320404', name: '钟楼区', towns: ['五星', '永红', '北港', '西林'], authority: 'ZL' },
  { code: '320411', name: '新北区', towns: ['春江', '罗溪', '孟河', '薛家'], authority: 'XB' },
  { code: '320412', name: '武进区', towns: ['湖塘', '牛塘', '洛阳', '横林'], authority: 'WJ' },
  { code: '320413', name: '金坛区', towns: ['金城', '儒林', '直溪', '朱林'], authority: 'JT' },
  { code: '320481', name: '溧阳市', towns: ['溧城', '埭头', '上黄', '戴埠'], authority: 'LY' },
] as const;
const TRADE_NAMES = ['恒达', '鑫源', '华盛', '宏图', '永盛', '金辉', '瑞丰', '德信', '汇通', '龙城', '天宁', '运河', '常丰', '江南'];
const TRADES = ['化工贸易', '化学品经营', '石化贸易', '危险品储运', '能源贸易', '化工原料'];

/** The register's entry of one enterprise: staff, filing and (unless `licence` is null) a licence. */
export function registerEntryFor(rng: Rng, enterprise: Pick<Enterprise, 'uscc' | 'legalRepName' | 'legalRepIdNumber'>, today: string, licence: { validFrom: string } | null | 'seeded'): store.NewRegisterEntry {
  const region = enterprise.uscc.slice(2, 8);
  const certificate = (r: Rng) => `${today.slice(0, 4)}${region}${r.chars('0123456789', 6)}`;
  const assessed = (r: Rng) => addDays(today, -r.int(30, 1000));
  const staff: store.NewRegisterEntry['staff'] = [
    { name: enterprise.legalRepName, idNumber: enterprise.legalRepIdNumber, certificateNo: certificate(rng.child('principal')), unitType: '危险化学品经营单位', qualification: 'PRINCIPAL', assessedOn: assessed(rng.child('principal')) },
  ];
  const managers = rng.int(1, 2);
  for (let i = 0; i < managers; i++) {
    const r = rng.child(`safety manager ${i}`);
    const person = fakePerson(r, { region: '320402' });
    staff.push({ name: person.name, idNumber: person.idNumber, certificateNo: certificate(r), unitType: '危险化学品经营单位', qualification: 'SAFETY_MANAGER', assessedOn: assessed(r) });
  }
  const filed = rng.child('filing');
  const filedOn = addDays(today, -filed.int(200, 2000));
  const filing = { number: `${region}-${filedOn.slice(0, 4)}-${filed.chars('0123456789', 3)}`, filingType: filed.weighted([[FILING_TYPES[0], 4], [FILING_TYPES[1], 1]]), authority: AUTHORITIES[authorityOf(region)], filedOn };
  const licences: store.NewRegisterEntry['licences'] = [];
  if (licence) {
    const validFrom = licence === 'seeded' ? addDays(today, -rng.child('licence').int(30, 1050)) : licence.validFrom;
    licences.push({ number: `苏常危化经字〔${validFrom.slice(0, 4)}〕${rng.child('licence').chars('0123456789', 6)}`, validFrom, validTo: licenceValidTo(validFrom) });
  }
  return { uscc: enterprise.uscc, staff, filings: [filing], licences };
}

const authorityOf = (region: string): Authority => DISTRICTS.find((d) => d.code === region)?.authority ?? 'CZ';

/** Enterprise i of a seed: a 常州 company with its legal representative. */
function enterpriseOf(root: Rng, i: number): { person: Person; enterprise: Enterprise } {
  const rng = root.child(`licensing enterprise ${i}`);
  const district = rng.pick(DISTRICTS);
  const person = fakePerson(rng, { region: district.code });
  const bureau = `${district.name}市场监督管理局`;
  const enterprise: Enterprise = {
    uscc: fakeUscc(rng, { region: district.code, category: 'company' }),
    name: `常州${rng.pick(TRADE_NAMES)}${rng.pick(TRADES)}有限公司`,
    kind: 'company',
    status: '存续',
    industry: '批发业',
    legalRepName: person.name,
    legalRepIdNumber: person.idNumber,
    district: bureau,
    office: `${bureau}${rng.pick(district.towns)}监管所`,
  };
  return { person, enterprise };
}

/** H4: N licensed enterprises of 常州 in the registry and on the register, and each authority's officers. */
export async function seedRegister(db: Db, ctx: RunContext, options: { seed: number; enterprises: number; password: string }) {
  const root = new Rng(options.seed);
  const today = shanghaiDay(ctx.now);
  const made = Array.from({ length: options.enterprises }, (_, i) => enterpriseOf(root, i));
  await insertPersons(db, ctx.run, made.map((m) => m.person));
  await insertEnterprises(db, ctx.run, made.map((m) => m.enterprise));
  const added = await store.addToRegister(db, ctx.run, made.map((m) => registerEntryFor(root.child(m.enterprise.uscc), m.enterprise, today, 'seeded')), ctx.now);
  const officers = (Object.keys(AUTHORITIES) as Authority[]).flatMap((authority) =>
    (['REVIEWER', 'INSPECTOR'] as const).map((role) => {
      const person = fakePerson(root.child(`officer ${authority} ${role}`), { region: '320402' });
      return { username: `${authority.toLowerCase()}-${role.toLowerCase()}`, name: person.name, idNumber: person.idNumber, authority, roles: [role] };
    }),
  );
  const created = await addOfficers(db, ctx.run, officers.map((o) => ({ ...o, password: options.password })));
  return { seed: options.seed, enterprises: added, officers: created.map((o) => ({ username: o.username, name: o.name, authority: o.authority, roles: o.roles })) };
}

/** Puts a registry enterprise (a scenario's own) on the register, with or without a licence. */
export async function putOnRegister(db: Db, ctx: RunContext, input: { uscc: string; licence: { validFrom: string } | null; seed: number }) {
  const enterprise = await findEnterprise(db, ctx.run, input.uscc);
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '登记信息中没有该企业');
  const entry = registerEntryFor(new Rng(input.seed).child(input.uscc), enterprise, shanghaiDay(ctx.now), input.licence);
  await store.addToRegister(db, ctx.run, [entry], ctx.now);
  return (await store.registerEntry(db, ctx.run, input.uscc))!;
}
