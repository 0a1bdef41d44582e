/**
 * The phone's event stream (participant/client.ts `follow`) over the browser's
 * EventSource, faked at that boundary: it rides the same push channel as the
 * console's socket (lib/push-channel.ts), so it fetches its view again at
 * every opening (the first included) and says when it is cut off; after a
 * break or a refusal (the EventSource's own fixed retry is not used) a new
 * stream opens on a jittered back-off (lib/push-channel.ts), or at once when asked.
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
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the phone’s event stream', () => {
  it('resyncs at every opening, the first included; reports breaks; backs off after a break or a refusal; stops for good', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
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

    // A network break: not left to the browser's own fixed retry, but closed and tried again on the back-off (1 s, jittered: 0.5–1 s).
    first.interrupt();
    expect(states).toEqual([false]);
    expect(first.closed).toBe(true);
    expect(resyncs).toBe(2); // the view call says whether the token still works
    vi.advanceTimersByTime(749);
    expect(FakeEventSource.sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const second = FakeEventSource.sources[1]!;
    first.push({ name: 'session.changed', payload: { sessionId: 's', seq: 9 } }); // the old one is not listened to any more
    expect(events).toHaveLength(1);
    second.open();
    expect(states).toEqual([false, true]);
    expect(resyncs).toBe(3);

    // Refused, then failing again and again: 1, 2, 4 s… (each at 3/4 here), the count starting again once one opens.
    second.refuse();
    expect(states).toEqual([false, true, false]);
    expect(resyncs).toBe(4);
    vi.advanceTimersByTime(750);
    FakeEventSource.sources[2]!.refuse();
    vi.advanceTimersByTime(1_499);
    expect(FakeEventSource.sources).toHaveLength(3);
    vi.advanceTimersByTime(1);
    FakeEventSource.sources[3]!.interrupt();
    vi.advanceTimersByTime(2_999);
    expect(FakeEventSource.sources).toHaveLength(4);
    vi.advanceTimersByTime(1);
    FakeEventSource.sources[4]!.open();
    expect(states).toEqual([false, true, false, true]);

    stop();
    expect(FakeEventSource.sources[4]!.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.sources).toHaveLength(5);
  });

  it('waits at most 30 s between tries, and tries at once when asked (the page shown again, the device back online)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const channel = follow(
      TOKEN,
      () => {},
      () => {},
      () => {},
    );
    for (let n = 0; n < 10; n++) {
      FakeEventSource.sources.at(-1)!.interrupt();
      vi.advanceTimersByTime(30_000);
    }
    expect(FakeEventSource.sources).toHaveLength(11); // 1, 2, 4, 8, 16, then 30 s each: never longer
    FakeEventSource.sources.at(-1)!.interrupt();
    vi.advanceTimersByTime(10_000);
    expect(FakeEventSource.sources).toHaveLength(11);
    channel.retryNow();
    expect(FakeEventSource.sources).toHaveLength(12);
    channel.retryNow(); // nothing waits: no second stream
    expect(FakeEventSource.sources).toHaveLength(12);
    channel();
    channel.retryNow(); // stopped: nothing
    expect(FakeEventSource.sources).toHaveLength(12);
  });

  it('spreads a room of phones that lost the laptop together over each step, not in lockstep', () => {
    const phones = Array.from({ length: 30 }, () =>
      follow(
        TOKEN,
        () => {},
        () => {},
        () => {},
      ),
    );
    for (const source of [...FakeEventSource.sources]) source.interrupt(); // the laptop restarts: every stream breaks at once
    const retriedAt: number[] = [];
    for (let ms = 0; ms <= 1_000; ms += 10) {
      const before = FakeEventSource.sources.length;
      vi.advanceTimersByTime(10);
      for (let i = before; i < FakeEventSource.sources.length; i++) retriedAt.push(ms);
    }
    expect(retriedAt).toHaveLength(30); // each tried again within its first step (0.5–1 s)…
    expect(Math.min(...retriedAt)).toBeGreaterThanOrEqual(490);
    expect(new Set(retriedAt).size).toBeGreaterThan(10); // …at many different moments
    for (const stop of phones) stop();
  });
});
