/**
 * Logs recorded before a machine of one track was compiled to step cheaper
 * (`oneTrack` in machine.ts) must replay exactly with it. The fixture holds
 * random facilitator sessions (two teams: decisions, milestones,
 * contingencies, pauses, speed changes, manual advances, undos) recorded with
 * main at a53f838's `SessionEngine` as the app drives it (a tick before every
 * action), on the two scenarios whose shapes the pass-through meets most: the
 * bench's looping one (a choice back through an inject to its decision) and
 * one with chains of injects due at once after a choice or a time-out, inject
 * effects, a contingency counting from a passed-through inject, an inject due
 * a minute in, a branch, a roll and an end after injects (inline). Each team's
 * state after that engine replayed them is kept; today's engine, in its
 * compiled form and in the plain one, must replay every log to the same state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import { compileScenario } from '../../src-main/core/engine/machine.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { FIXTURES_DIR } from '../fixtures/scenarios/build.ts';

interface Recorded {
  recordedBy: string;
  sessions: Array<{ scenario: string; scenarioJson: string; log: LogEvent[]; teams: Record<string, { persisted: unknown; path: string[]; nextDueMs: number | null }> }>;
}

const recorded = JSON.parse(readFileSync(join(FIXTURES_DIR, '..', 'engine-logs', 'recorded-before-one-track-form.json'), 'utf8')) as Recorded;

describe('logs recorded before the one-track form', () => {
  it('holds sessions with undos, time-outs and injects passed through', () => {
    const log = recorded.sessions.flatMap((s) => s.log);
    expect(log.filter((e) => e.type === 'event.corrected').length).toBeGreaterThan(20);
    expect(log.filter((e) => e.type === 'decision.timedOut').length).toBeGreaterThan(0);
    expect(log.filter((e) => e.type === 'contingency.fired').length).toBeGreaterThan(0);
    expect(new Set(recorded.sessions.map((s) => s.scenario))).toEqual(new Set(['looping', 'shapes']));
  });

  for (const [k, session] of recorded.sessions.entries()) {
    it(`replays exactly, to the same state, in both forms: ${session.scenario} #${k}`, () => {
      // As the store loads a recorded session's scenario: its schema only. One fixture scenario has an option leading
      // straight back to its own decision, which validation now refuses (the team would stall); logs recorded with it still replay.
      const parsed = parseScenarioText(session.scenarioJson, { rules: 'schema' });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(compileScenario(parsed.scenario).layout.declared).toBe(false); // one track: the compiled form is the cheaper one
      for (const compiled of [compileScenario(parsed.scenario), compileScenario(parsed.scenario, { plain: true })]) {
        const engine = SessionEngine.replay(parsed.scenario, session.log, compiled);
        for (const [teamId, expected] of Object.entries(session.teams)) {
          const team = engine.team(teamId);
          // As text: the stored snapshot is this JSON, key order included.
          expect(JSON.stringify({ persisted: team.persisted(), path: team.context.path, nextDueMs: team.nextDueMs() })).toBe(JSON.stringify(expected));
        }
      }
    });
  }
});
