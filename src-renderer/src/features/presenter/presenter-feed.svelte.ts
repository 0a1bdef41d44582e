/**
 * The projector's data: `presenter.view` for one team, fetched again whenever
 * main pushes `session.changed` for the session. It calls nothing else — the
 * presenter link's token may call only `presenter` methods — and what it gets
 * is already filtered to room-facing content by main.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { ApiError } from '../../../../src-main/api/errors.ts';
import type { Api } from '../../lib/api.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import { coalesce } from '../../lib/coalesce.ts';

export type PresenterView = ResultOf<'presenter.view'>;

export class PresenterFeed {
  readonly sessionId: string;
  readonly teamId: string;
  #api: Api;
  #view = $state.raw<PresenterView | null>(null);
  #error = $state<ApiError | null>(null);

  constructor(api: Api, sessionId: string, teamId: string) {
    this.#api = api;
    this.sessionId = sessionId;
    this.teamId = teamId;
  }

  /** The last view received, or null until the first arrives. */
  get view(): PresenterView | null {
    return this.#view;
  }

  /** Why the last fetch failed (the last view stays on screen). */
  get error(): ApiError | null {
    return this.#error;
  }

  /** Fetches the view now and on every change of the session; returns the function that stops. */
  connect(): () => void {
    void this.refresh();
    const stop = this.#api.subscribe((event) => {
      if (event.name === 'session.changed' && (event.payload as { sessionId: string }).sessionId === this.sessionId) void this.refresh();
    }, () => void this.refresh());
    const onVisible = () => {
      if (document.visibilityState === 'visible') void this.refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }

  /** Fetches the view; calls made while one is in flight fold into one more round. */
  readonly refresh = coalesce(async () => {
    try {
      this.#view = await this.#api.call('presenter.view', { sessionId: this.sessionId, teamId: this.teamId });
      this.#error = null;
    } catch (error) {
      this.#error = toApiError(error);
    }
  });
}
