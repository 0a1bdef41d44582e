/**
 * A live exercise session as the facilitator console sees it: the session's
 * state, the scenario it runs, its event log, the calls in flight and their
 * failures, and the facilitator's unsent drafts.
 *
 * Everything comes from the contract (`sessions.*`); the state is fetched
 * again whenever main pushes `session.changed` for this session, and after
 * every action. Data from main is kept as raw (immutable) state: it is
 * replaced, never mutated, so large logs stay cheap.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { scenarioTimeAt } from '../../../../src-main/api/clock.ts';
import type { InputOf, MethodName, ResultOf } from '../../../../src-main/api/contract.ts';
import type { ApiError } from '../../../../src-main/api/errors.ts';
import { ApiCallError, type Api } from '../api.ts';
import { AssetCache } from '../assets.svelte.ts';
import { coalesce } from '../coalesce.ts';

export type SessionView = ResultOf<'sessions.get'>;
export type TeamView = SessionView['teams'][number];
export type ClockView = SessionView['clock'];
export type SessionScenario = ResultOf<'sessions.scenario'>;
export type LogEntry = ResultOf<'sessions.events'>[number];

/** The outcome of an action: its result, or the contract error it failed with. */
export type ActionOutcome<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/** Any failure as the contract's error shape (network and unexpected errors included). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), path: '' };
}

/**
 * Wall time that ticks while started, for clocks and countdowns. Components
 * start it in an effect (`$effect(() => clock.start())`) so it stops with them.
 */
export class WallClock {
  #now = $state(Date.now());

  get now(): number {
    return this.#now;
  }

  /** Ticks every `intervalMs`; returns the function that stops it. */
  start(intervalMs = 250): () => void {
    this.#now = Date.now();
    const timer = setInterval(() => (this.#now = Date.now()), intervalMs);
    return () => clearInterval(timer);
  }
}

/** Scenario time shown for a clock at a wall time (whole milliseconds). */
export function scenarioNow(clock: ClockView, wallMs: number): number {
  return Math.floor(scenarioTimeAt(clock, wallMs));
}

/**
 * Unsent text the facilitator has typed (rationales, notes), kept per field
 * until the call that sends it succeeds. Survives switching team tabs and
 * reloading the page (sessionStorage of this tab).
 */
export class Drafts {
  readonly #values: SvelteMap<string, string>;
  #storageKey: string;

  constructor(sessionId: string) {
    this.#storageKey = `sandtable.drafts.${sessionId}`;
    const restored: Array<[string, string]> = [];
    try {
      const stored = JSON.parse(sessionStorage.getItem(this.#storageKey) ?? '{}') as unknown;
      if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
        for (const [key, value] of Object.entries(stored)) if (typeof value === 'string') restored.push([key, value]);
      }
    } catch {
      // Unreadable or unavailable storage: start empty.
    }
    this.#values = new SvelteMap(restored);
  }

  get(key: string): string {
    return this.#values.get(key) ?? '';
  }

  set(key: string, value: string): void {
    if (value === '') this.#values.delete(key);
    else this.#values.set(key, value);
    this.#save();
  }

  /** The keys of the fields that hold text and start with `prefix`. */
  keys(prefix: string): string[] {
    return [...this.#values.keys()].filter((key) => key.startsWith(prefix));
  }

  /** Forgets every field whose key starts with `prefix` (after a successful send). */
  clear(prefix: string): void {
    for (const key of [...this.#values.keys()]) if (key.startsWith(prefix)) this.#values.delete(key);
    this.#save();
  }

  /**
   * Forgets the fields (named relative to `prefix`) that still hold what was
   * sent, after a successful send; text typed while the call was in flight stays.
   */
  clearSent(prefix: string, sent: Readonly<Record<string, string>>): void {
    for (const [field, value] of Object.entries(sent)) if (this.get(`${prefix}${field}`) === value) this.#values.delete(`${prefix}${field}`);
    this.#save();
  }

  #save(): void {
    try {
      sessionStorage.setItem(this.#storageKey, JSON.stringify(Object.fromEntries(this.#values)));
    } catch {
      // Storage full or unavailable: the drafts still live in memory.
    }
  }
}

/** One session, kept in step with main. */
export class LiveSession {
  readonly id: string;
  readonly drafts: Drafts;
  /** Evidence images of the scenario this session runs. */
  readonly assets: AssetCache;
  #api: Api;
  #state = $state.raw<SessionView | null>(null);
  #scenario = $state.raw<SessionScenario | null>(null);
  #events = $state.raw<readonly LogEntry[]>([]);
  #loadError = $state<ApiError | null>(null);
  #syncError = $state<string | null>(null);
  /** The keys of the actions in flight. */
  readonly #pending = new SvelteSet<string>();
  /** The failure of each action's last attempt, by key. */
  readonly #errors = new SvelteMap<string, ApiError>();

  /** The contract client, for panels that read more than the session's state (e.g. held-back evidence). */
  get api(): Api {
    return this.#api;
  }

  constructor(api: Api, sessionId: string) {
    this.assets = new AssetCache((path) => api.call('presenter.asset', { sessionId, path }).then((r) => r.dataUrl));
    this.#api = api;
    this.id = sessionId;
    this.drafts = new Drafts(sessionId);
  }

  /** The session's state, or null until loaded. */
  get state(): SessionView | null {
    return this.#state;
  }
  /** The exact scenario the session runs, or null until loaded. */
  get scenario(): SessionScenario | null {
    return this.#scenario;
  }
  /** The event log so far, oldest first. */
  get events(): readonly LogEntry[] {
    return this.#events;
  }
  /** Why the session could not be loaded at all. */
  get loadError(): ApiError | null {
    return this.#loadError;
  }
  /** Why the last refresh failed (the screen still shows the last known state). */
  get syncError(): string | null {
    return this.#syncError;
  }

  /** Loads the session, its scenario and its log. */
  async load(): Promise<void> {
    try {
      const [state, scenario] = await Promise.all([this.#api.call('sessions.get', { sessionId: this.id }), this.#api.call('sessions.scenario', { sessionId: this.id })]);
      this.#scenario = scenario;
      this.#state = state;
      this.#loadError = null;
      await this.refresh();
    } catch (error) {
      this.#loadError = toApiError(error);
    }
  }

  /**
   * Follows main's pushes for this session (and catches up when the window
   * becomes visible again); returns the function that stops following.
   */
  connect(): () => void {
    const stop = this.#api.subscribe(
      (event) => {
        if (event.name !== 'session.changed') return;
        const payload = event.payload;
        if (payload.sessionId === this.id && payload.seq > (this.#state?.lastSeq ?? 0)) void this.refresh();
      },
      () => void this.refresh(),
    );
    const onVisible = () => {
      if (document.visibilityState === 'visible' && this.#state) void this.refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }

  /**
   * Fetches the state and the new part of the log. Calls made while one is in
   * flight are folded into one more round after it, so bursts of pushes cost
   * at most two fetches.
   */
  readonly refresh = coalesce(() => this.#fetch());

  async #fetch(): Promise<void> {
    const afterSeq = this.#events.at(-1)?.seq ?? 0;
    try {
      const [state, fresh] = await Promise.all([this.#api.call('sessions.get', { sessionId: this.id }), this.#api.call('sessions.events', { sessionId: this.id, afterSeq })]);
      this.#state = state;
      const last = this.#events.at(-1)?.seq ?? 0;
      const added = fresh.filter((event) => event.seq > last);
      if (added.length > 0) this.#events = [...this.#events, ...added];
      this.#syncError = null;
    } catch (error) {
      this.#syncError = toApiError(error).message;
    }
  }

  /** True while the action named `key` is in flight. */
  isPending(key: string): boolean {
    return this.#pending.has(key);
  }

  /** True while any action is in flight. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** The failure of the last attempt of the action named `key`, until it is retried or dismissed. */
  errorOf(key: string): ApiError | null {
    return this.#errors.get(key) ?? null;
  }

  dismissError(key: string): void {
    this.#errors.delete(key);
  }

  /**
   * Calls a method as the action named `key`: refused while that action is
   * already in flight; its failure is kept under `key` for the screen to show
   * next to the control; on success the session is fetched again.
   */
  async perform<M extends MethodName>(key: string, method: M, input: InputOf<M>): Promise<ActionOutcome<ResultOf<M>>> {
    if (this.#pending.has(key)) return { ok: false, error: { code: 'conflict', message: 'This action is already in progress.', path: '' } };
    this.#pending.add(key);
    this.dismissError(key);
    try {
      const result = await this.#api.call(method, input);
      await this.refresh();
      return { ok: true, result };
    } catch (error) {
      const apiError = toApiError(error);
      this.#errors.set(key, apiError);
      // The refusal may be because the screen was behind (e.g. a decision timed out): catch up.
      void this.refresh();
      return { ok: false, error: apiError };
    } finally {
      this.#pending.delete(key);
    }
  }
}
