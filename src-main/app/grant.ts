import type { PushedEvent } from '../api/contract.ts';

/**
 * Who is calling or listening: the facilitator, a presenter view bound to
 * one session, or a participant's own device bound to one team of one session. Hosts only authenticate a caller and hand its grant over; what
 * a grant may call (`dispatch`) and hear (`mayHear`) is decided here, once.
 */
export type Grant = { role: 'facilitator' } | { role: 'presenter'; sessionId: string } | { role: 'participant'; sessionId: string; teamId: string; participantId: string };

/** Whether a window or stream holding `grant` may hear a pushed event. */
export function mayHear(grant: Grant, event: PushedEvent): boolean {
  switch (grant.role) {
    case 'facilitator':
      return true;
    case 'presenter':
      // A projector view hears only that its own session changed; never the library or other sessions.
      if (event.name === 'participation.changed') return event.payload.sessionId === grant.sessionId;
      return event.name === 'session.changed' && event.payload.sessionId === grant.sessionId;
    case 'participant': {
      // A phone hears that its session changed and what concerns its own team; never votes (no herding) or other teams.
      if (event.name === 'session.changed') return event.payload.sessionId === grant.sessionId;
      if (event.name !== 'participation.changed') return false;
      const { sessionId, teamId } = event.payload;
      return sessionId === grant.sessionId && (teamId === null || teamId === grant.teamId);
    }
  }
}
