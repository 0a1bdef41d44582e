/**
 * Contract methods for the debrief and post-exercise reporting: the debrief
 * metrics, report exports, the improvement plan and trends across sessions.
 * Spread into `methods` in ./contract.ts.
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { z } from 'zod';
import { method } from './method.ts';
import { ImprovementItemSchema, ImprovementStatusSchema, IsoDateSchema } from '../core/debrief/improvement.ts';
import { DebriefSchema } from '../core/debrief/model.ts';
import { TrendsSchema } from '../core/debrief/trends.ts';
import { AfterActionReportSchema } from '../core/report/aar.ts';
import { ExportFormatSchema, ExportManifestSchema } from '../core/report/export.ts';
import { MAX_ALTERNATIVES, WhatIfRequestSchema, WhatIfSchema } from '../core/report/what-if-model.ts';
import { ImprovementEntrySchema } from '../core/report/improvement-list.ts';
import { SessionRef } from './sessions.ts';

const SessionId = z.string().min(1).max(64);
const TeamName = z.string().trim().min(1).max(200);
const ItemId = z.string().min(1).max(64);
const Text = (max: number) => z.string().trim().max(max);

/**
 * What-if replays to list in the report as "alternatives discussed"; when
 * omitted, those the facilitator listed for the session (`reports.listAlternative`).
 */
const Alternatives = z.array(WhatIfRequestSchema).max(MAX_ALTERNATIVES).optional();

/** The replays listed for a session's report. */
const AlternativesResult = z.object({ alternatives: z.array(WhatIfRequestSchema) });

export const ExportInput = z.strictObject({
  sessionId: SessionId,
  format: ExportFormatSchema,
  /** Replace participants' names with "Participant A", "Participant B", … */
  pseudonymise: z.boolean().default(false),
  /** For the report (md, html): what-if replays to list as alternatives discussed. */
  alternatives: Alternatives,
});

export const AarInput = z.strictObject({
  sessionId: SessionId,
  pseudonymise: z.boolean().default(false),
  alternatives: Alternatives,
});

export const WhatIfInput = WhatIfRequestSchema.extend({ sessionId: SessionId });

export const ListAlternativeInput = WhatIfRequestSchema.extend({
  sessionId: SessionId,
  /** true: list the replay in the report; false: take it off the list. */
  listed: z.boolean(),
});

export const ExportResult = z.object({
  /** Suggested file name of the export. */
  filename: z.string(),
  /** The file's text (UTF-8). */
  content: z.string(),
  /** File name for the manifest, to be saved beside the export. */
  manifestFilename: z.string(),
  manifest: ExportManifestSchema,
});

/** An export's manifest file as it is saved beside the export (command line, desktop app and browser alike), which `npm run verify` reads. */
export function manifestFileText(manifest: z.output<typeof ExportManifestSchema>): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** One of a session's files, to be streamed by the host (`exports.download`). */
export const DownloadInput = z.discriminatedUnion('file', [
  ExportInput.extend({ file: z.literal('export') }),
  z.strictObject({ file: z.literal('archive'), sessionId: SessionId }),
  z.strictObject({ file: z.literal('msel'), sessionId: SessionId }),
]);
export type DownloadRequest = z.output<typeof DownloadInput>;

export const DownloadResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    /** Web host: the browser saves the file from this same-origin link (single use, valid for a minute). */
    outcome: z.literal('link'),
    url: z.string().regex(/^\/api\/download\/[0-9a-f]{64}$/),
    filename: z.string(),
    /** For an export: the manifest to save beside it (it describes the bytes the link gives). */
    manifestFilename: z.string().nullable(),
    manifest: ExportManifestSchema.nullable(),
  }),
  /** Electron: the file was written where the facilitator chose (and an export's manifest beside it). */
  z.object({ outcome: z.literal('saved'), path: z.string(), manifestPath: z.string().nullable() }),
  z.object({ outcome: z.literal('cancelled') }),
]);
export type DownloadResult = z.output<typeof DownloadResultSchema>;

export const ImprovementListInput = z.strictObject({
  /** Items found in this session. */
  sessionId: SessionId.optional(),
  /** Items of any of these teams (names compared without regard to case). */
  teamNames: z.array(TeamName).max(50).optional(),
  /** Only items still open or in progress (what a team's next session shows at setup). */
  openOnly: z.boolean().default(false),
});

export const ImprovementCreateInput = z.strictObject({
  sessionId: SessionId.nullable().default(null),
  teamName: TeamName,
  area: Text(2_000).min(1),
  correctiveAction: Text(4_000).default(''),
  /** A best-practice or principle tag, or an HSEEP capability. */
  tag: Text(200).nullable().default(null),
  owner: Text(200).default(''),
  dueDate: IsoDateSchema.nullable().default(null),
  status: ImprovementStatusSchema.default('open'),
});

export const ImprovementUpdateInput = z.strictObject({
  id: ItemId,
  teamName: TeamName.optional(),
  area: Text(2_000).min(1).optional(),
  correctiveAction: Text(4_000).optional(),
  tag: Text(200).nullable().optional(),
  owner: Text(200).optional(),
  dueDate: IsoDateSchema.nullable().optional(),
  status: ImprovementStatusSchema.optional(),
});

/** The improvement plan across sessions, filtered. */
export const ImprovementSearchInput = z.strictObject({
  teamName: TeamName.optional(),
  statuses: z.array(ImprovementStatusSchema).max(3).optional(),
  owner: Text(200).min(1).optional(),
  dueFrom: IsoDateSchema.optional(),
  dueTo: IsoDateSchema.optional(),
  /** Only items still to do whose due date has passed. */
  overdueOnly: z.boolean().default(false),
  /** The day "overdue" is judged on (`YYYY-MM-DD`); today (UTC) by default. */
  today: IsoDateSchema.optional(),
});

export const ImprovementExportInput = ImprovementSearchInput.extend({
  /** `csv`: for issue trackers (Summary, Description, Assignee, Due date, Labels); `json`: every field. */
  format: z.enum(['csv', 'json']),
});

export const TrendsInput = z.strictObject({
  scenarioId: z.string().min(1).max(64).optional(),
  teamName: TeamName.optional(),
});

export const reportMethods = {
  'debrief.get': method({
    summary: "A session's debrief: milestones against targets, key times, decisions, scores, objectives and ratings, pauses, timeline and team comparison.",
    access: 'facilitator',
    input: SessionRef,
    result: DebriefSchema,
  }),
  'reports.export': method({
    summary: 'Exports a session: the after-action report (md, html), the decision log (csv) or the whole session (json), with its manifest.',
    access: 'facilitator',
    input: ExportInput,
    result: ExportResult,
  }),
  'exports.download': method({
    summary:
      "Streams a session's file — an export (md, html, csv, json) with its manifest, the session archive, or the session's MSEL — without building it as one string: the web host answers with a single-use link the browser saves from as the bytes arrive; Electron asks where to save it and writes it there.",
    access: 'facilitator',
    input: DownloadInput,
    result: DownloadResultSchema,
  }),
  'reports.aar': method({
    summary:
      "A session's after-action report as one structured model (outcomes first, a one-page executive summary, the decision log in an appendix): what the report screen and the Markdown and HTML exports lay out.",
    access: 'facilitator',
    input: AarInput,
    result: AfterActionReportSchema,
  }),
  'reports.whatIf': method({
    summary:
      "Replays a finished team decision taken another way, deterministically with the session's seed: the path, milestone times and score that would have followed, beside what happened. Never written to the log.",
    access: 'facilitator',
    input: WhatIfInput,
    result: WhatIfSchema,
  }),
  'reports.alternatives': method({
    summary: "The what-if replays listed in a session's after-action report as alternatives discussed, in the order they were listed.",
    access: 'facilitator',
    input: SessionRef,
    result: AlternativesResult,
  }),
  'reports.listAlternative': method({
    summary: `Lists a what-if replay in the session's after-action report as an alternative discussed (at most ${MAX_ALTERNATIVES}), or takes it off; kept in the data folder, never in the log.`,
    access: 'facilitator',
    input: ListAlternativeInput,
    result: AlternativesResult,
  }),
  'improvementPlan.list': method({
    summary: 'Improvement-plan items, by session and/or team, optionally only those still open.',
    access: 'facilitator',
    input: ImprovementListInput,
    result: z.array(ImprovementItemSchema),
  }),
  'improvementPlan.search': method({
    summary: 'The whole improvement plan across sessions, filtered by team, status, owner and due date, each item with its session and whether it is overdue.',
    access: 'facilitator',
    input: ImprovementSearchInput,
    result: z.object({ today: z.string(), items: z.array(ImprovementEntrySchema) }),
  }),
  'improvementPlan.export': method({
    summary: 'The improvement plan across sessions (filtered) as CSV that issue trackers import (Summary, Description, Assignee, Due date, Labels) or as JSON.',
    access: 'facilitator',
    input: ImprovementExportInput,
    result: z.object({ filename: z.string(), mediaType: z.string(), content: z.string() }),
  }),
  'improvementPlan.create': method({
    summary: 'Adds an improvement-plan item (area for improvement, corrective action, owner, due date) for a team.',
    access: 'facilitator',
    input: ImprovementCreateInput,
    result: ImprovementItemSchema,
  }),
  'improvementPlan.update': method({
    summary: 'Changes an improvement-plan item; closing it records when.',
    access: 'facilitator',
    input: ImprovementUpdateInput,
    result: ImprovementItemSchema,
  }),
  'trends.get': method({
    summary: 'Times to detect, contain, eradicate and recover across sessions of a scenario or a team, and improvement items closed over time.',
    access: 'facilitator',
    input: TrendsInput,
    result: TrendsSchema,
  }),
} as const;

export type ReportMethods = typeof reportMethods;
export type ReportMethodName = keyof ReportMethods;
