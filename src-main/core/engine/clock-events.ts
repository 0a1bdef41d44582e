/**
 * THE clock reducer: how the clock events of a session's log fold into the
 * exercise clock. The engine (live and on replay) and the debrief's active
 * time both follow the clock through it, so they cannot disagree.
 */
import type { ClockState } from './clock.ts';
import type { LogBody } from './events.ts';

export type ClockEventType = 'session.started' | 'clock.paused' | 'clock.resumed' | 'clock.speedChanged' | 'clock.jumped' | 'session.ended';
export type ClockEvent = Extract<LogBody, { type: ClockEventType }> & { scenarioMs: number; wallMs: number };

export const CLOCK_EVENT_TYPES: ReadonlySet<string> = new Set<ClockEventType>([
  'session.started',
  'clock.paused',
  'clock.resumed',
  'clock.speedChanged',
  'clock.jumped',
  'session.ended',
]);

export function isClockEvent<E extends { type: string }>(event: E): event is E & ClockEvent {
  return CLOCK_EVENT_TYPES.has(event.type);
}

/**
 * The clock after a clock event: every change anchors at the event's own
 * (integral) scenario and wall times; start and resume run it, pause and end
 * stop it, a speed change keeps it running or not at the new speed, a jump
 * moves it without changing whether it runs.
 */
export function applyClockEvent(clock: ClockState, event: ClockEvent): ClockState {
  const anchored = (running: boolean, speed = clock.speed): ClockState => ({ running, speed, anchorWallMs: event.wallMs, anchorScenarioMs: event.scenarioMs });
  switch (event.type) {
    case 'session.started':
    case 'clock.resumed':
      return anchored(true);
    case 'clock.paused':
    case 'session.ended':
      return anchored(false);
    case 'clock.speedChanged':
      return anchored(clock.running, event.payload.speed);
    case 'clock.jumped':
      return anchored(clock.running);
  }
}
