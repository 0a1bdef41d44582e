import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CreateSessionInput, SetRoomInput, SessionStateResult } from '../api/sessions.ts';
import type { ClockSpeed } from '../core/engine/clock.ts';
import type { HseepRating } from '../core/enums.ts';
import { PARTICIPATION_TYPES, UNDOABLE_TYPES, type LogEvent, type NewLogEvent, type ParticipationRecord, type SessionConfig, type TeamCommand } from '../core/engine/events.ts';
import { MINUTE_MS } from '../core/engine/machine.ts';
import { availableOptions, nextPossibleMs } from '../core/engine/rules.ts';
import { ReplayMismatch, SessionEngine } from '../core/engine/session.ts';
import { EngineRejection } from '../core/engine/team.ts';
import { DEFAULT_ROOM_DISPLAY, presenterView, roomView, type PresenterInput, type PresenterView, type RoomDisplay, type RoomView, type TeamTextState } from '../core/presenter.ts';
import { applyReveal, revealable, revealedFor, type Reveals } from '../core/reveals.ts';
import { RoomDisplaySchema } from '../api/sessions.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import type { SessionRecord, TeamSnapshotRow } from '../store/sessions.ts';
import type { Store } from '../store/store.ts';
import { AppError, diskFullError } from './errors.ts';
import { sessionScenario } from './exports.ts';
import type { EventHub } from './events.ts';

/** How far back (in events) undo looks for the action to correct. */
const UNDO_WINDOW = 200;

/** How often a session whose events the disk refused tries to write them again. */
export const DISK_RETRY_MS = 5_000;

/**
 * Where a team is, as the screens should see it: nothing has been delivered
 * before the session starts, and no decision is open once it has ended.
 */
function teamProgress(engine: SessionEngine, teamId: string) {
  const team = engine.team(teamId);
  const ctx = team.context;
  const started = engine.status !== 'setup';
  const active = engine.status === 'running' || engine.status === 'paused';
  const tracks = team.tracks.map(({ track, node, position }) => {
    const limit = node?.type === 'decision' ? node.timeLimitMinutes : undefined;
    const open = position.openDecision;
    return {
      id: track.id,
      title: track.title,
      roles: track.roles,
      nodeId: started ? (node?.id ?? null) : null,
      currentInject: started ? position.currentInject : null,
      currentInjectAtMs: started ? position.currentInjectAt : null,
      openDecision:
        active && open
          ? {
              id: open.id,
              openedAtMs: open.openedAt,
              deadlineMs: limit === undefined ? null : open.openedAt + limit * MINUTE_MS,
              // Format 1.1: conditional options are on offer only while their condition holds (kept up to date while open).
              availableOptions: node?.type === 'decision' ? availableOptions(node, ctx).map((o) => o.id) : [],
            }
          : null,
      nextInjectMs: active && !ctx.ended && node?.type === 'inject' ? Math.max(ctx.now, Math.ceil((node.at ?? 0) * MINUTE_MS)) : null,
      ended: position.ended,
    };
  });
  // The team as one position (what a scenario without tracks always showed): the lead track's node, the
  // latest inject of any track, the first open decision (the lead track's first), the next inject due.
  const latest = tracks.reduce<(typeof tracks)[number] | undefined>(
    (best, t) => (t.currentInject !== null && (!best || (t.currentInjectAtMs ?? 0) > (best.currentInjectAtMs ?? 0)) ? t : best),
    undefined,
  );
  return {
    nodeId: tracks[0]!.nodeId,
    currentInject: latest?.currentInject ?? null,
    currentInjectAtMs: latest?.currentInjectAtMs ?? null,
    openDecision: tracks.find((t) => t.openDecision)?.openDecision ?? null,
    nextInjectMs: active ? team.pendingInjectMs() : null,
    path: started ? [...ctx.path] : [],
    tracks,
  };
}

/**
 * The event an undo would correct: the team's most recent command, provided
 * everything recorded for the team after it was caused by it (same action,
 * same wall time) — i.e. neither time nor anyone has moved the team on since.
 */
export function undoTarget(recent: readonly LogEvent[], teamId: string | null): LogEvent {
  // What participants did (votes, questions) is not the team's action and does not move the team on.
  const mine = recent.filter((e) => e.teamId === teamId && !PARTICIPATION_TYPES.has(e.type));
  const last = [...mine].reverse().find((e) => e.origin === 'command');
  const nothing = teamId === null ? 'There is no session note to undo.' : 'There is nothing to undo for this team.';
  if (!last) throw new AppError('conflict', nothing);
  if (last.type === 'event.corrected') throw new AppError('conflict', 'The last action was already undone.');
  if (!UNDOABLE_TYPES.has(last.type)) throw new AppError('conflict', nothing);
  const later = mine.filter((e) => e.seq > last.seq);
  if (later.some((e) => e.wallMs !== last.wallMs)) {
    throw new AppError('conflict', 'Too late to undo: the team has moved on since (an inject or a time limit came due).');
  }
  return last;
}

/** Where the runner gets wall time and timers (real ones in the app, fake ones in tests). */
export interface RunnerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: RunnerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The runner's in-memory state of one open session (its engine, record, timer and what awaits the disk); not the renderer's LiveSession. */
interface RunnerSession {
  engine: SessionEngine;
  record: SessionRecord;
  timer: unknown;
  /** The wall time `timer` was set for. */
  wakeAt: number | null;
  /**
   * What time and the clock did on their own (injects that came due, the
   * pause after a restart) that the engine has applied but the disk refused
   * to take: written before anything else, retried until it is.
   */
  unsaved: NewLogEvent[];
  /** Why `unsaved` is not written yet (the disk-full message naming the folder); null once it is. */
  storageProblem: string | null;
}

/** What `recover()` says of one session it reopened. */
export interface RecoveryReport {
  sessionId: string;
  /** The session could not be reopened, or its pause could not be saved (with `code: 'disk_full'`). */
  error?: string;
  code?: string;
}

export interface Ack {
  seq: number;
  hash: string;
}

/**
 * Runs sessions: owns one SessionEngine per open session, turns every action
 * into log events, appends them durably (with the teams' snapshots) before
 * acknowledging, keeps a timer for the next thing due, and tells the windows.
 */
export class SessionRunner {
  readonly #store: Store;
  readonly #events: EventHub;
  readonly #clock: RunnerClock;
  readonly #loadScenario: (id: string) => Scenario;
  readonly #live = new Map<string, RunnerSession>();
  readonly #dataDir: string;

  constructor(options: { store: Store; events: EventHub; loadScenario: (id: string) => Scenario; clock?: RunnerClock; dataDir?: string }) {
    this.#store = options.store;
    this.#dataDir = options.dataDir ?? 'the data folder';
    this.#events = options.events;
    this.#loadScenario = options.loadScenario;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Reopens the sessions that were running or paused when the app stopped.
   * Each is rebuilt from its log; a session that was running comes back paused
   * at the scenario time of its last event.
   */
  recover(): RecoveryReport[] {
    const report: RecoveryReport[] = [];
    for (const record of this.#store.sessions.listActive()) {
      try {
        const live = this.#open(record.id);
        const last = this.#store.sessions.events(record.id, record.lastSeq - 1)[0];
        // No tick first: nothing may become due during the time the app was not running.
        if (last && live.engine.status === 'running') {
          const wallMs = this.#clock.now();
          try {
            this.#saveSystem(live, live.engine.recoverPaused(last, wallMs), wallMs);
          } finally {
            this.#schedule(live);
          }
        }
        report.push({ sessionId: record.id });
      } catch (error) {
        const full = diskFullError(error, this.#dataDir);
        if (full) {
          report.push({
            sessionId: record.id,
            code: 'disk_full',
            error: `it is paused, but the pause could not be saved yet. ${full.message} It is saved by itself as soon as there is space.`,
          });
        } else {
          report.push({ sessionId: record.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    return report;
  }

  create(input: z.output<typeof CreateSessionInput>): SessionStateResult {
    const scenario = this.#loadScenario(input.scenarioId);
    const scenarioJson = JSON.stringify(scenario);
    const targets: Record<string, number> = {};
    for (const m of scenario.milestones) targets[m.id] = Math.round((input.milestoneTargets?.[m.id] ?? m.targetMinutes) * MINUTE_MS);
    for (const id of Object.keys(input.milestoneTargets ?? {})) {
      if (!(id in targets)) throw new AppError('invalid_input', `The scenario has no milestone ${id}.`, `/milestoneTargets/${id}`);
    }
    const config: SessionConfig = {
      name: input.name,
      facilitator: input.facilitator,
      sensitivity: input.sensitivity ?? scenario.meta.sensitivity,
      scenarioId: scenario.meta.id,
      scenarioVersion: scenario.meta.version,
      scenarioSha256: createHash('sha256').update(scenarioJson).digest('hex'),
      seed: input.seed ?? randomUUID(),
      speed: input.speed,
      teams: input.teams.map((t, i) => ({
        id: `team-${i + 1}`,
        name: t.name,
        participants: t.participants.map((p) => ({ name: p.name, ...(p.role ? { role: p.role } : {}) })),
      })),
      milestoneTargets: targets,
    };
    const id = randomUUID();
    const wallMs = this.#clock.now();
    const { engine, events } = SessionEngine.create(scenario, config, wallMs);
    this.#store.sessions.create(
      {
        id,
        name: config.name,
        facilitator: config.facilitator,
        scenarioId: config.scenarioId,
        scenarioVersion: config.scenarioVersion,
        scenarioSha256: config.scenarioSha256,
        scenarioJson,
        wallMs,
      },
      events,
    );
    const live: RunnerSession = { engine, record: this.#store.sessions.get(id)!, timer: undefined, wakeAt: null, unsaved: [], storageProblem: null };
    this.#live.set(id, live);
    this.#events.emit('session.changed', { sessionId: id, seq: live.record.lastSeq });
    return this.state(id);
  }

  /** Every session, with the status the running engine has (the same `sessions.get` reports). */
  list(): SessionRecord[] {
    return this.#store.sessions.list().map((record) => {
      const live = this.#live.get(record.id);
      return live && live.engine.status !== record.status ? { ...record, status: live.engine.status } : record;
    });
  }

  state(sessionId: string): SessionStateResult {
    const live = this.#get(sessionId);
    const { engine, record } = live;
    const config = engine.config;
    return {
      id: record.id,
      name: config.name,
      facilitator: config.facilitator,
      sensitivity: config.sensitivity,
      scenarioId: config.scenarioId,
      scenarioVersion: config.scenarioVersion,
      scenarioTitle: engine.scenario.meta.title,
      seed: config.seed,
      status: engine.status,
      clock: engine.clock,
      milestoneTargets: config.milestoneTargets,
      lastSeq: record.lastSeq,
      lastHash: record.lastHash,
      teams: config.teams.map((team) => {
        const t = engine.team(team.id);
        const ctx = t.context;
        const progress = teamProgress(engine, team.id);
        return {
          id: team.id,
          name: team.name,
          participants: team.participants.map((p) => ({ name: p.name, ...(p.role ? { role: p.role } : {}) })),
          nodeId: progress.nodeId,
          currentInject: progress.currentInject,
          openDecision: progress.openDecision,
          nextInjectMs: progress.nextInjectMs,
          tracks: progress.tracks,
          milestones: ctx.milestones,
          objectives: ctx.objectives,
          variables: ctx.vars,
          score: ctx.score,
          path: progress.path,
          choices: ctx.choices,
          contingencies: Object.fromEntries(
            engine.scenario.contingencies.map((c) => {
              const firing = ctx.contingencies[c.id] ?? null;
              return [c.id, firing && { ...firing, nextPossibleMs: nextPossibleMs(c, firing) }];
            }),
          ),
          ended: ctx.ended,
        };
      }),
      storage: live.unsaved.length > 0 ? { waiting: live.unsaved.length, problem: live.storageProblem ?? 'The disk has not taken these events yet.' } : null,
    };
  }

  /** What the projector may know of one team: its latest inject or contingency, open decision and ending. */
  #presented(engine: SessionEngine, teamId: string): Pick<PresenterInput, 'team' | 'latest' | 'openDecision' | 'endedAt' | 'tracks'> {
    const team = engine.config.teams.find((t) => t.id === teamId);
    if (!team) throw new AppError('not_found', `This session has no team ${teamId}.`, '/teamId');
    const ctx = engine.team(teamId).context;
    const progress = teamProgress(engine, teamId);
    let latest: { kind: 'inject' | 'contingency'; id: string; atMs: number } | null =
      progress.currentInject !== null ? { kind: 'inject', id: progress.currentInject, atMs: progress.currentInjectAtMs ?? 0 } : null;
    // A contingency fired at the inject's own minute (a paused or manual clock) came after it: it is the one on screen.
    for (const [id, fired] of Object.entries(ctx.contingencies)) {
      if (fired && (latest === null || fired.firedAt >= latest.atMs)) latest = { kind: 'contingency', id, atMs: fired.firedAt };
    }
    const tracks = progress.tracks.map((t) => ({
      id: t.id,
      title: t.title,
      latest: t.currentInject !== null ? { id: t.currentInject, atMs: t.currentInjectAtMs ?? 0 } : null,
      openDecision: t.openDecision,
      endedAt: t.ended?.nodeId ?? null,
    }));
    return { team: { id: team.id, name: team.name }, latest, openDecision: progress.openDecision, endedAt: ctx.ended?.nodeId ?? null, tracks };
  }

  /** The projector's view of one team (room-facing content only). */
  presenter(sessionId: string, teamId: string): PresenterView {
    const { engine, record } = this.#get(sessionId);
    return presenterView(engine.scenario, {
      sessionId: record.id,
      sessionName: engine.config.name,
      status: engine.status,
      clock: engine.clock,
      sensitivity: engine.config.sensitivity,
      ...this.#presented(engine, teamId),
      display: this.room(sessionId),
      text: this.#textState(sessionId, engine, teamId),
    });
  }

  /** What a team's text depends on now: its variables (living text) and the evidence revealed to it. */
  #textState(sessionId: string, engine: SessionEngine, teamId: string, reveals: Reveals = this.reveals(sessionId)): TeamTextState {
    return { vars: engine.team(teamId).context.vars, revealed: revealedFor(reveals, teamId) };
  }

  /** The injects delivered to a team so far and the contingencies fired for it, in that order (ids). */
  delivered(sessionId: string, teamId: string): string[] {
    const { engine } = this.#get(sessionId);
    const ctx = engine.team(teamId).context;
    return [...teamProgress(engine, teamId).path, ...Object.keys(ctx.contingencies).filter((id) => ctx.contingencies[id] !== null)];
  }

  /** Each session's evidence reveals, folded from its log up to `seq`. */
  readonly #reveals = new Map<string, { reveals: Reveals; seq: number }>();

  /** The held-back evidence revealed to each team (format 1.1), folded from the log. */
  reveals(sessionId: string): Reveals {
    let folded = this.#reveals.get(sessionId);
    if (!folded) {
      folded = { reveals: new Map(), seq: 0 };
      this.#reveals.set(sessionId, folded);
    }
    const fresh = this.#store.sessions.events(sessionId, folded.seq);
    for (const event of fresh) applyReveal(folded.reveals, event);
    if (fresh.length > 0) folded.seq = fresh.at(-1)!.seq;
    return folded.reveals;
  }

  /**
   * Reveals a held-back evidence item to one team (format 1.1): recorded as
   * `evidence.revealed` through the same commit as every action, after
   * anything that became due first; every window of the session is told.
   */
  revealEvidence(sessionId: string, teamId: string, evidenceId: string, participantId: string | null): Ack {
    const live = this.#get(sessionId);
    if (!live.engine.config.teams.some((t) => t.id === teamId)) throw new AppError('not_found', `This session has no team ${teamId}.`, '/teamId');
    if (live.engine.status === 'ended') throw new AppError('conflict', 'This session has ended.');
    const ack = this.recordParticipation(sessionId, () => {
      const check = revealable(live.engine.scenario, evidenceId, this.delivered(sessionId, teamId), revealedFor(this.reveals(sessionId), teamId));
      if (!check.ok) throw new AppError(check.code, check.message, '/evidenceId');
      const payload =
        participantId === null
          ? { evidenceId, injectId: check.injectId, by: 'facilitator' as const }
          : { evidenceId, injectId: check.injectId, by: 'participant' as const, participantId };
      return [{ type: 'evidence.revealed', payload, teamId }];
    });
    this.#events.emit('session.changed', { sessionId, seq: ack.seq });
    this.#events.emit('participation.changed', { sessionId, teamId, seq: ack.seq });
    return ack;
  }

  /** The room view: every team of the session on one screen (room-facing content only). */
  roomView(sessionId: string): RoomView {
    const { engine, record } = this.#get(sessionId);
    const reveals = this.reveals(sessionId);
    return roomView(engine.scenario, {
      sessionId: record.id,
      sessionName: engine.config.name,
      status: engine.status,
      clock: engine.clock,
      sensitivity: engine.config.sensitivity,
      teams: engine.config.teams.map((t) => ({
        ...this.#presented(engine, t.id),
        milestones: { ...engine.team(t.id).context.milestones },
        text: this.#textState(sessionId, engine, t.id, reveals),
      })),
      display: this.room(sessionId),
    });
  }

  /**
   * What the facilitator has put on the room screen. Display state, kept in
   * its own table beside the log: it survives a restart, but it is not an
   * exercise fact, so it is neither hash-chained nor replayed nor reported.
   */
  room(sessionId: string): RoomDisplay {
    this.#get(sessionId);
    const stored = RoomDisplaySchema.safeParse(this.#store.roomDisplay.get(sessionId));
    return stored.success ? stored.data : { ...DEFAULT_ROOM_DISPLAY };
  }

  /** Changes the room screen (the fields given) and tells every window of the session. */
  setRoom(input: z.output<typeof SetRoomInput>): RoomDisplay {
    const { sessionId, ...change } = input;
    const live = this.#get(sessionId);
    const scenario = live.engine.scenario;
    if (change.spotlight && !scenario.evidence.some((e) => e.id === change.spotlight!.evidenceId)) {
      throw new AppError('not_found', `The scenario has no evidence ${change.spotlight.evidenceId}.`, '/spotlight/evidenceId');
    }
    const next: RoomDisplay = { ...this.room(sessionId) };
    if (change.slide !== undefined) next.slide = change.slide;
    if (change.spotlight !== undefined) next.spotlight = change.spotlight;
    if (change.scroll !== undefined) next.scroll = change.scroll;
    if (change.clock !== undefined) next.clock = change.clock;
    // A new spotlight starts at the top of the screen, unless told where to scroll.
    if (change.spotlight !== undefined && change.scroll === undefined) next.scroll = 0;
    this.#store.roomDisplay.set(sessionId, next, this.#clock.now());
    this.#events.emit('session.changed', { sessionId, seq: live.record.lastSeq });
    return next;
  }

  /** The scenario exactly as this session runs it. */
  scenario(sessionId: string): Scenario {
    return this.#get(sessionId).engine.scenario;
  }

  events(sessionId: string, afterSeq: number): LogEvent[] {
    this.#get(sessionId);
    return this.#store.sessions.events(sessionId, afterSeq);
  }

  /** Starts the clock; a speed chosen before the start takes effect at the start, in the same commit. */
  start(sessionId: string, speed?: ClockSpeed): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => {
      const started = live.engine.start(wall);
      return speed === undefined || speed === live.engine.clock.speed ? started : [...started, ...live.engine.setSpeed(speed, wall)];
    });
  }

  pause(sessionId: string): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.pause(wall));
  }

  resume(sessionId: string): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.resume(wall));
  }

  setSpeed(sessionId: string, speed: ClockSpeed): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.setSpeed(speed, wall));
  }

  advance(sessionId: string): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.advance(wall));
  }

  teamCommand(sessionId: string, teamId: string, command: TeamCommand): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.teamCommand(teamId, command, wall));
  }

  addNote(sessionId: string, teamId: string | null, note: { text: string; objectiveId?: string | undefined; rating?: HseepRating | undefined; author?: string | undefined }): Ack {
    const live = this.#get(sessionId);
    if (note.objectiveId !== undefined && !live.engine.scenario.objectives.some((o) => o.id === note.objectiveId)) {
      throw new AppError('not_found', `The scenario has no objective ${note.objectiveId}.`, '/objectiveId');
    }
    return this.#commit(live, (wall) => live.engine.annotate(teamId, note, wall));
  }

  /**
   * Undoes the last action recorded for a team (or the last session-wide note
   * when teamId is null), as long as nothing has happened to the team since:
   * the undo is itself recorded, as a correcting event.
   */
  undo(sessionId: string, teamId: string | null, reason: string): Ack & { corrected: { seq: number; type: string } } {
    const live = this.#get(sessionId);
    let corrected: LogEvent | undefined;
    const ack = this.#commit(live, (wallMs) => {
      if (teamId !== null) live.engine.team(teamId); // an unknown team is not_found, not internal
      corrected = undoTarget(this.#recentForUndo(sessionId, live.record.lastSeq), teamId);
      return live.engine.correct(corrected, reason, wallMs);
    });
    return { ...ack, corrected: { seq: corrected!.seq, type: corrected!.type } };
  }

  /**
   * The log's tail that undo looks at: at least `UNDO_WINDOW` events besides
   * participants' records, however many phones recorded since (their votes and
   * questions do not move a team on, so they must not push its last action out of reach).
   */
  #recentForUndo(sessionId: string, lastSeq: number): LogEvent[] {
    for (let from = Math.max(0, lastSeq - UNDO_WINDOW); ; from = Math.max(0, from - 4 * UNDO_WINDOW)) {
      const recent = this.#store.sessions.events(sessionId, from);
      if (from === 0 || recent.filter((e) => !PARTICIPATION_TYPES.has(e.type)).length >= UNDO_WINDOW) return recent;
    }
  }

  /**
   * Records what participants did (joins, votes, questions, hot-wash answers):
   * durable before the caller is acknowledged, like every command, after
   * anything that became due first. `produce` runs once the engine is up to
   * date (so it sees whether a decision is still open) and may refuse by
   * throwing an AppError. These records are never input to the engine, so the
   * windows are not told `session.changed` for them: the caller tells them.
   */
  recordParticipation(sessionId: string, produce: (at: { wallMs: number; scenarioMs: number }) => Array<ParticipationRecord & { teamId: string | null }>): Ack {
    const live = this.#get(sessionId);
    return this.#commit(
      live,
      (wallMs) => {
        const scenarioMs = live.engine.status === 'setup' ? 0 : live.engine.scenarioTimeAt(wallMs);
        return produce({ wallMs, scenarioMs }).map((record) => ({ ...record, origin: 'command', scenarioMs, wallMs }));
      },
      false,
    );
  }

  end(sessionId: string, reason: string): Ack {
    const live = this.#get(sessionId);
    return this.#commit(live, (wall) => live.engine.end(reason, wall));
  }

  /** Verifies a session's hash chain and replays it against the scenario it ran. */
  verify(sessionId: string): { ok: boolean; message: string; count: number; lastHash: string } {
    const chain = this.#store.sessions.verifyChain(sessionId);
    if (!chain.ok) return { ok: false, message: chain.message, count: 0, lastHash: '' };
    try {
      this.#replay(sessionId);
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error), count: chain.count, lastHash: chain.lastHash };
    }
    return { ok: true, message: 'The log is intact and replays to the same state.', count: chain.count, lastHash: chain.lastHash };
  }

  /** Stops all timers (the store stays open). */
  close(): void {
    for (const live of this.#live.values()) this.#clock.clearTimeout(live.timer);
    this.#live.clear();
  }

  #get(sessionId: string): RunnerSession {
    return this.#live.get(sessionId) ?? this.#open(sessionId);
  }

  #open(sessionId: string): RunnerSession {
    const record = this.#store.sessions.get(sessionId);
    if (!record) throw new AppError('not_found', `There is no session ${sessionId}.`, '/sessionId');
    const engine = this.#replay(sessionId);
    const live: RunnerSession = { engine, record, timer: undefined, wakeAt: null, unsaved: [], storageProblem: null };
    this.#live.set(sessionId, live);
    this.#schedule(live);
    return live;
  }

  #replay(sessionId: string): SessionEngine {
    const events = this.#store.sessions.events(sessionId);
    const scenario = sessionScenario(this.#store, sessionId, events);
    try {
      return SessionEngine.replay(scenario, events);
    } catch (error) {
      if (error instanceof ReplayMismatch) throw new AppError('conflict', `Session ${sessionId} cannot be rebuilt from its log: ${error.message}`);
      throw error;
    }
  }

  /**
   * Produces events for an action and makes them durable before returning.
   * Anything that became due first (an inject, a time limit) is committed on
   * its own, so a refused action never loses or reorders it.
   */
  #commit(live: RunnerSession, produce: (wallMs: number) => NewLogEvent[], notify = true): Ack {
    const wallMs = this.#clock.now();
    try {
      this.#saveSystem(live, live.engine.tick(wallMs), wallMs);
      this.#append(live, produce(wallMs), wallMs, notify);
    } catch (error) {
      if (error instanceof EngineRejection) throw new AppError(error.code, error.message, error.path);
      if (error instanceof AppError) throw error; // refused before anything of the action was applied
      // The store refused the action's events (disk full, I/O error): put the engine back where the disk is.
      this.#resync(live);
      throw diskFullError(error, this.#dataDir) ?? error;
    } finally {
      if (this.#live.get(live.record.id) === live) this.#schedule(live);
    }
    return { seq: live.record.lastSeq, hash: live.record.lastHash };
  }

  /**
   * Writes what time and the clock did on their own, after anything still
   * waiting from before. When the disk refuses, the events stay in the
   * engine and wait (the session is consistent: it reports what it shows)
   * and a `disk_full` error says why; they are written by the next action or
   * the next retry, whichever comes first.
   */
  #saveSystem(live: RunnerSession, events: NewLogEvent[], wallMs: number): void {
    // Nearly always nothing at all (no inject came due, nothing waits): then no call spreads an empty list.
    if (events.length > 0) live.unsaved.push(...events);
    if (live.unsaved.length === 0) return;
    try {
      this.#append(live, live.unsaved, wallMs);
      live.unsaved = [];
      live.storageProblem = null;
    } catch (error) {
      const full = diskFullError(error, this.#dataDir);
      if (full && live.storageProblem === null) {
        // Said once, when the disk first refuses, so every console shows why the log stands still.
        live.storageProblem = full.message;
        this.#events.emit('session.changed', { sessionId: live.record.id, seq: live.record.lastSeq });
      }
      throw full ?? error;
    }
  }

  /** Rebuilds a session's engine from its log on disk, plus what is still waiting to be written; forgets it if that fails. */
  #resync(live: RunnerSession): void {
    const id = live.record.id;
    try {
      const events = this.#store.sessions.events(id);
      const last = events.at(-1);
      const waiting = live.unsaved.map((e, i) => ({ ...e, sessionId: id, seq: (last?.seq ?? 0) + i + 1, prevHash: '', hash: '' }));
      live.engine = SessionEngine.replay(live.engine.scenario, [...events, ...waiting]);
      live.record = this.#store.sessions.get(id) ?? live.record;
    } catch {
      this.#live.delete(id);
      this.#clock.clearTimeout(live.timer);
    }
  }

  #append(live: RunnerSession, events: NewLogEvent[], wallMs: number, notify = true): void {
    if (events.length === 0) return;
    // The snapshots of the teams these events are about (the others have not changed since theirs), in order of appearance.
    const snapshots: TeamSnapshotRow[] = [];
    let lastTeam: string | null = null; // events of one team come together: most see the team just taken
    for (const e of events) {
      const teamId = e.teamId;
      if (teamId === null || teamId === lastTeam) continue;
      lastTeam = teamId;
      if (!snapshots.some((s) => s.teamId === teamId)) snapshots.push({ teamId, state: live.engine.team(teamId).persisted() });
    }
    const stored = this.#store.sessions.append(live.record.id, events, snapshots, live.engine.status, wallMs);
    const last = stored.at(-1)!;
    // Updated in place: the runner's own copy of the session row (read from the store, handed to no one), so no
    // reader holds it across an append; a copy per append was garbage at every decision.
    const record = live.record;
    record.lastSeq = last.seq;
    record.lastHash = last.hash;
    record.status = live.engine.status;
    record.updatedWallMs = wallMs;
    if (notify) this.#events.emit('session.changed', { sessionId: live.record.id, seq: last.seq });
  }

  #schedule(live: RunnerSession): void {
    const wake = live.unsaved.length > 0 ? this.#clock.now() + DISK_RETRY_MS : live.engine.nextWakeWallMs();
    if (live.timer !== undefined) {
      // Most actions leave the next thing due where it was: the timer already set for it stays.
      if (wake === live.wakeAt) return;
      this.#clock.clearTimeout(live.timer);
      live.timer = undefined;
    }
    if (wake === null) return;
    const delay = Math.max(0, Math.ceil(wake - this.#clock.now()));
    live.wakeAt = wake;
    live.timer = this.#clock.setTimeout(() => {
      live.timer = undefined;
      if (this.#live.get(live.record.id) !== live) return;
      const waiting = live.unsaved.length;
      try {
        const wallMs = this.#clock.now();
        this.#saveSystem(live, live.engine.tick(wallMs), wallMs);
      } catch (error) {
        // Reported once, when the disk first refuses; the retries are quiet.
        if (waiting === 0) console.error(`sandtable: session ${live.record.id} could not record what became due:`, error instanceof AppError ? error.message : error);
        if (!(error instanceof AppError)) {
          this.#live.delete(live.record.id);
          return;
        }
      }
      this.#schedule(live);
    }, delay);
  }
}
