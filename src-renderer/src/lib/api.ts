/**
 * The renderer's one client for the main process. Every call goes through the
 * contract (src-main/api/contract.ts); the transport is chosen once:
 *  - inside Electron, the preload bridge `window.sandtable` (IPC);
 *  - under the web host, HTTP POST /api/call plus a WebSocket for the pushes,
 *    with the launch token from the URL fragment.
 */
import type { InputOf, MethodName, PushedEvent, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError, ApiResponse } from '../../../src-main/api/errors.ts';
import { CONSOLE_BACK_OFF, keepOpen, type ConnectionState, type OpenPushSource } from './push-channel.ts';

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/** The state of the push channel: `reconnecting` while pushes may be missed. */
export type { ConnectionState } from './push-channel.ts';

type Subscriber = (event: PushedEvent) => void;

export interface Transport {
  call(method: MethodName, input: unknown): Promise<ApiResponse<unknown>>;
  /**
   * Delivers main's pushes to `listener`; `onResync` is called when the push
   * channel comes back after a break (events may have been missed meanwhile).
   */
  subscribe(listener: Subscriber, onResync?: () => void): () => void;
  /** Reports every change of the push channel's state; returns the function that stops. */
  watchConnection(listener: (state: ConnectionState) => void): () => void;
}

interface Bridge {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: async (method, input) => (await bridge.call(method, input)) as ApiResponse<unknown>,
    // IPC does not drop messages, so there is never anything to resync.
    subscribe: (listener) => bridge.subscribe((event) => listener(event as PushedEvent)),
    watchConnection: () => () => {},
  };
}

const TOKEN_KEY = 'sandtable.token';

/**
 * Takes the launch token from the URL fragment (`#token=...`, or after a route
 * as in `#/present/S/T&token=...`), then removes it from the address bar so it
 * is not shown on a projector or kept in history; falls back to this tab's
 * stored token after a reload. `keep` decides when a token taken from the
 * fragment is stored for that reload: at once unless told otherwise (the start
 * defers it, see detectTransport).
 */
export function readLaunchToken(keep: (store: () => void) => void = (store) => store()): string | null {
  const hash = window.location.hash;
  const match = /(^#|&)token=([0-9a-f]{64})(?=&|$)/.exec(hash);
  if (match?.[2]) {
    const token = match[2];
    keep(() => sessionStorage.setItem(TOKEN_KEY, token));
    const rest = (hash.slice(0, match.index) + hash.slice(match.index + match[0].length)).replace(/^#&/, '#');
    history.replaceState(null, '', window.location.pathname + window.location.search + (rest === '#' ? '' : rest));
    return match[2];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * A presenter link dropped onto a window that is already open changes only
 * the fragment: a new `token=` there is stored and the page reloaded, so the
 * whole app starts again with the new token. Returns the function that stops.
 */
export function followLaunchTokens(): () => void {
  const onHashChange = () => {
    if (!/(^#|&)token=[0-9a-f]{64}(?=&|$)/.test(window.location.hash)) return;
    readLaunchToken();
    window.location.reload();
  };
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}

/** A browser WebSocket as a source of pushes (a refused or broken socket always ends in close, after error if any). */
function webSocketSource(url: string): OpenPushSource {
  return (events) => {
    const socket = new WebSocket(url);
    socket.onopen = () => events.opened();
    socket.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data === 'string') events.message(message.data);
    };
    socket.onclose = () => events.closed();
    return socket;
  };
}

/**
 * The push channel of one tab: one WebSocket to the web host's `/api/events`,
 * shared by every subscriber of the tab, opened by the first subscriber and
 * closed when the last one leaves. A WebSocket, not an EventSource: a browser
 * allows only six HTTP/1.1 connections per host across all its tabs, so a
 * console and five presenter tabs each holding an event stream would leave no
 * connection for the console's calls; WebSockets are not counted against that
 * limit. Kept open by `keepOpen` (lib/push-channel.ts, as the phones' stream):
 * each opening, the first included, tells the subscribers to resync, since
 * pushes sent before it are lost.
 */
class SharedEventSocket {
  #url: string;
  #stop: (() => void) | null = null;
  #state: ConnectionState = 'connected';
  #subscribers = new Set<{ listener: Subscriber; onResync?: (() => void) | undefined }>();
  #watchers = new Set<(state: ConnectionState) => void>();

  constructor(url: string) {
    this.#url = url;
  }

  subscribe(listener: Subscriber, onResync?: () => void): () => void {
    const entry = { listener, onResync };
    this.#subscribers.add(entry);
    this.#stop ??= keepOpen(
      webSocketSource(this.#url),
      {
        message: (data) => {
          const event = JSON.parse(data) as PushedEvent;
          for (const { listener } of [...this.#subscribers]) listener(event);
        },
        state: (state) => this.#setState(state),
        resync: () => {
          for (const { onResync } of [...this.#subscribers]) onResync?.();
        },
      },
      CONSOLE_BACK_OFF,
    );
    return () => {
      this.#subscribers.delete(entry);
      // Closed a moment later, not at once: a screen giving way to another (its subscribers go, the next one's come)
      // keeps the open socket, so the next screen's fetch needs no resync and none is asked for.
      if (this.#subscribers.size === 0) setTimeout(() => this.#closeIfUnused(), 0);
    };
  }

  watch(listener: (state: ConnectionState) => void): () => void {
    this.#watchers.add(listener);
    listener(this.#state);
    return () => this.#watchers.delete(listener);
  }

  #closeIfUnused(): void {
    if (this.#subscribers.size > 0 || !this.#stop) return;
    this.#stop();
    this.#stop = null;
    this.#setState('connected');
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const watcher of [...this.#watchers]) watcher(state);
  }
}

export function httpTransport(token: string): Transport {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const events = new SharedEventSocket(`${scheme}//${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
  return {
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ method, input }),
        });
      } catch {
        return { ok: false, error: { code: 'internal', message: 'Sandtable is not reachable: is the server still running?', path: '' } };
      }
      try {
        return (await response.json()) as ApiResponse<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `The server answered ${response.status} without a result.`, path: '' } };
      }
    },
    subscribe: (listener, onResync) => events.subscribe(listener, onResync),
    watchConnection: (listener) => events.watch(listener),
  };
}

export interface Api {
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>>;
  /**
   * Follows main's pushes; `onResync` runs when pushes may have been missed
   * (the channel came back after a break), so the subscriber fetches again.
   * Returns the function that stops.
   */
  subscribe(listener: (event: PushedEvent) => void, onResync?: () => void): () => void;
  /** Reports the push channel's state now and on every change; returns the function that stops. */
  watchConnection(listener: (state: ConnectionState) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
    async call(method, input) {
      const response = await transport.call(method, input);
      if (!response.ok) throw new ApiCallError(response.error);
      return response.result as ResultOf<typeof method>;
    },
    subscribe: (listener, onResync) => transport.subscribe(listener, onResync),
    watchConnection: (listener) => transport.watchConnection(listener),
  };
}

function detectTransport(): Transport | null {
  const bridge = (window as unknown as { sandtable?: Bridge }).sandtable;
  if (bridge) return bridgeTransport(bridge);
  followLaunchTokens();
  // A token from the fragment is stored once this module graph has run, so after the library's first call has
  // left (lib/state/library-start.ts): a tab's first touch of sessionStorage waits for the browser process
  // (3–20 ms on a loaded machine) and need not hold that call. Only a reload, whose fragment has no token, reads it first.
  const token = readLaunchToken(queueMicrotask);
  return token ? httpTransport(token) : null;
}

const transport = detectTransport();

/** Null when the page was opened without a launch token (the app shows how to get one). */
export const api: Api | null = transport ? createApi(transport) : null;
