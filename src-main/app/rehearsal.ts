import { createHash, randomUUID } from 'node:crypto';
import { rehearse, type ChoiceStrategy, type RehearsalResult } from '../core/engine/rehearse.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import type { Store } from '../store/store.ts';

/** What the contract's `Rehearsal` shows of a run: the path with each node's kind and title, the ending, milestone times and scores. */
export function rehearsalView(scenario: Scenario, run: Pick<RehearsalResult, 'ended' | 'result' | 'path' | 'tracks' | 'milestones' | 'choices' | 'score'>) {
  const byId = new Map(scenario.timeline.map((n) => [n.id, n]));
  const titleOf = (nodeId: string) => {
    const node = byId.get(nodeId);
    return node && 'title' in node && node.title ? node.title : nodeId;
  };
  return {
    ended: run.ended,
    endTitle: titleOf(run.ended),
    result: run.result,
    path: run.path.map((nodeId) => ({ id: nodeId, type: byId.get(nodeId)?.type ?? 'unknown', title: titleOf(nodeId) })),
    ...(run.tracks
      ? { tracks: run.tracks.map((t) => ({ id: t.id, title: t.title, endTitle: t.ended === null ? null : titleOf(t.ended), result: t.result, steps: t.path.length })) }
      : {}),
    milestones: run.milestones,
    choices: run.choices,
    score: run.score,
  };
}

/**
 * Rehearses a scenario and, with a store, records the run as a session, so an
 * author can open it like any other (its log replays and verifies the same way).
 */
export function rehearseScenario(
  scenario: Scenario,
  options: { choices: ChoiceStrategy; seed: string; store?: Store; now?: () => number },
): RehearsalResult & { sessionId: string | null } {
  const scenarioJson = JSON.stringify(scenario);
  const scenarioSha256 = createHash('sha256').update(scenarioJson).digest('hex');
  const startWallMs = (options.now ?? Date.now)();
  const result = rehearse(scenario, { choices: options.choices, seed: options.seed, scenarioSha256, startWallMs });
  if (!options.store) return { ...result, sessionId: null };
  const sessionId = randomUUID();
  const stored = options.store.sessions.create(
    {
      id: sessionId,
      name: result.config.name,
      facilitator: result.config.facilitator,
      scenarioId: scenario.meta.id,
      scenarioVersion: scenario.meta.version,
      scenarioSha256,
      scenarioJson,
      wallMs: startWallMs,
    },
    result.events,
  );
  // create() files the events under status 'setup'; the rehearsal ended.
  options.store.sessions.append(sessionId, [], [], 'ended', stored.at(-1)?.wallMs ?? startWallMs);
  return { ...result, sessionId };
}
