/**
 * A T3SF MSEL (Base4Security/T3SF, examples/MSEL_EXAMPLE.json: a list of rows
 * with "#", "Real Time", "Date", "Subject", "From", "Player", "Script",
 * "Photo", "Picture Name", "Profile" and "Poll") → a Sandtable draft.
 *
 * The rows are an MSEL in all but name, so they go through the MSEL import
 * (./../msel/import.ts): "#" is the sequence, "Real Time" the time (times of
 * day, read as minutes after the first), "Player" the recipient, "Script"
 * the message. A "Poll" ("MIT | GPL") becomes a decision right after its
 * inject, one option per choice, all leading on. Images (Photo, Picture
 * Name, Profile) are links or files Sandtable does not fetch: they stay in
 * the facilitator notes, and the draft says so.
 */
import type { Scenario } from '../scenario/schema.ts';
import { validateScenario } from '../scenario/validate.ts';
import { isPlainObject } from '../scenario/issue-wording.ts';
import { previewMselTable } from '../msel/import.ts';
import { draftId, type Conversion } from './shared.ts';

const T3SF_KEYS = ['#', 'Real Time', 'Subject', 'From', 'Player', 'Script'];

/** Whether a parsed JSON value looks like a T3SF MSEL (a list of rows with T3SF's columns). */
export function looksLikeT3sf(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  return first !== null && typeof first === 'object' && !Array.isArray(first) && T3SF_KEYS.filter((k) => k in first).length >= 4;
}

export function convertT3sf(value: unknown, fileName?: string): Conversion {
  if (!Array.isArray(value) || value.length === 0) return { ok: false, format: 't3sf-msel', problems: [{ pointer: '', message: 'a T3SF MSEL is a list of rows' }] };
  if (value.length > 5_000) return { ok: false, format: 't3sf-msel', problems: [{ pointer: '', message: 'the MSEL has more than 5000 rows' }] };
  const header: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  for (const [i, row] of value.entries()) {
    if (!isPlainObject(row)) return { ok: false, format: 't3sf-msel', problems: [{ pointer: `/${i}`, message: 'each row is an object of column → value' }] };
    rows.push(row);
    for (const key of Object.keys(row)) if (!header.includes(key) && header.length < 200) header.push(key);
  }
  const cell = (v: unknown): string =>
    v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  const records = [header, ...rows.map((row) => header.map((key) => cell(row[key])))];
  const title = fileName ? fileName.replace(/^.*[\\/]/, '').replace(/\.json$/i, '') : 'T3SF MSEL';
  const preview = previewMselTable({ records, delimiter: ',', firstRow: 1, problems: [] }, { scenarioId: draftId(fileName ?? 't3sf-msel', 't3sf-msel'), title });
  // Spreadsheet row r is the JSON row r - 2 (row 1 is the header).
  const pointer = (row: number | null) => (row === null ? '' : `/${row - 2}`);
  if (!preview.draft) return { ok: false, format: 't3sf-msel', problems: preview.problems.map((p) => ({ pointer: pointer(p.row), message: p.message })) };

  const notes = preview.warnings.map((w) => (w.row === null || w.row === 1 ? w.message : `row ${w.row - 2}: ${w.message}`));
  const draft: Scenario = structuredClone(preview.draft);
  const pollColumn = header.indexOf('Poll');
  let polls = 0;
  if (pollColumn >= 0) {
    for (const row of preview.rows) {
      const choices = [
        ...new Set(
          cell(rows[row.row - 2]?.Poll)
            .split('|')
            .map((c) => c.trim())
            .filter((c) => c !== ''),
        ),
      ];
      if (choices.length === 0) continue;
      const inject = draft.timeline.find((n) => n.id === row.id);
      if (inject?.type !== 'inject') continue;
      if (choices.length < 2 || choices.length > 9) {
        notes.push(
          `row ${row.row - 2}: the poll "${choices.join(' | ')}" has ${choices.length} choice${choices.length === 1 ? '' : 's'}; a decision has 2 to 9, so it stays in the facilitator notes.`,
        );
        continue;
      }
      const decisionId = `${inject.id}-poll`.slice(0, 64);
      draft.timeline.push({
        type: 'decision',
        id: decisionId,
        title: inject.title,
        prompt: `Poll: ${inject.subject ?? inject.title}`,
        owners: [],
        options: choices.map((label, k) => ({ id: `choice-${k + 1}`, label: label.slice(0, 300), recommended: false, consequences: {}, tags: [], next: inject.next })),
        tags: [],
      });
      inject.next = decisionId;
      polls += 1;
    }
  }
  if (polls > 0)
    notes.push(
      `${polls} poll${polls === 1 ? '' : 's'} became decision${polls === 1 ? '' : 's'} right after ${polls === 1 ? 'its' : 'their'} inject; every choice leads on to the next inject, so write what each one changes.`,
    );
  const images = header.filter((h) => ['Photo', 'Picture Name', 'Profile'].includes(h));
  if (images.length > 0 && rows.some((row) => images.some((h) => cell(row[h]) !== ''))) {
    notes.push(
      `The images (${images.join(', ')}) are links or file names Sandtable does not fetch: they are kept in each inject's facilitator notes; add them as image evidence in a bundle.`,
    );
  }
  notes.push('The MSEL names no objectives, milestone targets or briefs: they are "To be written" placeholders.');
  const result = validateScenario(draft);
  if (!result.ok) return { ok: false, format: 't3sf-msel', problems: result.errors, notes };
  return { ok: true, format: 't3sf-msel', draft: result.scenario, notes };
}
