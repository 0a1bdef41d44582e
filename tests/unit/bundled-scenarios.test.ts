/**
 * Every bundled scenario is valid, every path through it ends, and rehearsals
 * with default choices and several seeds run cleanly.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { enumeratePaths, rehearse, walkDecisionPaths } from '../../src-main/core/engine/rehearse.ts';

const dir = join(process.cwd(), 'scenarios');
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

  it('reaches an end down every combination of decisions, for several seeds', () => {
    if (!loaded.ok) return;
    for (const seed of ['1', '2', '3']) {
      const { runs, truncated } = walkDecisionPaths(loaded.scenario, seed);
      expect(truncated).toBe(false);
      expect(runs.length).toBeGreaterThan(1);
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
