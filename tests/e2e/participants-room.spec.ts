import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call } from './support.ts';

/**
 * Phones in a room running a scenario with parallel tracks, over the real
 * participants' listener (HTTPS, bound to 127.0.0.1 for the test): a
 * contingency the facilitator fires reaches the phones (and the projector)
 * above the tracks, as it belongs to none; a participant the facilitator
 * removes is told so on their phone, which stops following the session and
 * offers to join again.
 */

const LAN_LINE = /Participants join at (https:\/\/127\.0\.0\.1:\d+\/) \(certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)/;

async function phone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function joinAs(page: Page, name: string, team: string): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: team }).check();
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: team })).toBeVisible();
}

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-lan-room-'));
  host = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

test('a contingency fired in a scenario with parallel tracks reaches the phones and the projector; a removed phone is told why and stops', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const [, lanUrl] = LAN_LINE.exec(host.output())!;
  const { id: sessionId } = await call(host, 'sessions.create', {
    scenarioId: 'public-s3-bucket',
    name: 'Tracks in the room',
    facilitator: 'Fran',
    teams: [{ name: 'Blue', participants: [] }],
    speed: 0,
  });
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  const ana = await phone(browser, `${lanUrl!}#code=${code}`);
  await joinAs(ana, 'Ana', 'Blue');
  const bo = await phone(browser, `${lanUrl!}#code=${code}`);
  await joinAs(bo, 'Bo', 'Blue');
  await call(host, 'sessions.start', { sessionId });
  await expect(ana.getByTestId('participant-track').first()).toBeVisible();

  // ---------------------------------------------------------------- the facilitator fires a contingency: it belongs to no track
  const title = 'A second email: "it is still open"';
  await call(host, 'sessions.fireContingency', { sessionId, teamId: 'team-1', contingencyId: 'c01-still-open' });
  const contingency = ana.getByTestId('participant-inject');
  await expect(contingency.getByRole('heading', { name: title })).toBeVisible();
  await expect(contingency).toContainText('What is stopping you from closing it right now?');
  // The tracks are still there beside it.
  await expect(ana.getByTestId('participant-track').first()).toBeVisible();
  // The projector shows it too.
  const link = await call(host, 'sessions.openPresenter', { sessionId, teamId: 'team-1' });
  await page.goto(link.url!);
  await expect(page.getByTestId('presenter-inject').getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('presenter-tracks')).toBeVisible();
  // Once the team is told something on a track again, the contingency is no longer the latest: it leaves the phone (as the projector).
  await call(host, 'sessions.advance', { sessionId });
  await expect(ana.getByTestId('participant-inject')).toHaveCount(0);
  await expect(page.getByTestId('presenter-inject')).toHaveCount(0);

  // ---------------------------------------------------------------- the facilitator removes Bo: his phone says so, stops following, offers to join again
  const streams: string[] = [];
  bo.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/events') streams.push(r.url());
  });
  const { participants } = await call(host, 'sessions.participation', { sessionId });
  const boId = participants.find((p) => p.name === 'Bo')!.id;
  await call(host, 'sessions.removeParticipant', { sessionId, participantId: boId, reason: 'Left the room' });
  const refused = bo.getByTestId('participant-refused');
  await expect(refused).toContainText('You were removed from this session');
  const triesAfterRefusal = streams.length;
  // It stops: no stream is opened again however long it waits (the back-off's first steps are 1 and 2 s).
  await bo.waitForTimeout(4_000);
  expect(streams).toHaveLength(triesAfterRefusal);
  expect(await bo.evaluate(() => localStorage.getItem('sandtable.participant'))).toBeNull();
  await refused.getByRole('button', { name: 'Join again' }).click();
  await expect(bo.getByLabel('Code on the room screen')).toBeVisible();
  // Ana is still in.
  await expect(ana.getByTestId('participant-offline')).toHaveCount(0);
  await expect(ana.getByRole('heading', { level: 1, name: 'Blue' })).toBeVisible();
  await ana.context().close();
  await bo.context().close();
});
