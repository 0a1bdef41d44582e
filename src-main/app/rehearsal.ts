import { createHash, randomUUID } from 'node:crypto';
import { rehearse, type ChoiceStrategy, type RehearsalResult } from '../core/engine/rehearse.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import type { Store } from '../store/store.ts';

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
