/**
 * The two-tracks fixture (a technical and an executive track, roles ic, ciso
 * and legal) with evidence of a test's own, and participants joined to its
 * team-1, for the tests of what phones see and may ask for with parallel tracks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { FIXTURES_DIR } from '../fixtures/scenarios/build.ts';

/** The fixture's text with `evidence` added, listed on the injects named in `attach` (inject id -> evidence ids). */
export function twoTracksText(evidence: unknown[], attach: Record<string, string[]>): string {
  const json = JSON.parse(readFileSync(join(FIXTURES_DIR, 'two-tracks.json'), 'utf8')) as { evidence?: unknown[]; timeline: Array<{ id: string; evidence?: string[] }> };
  json.evidence = evidence;
  for (const node of json.timeline) if (attach[node.id]) node.evidence = attach[node.id];
  return JSON.stringify(json);
}

/** The same, parsed and checked as the app loads it. */
export function twoTracksScenario(evidence: unknown[], attach: Record<string, string[]>): Scenario {
  const parsed = parseScenarioText(twoTracksText(evidence, attach));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** A participant joining team-1 (with a role, or none), as the log records it. */
export function joinedEvent(seq: number, participantId: string, role?: string): LogEvent {
  return {
    type: 'participant.joined',
    teamId: 'team-1',
    payload: { participantId, name: participantId, role },
    seq,
    sessionId: 's',
    origin: 'command',
    scenarioMs: 0,
    wallMs: 1000,
    prevHash: '',
    hash: '',
  };
}
