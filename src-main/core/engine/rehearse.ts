/**
 * Headless rehearsal: runs a scenario for one team at full speed with scripted
 * choices, through the same SessionEngine a live session uses.
 */
import type { Scenario } from '../scenario/schema.ts';
import { exitsOf } from '../scenario/graph.ts';
import { trackLayout, tracksOf } from '../scenario/tracks.ts';
import type { LogEvent, NewLogEvent, SessionConfig } from './events.ts';
import { compileScenario, defaultOptionOf, type CompiledScenario } from './machine.ts';
import { pickWeighted, rollFor } from './random.ts';
import { availableOptions, describeCondition, type ContingencyFiring } from './rules.ts';
import { SessionEngine } from './session.ts';
import type { TeamEngine } from './team.ts';

/** `default` takes every decision's default; `random` picks uniformly (seeded); a map names options by decision id. */
export type ChoiceStrategy = 'default' | 'random' | Readonly<Record<string, string>>;

export interface RehearsalResult {
  ended: string;
  result: 'success' | 'partial' | 'failure';
  path: string[];
  milestones: Record<string, number | null>;
  /** Objectives demonstrated (scenario ms when), or null when not. */
  objectives: Record<string, number | null>;
  /** Contingency injects that fired (the latest firing's scenario ms, whether by hand, how many times), or null when they did not. */
  contingencies: Record<string, ContingencyFiring | null>;
  /** Decision id -> the options on offer the first time it was decided (format-1.1 conditional options left out while their condition failed). */
  offered: Record<string, string[]>;
  variables: Record<string, number | boolean | string>;
  score: Record<string, number>;
  choices: Record<string, string>;
  /** Scenarios with parallel tracks only: each track's path and the end it reached (null: stopped when the lead track ended). */
  tracks?: Array<{ id: string; title: string; path: string[]; ended: string | null; result: 'success' | 'partial' | 'failure' | null }>;
  /** Every log event of the run, ready to be stored as a session. */
  events: NewLogEvent[];
  config: SessionConfig;
}

export class RehearsalError extends Error {
  override name = 'RehearsalError';
}

/** Checks a choices map against the scenario; returns problems as `/decisionId: message`. */
export function checkChoices(scenario: Scenario, choices: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [decisionId, optionId] of Object.entries(choices)) {
    const node = scenario.timeline.find((n) => n.id === decisionId);
    if (node?.type !== 'decision') problems.push(`/${decisionId}: the scenario has no decision "${decisionId}"`);
    else if (!node.options.some((o) => o.id === optionId)) problems.push(`/${decisionId}: decision "${decisionId}" has no option "${optionId}"`);
  }
  return problems;
}

export function rehearse(
  scenario: Scenario,
  options: { choices: ChoiceStrategy; seed: string; scenarioSha256?: string; startWallMs?: number; compiled?: CompiledScenario },
): RehearsalResult {
  const config: SessionConfig = {
    name: `Rehearsal of ${scenario.meta.title}`,
    facilitator: 'rehearse',
    sensitivity: scenario.meta.sensitivity,
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: options.scenarioSha256 ?? '',
    seed: options.seed,
    speed: 0,
    teams: [{ id: 'team-1', name: 'Rehearsal', participants: [] }],
    milestoneTargets: Object.fromEntries(scenario.milestones.map((m) => [m.id, m.targetMinutes * 60_000])),
  };
  let wall = options.startWallMs ?? 0;
  const { engine, events } = SessionEngine.create(scenario, config, wall, options.compiled);
  const log: NewLogEvent[] = [...events];
  log.push(...engine.start(++wall));
  const team = engine.team('team-1');
  const visits = new Map<string, number>();
  const offered: Record<string, string[]> = {};

  for (let step = 0; !team.context.ended; step++) {
    if (step > 100_000) throw new RehearsalError('The rehearsal did not reach an end after 100,000 steps.');
    // Every open decision is taken at once, the lead track's first (a scenario with tracks may have several open).
    const open = team.tracks.find((t) => t.position.openDecision);
    if (open) {
      const node = open.node;
      if (node?.type !== 'decision') throw new RehearsalError(`Decision ${open.position.openDecision!.id} is open but the team is not at it.`);
      const visit = (visits.get(node.id) ?? 0) + 1;
      visits.set(node.id, visit);
      // Only the options on offer now can be chosen; the default one always is (the validator sees to it).
      const available = availableOptions(node, team.context);
      offered[node.id] ??= available.map((o) => o.id);
      const named = typeof options.choices === 'object' ? options.choices[node.id] : undefined;
      const unavailable = named === undefined ? undefined : node.options.find((o) => o.id === named && !available.includes(o));
      if (unavailable) {
        throw new RehearsalError(
          `Decision "${node.id}": option "${unavailable.id}" is not on offer when the team reaches it (it is offered only while ${describeCondition(unavailable.when!, scenario)}); on offer: ${available.map((o) => o.id).join(', ')}.`,
        );
      }
      const optionId =
        options.choices === 'default'
          ? defaultOptionOf(node)
          : options.choices === 'random'
            ? available[
                pickWeighted(
                  available.map(() => 1),
                  rollFor(options.seed, 'rehearsal', node.id, visit),
                )
              ]!.id
            : (named ?? defaultOptionOf(node));
      log.push(...engine.teamCommand('team-1', { type: 'decision.recorded', payload: { decisionId: node.id, optionId, rationale: 'Rehearsal', decidedBy: 'rehearse' } }, ++wall));
      continue;
    }
    if (team.pendingInjectMs() === null) {
      throw new RehearsalError(`The team is stuck at ${team.node?.id ?? 'an unknown node'}: nothing is due and no decision is open.`);
    }
    log.push(...engine.advance(++wall));
  }
  log.push(...engine.end('Rehearsal complete', ++wall));
  const ctx = team.context;
  const endNode = scenario.timeline.find((n) => n.id === ctx.ended!.nodeId);
  return {
    ended: ctx.ended!.nodeId,
    result: endNode?.type === 'end' ? endNode.result : 'partial',
    path: [...ctx.path],
    milestones: ctx.milestones,
    objectives: ctx.objectives,
    contingencies: ctx.contingencies,
    variables: ctx.vars,
    score: ctx.score,
    choices: ctx.choices,
    offered,
    ...(trackLayout(scenario).declared ? { tracks: trackResults(scenario, ctx.path, team.tracks) } : {}),
    events: log,
    config,
  };
}

/** Each track's part of a run: its nodes in the order entered, and the end it reached. */
function trackResults(scenario: Scenario, path: readonly string[], tracks: TeamEngine['tracks']): NonNullable<RehearsalResult['tracks']> {
  return tracks.map(({ track, node }) => {
    const ended = node?.type === 'end' ? node : undefined;
    return {
      id: track.id,
      title: track.title ?? track.id,
      path: path.filter((id) => trackLayout(scenario).trackOf(id) === track.id),
      ended: ended?.id ?? null,
      result: ended?.result ?? null,
    };
  });
}

/** Every distinct way through a scenario (each option and each random outcome), up to `limit` paths; with tracks, each track's ways. */
export function enumeratePaths(scenario: Scenario, limit = 10_000): { paths: string[][]; truncated: boolean } {
  const byId = new Map(scenario.timeline.map((n) => [n.id, n]));
  const paths: string[][] = [];
  let truncated = false;
  const stack: Array<{ id: string; path: string[] }> = tracksOf(scenario)
    .map((track) => ({ id: track.start, path: [] }))
    .reverse();
  while (stack.length) {
    const { id, path } = stack.pop()!;
    if (paths.length >= limit) {
      truncated = true;
      break;
    }
    const node = byId.get(id);
    if (!node) continue;
    const here = [...path, id];
    if (here.length > scenario.timeline.length * 3) continue; // a cycle: validation reports those
    if (node.type === 'end') paths.push(here);
    for (const exit of exitsOf(node)) stack.push({ id: exit.next, path: here });
  }
  return { paths, truncated };
}

export type { LogEvent };

/**
 * Runs the engine down every combination of decision options (for one seed),
 * as a decision tree. Each run is a leaf: the decisions it does not fix take
 * their default, and for every such decision on its path the other options on
 * offer there become new runs (the choices before it fixed as this run made
 * them, so the engine replays the same path up to it). One engine run per
 * combination, none for the inner nodes of the tree. `branchOn` restricts the
 * walk to some decisions (the others take their default). Returns every
 * leaf's choices and ending; a path that does not end throws.
 */
export function walkDecisionPaths(
  scenario: Scenario,
  seed: string,
  limit = 5_000,
  branchOn: (decisionId: string) => boolean = () => true,
): { runs: Array<{ choices: Record<string, string>; ended: string }>; truncated: boolean } {
  const decisions = new Set(scenario.timeline.flatMap((n) => (n.type === 'decision' && branchOn(n.id) ? [n.id] : [])));
  const compiled = compileScenario(scenario);
  const runs: Array<{ choices: Record<string, string>; ended: string }> = [];
  const stack: Array<Record<string, string>> = [{}];
  while (stack.length) {
    if (runs.length >= limit) return { runs, truncated: true };
    const fixed = stack.pop()!;
    const result = rehearse(scenario, { choices: fixed, seed, compiled });
    runs.push({ choices: result.choices, ended: result.ended });
    // Every decision this run left free took its default; its other options on offer are runs of their own.
    const prefix = { ...fixed };
    for (const id of result.path) {
      if (!decisions.has(id) || id in prefix) continue;
      const taken = result.choices[id]!;
      for (const optionId of result.offered[id] ?? []) if (optionId !== taken) stack.push({ ...prefix, [id]: optionId });
      prefix[id] = taken;
    }
  }
  return { runs, truncated: false };
}
