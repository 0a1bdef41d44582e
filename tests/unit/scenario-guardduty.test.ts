/**
 * GuardDuty findings in the bundled library carry the severity GuardDuty
 * documents for their type. A room that knows GuardDuty reads the band
 * (Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0) before the
 * title; a Discovery anomaly at Medium is a detail that loses it.
 *
 * The bands are the "Default severity" of each type in the GuardDuty User
 * Guide's finding-type pages, in `tests/helpers/guardduty.ts` (also the list
 * of types scenarios-new-a accepts). Types whose severity the guide says
 * varies list every band it can take. A type that is not in the table fails:
 * look it up before using it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { type Band, band, DOCUMENTED } from '../helpers/guardduty.ts';

const dir = join(process.cwd(), 'scenarios');
const scenarios = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')
  .sort()
  .map((file) => {
    const loaded = readScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    return { file, scenario: loaded.scenario };
  });
const findings = scenarios.flatMap(({ file, scenario }) =>
  scenario.evidence.flatMap((e) => (e.kind === 'guardduty' ? [{ file, id: e.id, type: e.finding.type, severity: e.finding.severity, caption: e.caption }] : [])),
);

/** Every string in a value, with its JSON path (finding records left out: they are checked above). */
function strings(value: unknown, path: string): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'finding' ? [] : strings(v, `${path}/${k}`)));
  return [];
}

/** "GuardDuty HIGH: Impact:S3/AnomalousBehavior.Delete" in a page's subject or a document's title: the label a room reads first. */
const LABELLED = /GuardDuty (LOW|MEDIUM|HIGH|CRITICAL): ([A-Za-z]+:[A-Za-z0-9]+\/[A-Za-z0-9.!]+)/g;
const labels = scenarios.flatMap(({ file, scenario }) =>
  strings(scenario, '').flatMap(({ path, text }) => [...text.matchAll(LABELLED)].map((m) => ({ file, path, band: m[1]!.toLowerCase() as Band, type: m[2]! }))),
);

describe('GuardDuty findings in the bundled library', () => {
  it('are there to check (the library shows GuardDuty in most scenarios)', () => {
    expect(new Set(findings.map((f) => f.file)).size).toBeGreaterThanOrEqual(10);
  });

  it('are of documented types and in the severity band GuardDuty documents for the type', () => {
    const wrong = findings.flatMap((f) => {
      const bands = DOCUMENTED[f.type];
      if (!bands) return [`${f.file} ${f.id}: ${f.type} is not in the table of documented severities`];
      return bands.includes(band(f.severity)) ? [] : [`${f.file} ${f.id}: ${f.type} at ${f.severity} (${band(f.severity)}); GuardDuty documents ${bands.join(' or ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('are labelled in the band GuardDuty documents where a page or a document names type and band', () => {
    expect(labels.length).toBeGreaterThanOrEqual(3);
    const wrong = labels.flatMap((l) => ((DOCUMENTED[l.type] ?? []).includes(l.band) ? [] : [`${l.file} ${l.path}: ${l.type} labelled ${l.band}`]));
    expect(wrong).toEqual([]);
  });

  it('have captions that name the severity band of the finding they show, when they name one', () => {
    const named = findings.flatMap((f) => {
      const said = /\b(low|medium|high|critical) severity\b/i.exec(f.caption)?.[1]?.toLowerCase();
      return said ? [{ ...f, said }] : [];
    });
    expect(named.length).toBeGreaterThanOrEqual(2);
    expect(named.filter((f) => f.said !== band(f.severity)).map((f) => `${f.file} ${f.id}: caption says ${f.said}, severity ${f.severity}`)).toEqual([]);
  });
});
