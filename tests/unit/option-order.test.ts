/**
 * Where the recommended option sits in each decision of the bundled library.
 *
 * The console, the room screen and participants' phones list a decision's
 * options in the file's order, and number them 1–9. If the recommended option
 * is always in the same place (it used to be first nearly everywhere), a room
 * learns "pick 1" instead of weighing the options. These rules fail when a
 * scenario, or the library as a whole, puts it in one place too often.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';

const dir = join(process.cwd(), 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')
  .sort();

/** Where one decision's recommended option is: its 0-based index among `count` options. */
interface Placement {
  decision: string;
  index: number;
  count: number;
}

/** The most decisions (as a share) of one scenario, or of the library, that may list the recommended option first, or last. */
const MAX_SHARE = 0.5;
/** From this many decisions on, a scenario must not put the recommended option at the same index in all of them. */
const VARIED_FROM = 3;

function placements(scenario: Scenario): Placement[] {
  return scenario.timeline.flatMap((node) => {
    if (node.type !== 'decision') return [];
    const recommended = node.options.flatMap((o, index) => (o.recommended ? [index] : []));
    if (recommended.length !== 1) throw new Error(`decision ${node.id} has ${recommended.length} recommended options, not one`);
    return [{ decision: node.id, index: recommended[0]!, count: node.options.length }];
  });
}

/** What is wrong with where a set of decisions puts its recommended option (empty when nothing is). */
function placementProblems(list: readonly Placement[], scope: string): string[] {
  const problems: string[] = [];
  if (list.length < 2) return problems;
  const first = list.filter((p) => p.index === 0).length;
  const last = list.filter((p) => p.index === p.count - 1).length;
  if (first > list.length * MAX_SHARE) problems.push(`${scope}: the recommended option is first in ${first} of ${list.length} decisions`);
  if (last > list.length * MAX_SHARE) problems.push(`${scope}: the recommended option is last in ${last} of ${list.length} decisions`);
  if (list.length >= VARIED_FROM && new Set(list.map((p) => p.index)).size === 1) {
    problems.push(`${scope}: the recommended option is option ${list[0]!.index + 1} in all ${list.length} decisions`);
  }
  return problems;
}

const library = files.map((file) => {
  const loaded = readScenarioFile(join(dir, file));
  if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.errors)}`);
  return { file, placements: placements(loaded.scenario) };
});

describe('the rule on where the recommended option sits', () => {
  it('fails a scenario that always lists it first, always last, or always at one index', () => {
    const at = (indices: number[], count = 3): Placement[] => indices.map((index, i) => ({ decision: `d${i}`, index, count }));
    expect(placementProblems(at([0, 0, 0, 0]), 's')).toEqual([
      's: the recommended option is first in 4 of 4 decisions',
      's: the recommended option is option 1 in all 4 decisions',
    ]);
    expect(placementProblems(at([0, 0, 1]), 's')).toEqual(['s: the recommended option is first in 2 of 3 decisions']);
    expect(placementProblems(at([1, 1, 1]), 's')).toEqual(['s: the recommended option is option 2 in all 3 decisions']);
    expect(placementProblems(at([1, 1, 1], 2), 's')).toEqual(['s: the recommended option is last in 3 of 3 decisions', 's: the recommended option is option 2 in all 3 decisions']);
    expect(placementProblems(at([1, 0, 2, 1]), 's')).toEqual([]);
    // Two decisions cannot show a habit; one in each place is fine.
    expect(placementProblems(at([0, 2]), 's')).toEqual([]);
  });
});

describe('the bundled library', () => {
  it('is big enough for the rule to say something', () => {
    expect(library.length).toBeGreaterThanOrEqual(14);
    expect(library.filter((s) => s.placements.length >= VARIED_FROM).length).toBeGreaterThanOrEqual(12);
    expect(library.flatMap((s) => s.placements).length).toBeGreaterThanOrEqual(80);
  });

  it.each(library.map((s) => [s.file, s.placements] as const))('%s varies where the recommended option sits', (file, list) => {
    expect(placementProblems(list, file)).toEqual([]);
  });

  it('as a whole lists the recommended option first, or last, in at most half of its decisions', () => {
    expect(
      placementProblems(
        library.flatMap((s) => s.placements),
        'the library',
      ),
    ).toEqual([]);
  });
});
