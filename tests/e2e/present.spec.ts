import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

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
