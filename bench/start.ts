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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { afterNextFrame, builtRenderer, CPU_TRACE_CATEGORIES, mainThreadCpu, MissingTraceEvent, openBrowserBench } from './browser.ts';
import { median, report } from './measure.ts';

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** What the library's page logs once it has recorded every time the bench reads. */
const DONE = 'sandtable-bench: library times recorded';

/** When a resource's request left and its response ended, in ms since navigation start. */
interface Span {
  start: number;
  end: number;
}

/**
 * Page code (run before the page's own): once the first scenario cards are in the page, sets `__firstFrameCards`
 * (how many), `__firstCardShown` (when the frame with them was presented: Element Timing's render time of the first
 * card's heading, as the blank page's first contentful paint) and `__libraryPainted` (a frame later, with the mark
 * `library-painted`), calling the page's `recorded()` after each of the last two.
 */
const FIRST_CARDS_PAINTED = `new MutationObserver((_, observer) => {
  const cards = document.querySelectorAll('[data-testid="scenario-card"]');
  if (cards.length === 0) return;
  observer.disconnect();
  window.__firstFrameCards = cards.length;
  // The page's own work after the frame (more cards) must not hide it, nor the mark below run before it.
  cards[0].querySelector('h2')?.setAttribute('elementtiming', 'library-first-card');
  new PerformanceObserver((list) => {
    const shown = list.getEntries().find((e) => e.identifier === 'library-first-card');
    // A text's entry has no loadTime (0), and no renderTime only when the browser gave it none: kept as 0 and refused
    // by the bench, rather than falling back to the mark alone without saying so.
    if (shown) {
      window.__firstCardShown = shown.renderTime;
      recorded();
    }
  }).observe({ type: 'element', buffered: true });
  ${afterNextFrame("window.__libraryPainted = performance.now(); performance.mark('library-painted'); recorded()")};
}).observe(document, { childList: true, subtree: true });`;

/** One library load's timeline (ms since navigation start): the page, its entry script, its styles, its first call, its first paint. */
interface Timeline {
  html: number;
  entry: Span | null;
  styles: number;
  /** The first `POST /api/call` (the library's first `library.list`); null when the page made none. */
  listing: Span | null;
  firstPaint: number;
  /** When the frame with the first cards was presented (Element Timing). */
  cardsShown: number;
}

/**
 * Gzipped bytes of each script index.html loads up front (its module script
 * and modulepreloads, in the order it lists them), and of all scripts.
 */
function scriptSizes(dir: string): { firstLoad: Map<string, number>; all: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const upFront = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => gzipSync(readFileSync(join(dir, file)), { level: 9 }).length;
  const all = readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
  return { firstLoad: new Map(upFront.map((f) => [f, gz(f)])), all: all.reduce((sum, f) => sum + gz(join('assets', f)), 0) };
}

export async function startBenchmarks(): Promise<void> {
  const built = builtRenderer('start benchmarks');
  if (!built) return;
  const sizes = scriptSizes(built);
  const firstLoad = [...sizes.firstLoad.values()].reduce((sum, n) => sum + n, 0);
  report('first-load JavaScript of the renderer, gzip, vs all of its JavaScript', firstLoad / 1024, 'KiB', sizes.all / 1024, 'value <= 120 KiB');
  console.log(JSON.stringify({ name: 'first-load JavaScript by chunk, gzip KiB', chunks: Object.fromEntries([...sizes.firstLoad].map(([f, n]) => [f, kib(n)])) }));

  // The built renderer as the app serves it, plus one blank page beside it: the same server serves both.
  const bench = await openBrowserBench('start benchmarks', (rendererDir) =>
    writeFileSync(join(rendererDir, 'blank.html'), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Blank</title></head><body><p>Blank</p></body></html>\n'),
  );
  if (!bench) return;
  const { host, browser } = bench;
  // Every card the library has: the bench also times the frame that shows the last of them.
  const cardCount = bench.services.library.list().scenarios.length;
  try {
    const origin = new URL(host.url).origin;
    /**
     * Milliseconds from navigation start to the blank page's first contentful paint; with `cpu`, also the
     * main thread's CPU milliseconds until then (from a trace, which slows the page: not timed in the same run).
     */
    const blank = async (cpu = false): Promise<{ ms: number; cpuMs: number }> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (cpu) await browser.startTracing(page, { categories: CPU_TRACE_CATEGORIES });
      await page.goto(`${origin}/blank.html`);
      // Page code as text: it runs in the browser (this file is type-checked without the DOM's types).
      const fcp = await page.evaluate<number>(`new Promise((done) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) done(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      })`);
      let cpuMs = NaN;
      if (cpu) {
        // The paint's trace event is the last thing this page's renderer wrote: the trace is stopped a frame
        // later, not at once, so that the renderer has committed it to the trace rather than leaving it in the
        // buffer the stop must flush (a busy renderer may miss that flush, and the event with it).
        await page.evaluate(`new Promise((done) => ${afterNextFrame('done()')})`);
        cpuMs = mainThreadCpu(await browser.stopTracing(), 'firstContentfulPaint');
      }
      await context.close();
      return { ms: fcp, cpuMs };
    };
    /** A traced blank load; a trace without the paint's event is taken again (at most three times), and said so. */
    const tracedBlank = async (): Promise<{ ms: number; cpuMs: number }> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await blank(true);
        } catch (error) {
          if (!(error instanceof MissingTraceEvent) || attempt === 3) throw error;
          console.error(`start bench: blank page traced again (attempt ${attempt + 1}): ${error.message}`);
        }
      }
    };
    /**
     * Waits (at most 30 s) for the page's message that it has recorded what the bench reads: null, or the timeout's
     * error. Never rejects, so a navigation that throws first leaves no unhandled rejection behind it.
     */
    const recordedBy = (page: Page): Promise<unknown> =>
      page.waitForEvent('console', { predicate: (message) => message.text() === DONE, timeout: 30_000 }).then(
        () => null,
        (error: unknown) => error,
      );
    /**
     * Milliseconds from navigation start to the frame that first shows a scenario card of the library
     * (`ms`: that frame produced and presented), and to the frame that first shows the cards' tags (`completeMs`: the library is complete;
     * the two are the same frame while the tags are drawn with their cards), and to the frame that shows
     * every card (`allMs`: the cards below the first screen may follow a frame later); with `cpu`, also the main thread's
     * CPU milliseconds until each (as for `blank`); with `profile`, a CPU profile of the page
     * (Chrome DevTools' .cpuprofile format) is written there.
     */
    const library = async ({ cpu = false, profile }: { cpu?: boolean; profile?: string } = {}): Promise<{
      ms: number;
      completeMs: number;
      allMs: number;
      cpuMs: number;
      cpuCompleteMs: number;
      timeline: Timeline;
    }> => {
      const context = await browser.newContext();
      await context.addInitScript({
        content: `const recorded = () => {
          if ([window.__libraryPainted, window.__firstCardShown, window.__libraryComplete, window.__libraryAll].every((t) => t !== undefined)) console.debug('${DONE}');
        };
        ${FIRST_CARDS_PAINTED}
        new MutationObserver((_, observer) => {
          if (!document.querySelector('[data-testid="scenario-card"] ul[aria-label^="Tags of "]')) return;
          observer.disconnect();
          ${afterNextFrame("window.__libraryComplete = performance.now(); performance.mark('library-complete'); recorded()")};
        }).observe(document, { childList: true, subtree: true });
        new MutationObserver((_, observer) => {
          if (document.querySelectorAll('[data-testid="scenario-card"]').length < ${cardCount}) return;
          observer.disconnect();
          ${afterNextFrame("window.__libraryAll = performance.now(); performance.mark('library-all'); recorded()")};
        }).observe(document, { childList: true, subtree: true });`,
      });
      const page = await context.newPage();
      const cdp = profile ? await context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      if (cpu) await browser.startTracing(page, { categories: CPU_TRACE_CATEGORIES });
      // The page says when it has recorded every time below (a console message), and only then is it asked for
      // them: a Playwright evaluation during the load (waitForFunction's polling, any evaluate) first compiles
      // Playwright's own script in the page, some 10 ms of its main thread that would be counted as the library's.
      const done = recordedBy(page);
      await page.goto(host.url, { waitUntil: 'commit' });
      const timedOut = await done;
      const times = await page.evaluate<Partial<Record<'painted' | 'shown' | 'complete' | 'all', number>>>(
        '({ painted: window.__libraryPainted, shown: window.__firstCardShown, complete: window.__libraryComplete, all: window.__libraryAll })',
      );
      const { painted: paintedMark, shown: cardsShown, complete: completeMark, all: allMark } = times;
      // Every time recorded is enough, even if the message came a moment after the wait gave up.
      if (paintedMark === undefined || cardsShown === undefined || completeMark === undefined || allMark === undefined) {
        const missing =
          paintedMark === undefined
            ? 'the library never showed a scenario card'
            : cardsShown === undefined
              ? `no Element Timing entry for the first card's heading (elementtiming="library-first-card")`
              : completeMark === undefined
                ? `the library's cards never showed their tags (no [aria-label^="Tags of "] list in a card)`
                : `the library never showed all of its ${cardCount} cards`;
        throw new Error(`start bench: ${missing}`, { cause: timedOut });
      }
      // Painted: the frame that shows the first cards has been produced (the mark) and presented (its render time), whichever is later.
      if (!(cardsShown > 0)) throw new Error(`start bench: the first card's heading has an Element Timing entry without a render time (${cardsShown})`);
      const painted = Math.max(paintedMark, cardsShown);
      // Complete cannot come before painted (the tags are drawn with their cards, so usually the same frame).
      // The shipped scenarios all have tags: a library whose cards show none is not complete, and says so (above).
      const complete = Math.max(completeMark, painted);
      // Nor can all of the cards (the first frame may hold every one: then its mark may precede the presentation).
      const all = Math.max(allMark, painted);
      // The cards of the first frame fill the window (or are all of them): "painted" is the first screen a user sees.
      // Read once every card is painted, so the reading forces no layout into the frames measured.
      const filled = await page.evaluate<boolean>(
        `(() => { const cards = document.querySelectorAll('[data-testid="scenario-card"]'); return window.__firstFrameCards >= ${cardCount} || cards[window.__firstFrameCards - 1].getBoundingClientRect().bottom >= innerHeight; })()`,
      );
      if (!filled) throw new Error(`start bench: the library's first frame left part of the window without cards, so its "painted" is not the screen a user sees`);
      // Where the time went, from the page's own timings: when its files arrived, when the first call left and
      // came back, when the first paint happened (resource timing: requestStart and responseEnd of each).
      const timeline = await page.evaluate<Timeline>(`(() => {
        const resources = performance.getEntriesByType('resource');
        const first = (test) => resources.find((e) => test(new URL(e.name).pathname));
        const at = (e) => (e ? { start: e.requestStart || e.startTime, end: e.responseEnd } : null);
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          html: performance.getEntriesByType('navigation')[0].responseEnd,
          entry: at(first((path) => path.startsWith('/assets/index-') && path.endsWith('.js'))),
          styles: Math.max(...resources.filter((e) => e.name.endsWith('.css')).map((e) => e.responseEnd)),
          listing: at(first((path) => path === '/api/call')),
          firstPaint: paint ? paint.startTime : NaN,
        };
      })()`);
      timeline.cardsShown = cardsShown;
      const trace = cpu ? await browser.stopTracing() : null;
      const cpuMs = trace ? mainThreadCpu(trace, 'library-painted') : NaN;
      const cpuCompleteMs = trace ? mainThreadCpu(trace, 'library-complete') : NaN;
      if (cdp && profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
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
      return { ms: painted, completeMs: complete, allMs: all, cpuMs, cpuCompleteMs, timeline };
    };
    /**
     * The library's first screen as a static page: the elements of its first frame with cards (taken from a load of the
     * library as they are when the cards and their tags are first inserted), with the same stylesheets, font preloads and
     * favicon, and no script. Its paint is what the library's would be if none of its JavaScript had to run first: the
     * floor that the styles, the fonts, the layout and the raster of that screen set, which no change to the renderer's
     * code can go under. Styles the page set from script (CSSOM, which the CSP allows) would be `style` attributes in
     * the HTML, which the CSP refuses: they are moved to a stylesheet of their own (`css`), with `!important` as an
     * inline style wins.
     */
    const captureFirstScreen = async (): Promise<{ html: string; css: string }> => {
      const context = await browser.newContext();
      await context.addInitScript({
        content: `new MutationObserver((_, observer) => {
          if (!document.querySelector('[data-testid="scenario-card"] ul[aria-label^="Tags of "] li')) return;
          observer.disconnect();
          const root = document.documentElement.cloneNode(true);
          const rules = [];
          root.querySelectorAll('[style]').forEach((element, i) => {
            const declarations = [...element.style].map((name) => name + ': ' + element.style.getPropertyValue(name) + ' !important');
            rules.push('[data-first-screen-style="' + i + '"] { ' + declarations.join('; ') + ' }');
            element.setAttribute('data-first-screen-style', String(i));
            element.removeAttribute('style');
          });
          const link = document.createElement('link');
          link.rel = 'stylesheet';
          link.href = './first-screen.css';
          root.querySelector('head').append(link);
          window.__firstScreen = { html: root.outerHTML, css: rules.join('\\n') };
          console.debug('${DONE}');
        }).observe(document, { childList: true, subtree: true });`,
      });
      const page = await context.newPage();
      const done = recordedBy(page);
      await page.goto(host.url, { waitUntil: 'commit' });
      const failed = await done;
      if (failed) throw new Error('start bench: the library never showed a card with its tags to take its first screen from', { cause: failed });
      const { html, css } = await page.evaluate<{ html: string; css: string }>('window.__firstScreen');
      await context.close();
      const stripped = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<link\b[^>]*\brel="modulepreload"[^>]*>/g, '');
      if (/<script\b/i.test(stripped) || /\sstyle="/i.test(stripped) || !stripped.includes('data-testid="scenario-card"')) {
        throw new Error('start bench: the first screen could not be taken as static HTML (a script or a style attribute is left in it, or no card)');
      }
      return { html: `<!doctype html>${stripped}`, css };
    };
    /** Milliseconds from navigation start to the static first screen painted: measured as the library's "painted". */
    const firstScreen = async (): Promise<number> => {
      const context = await browser.newContext();
      await context.addInitScript({
        content: `const recorded = () => {
          if (window.__libraryPainted !== undefined && window.__firstCardShown !== undefined) console.debug('${DONE}');
        };
        ${FIRST_CARDS_PAINTED}`,
      });
      const page = await context.newPage();
      // The same screen paints only if nothing of it is refused: a CSP refusal (an inline style left behind) fails the bench.
      const refused: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      const done = recordedBy(page);
      await page.goto(`${origin}/first-screen.html`, { waitUntil: 'commit' });
      const failed = await done;
      if (failed) throw new Error(`start bench: the static first screen's first card was not painted`, { cause: failed });
      const [mark, shown] = await page.evaluate<[number, number]>('[window.__libraryPainted, window.__firstCardShown]');
      await context.close();
      if (refused.length > 0) throw new Error(`start bench: the static first screen broke the page's CSP ${refused.length} times: ${refused.join(' | ').slice(0, 300)}`);
      if (!(shown > 0)) throw new Error(`start bench: the static first screen's card heading has no render time (${shown})`);
      return Math.max(mark, shown);
    };
    await blank();
    await library(); // warm-up: the browser process, the server's first validation of the library
    const firstScreenPage = await captureFirstScreen();
    writeFileSync(join(bench.rendererDir, 'first-screen.html'), firstScreenPage.html);
    writeFileSync(join(bench.rendererDir, 'first-screen.css'), firstScreenPage.css);
    await firstScreen();
    // Alternated, so both see the same machine conditions; the medians of 9 each.
    const blanks: number[] = [];
    const libraries: number[] = [];
    const completes: number[] = [];
    const alls: number[] = [];
    const timelines: Timeline[] = [];
    const firstScreens: number[] = [];
    for (let i = 0; i < 9; i++) {
      blanks.push((await blank()).ms);
      firstScreens.push(await firstScreen());
      const loaded = await library();
      libraries.push(loaded.ms);
      completes.push(loaded.completeMs);
      alls.push(loaded.allMs);
      timelines.push(loaded.timeline);
    }
    report(
      'library painted (cold page load, built renderer, web host) vs a blank page from the same loopback server, Chromium',
      median(libraries),
      'ms',
      median(blanks),
      'ratio <= 3',
    );
    // What of that is the screen itself: the same first screen with no JavaScript, in the same alternation.
    report(
      'the library’s first screen as static HTML (the same elements, styles and fonts, no script) vs the same blank page',
      median(firstScreens),
      'ms',
      median(blanks),
      'for comparison',
    );
    // The same loads, until the library is complete: its cards and their tags painted.
    report('library complete, cards and their tags painted (same loads) vs the same blank page', median(completes), 'ms', median(blanks), 'for comparison');
    report(`library with all of its ${cardCount} cards painted (same loads) vs the same blank page`, median(alls), 'ms', median(blanks), 'for comparison');
    console.log(
      JSON.stringify({
        name: 'library painted, its static first screen and blank page, each run (ms)',
        library: libraries.map(Math.round),
        firstScreen: firstScreens.map(Math.round),
        blank: blanks.map(Math.round),
      }),
    );
    console.log(JSON.stringify({ name: 'library complete and with all of its cards, each run (ms)', complete: completes.map(Math.round), all: alls.map(Math.round) }));
    // Where the time goes, the median of each step over the loads that had it (null: none had it, e.g. no first call).
    const step = (of: (t: Timeline) => number | undefined) => {
      const values = timelines.map(of).filter((v): v is number => v !== undefined && Number.isFinite(v));
      return values.length ? Math.round(median(values)) : null;
    };
    console.log(
      JSON.stringify({
        name: 'library load timeline, median of the same loads (ms since navigation start)',
        htmlReceived: step((t) => t.html),
        entryScriptReceived: step((t) => t.entry?.end),
        stylesReceived: step((t) => t.styles),
        firstCallLeft: step((t) => t.listing?.start),
        firstCallAnswered: step((t) => t.listing?.end),
        firstPaint: step((t) => t.firstPaint),
        cardsPresented: step((t) => t.cardsShown),
        libraryPainted: Math.round(median(libraries)),
        firstCallMade: `${timelines.filter((t) => t.listing).length} of ${timelines.length} loads`,
      }),
    );
    // The same loads traced: the main thread's CPU time, which a busy machine inflates far less than the wall time.
    const blankCpu: number[] = [];
    const libraryCpu: number[] = [];
    const completeCpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      blankCpu.push((await tracedBlank()).cpuMs);
      const traced = await library({ cpu: true });
      libraryCpu.push(traced.cpuMs);
      completeCpu.push(traced.cpuCompleteMs);
    }
    report(
      'main-thread CPU time until the library is painted vs until a blank page’s first paint (traced loads, median of 5)',
      median(libraryCpu),
      'ms',
      median(blankCpu),
      'for comparison',
    );
    report(
      'main-thread CPU time until the library is complete (cards and tags painted, same traced loads) vs the same blank page',
      median(completeCpu),
      'ms',
      median(blankCpu),
      'for comparison',
    );
    // SANDTABLE_BENCH_PROFILE=file.cpuprofile: where one more load's main-thread time goes (open it in DevTools' Performance panel).
    if (process.env.SANDTABLE_BENCH_PROFILE) await library({ profile: process.env.SANDTABLE_BENCH_PROFILE });
  } finally {
    await bench.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await startBenchmarks();
