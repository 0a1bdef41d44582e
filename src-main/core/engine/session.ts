/**
 * A whole session: the shared exercise clock plus one TeamEngine per team.
 *
 * Each operation takes the wall time it happens at and returns the log events
 * it produced, in order, ready to be appended in one transaction. The same
 * class rebuilds a session from its log (`replay`), checking that the engine
 * reproduces every engine event that was recorded.
 */
import type { Scenario } from '../scenario/schema.ts';
import { scenarioTimeAt, stoppedClock, wallTimeFor, type ClockSpeed, type ClockState } from './clock.ts';
import { applyClockEvent, CLOCK_EVENT_TYPES, type ClockEvent } from './clock-events.ts';
import {
  ENGINE_EVENT_TYPES,
  TEAM_COMMAND_TYPES,
  type Annotation,
  type LogBody,
  type LogEvent,
  type NewLogEvent,
  type SessionConfig,
  type TeamCommand,
  UNDOABLE_TYPES,
} from './events.ts';
import { compileScenario, type CompiledScenario } from './machine.ts';
import { EngineRejection, TeamEngine, type TimedEngineEvent } from './team.ts';

import type { SessionStatus } from '../enums.ts';

export type { SessionStatus };

/** The log does not match what the engine produces: tampering, or a scenario that changed. */
export class ReplayMismatch extends Error {
  constructor(
    readonly seq: number,
    message: string,
  ) {
    super(`Event ${seq}: ${message}`);
    this.name = 'ReplayMismatch';
  }
}

export class SessionEngine {
  readonly config: SessionConfig;
  readonly scenario: Scenario;
  readonly teams = new Map<string, TeamEngine>();
  #clock: ClockState;
  #status: SessionStatus = 'setup';
  #compiled: CompiledScenario;

  private constructor(scenario: Scenario, config: SessionConfig, compiled?: CompiledScenario) {
    this.scenario = scenario;
    this.config = config;
    this.#compiled = compiled ?? compileScenario(scenario);
    this.#clock = stoppedClock(config.speed);
    for (const team of config.teams) this.teams.set(team.id, new TeamEngine(this.#compiled, team.id, config.seed));
  }

  /** A new session; returns the engine and its first log event (`session.created`). */
  static create(scenario: Scenario, config: SessionConfig, wallMs: number, compiled?: CompiledScenario): { engine: SessionEngine; events: NewLogEvent[] } {
    const engine = new SessionEngine(scenario, config, compiled);
    return { engine, events: [{ type: 'session.created', payload: config, teamId: null, origin: 'command', scenarioMs: 0, wallMs }] };
  }

  get status(): SessionStatus {
    return this.#status;
  }

  get clock(): ClockState {
    return this.#clock;
  }

  scenarioTimeAt(wallMs: number): number {
    return Math.floor(scenarioTimeAt(this.#clock, wallMs));
  }

  team(teamId: string): TeamEngine {
    const team = this.teams.get(teamId);
    if (!team) throw new EngineRejection('not_found', `This session has no team ${teamId}.`, '/teamId');
    return team;
  }

  /** Starts the exercise clock; every team enters the scenario's first node. */
  start(wallMs: number): NewLogEvent[] {
    if (this.#status !== 'setup') throw new EngineRejection('conflict', 'This session has already started.');
    const out: NewLogEvent[] = [this.#clockEvent({ type: 'session.started', payload: {} }, wallMs, 0)];
    for (const [teamId, team] of this.teams) this.#engineEvents(teamId, team.start(), wallMs, out);
    return out;
  }

  /** Brings every team up to the scenario time at `wallMs`; returns what became due. */
  tick(wallMs: number): NewLogEvent[] {
    if (this.#status === 'setup' || this.#status === 'ended') return [];
    const now = this.scenarioTimeAt(wallMs);
    const out: NewLogEvent[] = [];
    // Teams with nothing due are not sent a TICK (it would change only their `now`): a tick costs
    // what became due, not a state-machine step per team. A team is settled before its own command.
    for (const [teamId, team] of this.teams) {
      const due = team.advanceTo(now, false);
      if (due.length > 0) this.#engineEvents(teamId, due, wallMs, out);
    }
    return out;
  }

  pause(wallMs: number): NewLogEvent[] {
    this.#requireStatus('running', 'The clock is not running.');
    const out = this.tick(wallMs);
    out.push(this.#clockEvent({ type: 'clock.paused', payload: {} }, wallMs, this.scenarioTimeAt(wallMs)));
    return out;
  }

  resume(wallMs: number): NewLogEvent[] {
    this.#requireStatus('paused', 'The clock is not paused.');
    return [this.#clockEvent({ type: 'clock.resumed', payload: {} }, wallMs, this.#clock.anchorScenarioMs)];
  }

  setSpeed(speed: ClockSpeed, wallMs: number): NewLogEvent[] {
    this.#requireActive();
    const out = this.tick(wallMs);
    out.push(this.#clockEvent({ type: 'clock.speedChanged', payload: { speed } }, wallMs, this.scenarioTimeAt(wallMs)));
    return out;
  }

  /** Jumps scenario time forward to the next pending inject of any team, and delivers it. */
  advance(wallMs: number): NewLogEvent[] {
    this.#requireActive();
    const out = this.tick(wallMs);
    const pending = [...this.teams.values()].map((t) => t.pendingInjectMs()).filter((ms): ms is number => ms !== null);
    if (pending.length === 0) {
      throw new EngineRejection('conflict', 'No team is waiting for an inject: record the open decisions first.');
    }
    const to = Math.max(this.scenarioTimeAt(wallMs), Math.min(...pending));
    out.push(this.#clockEvent({ type: 'clock.jumped', payload: { toScenarioMs: to } }, wallMs, to));
    out.push(...this.tick(wallMs));
    return out;
  }

  teamCommand(teamId: string, command: TeamCommand, wallMs: number): NewLogEvent[] {
    this.#requireActive();
    const team = this.team(teamId);
    const out = this.tick(wallMs);
    const at = this.scenarioTimeAt(wallMs);
    const { due, produced } = team.commandAt(command, at); // throws before anything is recorded
    this.#engineEvents(teamId, due, wallMs, out); // nothing is due after tick
    out.push(Object.assign({}, command, { teamId, origin: 'command' as const, scenarioMs: at, wallMs }));
    return this.#engineEvents(teamId, produced, wallMs, out);
  }

  annotate(teamId: string | null, note: Annotation['payload'], wallMs: number): NewLogEvent[] {
    if (teamId !== null) this.team(teamId);
    const at = this.#status === 'setup' ? 0 : this.scenarioTimeAt(wallMs);
    return [{ type: 'note.added', payload: note, teamId, origin: 'command', scenarioMs: at, wallMs }];
  }

  /**
   * Undoes `corrected` (the team's last command or a note), recording a
   * correcting event. The caller checks against the log that nothing has
   * happened to the team since; the engine refuses too if time moved on.
   */
  correct(corrected: Pick<LogEvent, 'seq' | 'type' | 'teamId'>, reason: string, wallMs: number): NewLogEvent[] {
    this.#requireActive();
    if (!UNDOABLE_TYPES.has(corrected.type)) throw new EngineRejection('conflict', `A ${corrected.type} event cannot be undone.`);
    if (corrected.type !== 'note.added') this.team(corrected.teamId!).undo();
    return [
      {
        type: 'event.corrected',
        payload: { correctedSeq: corrected.seq, reason },
        teamId: corrected.teamId,
        origin: 'command',
        scenarioMs: this.scenarioTimeAt(wallMs),
        wallMs,
      },
    ];
  }

  end(reason: string, wallMs: number): NewLogEvent[] {
    if (this.#status === 'ended') throw new EngineRejection('conflict', 'This session has already ended.');
    const out = this.#status === 'setup' ? [] : this.tick(wallMs);
    out.push(this.#clockEvent({ type: 'session.ended', payload: { reason } }, wallMs, this.scenarioTimeAt(wallMs)));
    return out;
  }

  /** Wall time at which the next engine event is due, or null while paused / manual / idle. */
  nextWakeWallMs(): number | null {
    if (this.#status !== 'running') return null;
    let earliest: number | null = null;
    for (const team of this.teams.values()) {
      const due = team.nextDueMs();
      if (due !== null && (earliest === null || due < earliest)) earliest = due;
    }
    return earliest === null ? null : wallTimeFor(this.#clock, earliest);
  }

  /**
   * Rebuilds a session from its log. Commands are re-applied; every recorded
   * engine event must be reproduced exactly (type, payload, scenario time).
   */
  static replay(scenario: Scenario, events: readonly LogEvent[], compiled?: CompiledScenario): SessionEngine {
    const first = events[0];
    if (!first || first.type !== 'session.created') throw new ReplayMismatch(first?.seq ?? 0, 'the log does not begin with session.created.');
    const engine = new SessionEngine(scenario, first.payload, compiled);
    const queues = new Map<string, TimedEngineEvent[]>([...engine.teams.keys()].map((id) => [id, []]));
    const queue = (teamId: string | null, seq: number): TimedEngineEvent[] => {
      const q = teamId === null ? undefined : queues.get(teamId);
      if (!q) throw new ReplayMismatch(seq, `unknown team ${String(teamId)}.`);
      return q;
    };

    let bySeq: Map<number, LogEvent> | undefined; // built at the first correction: one index, not a scan per correction
    for (let i = 1; i < events.length; i++) {
      const ev = events[i]!;
      try {
        if (ENGINE_EVENT_TYPES.has(ev.type)) {
          const q = queue(ev.teamId, ev.seq);
          if (q.length === 0) q.push(...engine.team(ev.teamId!).advanceTo(ev.scenarioMs));
          const expected = q.shift();
          if (!expected) throw new ReplayMismatch(ev.seq, `the engine produces nothing at ${ev.scenarioMs} ms, but the log records ${ev.type}.`);
          if (expected.event.type !== ev.type || expected.scenarioMs !== ev.scenarioMs || !sameJson(expected.event.payload, ev.payload)) {
            throw new ReplayMismatch(
              ev.seq,
              `the log records ${ev.type} ${JSON.stringify(ev.payload)} at ${ev.scenarioMs} ms, the engine produces ${expected.event.type} ${JSON.stringify(expected.event.payload)} at ${expected.scenarioMs} ms.`,
            );
          }
          continue;
        }
        if (TEAM_COMMAND_TYPES.has(ev.type)) {
          const team = engine.team(ev.teamId!);
          const q = queue(ev.teamId, ev.seq);
          const { due, produced } = team.commandAt(ev as unknown as TeamCommand, ev.scenarioMs);
          q.push(...due, ...produced);
          continue;
        }
        if (ev.type === 'event.corrected') {
          bySeq ??= new Map(events.map((e) => [e.seq, e]));
          const corrected = bySeq.get(ev.payload.correctedSeq);
          if (!corrected || corrected.seq >= ev.seq || !UNDOABLE_TYPES.has(corrected.type) || corrected.teamId !== ev.teamId) {
            throw new ReplayMismatch(ev.seq, `the correction names event ${ev.payload.correctedSeq}, which cannot be corrected.`);
          }
          if (corrected.type !== 'note.added') {
            const team = engine.team(ev.teamId!);
            queue(ev.teamId, ev.seq).push(...team.advanceTo(ev.scenarioMs));
            team.undo();
          }
          continue;
        }
        if (CLOCK_EVENT_TYPES.has(ev.type)) {
          engine.#applyClock(ev as ClockEvent);
          if (ev.type === 'session.started') for (const [teamId, team] of engine.teams) queue(teamId, ev.seq).push(...team.start());
        }
      } catch (error) {
        if (error instanceof ReplayMismatch) throw error;
        if (error instanceof EngineRejection) throw new ReplayMismatch(ev.seq, `the engine refuses ${ev.type}: ${error.message}`);
        throw error;
      }
    }
    for (const [teamId, q] of queues) {
      if (q.length > 0) {
        throw new ReplayMismatch(events.at(-1)!.seq, `team ${teamId}: the engine produced ${q[0]!.event.type} that the log does not record.`);
      }
    }
    return engine;
  }

  /** After a crash, a running session comes back paused at the scenario time of its last event. */
  recoverPaused(lastEvent: LogEvent, wallMs: number): NewLogEvent[] {
    if (this.#status !== 'running') return [];
    return [this.#clockEvent({ type: 'clock.paused', payload: {} }, wallMs, lastEvent.scenarioMs)];
  }

  /** Creates a clock event and applies it: live and replay go through the same #applyClock. */
  #clockEvent(body: Extract<LogBody, { type: ClockEvent['type'] }>, wallMs: number, scenarioMs: number): NewLogEvent {
    const event: ClockEvent & NewLogEvent = { ...body, teamId: null, origin: 'command', scenarioMs: Math.floor(scenarioMs), wallMs };
    this.#applyClock(event);
    return event;
  }

  /** The clock follows the one clock reducer; the session's status follows the clock events. */
  #applyClock(event: ClockEvent): void {
    this.#clock = applyClockEvent(this.#clock, event);
    if (event.type === 'session.started' || event.type === 'clock.resumed') this.#status = 'running';
    else if (event.type === 'clock.paused') this.#status = 'paused';
    else if (event.type === 'session.ended') this.#status = 'ended';
  }

  /** The team's engine events as log events, appended to `out` (returned). */
  #engineEvents(teamId: string, events: TimedEngineEvent[], wallMs: number, out: NewLogEvent[]): NewLogEvent[] {
    // Object.assign, not a spread followed by new keys (a slow path in V8): the same object, key for key.
    for (const { event, scenarioMs } of events) out.push(Object.assign({}, event, { teamId, origin: 'engine' as const, scenarioMs, wallMs }));
    return out;
  }

  #requireStatus(status: SessionStatus, message: string): void {
    if (this.#status !== status) throw new EngineRejection('conflict', message);
  }

  #requireActive(): void {
    if (this.#status !== 'running' && this.#status !== 'paused') {
      throw new EngineRejection('conflict', this.#status === 'setup' ? 'Start the session first.' : 'This session has ended.');
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
