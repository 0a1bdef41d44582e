/**
 * CSV exports stay safe however a spreadsheet splits them: on commas, on
 * semicolons (most of continental Europe), on tabs, or at every line break,
 * honouring quotes or not. No piece may start with a formula character.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { protectCell, readCsv, unprotectCell, writeCsv } from '../../src-main/core/csv.ts';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import { decisionLogCsv } from '../../src-main/core/report/decision-log.ts';
import { debriefScenario, handBuiltLog } from '../helpers/debrief-log.ts';

const HOSTILE = [
  'Ana;=1+1',
  'Contain first\n=HYPERLINK("http://attacker.example/x","click")',
  'line one\r\n+SUM(A1:A9)',
  "tab\t=cmd|' /C calc'!A0",
  'comma, -2+3',
  'quoted; "=1+1"',
  'spaced;  @SUM(1)',
  '=start',
  '\t\t=two tabs',
  "already;'=protected",
  "''+twice",
  '-',
  'a\r=b',
];

/** Fields starting with a formula character, perhaps after spaces or quotes a splitter left behind. */
function dangerous(field: string): boolean {
  return /^[ "]*[=+\-@\t\r]/.test(field);
}

/** Every way a spreadsheet may cut the text into fields. */
function allSplits(csv: string): Array<{ how: string; fields: string[] }> {
  const text = csv.replace(/^\ufeff/, '');
  const out: Array<{ how: string; fields: string[] }> = [];
  for (const delimiter of [',', ';', '\t']) {
    const parsed = Papa.parse<string[]>(text, { delimiter, header: false });
    out.push({ how: `papaparse, delimiter ${JSON.stringify(delimiter)}`, fields: parsed.data.flat() });
    // A reader that splits at every line break, quotes or not, then on the delimiter.
    const lines = text.split(/\r\n|\r|\n/);
    out.push({ how: `lines, then papaparse ${JSON.stringify(delimiter)}`, fields: lines.flatMap((line) => Papa.parse<string[]>(line, { delimiter, header: false }).data.flat()) });
    out.push({ how: `lines, then a plain split on ${JSON.stringify(delimiter)}`, fields: lines.flatMap((line) => line.split(delimiter)) });
  }
  return out;
}

function expectSafe(csv: string): void {
  for (const { how, fields } of allSplits(csv)) {
    const bad = fields.filter(dangerous);
    expect(bad, `split by ${how}`).toEqual([]);
  }
}

describe('CSV safe in every locale', () => {
  it('no piece of a hostile cell starts a formula, however the file is split', () => {
    const csv = writeCsv(
      ['Name', 'Text'],
      HOSTILE.map((h, i) => [`row ${i}`, h]),
    );
    expectSafe(csv);
    // Without the protection, the same cells are dangerous split by semicolons or lines (the test can fail).
    const unprotected = Papa.unparse([['Name', 'Text'], ...HOSTILE.map((h, i) => [`row ${i}`, h])], { delimiter: ',', newline: '\r\n' });
    expect(allSplits(unprotected).some(({ fields }) => fields.some(dangerous))).toBe(true);
  });

  it('reading gives back exactly what was written', () => {
    for (const value of HOSTILE) expect(unprotectCell(protectCell(value))).toBe(value);
    const csv = writeCsv(
      ['Text'],
      HOSTILE.map((h) => [h]),
    );
    expect(
      readCsv(csv)
        .records.slice(1)
        .map((r) => r[0]),
    ).toEqual(HOSTILE);
  });

  it('marks only the dangerous pieces', () => {
    expect(protectCell('Ana;=1+1')).toBe("Ana;'=1+1");
    expect(protectCell('first\n=second')).toBe("first\n'=second");
    expect(protectCell('x-1, a=b; c+d')).toBe('x-1, a=b; c+d');
    expect(protectCell('well, -5 degrees')).toBe("well,' -5 degrees");
  });

  it('a decision log with hostile names and rationales is safe split by comma, semicolon, tab or line', () => {
    const { events } = handBuiltLog();
    const hostile = events.map((e): LogEvent => {
      if (e.type !== 'decision.recorded') return e;
      return { ...e, payload: { ...e.payload, decidedBy: 'Ana;=1+1', rationale: 'Contain first\n=HYPERLINK("http://attacker.example")\r\n@SUM(1);-2' } };
    });
    const csv = decisionLogCsv(computeDebrief(debriefScenario(), hostile));
    expect(csv).toContain("Ana;'=1+1");
    expectSafe(csv);
  });
});
