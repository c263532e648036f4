// The rules of 信用修复 as data: the four kinds (SPEC E1), what lists each subject, why it was
// listed and what cures it, the conditions and time limit of a repair, the materials and the
// files accepted. Where the guide is silent these follow 《市场监督管理信用修复管理办法》 (2021,
// in force 2021-09-01) and are marked *(assumed)* in the README; change them here.

export const KIND_CODES = ['SERIOUS', 'ABNORMAL', 'INDIVIDUAL_ABNORMAL', 'COOPERATIVE_ABNORMAL'] as const;
export type Kind = (typeof KIND_CODES)[number];
export type SubjectKind = 'company' | 'individual' | 'cooperative';

export interface Reason {
  code: string;
  label: string;
  /** What the subject must have done before it may leave the list (the cause cured). */
  cure: string;
}

export interface KindRules {
  /** The list or state (列入信息). */
  label: string;
  /** The business, as the menus name it. */
  service: string;
  /** The tile on 广州企业一网通's 信用修复 page that leads to it. */
  entry: string;
  /** The market entities it lists. */
  subjectKind: SubjectKind;
  /** Status of a record on it, and once repaired. */
  listedLabel: string;
  repairedLabel: string;
  /** The early removal needs this many whole months on the list (the serious list: one year). */
  minMonthsListed: number;
  /** Working days from receipt to the decision (the harness calendar counts them). */
  decisionDays: number;
  reasons: readonly Reason[];
  /** Decision-number words: the listing (列严/列异/标异) and the removal (移严/移异/恢复). */
  listingWord: string;
  repairWord: string;
}

const ANNUAL_REPORT_CURE = '补报未报年份的年度报告并公示';
const UNREACHABLE_CURE = '依法办理住所或者经营场所变更登记，或者提出通过登记的住所或者经营场所可以重新取得联系';

export const KINDS: Record<Kind, KindRules> = {
  SERIOUS: {
    label: '严重违法失信企业名单',
    service: '严重违法失信企业信用修复',
    entry: '严重违法失信企业信用修复',
    subjectKind: 'company',
    listedLabel: '列入',
    repairedLabel: '已移出',
    minMonthsListed: 12,
    decisionDays: 15,
    listingWord: '列严',
    repairWord: '移严',
    reasons: [
      { code: 'ABNORMAL_THREE_YEARS', label: '被列入经营异常名录届满3年仍未履行相关义务', cure: '履行公示义务并已移出经营异常名录' },
      { code: 'FRAUDULENT_REGISTRATION', label: '提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得公司登记，被撤销登记', cure: '已履行行政处罚决定中规定的义务，主动消除危害后果和不良影响' },
      { code: 'FOOD_SAFETY', label: '因严重违反食品安全法律、行政法规受到较重行政处罚', cure: '已履行行政处罚决定中规定的义务，主动消除危害后果和不良影响' },
      { code: 'PRODUCT_QUALITY', label: '因生产、销售不符合保障人体健康和人身、财产安全的国家标准的产品受到较重行政处罚', cure: '已履行行政处罚决定中规定的义务，主动消除危害后果和不良影响' },
    ],
  },
  ABNORMAL: {
    label: '企业经营异常名录',
    service: '企业经营异常名录信用修复',
    entry: '企业、农专社经营异常名录信用修复',
    subjectKind: 'company',
    listedLabel: '列入',
    repairedLabel: '已移出',
    minMonthsListed: 0,
    decisionDays: 5,
    listingWord: '列异',
    repairWord: '移异',
    reasons: [
      { code: 'ANNUAL_REPORT', label: '未按规定期限公示年度报告', cure: ANNUAL_REPORT_CURE },
      { code: 'UNREACHABLE', label: '通过登记的住所或者经营场所无法联系', cure: UNREACHABLE_CURE },
      { code: 'ORDERED_DISCLOSURE', label: '未在市场监督管理部门依照规定责令的期限内公示有关企业信息', cure: '公示市场监督管理部门责令公示的企业信息' },
      { code: 'FALSE_DISCLOSURE', label: '公示企业信息隐瞒真实情况、弄虚作假', cure: '更正其公示的企业信息' },
    ],
  },
  INDIVIDUAL_ABNORMAL: {
    label: '个体工商户经营异常状态',
    service: '个体工商户经营异常状态信用修复',
    entry: '个体工商户经营异常状态信用修复',
    subjectKind: 'individual',
    listedLabel: '标记为经营异常状态',
    repairedLabel: '已恢复正常记载状态',
    minMonthsListed: 0,
    decisionDays: 5,
    listingWord: '标异',
    repairWord: '恢复',
    reasons: [
      { code: 'ANNUAL_REPORT', label: '未按规定报送年度报告', cure: '补报未报年份的年度报告并公示' },
      { code: 'UNREACHABLE', label: '通过登记的经营场所无法联系', cure: '依法办理经营场所变更登记，或者提出通过登记的经营场所可以重新取得联系' },
    ],
  },
  COOPERATIVE_ABNORMAL: {
    label: '农专社经营异常名录',
    service: '农专社经营异常名录信用修复',
    entry: '企业、农专社经营异常名录信用修复',
    subjectKind: 'cooperative',
    listedLabel: '列入',
    repairedLabel: '已移出',
    minMonthsListed: 0,
    decisionDays: 5,
    listingWord: '列异',
    repairWord: '移异',
    reasons: [
      { code: 'ANNUAL_REPORT', label: '未按规定期限公示年度报告', cure: ANNUAL_REPORT_CURE },
      { code: 'UNREACHABLE', label: '通过登记的住所或者经营场所无法联系', cure: UNREACHABLE_CURE },
    ],
  },
};

export const SUBJECT_KIND_LABEL: Record<SubjectKind, string> = { company: '企业', individual: '个体工商户', cooperative: '农民专业合作社' };

export const reasonOf = (kind: Kind, codeOrLabel: string): Reason | undefined => KINDS[kind].reasons.find((r) => r.code === codeOrLabel || r.label === codeOrLabel);

/** Every reason code of every kind (a search field's choices). */
export const REASON_CODES = [...new Set(KIND_CODES.flatMap((k) => KINDS[k].reasons.map((r) => r.code)))] as [string, ...string[]];

// Materials ------------------------------------------------------------------------------------

export const MATERIAL_TYPES = {
  APPLICATION_FORM: '信用修复申请书',
  PLEDGE: '守信承诺书',
  CORRECTION_PROOF: '履行法定义务、纠正违法行为的相关材料',
  OTHER: '其他材料',
} as const;
export type MaterialType = keyof typeof MATERIAL_TYPES;

/** 办法 第十条: 申请书, 守信承诺书 and proof of the obligations fulfilled, for every kind. */
export const REQUIRED_MATERIALS: readonly MaterialType[] = ['APPLICATION_FORM', 'PLEDGE', 'CORRECTION_PROOF'];

/** Files accepted, recognised by their first bytes (not by their name). */
export const FILE_TYPES = [
  { contentType: 'application/pdf', label: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { contentType: 'image/jpeg', label: 'JPG', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'image/png', label: 'PNG', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
] as const;
export type ContentType = (typeof FILE_TYPES)[number]['contentType'];
/** One file at most this big (a request body holds at most 1 MB of JSON, the file base64-encoded). */
export const MAX_FILE_BYTES = 512 * 1024;
export const MAX_FILES = 10;

export const fileTypeOf = (bytes: Uint8Array) => FILE_TYPES.find((t) => t.magic.every((b, i) => bytes[i] === b));

// Case states and roles ------------------------------------------------------------------------

export const ROLE_LABEL = { HANDLER: '经办人', REVIEWER: '审核人员', APPROVER: '审批人员' } as const;
export type Role = keyof typeof ROLE_LABEL;
export const ROLES = Object.keys(ROLE_LABEL) as Role[];

export const ORIGIN_LABEL = { APPLICANT: '移动端申请', OFFICE: '审批端直接受理' } as const;
export type Origin = keyof typeof ORIGIN_LABEL;
