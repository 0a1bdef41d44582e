/**
 * A session's debrief, kept in step with main: fetched once, and again when
 * main pushes `session.changed` for the session (a note added after the end,
 * an exercise still running).
 */
import type { ApiError } from '../../../../src-main/api/errors.ts';
import type { Api } from '../../lib/api.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import type { Debrief } from './debrief-format.ts';
import { coalesce } from '../../lib/coalesce.ts';
import { refetchOn } from '../../lib/follow.ts';

export class DebriefState {
  readonly sessionId: string;
  #api: Api;
  #debrief = $state.raw<Debrief | null>(null);
  #error = $state<ApiError | null>(null);

  constructor(api: Api, sessionId: string) {
    this.#api = api;
    this.sessionId = sessionId;
  }

  get debrief(): Debrief | null {
    return this.#debrief;
  }
  get error(): ApiError | null {
    return this.#error;
  }

  /** Fetches the debrief (once more if asked again while a fetch is in flight). */
  readonly load = coalesce(async () => {
    try {
      this.#debrief = await this.#api.call('debrief.get', { sessionId: this.sessionId });
      this.#error = null;
    } catch (error) {
      this.#error = toApiError(error);
    }
  });

  /** Follows the session's changes; returns the function that stops. */
  connect(): () => void {
    return refetchOn(
      this.#api,
      (event) => event.name === 'session.changed' && event.payload.sessionId === this.sessionId,
      () => this.load(),
    );
  }
}
