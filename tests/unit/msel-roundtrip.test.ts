import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile, SCHEMA_FILE } from '../../src-main/app/scenario-files.ts';
import { scenarioMselCsv, scenarioMselRows } from '../../src-main/core/msel/export.ts';
import { importMsel } from '../../src-main/core/msel/import.ts';
import type { InjectNode, Scenario, TimelineNode } from '../../src-main/core/scenario/schema.ts';
import { trackLayout } from '../../src-main/core/scenario/tracks.ts';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';

const files = readdirSync('scenarios')
  .filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE)
  .sort();

/** The title of the track a node belongs to, in a scenario that declares tracks. */
function trackTitle(scenario: Scenario, nodeId: string): string | undefined {
  const layout = trackLayout(scenario);
  if (!layout.declared) return undefined;
  return scenario.tracks?.find((t) => t.id === layout.trackOf(nodeId))?.title;
}

function load(file: string): Scenario {
  const result = readScenarioFile(join('scenarios', file));
  if (!result.ok) throw new Error(`${file} is not valid: ${JSON.stringify(result.errors[0])}`);
  return result.scenario;
}

describe('scenario → MSEL → scenario', () => {
  it('covers the bundled scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s keeps every inject's time, channel, from/to, subject and message", (file) => {
    const original = load(file);
    const imported = importMsel(scenarioMselCsv(original), { scenarioId: 'round-trip' });
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.problems.slice(0, 3))}`);
    const draft = imported.scenario;
    expect(validateScenario(draft).ok).toBe(true);

    const byId = new Map(draft.timeline.map((node) => [node.id, node]));
    const injects = original.timeline.filter((n): n is InjectNode => n.type === 'inject');
    for (const inject of injects) {
      const copy = byId.get(inject.id);
      expect(copy?.type, inject.id).toBe('inject');
      const { at, channel, from, to, subject, narrative, title, expectedActions, questions } = copy as InjectNode;
      expect({ at, channel, from, to, subject, narrative, title, expectedActions, questions }, inject.id).toEqual({
        at: inject.at,
        channel: inject.channel,
        from: inject.from,
        to: inject.to,
        subject: inject.subject,
        narrative: inject.narrative,
        title: inject.title,
        expectedActions: inject.expectedActions,
        questions: inject.questions,
      });
      // With parallel tracks the MSEL has a Track column; a linear draft has no tracks, so it keeps it in the notes.
      const track = trackTitle(original, inject.id);
      expect((copy as InjectNode).facilitatorNotes).toBe(track === undefined ? inject.facilitatorNotes : [inject.facilitatorNotes, `Track: ${track}`].filter(Boolean).join('\n\n'));
    }

    // Decisions come back as decision points in the linear chain, in the same order as the MSEL.
    const chain: string[] = [];
    for (let id: string | undefined = draft.start; id !== undefined;) {
      const node: TimelineNode = byId.get(id)!;
      chain.push(node.id);
      id = node.type === 'inject' ? node.next : undefined;
    }
    const rows = scenarioMselRows(original).filter((r) => r.kind !== 'contingency');
    expect(chain.slice(0, -1)).toEqual(rows.map((r) => r.nodeId));
    expect(byId.get(chain.at(-1)!)?.type).toBe('end');

    // Contingencies keep their time, their content and (for required milestones) their condition.
    for (const contingency of original.contingencies) {
      const copy = draft.contingencies.find((c) => c.id === contingency.id);
      expect(copy, contingency.id).toBeDefined();
      const content = [contingency.channel, contingency.from, contingency.to, contingency.subject, contingency.narrative];
      if (!('notReached' in copy!.when)) throw new Error(`${contingency.id}: the importer writes the version-1 trigger`);
      if (!('notReached' in contingency.when) || contingency.repeat) {
        // A 1.1 trigger (a condition, after an inject) or a repeat has no MSEL column: its content comes back, and
        // the notes carry the original notes with the trigger in words.
        expect([copy!.channel, copy!.from, copy!.to, copy!.subject, copy!.narrative]).toEqual(content);
        expect(copy!.facilitatorNotes).toContain('Contingency: fires ');
        expect(copy!.facilitatorNotes ?? '').toContain(contingency.facilitatorNotes ?? '');
        continue;
      }
      expect(copy!.when.by).toBe(contingency.when.by);
      expect([copy!.channel, copy!.from, copy!.to, copy!.subject, copy!.narrative]).toEqual([
        contingency.channel,
        contingency.from,
        contingency.to,
        contingency.subject,
        contingency.narrative,
      ]);
      if ('milestone' in contingency.when.notReached) expect(copy!.when.notReached).toEqual(contingency.when.notReached);
      expect(copy!.facilitatorNotes).toBe(contingency.facilitatorNotes);
    }
  });

  it('puts rows in the order a team meets them, with times that never go back', () => {
    for (const file of files) {
      const rows = scenarioMselRows(load(file)).filter((r) => r.kind === 'inject');
      const minutes = rows.map((r) => r.cells.time!).filter((t) => t !== '');
      expect([...minutes].sort(), file).toEqual(minutes);
      expect(rows.map((r) => Number(r.cells.sequence))).toEqual([...rows.map((r) => Number(r.cells.sequence))].sort((a, b) => a - b));
    }
  });

  it('writes decisions and contingencies as rows of their own type', () => {
    const scenario = load(files[0]!);
    const rows = scenarioMselRows(scenario);
    const decision = scenario.timeline.find((n) => n.type === 'decision')!;
    const decisionRow = rows.find((r) => r.nodeId === decision.id)!;
    expect(decisionRow.cells.type).toBe('decision');
    expect(decisionRow.cells.notes).toContain('Options:');
    expect(decisionRow.cells.expectedAction).not.toBe('');
    const contingencyRow = rows.find((r) => r.kind === 'contingency')!;
    expect(contingencyRow.cells.type).toBe('contingency');
    expect(contingencyRow.cells.notes).toMatch(/^Contingency: fires at \d\d:\d\d unless/);
  });
});
