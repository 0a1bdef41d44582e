/**
 * Contract methods for the programme view: framework coverage across all
 * sessions with cadence alerts (`reports.programme`), and its exports as
 * CSV, JSON or an ATT&CK Navigator layer (`reports.programmeExport`).
 * Spread into `methods` in ./contract.ts.
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { z } from 'zod';
import { method } from './method.ts';
import { IsoDateSchema } from '../core/debrief/improvement.ts';
import { PROGRAMME_FAMILIES, PROGRAMME_STATUSES, ProgrammeSchema } from '../core/programme/programme.ts';

export { PROGRAMME_FAMILIES, PROGRAMME_FAMILY_LABELS, PROGRAMME_STATUSES } from '../core/programme/programme.ts';
export type { Programme, ProgrammeFamily, ProgrammeItem, ProgrammeStatus, ProgrammeTeam } from '../core/programme/programme.ts';
export { statusText, teamOutcomeText } from '../core/programme/export.ts';

export const ProgrammeInput = z.strictObject({
  /** Only these families (all when omitted or empty). */
  families: z.array(z.enum(PROGRAMME_FAMILIES)).max(PROGRAMME_FAMILIES.length).optional(),
  /** Only items with these statuses (all when omitted or empty). */
  statuses: z.array(z.enum(PROGRAMME_STATUSES)).max(PROGRAMME_STATUSES.length).optional(),
  /** Only what this team exercised. */
  teamName: z.string().trim().min(1).max(200).optional(),
  /** The day cadence is judged on (`YYYY-MM-DD`, end of that day UTC); now by default. */
  asOf: IsoDateSchema.optional(),
});

export const ProgrammeExportInput = ProgrammeInput.extend({
  /** `csv`: one row per item; `json`: the whole model; `navigator`: an ATT&CK Navigator layer (format 4.5) of the techniques exercised. */
  format: z.enum(['csv', 'json', 'navigator']),
});

export const programmeMethods = {
  'reports.programme': method({
    summary:
      'The programme view: for every best practice, principle, responsibility side, phase, AWS IR playbook, CSF 2.0 category and ATT&CK technique the scenarios declare, when it was last exercised, by which teams, with what outcome, and whether it is overdue (yearly; twice a year for critical scenarios) or never exercised.',
    access: 'facilitator',
    input: ProgrammeInput,
    result: ProgrammeSchema,
  }),
  'reports.programmeExport': method({
    summary: 'The programme view (filtered) as CSV, as JSON, or as an ATT&CK Navigator layer of the techniques exercised.',
    access: 'facilitator',
    input: ProgrammeExportInput,
    result: z.object({ filename: z.string(), mediaType: z.string(), content: z.string() }),
  }),
} as const;

export type ProgrammeMethods = typeof programmeMethods;
export type ProgrammeMethodName = keyof ProgrammeMethods;
