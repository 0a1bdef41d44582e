/**
 * One team's run through a scenario: a snapshot of the compiled XState
 * machine, stepped by XState's own `machine.transition` (a macrostep, as an
 * actor would take it, without the actor's mailbox and inspection), driven by
 * scenario time and the team's commands, returning the engine events each step
 * produced. Pure: no I/O, no real timers.
 */
import { createActor } from 'xstate';
import type { TimelineNode } from '../scenario/schema.ts';
import type { EngineEvent, TeamCommand } from './events.ts';
import type { TrackInfo } from '../scenario/tracks.ts';
import { MINUTE_MS, regionKey, type CompiledScenario, type TeamContext, type TeamEvent, type TeamMachine, type TeamSnapshot, type TrackPosition } from './machine.ts';
import { availableOptions, contingencyDueAt, describeCondition, mayFireAgain, optionAvailable } from './rules.ts';

/** A command the engine cannot accept in the team's current state. */
export class EngineRejection extends Error {
  constructor(
    readonly code: 'conflict' | 'not_found',
    message: string,
    readonly path = '',
  ) {
    super(message);
    this.name = 'EngineRejection';
  }
}

/** One track of a team: the node it is at and its position. */
export interface TrackState {
  track: TrackInfo;
  node: TimelineNode | undefined;
  position: TrackPosition;
}

/** A state value as text: the node's state key (one track), or every region's as JSON (parallel tracks). */
function stateValueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface TeamSnapshotState {
  value: string;
  context: Omit<TeamContext, 'path' | 'visits'> & { pathLength: number; lastNode: string | null };
}

/** An engine event with the scenario time at which it happened. */
export interface TimedEngineEvent {
  event: EngineEvent;
  scenarioMs: number;
}

/** What the machine's `transition` is handed: the scope an actor would give it (XState's `ActorScope`). */
export type StepScope = Parameters<TeamMachine['transition']>[2];

/**
 * The `self` and `system` a machine's actions are handed (ours read neither), one unstarted actor per
 * compiled machine: stepping a snapshot needs no actor of its own.
 */
const inert = new WeakMap<TeamMachine, StepScope['self']>();
function inertActor(machine: TeamMachine): StepScope['self'] {
  let actor = inert.get(machine);
  if (!actor) inert.set(machine, (actor = createActor(machine, { input: { teamId: '', seed: '' } })));
  return actor;
}

/**
 * The scope an actor would hand `machine.transition` / `getInitialSnapshot` / `restoreSnapshot`, made by
 * hand so that a team is a snapshot stepped without an actor. It leans on how XState (pinned exactly in
 * package.json for this) runs a machine's actions inside a step: every action with an effect reaches
 * `actionExecutor` with its `exec`; the `emit` action's `exec` calls `defer(() => emit(event))`, which an
 * actor runs at the end of the step and this scope runs at once (the same order); `self`/`system` are
 * only read for inspection and spawning, which nothing here does (no `invoke`, `after`, `spawn`, delayed
 * `raise` or `sendTo`: those need a live actor and would silently do nothing). What the machine emits is
 * handed to `emitted`. `tests/unit/engine-step-scope.test.ts` holds this scope to a real XState actor.
 */
export function stepScope(machine: TeamMachine, emitted: (event: EngineEvent) => void): StepScope {
  const self = inertActor(machine);
  return {
    self,
    system: self.system,
    id: '',
    sessionId: '',
    logger: () => undefined,
    defer: (fn) => {
      fn();
    },
    emit: emitted,
    stopChild: () => undefined,
    actionExecutor: (action) => {
      action.exec?.(action.info, action.params);
    },
  };
}

/** The team before its last command (for undo), while nothing else has happened since. */
interface Checkpoint {
  snapshot: TeamSnapshot;
  pathLength: number;
  dueMs: number | null;
  /** The scenario time the command moved the team's clock to (`commandAt`), to be kept by an undo; null if it did not. */
  settledTo: number | null;
}

export class TeamEngine {
  readonly #compiled: CompiledScenario;
  #snapshot: TeamSnapshot;
  /** What the machine emitted during the step under way, stamped with the step's scenario time (`#at`) as it comes. */
  #collected: TimedEngineEvent[] = [];
  /** The scenario time of the step under way. */
  #at = 0;
  /** What entering the first node emitted (at scenario time 0), announced by `start()`. */
  #initial: TimedEngineEvent[];
  readonly #scope: StepScope;
  /** The team as it was before its last command, while nothing else has happened since (for undo). */
  #checkpoint: Checkpoint | null = null;
  /**
   * `nextDueMs` of one snapshot. A snapshot is immutable (the path aside, which it does not read), and a
   * command asks it of the same state several times (the runner's tick, the session's tick, the settle,
   * the undo checkpoint, the runner's timer): computed once per state, not once per question.
   */
  #due: { snapshot: TeamSnapshot; ms: number | null } | null = null;

  constructor(compiled: CompiledScenario, teamId: string, seed: string) {
    this.#compiled = compiled;
    this.#scope = stepScope(compiled.machine, (event) => {
      this.#collected.push({ event, scenarioMs: this.#at });
    });
    this.#snapshot = compiled.machine.getInitialSnapshot(this.#scope, { teamId, seed });
    this.#initial = this.#take();
  }

  /** True when the team's last command can still be rolled back. */
  get canUndo(): boolean {
    return this.#checkpoint !== null;
  }

  /** Rolls the team back to just before its last command. */
  undo(): void {
    const checkpoint = this.#checkpoint;
    if (!checkpoint) throw new EngineRejection('conflict', 'There is nothing to undo for this team: something has happened since.');
    // The path array is appended in place (every other context field is replaced, never mutated), so
    // the checkpoint shares it: cut it back in place. Undo costs what the command added, not the length
    // of the whole run.
    const path = this.context.path;
    path.length = Math.min(path.length, checkpoint.pathLength);
    // Restored as an actor restores a snapshot, as undo always has: XState lists a restored snapshot's
    // state nodes in the machine's order, not the order they were entered in, and that order is the
    // order parallel tracks' simultaneous events come out in — recorded logs hold it. XState walks
    // every element of a context array as it restores, so the path is left out and put back after.
    const light = Object.assign({}, checkpoint.snapshot, { context: Object.assign({}, checkpoint.snapshot.context, { path: [] }) });
    this.#snapshot = this.#compiled.machine.restoreSnapshot(light, this.#scope);
    this.#snapshot.context.path = path;
    // The command moved the team's clock as it was taken; that stays (as when a TICK settled it first).
    if (checkpoint.settledTo !== null) this.#step({ type: 'TICK', now: checkpoint.settledTo }, checkpoint.settledTo);
    this.#checkpoint = null;
  }

  /** Starts the team at the scenario's first node (at scenario time 0). */
  start(): TimedEngineEvent[] {
    const events = this.#initial;
    this.#initial = [];
    return events;
  }

  get context(): TeamContext {
    return this.#snapshot.context;
  }

  /** The timeline node the team's lead track is at (pending inject, open decision, or end). */
  get node(): TimelineNode | undefined {
    return this.#nodeOf(0);
  }

  /** Each track (one without `tracks`), the lead track first: the node it is at and its position. */
  get tracks(): TrackState[] {
    const value: unknown = this.#snapshot.value;
    const { layout, scenario } = this.#compiled;
    const positions = this.context.positions;
    return layout.tracks.map((track, k) => ({ track, node: this.#nodeOf(k, value, scenario), position: positions[track.id]! }));
  }

  /** The node the track at `index` is at (the machine's own state for one track, its region's with parallel tracks). */
  #nodeOf(index: number, value: unknown = this.#snapshot.value, scenario = this.#compiled.scenario): TimelineNode | undefined {
    const key = typeof value === 'string' ? value : (value as Record<string, unknown>)[regionKey(index)];
    return typeof key === 'string' ? scenario.timeline[Number(key.slice(1))] : undefined;
  }

  /** The decisions open for the team (at most one per track), the lead track's first. */
  openDecisions(): Array<{ track: string; id: string; openedAt: number }> {
    const open: Array<{ track: string; id: string; openedAt: number }> = [];
    const positions = this.context.positions;
    for (const track of this.#compiled.layout.tracks) {
      const decision = positions[track.id]?.openDecision;
      if (decision) open.push({ track: track.id, id: decision.id, openedAt: decision.openedAt });
    }
    return open;
  }

  /** Whether `decisionId` is open in one of the team's tracks (`openDecisions`, without listing them). */
  #isOpen(decisionId: string): boolean {
    const positions = this.context.positions;
    for (const track of this.#compiled.layout.tracks) if (positions[track.id]?.openDecision?.id === decisionId) return true;
    return false;
  }

  /** The next scenario time at which something happens without anyone acting, or null. */
  nextDueMs(): number | null {
    const snapshot = this.#snapshot;
    if (this.#due?.snapshot !== snapshot) this.#due = { snapshot, ms: this.#computeNextDue() };
    return this.#due.ms;
  }

  #computeNextDue(): number | null {
    const ctx = this.context;
    if (ctx.ended) return null;
    // The earliest of the candidates, without listing them (this runs after every step).
    let earliest = Infinity;
    const { layout, scenario } = this.#compiled;
    for (let k = 0; k < layout.tracks.length; k++) {
      const node = this.#nodeOf(k);
      if (node?.type === 'inject') earliest = Math.min(earliest, (node.at ?? 0) * MINUTE_MS);
      const open = ctx.positions[layout.tracks[k]!.id]?.openDecision;
      if (node?.type === 'decision' && node.timeLimitMinutes !== undefined && open) earliest = Math.min(earliest, open.openedAt + node.timeLimitMinutes * MINUTE_MS);
    }
    for (const c of scenario.contingencies) {
      const due = contingencyDueAt(c, ctx); // the same answer the machine fires on (./rules.ts)
      if (due !== null) earliest = Math.min(earliest, due);
    }
    return earliest === Infinity ? null : Math.max(ctx.now, Math.ceil(earliest));
  }

  /** The scenario time of the next pending inject (of any track), if the team is waiting for one. */
  pendingInjectMs(): number | null {
    if (this.context.ended) return null;
    let earliest: number | null = null;
    for (const { node } of this.tracks) {
      if (node?.type !== 'inject') continue;
      const at = Math.max(this.context.now, Math.ceil((node.at ?? 0) * MINUTE_MS));
      if (earliest === null || at < earliest) earliest = at;
    }
    return earliest;
  }

  /**
   * Moves the team's scenario time forward to `scenarioMs`, stopping at every
   * due time on the way so that each event is stamped with the exact scenario
   * time it was due (not when a timer happened to fire).
   */
  advanceTo(scenarioMs: number, settle = true): TimedEngineEvent[] {
    // Rolling back past something that has since come due (a time limit, an inject) would rewrite
    // history: once that moment has passed, the last command can no longer be undone.
    if (this.#checkpoint?.dueMs != null && this.#checkpoint.dueMs <= scenarioMs) this.#checkpoint = null;
    const out: TimedEngineEvent[] = [];
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.nextDueMs();
      if (due === null || due > scenarioMs) break;
      const before = this.#signature();
      out.push(...this.#step({ type: 'TICK', now: due }, due));
      if (this.#signature() === before) break; // nothing moved: avoid spinning
    }
    // Settling moves the team's own clock to `scenarioMs`, which a command needs (it happens "now").
    // Without it, a team with nothing due is left as it is: a TICK would change nothing but `now`.
    if (settle && scenarioMs > this.context.now) out.push(...this.#step({ type: 'TICK', now: scenarioMs }, scenarioMs));
    if (out.length > 0) this.#checkpoint = null; // time moved on: the last command is history now
    return out;
  }

  /** Applies a team command at the team's current scenario time; throws EngineRejection if it does not apply. */
  command(command: TeamCommand): TimedEngineEvent[] {
    return this.#command(command, null);
  }

  /**
   * What `advanceTo(scenarioMs)` then `command(command)` do, in one step fewer: what is due by
   * `scenarioMs` happens first (`due`, stamped as `advanceTo` stamps it), then the command carries the
   * scenario time to the machine, which moves the team's clock there as it takes the command — the
   * settling TICK `advanceTo` would have sent changes nothing else when nothing is due by then. The
   * same events, snapshots and undo; throws EngineRejection (the clock settled) if it does not apply.
   */
  commandAt(command: TeamCommand, scenarioMs: number): { due: TimedEngineEvent[]; produced: TimedEngineEvent[] } {
    const due = this.advanceTo(scenarioMs, false);
    const next = this.nextDueMs();
    if (scenarioMs <= this.context.now || (next !== null && next <= scenarioMs)) {
      // Nothing to settle, or something due that did not happen (the machine did not move): as before.
      due.push(...this.advanceTo(scenarioMs));
      return { due, produced: this.command(command) };
    }
    try {
      return { due, produced: this.#command(command, scenarioMs) };
    } catch (error) {
      this.#step({ type: 'TICK', now: scenarioMs }, scenarioMs); // a refused command leaves the clock settled, as before
      throw error;
    }
  }

  /** Applies a command, at `now` when given (see `commandAt`), else at the team's current scenario time. */
  #command(command: TeamCommand, now: number | null): TimedEngineEvent[] {
    const ctx = this.context;
    const at = now ?? ctx.now;
    const scenario = this.#compiled.scenario;
    switch (command.type) {
      case 'decision.recorded': {
        const { decisionId, optionId } = command.payload;
        if (ctx.ended) throw new EngineRejection('conflict', 'This team has already reached the end of the scenario.');
        if (!this.#isOpen(decisionId)) {
          const open = this.openDecisions();
          const which = open.length === 0 ? '' : open.length === 1 ? ` (the open decision is ${open[0]!.id})` : ` (the open decisions are ${open.map((d) => d.id).join(', ')})`;
          throw new EngineRejection('conflict', `Decision ${decisionId} is not open for this team${which}.`, '/decisionId');
        }
        const node = this.#compiled.nodeById.get(decisionId);
        const option = node?.type === 'decision' ? node.options.find((o) => o.id === optionId) : undefined;
        if (node?.type !== 'decision' || !option) {
          throw new EngineRejection('not_found', `Decision ${decisionId} has no option ${optionId}.`, '/optionId');
        }
        if (!optionAvailable(option, ctx)) {
          const offered = availableOptions(node, ctx).map((o) => o.id);
          throw new EngineRejection(
            'conflict',
            `Option ${optionId} of decision ${decisionId} is not on offer now: it is offered only while ${describeCondition(option.when!, scenario)}. The options on offer are ${offered.join(', ')}.`,
            '/optionId',
          );
        }
        this.#capture(now);
        return this.#step(now === null ? { type: 'CHOOSE', decisionId, optionId } : { type: 'CHOOSE', decisionId, optionId, now }, at);
      }
      case 'milestone.marked': {
        const { milestoneId } = command.payload;
        if (!scenario.milestones.some((m) => m.id === milestoneId)) throw new EngineRejection('not_found', `There is no milestone ${milestoneId}.`, '/milestoneId');
        if (ctx.milestones[milestoneId] != null) throw new EngineRejection('conflict', `Milestone ${milestoneId} was already reached.`, '/milestoneId');
        this.#capture(now);
        return this.#step(now === null ? { type: 'MARK_MILESTONE', milestoneId } : { type: 'MARK_MILESTONE', milestoneId, now }, at);
      }
      case 'contingency.triggered': {
        const { contingencyId } = command.payload;
        if (!scenario.contingencies.some((c) => c.id === contingencyId)) {
          throw new EngineRejection('not_found', `There is no contingency inject ${contingencyId}.`, '/contingencyId');
        }
        const contingency = scenario.contingencies.find((c) => c.id === contingencyId)!;
        if (!mayFireAgain(contingency, ctx.contingencies[contingencyId])) {
          throw new EngineRejection(
            'conflict',
            contingency.repeat?.max !== undefined
              ? `Contingency ${contingencyId} has already fired ${String(contingency.repeat.max)} times, its most.`
              : `Contingency ${contingencyId} has already fired.`,
            '/contingencyId',
          );
        }
        if (ctx.ended) throw new EngineRejection('conflict', 'This team has already reached the end of the scenario.');
        this.#capture(now);
        return this.#step(now === null ? { type: 'FIRE_CONTINGENCY', contingencyId } : { type: 'FIRE_CONTINGENCY', contingencyId, now }, at);
      }
    }
  }

  /**
   * The team's state as stored alongside the log, for inspection (the log is
   * the source of truth). Constant-size: the path is summarised by its length
   * and last node, since the log holds every step.
   */
  persisted(): TeamSnapshotState {
    const snapshot = this.#snapshot;
    const c = snapshot.context;
    // Written out field by field, in the context's own order (the stored JSON's): an object rest and a
    // spread followed by new keys are slow paths in V8, and this runs at every append.
    const context: TeamSnapshotState['context'] = {
      teamId: c.teamId,
      seed: c.seed,
      now: c.now,
      vars: c.vars,
      milestones: c.milestones,
      objectives: c.objectives,
      score: c.score,
      choices: c.choices,
      positions: c.positions,
      rolls: c.rolls,
      contingencies: c.contingencies,
      delivered: c.delivered,
      ended: c.ended,
      pathLength: c.path.length,
      lastNode: c.path.at(-1) ?? null,
    };
    return { value: stateValueText(snapshot.value), context };
  }

  /** Nothing runs between steps: kept so that callers may still say they are done with a team. */
  stop(): void {
    this.#checkpoint = null;
  }

  #capture(settledTo: number | null): void {
    // Snapshots are immutable apart from the path, which only grows: its length is enough to restore it.
    // Taken before the clock settles (`commandAt`), so an undo settles it again: nothing was due by then,
    // so `dueMs` is the same either side of the settling.
    this.#checkpoint = { snapshot: this.#snapshot, pathLength: this.context.path.length, dueMs: this.nextDueMs(), settledTo };
  }

  /** One macrostep of the machine (XState's own), and what it emitted. */
  #step(event: TeamEvent, scenarioMs: number): TimedEngineEvent[] {
    this.#collected = [];
    this.#at = scenarioMs;
    this.#snapshot = this.#compiled.machine.transition(this.#snapshot, event, this.#scope);
    return this.#take();
  }

  #take(): TimedEngineEvent[] {
    const events = this.#collected;
    this.#collected = [];
    return events;
  }

  #signature(): string {
    const ctx = this.context;
    return `${stateValueText(this.#snapshot.value)}|${ctx.now}|${ctx.path.length}|${JSON.stringify(ctx.contingencies)}`;
  }
}
