/**
 * One team's run through a scenario: an XState actor of the compiled machine,
 * driven by scenario time and the team's commands, returning the engine
 * events each step produced. Pure: no I/O, no real timers.
 */
import { createActor } from 'xstate';
import type { TimelineNode } from '../scenario/schema.ts';
import type { EngineEvent, TeamCommand } from './events.ts';
import type { TrackInfo } from '../scenario/tracks.ts';
import { MINUTE_MS, regionKey, type CompiledScenario, type TeamActor, type TeamContext, type TrackPosition } from './machine.ts';
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

export class TeamEngine {
  readonly #compiled: CompiledScenario;
  readonly #input: { teamId: string; seed: string };
  #actor: TeamActor;
  #collected: EngineEvent[] = [];
  /** The team as it was before its last command, while nothing else has happened since (for undo). */
  #checkpoint: { snapshot: ReturnType<TeamActor['getSnapshot']>; pathLength: number; dueMs: number | null } | null = null;
  /**
   * `nextDueMs` of one snapshot. A snapshot is immutable (the path aside, which it does not read), and a
   * command asks it of the same state several times (the runner's tick, the session's tick, the settle,
   * the undo checkpoint, the runner's timer): computed once per state, not once per question.
   */
  #due: { snapshot: ReturnType<TeamActor['getSnapshot']>; ms: number | null } | null = null;

  constructor(compiled: CompiledScenario, teamId: string, seed: string) {
    this.#compiled = compiled;
    this.#input = { teamId, seed };
    this.#actor = this.#listen(createActor(compiled.machine, { input: this.#input }));
  }

  #listen(actor: TeamActor): TeamActor {
    actor.on('*', (event) => {
      this.#collected.push(event);
    });
    return actor;
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
    // the checkpoint shares it: cut it back in place. XState walks every element of a context array
    // when it persists and restores a snapshot, so the path is left out of both and put back after:
    // undo costs what the command added, not the length of the whole run.
    const path = this.context.path;
    path.length = Math.min(path.length, checkpoint.pathLength);
    const light = { ...checkpoint.snapshot, context: { ...checkpoint.snapshot.context, path: [] } };
    const restored = this.#compiled.machine.getPersistedSnapshot(light);
    this.#actor.stop();
    this.#actor = this.#listen(createActor(this.#compiled.machine, { snapshot: restored, input: this.#input }));
    this.#actor.start();
    (this.#actor.getSnapshot().context as { path: string[] }).path = path;
    this.#checkpoint = null;
  }

  /** Starts the team at the scenario's first node (at scenario time 0). */
  start(): TimedEngineEvent[] {
    return this.#step(() => this.#actor.start(), 0);
  }

  get context(): TeamContext {
    return this.#actor.getSnapshot().context;
  }

  /** The timeline node the team's lead track is at (pending inject, open decision, or end). */
  get node(): TimelineNode | undefined {
    return this.tracks[0]!.node;
  }

  /** Each track (one without `tracks`), the lead track first: the node it is at and its position. */
  get tracks(): TrackState[] {
    const value: unknown = this.#actor.getSnapshot().value;
    const { layout, scenario } = this.#compiled;
    const positions = this.context.positions;
    return layout.tracks.map((track, k) => {
      const key = typeof value === 'string' ? value : (value as Record<string, unknown>)[regionKey(k)];
      const node = typeof key === 'string' ? scenario.timeline[Number(key.slice(1))] : undefined;
      return { track, node, position: positions[track.id]! };
    });
  }

  /** The decisions open for the team (at most one per track), the lead track's first. */
  openDecisions(): Array<{ track: string; id: string; openedAt: number }> {
    return this.tracks.flatMap(({ track, position }) => (position.openDecision ? [{ track: track.id, ...position.openDecision }] : []));
  }

  /** The next scenario time at which something happens without anyone acting, or null. */
  nextDueMs(): number | null {
    const snapshot = this.#actor.getSnapshot();
    if (this.#due?.snapshot !== snapshot) this.#due = { snapshot, ms: this.#computeNextDue() };
    return this.#due.ms;
  }

  #computeNextDue(): number | null {
    const ctx = this.context;
    if (ctx.ended) return null;
    const candidates: number[] = [];
    for (const { node, position } of this.tracks) {
      if (node?.type === 'inject') candidates.push((node.at ?? 0) * MINUTE_MS);
      if (node?.type === 'decision' && node.timeLimitMinutes !== undefined && position.openDecision) {
        candidates.push(position.openDecision.openedAt + node.timeLimitMinutes * MINUTE_MS);
      }
    }
    for (const c of this.#compiled.scenario.contingencies) {
      const due = contingencyDueAt(c, ctx); // the same answer the machine fires on (./rules.ts)
      if (due !== null) candidates.push(due);
    }
    return candidates.length ? Math.max(ctx.now, Math.ceil(Math.min(...candidates))) : null;
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
      out.push(...this.#step(() => this.#actor.send({ type: 'TICK', now: due }), due));
      if (this.#signature() === before) break; // nothing moved: avoid spinning
    }
    // Settling moves the team's own clock to `scenarioMs`, which a command needs (it happens "now").
    // Without it, a team with nothing due is left as it is: a TICK would change nothing but `now`.
    if (settle && scenarioMs > this.context.now) out.push(...this.#step(() => this.#actor.send({ type: 'TICK', now: scenarioMs }), scenarioMs));
    if (out.length > 0) this.#checkpoint = null; // time moved on: the last command is history now
    return out;
  }

  /** Applies a team command at the team's current scenario time; throws EngineRejection if it does not apply. */
  command(command: TeamCommand): TimedEngineEvent[] {
    const ctx = this.context;
    const scenario = this.#compiled.scenario;
    switch (command.type) {
      case 'decision.recorded': {
        const { decisionId, optionId } = command.payload;
        if (ctx.ended) throw new EngineRejection('conflict', 'This team has already reached the end of the scenario.');
        const open = this.openDecisions();
        if (!open.some((d) => d.id === decisionId)) {
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
        this.#capture();
        return this.#step(() => this.#actor.send({ type: 'CHOOSE', decisionId, optionId }), ctx.now);
      }
      case 'milestone.marked': {
        const { milestoneId } = command.payload;
        if (!scenario.milestones.some((m) => m.id === milestoneId)) throw new EngineRejection('not_found', `There is no milestone ${milestoneId}.`, '/milestoneId');
        if (ctx.milestones[milestoneId] != null) throw new EngineRejection('conflict', `Milestone ${milestoneId} was already reached.`, '/milestoneId');
        this.#capture();
        return this.#step(() => this.#actor.send({ type: 'MARK_MILESTONE', milestoneId }), ctx.now);
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
        this.#capture();
        return this.#step(() => this.#actor.send({ type: 'FIRE_CONTINGENCY', contingencyId }), ctx.now);
      }
    }
  }

  /**
   * The team's state as stored alongside the log, for inspection (the log is
   * the source of truth). Constant-size: the path is summarised by its length
   * and last node, since the log holds every step.
   */
  persisted(): TeamSnapshotState {
    const snapshot = this.#actor.getSnapshot();
    const { path, visits: _visits, ...rest } = snapshot.context;
    return { value: stateValueText(snapshot.value), context: { ...rest, pathLength: path.length, lastNode: path.at(-1) ?? null } };
  }

  stop(): void {
    this.#actor.stop();
  }

  #capture(): void {
    // Snapshots are immutable apart from the path, which only grows: its length is enough to restore it.
    this.#checkpoint = { snapshot: this.#actor.getSnapshot(), pathLength: this.context.path.length, dueMs: this.nextDueMs() };
  }

  #step(run: () => void, scenarioMs: number): TimedEngineEvent[] {
    this.#collected = [];
    run();
    const events = this.#collected;
    this.#collected = [];
    return events.map((event) => ({ event, scenarioMs }));
  }

  #signature(): string {
    const ctx = this.context;
    return `${stateValueText(this.#actor.getSnapshot().value)}|${ctx.now}|${ctx.path.length}|${JSON.stringify(ctx.contingencies)}`;
  }
}
