import type { PushedEvent } from '../api/contract.ts';

/**
 * Who is calling or listening: the facilitator, or a presenter view bound to
 * one session. Hosts only authenticate a caller and hand its grant over; what
 * a grant may call (`dispatch`) and hear (`mayHear`) is decided here, once.
 */
export type Grant = { role: 'facilitator' } | { role: 'presenter'; sessionId: string };

/** Whether a window or stream holding `grant` may hear a pushed event. */
export function mayHear(grant: Grant, event: PushedEvent): boolean {
  switch (grant.role) {
    case 'facilitator':
      return true;
    case 'presenter':
      // A projector view hears only that its own session changed; never the library or other sessions.
      return event.name === 'session.changed' && (event as PushedEvent<'session.changed'>).payload.sessionId === grant.sessionId;
  }
}
