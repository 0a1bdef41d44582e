/**
 * Follows a session's clock events through the log, in order, to tell the
 * ACTIVE wall time of any later event: wall ms since `session.started`
 * during which the exercise clock was running (pauses excluded; speed
 * changes, jumps and manual play included). See ./model.ts.
 *
 * It also keeps the scenario clock exactly as the engine does (every clock
 * event anchors at its own scenario and wall time), so that the scenario
 * time a jump started from is known.
 */
import { scenarioTimeAt, stoppedClock, wallTimeFor, type ClockSpeed, type ClockState } from '../engine/clock.ts';
import { applyClockEvent, isClockEvent } from '../engine/clock-events.ts';
import type { LogEvent } from '../engine/events.ts';

export interface PauseInterval {
  scenarioMs: number;
  /** Active wall time when it paused. */
  wallMs: number;
  fromTimestamp: number;
  toTimestamp: number | null;
}

export class ActiveTime {
  #startedAt: number | null = null;
  #endedAt: number | null = null;
  /** Active ms accumulated before the current running stretch. */
  #banked = 0;
  /** Wall time the current running stretch began, or null while stopped. */
  #runningSince: number | null = null;
  #clock: ClockState;
  readonly pauses: PauseInterval[] = [];

  constructor(initialSpeed: ClockSpeed) {
    this.#clock = stoppedClock(initialSpeed);
  }

  get startedAt(): number | null {
    return this.#startedAt;
  }

  get endedAt(): number | null {
    return this.#endedAt;
  }

  get running(): boolean {
    return this.#runningSince !== null;
  }

  get paused(): boolean {
    return this.#startedAt !== null && this.#endedAt === null && this.#runningSince === null;
  }

  get speed(): ClockSpeed {
    return this.#clock.speed;
  }

  /** Active wall ms at wall time `timestamp` (which must not precede the last clock event applied). */
  activeAt(timestamp: number): number {
    return this.#runningSince === null ? this.#banked : this.#banked + Math.max(0, timestamp - this.#runningSince);
  }

  /**
   * When an event happened on the wall clock. A command happened when it was
   * recorded. An engine event happened when the scenario clock reached its
   * scenario time: the runner stamps it when its timer fires or when another
   * action brings the team up to date, which can be later (and is, for
   * events due before a jump, the moment of the jump).
   */
  timestampOf(event: LogEvent): number {
    if (event.origin !== 'engine') return event.wallMs;
    const due = wallTimeFor(this.#clock, event.scenarioMs);
    return due === null ? event.wallMs : Math.min(event.wallMs, Math.ceil(due));
  }

  /** Scenario time the clock shows at `timestamp`, before any event at that moment is applied. */
  scenarioAt(timestamp: number): number {
    return Math.floor(scenarioTimeAt(this.#clock, timestamp));
  }

  /** Applies one event; returns true if it was a clock event. */
  apply(event: LogEvent): boolean {
    if (!isClockEvent(event)) return false;
    const at = event.wallMs;
    switch (event.type) {
      case 'session.started':
        this.#startedAt = at;
        this.#runningSince = at;
        break;
      case 'clock.paused':
        if (this.#runningSince === null && this.pauses.at(-1)?.toTimestamp === null) return true; // already paused
        this.#stop(at);
        this.pauses.push({ scenarioMs: event.scenarioMs, wallMs: this.#banked, fromTimestamp: at, toTimestamp: null });
        break;
      case 'clock.resumed':
        this.#closePause(at);
        if (this.#startedAt !== null && this.#endedAt === null) this.#runningSince = at;
        break;
      case 'session.ended':
        this.#stop(at);
        this.#closePause(at);
        this.#endedAt = at;
        break;
      default:
        break; // speed changes and jumps move only the clock
    }
    this.#clock = applyClockEvent(this.#clock, event);
    return true;
  }

  /** Total wall ms spent paused, counting a pause still open at `until` up to `until`. */
  pausedWallMs(until: number): number {
    return this.pauses.reduce((sum, p) => sum + Math.max(0, (p.toTimestamp ?? until) - p.fromTimestamp), 0);
  }

  #stop(at: number): void {
    if (this.#runningSince === null) return;
    this.#banked += Math.max(0, at - this.#runningSince);
    this.#runningSince = null;
  }

  #closePause(at: number): void {
    const open = this.pauses.at(-1);
    if (open && open.toTimestamp === null) open.toTimestamp = Math.max(at, open.fromTimestamp);
  }
}
