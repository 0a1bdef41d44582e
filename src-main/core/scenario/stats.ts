import type { Scenario } from './schema.ts';

/** How much a scenario holds, as printed by `npm run validate` and shown in the library. */
export interface ScenarioStats {
  injects: number;
  decisions: number;
  branches: number;
  randomEvents: number;
  contingencies: number;
  evidence: number;
  endings: number;
}

/** Counts a scenario's timeline nodes by kind, its contingencies and its evidence items. */
export function scenarioStats(scenario: Pick<Scenario, 'timeline' | 'contingencies' | 'evidence'>): ScenarioStats {
  const stats: ScenarioStats = {
    injects: 0,
    decisions: 0,
    branches: 0,
    randomEvents: 0,
    contingencies: scenario.contingencies.length,
    evidence: scenario.evidence.length,
    endings: 0,
  };
  for (const node of scenario.timeline) {
    switch (node.type) {
      case 'inject':
        stats.injects++;
        break;
      case 'decision':
        stats.decisions++;
        break;
      case 'branch':
        stats.branches++;
        break;
      case 'random':
        stats.randomEvents++;
        break;
      case 'end':
        stats.endings++;
        break;
    }
  }
  return stats;
}
