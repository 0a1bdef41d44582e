/**
 * The set-up the browser benchmarks share (bench/start.ts, bench/studio.ts):
 * the built renderer copied to a scratch folder, served by the real web host
 * over loopback with the shipped scenarios, and Debian's Chromium (through
 * playwright-core) launched against it. Says why and gives null when there is
 * no build or no Chromium.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { Services } from '../src-main/app/services.ts';
import { startWebHost, type WebHost } from '../src-main/hosts/web/server.ts';
import { Store } from '../src-main/store/store.ts';

const RENDERER = resolve(process.env.SANDTABLE_RENDERER_DIR ?? join(import.meta.dirname, '../out/renderer'));
const SCENARIOS = resolve(import.meta.dirname, '../scenarios');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserBench {
  /** The built renderer the bench serves (a scratch copy: files may be added beside it before the host serves them). */
  readonly rendererDir: string;
  readonly services: Services;
  readonly host: WebHost;
  readonly browser: Browser;
  /** Stops the browser and the host and removes the scratch folder. */
  close(): Promise<void>;
}

/** The built renderer's folder, or null (and a `skipped` line naming `name`) when it or the Chromium is missing. */
export function builtRenderer(name: string): string | null {
  const missing = !existsSync(join(RENDERER, 'index.html'))
    ? 'no out/renderer: run `npm run build` first'
    : !existsSync(CHROMIUM)
      ? `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`
      : null;
  if (missing) console.log(JSON.stringify({ name, skipped: missing }));
  return missing ? null : RENDERER;
}

/**
 * Serves the built renderer from the real web host and launches Chromium
 * against it; `prepare` may add files to the served copy first.
 */
export async function openBrowserBench(name: string, prepare?: (rendererDir: string) => void): Promise<BrowserBench | null> {
  const built = builtRenderer(name);
  if (!built) return null;
  // The shipped configuration, as bench/run.ts sets it, also when a browser bench runs alone (`npx tsx bench/start.ts`):
  // a packaged app does not check its answers against their result schemas (src-main/app/dispatch.ts).
  process.env.SANDTABLE_CHECK_RESULTS = '0';
  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-browser-'));
  const rendererDir = join(work, 'renderer');
  cpSync(built, rendererDir, { recursive: true });
  prepare?.(rendererDir);
  const dataDir = join(work, 'data');
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 'bench', host: 'web', dataDir, scenariosDir: SCENARIOS });
  const host = await startWebHost({ services, rendererDir, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    rendererDir,
    services,
    host,
    browser,
    async close() {
      await browser.close();
      await host.close();
      services.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * Page code (as text) that runs `statement` in the frame after the one that
 * is being prepared: the frame that shows a change made now has been rendered
 * by then.
 */
export function afterNextFrame(statement: string): string {
  return `requestAnimationFrame(() => setTimeout(() => { ${statement}; }))`;
}

/** Chromium trace categories `mainThreadCpu` reads. */
export const CPU_TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** A trace without the event a measurement ends at: the renderer did not hand it over before the trace stopped. */
export class MissingTraceEvent extends Error {
  override name = 'MissingTraceEvent';
}

/**
 * CPU milliseconds the page's main thread spent, from a Chromium trace
 * (`browser.startTracing(page, { categories: CPU_TRACE_CATEGORIES })`): the
 * thread time of its top-level tasks up to the first event named `until`
 * (a `performance.mark`, or `firstContentfulPaint`), on the main thread of
 * the renderer that emitted it. Thread time, not wall time: on a
 * machine shared with other work it stays near what the page costs, while
 * its wall time mostly measures the queue for a core.
 */
export function mainThreadCpu(trace: Buffer, until: string): number {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const end = events.find((e) => e.name === until);
  if (!end) {
    const renderers = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').length;
    throw new MissingTraceEvent(`mainThreadCpu: no ${until} in the trace (${events.length} events, ${renderers} renderer main threads)`);
  }
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === end.pid && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error(`mainThreadCpu: no main thread in the process of ${until}`);
  let micros = 0;
  for (const e of events) {
    if (e.name === 'RunTask' && e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.ts < end.ts) micros += e.tdur ?? e.dur ?? 0;
  }
  return micros / 1000;
}
