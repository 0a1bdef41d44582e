import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, horizontalOverflow, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * The facilitator spotlights evidence from the real console; the phones
 * (each its own browser context, joined over the real participants' listener
 * with its own token) show it when an inject on that phone lists it, as that
 * participant's role sees it — a phone of another team, or of a role the
 * evidence is not for, does not, and cannot fetch its image either — and it
 * leaves them when the facilitator clears it.
 */

const LAN_LINE = /Participants join at (https:\/\/127\.0\.0\.1:\d+\/) \(certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)/;
const SHOTS = 'test-results/participant-spotlight';
/** A 2×2 PNG, so the browser has real pixels to decode. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-spotlight-'));
  host = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Each phone's Content-Security-Policy violations, watched from its first script. */
const cspOf = new Map<Page, () => Promise<string[]>>();

async function phone(browser: Browser, url: string, name: string, team: string, role: string | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  cspOf.set(page, await watchCsp(page));
  await page.goto(url);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: team }).check();
  await page.getByRole('radio', { name: role ?? 'No particular role', exact: true }).check();
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: team })).toBeVisible();
  return page;
}

/** Asks for an image with this phone's own token, as its page would. */
function fetchImage(page: Page, path: string): Promise<{ ok: boolean; error?: { code: string } }> {
  return page.evaluate(async (asset) => {
    const { token } = JSON.parse(localStorage.getItem('sandtable.participant') ?? '{}') as { token: string };
    const response = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ method: 'participant.asset', input: { path: asset } }),
    });
    return (await response.json()) as { ok: boolean; error?: { code: string } };
  }, path);
}

test('evidence spotlit in the console shows on the phones that may see it, and goes when cleared', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const lanUrl = LAN_LINE.exec(host.output())?.[1];
  if (lanUrl === undefined) throw new Error('the host printed no LAN address');

  // The warm-up scenario, with a diagram for the incident commander and the cloud engineer on the CISO's call (a contingency).
  const scenario = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
  scenario.meta.id = 'spotlight-phones';
  scenario.formatVersion = 1.1;
  const diagram = {
    id: 'ev-diagram',
    kind: 'image' as const,
    caption: 'Who can still use the key',
    asset: 'assets/key-paths.png',
    alt: 'Diagram of the roles that can use the leaked key',
    audience: ['ic', 'cloud'],
  };
  scenario.evidence = [...(scenario.evidence ?? []), diagram];
  const call_ = scenario.contingencies!.find((c) => c.id === 'c-ciso-call')!;
  call_.evidence = ['ev-diagram'];
  const email = scenario.evidence.find((e) => e.id === 'ev-scan-email')!;
  const bundle = await buildScenarioBundle(JSON.stringify(scenario), () => PNG);
  expect(await call(host, 'library.importBundle', { base64: bundle.content.toString('base64') })).toMatchObject({ ok: true });

  const session = await call(host, 'sessions.create', {
    scenarioId: 'spotlight-phones',
    name: 'Spotlight on the phones',
    facilitator: 'Fran',
    teams: [
      { name: 'Blue', participants: [] },
      { name: 'Red', participants: [] },
    ],
    speed: 0,
  });
  const sessionId = session.id;
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  const ana = await phone(browser, `${lanUrl}#code=${code}`, 'Ana', 'Blue', 'Incident commander');
  const ben = await phone(browser, `${lanUrl}#code=${code}`, 'Ben', 'Blue', 'Application security');
  const dev = await phone(browser, `${lanUrl}#code=${code}`, 'Dev', 'Red', null);
  await call(host, 'sessions.start', { sessionId });
  for (const p of [ana, ben, dev]) await expect(p.getByTestId('participant-inject')).toContainText(email.caption);
  await expect(ana.getByTestId('participant-spotlight')).toHaveCount(0);

  // ---------------------------------------------------------------- the facilitator spotlights the email both teams have
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  const controls = page.getByTestId('room-controls');
  await controls.getByRole('button', { name: `Spotlight ${email.caption}` }).click();
  await expect(controls.getByTestId('room-showing')).toContainText(email.caption);
  for (const p of [ana, ben, dev]) {
    const spot = p.getByTestId('participant-spotlight');
    await expect(spot.getByTestId('room-spotlight')).toHaveAttribute('data-evidence-id', 'ev-scan-email');
    await expect(spot.getByRole('heading', { level: 3, name: email.caption })).toBeVisible();
  }
  // Announced politely: a status message naming it, not an alert.
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveText(`On the room screen now: ${email.caption}`);
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveAttribute('role', 'status');
  expect(await seriousA11yViolations(ana)).toEqual([]);

  // ---------------------------------------------------------------- the CISO calls Blue only; the facilitator spotlights its diagram
  await call(host, 'sessions.fireContingency', { sessionId, teamId: 'team-1', contingencyId: 'c-ciso-call' });
  await controls.getByRole('button', { name: `Spotlight ${diagram.caption}` }).click();
  await expect(controls.getByTestId('room-showing')).toContainText(diagram.caption);

  // The incident commander of Blue sees it, image and all, fetched with their own token.
  const anaSpot = ana.getByTestId('participant-spotlight');
  await expect(anaSpot.getByTestId('room-spotlight')).toHaveAttribute('data-evidence-id', 'ev-diagram');
  const image = anaSpot.getByRole('img', { name: diagram.alt });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveText(`On the room screen now: ${diagram.caption}`);
  // Application security (Blue) may not see it; Red's inject does not list it: both lose the spotlight, and the image stays closed to them.
  await expect(ben.getByTestId('participant-inject')).toContainText('The CISO calls');
  for (const p of [ben, dev]) {
    await expect(p.getByTestId('participant-spotlight')).toHaveCount(0);
    await expect(p.getByTestId('participant-spotlight-status')).toHaveText('');
    await expect(p.getByRole('img', { name: diagram.alt })).toHaveCount(0);
    expect(await fetchImage(p, diagram.asset)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }
  expect(await fetchImage(ana, diagram.asset)).toMatchObject({ ok: true });

  // Readable on the phone and at 200 % zoom (half the CSS width): nothing wider than the screen, the image within it.
  expect(await horizontalOverflow(ana)).toEqual([]);
  await ana.screenshot({ path: `${SHOTS}/phone-spotlight-360x640.png`, fullPage: true });
  await ana.setViewportSize({ width: 180, height: 320 });
  await anaSpot.scrollIntoViewIfNeeded();
  await expect(image).toBeVisible();
  expect(await horizontalOverflow(ana)).toEqual([]);
  expect((await image.boundingBox())!.width).toBeLessThanOrEqual(180);
  await ana.screenshot({ path: `${SHOTS}/phone-spotlight-200-percent.png`, fullPage: true });
  await ana.setViewportSize({ width: 360, height: 640 });
  expect(await seriousA11yViolations(ana)).toEqual([]);

  // A slide over the room screen hides the spotlight there, and so on the phone; back to the live view, it is back.
  await controls.getByRole('button', { name: 'Title and brief' }).click();
  await expect(anaSpot).toHaveCount(0);
  await controls.getByRole('button', { name: 'Live view' }).click();
  await expect(anaSpot.getByTestId('room-spotlight')).toHaveAttribute('data-evidence-id', 'ev-diagram');

  // ---------------------------------------------------------------- cleared in the console, it leaves the phone
  await controls.getByRole('button', { name: 'Clear spotlight' }).click();
  await expect(anaSpot).toHaveCount(0);
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveText('');
  // The diagram is still on Ana's inject (the contingency), just no longer spotlit.
  await expect(ana.getByTestId('participant-inject').getByRole('img', { name: diagram.alt })).toBeVisible();

  // ---------------------------------------------------------------- one CloudTrail record with its full JSON, readable on the phone and at 200 %
  for (let i = 0; i < 5 && (await call(host, 'presenter.view', { sessionId, teamId: 'team-1' })).inject?.id !== 'i-guardduty'; i++) {
    await call(host, 'sessions.advance', { sessionId });
  }
  const trail = scenario.evidence.find((e) => e.id === 'ev-cloudtrail');
  if (trail?.kind !== 'cloudtrail') throw new Error('ev-cloudtrail is CloudTrail evidence');
  await controls.getByLabel(`Record of ${trail.caption}`).selectOption('1');
  await controls.getByRole('button', { name: `Spotlight ${trail.caption}` }).click();
  for (const p of [ana, ben, dev]) {
    const spot = p.getByTestId('participant-spotlight');
    await expect(spot).toContainText(`record 2 of ${trail.records.length}`);
    await expect(spot.getByRole('group', { name: /The full record 2/ })).toContainText('"eventName"');
  }
  expect(await horizontalOverflow(ana)).toEqual([]);
  await ana.screenshot({ path: `${SHOTS}/phone-record-360x640.png`, fullPage: true, clip: { x: 0, y: 0, width: 360, height: 1400 } });
  await ana.setViewportSize({ width: 180, height: 320 });
  expect(await horizontalOverflow(ana)).toEqual([]);
  await ana.screenshot({ path: `${SHOTS}/phone-record-200-percent.png`, fullPage: true, clip: { x: 0, y: 0, width: 180, height: 1200 } });
  expect(await seriousA11yViolations(ana)).toEqual([]);
  for (const p of [ana, ben, dev]) expect(await cspOf.get(p)!()).toEqual([]);
});
