/**
 * MSEL → scenario: a planner's spreadsheet becomes a draft of a linear
 * scenario (format v1) that passes validation and is ready to be written up.
 *
 * - Columns are matched by header name (./columns.ts); the header may sit
 *   below a few title lines. Unknown columns are kept, as "Header: value"
 *   lines in the facilitator notes.
 * - Any header with time, T+, minute, offset or delivered in it is the time
 *   column; times of day and dates there are read as minutes after the
 *   earliest one.
 * - Rows are read in sequence order (time order without a sequence column).
 *   Injects and decision points are chained with `next` and end at an end
 *   node; contingency rows become contingencies.
 * - The required milestones get placeholder targets (so does any other
 *   milestone a contingency's notes name, as the exporter writes them), and
 *   the guide and meta get placeholder texts that say they are still to be
 *   written. Objectives come from the objective column.
 * - All or nothing: a preview lists where each column went and every row
 *   that cannot be read (with its spreadsheet row number and the reason),
 *   and warnings to read before saving (no time column was found, times of
 *   day were read as offsets); a draft exists only when there is no problem.
 */
import { REQUIRED_MILESTONES, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import { validateScenario, type ValidationIssue } from '../scenario/validate.ts';
import { MSEL_TEXT, tooLarge } from '../limits.ts';
import { FIELD_HEADERS, mapHeaders, type ColumnMapping, type MselField } from './columns.ts';
import { readCsv, type CsvTable, type Delimiter } from '../csv.ts';
import { idFromName } from '../slug.ts';
import {
  channelFor,
  compareSequence,
  formatScenarioTime,
  kindFor,
  looksLikeClockTime,
  parseClockTime,
  parseScenarioTime,
  parseSequence,
  splitList,
  type Channel,
  type RowKind,
} from './values.ts';

/** Largest MSEL accepted, in characters of text (5 MiB). */
export const MAX_MSEL_CHARS = MSEL_TEXT.bytes;
/** Most rows accepted in one MSEL. */
export const MAX_MSEL_ROWS = 5_000;

const ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const TITLE_MAX = 200;
/** How far down the header row is looked for (title lines above it are skipped). */
const HEADER_SEARCH_ROWS = 10;

export interface MselImportOptions {
  /** Id for the draft scenario (e.g. from the file name); "msel-import" when missing or not a valid id. */
  scenarioId?: string;
  /** Title for the draft scenario; "Imported MSEL" when missing. */
  title?: string;
}

/** Something that stops the import: a row (spreadsheet row number) or the whole file (row null). */
export interface MselProblem {
  row: number | null;
  message: string;
}

/** A row as it will be imported, for the preview. */
export interface MselPreviewRow {
  row: number;
  kind: RowKind;
  id: string;
  sequence: string;
  /** The scenario time as written, and as read (minutes; null = no set time). */
  time: string;
  minutes: number | null;
  channel: Channel;
  title: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  message: string;
}

export interface MselPreview {
  delimiter: Delimiter;
  /** Spreadsheet row number of the header row. */
  headerRow: number | null;
  mapping: ColumnMapping[];
  rows: MselPreviewRow[];
  problems: MselProblem[];
  /** What the planner should know before saving (no time column, times read as times of day, …); they do not stop the import. */
  warnings: MselProblem[];
  /** The draft scenario, validated; null whenever there is a problem. */
  draft: Scenario | null;
}

export type MselImportResult = { ok: true; scenario: Scenario; preview: MselPreview } | { ok: false; problems: MselProblem[]; preview: MselPreview };

/** A scenario id for a draft from the MSEL's file name ("Exercise MSEL v2.csv" → "exercise-msel-v2"). */
export function draftIdFromFileName(fileName: string): string {
  return idFromName(fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, ''), 'msel-import', 'msel');
}

/** Reads an MSEL and imports it as a draft scenario, or says why it cannot (nothing is half-imported). */
export function importMsel(text: string, options: MselImportOptions = {}): MselImportResult {
  const preview = previewMselImport(text, options);
  return preview.draft ? { ok: true, scenario: preview.draft, preview } : { ok: false, problems: preview.problems, preview };
}

/** Reads an MSEL: where each column goes, each row as it will be imported, every problem, and the draft when there is none. */
export function previewMselImport(text: string, options: MselImportOptions = {}): MselPreview {
  if (text.length > MAX_MSEL_CHARS) {
    return { delimiter: ',', headerRow: null, mapping: [], rows: [], problems: [{ row: null, message: `the file ${tooLarge(MSEL_TEXT)}` }], warnings: [], draft: null };
  }
  return previewMselTable(readCsv(text), options);
}

/** The preview of an MSEL already read into cells: records with the spreadsheet row number of the first. */
export function previewMselTable(table: CsvTable, options: MselImportOptions = {}): MselPreview {
  const warnings: MselProblem[] = [];
  const empty = (problems: MselProblem[], delimiter: Delimiter = ',', mapping: ColumnMapping[] = [], headerRow: number | null = null): MselPreview => ({
    delimiter,
    headerRow,
    mapping,
    rows: [],
    problems,
    warnings,
    draft: null,
  });
  const problems: MselProblem[] = [...table.problems];

  const headerIndex = findHeader(table.records);
  if (headerIndex === null) {
    return empty(
      [...problems, { row: table.firstRow, message: 'no header row found: name the columns in the first row (e.g. Sequence, Scenario time, Channel, From, To, Subject, Message)' }],
      table.delimiter,
    );
  }
  const headerRow = table.firstRow + headerIndex;
  const mapping = mapHeaders(table.records[headerIndex]!);
  const columnOf = new Map<MselField, number>();
  for (const m of mapping) if (m.field !== null) columnOf.set(m.field, m.column);
  if (!columnOf.has('message') && !columnOf.has('title') && !columnOf.has('subject')) {
    return empty(
      [...problems, { row: headerRow, message: 'no column holds the inject text: name one "Message" (or Description, Inject, Title, Subject)' }],
      table.delimiter,
      mapping,
      headerRow,
    );
  }
  const header = (field: MselField): string => {
    const column = columnOf.get(field);
    return column === undefined ? FIELD_HEADERS[field] : mapping[column]!.header;
  };
  if (!columnOf.has('time')) {
    warnings.push({
      row: headerRow,
      message: `no column was recognised as the scenario time (headers: ${mapping.map((m) => `"${m.header}"`).join(', ')}): every inject would be delivered at 00:00, one after the other. Name the time column "Scenario time" or "T+" (values such as T+5, 0:05, 00:05:00, 5 min) before importing, unless that is what you want.`,
    });
  }
  // ---- read every row
  const parsed: ParsedRow[] = [];
  const dataRecords = table.records.slice(headerIndex + 1);
  if (dataRecords.filter((r) => r.some((cell) => cell.trim() !== '')).length > MAX_MSEL_ROWS) {
    return empty([...problems, { row: null, message: `the MSEL has more than ${MAX_MSEL_ROWS} rows` }], table.delimiter, mapping, headerRow);
  }
  const clock = clockTimes(dataRecords, columnOf.get('time'), header('time'));
  if (clock?.warning) warnings.push({ row: headerRow, message: clock.warning });
  dataRecords.forEach((record, i) => {
    if (record.every((cell) => cell.trim() === '')) return; // spreadsheets keep blank rows
    const row = headerRow + 1 + i;
    const result = readRow(record, row, mapping, columnOf, header, clock?.origin ?? null);
    if ('problems' in result) problems.push(...result.problems);
    else parsed.push(result);
  });
  if (parsed.length === 0 && problems.length === 0) problems.push({ row: null, message: 'the MSEL has no rows below its header' });

  // ---- order, ids, times
  const ordered = columnOf.has('sequence') ? [...parsed].sort((a, b) => compareSequence(a.sequenceKey, b.sequenceKey) || a.row - b.row) : byTime(parsed, header('time'), warnings);
  assignIds(ordered);
  const chain = ordered.filter((r) => r.kind !== 'contingency');
  if (parsed.length > 0 && chain.length === 0) problems.push({ row: null, message: 'the MSEL has only contingency rows; at least one inject is needed' });
  // Times that go back in sequence order: one problem, naming the first rows at fault.
  const backwards: Array<{ row: ParsedRow; latest: ParsedRow }> = [];
  let latest: ParsedRow | undefined;
  for (const r of chain) {
    if (r.minutes === null) continue;
    if (latest && r.minutes < latest.minutes!) backwards.push({ row: r, latest });
    if (!latest || r.minutes >= latest.minutes!) latest = r;
  }
  if (backwards.length > 0) {
    const first = backwards[0]!;
    const others = backwards.slice(1, 6).map((b) => b.row.row);
    const more = backwards.length > 6 ? ` and ${backwards.length - 6} more` : '';
    problems.push({
      row: first.row.row,
      message: `${header('time')} ${formatScenarioTime(first.row.minutes!)} is earlier than ${formatScenarioTime(first.latest.minutes!)} on row ${first.latest.row}, which comes before it in sequence; injects are delivered in sequence order, so times cannot go back${
        others.length > 0
          ? ` (so do rows ${others.join(', ')}${more}: ${backwards.length} rows in all; renumber the ${header('sequence')} column in time order, or remove it to have rows ordered by time)`
          : ''
      }`,
    });
  }

  const rows = ordered.map(previewRow);
  if (problems.length > 0) return { delimiter: table.delimiter, headerRow, mapping, rows, problems: sortProblems(problems), warnings, draft: null };

  // ---- build and validate the draft
  const { draft, rowOf } = buildDraft(ordered, options);
  const validation = validateScenario(draft);
  if (!validation.ok) {
    const issues = validation.errors.map((issue) => describeIssue(issue, rowOf, header));
    return { delimiter: table.delimiter, headerRow, mapping, rows, problems: sortProblems(issues), warnings, draft: null };
  }
  return { delimiter: table.delimiter, headerRow, mapping, rows, problems: [], warnings, draft: validation.scenario };
}

/** The first record among the first few that names at least two known columns. */
function findHeader(records: readonly string[][]): number | null {
  for (let i = 0; i < Math.min(records.length, HEADER_SEARCH_ROWS); i++) {
    const known = mapHeaders(records[i]!).filter((m) => m.field !== null).length;
    if (known >= 2) return i;
  }
  return null;
}

// ---------------------------------------------------------------- one row

interface ParsedRow {
  row: number;
  kind: RowKind;
  sequenceText: string;
  sequenceKey: number[];
  timeText: string;
  minutes: number | null;
  /** The id the row asks for (Sandtable ID column), if it is a valid id. */
  wantedId: string | null;
  id: string;
  title: string;
  channel: Channel;
  from: string | null;
  to: string | null;
  subject: string | null;
  narrative: string;
  expectedActions: string[];
  questions: string[];
  objectives: string[];
  /** A contingency's condition, when its notes state it in the form the exporter writes (with the milestone's label). */
  trigger: { milestone: string; label: string | null } | { objective: string } | null;
  notes: string[];
}

type RowRead = ParsedRow | { problems: MselProblem[] };

/** The sentence the exporter writes into a contingency's notes (see contingencyTrigger in ./export.ts). */
const TRIGGER_SENTENCE =
  /^Contingency: fires at [^\n]*? unless (milestone|objective) "([^"\n]+)" is (?:reached|demonstrated) first(?: \(([^\n]*)\))?; the facilitator can fire it earlier\.\s*/;
/** Any trigger the exporter states in words (./export.ts contingencyTrigger), including the ones only format 1.1 can express. */
const STATED_TRIGGER = /^Contingency: fires /;

function readRow(
  record: readonly string[],
  row: number,
  mapping: readonly ColumnMapping[],
  columnOf: ReadonlyMap<MselField, number>,
  header: (f: MselField) => string,
  clockOrigin: number | null,
): RowRead {
  const cell = (field: MselField): string => {
    const column = columnOf.get(field);
    return column === undefined ? '' : cleanCell(record[column] ?? '');
  };
  const problems: MselProblem[] = [];
  const notes: string[] = [];

  const sequenceText = cell('sequence').trim();
  const sequenceKey = columnOf.has('sequence') ? parseSequence(sequenceText) : [];
  if (sequenceKey === null) {
    problems.push({ row, message: sequenceText === '' ? `${header('sequence')} is empty` : `${header('sequence')} "${sequenceText}" holds no number` });
  }

  const timeText = cell('time').trim();
  const time = clockOrigin === null ? parseScenarioTime(timeText) : clockOffset(timeText, clockOrigin);
  if (!time.ok) problems.push({ row, message: `${header('time')}: ${time.message}` });

  const typeText = cell('type').trim();
  const type = kindFor(typeText);
  if (!type.known) notes.push(`Type: ${typeText}`);

  const channelText = cell('channel').trim();
  let channel = channelFor(channelText);
  if (channel === null) {
    if (channelText !== '') notes.push(`Channel: ${channelText}`);
    channel = 'other';
  }

  const subject = cell('subject').trim();
  const message = cell('message').trim();
  const titleCell = cell('title').trim();
  const narrative = message || subject || titleCell;
  if (narrative === '')
    problems.push({ row, message: `the row has no inject text (${header(columnOf.has('message') ? 'message' : columnOf.has('title') ? 'title' : 'subject')} is empty)` });

  let ownNotes = cell('notes').trim();
  let trigger: ParsedRow['trigger'] = null;
  const sentence = TRIGGER_SENTENCE.exec(ownNotes);
  if (type.kind === 'contingency' && sentence) {
    trigger = sentence[1] === 'milestone' ? { milestone: sentence[2]!, label: sentence[3] ?? null } : { objective: sentence[2]! };
    ownNotes = ownNotes.slice(sentence[0].length).trim();
  }
  // A contingency needs the minute it fires, except one whose notes state a trigger without a deadline in the
  // exporter's words (a format-1.1 condition or `after`): the draft keeps those words and a placeholder minute.
  const untimedTrigger = type.kind === 'contingency' && sentence === null && STATED_TRIGGER.test(ownNotes);
  if (type.kind === 'contingency' && time.ok && time.minutes === null && !untimedTrigger) {
    problems.push({ row, message: `a contingency needs a ${header('time')}: the minute it fires if play has not moved on` });
  }
  if (ownNotes !== '') notes.unshift(ownNotes);
  const controller = cell('controller').trim();
  if (controller !== '') notes.push(`Responsible controller: ${controller}`);

  const wanted = cell('id').trim();
  const wantedId = ID.test(wanted) ? wanted : null;
  if (wanted !== '' && wantedId === null && wanted !== sequenceText) notes.push(`${header('id')}: ${wanted}`);

  for (const m of mapping) {
    if (m.field !== null && m.note === undefined) continue;
    if (m.field === 'actualTime' || m.field === 'status') continue; // the record of a past run
    const value = cleanCell(record[m.column] ?? '').trim();
    if (value !== '') notes.push(`${m.header || `Column ${columnLetter(m.column)}`}: ${value}`);
  }
  for (let column = mapping.length; column < record.length; column++) {
    const value = cleanCell(record[column]!).trim();
    if (value !== '') notes.push(`Column ${columnLetter(column)}: ${value}`);
  }
  if (problems.length > 0) return { problems };

  return {
    row,
    kind: type.kind,
    sequenceText,
    sequenceKey: sequenceKey ?? [],
    timeText,
    minutes: time.ok ? time.minutes : null,
    wantedId,
    id: '',
    title: titleCell || titleFrom(subject || message),
    channel,
    from: cell('from').trim() || null,
    to: cell('to').trim() || null,
    subject: subject || null,
    narrative,
    expectedActions: splitList(cell('expectedAction')),
    questions: splitList(cell('questions')),
    objectives: splitList(cell('objective')),
    trigger,
    notes,
  };
}

/** Line breaks as LF; nothing else is touched. */
function cleanCell(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/**
 * A title from the first line of a text, shortened to fit. Only the marks
 * that begin a markdown line (a heading's "#", a quote's ">", a bullet) are
 * left out; every other character is kept ("risk_score.mean", "C:\\temp", "5 * 3").
 */
function titleFrom(text: string): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '')
    .replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+)/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length <= TITLE_MAX ? line : `${line.slice(0, TITLE_MAX - 1).trimEnd()}…`;
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Keeps the ids rows ask for (first come, first served) and gives the others inject-N / contingency-N. */
function assignIds(rows: ParsedRow[]): void {
  const used = new Set<string>();
  for (const r of rows) {
    if (r.wantedId !== null && !used.has(r.wantedId)) {
      r.id = r.wantedId;
      used.add(r.id);
    }
  }
  // inject-N counts injects and decision points, contingency-N contingencies, in sequence order.
  const counters = { inject: 0, contingency: 0 };
  for (const r of rows) {
    const prefix = r.kind === 'contingency' ? 'contingency' : 'inject';
    counters[prefix] += 1;
    if (r.id !== '') continue;
    if (r.wantedId !== null) r.notes.push(`ID: ${r.wantedId} (already used by an earlier row)`);
    let n = counters[prefix];
    while (used.has(`${prefix}-${n}`)) n += 1;
    r.id = `${prefix}-${n}`;
    used.add(r.id);
  }
}

function previewRow(r: ParsedRow): MselPreviewRow {
  return {
    row: r.row,
    kind: r.kind,
    id: r.id,
    sequence: r.sequenceText,
    time: r.timeText,
    minutes: r.minutes,
    channel: r.channel,
    title: r.title,
    from: r.from,
    to: r.to,
    subject: r.subject,
    message: r.narrative,
  };
}

/**
 * Rows without a sequence column, in time order: a stable sort on each row's
 * time, where a row without a time keeps its place after the row above it.
 * Practitioners group rows by storyline; the clock, not the file, orders them.
 */
function byTime(rows: readonly ParsedRow[], timeHeader: string, warnings: MselProblem[]): ParsedRow[] {
  let carried = 0;
  const keyed = rows.map((r, index) => {
    if (r.minutes !== null) carried = r.minutes;
    return { r, index, key: carried };
  });
  const sorted = [...keyed].sort((a, b) => a.key - b.key || a.index - b.index);
  const moved = sorted.filter((k, i) => k.index !== i).length;
  if (moved > 0) {
    warnings.push({
      row: null,
      message: `there is no sequence column, so the rows were put in ${timeHeader} order (${moved} row${moved === 1 ? '' : 's'} moved from where the file has ${moved === 1 ? 'it' : 'them'})`,
    });
  }
  const untimed = rows.filter((r) => r.minutes === null && r.kind !== 'contingency').length;
  if (untimed > 0 && untimed < rows.length) {
    warnings.push({
      row: null,
      message: `${untimed} row${untimed === 1 ? ' has' : 's have'} no ${timeHeader}; ${untimed === 1 ? 'it keeps its' : 'they keep their'} place after the row above and ${untimed === 1 ? 'is' : 'are'} delivered as soon as that one is`,
    });
  }
  return sorted.map((k) => k.r);
}

/**
 * When the time column holds times of day or dates ("09:05 AM",
 * "2024-06-14 09:05", or any time under a "Date/Time …" or "… delivered"
 * header whose values are not offsets from zero), they are read as minutes
 * after the earliest of them. Null: the column holds scenario offsets.
 */
function clockTimes(records: readonly string[][], column: number | undefined, header: string): { origin: number; warning: string } | null {
  if (column === undefined) return null;
  const values = records.map((r) => (r[column] ?? '').trim()).filter((v) => v !== '');
  if (values.length === 0) return null;
  const wallHeader = /\b(date|delivered|clock|local|real|wall)\b/i.test(header);
  const clockValues = values.some(looksLikeClockTime);
  if (!clockValues) {
    // HH:MM values that do not start near 00:00 are times of day when the header says so ("Real Time",
    // "Date/Time Delivered"), or when the first is an hour or more in: an exercise's first inject is not.
    if (!values.every((v) => /^\d{1,2}:\d{2}(:\d{2})?$/.test(v))) return null;
    const offsets = values.map((v) => parseScenarioTime(v)).flatMap((o) => (o.ok && o.minutes !== null ? [o.minutes] : []));
    const earliest = Math.min(...offsets);
    if (!(earliest > 0 && (wallHeader || earliest >= 60))) return null;
  }
  const times = values.map(parseClockTime).filter((t): t is number => t !== null);
  if (times.length === 0) return null;
  const origin = Math.min(...times);
  const at = formatScenarioTime(origin % 1440);
  return {
    origin,
    warning: `${header} holds times of day${clockValues && values.some((v) => /\d{4}|\/|-[a-z]{3}/i.test(v)) ? ' and dates' : ''}, not offsets from the start: each was read as the minutes after the earliest one (${at} is 00:00). Check the times in the preview.`,
  };
}

/** A time of day (or date and time) as minutes after `origin`. */
function clockOffset(text: string, origin: number): ReturnType<typeof parseScenarioTime> {
  if (text === '') return { ok: true, minutes: null };
  const at = parseClockTime(text);
  if (at === null) return { ok: false, message: `"${text}" is not a time of day such as 09:05, 9:05 AM or 2024-06-14 09:05 (the column holds times of day)` };
  const minutes = Math.round((at - origin) * 1e6) / 1e6;
  if (minutes > 7 * 24 * 60) return { ok: false, message: `"${text}" is later than 7 days after the earliest time, the longest an exercise may run` };
  return { ok: true, minutes };
}

// ---------------------------------------------------------------- the draft

const TO_BE_WRITTEN = '*To be written.*';

function buildDraft(rows: readonly ParsedRow[], options: MselImportOptions): { draft: ScenarioInput; rowOf: (pointer: string) => number | null } {
  const chain = rows.filter((r) => r.kind !== 'contingency');
  const contingencies = rows.filter((r) => r.kind === 'contingency');
  const used = new Set(rows.map((r) => r.id));
  let endId = 'end';
  for (let n = 1; used.has(endId); n++) endId = `end-${n}`;

  // Objectives: every distinct text of the objective column, in order of first use.
  const objectiveIds = new Map<string, string>();
  const objectiveRows: number[] = [];
  for (const r of rows) {
    for (const text of r.objectives) {
      if (objectiveIds.has(text)) continue;
      objectiveIds.set(text, `objective-${objectiveIds.size + 1}`);
      objectiveRows.push(r.row);
    }
  }
  const objectives = [...objectiveIds].map(([text, id]) => ({ id, text, tags: [] }));
  if (objectives.length === 0) {
    objectives.push({ id: 'objective-1', text: 'To be written: what this exercise tests (the MSEL named no objective).', tags: [] });
  }

  const timeline: NonNullable<ScenarioInput['timeline']> = chain.map((r, i) => ({
    type: 'inject' as const,
    id: r.id,
    ...(r.minutes === null ? {} : { at: r.minutes }),
    ...injectBodyOf(r, r.kind === 'decision' ? ['Decision point in the MSEL: to be written as a decision node with its options.', ...r.notes] : r.notes),
    next: chain[i + 1]?.id ?? endId,
  }));
  timeline.push({ type: 'end', id: endId, title: 'End of the exercise', outcome: `${TO_BE_WRITTEN} How the exercise ends for the team.`, result: 'partial' });

  const lastMinute = Math.max(0, ...rows.map((r) => r.minutes ?? 0));
  const draftContingencies = contingencies.map((r) => {
    // Only a contingency whose notes state a trigger without a deadline has no time (see readRow).
    const { notReached, note } = conditionOf(r.minutes === null ? { ...r, minutes: lastMinute } : r, objectiveIds);
    const untimed =
      r.minutes === null
        ? `To be written: the MSEL gives this contingency no time (its trigger above has no MSEL column); this draft fires it at ${formatScenarioTime(lastMinute)}, the MSEL's last minute.`
        : undefined;
    return {
      id: r.id,
      when: { notReached, by: r.minutes ?? lastMinute },
      ...injectBodyOf(
        r,
        [untimed, note, ...r.notes].filter((part) => part !== undefined),
      ),
    };
  });

  const span = Math.max(60, lastMinute);
  const milestoneLabels: Record<(typeof REQUIRED_MILESTONES)[number], string> = {
    detected: 'Incident detected',
    contained: 'Incident contained',
    eradicated: 'Threat eradicated',
    recovered: 'Operations recovered',
  };
  const placeholder = 'Placeholder target, to be written: the scenario time by which a well-prepared team reaches this.';
  const milestones: Array<{ id: string; label: string; targetMinutes: number; description: string }> = REQUIRED_MILESTONES.map((id, i) => ({
    id,
    label: milestoneLabels[id],
    targetMinutes: Math.round((span * (i + 1)) / REQUIRED_MILESTONES.length),
    description: placeholder,
  }));
  // Further milestones that contingencies are written against (as the exporter states them).
  for (const r of contingencies) {
    const trigger = r.trigger;
    if (!trigger || !('milestone' in trigger) || !ID.test(trigger.milestone) || milestones.some((m) => m.id === trigger.milestone)) continue;
    const label = (trigger.label ?? '').trim().slice(0, 120) || trigger.milestone;
    milestones.push({ id: trigger.milestone, label, targetMinutes: r.minutes ?? 0, description: placeholder });
  }

  const title = (options.title ?? '').trim().slice(0, TITLE_MAX) || 'Imported MSEL';
  const draft: ScenarioInput = {
    formatVersion: 1,
    meta: {
      id: options.scenarioId !== undefined && ID.test(options.scenarioId) ? options.scenarioId : 'msel-import',
      version: '0.1.0',
      title,
      summary: `${TO_BE_WRITTEN} Draft imported from an MSEL with ${chain.length} inject${chain.length === 1 ? '' : 's'} and ${contingencies.length} contingenc${contingencies.length === 1 ? 'y' : 'ies'}.`,
      audience: ['To be written'],
      estimatedMinutes: Math.min(480, Math.max(5, Math.ceil(lastMinute + 15))),
      difficulty: 'introductory',
      sensitivity: 'To be written (e.g. TLP:AMBER)',
      authors: [{ name: 'To be written' }],
      tags: [],
    },
    guide: {
      openingBrief: `${TO_BE_WRITTEN} What the room is told at the start: the setting, who they are, the rules of play.`,
      facilitatorBrief: `${TO_BE_WRITTEN} What this exercise is really testing, and how to run it. Imported from an MSEL: review every inject, add evidence, and turn decision points into decisions with options.`,
      debrief: { whatGoodLooksLike: `${TO_BE_WRITTEN} What a well-prepared team would have done.` },
    },
    objectives,
    milestones,
    start: timeline[0]!.id,
    timeline,
    contingencies: draftContingencies,
  };

  const rowOf = (pointer: string): number | null => {
    const [, list, index] = pointer.split('/');
    const i = Number(index);
    if (list === 'timeline') return chain[i]?.row ?? null;
    if (list === 'contingencies') return contingencies[i]?.row ?? null;
    if (list === 'objectives') return objectiveRows[i] ?? null;
    return null;
  };
  return { draft, rowOf };
}

/** What an inject or a contingency says, from its row, with the facilitator's notes. */
function injectBodyOf(r: ParsedRow, notes: readonly string[]) {
  return {
    title: r.title,
    narrative: r.narrative,
    channel: r.channel,
    ...(r.from === null ? {} : { from: r.from }),
    ...(r.to === null ? {} : { to: r.to }),
    ...(r.subject === null ? {} : { subject: r.subject }),
    questions: r.questions,
    expectedActions: r.expectedActions,
    ...notesOf(notes),
  };
}

function notesOf(parts: readonly string[]): { facilitatorNotes?: string } {
  return parts.length === 0 ? {} : { facilitatorNotes: parts.join('\n\n') };
}

/**
 * A contingency's condition: the milestone stated in its notes (the draft
 * gets that milestone), else the row's single objective, else "detected"
 * with a note that says so.
 */
function conditionOf(r: ParsedRow, objectiveIds: ReadonlyMap<string, string>): { notReached: { milestone: string } | { objective: string }; note?: string } {
  if (r.trigger && 'milestone' in r.trigger && ID.test(r.trigger.milestone)) return { notReached: { milestone: r.trigger.milestone } };
  if (r.objectives.length === 1) return { notReached: { objective: objectiveIds.get(r.objectives[0]!)! } };
  const at = formatScenarioTime(r.minutes ?? 0);
  return {
    notReached: { milestone: 'detected' },
    note: `Imported from the MSEL: fires at ${at} unless milestone "detected" is reached first. To be written: the milestone or objective this contingency steers the team back to.`,
  };
}

// ---------------------------------------------------------------- problems

const PROPERTY_FIELDS: Readonly<Record<string, MselField>> = {
  id: 'id',
  at: 'time',
  when: 'time',
  title: 'title',
  narrative: 'message',
  channel: 'channel',
  from: 'from',
  to: 'to',
  subject: 'subject',
  expectedActions: 'expectedAction',
  questions: 'questions',
  facilitatorNotes: 'notes',
  text: 'objective',
};

/** A validation issue of the draft, told against the row and column it came from. */
function describeIssue(issue: ValidationIssue, rowOf: (pointer: string) => number | null, header: (f: MselField) => string): MselProblem {
  const row = rowOf(issue.pointer);
  const property = issue.pointer.split('/')[3];
  const field = property === undefined ? undefined : PROPERTY_FIELDS[property];
  if (row !== null && field !== undefined) return { row, message: `${header(field)}: ${issue.message}` };
  return { row, message: `${issue.pointer || 'the draft'}: ${issue.message}` };
}

function sortProblems(problems: MselProblem[]): MselProblem[] {
  return [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}
