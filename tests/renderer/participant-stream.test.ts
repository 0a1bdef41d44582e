/**
 * The phone's event stream (participant/client.ts `follow`) over the browser's
 * EventSource, faked at that boundary: it rides the same push channel as the
 * console's socket (lib/push-channel.ts), so it fetches its view again at
 * every opening (the first included), says when it is cut off, lets the
 * EventSource retry a network break by itself, and opens a new stream after a
 * while when one is refused for good.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { follow } from '../../src-renderer/src/participant/client.ts';

const TOKEN = 'd'.repeat(64);

/** The browser's EventSource as the page uses it. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static sources: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.sources.push(this);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  // What the network and the server do:
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  push(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  /** A network break: the EventSource reconnects by itself. */
  interrupt() {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.();
  }
  /** Refused (an HTTP error): the EventSource gives up. */
  refuse() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
}

beforeEach(() => {
  FakeEventSource.sources = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.useFakeTimers();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the phone’s event stream', () => {
  it('resyncs at every opening, the first included; reports breaks; retries a refused stream after 3 s; stops for good', () => {
    const events: unknown[] = [];
    const states: boolean[] = [];
    let resyncs = 0;
    const stop = follow(
      TOKEN,
      (e) => events.push(e),
      (s) => states.push(s),
      () => resyncs++,
    );
    const first = FakeEventSource.sources[0]!;
    expect(first.url).toBe(`/api/events?token=${TOKEN}`);
    expect(resyncs).toBe(0);
    first.open();
    expect(resyncs).toBe(1); // the view fetched before the stream opened may be stale already
    first.push({ name: 'participation.changed', payload: { sessionId: 's', teamId: 'team-1', seq: 2 } });
    expect(events).toEqual([{ name: 'participation.changed', payload: { sessionId: 's', teamId: 'team-1', seq: 2 } }]);

    first.interrupt();
    expect(states).toEqual([false]);
    expect(FakeEventSource.sources).toHaveLength(1); // the EventSource retries by itself
    first.open();
    expect(states).toEqual([false, true]);
    expect(resyncs).toBe(2);

    first.refuse();
    expect(states).toEqual([false, true, false]);
    expect(resyncs).toBe(3); // a refused stream may mean the token is gone: the view call says
    vi.advanceTimersByTime(2999);
    expect(FakeEventSource.sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const second = FakeEventSource.sources[1]!;
    first.push({ name: 'session.changed', payload: { sessionId: 's', seq: 9 } }); // the old one is not listened to any more
    expect(events).toHaveLength(1);
    second.open();
    expect(states).toEqual([false, true, false, true]);
    expect(resyncs).toBe(4);

    stop();
    expect(second.closed).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(FakeEventSource.sources).toHaveLength(2);
  });
});
