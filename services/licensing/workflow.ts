// The application's workflow as one typed table: every status with the label the apps show, and
// every move with the statuses it leaves from and the one it reaches. The store applies a move in
// one guarded statement (status and version both as the caller last saw them), so of two people
// acting on the same version one wins and the other is told to reload (409).
export const STATUSES = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  AWAITING_ENTERPRISE: '待企业确认',
  AWAITING_AUTHORITY: '待政府确认',
  CONFIRMED: '待核查',
  IN_PROGRESS: '核查进行中',
  PASSED: '核查通过',
  RECTIFYING: '企业修复中',
  RECTIFIED: '整改完成',
  APPROVED: '已发证',
} as const;
export type Status = keyof typeof STATUSES;

interface Move {
  from: readonly Status[];
  to: Status;
  /** What the app says when the application is not in a status this move leaves from. */
  refusal: string;
}

export const MOVES = {
  /** F1 保存: a draft's fields replaced. */
  edit: { from: ['DRAFT'], to: 'DRAFT', refusal: '已提交的申报不能修改' },
  /** F1 确认提交 */
  submit: { from: ['DRAFT'], to: 'SUBMITTED', refusal: '该申报已提交' },
  /** F2 现场核查: recorded, the application moves on. */
  recordOnSite: { from: ['SUBMITTED'], to: 'PASSED', refusal: '当前状态不能登记现场核查' },
  /** F3 the authority proposes a time (first, or instead of the enterprise's). */
  propose: { from: ['SUBMITTED', 'AWAITING_AUTHORITY'], to: 'AWAITING_ENTERPRISE', refusal: '当前状态不能预约核查时间' },
  /** F3 [确认] by the enterprise (web or app). */
  enterpriseConfirms: { from: ['AWAITING_ENTERPRISE'], to: 'CONFIRMED', refusal: '当前没有待企业确认的核查时间' },
  /** F3 [更改时间] by the enterprise: the authority must confirm again. */
  enterpriseChanges: { from: ['AWAITING_ENTERPRISE'], to: 'AWAITING_AUTHORITY', refusal: '当前没有待企业确认的核查时间' },
  /** F3 the authority confirms the enterprise's time. */
  authorityConfirms: { from: ['AWAITING_AUTHORITY'], to: 'CONFIRMED', refusal: '当前没有待政府确认的核查时间' },
  /** F5 the authority starts the inspection: 核查进行中. */
  start: { from: ['CONFIRMED'], to: 'IN_PROGRESS', refusal: '核查时间尚未确认' },
  /** F6 every item 符合: the application moves on. */
  pass: { from: ['IN_PROGRESS'], to: 'PASSED', refusal: '核查未在进行中' },
  /** F6 some item 不符合: 企业修复中 with the 问题汇总. */
  findProblems: { from: ['IN_PROGRESS'], to: 'RECTIFYING', refusal: '核查未在进行中' },
  /** A call that could not be finished: back to be appointed again. */
  notFinished: { from: ['IN_PROGRESS'], to: 'SUBMITTED', refusal: '核查未在进行中' },
  /** F7 the last problem's rectification submitted: the cloud inspection ends. */
  rectified: { from: ['RECTIFYING'], to: 'RECTIFIED', refusal: '当前没有待整改的问题' },
  /** The next step after the inspection: the licence is issued. */
  approve: { from: ['PASSED', 'RECTIFIED'], to: 'APPROVED', refusal: '核查尚未通过或整改尚未完成' },
} as const satisfies Record<string, Move>;
export type MoveName = keyof typeof MOVES;

export const statusView = (status: Status) => ({ code: status, label: STATUSES[status] });

/** The moves that leave from a status: what the apps offer next. */
export const nextMoves = (status: Status): MoveName[] => (Object.keys(MOVES) as MoveName[]).filter((name) => (MOVES[name].from as readonly Status[]).includes(status));
