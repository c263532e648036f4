// 广州's market-regulation offices, as data: each district bureau (区局) and its supervision
// offices (监管所), named as the registry names an enterprise's office in charge
// (天河区市场监督管理局石牌监管所), so a seeded enterprise's office is one of these.
// Codes: the district's division code for a bureau, '<district>-<nn>' for its supervision offices.

export interface OfficeData {
  code: string;
  name: string;
  /** The bureau's code (a bureau's own code for a bureau). */
  bureau: string;
  kind: 'BUREAU' | 'STATION';
}

const DISTRICTS: readonly { code: string; name: string; short: string; stations: readonly string[] }[] = [
  { code: '440103', name: '荔湾区', short: '荔', stations: ['沙面', '逢源', '多宝', '华林', '龙津', '彩虹', '冲口', '中南'] },
  { code: '440104', name: '越秀区', short: '越', stations: ['北京', '东山', '农林', '大东', '白云', '华乐', '建设', '登峰'] },
  { code: '440105', name: '海珠区', short: '海', stations: ['赤岗', '新港', '滨江', '江南中', '昌岗', '南华西', '琶洲', '官洲'] },
  { code: '440106', name: '天河区', short: '天', stations: ['石牌', '五山', '林和', '沙河', '天河南', '猎德', '员村', '车陂', '棠下', '珠吉'] },
  { code: '440111', name: '白云区', short: '云', stations: ['三元里', '京溪', '同和', '嘉禾', '石井', '太和', '人和', '江高'] },
  { code: '440112', name: '黄埔区', short: '埔', stations: ['黄埔', '红山', '夏港', '萝岗', '联和', '永和', '九佛', '新龙'] },
  { code: '440113', name: '番禺区', short: '番', stations: ['市桥', '大石', '洛浦', '南村', '石楼', '化龙', '沙湾', '钟村'] },
  { code: '440114', name: '花都区', short: '花', stations: ['新华', '新雅', '秀全', '花城', '狮岭', '炭步', '赤坭', '花山'] },
  { code: '440115', name: '南沙区', short: '南', stations: ['南沙', '珠江', '龙穴', '黄阁', '横沥', '万顷沙', '东涌', '榄核'] },
  { code: '440117', name: '从化区', short: '从', stations: ['街口', '江埔', '城郊', '温泉', '良口', '吕田', '太平', '鳌头'] },
  { code: '440118', name: '增城区', short: '增', stations: ['荔城', '增江', '朱村', '永宁', '新塘', '石滩', '中新', '派潭'] },
];

const BUREAU = '市场监督管理局';

export const OFFICES: readonly OfficeData[] = DISTRICTS.flatMap((d) => [
  { code: d.code, name: `${d.name}${BUREAU}`, bureau: d.code, kind: 'BUREAU' as const },
  ...d.stations.map((s, i) => ({ code: `${d.code}-${String(i + 1).padStart(2, '0')}`, name: `${d.name}${BUREAU}${s}监管所`, bureau: d.code, kind: 'STATION' as const })),
]);

export const STATIONS = OFFICES.filter((o) => o.kind === 'STATION');

const byName = new Map(OFFICES.map((o) => [o.name, o]));
const byCode = new Map(OFFICES.map((o) => [o.code, o]));

/** An office by its name or code. */
export const officeOf = (nameOrCode: string): OfficeData | undefined => byName.get(nameOrCode) ?? byCode.get(nameOrCode);

/** The district's division code of an office (for the region part of a seeded credit code). */
export const districtCodeOf = (office: OfficeData) => office.bureau;

/** The bureau's one-character abbreviation in decision numbers: 穗天市监… */
export const bureauShort = (bureau: string) => DISTRICTS.find((d) => d.code === bureau)?.short ?? '';
