/**
 * The studio's live validation client: drafts are validated by the project's
 * own validator at once, one request in flight at a time (edits meanwhile coalesced), and
 * an answer about anything but the latest edit is never shown. The worker
 * here is a stand-in for the browser's Worker that answers with the same
 * function the real worker runs (tests/e2e drive the real one in Chromium).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { answerValidation, type ValidationAnswer, type ValidationRequest } from '../../src-main/api/studio-validation.ts';
import { isAtOrBeneath, LiveValidation, type ValidationWorker } from '../../src-renderer/src/features/studio/live-validation.svelte.ts';
import sampleScenario from '../../scenarios/sample-leaked-key.json';

/** A fresh, mutable copy of the bundled sample scenario. */
const sample = (): Record<string, unknown> & { start: string } => structuredClone(sampleScenario);

/** A worker whose answers are released by the test, in any order. */
class HeldWorker implements ValidationWorker {
  onmessage: ((event: MessageEvent<ValidationAnswer>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly received: ValidationRequest[] = [];
  terminated = false;
  postMessage(message: ValidationRequest): void {
    // What a real worker receives is a structured clone.
    this.received.push(structuredClone(message));
  }
  answer(index: number): void {
    const request = this.received[index]!;
    this.onmessage?.(new MessageEvent('message', { data: answerValidation(request, () => 0) }));
  }
  terminate(): void {
    this.terminated = true;
  }
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
let live: LiveValidation | null = null;
afterEach(() => live?.dispose());

describe('LiveValidation', () => {
  it('validates at once when nothing is in flight, and lists every problem of the draft with its pointer', async () => {
    const worker = new HeldWorker();
    live = new LiveValidation({ createWorker: () => worker });
    const broken = sample();
    broken.start = 'nowhere';
    live.update(broken);
    expect(live.pending).toBe(true);
    expect(worker.received).toHaveLength(1);
    worker.answer(0);
    await live.settled();
    expect(live.pending).toBe(false);
    expect(live.valid).toBe(false);
    expect(live.problems.map((p) => p.pointer)).toContain('/start');
    expect(live.problemsAt('/start')).toEqual([{ pointer: '/start', message: expect.stringMatching(/nowhere/) }]);
    expect(live.stats).toMatchObject({ decisions: expect.any(Number) });
    expect(live.latencyMs).toEqual(expect.any(Number));
  });

  it('coalesces edits made while a request is in flight: only the latest is sent, and copied, when the answer arrives', async () => {
    const worker = new HeldWorker();
    const copied: unknown[] = [];
    live = new LiveValidation({ createWorker: () => worker, copy: (d) => (copied.push(d), structuredClone(d)) });
    live.update({ meta: {} });
    const skipped = sample();
    const latest = sample();
    latest.start = 'nowhere';
    live.update(skipped);
    live.update(latest);
    await tick(10);
    expect(worker.received).toHaveLength(1);
    worker.answer(0); // stale: the edits after it are what the draft is now
    expect(live.valid).toBeNull();
    expect(worker.received).toHaveLength(2);
    expect(copied).not.toContain(skipped);
    expect((worker.received[1]!.document as { start: string }).start).toBe('nowhere');
    worker.answer(1);
    await live.settled();
    expect(live.valid).toBe(false);
    expect(live.problemsAt('/start')).toHaveLength(1);
    expect(worker.received).toHaveLength(2);
  });

  it('keeps one request in flight, sends the latest edit when it answers, and drops the stale answer', async () => {
    const worker = new HeldWorker();
    live = new LiveValidation({ createWorker: () => worker });
    const broken = sample();
    broken.start = 'nowhere';
    live.update(broken);
    await tick(10);
    live.update(sample()); // fixed while the first is being validated
    await tick(10);
    expect(worker.received).toHaveLength(1);
    worker.answer(0); // the broken draft's answer: stale, not shown
    expect(live.valid).toBeNull();
    expect(live.problems).toEqual([]);
    expect(worker.received).toHaveLength(2);
    worker.answer(1);
    await live.settled();
    expect(live.valid).toBe(true);
    expect(live.problems).toEqual([]);
  });

  it('sends a copy: later changes to the object do not change what is validated', async () => {
    const worker = new HeldWorker();
    live = new LiveValidation({ createWorker: () => worker });
    const draft = sample();
    live.update(draft);
    draft.start = 'changed-after';
    await tick(10);
    expect((worker.received[0]!.document as { start: string }).start).toBe(sample().start);
  });

  it('validates on the page where no worker can run, and after a worker fails', async () => {
    live = new LiveValidation({ createWorker: () => null });
    live.update(sample());
    await live.settled();
    expect(live.valid).toBe(true);

    const worker = new HeldWorker();
    const failing = new LiveValidation({ createWorker: () => worker });
    failing.update({});
    await tick(10);
    worker.onerror?.(new Event('error'));
    await failing.settled();
    expect(worker.terminated).toBe(true);
    expect(failing.valid).toBe(false);
    expect(failing.problems.length).toBeGreaterThan(0);
    failing.dispose();
  });

  it('places problems at a pointer or beneath it', () => {
    expect(isAtOrBeneath('/timeline/3/next', '/timeline/3')).toBe(true);
    expect(isAtOrBeneath('/timeline/3', '/timeline/3')).toBe(true);
    expect(isAtOrBeneath('/timeline/30', '/timeline/3')).toBe(false);
    expect(isAtOrBeneath('/meta/id', '')).toBe(true);
  });
});
