/**
 * A push channel kept open, whatever carries it (the console's WebSocket,
 * a phone's EventSource): opened again after a while when it closes, its state
 * reported, and a resync asked for each time it opens — the first time
 * included. Pushes are change notices, not the changes: one sent before the
 * channel is open is lost, so a screen that fetched what it shows before the
 * channel opened (a page starting up, a console opened as the exercise
 * starts) fetches again once it is open, as it does after a break.
 */

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

/**
 * Keeps a push channel open: a new source after `retryDelaysMs[n]` at the n-th
 * failure in a row (the last delay from then on). Returns the function that
 * stops it (a source closed on purpose is not opened again).
 */
export function keepOpen(open: OpenPushSource, on: PushChannelHandlers, retryDelaysMs: readonly [number, ...number[]]): () => void {
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
        const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)];
        failures++;
        retry = setTimeout(connect, delay);
        on.closed?.();
      },
    });
  };
  connect();
  return () => {
    generation++;
    source?.close();
    source = null;
    if (retry) clearTimeout(retry);
    retry = null;
  };
}
