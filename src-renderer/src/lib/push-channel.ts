/**
 * A push channel kept open, whatever carries it (the console's WebSocket,
 * a phone's EventSource): opened again after a while when it closes, its state
 * reported, and a resync asked for each time it opens — the first time
 * included. Pushes are change notices, not the changes: one sent before the
 * channel is open is lost, so a screen that fetched what it shows before the
 * channel opened (a page starting up, a console opened as the exercise
 * starts) fetches again once it is open, as it does after a break.
 */
import { retryDelay, type BackOff } from './back-off.ts';

/** The state of a push channel: `reconnecting` while pushes may be missed. */
export type ConnectionState = 'connected' | 'reconnecting';

/** What a source of pushes tells the channel. */
export interface PushSourceEvents {
  /** It is open: every push from now on arrives. */
  opened(): void;
  /** One push, as text. */
  message(data: string): void;
  /** It broke and is trying again by itself (an EventSource does). */
  broken(): void;
  /** It closed for good: the channel opens a new one after a while. */
  closed(): void;
}

/** Opens one source of pushes that reports to `events`; the channel closes it when it stops. */
export type OpenPushSource = (events: PushSourceEvents) => { close(): void };

export interface PushChannelHandlers {
  message(data: string): void;
  /** Every change of state (it starts `connected`: nothing is said until something goes wrong). */
  state(state: ConnectionState): void;
  /** Pushes may have been missed (the channel has just opened): fetch what is shown again. */
  resync(): void;
  /** A source closed for good (it may have been refused: the caller's next call will say why). */
  closed?: () => void;
}

/** The phones' back-off: 1, 2, 4, 8, 16 s… up to 30 s between tries, each jittered. */
export const PHONE_BACK_OFF: BackOff = { firstMs: 1_000, maxMs: 30_000 };

/**
 * The console's (and a presenter tab's) back-off: 1, 2, then 3 s between tries, each jittered. Shorter than
 * the phones': a few tabs on the laptop itself, whose host is back within seconds.
 */
export const CONSOLE_BACK_OFF: BackOff = { firstMs: 1_000, maxMs: 3_000 };

/** What `keepOpen` returns: the function that stops the channel, which can also try again at once. */
export type PushChannel = (() => void) & {
  /** Ends a wait before the next try and tries now (the page became visible, the device is online again); nothing while open or stopped. */
  retryNow(): void;
};

/**
 * Keeps a push channel open: a new source after a jittered exponential
 * back-off (`retryDelay`) at each failure in a row. Returns the function that
 * stops it (a source closed on purpose is not opened again), with `retryNow`.
 */
export function keepOpen(open: OpenPushSource, on: PushChannelHandlers, backOff: BackOff): PushChannel {
  let source: { close(): void } | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let state: ConnectionState = 'connected';
  /** Counts the sources opened, so that a late event of one closed on purpose is ignored. */
  let generation = 0;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    on.state(next);
  };
  const connect = () => {
    retry = null;
    const mine = ++generation;
    const current = () => mine === generation;
    source = open({
      opened: () => {
        if (!current()) return;
        failures = 0;
        setState('connected');
        on.resync();
      },
      message: (data) => {
        if (current()) on.message(data);
      },
      broken: () => {
        if (current()) setState('reconnecting');
      },
      closed: () => {
        if (!current()) return;
        source = null;
        generation++;
        setState('reconnecting');
        const delay = retryDelay(backOff, failures);
        failures++;
        retry = setTimeout(connect, delay);
        on.closed?.();
      },
    });
  };
  let stopped = false;
  connect();
  const stop = () => {
    stopped = true;
    generation++;
    source?.close();
    source = null;
    if (retry) clearTimeout(retry);
    retry = null;
  };
  return Object.assign(stop, {
    retryNow: () => {
      if (stopped || !retry) return;
      clearTimeout(retry);
      connect();
    },
  });
}
