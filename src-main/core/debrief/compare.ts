/**
 * The debrief's comparison of teams: each milestone's times side by side
 * with the fastest team named, and the metrics (targets met, recommended
 * choices, time-outs, decision times, contingencies, scores) with the best.
 */
import type { Scenario } from '../scenario/schema.ts';
import type { Comparison, TeamDebrief } from './model.ts';
import { SCORE_GROUP_LABELS, SCORE_GROUPS } from './score.ts';
import { defaultTargetMs } from './team-reducer.ts';

function mean(values: number[]): number | null {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

export function compareTeams(scenario: Scenario, teams: readonly TeamDebrief[]): Comparison {
  const milestones = scenario.milestones.map((m) => {
    const rows = teams.map((t) => {
      const r = t.milestones[m.id]!;
      return { teamId: t.id, scenarioMs: r.scenarioMs, wallMs: r.wallMs, met: r.met };
    });
    const reached = rows.filter((r) => r.scenarioMs !== null).map((r) => r.scenarioMs!);
    const fastest = reached.length ? Math.min(...reached) : null;
    return {
      id: m.id,
      label: m.label,
      targetMs: teams[0]?.milestones[m.id]?.targetMs ?? defaultTargetMs(m),
      teams: rows,
      fastestTeamIds: fastest === null ? [] : rows.filter((r) => r.scenarioMs === fastest).map((r) => r.teamId),
    };
  });

  type Metric = Comparison['metrics'][number];
  const metric = (key: string, label: string, unit: Metric['unit'], better: Metric['better'], value: (t: TeamDebrief) => number | null): Metric => {
    const values = teams.map((t) => ({ teamId: t.id, value: value(t) }));
    const known = values.filter((v) => v.value !== null).map((v) => v.value!);
    const best = known.length ? (better === 'lower' ? Math.min(...known) : Math.max(...known)) : null;
    // A score is "best" only when it is above zero: the least negative score is not an achievement.
    const worthy = best !== null && (unit !== 'points' || best > 0);
    return { key, label, unit, better, values, bestTeamIds: worthy ? values.filter((v) => v.value === best).map((v) => v.teamId) : [] };
  };
  const decided = (t: TeamDebrief) => t.decisions.filter((d) => d.status !== 'open');
  return {
    milestones,
    metrics: [
      metric('milestonesMet', 'Milestone targets met', 'count', 'higher', (t) => Object.values(t.milestones).filter((m) => m.met).length),
      metric('recommendedChoices', 'Decisions matching the recommendation', 'count', 'higher', (t) => t.decisions.filter((d) => d.matchedRecommendation === true).length),
      metric('timedOut', 'Decisions that ran out of time', 'count', 'lower', (t) => t.decisions.filter((d) => d.status === 'timedOut').length),
      metric('meanLatencyScenario', 'Mean decision time (scenario)', 'ms', 'lower', (t) => mean(decided(t).map((d) => d.latencyScenarioMs!))),
      metric('meanLatencyWall', 'Mean decision time (wall clock)', 'ms', 'lower', (t) => mean(decided(t).map((d) => d.latencyWallMs!))),
      metric('contingencies', 'Contingency injects fired', 'count', 'lower', (t) => t.contingencies.length),
      ...SCORE_GROUPS.map((g) => metric(`score.${g}`, `Score: ${SCORE_GROUP_LABELS[g]}`, 'points', 'higher', (t) => t.score[g].points)),
    ],
  };
}
