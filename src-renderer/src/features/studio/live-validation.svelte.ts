/**
 * Live validation for the studio: each edit of the draft is sent at once to a
 * Web Worker that runs the project's own validator (./validation.worker.ts),
 * so a large scenario never blocks the page. Edits are coalesced rather than
 * debounced: one request is in flight at a time; edits made meanwhile only
 * replace the latest document, which is sent (copied then) as soon as the
 * answer comes back. An answer about anything but the latest edit is dropped
 * (every edit has a sequence number), so `problems` always describe the draft
 * as it is now, never as it was.
 *
 * Where no worker can be started (a test's DOM, a worker that failed to
 * load), the same validator runs on the page instead.
 */
import type { DraftProblem, ScenarioStats, ValidationAnswer, ValidationRequest } from '../../../../src-main/api/studio-validation.ts';

export type { DraftProblem, ScenarioStats };

import { startValidationWorker, type ValidationWorker } from './start-validation-worker.ts';

export type { ValidationWorker };

export interface LiveValidationOptions {
  /** Starts the worker; null where none can run (then the page validates). */
  createWorker?: () => ValidationWorker | null;
  now?: () => number;
  /**
   * The copy of a document taken when it is sent (default `$state.snapshot`,
   * which clones every value one by one). A caller whose documents are never
   * changed in place (the studio's DraftState) passes `(d) => d`: at 2,000
   * steps the copy costs more than the validation.
   */
  copy?: (document: unknown) => unknown;
}

/** A problem is "at" a pointer when it is there or beneath it ("/timeline/3" holds "/timeline/3/next"). */
export function isAtOrBeneath(problemPointer: string, pointer: string): boolean {
  return problemPointer === pointer || (problemPointer.startsWith(pointer) && problemPointer.charAt(pointer.length) === '/') || pointer === '';
}

export class LiveValidation {
  /** Every problem of the latest draft validated, in document order. */
  problems = $state.raw<readonly DraftProblem[]>([]);
  /** How much the draft holds (null until its structure is right). */
  stats = $state.raw<ScenarioStats | null>(null);
  /** Whether the latest draft validated passes every rule; null before the first answer. */
  valid = $state<boolean | null>(null);
  /** True from an edit until its answer arrives. */
  pending = $state(false);
  /** From the latest edit answered to its answer being shown (ms), and the validator's own time for it. */
  latencyMs = $state<number | null>(null);
  validatorMs = $state<number | null>(null);

  readonly #now: () => number;
  readonly #createWorker: () => ValidationWorker | null;
  readonly #copy: (document: unknown) => unknown;
  #worker: ValidationWorker | null | undefined;
  /** The latest edit: its number, the time it was made and its document (copied when it is sent). */
  #latest: { seq: number; at: number; document: unknown } | null = null;
  #seq = 0;
  #inFlight: number | null = null;
  #idle: Array<() => void> = [];
  #disposed = false;

  constructor(options: LiveValidationOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#createWorker = options.createWorker ?? startValidationWorker;
    this.#copy = options.copy ?? ((document) => $state.snapshot(document));
  }

  /** Problems at `pointer` or beneath it. */
  problemsAt(pointer: string): readonly DraftProblem[] {
    return this.problems.filter((p) => isAtOrBeneath(p.pointer, pointer));
  }

  /**
   * The draft changed: validate it now if nothing is in flight, else when the
   * answer in flight arrives (only the latest document is kept meanwhile).
   */
  update(document: unknown): void {
    if (this.#disposed) return;
    this.#latest = { seq: ++this.#seq, at: this.#now(), document };
    this.pending = true;
    this.#send();
  }

  /** Resolves once the latest edit has been answered. */
  settled(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  dispose(): void {
    this.#disposed = true;
    this.#worker?.terminate();
    this.#worker = null;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #send(): void {
    const latest = this.#latest;
    if (this.#disposed || latest === null || this.#inFlight !== null) return;
    this.#inFlight = latest.seq;
    // The copy is taken as it is sent (a Svelte state proxy cannot cross to a worker, and later edits must not change
    // what was sent); edits coalesced while a request was in flight are never copied.
    const request: ValidationRequest = { seq: latest.seq, document: this.#copy(latest.document) };
    const worker = this.#workerOrNull();
    if (worker) {
      worker.postMessage(request);
      return;
    }
    void this.#validateHere(request);
  }

  #workerOrNull(): ValidationWorker | null {
    if (this.#worker !== undefined) return this.#worker;
    const worker = this.#createWorker();
    if (worker) {
      worker.onmessage = (event) => this.#answer(event.data);
      // A worker that cannot load or crashes: the page validates from now on, starting with what was in flight.
      worker.onerror = () => {
        worker.terminate();
        this.#worker = null;
        const inFlight = this.#inFlight;
        this.#inFlight = null;
        if (inFlight !== null) this.#send();
      };
    }
    this.#worker = worker;
    return worker;
  }

  async #validateHere(request: ValidationRequest): Promise<void> {
    const { answerValidation } = await import('../../../../src-main/api/studio-validation.ts');
    this.#answer(answerValidation(request, this.#now));
  }

  #answer(answer: ValidationAnswer): void {
    if (this.#inFlight === answer.seq) this.#inFlight = null;
    const latest = this.#latest;
    if (this.#disposed || latest === null) return;
    if (answer.seq !== latest.seq) {
      // Overtaken by a later edit: drop it, and send that edit now.
      this.#send();
      return;
    }
    this.problems = answer.problems;
    this.stats = answer.stats;
    this.valid = answer.ok;
    this.validatorMs = answer.ms;
    this.latencyMs = this.#now() - latest.at;
    this.pending = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
