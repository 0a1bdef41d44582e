/**
 * Logs recorded by an earlier engine must replay exactly: auditors verify
 * them, and `SessionEngine.replay` refuses a log whose engine events it does
 * not reproduce. `recorded-by-actor-engine.json` holds sessions recorded with
 * main at 2f9a306, when each team was a live XState actor and a command was
 * preceded by a settling TICK (random facilitator sessions: two teams,
 * decisions, milestones, contingencies, pauses, manual advances and many
 * undos, on parallel tracks (also with both tracks' injects due at once, the
 * scenario then held inline), the format 1.1 rules and a bundled scenario),
 * with each team's state after that engine replayed them. Today's engine must
 * replay every one and end in the same state. (Recorded once, with main's
 * `SessionEngine` exactly as the app drives it: a tick before every action; one
 * session is scripted so that an undo is followed by both tracks' injects
 * coming due at once, the order `engine-undo-order.test.ts` pins.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { FIXTURES_DIR } from '../fixtures/scenarios/build.ts';

const ROOT = join(FIXTURES_DIR, '..', '..', '..');

interface Recorded {
  recordedBy: string;
  sessions: Array<{ scenario: string; scenarioJson?: string; log: LogEvent[]; teams: Record<string, { persisted: unknown; path: string[]; nextDueMs: number | null }> }>;
}

const recorded = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'engine-logs', 'recorded-by-actor-engine.json'), 'utf8')) as Recorded;

describe('logs recorded by the actor-based engine', () => {
  it('holds sessions with undos on parallel tracks, the format 1.1 rules and a bundled scenario', () => {
    const undos = recorded.sessions.flatMap((s) => s.log).filter((e) => e.type === 'event.corrected').length;
    expect(undos).toBeGreaterThan(20);
    expect(new Set(recorded.sessions.map((s) => s.scenario)).size).toBe(4);
  });

  for (const [k, session] of recorded.sessions.entries()) {
    it(`replays exactly, to the same state: ${session.scenario} #${k}`, () => {
      const parsed = parseScenarioText(session.scenarioJson ?? readFileSync(join(ROOT, session.scenario), 'utf8'));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const engine = SessionEngine.replay(parsed.scenario, session.log);
      for (const [teamId, expected] of Object.entries(session.teams)) {
        const team = engine.team(teamId);
        // As text: the stored snapshot is this JSON, key order included.
        expect(JSON.stringify({ persisted: team.persisted(), path: team.context.path, nextDueMs: team.nextDueMs() })).toBe(JSON.stringify(expected));
      }
    });
  }
});
