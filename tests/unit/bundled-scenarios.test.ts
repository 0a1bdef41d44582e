/**
 * Every bundled scenario is valid, every path through it ends, and rehearsals
 * with default choices and several seeds run cleanly.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { enumeratePaths, rehearse, walkDecisionPaths } from '../../src-main/core/engine/rehearse.ts';
import { trackLayout, tracksOf } from '../../src-main/core/scenario/tracks.ts';

const dir = join(process.cwd(), 'scenarios');
/** The most decision combinations one scenario may have before the walk counts as truncated. */
const WALK_CAP = 20_000;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json');

describe.each(files)('%s', (file) => {
  const loaded = readScenarioFile(join(dir, file));

  it('is valid', () => {
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });

  it('ends on every path of its graph', () => {
    if (!loaded.ok) return;
    const { paths, truncated } = enumeratePaths(loaded.scenario, 20_000);
    expect(truncated).toBe(false);
    expect(paths.length).toBeGreaterThan(0);
    const endIds = new Set(loaded.scenario.timeline.filter((n) => n.type === 'end').map((n) => n.id));
    for (const path of paths) expect(endIds.has(path.at(-1)!)).toBe(true);
  });

  // Every combination of every decision's options on offer, across all tracks (a scenario with a technical and an
  // executive track multiplies their combinations: 02, 04, 06 and 07 walk 1,200–2,880 runs each). One seed fixes
  // the random events; every random outcome is covered by the graph walk above and the seeded rehearsals below.
  it('reaches an end down every combination of decisions (all tracks), exhaustively', { timeout: 240_000 }, () => {
    if (!loaded.ok) return;
    const { runs, truncated } = walkDecisionPaths(loaded.scenario, '1', WALK_CAP);
    expect(truncated, `more than ${WALK_CAP} combinations`).toBe(false);
    expect(runs.length).toBeGreaterThan(1);
    const endIds = new Set(loaded.scenario.timeline.filter((n) => n.type === 'end').map((n) => n.id));
    for (const run of runs) expect(endIds.has(run.ended), JSON.stringify(run.choices)).toBe(true);
  });

  it('reaches an end down every combination of the lead track’s decisions for other seeds (other random outcomes)', { timeout: 120_000 }, () => {
    if (!loaded.ok) return;
    const endIds = new Set(loaded.scenario.timeline.filter((n) => n.type === 'end').map((n) => n.id));
    for (const seed of ['2', '3']) {
      const lead = tracksOf(loaded.scenario)[0]!.id;
      const layout = trackLayout(loaded.scenario);
      const { runs, truncated } = walkDecisionPaths(loaded.scenario, seed, WALK_CAP, (id) => layout.trackOf(id) === lead);
      expect(truncated, `more than ${WALK_CAP} combinations`).toBe(false);
      expect(runs.length).toBeGreaterThan(1);
      for (const run of runs) expect(endIds.has(run.ended), JSON.stringify(run.choices)).toBe(true);
    }
  });

  it('rehearses with default and random choices across seeds', () => {
    if (!loaded.ok) return;
    const endings = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      for (const choices of ['default', 'random'] as const) {
        const result = rehearse(loaded.scenario, { choices, seed: String(seed) });
        expect(result.ended).toBeTruthy();
        endings.add(result.ended);
      }
    }
    expect(endings.size).toBeGreaterThan(1);
  });
});
