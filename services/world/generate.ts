/**
 * Deterministic fake-data generators for the simulated world: people (resident ID per
 * GB 11643-1999), enterprises (unified social credit code per GB 32100-2015, organisation
 * code body per GB 11714-1997) and vehicle plates (GA 36-2018).
 *
 * Everything is driven by a seeded {@link Rng}: the same seed (and child labels) always yields
 * the same data. No Math.random, no wall clock; "today" is {@link REFERENCE_DATE}.
 */

import {
  PLATE_LETTERS,
  PLATE_PROVINCES,
  USCC_CHARSET,
  isRealDate,
  isRegionCode,
  organisationCodeCheckChar,
  residentIdCheckChar,
  usccCheckChar,
} from '../../kernel/identifiers.js';

/** The simulated "today": ID cards are generated so that they are valid on this date. */
export const REFERENCE_DATE = '2026-11-23';

// ---------------------------------------------------------------------------
// Seeded PRNG
// ---------------------------------------------------------------------------

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3 32-bit finaliser: a cheap bijective avalanche mix. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any finite number (including > 2^32, negative or fractional) into a uint32 seed. */
function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be finite, got ${seed}`);
  const t = Math.trunc(seed);
  const lo = t >>> 0;
  const hi = Math.floor(t / 0x1_0000_0000) >>> 0;
  return (lo ^ fmix32(hi + 0x9e3779b9)) >>> 0;
}

/** splitmix32's output for state `sm` (taken mod 2^32). */
function splitmix32(sm: number): number {
  let z = sm >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The sum of a weighted list's weights, summed once per list (the same sum, in the same order). */
const weightTotals = new WeakMap<object, number>();

/**
 * Small fast PRNG (sfc32, state seeded with splitmix32). `child(label)` derives an
 * independent, stable stream from this generator's seed and a label, regardless of how many
 * values have already been drawn from the parent.
 */
export class Rng {
  /** The normalised uint32 seed this stream was created from. */
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.seed = seedToUint32(seed);
    // splitmix32: the state is seed + k × golden ratio, mixed (k = 1…4).
    this.a = splitmix32(this.seed + 0x9e3779b9);
    this.b = splitmix32(this.seed + 2 * 0x9e3779b9);
    this.c = splitmix32(this.seed + 3 * 0x9e3779b9);
    this.d = splitmix32(this.seed + 4 * 0x9e3779b9);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxInclusive) || min > maxInclusive) {
      throw new RangeError(`Rng.int: invalid range [${min}, ${maxInclusive}]`);
    }
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniformly chosen element of a non-empty array (or string, by UTF-16 unit). */
  pick<T>(arr: ArrayLike<T>): T {
    if (arr.length === 0) throw new RangeError('Rng.pick: empty array');
    return arr[this.int(0, arr.length - 1)]!;
  }

  /** Element chosen with probability proportional to its (non-negative) weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = weightTotals.get(entries);
    if (total === undefined) {
      total = 0;
      for (const [, w] of entries) total += w;
      if (!(total > 0)) throw new RangeError('Rng.weighted: weights must sum to a positive number');
      weightTotals.set(entries, total);
    }
    let r = this.next() * total;
    for (let i = 0; i < entries.length; i++) {
      r -= entries[i]![1];
      if (r < 0) return entries[i]![0];
    }
    return entries[entries.length - 1]![0];
  }

  /** `n` characters drawn uniformly from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }

  /** Independent stream derived from this stream's seed and `label` (not from its current state). */
  child(label: string): Rng {
    return new Rng(fmix32(fnv1a32(label) ^ fmix32(this.seed + 0x632be5ab)));
  }
}

// ---------------------------------------------------------------------------
// Calendar helpers (UTC day numbers; Date.UTC is pure)
// ---------------------------------------------------------------------------

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar, as Date.UTC counts them, by
// arithmetic (H. Hinnant's days_from_civil and civil_from_days): no Date made per day.
function dayNumber({ y, m, d }: Ymd): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function fromDayNumber(n: number): Ymd {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYmd({ y, m, d }: Ymd): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function compactYmd({ y, m, d }: Ymd): string {
  return `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`;
}

/** Dates parsed before (the reference date, each `asOf`): parsed once. */
const parsedDays = new Map<string, Ymd>();

function parseYmd(s: string): Ymd {
  const known = parsedDays.get(s);
  if (known) return known;
  const ymd = parseNewYmd(s);
  if (parsedDays.size < 64) parsedDays.set(s, ymd);
  return ymd;
}

function parseNewYmd(s: string): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ymd = match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : undefined;
  if (!ymd || !isRealDate(ymd.y, ymd.m, ymd.d)) throw new RangeError(`not a YYYY-MM-DD date: ${s}`);
  return ymd;
}

function compareYmd(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** Same month/day `years` later; 29 Feb becomes 1 Mar in a non-leap target year. */
function addYears({ y, m, d }: Ymd, years: number): Ymd {
  return isRealDate(y + years, m, d) ? { y: y + years, m, d } : { y: y + years, m: 3, d: 1 };
}

/** Completed years of age on `on` for someone born on `birth`. */
export function ageOn(birth: string, on: string): number {
  return ageOnYmd(parseYmd(birth), parseYmd(on));
}

function ageOnYmd(birth: Ymd, on: Ymd): number {
  const hadBirthday = on.m > birth.m || (on.m === birth.m && on.d >= birth.d);
  return on.y - birth.y - (hadBirthday ? 0 : 1);
}

/**
 * Validity term of a resident ID card by age at issue (Resident Identity Card Law art. 5):
 * under 16 → 5 years, 16–25 → 10 years, 26–45 → 20 years, 46 and over → long-term (null).
 */
export function idCardTermYears(ageAtIssue: number): number | null {
  if (ageAtIssue < 16) return 5;
  if (ageAtIssue <= 25) return 10;
  if (ageAtIssue <= 45) return 20;
  return null;
}

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

/**
 * Real county-level administrative division codes (Guangdong 44xxxx, Shandong 37xxxx) that
 * already existed before 2005, so they are plausible in IDs of people born 1950–2004.
 */
export const REGION_CODES: readonly string[] = [
  // Guangdong — 广州, 深圳, 韶关, 珠海, 汕头, 佛山, 江门, 湛江, 茂名, 肇庆, 惠州, 东莞, 中山
  '440103', '440104', '440105', '440106', '440111', '440112', '440113', '440114', '440115',
  '440303', '440304', '440305', '440306', '440307', '440308',
  '440203', '440204', '440402', '440403', '440404', '440507', '440511', '440512', '440513', '440514',
  '440604', '440605', '440606', '440607', '440703', '440704', '440705', '440802', '440803', '440902',
  '441202', '441302', '441303', '441900', '442000',
  // Shandong — 济南, 青岛, 淄博, 枣庄, 烟台, 潍坊, 泰安, 威海, 日照, 临沂, 德州, 聊城, 滨州, 菏泽
  '370102', '370103', '370104', '370105', '370112', '370202', '370203', '370211', '370212', '370213',
  '370214', '370302', '370303', '370402', '370602', '370611', '370613', '370702', '370705', '370902',
  '371002', '371102', '371302', '371402', '371502', '371602', '371702',
];

/** ~100 common surnames with rough relative frequencies (per mille of population). */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 71], ['李', 70], ['张', 68], ['刘', 54], ['陈', 53], ['杨', 31], ['黄', 28], ['赵', 23],
  ['吴', 20], ['周', 19], ['徐', 15], ['孙', 15], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 11],
  ['何', 11], ['林', 11], ['高', 10], ['罗', 9], ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 7],
  ['唐', 7], ['许', 7], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 6], ['彭', 6], ['曾', 6],
  ['肖', 5], ['田', 5], ['董', 5], ['袁', 5], ['潘', 5], ['于', 5], ['蒋', 5], ['蔡', 5],
  ['余', 5], ['杜', 5], ['叶', 4], ['程', 4], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4],
  ['任', 4], ['沈', 4], ['姚', 4], ['卢', 4], ['姜', 4], ['崔', 3], ['钟', 3], ['谭', 3],
  ['陆', 3], ['汪', 3], ['范', 3], ['金', 3], ['石', 3], ['廖', 3], ['贾', 3], ['夏', 3],
  ['韦', 3], ['付', 3], ['方', 3], ['白', 3], ['邹', 3], ['孟', 3], ['熊', 3], ['秦', 3],
  ['邱', 3], ['江', 3], ['尹', 3], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2], ['侯', 2],
  ['龙', 2], ['史', 2], ['陶', 2], ['黎', 2], ['贺', 2], ['顾', 2], ['毛', 2], ['郝', 2],
  ['龚', 2], ['邵', 2], ['万', 2], ['钱', 2], ['严', 2], ['覃', 2], ['武', 2], ['戴', 2],
  ['莫', 2], ['孔', 2], ['向', 2], ['汤', 2],
];

const GIVEN_MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭龙峰建国志兵东海亮成振博鸿晨晖昊彬锋毅诚坤雄山松柏江荣';
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞燕玲桂英秀兰萍红婷雪慧琳洁颖倩丹莉蓉梅琴璐瑶怡欣薇晶莹妍菲露瑾媛悦凤月彤岚馨蕾茜珊琪婉淑曼雯';
const GIVEN_NEUTRAL = '文思嘉子雨晓小一天春秋晴安乐家永德金玉云宏清新远君和瑞诗梓睿铭泽涵然航可心若宸晗阳立正光书方素';

/** Real mobile network prefixes. */
const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166',
  '170', '171', '172', '173', '174', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '198', '199',
];

interface District {
  readonly code: string;
  readonly name: string;
  readonly rural: boolean;
  /** 街道/镇 names used for 市场监管所 (regulatory office) names. */
  readonly offices: readonly string[];
}

export type EnterpriseCity = '广州市' | '深圳市' | '佛山市' | '珠海市';

const CITY_DISTRICTS: Readonly<Record<EnterpriseCity, readonly District[]>> = {
  广州市: [
    { code: '440103', name: '荔湾区', rural: false, offices: ['沙面', '逢源', '多宝', '华林', '龙津', '彩虹', '冲口', '中南'] },
    { code: '440104', name: '越秀区', rural: false, offices: ['北京', '东山', '农林', '大东', '白云', '华乐', '建设', '登峰'] },
    { code: '440105', name: '海珠区', rural: false, offices: ['赤岗', '新港', '滨江', '江南中', '昌岗', '南华西', '琶洲', '官洲'] },
    { code: '440106', name: '天河区', rural: false, offices: ['石牌', '五山', '林和', '沙河', '天河南', '猎德', '员村', '车陂', '棠下', '珠吉'] },
    { code: '440111', name: '白云区', rural: false, offices: ['三元里', '京溪', '同和', '嘉禾', '石井', '太和', '人和', '江高'] },
    { code: '440112', name: '黄埔区', rural: false, offices: ['黄埔', '红山', '夏港', '萝岗', '联和', '永和', '九佛', '新龙'] },
    { code: '440113', name: '番禺区', rural: false, offices: ['市桥', '大石', '洛浦', '南村', '石楼', '化龙', '沙湾', '钟村'] },
    { code: '440114', name: '花都区', rural: true, offices: ['新华', '新雅', '秀全', '花城', '狮岭', '炭步', '赤坭', '花山'] },
    { code: '440115', name: '南沙区', rural: true, offices: ['南沙', '珠江', '龙穴', '黄阁', '横沥', '万顷沙', '东涌', '榄核'] },
    { code: '440117', name: '从化区', rural: true, offices: ['街口', '江埔', '城郊', '温泉', '良口', '吕田', '太平', '鳌头'] },
    { code: '440118', name: '增城区', rural: true, offices: ['荔城', '增江', '朱村', '永宁', '新塘', '石滩', '中新', '派潭'] },
  ],
  深圳市: [
    { code: '440303', name: '罗湖区', rural: false, offices: ['桂园', '黄贝', '东门', '翠竹', '东晓', '南湖', '笋岗', '东湖', '莲塘', '清水河'] },
    { code: '440304', name: '福田区', rural: false, offices: ['园岭', '南园', '福田', '沙头', '香蜜湖', '梅林', '莲花', '华富', '福保', '华强北'] },
    { code: '440305', name: '南山区', rural: false, offices: ['南头', '南山', '沙河', '蛇口', '招商', '粤海', '桃源', '西丽'] },
    { code: '440306', name: '宝安区', rural: false, offices: ['新安', '西乡', '航城', '福永', '福海', '沙井', '新桥', '松岗', '燕罗', '石岩'] },
    { code: '440307', name: '龙岗区', rural: false, offices: ['平湖', '布吉', '坂田', '南湾', '横岗', '龙城', '龙岗', '坪地'] },
    { code: '440309', name: '龙华区', rural: false, offices: ['观湖', '民治', '龙华', '大浪', '福城', '观澜'] },
  ],
  佛山市: [
    { code: '440604', name: '禅城区', rural: false, offices: ['祖庙', '石湾镇', '张槎', '南庄'] },
    { code: '440605', name: '南海区', rural: true, offices: ['桂城', '九江', '西樵', '丹灶', '狮山', '大沥', '里水'] },
    { code: '440606', name: '顺德区', rural: true, offices: ['大良', '容桂', '伦教', '勒流', '陈村', '均安', '杏坛', '龙江', '乐从', '北滘'] },
  ],
  珠海市: [
    { code: '440402', name: '香洲区', rural: false, offices: ['拱北', '吉大', '翠香', '狮山', '香湾', '梅华', '前山', '湾仔'] },
    { code: '440403', name: '斗门区', rural: true, offices: ['井岸', '白蕉', '斗门', '乾务'] },
    { code: '440404', name: '金湾区', rural: true, offices: ['三灶', '红旗', '平沙', '南水'] },
  ],
};

const CITY_WEIGHTS: readonly (readonly [EnterpriseCity, number])[] = [
  ['广州市', 5], ['深圳市', 4], ['佛山市', 2], ['珠海市', 1],
];

/** Company name term → national economic industry category (GB/T 4754). */
const COMPANY_TRADES: readonly (readonly [string, string])[] = [
  ['化工', '化学原料和化学制品制造业'],
  ['贸易', '批发业'],
  ['科技', '科技推广和应用服务业'],
  ['信息技术', '软件和信息技术服务业'],
  ['餐饮管理', '餐饮业'],
  ['建筑工程', '土木工程建筑业'],
  ['电子', '计算机、通信和其他电子设备制造业'],
  ['物流', '道路运输业'],
  ['食品', '食品制造业'],
  ['服装', '纺织服装、服饰业'],
  ['五金制品', '金属制品业'],
  ['文化传播', '文化艺术业'],
  ['家具', '家具制造业'],
  ['医疗器械', '专用设备制造业'],
];

const SHOP_TRADES: readonly (readonly [string, string])[] = [
  ['五金店', '零售业'],
  ['便利店', '零售业'],
  ['士多店', '零售业'],
  ['水果店', '零售业'],
  ['服装店', '零售业'],
  ['烟酒商行', '零售业'],
  ['餐馆', '餐饮业'],
  ['茶餐厅', '餐饮业'],
  ['粉面店', '餐饮业'],
  ['理发店', '居民服务业'],
  ['汽车维修店', '机动车、电子产品和日用产品修理业'],
  ['电器维修部', '机动车、电子产品和日用产品修理业'],
];

const COOPERATIVE_TRADES: readonly (readonly [string, string])[] = [
  ['果蔬专业合作社', '农业'],
  ['水稻种植专业合作社', '农业'],
  ['荔枝种植专业合作社', '农业'],
  ['茶叶专业合作社', '农业'],
  ['花卉种植专业合作社', '农业'],
  ['生猪养殖专业合作社', '畜牧业'],
  ['家禽养殖专业合作社', '畜牧业'],
  ['水产养殖专业合作社', '渔业'],
];

const TRADE_NAMES = ['恒达', '鑫源', '华盛', '宏图', '永盛', '金辉', '嘉利', '瑞丰', '德信', '汇通', '兴隆', '富源', '宏泰', '盛世', '联创', '粤海', '信诚', '中顺', '佳美', '新科'];
const RURAL_TRADE_NAMES = ['绿源', '丰收', '田园', '青山', '禾丰', '金穗', '绿野', '山水', '益农', '农家乐', '富民', '惠农'];

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

export interface Person {
  readonly name: string;
  readonly idNumber: string;
  readonly mobile: string;
  readonly idValidFrom: string;
  /** `YYYY-MM-DD`, or `长期` for a long-term card. */
  readonly idValidTo: string;
}

export interface FakePersonOptions {
  /** Six-digit administrative division code for the ID; random from {@link REGION_CODES} otherwise. */
  readonly region?: string;
  /** Date on which the ID card must be valid (`YYYY-MM-DD`); defaults to {@link REFERENCE_DATE}. */
  readonly asOf?: string;
}

/** Only codes an identifier may carry (GB/T 2260, kernel/regions.ts): the world holds valid numbers only. */
function assertRegion(region: string): string {
  if (!isRegionCode(region)) throw new RangeError(`region must be a six-digit administrative division code, got ${JSON.stringify(region)}`);
  return region;
}

/** 2- or 3-character zh_CN name; given-name characters lean towards the person's sex. */
export function fakeName(rng: Rng, sex: 'male' | 'female'): string {
  const surname = rng.weighted(SURNAMES);
  const pool = (sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE) + GIVEN_NEUTRAL;
  const first = rng.pick(pool);
  if (rng.chance(0.3)) return surname + first;
  let second = rng.pick(pool);
  while (second === first && !rng.chance(0.1)) second = rng.pick(pool);
  return surname + first + second;
}

const FIRST_BIRTH_DAY = dayNumber({ y: 1950, m: 1, d: 1 });
const LAST_BIRTH_DAY = dayNumber({ y: 2004, m: 12, d: 31 });

function randomBirthDate(rng: Rng): Ymd {
  return fromDayNumber(rng.int(FIRST_BIRTH_DAY, LAST_BIRTH_DAY));
}

/** Builds a valid 18-character resident ID from a region code, `YYYY-MM-DD` birth date and 0–999 sequence. */
export function buildResidentId(region: string, birthDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`buildResidentId: sequence must be 0–999, got ${sequence}`);
  }
  return residentId(assertRegion(region), parseYmd(birthDate), sequence);
}

function residentId(region: string, birth: Ymd, sequence: number): string {
  const first17 = `${region}${compactYmd(birth)}${pad(sequence, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

/** Mobile number with a real network prefix. */
export function fakeMobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.chars('0123456789', 8);
}

/**
 * ID card validity window covering `asOf`. The first adult card is issued at a random date in
 * the 20 years before `asOf` (not before the 16th birthday); expired cards are renewed on
 * their expiry date with the term for the holder's age at renewal. Start dates avoid 29 Feb.
 */
function idValidity(rng: Rng, birth: Ymd, asOf: Ymd): { from: Ymd; to: Ymd | null } {
  const earliest = Math.max(dayNumber(addYears(birth, 16)), dayNumber(addYears(asOf, -20)));
  let from = fromDayNumber(rng.int(earliest, Math.max(earliest, dayNumber(asOf))));
  if (from.m === 2 && from.d === 29) from = { y: from.y, m: 2, d: 28 };
  for (;;) {
    const term = idCardTermYears(ageOnYmd(birth, from));
    if (term === null) return { from, to: null };
    const to = addYears(from, term);
    if (compareYmd(to, asOf) >= 0) return { from, to };
    from = to;
  }
}

/** A fake adult (born 1950–2004) with a valid resident ID, mobile and current ID card validity. */
export function fakePerson(rng: Rng, opts: FakePersonOptions = {}): Person {
  const region = opts.region === undefined ? rng.pick(REGION_CODES) : assertRegion(opts.region);
  const asOf = parseYmd(opts.asOf ?? REFERENCE_DATE);
  const birth = randomBirthDate(rng);
  const sequence = rng.int(1, 999);
  const sex = sequence % 2 === 1 ? 'male' : 'female';
  const name = fakeName(rng, sex);
  const idNumber = residentId(region, birth, sequence);
  const mobile = fakeMobile(rng);
  const { from, to } = idValidity(rng, birth, asOf);
  return { name, idNumber, mobile, idValidFrom: formatYmd(from), idValidTo: to === null ? '长期' : formatYmd(to) };
}

// ---------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------

export type EnterpriseKind = 'company' | 'individual' | 'cooperative';

/** [registration authority, category] per GB 32100-2015: 9 工商 (market regulation) registers all three. */
const USCC_PREFIX: Readonly<Record<EnterpriseKind, string>> = {
  company: '91',
  individual: '92',
  // 农民专业合作社 (N3 would be a township collective economic organisation, registered by agriculture)
  cooperative: '93',
};

export interface FakeUsccOptions {
  readonly region?: string;
  readonly category?: EnterpriseKind;
}

/** Organisation code letters: USCC charset letters (so the body stays within the charset). */
const ORG_BODY_CHARS = USCC_CHARSET;

/**
 * Nine-character organisation code body: either a legacy 8-digit code or a post-2015
 * `MA`-prefixed code, followed by its GB 11714 check character.
 */
function fakeOrganisationCode(rng: Rng): string {
  const first8 = rng.chance(0.75) ? 'MA' + rng.chars(ORG_BODY_CHARS, 6) : rng.chars('0123456789', 8);
  return first8 + organisationCodeCheckChar(first8);
}

/** A valid unified social credit code. */
export function fakeUscc(rng: Rng, opts: FakeUsccOptions = {}): string {
  const region = opts.region === undefined ? rng.pick(REGION_CODES) : assertRegion(opts.region);
  const first17 = USCC_PREFIX[opts.category ?? 'company'] + region + fakeOrganisationCode(rng);
  return first17 + usccCheckChar(first17);
}

export interface Enterprise {
  readonly uscc: string;
  readonly name: string;
  readonly kind: EnterpriseKind;
  readonly status: '存续';
  /** National economic industry category. */
  readonly industry: string;
  readonly legalRepName: string;
  readonly legalRepIdNumber: string;
  /** District market regulation bureau (区局), e.g. 天河区市场监督管理局. */
  readonly district: string;
  /** Regulatory office (监管所), e.g. 天河区市场监督管理局石牌监管所. */
  readonly office: string;
}

export interface FakeEnterpriseOptions {
  readonly kind?: EnterpriseKind;
  readonly city?: EnterpriseCity;
}

function pickDistrict(rng: Rng, city: EnterpriseCity, kind: EnterpriseKind): District {
  const all = CITY_DISTRICTS[city];
  const rural = all.filter((d) => d.rural);
  return rng.pick(kind === 'cooperative' && rural.length > 0 ? rural : all);
}

function surnameOf(name: string): string {
  return Array.from(name)[0] ?? '';
}

function enterpriseName(rng: Rng, kind: EnterpriseKind, city: EnterpriseCity, district: District, legalRep: Person) {
  switch (kind) {
    case 'company': {
      const [term, industry] = rng.pick(COMPANY_TRADES);
      return { name: `${city}${district.name}${rng.pick(TRADE_NAMES)}${term}有限公司`, industry };
    }
    case 'individual': {
      const [term, industry] = rng.pick(SHOP_TRADES);
      const brand = rng.chance(0.7) ? `${surnameOf(legalRep.name)}记` : rng.pick(TRADE_NAMES);
      return { name: `${district.name}${brand}${term}`, industry };
    }
    case 'cooperative': {
      const [term, industry] = rng.pick(COOPERATIVE_TRADES);
      return { name: `${district.name}${rng.pick(RURAL_TRADE_NAMES)}${term}`, industry };
    }
  }
}

/** A fake registered market entity in Guangdong whose legal representative is `legalRep`. */
export function fakeEnterprise(rng: Rng, legalRep: Person, opts: FakeEnterpriseOptions = {}): Enterprise {
  const kind = opts.kind ?? rng.weighted<EnterpriseKind>([['company', 6], ['individual', 3], ['cooperative', 1]]);
  const city = opts.city ?? rng.weighted(CITY_WEIGHTS);
  const district = pickDistrict(rng, city, kind);
  const bureau = `${district.name}市场监督管理局`;
  const { name, industry } = enterpriseName(rng, kind, city, district, legalRep);
  return {
    uscc: fakeUscc(rng, { region: district.code, category: kind }),
    name,
    kind,
    status: '存续',
    industry,
    legalRepName: legalRep.name,
    legalRepIdNumber: legalRep.idNumber,
    district: bureau,
    office: `${bureau}${rng.pick(district.offices)}监管所`,
  };
}

// ---------------------------------------------------------------------------
// Vehicle plates
// ---------------------------------------------------------------------------

const PLATE_DIGITS = '0123456789';
/** Issuing-authority letters; Z is left out (e.g. 粤Z is the Hong Kong/Macau cross-border series). */
const PLATE_AUTHORITY_LETTERS = PLATE_LETTERS.replace('Z', '');

/** Five-character ordinary sequence: mostly digits with up to two letters. */
function ordinarySequence(rng: Rng): string {
  const chars = Array.from(rng.chars(PLATE_DIGITS, 5));
  const letters = rng.weighted([[0, 5], [1, 3], [2, 2]] as const);
  for (let i = 0; i < letters; i++) chars[rng.int(0, 4)] = rng.pick(PLATE_LETTERS);
  return chars.join('');
}

/** Small (D/F first) or large (D/F last) new-energy sequence of six characters. */
function newEnergySequence(rng: Rng): string {
  const type = rng.pick('DF');
  if (rng.chance(0.9)) {
    const second = rng.chance(0.7) ? rng.pick(PLATE_DIGITS) : rng.pick(PLATE_LETTERS);
    return type + second + rng.chars(PLATE_DIGITS, 4);
  }
  return rng.chars(PLATE_DIGITS, 5) + type;
}

/** A valid civilian plate for `province` (one of the 31 mainland abbreviations). */
export function fakePlate(rng: Rng, province = '粤'): string {
  if (Array.from(province).length !== 1 || !PLATE_PROVINCES.includes(province)) {
    throw new RangeError(`fakePlate: unknown province abbreviation ${JSON.stringify(province)}`);
  }
  const authority = rng.pick(PLATE_AUTHORITY_LETTERS);
  return province + authority + (rng.chance(0.75) ? ordinarySequence(rng) : newEnergySequence(rng));
}
