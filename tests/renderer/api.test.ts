/**
 * The renderer's API client over its three transports, each faked at the
 * boundary it really meets: the preload bridge object, `fetch`, and the
 * browser's `WebSocket`. What is tested is our client's own logic: results
 * and typed errors, the token, one shared push socket, reconnection and resync.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiCallError, bridgeTransport, createApi, httpTransport, readLaunchToken, type ConnectionState } from '../../src-renderer/src/lib/api.ts';

const TOKEN = 'c'.repeat(64);

/** The browser's WebSocket as our client uses it: open, message, close. */
class FakeWebSocket {
  static sockets: FakeWebSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeWebSocket.sockets.push(this);
  }
  close() {
    this.closed = true;
  }
  // What the server side does:
  open() {
    this.onopen?.();
  }
  push(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop() {
    this.onclose?.();
  }
}

beforeEach(() => {
  FakeWebSocket.sockets = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('the preload bridge (Electron)', () => {
  it('returns results, throws typed errors and forwards pushes', async () => {
    const pushes: Array<(event: unknown) => void> = [];
    const bridge = {
      call: (method: string, input: unknown) =>
        Promise.resolve(
          method === 'library.list'
            ? { ok: true, result: { scenarios: [], problems: [], echo: input } }
            : { ok: false, error: { code: 'not_found', message: 'No such session.', path: '/sessionId' } },
        ),
      subscribe: (listener: (event: unknown) => void) => {
        pushes.push(listener);
        return () => pushes.splice(pushes.indexOf(listener), 1);
      },
    };
    const api = createApi(bridgeTransport(bridge));
    expect(await api.call('library.list', {})).toEqual({ scenarios: [], problems: [], echo: {} });
    const failed = await api.call('sessions.get', { sessionId: 'x' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiCallError);
    expect((failed as ApiCallError).error).toEqual({ code: 'not_found', message: 'No such session.', path: '/sessionId' });

    const seen: unknown[] = [];
    const stop = api.subscribe((event) => seen.push(event));
    pushes[0]!({ name: 'library.changed', payload: {} });
    stop();
    expect(pushes).toHaveLength(0);
    expect(seen).toEqual([{ name: 'library.changed', payload: {} }]);
  });
});

describe('HTTP and the push socket (web host)', () => {
  it('posts each call with the bearer token and reads the answer', async () => {
    const fetchMock = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(new Response(JSON.stringify({ ok: true, result: { name: 'Sandtable' } }), { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    const api = createApi(httpTransport(TOKEN));
    expect(await api.call('app.info', {})).toEqual({ name: 'Sandtable' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/call');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(init.body as string)).toEqual({ method: 'app.info', input: {} });
  });

  it('turns an unreachable server and an answer without JSON into errors that say so', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(createApi(httpTransport(TOKEN)).call('app.info', {})).rejects.toThrow('Sandtable is not reachable: is the server still running?');
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })));
    await expect(createApi(httpTransport(TOKEN)).call('app.info', {})).rejects.toThrow('The server answered 502 without a result.');
  });

  it('shares one socket among subscribers, reconnects after a break on the jittered back-off, tells them to resync, and closes with the last', () => {
    vi.useFakeTimers();
    // The middle of each step of CONSOLE_BACK_OFF (1, 2, then 3 s, each drawn between half and all of it): 0.75, 1.5, then 2.25 s.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const api = createApi(httpTransport(TOKEN));
    const states: ConnectionState[] = [];
    api.watchConnection((state) => states.push(state));
    const a: unknown[] = [];
    const b: unknown[] = [];
    const resyncs: string[] = [];
    const stopA = api.subscribe(
      (e) => a.push(e),
      () => resyncs.push('a'),
    );
    const stopB = api.subscribe(
      (e) => b.push(e),
      () => resyncs.push('b'),
    );
    expect(FakeWebSocket.sockets).toHaveLength(1);
    const first = FakeWebSocket.sockets[0]!;
    expect(first.url).toBe(`ws://${window.location.host}/api/events?token=${TOKEN}`);
    first.open();
    first.push({ name: 'session.changed', payload: { sessionId: 's1', seq: 4 } });
    expect(a).toEqual([{ name: 'session.changed', payload: { sessionId: 's1', seq: 4 } }]);
    expect(b).toEqual(a);
    // The first opening is a resync too: pushes sent before it (after the subscribers' first fetch) were lost.
    expect(resyncs).toEqual(['a', 'b']);
    resyncs.length = 0;

    first.drop();
    expect(states).toEqual(['connected', 'reconnecting']);
    vi.advanceTimersByTime(749);
    expect(FakeWebSocket.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.sockets).toHaveLength(2);
    FakeWebSocket.sockets[1]!.drop(); // still down: the next try waits longer
    vi.advanceTimersByTime(1499);
    expect(FakeWebSocket.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.sockets).toHaveLength(3);
    // The console's longest wait is 3 s (2.25 s at the middle), and it stays there: the phones' would go on to 4, 8 … s.
    for (const n of [3, 4]) {
      FakeWebSocket.sockets[n - 1]!.drop();
      vi.advanceTimersByTime(2249);
      expect(FakeWebSocket.sockets).toHaveLength(n);
      vi.advanceTimersByTime(1);
      expect(FakeWebSocket.sockets).toHaveLength(n + 1);
    }
    const reopened = FakeWebSocket.sockets[4]!;
    reopened.open();
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
    expect(resyncs).toEqual(['a', 'b']); // pushes may have been missed: both fetch again

    stopA();
    expect(reopened.closed).toBe(false);
    stopB();
    vi.advanceTimersByTime(0);
    expect(reopened.closed).toBe(true);
    reopened.drop(); // closed on purpose: no reconnection
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.sockets).toHaveLength(5);
  });
});

describe('the push socket’s first opening (the console’s first-open gap)', () => {
  it('tells a subscriber to fetch again once the socket opens, so a push sent between its first fetch and the opening is not lost', async () => {
    // The server side: a session whose state changes once the console has fetched it, before the socket is open.
    let seq = 3;
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify({ ok: true, result: { id: 's1', lastSeq: seq } }), { status: 200 })));
    const api = createApi(httpTransport(TOKEN));
    let shown = 0;
    const show = async () => {
      shown = (await api.call('sessions.get', { sessionId: 's1' })).lastSeq;
    };
    // As a screen does: follow the pushes, fetch what to show.
    api.subscribe(
      (event) => {
        if (event.name === 'session.changed') void show();
      },
      () => void show(),
    );
    await show();
    expect(shown).toBe(3);
    seq = 4; // a command lands; its push goes to the sockets open now: not this one
    const socket = FakeWebSocket.sockets[0]!;
    socket.open();
    await vi.waitFor(() => expect(shown).toBe(4));
  });

  it('resyncs only the subscribers of the socket that opened; one that joins an open socket gets its pushes from then on', () => {
    const api = createApi(httpTransport(TOKEN));
    const resyncs: string[] = [];
    const seen: string[] = [];
    api.subscribe(
      () => seen.push('a'),
      () => resyncs.push('a'),
    );
    FakeWebSocket.sockets[0]!.open();
    api.subscribe(
      () => seen.push('b'),
      () => resyncs.push('b'),
    );
    FakeWebSocket.sockets[0]!.push({ name: 'library.changed', payload: {} });
    expect(resyncs).toEqual(['a']);
    expect(seen).toEqual(['a', 'b']);
    expect(FakeWebSocket.sockets).toHaveLength(1);
  });
});

describe('the push socket across a change of screen', () => {
  it('stays open while one screen gives way to the next, which fetches once and is told to resync for no opening', () => {
    vi.useFakeTimers();
    const api = createApi(httpTransport(TOKEN));
    const resyncs: string[] = [];
    const stopLibrary = api.subscribe(
      () => undefined,
      () => resyncs.push('library'),
    );
    const socket = FakeWebSocket.sockets[0]!;
    socket.open();
    expect(resyncs).toEqual(['library']);
    // Navigation: the old screen's effects are torn down, then the new screen's run.
    stopLibrary();
    const stopConsole = api.subscribe(
      () => undefined,
      () => resyncs.push('console'),
    );
    vi.advanceTimersByTime(10_000);
    expect(socket.closed).toBe(false);
    expect(FakeWebSocket.sockets).toHaveLength(1);
    expect(resyncs).toEqual(['library']);
    stopConsole();
    vi.advanceTimersByTime(0);
    expect(socket.closed).toBe(true);
  });
});

describe('the launch token', () => {
  it('is taken from the fragment, removed from the address bar, and kept for a reload of this tab', () => {
    window.location.hash = `#/present/s1/team-1&token=${TOKEN}`;
    expect(readLaunchToken()).toBe(TOKEN);
    expect(window.location.hash).toBe('#/present/s1/team-1');
    expect(readLaunchToken()).toBe(TOKEN); // from this tab's storage now
    sessionStorage.clear();
    expect(readLaunchToken()).toBeNull();
  });

  it('from the fragment is stored when `keep` says so, not before (the start stores it after its first call)', () => {
    window.location.hash = `#token=${TOKEN}`;
    const kept: Array<() => void> = [];
    expect(readLaunchToken((store) => kept.push(store))).toBe(TOKEN);
    expect(window.location.hash).toBe('');
    expect(sessionStorage.getItem('sandtable.token')).toBeNull();
    expect(kept).toHaveLength(1);
    kept[0]!();
    expect(readLaunchToken()).toBe(TOKEN);
  });
});
