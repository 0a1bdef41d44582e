/**
 * What-if replays: from a recorded session, take one of a team's decisions
 * another way and run the scenario on from the start for that team through
 * the same SessionEngine, with the session's seed, team id and milestone
 * targets — so every random roll is the one the session would have made —
 * and compare with what happened. Nothing is written to any log: the replay
 * lives in memory and is thrown away.
 *
 * How the replay decides (stated in `assumptions`):
 *  - the chosen decision takes the other option, after as long as the team
 *    actually took over it;
 *  - every other decision the team faced in the session (same decision, same
 *    visit) is taken the same way after the same time, or runs out of time
 *    again if it did;
 *  - a decision the team never faced takes its default, when its time runs
 *    out (at once if it has no time limit);
 *  - what the facilitator did by hand (milestones marked, contingencies
 *    fired) is not replayed.
 *
 * Pure TypeScript.
 */
import { computeDebrief } from '../debrief/compute.ts';
import type { Debrief, TeamDebrief } from '../debrief/model.ts';
import type { LogEvent, NewLogEvent, SessionConfig } from '../engine/events.ts';
import { defaultOptionOf } from '../engine/machine.ts';
import { availableOptions, describeCondition } from '../engine/rules.ts';
import { SessionEngine } from '../engine/session.ts';
import type { DecisionNode, Scenario } from '../scenario/schema.ts';
import type { WhatIf, WhatIfRequest, WhatIfSide, WhatIfStep } from './what-if-model.ts';
import { milestoneQuality, RESULT_WORDS, scoreView } from './wording.ts';

export class WhatIfError extends Error {
  override name = 'WhatIfError';
  constructor(
    message: string,
    /** JSON pointer of the request field at fault. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** Replays cannot run away: a scenario reaches its end in far fewer steps. */
const MAX_STEPS = 100_000;

/** The decisions a team can replay another way: those it decided or that ran out of time. */
export function replayableDecisions(team: TeamDebrief): TeamDebrief['decisions'] {
  return team.decisions.filter((d) => d.status !== 'open' && d.options.length > 1);
}

export function whatIf(scenario: Scenario, events: readonly LogEvent[], debrief: Debrief, request: WhatIfRequest): WhatIf {
  const first = events[0];
  if (first?.type !== 'session.created') throw new WhatIfError('The session log does not begin with session.created.', '');
  const config: SessionConfig = first.payload;
  const teamConfig = config.teams.find((t) => t.id === request.teamId);
  const actual = debrief.teams.find((t) => t.id === request.teamId);
  if (!teamConfig || !actual) throw new WhatIfError(`This session has no team ${request.teamId}.`, '/teamId');
  const target = actual.decisions.find((d) => d.decisionId === request.decisionId && d.visit === request.visit);
  if (!target) throw new WhatIfError(`${actual.name} did not reach decision ${request.decisionId} (visit ${request.visit}).`, '/decisionId');
  if (target.status === 'open') throw new WhatIfError(`“${target.title}” is still open: there is nothing to replay yet.`, '/decisionId');
  const node = scenario.timeline.find((n) => n.id === request.decisionId);
  const option = node?.type === 'decision' ? node.options.find((o) => o.id === request.optionId) : undefined;
  if (!option) throw new WhatIfError(`“${target.title}” has no option ${request.optionId}.`, '/optionId');
  if (option.id === target.optionId) throw new WhatIfError(`${actual.name} already chose “${option.label}”: choose another option.`, '/optionId');

  const taken = new Map(actual.decisions.map((d) => [`${d.decisionId}\u0000${d.visit}`, d]));
  const replayConfig: SessionConfig = { ...config, name: `What-if of ${config.name}`, speed: 1, teams: [teamConfig] };
  // At speed 1 from wall time 0, scenario time and wall time are the same number.
  const { engine, events: created } = SessionEngine.create(scenario, replayConfig, 0);
  const log: NewLogEvent[] = [...created, ...engine.start(0)];
  const team = engine.team(teamConfig.id);
  const visits = new Map<string, number>();
  const seen = new Set<string>();
  let neverFaced = false;
  let unoffered = false;

  for (let step = 0; !team.context.ended; step++) {
    if (step > MAX_STEPS) break;
    // Each open decision (one per track; several at once with parallel tracks) is taken when the team took
    // it in the session: the one due first is acted on, then the loop looks again.
    let planned: { open: { id: string; openedAt: number }; choice: { optionId: string; atMs: number }; openNode: DecisionNode; visit: number } | null = null;
    let broken = false;
    for (const open of team.openDecisions()) {
      const instance = `${open.id}\u0000${open.openedAt}`;
      if (!seen.has(instance)) {
        seen.add(instance);
        visits.set(open.id, (visits.get(open.id) ?? 0) + 1);
      }
      const visit = visits.get(open.id)!;
      const openNode = scenario.timeline.find((n) => n.id === open.id);
      if (openNode?.type !== 'decision') {
        broken = true;
        break;
      }
      const recorded = taken.get(`${open.id}\u0000${visit}`);
      let choice: { optionId: string; atMs: number } | null;
      if (open.id === request.decisionId && visit === request.visit) {
        // As long as the team took, but before its time ran out.
        const latency = target.latencyScenarioMs ?? 0;
        const limit = openNode.timeLimitMinutes === undefined ? null : openNode.timeLimitMinutes * 60_000;
        choice = { optionId: request.optionId, atMs: open.openedAt + (limit !== null && latency >= limit ? Math.max(0, limit - 1_000) : latency) };
      } else if (recorded && recorded.status === 'decided' && recorded.optionId !== null) {
        choice = { optionId: recorded.optionId, atMs: open.openedAt + (recorded.latencyScenarioMs ?? 0) };
      } else if (recorded?.status === 'timedOut') {
        choice = null; // runs out of time again
      } else {
        neverFaced = true;
        choice = openNode.timeLimitMinutes === undefined ? { optionId: defaultOptionOf(openNode), atMs: open.openedAt } : null;
      }
      if (choice && (!planned || choice.atMs < planned.choice.atMs)) planned = { open, choice, openNode, visit };
    }
    if (broken) break;
    if (planned) {
      const { open, choice, openNode, visit } = planned;
      log.push(...engine.tick(choice.atMs));
      const still = team.openDecisions().find((d) => d.id === open.id);
      // Format 1.1: an option with "when" is on offer only while its condition holds.
      if (still && still.openedAt === open.openedAt && !availableOptions(openNode, team.context).some((o) => o.id === choice.optionId)) {
        const unavailable = openNode.options.find((o) => o.id === choice.optionId)!;
        if (open.id === request.decisionId && visit === request.visit) {
          throw new WhatIfError(
            `“${target.title}”: “${unavailable.label}” was not on offer at that point (it is offered only while ${describeCondition(unavailable.when!, scenario)}).`,
            '/optionId',
          );
        }
        choice.optionId = defaultOptionOf(openNode); // the default is always on offer
        unoffered = true;
      }
      if (still && still.openedAt === open.openedAt) {
        log.push(
          ...engine.teamCommand(
            teamConfig.id,
            { type: 'decision.recorded', payload: { decisionId: open.id, optionId: choice.optionId, rationale: 'What-if replay', decidedBy: '' } },
            Math.max(choice.atMs, engine.clock.anchorWallMs),
          ),
        );
      }
      continue;
    }
    const next = engine.nextWakeWallMs();
    if (next === null) break; // stuck: nothing is due (the scenario waits for the facilitator)
    log.push(...engine.tick(next));
  }
  const endAt = Math.max(team.context.now, engine.clock.anchorWallMs);
  log.push(...engine.end('What-if replay complete', endAt));

  const numbered = log.map((e, i) => ({ ...e, sessionId: 'what-if', seq: i + 1, prevHash: '', hash: '' }));
  const alternative = computeDebrief(scenario, numbered).teams[0]!;

  const assumptions = [
    `“${target.title}” is taken as “${option.label}” instead of “${target.optionLabel ?? '—'}”, after as long as ${actual.name} took over it; everything else replays with the session’s seed.`,
    'Every other decision the team faced in the session is taken the same way after the same time (or runs out of time again).',
    ...(neverFaced ? ['Decisions the team never faced in the session take their default option when their time runs out.'] : []),
    ...(unoffered ? ['A choice the team made that is not on offer on this path (a conditional option) takes the decision’s default option instead.'] : []),
    'What the facilitator did by hand (milestones marked, contingencies fired) is not replayed.',
  ];

  return {
    teamId: actual.id,
    team: actual.name,
    decisionId: target.decisionId,
    decision: target.visit > 1 ? `${target.title} (visit ${target.visit})` : target.title,
    visit: target.visit,
    actualOption: target.optionLabel ?? '—',
    alternativeOption: option.label,
    actual: side(actual),
    alternative: side(alternative),
    assumptions,
  };
}

function side(team: TeamDebrief): WhatIfSide {
  const path: WhatIfStep[] = [];
  for (const item of team.timeline) {
    if (item.kind === 'inject') path.push({ kind: 'inject', title: item.title, atMs: item.atMs, detail: null });
    else if (item.kind === 'decision')
      path.push({
        kind: 'decision',
        title: item.title,
        atMs: item.toMs ?? item.fromMs,
        detail: item.optionLabel === null ? null : item.status === 'timedOut' ? `${item.optionLabel} (time ran out)` : item.optionLabel,
      });
    else if (item.kind === 'end') path.push({ kind: 'end', title: item.title, atMs: item.atMs, detail: RESULT_WORDS[item.result] });
  }
  return {
    ending: team.ended ? { title: team.ended.title, result: team.ended.result, scenarioMs: team.ended.scenarioMs } : null,
    path,
    milestones: Object.values(team.milestones).map((m) => ({
      id: m.id,
      label: m.label,
      targetMs: m.targetMs,
      scenarioMs: m.scenarioMs,
      met: m.met,
      deltaMs: m.deltaMs,
      reachedBy: milestoneQuality(team, m).reachedBy,
    })),
    score: scoreView(team)
      .filter((g) => g.lines.length > 0)
      .map((g) => ({ group: g.group, label: g.label, earned: g.earned, available: g.available, lost: g.lost })),
  };
}
