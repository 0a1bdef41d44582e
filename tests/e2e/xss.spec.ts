import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';

/**
 * Hostile scenario content must render inert. tests/fixtures/xss/xss-scenario.json
 * puts an XSS corpus (script tags, javascript: and data: links, <img onerror>,
 * SVG with handlers, <iframe>, style injection, mutation-XSS tricks,
 * pathological markdown) into every text and markdown field of a valid scenario;
 * the test adds three 1 MiB strings (too big to keep in the repository) and
 * previews it with every disclosure opened and every step shown.
 *
 * A canary (`window.__xss`, and alert/confirm/prompt) and a
 * `securitypolicyviolation` listener are installed before the app's first
 * script; both must stay silent, and no request may leave the app's origin.
 */

const MIB = 1024 * 1024;
/** A 1 MiB string that starts with a payload. */
const huge = (payload: string) => (payload + 'A'.repeat(MIB)).slice(0, MIB);

function writeCorpus(dir: string): void {
  const scenario = JSON.parse(readFileSync('tests/fixtures/xss/xss-scenario.json', 'utf8'));
  const trail = scenario.evidence.find((e: { id: string }) => e.id === 'ct');
  trail.records[0].userIdentity.arn = huge('<img src=x onerror="window.__xss=\'huge-arn\'">');
  trail.records[0].requestParameters.policyDocument = huge('<script>window.__xss="huge-policy"</script>');
  const finding = scenario.evidence.find((e: { id: string }) => e.id === 'gd');
  finding.finding.resource.instanceDetails.instanceId = huge('<svg onload="window.__xss=\'huge-svg\'">');
  const checked = validateScenario(scenario, { assetExists: () => true });
  if (!checked.ok) throw new Error(`The XSS fixture is not a valid scenario: ${JSON.stringify(checked.errors.slice(0, 5))}`);
  writeFileSync(join(dir, 'xss-scenario.json'), JSON.stringify(scenario));
  mkdirSync(join(dir, 'assets'));
  // A 1×1 transparent PNG for the image evidence.
  writeFileSync(join(dir, 'assets', 'evil.png'), Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
}

interface Alarms {
  xss: string[];
  csp: string[];
}

let host: RunningHost | undefined;
let dataDir: string;
let scenariosDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-xss-data-'));
  scenariosDir = mkdtempSync(join(tmpdir(), 'sandtable-xss-scenarios-'));
  writeCorpus(scenariosDir);
  host = await startHost(dataDir, { scenariosDir });
});

test.afterAll(async () => {
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scenariosDir, { recursive: true, force: true });
});

test('an XSS corpus in every field of a scenario renders as inert text', async ({ page }) => {
  test.setTimeout(120_000);
  const web = host;
  if (!web) throw new Error('the web host did not start (see beforeAll)');
  await page.addInitScript(() => {
    const alarms = { xss: [] as string[], csp: [] as string[] };
    Object.defineProperty(window, '__alarms', { value: alarms });
    Object.defineProperty(window, '__xss', {
      get: () => undefined,
      set: (value: unknown) => alarms.xss.push(`window.__xss = ${String(value)}`),
    });
    for (const name of ['alert', 'confirm', 'prompt'] as const) {
      Object.defineProperty(window, name, { value: (message: unknown) => alarms.xss.push(`${name}(${String(message)})`) });
    }
    document.addEventListener('securitypolicyviolation', (event) => alarms.csp.push(`${event.violatedDirective} ${event.blockedURI}`), true);
  });
  const alarms = () => page.evaluate(() => (window as unknown as { __alarms: Alarms }).__alarms);
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(web.origin) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('dialog', (dialog) => void dialog.dismiss());

  await page.goto(web.url);
  const card = page.getByTestId('scenario-card').filter({ hasText: 'XSS corpus' });
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: /^Preview/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('XSS corpus <script>window.__xss="title"</script>');

  // The payloads are on the page as text, not as markup.
  const brief = page
    .locator('section', { has: page.getByRole('heading', { name: 'Opening brief' }) })
    .locator('.markdown')
    .first();
  await expect(brief).toContainText('<script>window.__xss = "script"</script>');
  await expect(brief).toContainText(`<img src=x onerror="window.__xss='img'">`);
  await expect(brief.locator('.md-link-address').filter({ hasText: 'javascript:' }).first()).toBeVisible();
  await expect(brief).toContainText('[image: remote image]');

  // Open everything: raw JSON of every record and finding, the huge strings in full,
  // the facilitator brief, the step list, every step, and a log search.
  await page.getByText('Facilitator brief (not for the room)').click();
  await page.getByText(/^All \d+ steps as a list$/).click();
  for (const button of await page.getByRole('button', { name: /JSON/ }).all()) await button.click();
  await expect(page.getByRole('button', { name: /^Show all \d,\d{3},\d{3} characters$/ }).first()).toBeVisible();
  const showAll = page.getByRole('button', { name: /^Show all [\d,]+ characters$/ });
  for (let left = await showAll.count(); left > 0; left = await showAll.count()) await showAll.first().click();
  for (const node of await page.getByTestId('branch-graph').locator('[data-step-id]').all()) {
    await node.click();
    await expect(page.getByTestId('step-detail')).toBeVisible();
  }
  await page.getByLabel('Search').fill('<script');
  await expect(page.locator('.lines mark').first()).toHaveText('<script');
  // Let any handler that slipped through fire: every image loaded or failed, every animation done, two frames drawn.
  await page.evaluate(async () => {
    await Promise.all(
      [...document.images].map((img) =>
        img.complete
          ? Promise.resolve()
          : new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
            }),
      ),
    );
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });

  const dangerous = await page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll('.markdown *')) {
      if (/^(script|style|iframe|object|embed|form|input|svg|math|img|a|link|meta|base)$/i.test(element.tagName)) found.push(element.tagName);
      for (const attribute of element.getAttributeNames()) if (/^(on|style$|href$|src$)/i.test(attribute)) found.push(`${element.tagName}[${attribute}]`);
    }
    for (const element of document.querySelectorAll('main [style]')) found.push(`style on ${element.tagName}`);
    return found;
  });
  expect(dangerous).toEqual([]);
  expect(await alarms()).toEqual({ xss: [], csp: [] });
  expect(foreignRequests).toEqual([]);
  expect(page.url()).toMatch(/#\/scenarios\/xss-corpus$/);
  await page.screenshot({ path: test.info().outputPath('xss-preview.png') });
});
