/**
 * Contract methods for interoperability: MSEL spreadsheets (CSV) out of
 * scenarios and sessions and a preview of an MSEL import, scenario bundles
 * and session archives out, session archives in. Spread into `methods` in
 * ./contract.ts. Files travel as text (CSV) or base64 (archives), with a
 * suggested file name; the renderer saves or reads them.
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { z } from 'zod';
import { method } from './method.ts';
import { MSEL_FIELDS } from '../core/msel/columns.ts';
import { base64Bytes, IMPORT_FILES_MAX, IMPORT_FILES_TOTAL, IMPORT_PATH_MAX_CHARS, tooLarge } from '../core/limits.ts';
import { base64File, MselText } from './limit-schemas.ts';
import { CHANNELS, Scenario } from '../core/scenario/schema.ts';

const ScenarioRef = z.strictObject({ scenarioId: z.string().min(1).max(64) });
const SessionRef = z.strictObject({ sessionId: z.string().min(1).max(64) });
const CsvFile = z.object({ filename: z.string(), csv: z.string() });
const ArchiveFile = z.object({ filename: z.string(), base64: z.string() });

export const MselColumnMapping = z.object({
  column: z.number().int(),
  header: z.string(),
  field: z.enum(MSEL_FIELDS).nullable(),
  note: z.string().optional(),
});

export const MselPreviewRow = z.object({
  row: z.number().int(),
  kind: z.enum(['inject', 'decision', 'contingency']),
  id: z.string(),
  sequence: z.string(),
  time: z.string(),
  minutes: z.number().nullable(),
  channel: z.enum(CHANNELS),
  title: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  message: z.string(),
});

export const MselPreview = z.object({
  delimiter: z.enum([',', ';', '\t']),
  headerRow: z.number().int().nullable(),
  mapping: z.array(MselColumnMapping),
  rows: z.array(MselPreviewRow),
  /** Every reason the MSEL cannot be imported, with its spreadsheet row number (null: the whole file). */
  problems: z.array(z.object({ row: z.number().int().nullable(), message: z.string() })),
  /** What to know before saving (no time column, times of day read as offsets, rows reordered); they do not stop the import. */
  warnings: z.array(z.object({ row: z.number().int().nullable(), message: z.string() })),
  /** The draft scenario, present only when there is no problem. */
  draft: Scenario.nullable(),
  /** For a workbook: the sheet read, and every sheet's name. */
  sheet: z.string().optional(),
  sheets: z.array(z.string()).optional(),
});

const Issue = z.object({ pointer: z.string(), message: z.string() });
/** The same outcome as library.import (./contract.ts defines it too; that file imports this one). */
const ImportOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), scenario: z.object({ id: z.string(), title: z.string(), version: z.string() }).loose(), replaced: z.boolean() }),
  z.object({ ok: z.literal(false), errors: z.array(Issue), exists: z.boolean() }),
]);

/** Most files of one scenario-with-images import; in all they are at most an upload (core/limits.ts). */
export const MAX_IMPORT_FILES = IMPORT_FILES_MAX;

export const interopMethods = {
  'library.importFiles': method({
    summary:
      'Imports a scenario file picked with its image files, or a whole folder: the one scenario JSON among them (IcebergTTX scenarios and T3SF MSELs are converted first) and the images its evidence names, checked as a bundle is.',
    access: 'facilitator',
    input: z.strictObject({
      files: z
        .array(
          z.strictObject({
            /** The path relative to the folder picked ("assets/diagram.png"), or only the file's name. */
            path: z.string().min(1).max(IMPORT_PATH_MAX_CHARS),
            base64: base64File(IMPORT_FILES_TOTAL),
          }),
        )
        .min(1)
        .max(MAX_IMPORT_FILES)
        .refine((files) => files.reduce((n, f) => n + base64Bytes(f.base64), 0) <= IMPORT_FILES_TOTAL.bytes, tooLarge(IMPORT_FILES_TOTAL)),
      replace: z.boolean().default(false),
    }),
    result: z.object({
      outcome: ImportOutcome,
      scenarioFile: z.string().nullable(),
      images: z.array(z.string()),
      converted: z.object({ format: z.enum(['icebergttx', 't3sf-msel']), name: z.string(), notes: z.array(z.string()) }).nullable(),
    }),
  }),
  'msel.exportScenario': method({
    summary: "A library scenario's MSEL (Master Scenario Events List) as CSV for Excel or LibreOffice.",
    access: 'facilitator',
    input: ScenarioRef,
    result: CsvFile,
  }),
  'msel.exportSession': method({
    summary: "A session's MSEL as CSV, with each row's actual delivery per team and its status.",
    access: 'facilitator',
    input: SessionRef,
    result: CsvFile,
  }),
  'msel.previewImport': method({
    summary: 'Reads an MSEL (CSV) without saving anything: where each column goes, the rows, every problem, and the draft scenario when there is none.',
    access: 'facilitator',
    input: z.strictObject({
      csv: MselText,
      /** The file's name, for the draft's id and title. */
      fileName: z.string().max(255).optional(),
    }),
    result: MselPreview,
  }),
  'msel.previewWorkbook': method({
    summary:
      'Reads an MSEL workbook (.xlsx, base64) without saving anything: its first sheet (or the one named, or one called MSEL), as msel.previewImport. The workbook is checked as a hostile archive first.',
    access: 'facilitator',
    input: z.strictObject({
      base64: base64File().pipe(z.string().min(1)),
      fileName: z.string().max(255).optional(),
      sheet: z.string().max(100).optional(),
    }),
    result: MselPreview,
  }),
  'scenarioBundle.export': method({
    summary: 'A library scenario with its image assets as a .sandtable bundle (base64).',
    access: 'facilitator',
    input: ScenarioRef,
    result: ArchiveFile,
  }),
  'sessionBundle.export': method({
    summary: 'A session archive (.sandtable-session, base64): its event log, the scenario it ran, and a manifest with hashes.',
    access: 'facilitator',
    input: SessionRef,
    result: ArchiveFile,
  }),
  'sessionBundle.import': method({
    summary: "Imports a session archive after verifying its manifest, its log's hash chain and its replay; refuses a session that is already here.",
    access: 'facilitator',
    input: z.strictObject({
      base64: base64File().pipe(z.string().min(1)),
    }),
    result: z.object({ sessionId: z.string(), events: z.number().int(), lastHash: z.string() }),
  }),
} as const;

export type InteropMethodName = keyof typeof interopMethods;
