// What the two apps show of 信用修复, as zod schemas (the OpenAPI responses) and the functions that
// build them from rows: listing records, applications with their materials, the approval form
// read from the log, to-do rows, progress.
import { shanghaiTime } from '../../kernel/clock.js';
import { z } from '../../kernel/zod.js';
import { KINDS, MATERIAL_TYPES, ORIGIN_LABEL, REQUIRED_MATERIALS, SUBJECT_KIND_LABEL, type Kind } from './rules.js';
import type * as store from './store.js';
import { EVENT_LABEL, OPEN_STATES, PARTY_LABEL, STATE_LABEL, STEP_LABEL, type Event, type State } from './workflow.js';

const Coded = z.strictObject({ code: z.string(), label: z.string() });
const Office = z.strictObject({ code: z.string(), name: z.string() });
const Day = z.string().openapi({ example: '2026-11-23', description: "'YYYY-MM-DD'" });
const Time = z.string().openapi({ example: '2026-11-23 09:00:00', description: 'Shanghai local time' });

const kindOf = (kind: Kind) => ({ code: kind, label: KINDS[kind].label });
const stateOf = (state: State) => ({ code: state, label: STATE_LABEL[state] });

export const RecordView = z
  .object({
    recordId: z.string(),
    kind: Coded,
    subject: z.strictObject({ name: z.string(), uscc: z.string(), registrationNo: z.string() }),
    reason: Coded,
    listedOn: Day,
    decisionNo: z.string().openapi({ description: '列入决定书文号' }),
    office: Office.openapi({ description: '列入机关' }),
    status: Coded.openapi({ description: 'LISTED (列入 / 标记为经营异常状态) or REPAIRED (已移出 / 已恢复正常记载状态)' }),
    repairedOn: Day.nullable(),
    repairDecisionNo: z.string().nullable(),
    inCase: z.boolean().openapi({ description: 'Held by a case under way: it cannot be applied for again' }),
    acceptanceNo: z.string().nullable().openapi({ description: 'The 受理编号 of the case that holds it' }),
  })
  .openapi('CreditRecord');

export function recordView(r: store.RecordRow): z.infer<typeof RecordView> {
  const rules = KINDS[r.kind];
  return {
    recordId: r.id,
    kind: kindOf(r.kind),
    subject: { name: r.subjectName, uscc: r.uscc, registrationNo: r.registrationNo },
    reason: { code: r.reason, label: rules.reasons.find((x) => x.code === r.reason)?.label ?? r.reason },
    listedOn: r.listedOn,
    decisionNo: r.decisionNo,
    office: { code: r.office, name: r.officeName },
    status: { code: r.status, label: r.status === 'LISTED' ? rules.listedLabel : rules.repairedLabel },
    repairedOn: r.repairedOn,
    repairDecisionNo: r.repairDecisionNo,
    inCase: r.heldBy !== null,
    acceptanceNo: r.heldBy,
  };
}

export const MaterialView = z
  .object({ materialId: z.string(), type: Coded, fileName: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), uploadedAt: Time })
  .openapi('CreditMaterial');

export const materialView = (m: store.MaterialRow): z.infer<typeof MaterialView> => ({
  materialId: m.id,
  type: { code: m.materialType, label: MATERIAL_TYPES[m.materialType] },
  fileName: m.fileName,
  contentType: m.contentType,
  size: m.size,
  sha256: m.sha256,
  uploadedAt: shanghaiTime(m.uploadedAt),
});

export const MaterialFile = MaterialView.extend({ content: z.string().openapi({ description: 'The file, base64' }) }).openapi('CreditMaterialFile');

const Subject = z.strictObject({ name: z.string(), uscc: z.string(), registrationNo: z.string(), kind: Coded });

export const ApplicationView = z
  .object({
    caseId: z.string(),
    version: z.number().int().openapi({ description: 'Send it back with the next action (optimistic locking)' }),
    acceptanceNo: z.string().nullable().openapi({ description: '受理编号, once submitted' }),
    state: Coded,
    kind: Coded,
    subject: Subject,
    records: z.array(RecordView),
    materials: z.array(MaterialView),
    requiredMaterials: z.array(Coded.extend({ uploaded: z.boolean() })),
    receivedOn: Day.nullable(),
    dueOn: Day.nullable().openapi({ description: 'Decided by this day (working days on the harness calendar)' }),
  })
  .openapi('CreditApplication');

const subjectOf = (c: store.CaseRow) => ({
  name: c.subjectName,
  uscc: c.uscc,
  registrationNo: c.registrationNo,
  kind: { code: KINDS[c.kind].subjectKind, label: SUBJECT_KIND_LABEL[KINDS[c.kind].subjectKind] },
});

export function applicationView(c: store.CaseRow, records: store.RecordRow[], materials: store.MaterialRow[]): z.infer<typeof ApplicationView> {
  const have = new Set(materials.map((m) => m.materialType));
  return {
    caseId: c.id,
    version: c.version,
    acceptanceNo: c.acceptanceNo,
    state: stateOf(c.state),
    kind: kindOf(c.kind),
    subject: subjectOf(c),
    records: records.map(recordView),
    materials: materials.map(materialView),
    requiredMaterials: REQUIRED_MATERIALS.map((code) => ({ code, label: MATERIAL_TYPES[code], uploaded: have.has(code) })),
    receivedOn: c.receivedOn,
    dueOn: c.dueOn,
  };
}

export const Moved = z
  .object({ caseId: z.string(), acceptanceNo: z.string().nullable(), version: z.number().int(), state: Coded, office: Office, dueOn: Day.nullable() })
  .openapi('CreditCaseMoved');

export const movedView = (c: store.CaseRow): z.infer<typeof Moved> => ({
  caseId: c.id,
  acceptanceNo: c.acceptanceNo,
  version: c.version,
  state: stateOf(c.state),
  office: { code: c.office, name: c.officeName },
  dueOn: c.dueOn,
});

export const LogEntry = z
  .object({
    seq: z.number().int(),
    event: Coded,
    from: Coded,
    to: Coded,
    step: Coded,
    party: Coded,
    by: z.string(),
    office: Office.nullable(),
    toOffice: Office.nullable(),
    opinion: z.string().nullable(),
    reason: z.string().nullable(),
    at: Time,
  })
  .openapi('CreditTransition');

export const logEntry = (t: store.TransitionRow): z.infer<typeof LogEntry> => ({
  seq: t.seq,
  event: { code: t.event, label: EVENT_LABEL[t.event] },
  from: stateOf(t.from),
  to: stateOf(t.to),
  step: { code: t.step, label: STEP_LABEL[t.step] },
  party: { code: t.party, label: PARTY_LABEL[t.party] },
  by: t.actorName,
  office: t.office ? { code: t.office, name: t.officeName! } : null,
  toOffice: t.toOffice ? { code: t.toOffice, name: t.toOfficeName! } : null,
  opinion: t.opinion,
  reason: t.reason,
  at: shanghaiTime(t.at),
});

export const CaseView = z
  .object({
    caseId: z.string(),
    acceptanceNo: z.string().nullable(),
    version: z.number().int().openapi({ description: 'Send it back with the next action (optimistic locking)' }),
    state: Coded,
    kind: Coded,
    origin: Coded,
    office: Office.openapi({ description: 'The office handling it now' }),
    receivedOn: Day.nullable(),
    dueOn: Day.nullable(),
    overdue: z.boolean(),
    application: z
      .object({
        subject: Subject.extend({ legalRepName: z.string().nullable() }),
        applicant: z.strictObject({ name: z.string(), idNumber: z.string(), mobile: z.string() }).nullable(),
        records: z.array(RecordView),
        materials: z.array(MaterialView),
      })
      .openapi({ description: 'Tab 信用修复申请信息' }),
    approvalForm: z
      .object({
        entries: z.array(LogEntry),
        transfers: z.array(z.strictObject({ from: Office, to: Office, reason: z.string(), by: z.string(), at: Time })),
      })
      .openapi({ description: 'Tab 信用修复审批表: every step taken, the transfers among them' }),
    actions: z.array(Coded).openapi({ description: 'What the caller may do now' }),
  })
  .openapi('CreditCase');

export function caseView(
  c: store.CaseRow,
  parts: { records: store.RecordRow[]; materials: store.MaterialRow[]; log: store.TransitionRow[]; legalRepName: string | null; actions: Event[]; today: string },
): z.infer<typeof CaseView> {
  const entries = parts.log.filter((t) => t.event !== 'START');
  return {
    caseId: c.id,
    acceptanceNo: c.acceptanceNo,
    version: c.version,
    state: stateOf(c.state),
    kind: kindOf(c.kind),
    origin: { code: c.origin, label: ORIGIN_LABEL[c.origin] },
    office: { code: c.office, name: c.officeName },
    receivedOn: c.receivedOn,
    dueOn: c.dueOn,
    overdue: isOverdue(c, parts.today),
    application: {
      subject: { ...subjectOf(c), legalRepName: parts.legalRepName },
      applicant: c.applicantMobile ? { name: c.verifiedName!, idNumber: c.verifiedIdNumber!, mobile: c.applicantMobile } : null,
      records: parts.records.map(recordView),
      materials: parts.materials.map(materialView),
    },
    approvalForm: {
      entries: entries.map(logEntry),
      transfers: entries
        .filter((t) => t.event === 'TRANSFER')
        .map((t) => ({ from: { code: t.office!, name: t.officeName! }, to: { code: t.toOffice!, name: t.toOfficeName! }, reason: t.reason!, by: t.actorName, at: shanghaiTime(t.at) })),
    },
    actions: parts.actions.map((e) => ({ code: e, label: EVENT_LABEL[e] })),
  };
}

export const TodoItem = z
  .object({
    caseId: z.string(),
    acceptanceNo: z.string(),
    version: z.number().int(),
    kind: Coded,
    subject: z.strictObject({ name: z.string(), uscc: z.string(), registrationNo: z.string() }),
    state: Coded,
    origin: Coded,
    receivedOn: Day,
    dueOn: Day,
    overdue: z.boolean().openapi({ description: '已超期: not decided within the time limit' }),
    overdueSince: Day.nullable().openapi({ description: 'The day the overdue job flagged it' }),
  })
  .openapi('CreditTodoItem');

/** Past its time limit and not decided: flagged by the overdue job, or its deadline passed today already. */
export const isOverdue = (c: store.CaseRow, today: string) => c.overdueSince !== null || (OPEN_STATES.includes(c.state) && c.dueOn !== null && c.dueOn < today);

export const todoItem = (c: store.CaseRow, today: string): z.infer<typeof TodoItem> => ({
  caseId: c.id,
  acceptanceNo: c.acceptanceNo!,
  version: c.version,
  kind: kindOf(c.kind),
  subject: { name: c.subjectName, uscc: c.uscc, registrationNo: c.registrationNo },
  state: stateOf(c.state),
  origin: { code: c.origin, label: ORIGIN_LABEL[c.origin] },
  receivedOn: c.receivedOn!,
  dueOn: c.dueOn!,
  overdue: isOverdue(c, today),
  overdueSince: c.overdueSince,
});

export const paged = <T extends z.ZodType>(item: T, name: string) =>
  z.strictObject({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(item) }).openapi(name);

export const ProgressItem = z
  .object({
    acceptanceNo: z.string(),
    service: z.string(),
    kind: Coded,
    subject: z.strictObject({ name: z.string(), uscc: z.string() }),
    receivedOn: Day,
    dueOn: Day,
    status: Coded,
    refusal: z.strictObject({ step: Coded, reason: z.string() }).nullable().openapi({ description: 'When refused: at which step, and why' }),
    repairedOn: Day.nullable(),
  })
  .openapi('CreditProgressItem');

export const progressItem = (p: store.ProgressRow): z.infer<typeof ProgressItem> => ({
  acceptanceNo: p.acceptanceNo!,
  service: KINDS[p.kind].service,
  kind: kindOf(p.kind),
  subject: { name: p.subjectName, uscc: p.uscc },
  receivedOn: p.receivedOn!,
  dueOn: p.dueOn!,
  status: stateOf(p.state),
  refusal: p.refusedAt ? { step: { code: p.refusedAt, label: STEP_LABEL[p.refusedAt] }, reason: p.refusalReason ?? '' } : null,
  repairedOn: p.repairedOn,
});
