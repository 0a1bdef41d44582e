/**
 * The two-tracks fixture (a technical and an executive track, roles ic, ciso
 * and legal) with evidence of a test's own, and participants joined to its
 * team-1, for the tests of what phones see and may ask for with parallel tracks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stoppedClock } from '../../src-main/core/engine/clock.ts';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import { presenterView, type PresenterView } from '../../src-main/core/presenter.ts';
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

/**
 * Team-1's room view ("Blue") with both tracks under way: the technical
 * track's t2 is the team's latest inject, the executive track's x1 still open
 * with its decision xd1; `revealed` evidence already shown, `spotlit` on the
 * room screen.
 */
export function twoTracksRoom(scenario: Scenario, options: { revealed?: readonly string[]; spotlit?: string | null } = {}): PresenterView {
  const spotlit = options.spotlit ?? null;
  return presenterView(scenario, {
    sessionId: 's',
    sessionName: 'Drill',
    status: 'running',
    clock: stoppedClock(1, 16 * 60_000),
    sensitivity: 'TLP:CLEAR',
    team: { id: 'team-1', name: 'Blue' },
    latest: { kind: 'inject', id: 't2', atMs: 15 * 60_000 },
    openDecision: null,
    endedAt: null,
    tracks: [
      { id: 'technical', title: 'Technical response', latest: { id: 't2', atMs: 15 * 60_000 }, openDecision: null, endedAt: null },
      { id: 'executive', title: 'Executive & legal', latest: { id: 'x1', atMs: 5 * 60_000 }, openDecision: { id: 'xd1', openedAtMs: 5 * 60_000, deadlineMs: null }, endedAt: null },
    ],
    text: { vars: {}, revealed: new Set(options.revealed ?? []) },
    display: { slide: null, spotlight: spotlit === null ? null : { evidenceId: spotlit, record: null }, scroll: 0, clock: true },
  });
}
