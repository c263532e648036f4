// What the apps show of an application, and the schemas that describe it in OpenAPI: the form
// with its labels, the appointment with every proposal, the inspection (checklist, signatures,
// each side's video line), the 问题汇总 and the licence issued.
import { shanghaiTime } from '../../kernel/clock.js';
import type { RunContext } from '../../kernel/http.js';
import { z } from '../../kernel/zod.js';
import { videoOf, type Deps } from './common.js';
import {
  AFFILIATIONS,
  APPLICATION_TYPES,
  AUTHORITIES,
  BUSINESS_MODES,
  CHECKLIST_RESULTS,
  GOODS_SCOPES,
  INSPECTION_METHODS,
  QUALIFICATIONS,
} from './rules.js';
import * as store from './store.js';
import { nextMoves, statusView, type Status } from './workflow.js';

const Labelled = z.strictObject({ code: z.string(), label: z.string() }).openapi('Labelled');
/** A component or null: zod-to-openapi documents a component's .nullable() through the component itself, which refuses null. */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
const labelled = <C extends string>(labels: Record<C, string>, code: string | null) => (code === null ? null : { code, label: labels[code as C] ?? code });
const time = (at: Date | string | null) => (at === null ? null : shanghaiTime(new Date(at)));

const PROPOSED_BY = { AUTHORITY: '审核机关', ENTERPRISE: '企业' } as const;
const PROPOSAL_OUTCOMES = { PENDING: '待确认', CONFIRMED: '已确认', SUPERSEDED: '已更改', CANCELLED: '已取消' } as const;
const CHANNELS = { WEB: '网页端', APP: 'APP端' } as const;
const INSPECTION_STATUSES = { IN_PROGRESS: '核查进行中', PASSED: '核查通过', PROBLEMS: '存在不符合项', UNFINISHED: '核查未完成' } as const;
const PROBLEM_STATUSES = { OPEN: '未整改', RECTIFIED: '已整改' } as const;
const LINES = { NOT_JOINED: '未接入', JOINED: '通话中', LEFT: '已挂断', DROPPED: '视频通话已中断', UNKNOWN: '视频状态未知' } as const;

export const StaffView = z
  .strictObject({ staffId: z.string(), name: z.string(), certificateNo: z.string(), unitType: z.string(), qualification: Labelled, assessedOn: z.string() })
  .openapi('LicensingStaff');
export const FilingView = z.strictObject({ number: z.string(), filingType: z.string(), authority: z.string(), filedOn: z.string() }).openapi('EmergencyPlanFiling');
export const LicenceView = z.strictObject({ number: z.string(), validFrom: z.string(), validTo: z.string() }).openapi('HazchemLicence');
const FileView = z.strictObject({ fileId: z.string(), mimeType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), uploadedBy: z.string(), channel: Labelled, uploadedAt: z.string() }).openapi('LicensingFile');
const ProposalView = z
  .strictObject({ seq: z.number().int(), at: z.string(), proposedBy: Labelled, channel: orNull(Labelled), proposer: z.string(), proposedAt: z.string(), outcome: Labelled, decidedBy: z.string().nullable(), decidedChannel: orNull(Labelled), decidedAt: z.string().nullable() })
  .openapi('AppointmentProposal');
const ItemView = z.strictObject({ code: z.string(), label: z.string(), result: orNull(Labelled), note: z.string().nullable(), recordedBy: z.string().nullable(), recordedAt: z.string().nullable() }).openapi('ChecklistItem');
const ProblemView = z
  .strictObject({ problemId: z.string(), item: z.string(), finding: z.string(), status: Labelled, note: z.string().nullable(), rectifiedBy: z.string().nullable(), channel: orNull(Labelled), rectifiedAt: z.string().nullable(), photos: z.array(FileView) })
  .openapi('InspectionProblem');
const InspectionView = z
  .strictObject({
    method: Labelled,
    status: Labelled,
    appointmentAt: z.string().nullable(),
    officer: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    note: z.string().nullable(),
    commitmentSignature: orNull(FileView),
    handlerPhoto: orNull(FileView),
    rectificationSignature: orNull(FileView),
    video: z.strictObject({ enterprise: Labelled, officer: Labelled }).nullable().openapi({ description: 'Each side’s line while the inspection runs' }),
    checklist: z.array(ItemView),
  })
  .openapi('Inspection');

const summaryFields = {
  applicationId: z.string(),
  number: z.string(),
  enterprise: z.strictObject({ name: z.string(), uscc: z.string() }),
  status: Labelled,
  version: z.number().int(),
  applicationType: orNull(Labelled),
  inspectionMethod: orNull(Labelled),
  authority: orNull(Labelled),
  appointmentAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
};

export const ApplicationSummary = z.strictObject(summaryFields).openapi('HazchemApplicationSummary');

// The summary's fields and more, not the summary extended: that is documented as allOf with the summary, whose closed object refuses the rest.
export const ApplicationView = z.strictObject({
  ...summaryFields,
  readOnly: z.boolean(),
  affiliation: orNull(Labelled),
  personnel: z.array(StaffView),
  emergencyPlan: orNull(FilingView),
  goodsScope: z.array(Labelled),
  businessModes: z.array(Labelled),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  next: z.array(z.string()).openapi({ description: 'Moves of the workflow that leave from the current status' }),
  appointment: z.strictObject({ at: z.string().nullable(), proposals: z.array(ProposalView) }),
  inspection: orNull(InspectionView),
  problems: z.array(ProblemView).openapi({ description: '问题汇总 of the latest inspection' }),
  licence: orNull(LicenceView).openapi({ description: 'The licence issued for this application' }),
}).openapi('HazchemApplication');

export type ApplicationViewT = z.infer<typeof ApplicationView>;

export const staffView = (s: store.Staff | store.PersonnelEntry) => ({
  staffId: 'staffId' in s ? s.staffId : s.id,
  name: s.name,
  certificateNo: s.certificateNo,
  unitType: s.unitType,
  qualification: labelled(QUALIFICATIONS, s.qualification)!,
  assessedOn: s.assessedOn,
});
export const filingView = (f: store.Filing) => ({ number: f.number, filingType: f.filingType, authority: f.authority, filedOn: f.filedOn });
export const licenceView = (l: Pick<store.Licence, 'number' | 'validFrom' | 'validTo'>) => ({ number: l.number, validFrom: l.validFrom, validTo: l.validTo });

export function summaryView(a: store.Application) {
  return {
    applicationId: a.id,
    number: a.number,
    enterprise: { name: a.enterpriseName, uscc: a.uscc },
    status: statusView(a.status),
    version: a.version,
    applicationType: labelled(APPLICATION_TYPES, a.applicationType),
    inspectionMethod: labelled(INSPECTION_METHODS, a.inspectionMethod),
    authority: labelled(AUTHORITIES, a.authority),
    appointmentAt: time(a.appointmentAt),
    submittedAt: time(a.submittedAt),
  };
}

const fileView = (f: store.FileMeta) => ({ fileId: f.id, mimeType: f.mimeType, sizeBytes: f.sizeBytes, sha256: f.sha256, uploadedBy: f.uploadedBy, channel: labelled(CHANNELS, f.channel)!, uploadedAt: time(f.uploadedAt)! });

/** Each side's line in the room, as the provider has it now (unknown when it cannot be asked). */
async function lines(deps: Deps, ctx: RunContext, a: store.Application, i: store.Inspection) {
  const line = (code: keyof typeof LINES) => ({ code, label: LINES[code] });
  if (!i.roomId || i.status !== 'IN_PROGRESS') return null;
  const officer = await store.officerById(deps.db, ctx.run, i.officerId);
  try {
    const room = await videoOf(deps).room(ctx, i.roomId);
    const of = (id: string | undefined) => line(room.participants.find((p) => p.id === id?.toUpperCase())?.status ?? 'NOT_JOINED');
    return { enterprise: of(a.legalRepIdNumber), officer: of(officer?.idNumber) };
  } catch {
    return { enterprise: line('UNKNOWN'), officer: line('UNKNOWN') };
  }
}

/** The whole application as its page shows it. */
export async function applicationView(deps: Deps, ctx: RunContext, a: store.Application): Promise<ApplicationViewT> {
  const [proposals, inspection, licence] = await Promise.all([
    store.proposalsOf(deps.db, ctx.run, a.id),
    store.latestInspection(deps.db, ctx.run, a.id),
    store.licenceIssuedFor(deps.db, ctx.run, a.id),
  ]);
  const problems = inspection ? await store.problemsOf(deps.db, ctx.run, inspection.id) : [];
  const once = (kind: store.FileKind) => inspection?.files.find((f) => f.kind === kind);
  const signedOnce = (kind: store.FileKind) => {
    const f = once(kind);
    return f ? fileView(f) : null;
  };
  return {
    ...summaryView(a),
    readOnly: a.status !== 'DRAFT',
    affiliation: labelled(AFFILIATIONS, a.affiliation),
    personnel: a.personnel.map(staffView),
    emergencyPlan: a.emergencyPlan && filingView(a.emergencyPlan),
    goodsScope: a.goodsScope.map((c) => labelled(GOODS_SCOPES, c)!),
    businessModes: a.businessModes.map((c) => labelled(BUSINESS_MODES, c)!),
    createdBy: a.createdBy,
    createdAt: time(a.createdAt)!,
    updatedAt: time(a.updatedAt)!,
    next: nextMoves(a.status as Status),
    appointment: {
      at: time(a.appointmentAt),
      proposals: proposals.map((p) => ({
        seq: p.seq,
        at: time(p.at)!,
        proposedBy: labelled(PROPOSED_BY, p.proposedBy)!,
        channel: labelled(CHANNELS, p.channel),
        proposer: p.proposerName,
        proposedAt: time(p.proposedAt)!,
        outcome: labelled(PROPOSAL_OUTCOMES, p.outcome)!,
        decidedBy: p.decidedBy,
        decidedChannel: labelled(CHANNELS, p.decidedChannel),
        decidedAt: time(p.decidedAt),
      })),
    },
    inspection: inspection ? {
      method: labelled(INSPECTION_METHODS, inspection.method)!,
      status: labelled(INSPECTION_STATUSES, inspection.status)!,
      appointmentAt: time(inspection.appointmentAt),
      officer: inspection.officerName,
      startedAt: time(inspection.startedAt)!,
      endedAt: time(inspection.endedAt),
      note: inspection.note,
      commitmentSignature: signedOnce('COMMITMENT_SIGNATURE'),
      handlerPhoto: signedOnce('HANDLER_PHOTO'),
      rectificationSignature: signedOnce('RECTIFICATION_SIGNATURE'),
      video: await lines(deps, ctx, a, inspection),
      checklist: inspection.checklist.map((c) => ({ code: c.code, label: c.label, result: labelled(CHECKLIST_RESULTS, c.result), note: c.note, recordedBy: c.recordedBy, recordedAt: time(c.recordedAt) })),
    } : null,
    problems: problems.map((p) => ({
      problemId: p.id,
      item: p.label,
      finding: p.finding,
      status: labelled(PROBLEM_STATUSES, p.status)!,
      note: p.rectificationNote,
      rectifiedBy: p.rectifiedBy,
      channel: labelled(CHANNELS, p.rectifiedChannel),
      rectifiedAt: time(p.rectifiedAt),
      photos: (inspection?.files ?? []).filter((f) => f.problemId === p.id).map(fileView),
    })),
    licence: licence ? licenceView(licence) : null,
  };
}
