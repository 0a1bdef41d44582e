/**
 * How the debrief and the after-action report put results into words, so a
 * manager reads them at a glance and the screen and the report agree
 * (shared with the renderer through src-main/api/report-wording.ts).
 *
 * Scores: never "−3 of 4". A team *earns* points with good choices, out of
 * the points *available* (the most any path through the scenario can earn,
 * gains only), and *loses* points with costly choices, which are named.
 *
 * Milestones: the time a milestone was reached is shown with the quality of
 * what was reached — which choice reached it, whether that choice was the
 * recommended one, and, for recovery, how the team's exercise ended — so a
 * milestone "met early" never stands unqualified beside an ending that says
 * production stayed down.
 *
 * Pure TypeScript.
 */
import type { DecisionResult, MilestoneResult, TeamDebrief } from '../debrief/model.ts';
import { SCORE_GROUP_LABELS, SCORE_GROUPS, scoreKeyOf, type ScoreGroupName } from '../debrief/score.ts';
import type { TimelineItem } from '../debrief/model.ts';
import { formatClock } from '../time-format.ts';

export type EndingResult = 'success' | 'partial' | 'failure';

export const RESULT_WORDS: Readonly<Record<EndingResult, string>> = {
  success: 'a good outcome',
  partial: 'a partial outcome',
  failure: 'a poor outcome',
};

// ---------------------------------------------------------------- scores

/** A choice that cost points in a group: what was decided and how many points it lost (a positive number). */
export interface ScoreCost {
  decision: string;
  option: string;
  lost: number;
}

export interface ScoreLineView {
  key: string;
  label: string;
  earned: number;
  /** The most points any path could earn here; null when not known (the timeline loops). */
  available: number | null;
  lost: number;
}

export interface ScoreGroupView {
  group: ScoreGroupName;
  label: string;
  earned: number;
  available: number | null;
  lost: number;
  /** Costly choices, the costliest first; chance events (random outcomes) as one entry. */
  costs: ScoreCost[];
  lines: ScoreLineView[];
}

/** The decision's points per score line (`group\0key`). */
function pointsByLine(score: Readonly<Record<string, number>>): Map<string, { group: ScoreGroupName; value: number }> {
  const out = new Map<string, { group: ScoreGroupName; value: number }>();
  for (const [tag, value] of Object.entries(score)) {
    const key = scoreKeyOf(tag);
    if (!key) continue;
    const id = `${key.group}\u0000${key.key}`;
    out.set(id, { group: key.group, value: (out.get(id)?.value ?? 0) + value });
  }
  return out;
}

export const CHANCE_EVENTS = 'Chance events';

/** A team's score, group by group: points earned of points available, and what was lost to which choices. */
export function scoreView(team: Pick<TeamDebrief, 'score' | 'decisions'>): ScoreGroupView[] {
  const earned = new Map<string, number>();
  const lost = new Map<string, number>();
  const decided = new Map<string, number>();
  const costs = new Map<ScoreGroupName, ScoreCost[]>(SCORE_GROUPS.map((g) => [g, []]));
  for (const d of team.decisions) {
    if (d.optionId === null) continue;
    const groupLoss = new Map<ScoreGroupName, number>();
    for (const [id, { group, value }] of pointsByLine(d.score)) {
      decided.set(id, (decided.get(id) ?? 0) + value);
      if (value > 0) earned.set(id, (earned.get(id) ?? 0) + value);
      if (value < 0) {
        lost.set(id, (lost.get(id) ?? 0) - value);
        groupLoss.set(group, (groupLoss.get(group) ?? 0) - value);
      }
    }
    for (const [group, value] of groupLoss) costs.get(group)!.push({ decision: decisionName(d), option: d.optionLabel ?? d.optionId, lost: value });
  }
  return SCORE_GROUPS.map((group) => {
    const g = team.score[group];
    let chanceLost = 0;
    const lines = g.lines.map((line): ScoreLineView => {
      const id = `${group}\u0000${line.key}`;
      // What random outcomes added or took away: the line's points less what the decisions scored.
      const chance = line.points - (decided.get(id) ?? 0);
      const e = (earned.get(id) ?? 0) + Math.max(0, chance);
      const l = (lost.get(id) ?? 0) + Math.max(0, -chance);
      chanceLost += Math.max(0, -chance);
      return { key: line.key, label: line.label, earned: e, available: line.available, lost: l };
    });
    const groupCosts = costs.get(group)!;
    if (chanceLost > 0) groupCosts.push({ decision: CHANCE_EVENTS, option: '', lost: chanceLost });
    groupCosts.sort((a, b) => b.lost - a.lost);
    return {
      group,
      label: SCORE_GROUP_LABELS[group],
      earned: lines.reduce((s, l) => s + l.earned, 0),
      available: g.available,
      lost: lines.reduce((s, l) => s + l.lost, 0),
      costs: groupCosts,
      lines,
    };
  });
}

function decisionName(d: DecisionResult): string {
  return d.visit > 1 ? `${d.title} (visit ${d.visit})` : d.title;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Points earned of points available: "5 of 8 points", or "5 points" when the most is not known. */
export function earnedText(earned: number, available: number | null): string {
  return available === null ? plural(earned, 'point') : `${earned} of ${plural(available, 'point')}`;
}

/** What was lost, in words: "3 lost to costly choices" (empty when nothing was lost). */
export function lostText(lost: number): string {
  return lost > 0 ? `${lost} lost to costly choices` : '';
}

/** Long option labels cut at a word for summaries ("Watch for fifteen more minutes…"). */
export function shorten(text: string, max = 48): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,;:.—–-]+$/, '')}…`;
}

/** A cost as a reader sees it: `Contain the key (“Wait and watch”): 3 points`. */
export function costText(cost: ScoreCost): string {
  return cost.option ? `${cost.decision} (“${shorten(cost.option)}”): ${plural(cost.lost, 'point')}` : `${cost.decision}: ${plural(cost.lost, 'point')}`;
}

/** One sentence for a group: "5 of 8 points earned; 3 lost to costly choices: “Wait” (Contain): 3 points." */
export function scoreSentence(view: ScoreGroupView, maxCosts = 3): string {
  const head = `${earnedText(view.earned, view.available)} earned`;
  if (view.lost === 0) return `${head}; no costly choices.`;
  const named = view.costs.slice(0, maxCosts).map(costText);
  const more = view.costs.length > maxCosts ? `, and ${plural(view.costs.length - maxCosts, 'more choice')}` : '';
  return `${head}; ${lostText(view.lost)}: ${named.join('; ')}${more}.`;
}

/** Share of the available points earned, 0–100, or null when nothing is available or the most is unknown. */
export function earnedPercent(view: Pick<ScoreGroupView, 'earned' | 'available'>): number | null {
  if (view.available === null || view.available <= 0) return null;
  return Math.round((100 * Math.min(view.earned, view.available)) / view.available);
}

// ---------------------------------------------------------------- milestones

export type MilestoneQualityKind = 'recommended' | 'not-recommended' | 'choice' | 'chance' | 'facilitator' | 'unreached';

export interface MilestoneQuality {
  kind: MilestoneQualityKind;
  /** How it was reached, in words ("by “Restore in place”, not the recommended choice"); null when not reached. */
  reachedBy: string | null;
  /** Set when the way the team's exercise ended qualifies the milestone ("but the exercise ended with …"). */
  caveat: string | null;
}

/**
 * Which milestones an ending qualifies: recovery by any ending short of a good
 * one (production back but the exercise ended in a week of outage), containment
 * and eradication only by a poor ending (the attacker was not really out).
 */
const QUALIFIED_BY_ENDING: Readonly<Record<string, ReadonlyArray<'partial' | 'failure'>>> = {
  recovered: ['partial', 'failure'],
  contained: ['failure'],
  eradicated: ['failure'],
};

/** The decision that reached a milestone, if a decision did. */
export function decisionThatReached(team: Pick<TeamDebrief, 'decisions'>, m: Pick<MilestoneResult, 'id' | 'via'>): DecisionResult | undefined {
  if (m.via?.kind !== 'decision') return undefined;
  const via = m.via;
  return (
    team.decisions.find((d) => d.decisionId === via.nodeId && d.optionId === via.optionId && d.milestonesReached.includes(m.id)) ??
    team.decisions.find((d) => d.decisionId === via.nodeId && d.optionId === via.optionId)
  );
}

/** What was reached, beside when: which choice reached it, whether it was the recommended one, and what the ending says of it. */
export function milestoneQuality(team: Pick<TeamDebrief, 'decisions' | 'ended'>, m: MilestoneResult): MilestoneQuality {
  if (m.scenarioMs === null) return { kind: 'unreached', reachedBy: null, caveat: null };
  let kind: MilestoneQualityKind;
  let reachedBy: string;
  if (m.source === 'facilitator') {
    kind = 'facilitator';
    reachedBy = 'marked by the facilitator';
  } else if (m.source === 'inject') {
    kind = 'chance';
    reachedBy = 'by an inject as it was delivered';
  } else if (m.via?.kind === 'random') {
    kind = 'chance';
    reachedBy = 'by a random event';
  } else {
    const d = decisionThatReached(team, m);
    const option = d?.optionLabel ? `“${shorten(d.optionLabel)}”` : 'a decision';
    const at = d ? ` at “${d.title}”` : '';
    if (d?.matchedRecommendation === true) {
      kind = 'recommended';
      reachedBy = `by the recommended choice${at}`;
    } else if (d?.matchedRecommendation === false) {
      kind = 'not-recommended';
      reachedBy = `by ${option}${at}${d.status === 'timedOut' ? ' (time ran out)' : ''}, not the recommended choice`;
    } else {
      kind = 'choice';
      reachedBy = `by ${option}${at}`;
    }
  }
  const ending = team.ended;
  const caveat =
    ending && ending.result !== 'success' && (QUALIFIED_BY_ENDING[m.id] ?? []).includes(ending.result)
      ? `but the exercise ended with “${ending.title}” (${RESULT_WORDS[ending.result]})`
      : null;
  return { kind, reachedBy, caveat };
}

/** The ending of a team's exercise in words ("Recovered cleanly… — a good outcome"). */
export function endingSentence(ended: TeamDebrief['ended'], sessionEnded: boolean): string {
  if (!ended) return sessionEnded ? 'Stopped before the scenario reached an ending.' : 'Still playing.';
  return `${ended.title} — ${RESULT_WORDS[ended.result]}.`;
}

/** A reveal of held-back evidence (format 1.1) in words: "Evidence revealed at 00:34 on request of Rob: …". */
export function revealText(item: Extract<TimelineItem, { kind: 'evidence' }>): string {
  const how = item.by === 'participant' ? `on request of ${item.requestedBy ?? 'a participant'}` : 'by the facilitator';
  return `Evidence revealed at ${formatClock(item.atMs)} ${how}: ${item.caption}`;
}
