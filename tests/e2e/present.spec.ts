import { mkdtempSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, horizontalOverflow, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * Format 1.1 in the real console, room view, presenter and a participant's
 * phone (over the real participants' listener): living text with the team's
 * values that change after a decision, an inject for Legal and
 * Communications, a held-back item revealed by the facilitator and another
 * asked for from a phone.
 */

const LAN_LINE = /Participants join at (https:\/\/127\.0\.0\.1:\d+\/) \(certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)/;

let host: RunningHost;
let dataDir: string;
let scenariosDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-present-'));
  scenariosDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-present-scenarios-'));
  copyFileSync('tests/fixtures/present/present-1.1.json', join(scenariosDir, 'present-1.1.json'));
  host = await startHost(dataDir, { scenariosDir, args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scenariosDir, { recursive: true, force: true });
});

async function phone(browser: Browser, url: string, name: string, team: string, role: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: team }).check();
  await page.getByRole('radio', { name: role, exact: true }).check();
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: team })).toBeVisible();
  return page;
}

test('living text, audiences and evidence on request across the console, the room, the presenter and a phone', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const lanUrl = LAN_LINE.exec(host.output())?.[1];
  if (lanUrl === undefined) throw new Error('the host printed no LAN address');
  const session = await call(host, 'sessions.create', {
    scenarioId: 'present-fixture',
    name: 'Format 1.1 in the room',
    facilitator: 'Fran',
    teams: [
      { name: 'Blue', participants: [] },
      { name: 'Red', participants: [] },
    ],
    speed: 0,
  });
  const sessionId = session.id;
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  const csp = await watchCsp(page);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);

  const legal = await phone(browser, `${lanUrl}#code=${code}`, 'Lee', 'Blue', 'Legal');
  const tech = await phone(browser, `${lanUrl}#code=${code}`, 'Ana', 'Blue', 'Technical lead');
  await expect(legal.getByText('Lee (Legal)')).toBeVisible();

  await call(host, 'sessions.start', { sessionId });

  // ---------------------------------------------------------------- living text with the team's values
  const inject = page.getByTestId('current-inject');
  await expect(inject).toContainText('The attacker has copied 1,250,000 customer records so far.');
  await expect(inject).toContainText('The bill so far is $48,000.00 and the dashboard was down for 2 h 30 min.');
  // A string variable is shown as written, never as markup.
  await expect(inject).toContainText('The attacker signs as <b>x</b> *crypt0*.');

  // ---------------------------------------------------------------- held back: listed in the console, not on the projector
  const held = page.getByTestId('held-evidence');
  await expect(held.locator('[data-held]')).toHaveCount(2);
  await expect(held).toContainText('Asked as: “Which IAM user created access key AKIAI44QH8DHBEXAMPLE?”');
  const presenterLink = await call(host, 'sessions.openPresenter', { sessionId, teamId: 'team-1' });
  const presenter = await page.context().newPage();
  const presenterCsp = await watchCsp(presenter);
  await presenter.setViewportSize({ width: 1280, height: 800 });
  await presenter.goto(presenterLink.url!);
  await expect(presenter.getByTestId('presenter-inject')).toContainText('1,250,000');
  await expect(presenter.getByText('Finance note')).toBeVisible();
  await expect(presenter.getByText('CloudTrail: the second access key')).toHaveCount(0);
  await expect(legal.getByTestId('participant-inject')).toContainText('1,250,000');
  await expect(legal.getByTestId('participant-held').getByRole('listitem')).toHaveCount(2);

  // ---------------------------------------------------------------- the facilitator reveals one
  await held.getByRole('button', { name: 'Reveal: CloudTrail: the second access key' }).click();
  await expect(held.locator('[data-held="ev-create-key"]')).toContainText('Revealed at 00:00 by the facilitator');
  const revealed = presenter.locator('[data-evidence-id="ev-create-key"]');
  await expect(revealed).toBeVisible();
  await expect(revealed.getByTestId('evidence-query')).toContainText('The query that found it · CloudTrail Lake SQL');
  await expect(revealed.getByTestId('evidence-query')).toContainText("WHERE eventName = 'CreateAccessKey'");
  await expect(legal.getByTestId('participant-held').getByRole('listitem')).toHaveCount(1);

  // ---------------------------------------------------------------- a participant asks for the other one
  await legal.getByTestId('participant-held').getByRole('button', { name: 'Ask for this' }).click();
  await expect(legal.getByTestId('participant-notice')).toContainText('Your team can now see the evidence you asked for.');
  await expect(legal.locator('[data-evidence-id="ev-vpc-log"]')).toBeVisible();
  await expect(held.locator('[data-held="ev-vpc-log"]')).toContainText('Revealed at 00:00 on request of Lee');
  await expect(presenter.locator('[data-evidence-id="ev-vpc-log"]')).toBeVisible();
  await expect(tech.locator('[data-evidence-id="ev-vpc-log"]')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await seriousA11yViolations(legal)).toEqual([]);

  // ---------------------------------------------------------------- a decision changes the variable; the text follows
  await expect(page.getByTestId('current-inject')).toBeVisible();
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-scope', optionId: 'wait', rationale: 'Wait for forensics', decidedBy: 'Ana' });
  await expect(inject).toContainText('Outside counsel writes about the 2,000,000 records.');
  await expect(inject.getByTestId('inject-audience')).toHaveText('For: Legal, Communications');
  await expect(presenter.getByTestId('presenter-audience')).toHaveText('For: Legal, Communications');
  await expect(presenter.getByTestId('presenter-inject')).toContainText('2,000,000');
  await expect(presenter.locator('[data-evidence-id="ev-legal-email"]').getByTestId('evidence-audience')).toHaveText('For: Legal');
  expect(await seriousA11yViolations(presenter)).toEqual([]);

  const roomLink = await call(host, 'sessions.openPresenter', { sessionId });
  const room = await page.context().newPage();
  await room.setViewportSize({ width: 1280, height: 800 });
  await room.goto(roomLink.url!);
  await expect(room.getByTestId('room-audience')).toHaveText('For: Legal, Communications');
  expect(await seriousA11yViolations(room)).toEqual([]);

  // ---------------------------------------------------------------- the phones honour the audience
  await expect(legal.getByTestId('participant-audience')).toHaveText('For: Legal, Communications');
  await expect(legal.getByTestId('participant-inject')).toContainText('2,000,000');
  await expect(legal.locator('[data-evidence-id="ev-legal-email"]')).toContainText('With 2,000,000 records of EU residents copied');
  await expect(tech.getByTestId('participant-withheld')).toHaveText('An inject went to Legal, Communications; it is shown to them, not to you.');
  await expect(tech.getByText('Outside counsel writes')).toHaveCount(0);
  expect(await seriousA11yViolations(tech)).toEqual([]);

  // ---------------------------------------------------------------- spotlit, the email for Legal still says whom it is for
  await call(host, 'sessions.setRoom', { sessionId, spotlight: { evidenceId: 'ev-legal-email', record: null } });
  for (const screen of [room, presenter, legal]) {
    const spot = screen.getByTestId('room-spotlight');
    await expect(spot).toHaveAttribute('data-evidence-id', 'ev-legal-email');
    await expect(spot.getByTestId('evidence-audience')).toHaveText('For: Legal');
  }
  await expect(tech.getByTestId('room-spotlight')).toHaveCount(0);
  expect(await seriousA11yViolations(room)).toEqual([]);
  await call(host, 'sessions.setRoom', { sessionId, spotlight: null });
  await expect(legal.getByTestId('room-spotlight')).toHaveCount(0);

  expect(await csp()).toEqual([]);
  expect(await presenterCsp()).toEqual([]);

  // ---------------------------------------------------------------- the debrief and the report list the reveals
  await page.goto(`${host.origin}/#/debrief/${sessionId}`);
  await expect(page.getByTestId('debrief-reveals')).toContainText('Evidence revealed at 00:00 by the facilitator: CloudTrail: the second access key');
  await expect(page.getByTestId('debrief-reveals')).toContainText('Evidence revealed at 00:00 on request of Lee: Outbound traffic from the build host');
  expect(await seriousA11yViolations(page)).toEqual([]);
  const report = await call(host, 'reports.aar', { sessionId, pseudonymise: false });
  expect(report.reveals.map((r) => r.text)).toEqual([
    'Evidence revealed at 00:00 by the facilitator: CloudTrail: the second access key',
    'Evidence revealed at 00:00 on request of Lee: Outbound traffic from the build host',
  ]);
});

// ---------------------------------------------------------------- the room's spotlight on the phones

/** A 2×2 PNG, so the browser has real pixels to decode. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const SHOTS = 'test-results/participant-spotlight';

/*
 * The facilitator spotlights evidence from the real console; the phones (each
 * its own browser context, joined over the real participants' listener with
 * its own token) show it when an inject on that phone lists it, as that
 * participant's role sees it — a phone of another team, or of a role the
 * evidence is not for, does not, and cannot fetch its image either — and it
 * leaves them when the facilitator clears it.
 */

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

  const teams = ['Blue', 'Red'].map((name) => ({ name }));
  const { id: sessionId } = await call(host, 'sessions.create', { scenarioId: 'spotlight-phones', name: 'Spotlight on the phones', facilitator: 'Fran', teams, speed: 0 });
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  const ana = await phone(browser, `${lanUrl}#code=${code}`, 'Ana', 'Blue', 'Incident commander');
  const ben = await phone(browser, `${lanUrl}#code=${code}`, 'Ben', 'Blue', 'Application security');
  const dev = await phone(browser, `${lanUrl}#code=${code}`, 'Dev', 'Red', 'No particular role');
  // Dev has the page open in a second tab too (same token), and the first tab's stream reopens only after the
  // exercise has started: the server's "connected" push does not come (the participant never went offline), so
  // the page itself must fetch what it missed between its first view and its stream's opening.
  const devTab = await dev.context().newPage();
  await devTab.goto(lanUrl);
  await expect(devTab.getByRole('heading', { level: 1, name: 'Red' })).toBeVisible();
  let releaseStream = (): void => {};
  const streamHeld = new Promise<void>((resolve) => (releaseStream = resolve));
  let streamsHeld = 0;
  await dev.route('**/api/events*', async (route) => {
    streamsHeld++;
    await streamHeld;
    await route.continue();
  });
  await dev.reload();
  await expect(dev.getByRole('heading', { level: 1, name: 'Red' })).toBeVisible();
  await expect.poll(() => streamsHeld).toBe(1);
  await call(host, 'sessions.start', { sessionId });
  // Every push of the start has reached the other phones (and Dev's other tab) before the held stream opens.
  for (const p of [ana, ben, devTab]) await expect(p.getByTestId('participant-inject')).toContainText(email.caption);
  releaseStream();
  await expect(dev.getByTestId('participant-inject')).toContainText(email.caption);
  await devTab.close();
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
  await expect(image).toHaveJSProperty('naturalWidth', 2);
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveText(`On the room screen now: ${diagram.caption}`);
  await expect(anaSpot.getByTestId('evidence-audience')).toHaveText('For: Incident commander, Cloud platform engineer');
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

  // ---------------------------------------------------------------- spotlit while Ana types at the foot of her page: a bar there, nothing moved
  const question = ana.getByLabel('A question, or evidence you would ask for');
  await question.scrollIntoViewIfNeeded();
  await question.click();
  await question.pressSequentially('Is the key ');
  await expect(anaSpot).toHaveCount(0);
  const bar = ana.getByTestId('spotlight-bar');
  await expect(bar).toHaveCount(0);
  const typingAt = (await question.boundingBox())!.y;
  await controls.getByRole('button', { name: `Spotlight ${diagram.caption}` }).click();
  await expect(bar).toContainText(`On the room screen: ${diagram.caption}`);
  await expect(anaSpot).toBeAttached();
  // Neither the page nor the focus moved: she goes on typing where she was.
  await expect(question).toBeFocused();
  expect(Math.abs((await question.boundingBox())!.y - typingAt)).toBeLessThan(1); // scroll anchoring keeps it to a fraction of a pixel
  // Nor is the bar over the field she types in.
  const barBox = (await bar.boundingBox())!;
  expect((await question.boundingBox())!.y).toBeGreaterThanOrEqual(barBox.y + barBox.height);
  await ana.keyboard.type('still active?');
  await expect(question).toHaveValue('Is the key still active?');
  await expect(anaSpot).not.toBeInViewport();
  // The bar is within the screen, and small enough to leave most of it, at 360 × 640 and at 200 %.
  for (const size of [
    { width: 360, height: 640 },
    { width: 180, height: 320 },
  ]) {
    await ana.setViewportSize(size);
    await expect(bar).toBeInViewport({ ratio: 1 });
    expect(await horizontalOverflow(ana)).toEqual([]);
    expect((await bar.boundingBox())!.height).toBeLessThan(size.height / 2);
    for (const button of await bar.getByRole('button').all()) {
      const box = (await button.boundingBox())!;
      expect(box.x + box.width, await button.innerText()).toBeLessThanOrEqual(size.width);
      expect(box.height).toBeGreaterThanOrEqual(44); // a touch target
    }
    await ana.screenshot({ path: `${SHOTS}/phone-spotlight-bar-${size.width}.png` });
  }
  await ana.setViewportSize({ width: 360, height: 640 });
  expect(await seriousA11yViolations(ana)).toEqual([]);
  // "Show" moves to the spotlight (focus on its heading), "Back" returns to the question with the focus.
  await bar.getByRole('button', { name: 'Show it' }).click();
  await expect(anaSpot).toBeInViewport();
  await expect(anaSpot.getByRole('heading', { level: 2, name: 'On the room screen' })).toBeFocused();
  await bar.getByRole('button', { name: 'Back to where you were' }).click();
  await expect(question).toBeFocused();
  await expect(question).toBeInViewport();
  await expect(bar.getByRole('button', { name: 'Show it' })).toBeVisible();
  // Dismissed, it stays away for this spotlight; cleared and spotlit again, it is back; cleared, it goes.
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(bar).toHaveCount(0);
  await controls.getByRole('button', { name: 'Clear spotlight' }).click();
  await expect(anaSpot).toHaveCount(0);
  await controls.getByRole('button', { name: `Spotlight ${diagram.caption}` }).click();
  await expect(bar).toContainText(`On the room screen: ${diagram.caption}`);
  // Cleared while her focus is on the bar: it goes back to the field she came from, not to the top of the page.
  await question.focus();
  await bar.getByRole('button', { name: 'Show it' }).focus();
  await controls.getByRole('button', { name: 'Clear spotlight' }).click();
  await expect(bar).toHaveCount(0);
  await expect(question).toBeFocused();
  await question.fill('');

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
  // The trail is for everyone: no "For:" label; the diagram (for two roles) had one.
  await expect(ana.getByTestId('participant-spotlight').getByTestId('evidence-audience')).toHaveCount(0);
  // Another record of the same evidence is said too.
  await expect(ana.getByTestId('participant-spotlight-status')).toHaveText(`On the room screen now: ${trail.caption}, record 2`);
  expect(await horizontalOverflow(ana)).toEqual([]);
  await ana.screenshot({ path: `${SHOTS}/phone-record-360x640.png`, fullPage: true, clip: { x: 0, y: 0, width: 360, height: 1400 } });
  await ana.setViewportSize({ width: 180, height: 320 });
  expect(await horizontalOverflow(ana)).toEqual([]);
  await ana.screenshot({ path: `${SHOTS}/phone-record-200-percent.png`, fullPage: true, clip: { x: 0, y: 0, width: 180, height: 1200 } });
  expect(await seriousA11yViolations(ana)).toEqual([]);
  // Each phone's context (and its event stream) closes with the test, so repeated runs do not pile them up.
  for (const p of [ana, ben, dev]) await p.context().close();
});

test('the console catches a change made between its first fetch and its push socket’s first opening', async ({ page }) => {
  const { id: sessionId } = await call(host, 'sessions.create', {
    scenarioId: 'present-fixture',
    name: 'Started while the console opened',
    facilitator: 'Fran',
    teams: [{ name: 'Blue', participants: [] }],
    speed: 0,
  });
  // The console's push socket opens only when the test says: the start's push goes out while it is still opening.
  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let sockets = 0;
  await page.routeWebSocket(/\/api\/events/, async (socket) => {
    sockets++;
    await held;
    socket.connectToServer();
  });
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1&token=${host.token}`);
  const status = page.getByTestId('session-status');
  await expect(status).toHaveText('Not started');
  await expect.poll(() => sockets).toBe(1);
  await call(host, 'sessions.start', { sessionId });
  release();
  // Nothing else is pushed from now on: only a fetch at the socket's opening brings the start.
  await expect(status).toHaveText('Manual clock'); // started, at speed 0
  await expect(page.getByTestId('current-inject')).toBeVisible();
});
