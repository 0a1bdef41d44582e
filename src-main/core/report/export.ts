/**
 * Export formats, the JSON session export and the manifest every export carries.
 *
 * Manifests: each exported file `F` has a sidecar `F.manifest.json` (the
 * contract returns it beside the content). It names the file, its size and
 * SHA-256, and the session's event log as it stood when the export was made
 * (event count, last sequence number, final hash). `npm run verify` checks
 * the file against the manifest, and, given the data folder, the manifest
 * against the session's log. The JSON export also carries the whole log with
 * its hashes and the metrics, so it can be checked on its own: the chain is
 * recomputed (unless pseudonymised: replacing names changes the payloads the
 * hashes cover) and the metrics are recomputed from the log.
 */
import { z } from 'zod';
import { SESSION_STATUSES } from '../enums.ts';
import { ImprovementItemSchema } from '../debrief/improvement.ts';
import { DebriefSchema } from '../debrief/model.ts';
import { Scenario } from '../scenario/schema.ts';

export const EXPORT_FORMATS = ['md', 'csv', 'json', 'html'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
};

const WHAT: Readonly<Record<ExportFormat, string>> = {
  md: 'after-action-report',
  html: 'after-action-report',
  csv: 'decision-log',
  json: 'session',
};

export const MANIFEST_SUFFIX = '.manifest.json';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

export const ExportManifestSchema = z.object({
  kind: z.literal('sandtable.export-manifest'),
  manifestVersion: z.literal(1),
  generator: z.string(),
  generatedTimestamp: z.number(),
  file: z.string(),
  format: ExportFormatSchema,
  mediaType: z.string(),
  /** Size and SHA-256 of the file's bytes (UTF-8). */
  bytes: z.number().int().min(0),
  sha256: Sha256Hex,
  pseudonymised: z.boolean(),
  session: z.object({ id: z.string(), name: z.string(), scenarioId: z.string(), scenarioVersion: z.string(), scenarioSha256: z.string() }),
  /** The session's event log when the export was made. */
  log: z.object({ eventCount: z.number().int(), lastSeq: z.number().int(), lastHash: z.string() }),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

export const ExportedEventSchema = z.object({
  sessionId: z.string(),
  seq: z.number().int(),
  teamId: z.string().nullable(),
  type: z.string(),
  origin: z.enum(['command', 'engine']),
  scenarioMs: z.number(),
  wallMs: z.number(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const SESSION_EXPORT_KIND = 'sandtable.session';

/** The JSON export: the whole session, its log and its metrics. */
export const SessionExportSchema = z.object({
  kind: z.literal(SESSION_EXPORT_KIND),
  formatVersion: z.literal(1),
  generator: z.string(),
  generatedTimestamp: z.number(),
  pseudonymised: z.boolean(),
  session: z.object({
    id: z.string(),
    name: z.string(),
    facilitator: z.string(),
    status: z.enum(SESSION_STATUSES),
    scenarioId: z.string(),
    scenarioVersion: z.string(),
    scenarioSha256: z.string(),
    createdWallMs: z.number(),
    updatedWallMs: z.number(),
    lastSeq: z.number(),
    lastHash: z.string(),
  }),
  /** The scenario exactly as the session ran it. */
  scenario: Scenario,
  events: z.array(ExportedEventSchema),
  metrics: DebriefSchema,
  improvementPlan: z.array(ImprovementItemSchema),
});
export type SessionExport = z.infer<typeof SessionExportSchema>;

/** A file name for an export: `<session>-<date>-<id>-<what>.<ext>`, ASCII only. */
export function exportFileName(session: { id: string; name: string; createdWallMs: number }, format: ExportFormat, pseudonymised: boolean): string {
  const slug =
    session.name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'session';
  const date = new Date(session.createdWallMs).toISOString().slice(0, 10);
  const id = session.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'session';
  return `${slug}-${date}-${id}-${WHAT[format]}${pseudonymised ? '-pseudonymised' : ''}.${format}`;
}
