/**
 * The projector's data: `presenter.view` for one team, or `presenter.room`
 * for the whole session, fetched again whenever main pushes `session.changed`
 * for the session (the facilitator's room commands included). It calls
 * nothing else — the presenter link's token may call only `presenter`
 * methods — and what it gets is already filtered to room-facing content by main.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { ApiError } from '../../../../src-main/api/errors.ts';
import type { Api } from '../../lib/api.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import { coalesce } from '../../lib/coalesce.ts';
import { refetchOn } from '../../lib/follow.ts';

export type PresenterView = ResultOf<'presenter.view'>;
export type RoomView = ResultOf<'presenter.room'>;

/** One projector screen's data: fetched now and on every change of its session. */
export class ProjectorFeed<T> {
  readonly sessionId: string;
  #api: Api;
  #fetch: (api: Api) => Promise<T>;
  #view = $state.raw<T | null>(null);
  #error = $state<ApiError | null>(null);

  constructor(api: Api, sessionId: string, fetch: (api: Api) => Promise<T>) {
    this.#api = api;
    this.sessionId = sessionId;
    this.#fetch = fetch;
  }

  /** The last view received, or null until the first arrives. */
  get view(): T | null {
    return this.#view;
  }

  /** Why the last fetch failed (the last view stays on screen). */
  get error(): ApiError | null {
    return this.#error;
  }

  /** Fetches the view now and on every change of the session; returns the function that stops. */
  connect(): () => void {
    void this.refresh();
    const stop = refetchOn(
      this.#api,
      (event) => event.name === 'session.changed' && event.payload.sessionId === this.sessionId,
      () => this.refresh(),
    );
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
      this.#view = await this.#fetch(this.#api);
      this.#error = null;
    } catch (error) {
      this.#error = toApiError(error);
    }
  });
}

/** The projector view of one team. */
export class PresenterFeed extends ProjectorFeed<PresenterView> {
  readonly teamId: string;

  constructor(api: Api, sessionId: string, teamId: string) {
    super(api, sessionId, (a) => a.call('presenter.view', { sessionId, teamId }));
    this.teamId = teamId;
  }
}

/** The room view: every team of the session. */
export class RoomFeed extends ProjectorFeed<RoomView> {
  constructor(api: Api, sessionId: string) {
    super(api, sessionId, (a) => a.call('presenter.room', { sessionId }));
  }
}
