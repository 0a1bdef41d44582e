/** The scenarios the engine's random-walk tests walk teams through: real ones, with one track and parallel tracks, and the format 1.1 rules. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { FIXTURES_DIR } from '../fixtures/scenarios/build.ts';
import { engineTestScenario } from './scenario.ts';

function load(path: string): Scenario {
  const result = parseScenarioText(readFileSync(path, 'utf8'));
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.errors)}`);
  return result.scenario;
}

/** The engine test scenario, the two-track and format 1.1 rules fixtures, and the first `bundled` bundled scenarios. */
export function walkScenarios(bundled: number): Array<[string, Scenario]> {
  const dir = join(FIXTURES_DIR, '..', '..', '..', 'scenarios');
  return [
    ['engine test scenario', engineTestScenario()],
    ['two tracks', load(join(FIXTURES_DIR, 'two-tracks.json'))],
    ['format 1.1 rules', load(join(FIXTURES_DIR, '..', 'rules', 'rules-scenario.json'))],
    ...readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .slice(0, bundled)
      .map((name): [string, Scenario] => [name, load(join(dir, name))]),
  ];
}
