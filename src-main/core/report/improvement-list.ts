/**
 * The improvement plan as a list of its own, across sessions: each item with
 * the session that found it and whether it is overdue, exported for issue
 * trackers (CSV) and as JSON.
 *
 * The CSV is what issue trackers import without a mapping step:
 *  - GitLab reads the first column as the title and the second as the
 *    description, and a `due date` column;
 *  - Jira requires a `Summary` column and maps `Description`, `Assignee`,
 *    `Due date` and `Labels` by name (labels are single words, separated by
 *    spaces);
 *  - GitHub has no CSV import of its own; its import tools take the same
 *    title/body/assignee/labels columns.
 * So the columns are Summary, Description, Assignee, Due date, Labels, in
 * that order, written by the one CSV module (../csv.ts: safe in every
 * locale).
 *
 * Pure TypeScript.
 */
import { z } from 'zod';
import { writeCsv } from '../csv.ts';
import { IMPROVEMENT_STATUS_LABELS, ImprovementItemSchema, type ImprovementItem } from '../debrief/improvement.ts';
import { formatIsoTimestamp } from '../time-format.ts';
import { tagLabel } from './aar.ts';
import { shorten } from './wording.ts';

export const ImprovementEntrySchema = ImprovementItemSchema.extend({
  /** The session that found it, by name; null if none (or it is gone). */
  sessionName: z.string().nullable(),
  /** Still to do, and its due date has passed. */
  overdue: z.boolean(),
});
export type ImprovementEntry = z.infer<typeof ImprovementEntrySchema>;

/** Still open or in progress, and due before `today` (`YYYY-MM-DD`). */
export function isOverdue(item: Pick<ImprovementItem, 'status' | 'dueDate'>, today: string): boolean {
  return item.status !== 'closed' && item.dueDate !== null && item.dueDate < today;
}

export function toEntries(items: ReadonlyArray<ImprovementItem & { sessionName: string | null }>, today: string): ImprovementEntry[] {
  return items.map((i) => ({ ...i, overdue: isOverdue(i, today) }));
}

export const TRACKER_COLUMNS = ['Summary', 'Description', 'Assignee', 'Due date', 'Labels'] as const;

/** A label as trackers take it: one word, letters, digits and - _ : . only. */
function label(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_:.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** The labels of an item: where it comes from, its team, its status, its capability tag, and "overdue". */
export function trackerLabels(entry: ImprovementEntry): string[] {
  const labels = ['sandtable', `team:${label(entry.teamName)}`, `status:${entry.status}`];
  if (entry.tag)
    labels.push(
      label(
        tagLabel(entry.tag)
          .replace(/^Well-Architected /, '')
          .split(' ')[0]!,
      ),
    );
  if (entry.overdue) labels.push('overdue');
  return [...new Set(labels.filter((l) => l && !l.endsWith(':')))];
}

function description(entry: ImprovementEntry): string {
  return [
    `Area for improvement: ${entry.area}`,
    `Corrective action: ${entry.correctiveAction || '—'}`,
    `Team: ${entry.teamName}`,
    ...(entry.tag ? [`Capability: ${tagLabel(entry.tag)}`] : []),
    `Status: ${IMPROVEMENT_STATUS_LABELS[entry.status]}${entry.overdue ? ' (overdue)' : ''}`,
    `Found in: ${entry.sessionName ?? 'no session'}`,
    `Sandtable item: ${entry.id}`,
  ].join('\n');
}

/** Most characters in a summary: Jira refuses more than 255, and trackers take one line. */
export const TRACKER_SUMMARY_MAX = 250;

/** An issue's one-line title: the team and the corrective action's first line (else the area), cut at a word; the description has the whole text. */
export function trackerSummary(entry: ImprovementEntry): string {
  const firstLine = (text: string) =>
    text
      .split(/\r\n|\r|\n/)
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  const what = firstLine(entry.correctiveAction) || firstLine(entry.area);
  return shorten(`${entry.teamName}: ${what}`.replace(/\s+/g, ' '), TRACKER_SUMMARY_MAX - 1);
}

/** The plan as CSV for issue trackers: Summary, Description, Assignee, Due date, Labels. */
export function trackerCsv(entries: readonly ImprovementEntry[]): string {
  return writeCsv(
    TRACKER_COLUMNS,
    entries.map((e) => [trackerSummary(e), description(e), e.owner, e.dueDate ?? '', trackerLabels(e).join(' ')]),
  );
}

export const IMPROVEMENT_EXPORT_KIND = 'sandtable.improvement-plan';

/** The plan as JSON: every item with its session and overdue flag, and when it was exported. */
export function improvementJson(entries: readonly ImprovementEntry[], options: { generator: string; now: number; today: string }): string {
  return `${JSON.stringify(
    {
      kind: IMPROVEMENT_EXPORT_KIND,
      formatVersion: 1,
      generator: options.generator,
      generated: formatIsoTimestamp(options.now),
      today: options.today,
      items: entries.map((e) => ({ ...e, labels: trackerLabels(e) })),
    },
    null,
    2,
  )}\n`;
}
