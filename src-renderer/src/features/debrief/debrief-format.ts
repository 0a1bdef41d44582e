/**
 * The debrief's numbers in words: key times against their targets, decision
 * times, ratings and score groups. Times arrive from main as milliseconds
 * (scenario time, and active wall time: play without the pauses); they are
 * formatted only here and in ../sessions/format.ts.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import { formatClock, formatDuration } from '../sessions/format.ts';
import type { ImprovementProposal } from '../improvement/types.ts';

export type Debrief = ResultOf<'debrief.get'>;
export type TeamDebrief = Debrief['teams'][number];
export type MilestoneResult = TeamDebrief['milestones'][string];
export type DecisionResult = TeamDebrief['decisions'][number];
export type ObjectiveResult = TeamDebrief['objectives'][number];
export type Observation = ObjectiveResult['observations'][number];
export type ScoreGroup = TeamDebrief['score']['bestPractice'];
export type KeyTime = keyof TeamDebrief['timeTo'];

/** The props of a team's section of the debrief whose entries can become improvement-plan items (decisions, objectives). */
export interface TeamSectionProps {
  team: TeamDebrief;
  /** Starts an improvement-plan item from an entry; absent, no entry offers it. */
  onpropose?: (proposal: ImprovementProposal) => void;
}

/** The four key times, with the milestone each is measured to (every scenario has these four). */
export const KEY_TIMES: ReadonlyArray<{ key: KeyTime; milestoneId: string; label: string }> = [
  { key: 'detect', milestoneId: 'detected', label: 'Time to detect' },
  { key: 'contain', milestoneId: 'contained', label: 'Time to contain' },
  { key: 'eradicate', milestoneId: 'eradicated', label: 'Time to eradicate' },
  { key: 'recover', milestoneId: 'recovered', label: 'Time to recover' },
];

/** The score groups, in the order the debrief shows them. */
export const SCORE_GROUPS: ReadonlyArray<{ key: 'bestPractice' | 'principle' | 'responsibility' | 'phase'; label: string }> = [
  { key: 'bestPractice', label: 'Well-Architected best practices' },
  { key: 'principle', label: 'Security design principles' },
  { key: 'responsibility', label: 'Shared responsibility' },
  { key: 'phase', label: 'Incident-response phases' },
];

export { RESULT_WORDS } from '../../../../src-main/api/report-wording.ts';

/** Scenario time as on the exercise clock ("05:00", "1:05:00"). */
export function scenarioTime(ms: number): string {
  return formatClock(ms);
}

/** How a reached (or unreached) milestone stands against its target, in words. */
export function targetVerdict(m: Pick<MilestoneResult, 'scenarioMs' | 'targetMs' | 'met' | 'deltaMs'>): string {
  if (m.scenarioMs === null || m.deltaMs === null) return `Not reached (target ${formatClock(m.targetMs)})`;
  const off = Math.round(m.deltaMs / 1000) * 1000;
  if (m.met) return off === 0 ? 'Met, on target' : `Met, ${formatDuration(-off)} early`;
  return `Missed by ${formatDuration(off)}`;
}

/** The verdict as one word for a badge. */
export function targetState(m: Pick<MilestoneResult, 'scenarioMs' | 'met'>): 'met' | 'missed' | 'unreached' {
  if (m.scenarioMs === null) return 'unreached';
  return m.met ? 'met' : 'missed';
}

/** How long a decision took, in scenario time and active wall time. */
export function latencyText(d: Pick<DecisionResult, 'latencyScenarioMs' | 'latencyWallMs'>): string {
  if (d.latencyScenarioMs === null || d.latencyWallMs === null) return 'still open';
  return `${formatDuration(d.latencyScenarioMs)} of scenario time, ${formatDuration(d.latencyWallMs)} of play`;
}

/** A value of the team comparison, by its unit (scores are shown as points earned of points available instead). */
export function comparisonValue(value: number | null, unit: 'count' | 'ms' | 'points'): string {
  if (value === null) return '—';
  return unit === 'ms' ? formatDuration(value) : `${value}`;
}
