import { describe, expect, it } from 'vitest';
import { mainThreadCpu, MissingTraceEvent } from '../../bench/browser.ts';

/** A Chromium trace (JSON, as `browser.stopTracing()` gives it) of two renderers, each with a main thread and another thread. */
function trace(events: object[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      traceEvents: [
        { name: 'thread_name', ph: 'M', pid: 1, tid: 10, ts: 0, args: { name: 'CrRendererMain' } },
        { name: 'thread_name', ph: 'M', pid: 1, tid: 11, ts: 0, args: { name: 'Compositor' } },
        { name: 'thread_name', ph: 'M', pid: 2, tid: 20, ts: 0, args: { name: 'CrRendererMain' } },
        ...events,
      ],
    }),
  );
}

describe("the start bench's main-thread CPU time", () => {
  it('adds the thread time of the top-level tasks of the main thread of the renderer that painted, up to its paint', () => {
    const cpu = mainThreadCpu(
      trace([
        { name: 'RunTask', ph: 'X', pid: 1, tid: 10, ts: 1_000, dur: 9_000, tdur: 4_000 },
        { name: 'RunTask', ph: 'X', pid: 1, tid: 10, ts: 20_000, dur: 2_500 }, // no thread time recorded: its wall time
        { name: 'RunTask', ph: 'X', pid: 1, tid: 11, ts: 2_000, dur: 7_000, tdur: 7_000 }, // another thread
        { name: 'RunTask', ph: 'X', pid: 2, tid: 20, ts: 2_000, dur: 5_000, tdur: 5_000 }, // another renderer
        { name: 'firstContentfulPaint', ph: 'R', pid: 1, tid: 10, ts: 30_000 },
        { name: 'RunTask', ph: 'X', pid: 1, tid: 10, ts: 31_000, dur: 8_000, tdur: 8_000 }, // after the paint
      ]),
      'firstContentfulPaint',
    );
    expect(cpu).toBe(6.5);
  });

  it('says so, as an error the bench can take the trace again for, when the paint is not in the trace', () => {
    const missing = () => mainThreadCpu(trace([{ name: 'RunTask', ph: 'X', pid: 1, tid: 10, ts: 1_000, dur: 9_000, tdur: 4_000 }]), 'firstContentfulPaint');
    expect(missing).toThrow(MissingTraceEvent);
    expect(missing).toThrow('no firstContentfulPaint in the trace (4 events, 2 renderer main threads)');
  });
});
