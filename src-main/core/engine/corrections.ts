import type { LogEvent } from './events.ts';

/**
 * The events that still count once undos are applied: a command corrected by
 * an `event.corrected` entry is dropped together with the engine events it
 * caused (undo is allowed only while nothing else has happened to the team,
 * so those are exactly the team's engine events between the two), and so are
 * the corrections themselves. The log itself keeps everything.
 */
export function countedEvents(events: readonly LogEvent[]): LogEvent[] {
  const corrections = events.filter((e): e is Extract<LogEvent, { type: 'event.corrected' }> => e.type === 'event.corrected');
  if (corrections.length === 0) return [...events];
  const teamOfSeq = new Map(events.map((e) => [e.seq, e.teamId]));
  const dropped = new Set<number>();
  for (const correction of corrections) {
    const corrected = correction.payload.correctedSeq;
    const team = teamOfSeq.get(corrected);
    dropped.add(correction.seq).add(corrected);
    for (const other of events) {
      if (other.seq > corrected && other.seq < correction.seq && other.teamId === team && other.origin === 'engine') dropped.add(other.seq);
    }
  }
  return events.filter((e) => !dropped.has(e.seq));
}
