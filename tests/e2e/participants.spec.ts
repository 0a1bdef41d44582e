import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * A facilitator and six phones (two teams of three, 360×640 viewports) over
 * the real participants' listener (HTTPS, bound to 127.0.0.1 for the test):
 * join with the code from the room screen, vote with confidence, the console
 * tallies live and pre-fills the team's decision from the room's vote, the
 * facilitator records it, votes close, a phone survives a dropped connection
 * and a reload, the hot wash is answered, and the debrief shows attendance
 * and the vote split. Then, in a scenario with parallel tracks: a
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
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-lan-'));
  host = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

test('six phones in two teams vote a decision through to the team’s recorded choice, and the debrief shows attendance and the split', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const [, lanUrl, fingerprint] = LAN_LINE.exec(host.output())!;
  const session = await call(host, 'sessions.create', {
    scenarioId: 'sample-leaked-key',
    name: 'Phones in the room',
    facilitator: 'Fran',
    teams: [
      { name: 'Blue', participants: [{ name: 'Ana', role: 'Incident commander' }] },
      { name: 'Red', participants: [] },
    ],
    speed: 0,
  });
  const sessionId = session.id;

  // ---------------------------------------------------------------- the facilitator opens joining; the room screen shows the card
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  const panel = page.getByTestId('participants-panel');
  await expect(panel.getByTestId('listener-url')).toContainText(lanUrl!);
  await expect(panel.getByTestId('listener-url')).toContainText(fingerprint!);
  await panel.getByTestId('open-joining').click();
  await expect(panel.getByTestId('join-code')).toContainText(/[2-9A-Z]{5}-[2-9A-Z]{5}/);
  const code = (await call(host, 'sessions.participation', { sessionId })).join!.code;

  const link = await call(host, 'sessions.openPresenter', { sessionId, teamId: 'team-1' });
  const room = await page.context().newPage();
  const roomCsp = await watchCsp(room);
  await room.goto(link.url!);
  const card = room.getByTestId('join-card');
  await expect(card.getByTestId('join-card-code')).toHaveText(`${code.slice(0, 5)}-${code.slice(5)}`);
  await expect(card.getByTestId('join-card-url')).toHaveText(lanUrl!);
  await expect(card.getByTestId('join-card-fingerprint')).toHaveText(fingerprint!);
  await expect(card.getByRole('img', { name: /QR code/ })).toBeVisible();
  expect(await roomCsp()).toEqual([]);

  // ---------------------------------------------------------------- six phones join (the QR code's link carries the code)
  const people = [
    { name: 'Ana', team: 'Blue' },
    { name: 'Ben', team: 'Blue' },
    { name: 'Cleo', team: 'Blue' },
    { name: 'Dev', team: 'Red' },
    { name: 'Eli', team: 'Red' },
    { name: 'Fay', team: 'Red' },
  ];
  const phones: Page[] = [];
  for (const person of people) {
    const p = await phone(browser, `${lanUrl!}#code=${code}`);
    await expect(p.getByLabel('Code on the room screen')).toHaveValue(code);
    await joinAs(p, person.name, person.team);
    phones.push(p);
  }
  const requested = new Set<string>();
  phones[0]!.on('request', (r) => requested.add(new URL(r.url()).origin));
  await expect(panel.getByTestId('participants-list').getByRole('listitem')).toHaveCount(6);
  await expect(panel.getByTestId('participants-list')).toContainText('Ana — Incident commander · Blue · connected');
  await expect(phones[0]!.getByText('The exercise has not started yet')).toBeVisible();
  expect(await seriousA11yViolations(phones[0]!)).toEqual([]);

  // ---------------------------------------------------------------- the exercise runs to the first decision
  await call(host, 'sessions.start', { sessionId });
  for (let i = 0; i < 10; i++) {
    const state = await call(host, 'sessions.get', { sessionId });
    if (state.teams.every((t) => t.openDecision)) break;
    await call(host, 'sessions.advance', { sessionId });
  }
  const contain = 'Deactivate the access key now, then investigate';
  const remove = 'Delete the access key immediately';
  for (const p of phones) await expect(p.getByTestId('vote-form')).toBeVisible();
  expect(await seriousA11yViolations(phones[1]!)).toEqual([]);

  // ---------------------------------------------------------------- votes, with confidence and reasons; one changes their mind
  const vote = async (p: Page, option: string, confidence: number, why = '') => {
    const form = p.getByTestId('vote-form');
    await form.getByRole('radio', { name: option }).check();
    await form.getByRole('radio', { name: String(confidence), exact: true }).check();
    if (why) await form.getByLabel('Why? (optional)').fill(why);
    await form.getByRole('button', { name: /Vote|Change my vote/ }).click();
    await expect(p.getByTestId('my-vote')).toContainText(option);
  };
  await vote(phones[0]!, contain, 5, 'Reversible and immediate');
  await vote(phones[1]!, remove, 2);
  await vote(phones[2]!, contain, 4, 'Keeps evidence');
  await vote(phones[1]!, contain, 3, 'Convinced by Ana');
  await vote(phones[3]!, remove, 4);
  await vote(phones[4]!, remove, 5, 'Burn it');
  await vote(phones[5]!, contain, 1);

  const blueTally = panel.getByTestId('tally-team-1');
  await expect(blueTally).toContainText('Blue: 3 votes');
  await expect(blueTally.getByRole('meter', { name: `${contain}: 3` })).toBeVisible();
  await expect(blueTally).toContainText('Mean confidence 4.0 / 5 · dissent 0%');
  const redTally = panel.getByTestId('tally-team-2');
  await expect(redTally).toContainText('Red: 3 votes');
  await expect(redTally.getByRole('meter', { name: `${remove}: 2` })).toBeVisible();
  await expect(redTally).toContainText('dissent 33%');
  const votes = await call(host, 'sessions.votes', { sessionId, teamId: 'team-2' });
  expect(votes.tally).toEqual({ deactivate: 1, delete: 2, wait: 0 });

  // ---------------------------------------------------------------- a question reaches the console
  await phones[4]!.getByLabel('A question, or evidence you would ask for').fill('Can we see the CloudTrail for the key?');
  await phones[4]!.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByTestId('questions')).toContainText('Eli (Red): Can we see the CloudTrail for the key?');

  // ---------------------------------------------------------------- the facilitator records each team's decision, pre-filled from the room
  const decisionPanel = page.getByTestId('decision-panel');
  await panel.getByTestId('use-vote-team-1').click();
  await expect(decisionPanel.getByRole('radio', { name: new RegExp(contain) })).toBeChecked();
  await expect(decisionPanel.getByLabel(/^Rationale/)).toHaveValue(/Room vote: 3 voted, 3 for Deactivate[\s\S]*Ana \(Deactivate.*confidence 5\): Reversible and immediate/);
  await decisionPanel.getByLabel('Decided by').fill('Ana (Incident commander)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);
  // Blue's phones: voting has closed.
  await expect(phones[0]!.getByTestId('vote-form')).toHaveCount(0);

  await page.getByRole('tab', { name: /Red/ }).click();
  await panel.getByTestId('use-vote-team-2').click();
  await expect(decisionPanel.getByRole('radio', { name: new RegExp(remove) })).toBeChecked();
  // The facilitator can still edit what was filled in: the team settled on containment after all.
  await decisionPanel.getByRole('radio', { name: new RegExp(contain) }).check();
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);

  // A late vote is refused with a clear message.
  const late = await phones[3]!.evaluate(
    async ({ decisionId }) => {
      const token = (JSON.parse(localStorage.getItem('sandtable.participant')!) as { token: string }).token;
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ method: 'participant.vote', input: { decisionId, optionId: 'wait', confidence: 3 } }),
      });
      return res.status;
    },
    { decisionId: 'd-contain' },
  );
  expect(late).toBe(409);

  // ---------------------------------------------------------------- a phone that lost its connection says so, and resumes with its token after a reload
  await phones[5]!.context().setOffline(true);
  await expect(phones[5]!.getByTestId('participant-offline')).toBeVisible({ timeout: 15_000 });
  await phones[5]!.context().setOffline(false);
  await phones[5]!.reload();
  await expect(phones[5]!.getByRole('heading', { level: 1, name: 'Red' })).toBeVisible();
  await expect(phones[5]!.getByTestId('participant-offline')).toHaveCount(0);

  // ---------------------------------------------------------------- the end and the hot wash
  await call(host, 'sessions.end', { sessionId, reason: 'Time' });
  const hotwash = phones[0]!.getByTestId('hotwash-form');
  await expect(hotwash).toBeVisible();
  await hotwash.getByLabel(/strengths/).fill('We scoped the key quickly');
  await hotwash
    .getByRole('group', { name: /confident/ })
    .getByRole('radio', { name: '4' })
    .check();
  await hotwash.getByRole('button', { name: 'Send my answers' }).click();
  await expect(phones[0]!.getByTestId('participant-notice')).toContainText('your answers were recorded');
  expect(await seriousA11yViolations(phones[0]!)).toEqual([]);

  // The participant page talked to its own listener only.
  expect([...requested].filter((origin) => origin !== new URL(lanUrl!).origin)).toEqual([]);

  // ---------------------------------------------------------------- the debrief: attendance and the vote split with alignment
  await page.goto(`${host.origin}/#/debrief/${sessionId}`);
  const section = page.getByTestId('debrief-participation');
  await expect(section.getByTestId('debrief-attendance').getByRole('row')).toHaveCount(7);
  await expect(section.getByTestId('debrief-attendance')).toContainText('Incident commander');
  const split = section.getByTestId('debrief-votes');
  await expect(split.getByRole('row', { name: /Blue/ })).toContainText(`${remove}: 0; ${contain}: 3`);
  await expect(split.getByRole('row', { name: /Blue/ })).toContainText('100%');
  await expect(split.getByRole('row', { name: /Red/ })).toContainText(`${remove}: 2; ${contain}: 1`);
  await expect(split.getByRole('row', { name: /Red/ })).toContainText('33%');
  await expect(section).toContainText('We scoped the key quickly');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The report carries the same.
  const report = await call(host, 'reports.export', { sessionId, format: 'md', pseudonymise: false });
  expect(report.content).toContain('Votes from participants’ devices');
  expect(report.content).toContain('We scoped the key quickly');
  for (const p of phones) await p.context().close();
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
  // The button that had the focus is gone: the focus is on the code field, not lost to the page.
  await expect(bo.getByLabel('Code on the room screen')).toBeFocused();
  // Ana is still in.
  await expect(ana.getByTestId('participant-offline')).toHaveCount(0);
  await expect(ana.getByRole('heading', { level: 1, name: 'Blue' })).toBeVisible();
  await ana.context().close();
  await bo.context().close();
});
