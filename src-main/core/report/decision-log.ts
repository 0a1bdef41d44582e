/**
 * The decision log for spreadsheets: one row per decision a team faced, in
 * the order they were decided, written by the one CSV module (../csv.ts:
 * papaparse, UTF-8 with BOM, CRLF, formula injection neutralised however a
 * spreadsheet splits the file).
 */
import type { Debrief } from '../debrief/model.ts';
import { writeCsv } from '../csv.ts';
import { formatIsoTimestamp, formatScenarioTime } from '../time-format.ts';

export const DECISION_LOG_COLUMNS = [
  'Scenario time',
  'Wall-clock time (UTC)',
  'Team',
  'Inject',
  'Decision',
  'Options',
  'Decision taken',
  'Timed out',
  'Matches recommendation',
  'Rationale',
  'Decided by',
  'Time to decide (scenario s)',
  'Time to decide (wall s)',
  'Led to',
] as const;

export type DecisionLogRow = Array<string | number>;

/** Every team's decisions, ordered by when they were decided (open ones by when they opened). */
export function decisionLogRows(debrief: Debrief): DecisionLogRow[] {
  const rows = debrief.teams.flatMap((team) =>
    team.decisions.map((d) => ({
      order: [d.decidedTimestamp ?? d.openedTimestamp, d.decidedScenarioMs ?? d.openedScenarioMs],
      row: [
        formatScenarioTime(d.decidedScenarioMs ?? d.openedScenarioMs),
        formatIsoTimestamp(d.decidedTimestamp ?? d.openedTimestamp),
        team.name,
        d.injectTitle ?? '',
        d.visit > 1 ? `${d.title} (visit ${d.visit})` : d.title,
        d.options.map((o) => (o.recommended ? `${o.label} (recommended)` : o.label)).join(' | '),
        d.optionLabel ?? (d.status === 'open' ? '(still open)' : ''),
        d.status === 'timedOut' ? 'yes' : 'no',
        d.matchedRecommendation === null ? '' : d.matchedRecommendation ? 'yes' : 'no',
        d.rationale,
        d.decidedBy,
        d.latencyScenarioMs === null ? '' : Math.round(d.latencyScenarioMs / 1000),
        d.latencyWallMs === null ? '' : Math.round(d.latencyWallMs / 1000),
        d.ledTo?.title ?? '',
      ] as DecisionLogRow,
    })),
  );
  return rows.sort((a, b) => a.order[0]! - b.order[0]! || a.order[1]! - b.order[1]!).map((r) => r.row);
}

/** The decision log of a session as a spreadsheet-ready CSV file (BOM, CRLF, formula cells neutralised). */
export function decisionLogCsv(debrief: Debrief): string {
  return writeCsv(
    DECISION_LOG_COLUMNS,
    decisionLogRows(debrief).map((row) => row.map(String)),
  );
}
