/**
 * The renderer's one client for the main process. Every call goes through the
 * contract (src-main/api/contract.ts); the transport is chosen once:
 *  - inside Electron, the preload bridge `window.sandtable` (IPC);
 *  - under the web host, HTTP POST /api/call plus server-sent events, with the
 *    launch token from the URL fragment.
 */
import type { InputOf, MethodName, PushedEvent, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError, ApiResponse } from '../../../src-main/api/errors.ts';

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

export interface Transport {
  call(method: MethodName, input: unknown): Promise<ApiResponse<unknown>>;
  subscribe(listener: (event: PushedEvent) => void): () => void;
}

interface Bridge {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: async (method, input) => (await bridge.call(method, input)) as ApiResponse<unknown>,
    subscribe: (listener) => bridge.subscribe((event) => listener(event as PushedEvent)),
  };
}

const TOKEN_KEY = 'sandtable.token';

/**
 * Takes the launch token from the URL fragment (`#token=...`, or after a route
 * as in `#/present/S/T&token=...`), then removes it from the address bar so it
 * is not shown on a projector or kept in history; falls back to this tab's
 * stored token after a reload.
 */
export function readLaunchToken(): string | null {
  const hash = window.location.hash;
  const match = /(^#|&)token=([0-9a-f]{64})(?=&|$)/.exec(hash);
  if (match?.[2]) {
    sessionStorage.setItem(TOKEN_KEY, match[2]);
    const rest = (hash.slice(0, match.index) + hash.slice(match.index + match[0].length)).replace(/^#&/, '#');
    history.replaceState(null, '', window.location.pathname + window.location.search + (rest === '#' ? '' : rest));
    return match[2];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpTransport(token: string): Transport {
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
    subscribe(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => listener(JSON.parse(message.data) as PushedEvent);
      return () => source.close();
    },
  };
}

export interface Api {
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>>;
  subscribe(listener: (event: PushedEvent) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
    async call(method, input) {
      const response = await transport.call(method, input);
      if (!response.ok) throw new ApiCallError(response.error);
      return response.result as ResultOf<typeof method>;
    },
    subscribe: (listener) => transport.subscribe(listener),
  };
}

function detectTransport(): Transport | null {
  const bridge = (window as unknown as { sandtable?: Bridge }).sandtable;
  if (bridge) return bridgeTransport(bridge);
  const token = readLaunchToken();
  return token ? httpTransport(token) : null;
}

const transport = detectTransport();

/** Null when the page was opened without a launch token (the app shows how to get one). */
export const api: Api | null = transport ? createApi(transport) : null;
