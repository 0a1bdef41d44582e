/**
 * A lean start, measured in a real browser: Debian's Chromium (through
 * playwright-core) opens the built renderer from the real web host, cold
 * (a fresh browser context each time), and the time from navigation to the
 * library painted (its first scenario card on screen) is compared with a
 * blank page's first contentful paint, served by the same loopback server in
 * the same browser. Also: the JavaScript the first load fetches, gzipped.
 *
 * Needs `npm run build` (out/renderer) and a Chromium (CHROMIUM_PATH, else
 * /usr/bin/chromium); says so and skips otherwise. `startBenchmarks()` is
 * called by bench/run.ts; `npx tsx bench/start.ts` runs it alone.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { Services } from '../src-main/app/services.ts';
import { startWebHost } from '../src-main/hosts/web/server.ts';
import { Store } from '../src-main/store/store.ts';
import { median, report } from './measure.ts';

const RENDERER = resolve(process.env.SANDTABLE_RENDERER_DIR ?? join(import.meta.dirname, '../out/renderer'));
const SCENARIOS = resolve(import.meta.dirname, '../scenarios');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Gzipped bytes of the scripts index.html loads up front (its module script and modulepreloads), and of all scripts. */
function scriptSizes(dir: string): { firstLoad: number; all: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const upFront = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
  const all = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
  return { firstLoad: upFront.reduce((sum, f) => sum + gz(f), 0), all: all.reduce((sum, f) => sum + gz(join('assets', f)), 0) };
}

export async function startBenchmarks(): Promise<void> {
  if (!existsSync(join(RENDERER, 'index.html'))) {
    console.log(JSON.stringify({ name: 'start benchmarks', skipped: 'no out/renderer: run `npm run build` first' }));
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(JSON.stringify({ name: 'start benchmarks', skipped: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` }));
    return;
  }
  const sizes = scriptSizes(RENDERER);
  report('first-load JavaScript of the renderer, gzip, vs all of its JavaScript', sizes.firstLoad / 1024, 'KiB', sizes.all / 1024, 'value <= 120 KiB');

  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-start-'));
  // The built renderer as the app serves it, plus one blank page beside it: the same server serves both.
  const rendererDir = join(work, 'renderer');
  cpSync(RENDERER, rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'blank.html'), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Blank</title></head><body><p>Blank</p></body></html>\n');
  const dataDir = join(work, 'data');
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 'bench', host: 'web', dataDir, scenariosDir: SCENARIOS });
  const host = await startWebHost({ services, rendererDir, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const origin = new URL(host.url).origin;
    /** Milliseconds from navigation start to the blank page's first contentful paint. */
    const blank = async (): Promise<number> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/blank.html`);
      // Page code as text: it runs in the browser (this file is type-checked without the DOM's types).
      const fcp = await page.evaluate<number>(`new Promise((done) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) done(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      })`);
      await context.close();
      return fcp;
    };
    /** Milliseconds from navigation start to the frame that first shows a scenario card of the library. */
    const library = async (): Promise<number> => {
      const context = await browser.newContext();
      await context.addInitScript({
        content: `new MutationObserver((_, observer) => {
          if (!document.querySelector('[data-testid="scenario-card"]')) return;
          observer.disconnect();
          // The frame that shows it: after the next animation frame has been rendered.
          requestAnimationFrame(() => setTimeout(() => (window.__libraryPainted = performance.now())));
        }).observe(document, { childList: true, subtree: true });`,
      });
      const page = await context.newPage();
      await page.goto(host.url);
      // A function, not a string: a string predicate is evaluated with `new Function`, which the page's CSP refuses.
      await page.waitForFunction(() => (globalThis as { __libraryPainted?: number }).__libraryPainted !== undefined, undefined, { timeout: 30_000 });
      const painted = await page.evaluate<number>('window.__libraryPainted');
      if (process.env.SANDTABLE_BENCH_TRACE) {
        console.error(
          JSON.stringify(
            await page.evaluate(
              `performance.getEntries().map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseEnd ?? e.startTime + e.duration)])`,
            ),
          ),
        );
      }
      await context.close();
      return painted;
    };
    await blank();
    await library(); // warm-up: the browser process, the server's first validation of the library
    const blanks: number[] = [];
    const libraries: number[] = [];
    for (let i = 0; i < 9; i++) {
      blanks.push(await blank());
      libraries.push(await library());
    }
    report(
      'library painted (cold page load, built renderer, web host) vs a blank page from the same loopback server, Chromium',
      median(libraries),
      'ms',
      median(blanks),
      'ratio <= 3',
    );
  } finally {
    await browser.close();
    await host.close();
    services.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await startBenchmarks();
