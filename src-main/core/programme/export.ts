/**
 * The programme view as files: a CSV for spreadsheets (one row per item, safe
 * in every locale through core/csv.ts), the whole model as JSON, and an
 * ATT&CK Navigator layer of the techniques exercised (./navigator.ts). Pure.
 */
import { writeCsv } from '../csv.ts';
import { RESULT_WORDS } from '../report/wording.ts';
import { formatDate, formatIsoTimestamp } from '../time-format.ts';
import { PROGRAMME_FAMILY_LABELS, type Programme, type ProgrammeItem, type ProgrammeTeam } from './programme.ts';

export const PROGRAMME_EXPORT_KIND = 'sandtable.programme';

export const PROGRAMME_CSV_HEADER = [
  'Family',
  'Item',
  'Name',
  'Status',
  'Last exercised',
  'Session',
  'Teams',
  'Outcomes',
  'Sessions',
  'Cadence (days)',
  'Due',
  'Critical',
  'Declared by',
] as const;

const STATUS_WORDS = { never: 'Never exercised', overdue: 'Overdue', current: 'Current' } as const;

/** "Blue team: a good outcome — Recovered cleanly (7 of 9 points)". */
export function teamOutcomeText(team: ProgrammeTeam): string {
  const points = team.available === null ? `${team.earned} points` : `${team.earned} of ${team.available} points`;
  const result = team.result === null ? 'not ended' : RESULT_WORDS[team.result];
  return `${team.teamName}: ${result}${team.ending ? ` — ${team.ending}` : ''} (${points}${team.lost > 0 ? `, ${team.lost} lost` : ''})`;
}

export function statusText(item: Pick<ProgrammeItem, 'status'>): string {
  return STATUS_WORDS[item.status];
}

export function programmeCsv(programme: Programme): string {
  const rows = programme.items.map((item) => [
    PROGRAMME_FAMILY_LABELS[item.family],
    item.id,
    item.label,
    statusText(item),
    item.lastExercised ? formatDate(item.lastExercised.timestamp) : '',
    item.lastExercised?.sessionName ?? '',
    item.teams.map((t) => t.teamName).join('; '),
    item.teams.map(teamOutcomeText).join('; '),
    String(item.sessions),
    String(item.cadenceDays),
    item.dueTimestamp === null ? '' : formatDate(item.dueTimestamp),
    item.critical ? 'yes' : 'no',
    item.declaredBy.map((d) => d.title).join('; '),
  ]);
  return writeCsv(PROGRAMME_CSV_HEADER, rows);
}

export function programmeJson(programme: Programme, generator: string): string {
  return `${JSON.stringify({ kind: PROGRAMME_EXPORT_KIND, formatVersion: 1, generator, generated: formatIsoTimestamp(programme.generatedTimestamp), ...programme }, null, 2)}\n`;
}
