/**
 * The participant page's one client for the participants' listener
 * (src-main/hosts/lan): join with the code, then call participant methods
 * with the bearer token and follow the event stream. The token is kept in
 * this browser (localStorage) so that a phone whose screen locked, or whose
 * tab was reloaded, resumes where it was without joining again.
 */
import type { InputOf, MethodName, PushedEvent, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError, ApiResponse } from '../../../src-main/api/errors.ts';
import { keepOpen, PHONE_BACK_OFF, type PushChannel } from '../lib/push-channel.ts';

export class ParticipantCallError extends Error {
  constructor(
    readonly error: ApiError,
    readonly status: number,
  ) {
    super(error.message);
    this.name = 'ParticipantCallError';
  }
}

export interface Membership {
  token: string;
  participantId: string;
  teamId: string;
}

const KEY = 'sandtable.participant';

export function savedMembership(): Membership | null {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Membership | null;
    return saved && /^[0-9a-f]{64}$/.test(saved.token) ? saved : null;
  } catch {
    return null;
  }
}

export function saveMembership(membership: Membership | null): void {
  if (membership) localStorage.setItem(KEY, JSON.stringify(membership));
  else localStorage.removeItem(KEY);
}

/** The join code from a QR code's link (`#code=…`), removed from the address bar once read. */
export function codeFromLink(): string {
  const match = /(?:^#|&)code=([A-Za-z0-9-]{1,40})/.exec(window.location.hash);
  if (!match?.[1]) return '';
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1];
}

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ParticipantCallError({ code: 'internal', message: 'No connection to the facilitator’s laptop.', path: '' }, 0);
  }
  let parsed: ApiResponse<T>;
  try {
    parsed = (await response.json()) as ApiResponse<T>;
  } catch {
    throw new ParticipantCallError({ code: 'internal', message: `The laptop answered ${response.status}.`, path: '' }, response.status);
  }
  if (!parsed.ok) throw new ParticipantCallError(parsed.error, response.status);
  return parsed.result;
}

export const listTeams = (code: string) =>
  post<{ sessionName: string; teams: Array<{ id: string; name: string }>; roles?: Array<{ id: string; name: string }> }>('/api/teams', { code });
export const joinSession = (code: string, name: string, teamId: string, role?: string) => post<Membership>('/api/join', { code, name, teamId, ...(role ? { role } : {}) });

export function call<M extends MethodName>(token: string, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  return post<ResultOf<M>>('/api/call', { method, input }, token);
}

/**
 * Follows the participant's event stream; `onState` says whether it is
 * connected. Kept open by `keepOpen` (lib/push-channel.ts, as the console's
 * socket), on the phones' back-off (`PHONE_BACK_OFF`: 1, 2, 4 … 30 s, each
 * jittered, so that a room of phones does not hammer a laptop that is
 * starting again in lockstep): a stream that breaks is closed here rather
 * than left to the browser's own fixed retry, and opened again on that
 * schedule (or at once: `retryNow`, when the page is shown again or the
 * device is back online). Each time the stream opens, the first time
 * included, the page fetches its view again (`onResync`): pushes sent before
 * the stream was subscribed (the page's first view may have been fetched
 * before it was: a phone joining as the exercise starts) or during a break
 * are lost. A stream that breaks or is refused may mean this token no longer
 * works (removed, the session over): the page fetches then too, the view call
 * says why (401) and the page stops following.
 */
export function follow(token: string, onEvent: (event: PushedEvent) => void, onState: (connected: boolean) => void, onResync: () => void): PushChannel {
  return keepOpen(
    (events) => {
      const source = new EventSource(`/api/events?token=${token}`);
      source.onopen = () => events.opened();
      source.onmessage = (message: MessageEvent<string>) => events.message(message.data);
      source.onerror = () => {
        // CLOSED: refused (an HTTP error). CONNECTING: the connection broke and the browser would retry on its own fixed delay: the back-off decides instead.
        source.close();
        events.closed();
      };
      return source;
    },
    { message: (data) => onEvent(JSON.parse(data) as PushedEvent), state: (state) => onState(state === 'connected'), resync: onResync, closed: onResync },
    PHONE_BACK_OFF,
  );
}
