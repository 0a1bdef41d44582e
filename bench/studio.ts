/**
 * The studio while typing, measured in a real browser: Debian's Chromium
 * (through playwright-core) opens the built renderer from the real web host
 * on a draft of a generated 2,000-node scenario, a step is selected, and each
 * of ~30 keystrokes into its title is timed from the key's `keydown` to the
 * frame after the problems list shows the validator's answer for it (its
 * `data-checked` count goes up). The baseline is the same, in the same run,
 * on the studio's small "New scenario" template.
 *
 * Needs `npm run build` (out/renderer) and a Chromium (CHROMIUM_PATH, else
 * /usr/bin/chromium); says so and skips otherwise. `studioBenchmarks()` is
 * called by bench/run.ts (`npm run bench -- studio`); `npx tsx bench/studio.ts` runs it alone.
 */
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import type { ResultOf } from '../src-main/api/contract.ts';
import { dispatch } from '../src-main/app/dispatch.ts';
import type { Services } from '../src-main/app/services.ts';
import { afterNextFrame, openBrowserBench } from './browser.ts';
import { median, percentile, report } from './measure.ts';
import { generatedScenario } from './scenarios.ts';

const KEYSTROKES = 30;

async function call<R>(services: Services, method: string, input: unknown): Promise<R> {
  const response = await dispatch(services, method, input, { role: 'facilitator' });
  if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
  return response.result as R;
}

/** Page code as text: it runs in the browser (this file is type-checked without the DOM's types). */
const WATCH = `(() => {
  const bench = (window.__studioBench = { keyAt: 0, samples: [] });
  window.addEventListener('keydown', (event) => { bench.keyAt = event.timeStamp; }, true);
  const problems = document.querySelector('[data-testid="studio-problems"]');
  new MutationObserver(() => {
    const keyAt = bench.keyAt;
    if (!keyAt) return;
    bench.keyAt = 0;
    ${afterNextFrame('bench.samples.push(performance.now() - keyAt)')};
  }).observe(problems, { attributes: true, attributeFilter: ['data-checked'] });
})()`;

/** Milliseconds from each keystroke into the selected step's title to the problems list updated, and the validator's own time for each (in the worker). */
async function keystrokes(page: Page, url: string): Promise<{ total: number[]; validator: number[] }> {
  await page.goto(url);
  const problems = page.getByTestId('studio-problems');
  await problems.and(page.locator(':not([data-checked="0"])')).waitFor({ timeout: 60_000 });
  await page.locator('[data-step-id]').first().click();
  const title = page.locator('[data-testid="studio-form"] [data-pointer$="/title"]').first();
  await title.click();
  await page.keyboard.press('End');
  await page.evaluate(WATCH);
  const validator: number[] = [];
  for (let i = 0; i < KEYSTROKES + 2; i++) {
    const before = Number(await problems.getAttribute('data-checked'));
    await page.keyboard.press(i % 2 === 0 ? 'x' : 'Backspace');
    await page.locator(`[data-testid="studio-problems"]:not([data-checked="${before}"])`).waitFor({ timeout: 30_000 });
    if (i >= 2) validator.push(Number(await problems.getAttribute('data-validator-ms')));
    // Let the answer's frame be measured, and the page settle, before the next key.
    await page.waitForTimeout(150);
  }
  const samples = await page.evaluate<number[]>('window.__studioBench.samples');
  return { total: samples.slice(2), validator }; // the first two warm the page up
}

export async function studioBenchmarks(): Promise<void> {
  const bench = await openBrowserBench('studio benchmarks');
  if (!bench) return;
  const { services, host, browser } = bench;
  try {
    type Draft = ResultOf<'studio.create'>;
    const small = await call<Draft>(services, 'studio.create', { from: 'new' });
    const large = await call<Draft>(services, 'studio.create', { from: 'new' });
    await call(services, 'studio.save', { draftId: large.draftId, revision: large.revision, document: generatedScenario(2_000) });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const base = host.url.replace(/#.*$/, '');
    const token = /#token=([0-9a-f]+)/.exec(host.url)?.[1] ?? '';
    const open = (draftId: string) => `${base}#/studio/${encodeURIComponent(draftId)}&token=${token}`;
    const baseline = await keystrokes(page, open(small.draftId));
    const measured = await keystrokes(page, open(large.draftId));
    report(
      'studio: keystroke to problems list updated, 2,000-node draft (median) vs the same on the small template',
      median(measured.total),
      'ms',
      median(baseline.total),
      'value <= 100 ms',
    );
    report(
      'studio: the validator’s own time per keystroke in the worker, 2,000-node draft (median) vs the small template',
      median(measured.validator),
      'ms',
      median(baseline.validator),
      'for comparison',
    );
    report(
      'studio: keystroke to problems list updated, 2,000-node draft (p95) vs the same on the small template (p95)',
      percentile(measured.total, 95),
      'ms',
      percentile(baseline.total, 95),
      'value <= 100 ms',
    );
    await context.close();
  } finally {
    await bench.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await studioBenchmarks();
