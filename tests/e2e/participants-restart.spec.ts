import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startHost, test, type RunningHost } from './fixtures.ts';
import { call } from './support.ts';

/**
 * A phone in the room while the facilitator's app crashes and starts again:
 * the web host (with its participants' listener on 127.0.0.1) is killed with
 * SIGKILL mid-exercise, the phone says it lost the connection, the host is
 * started again on the same data folder, the listener comes back on the same
 * address with the same certificate, and the phone — never reloaded, never
 * joining again — reconnects by itself, shows its earlier vote and votes
 * again; the facilitator's console counts it.
 */

const LAN_LINE = /Participants join at (https:\/\/127\.0\.0\.1:\d+\/) \(certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)/;

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-restart-'));
  host = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
});

test.afterAll(async () => {
  if (host.process.exitCode === null && host.process.signalCode === null) {
    await new Promise<void>((resolve) => {
      host.process.once('exit', () => resolve());
      host.process.kill('SIGTERM');
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('a phone that joined carries on by itself after the facilitator’s app crashes and starts again', async ({ browser }) => {
  test.setTimeout(120_000);
  const [, lanUrl, fingerprint] = LAN_LINE.exec(host.output())!;
  const session = await call(host, 'sessions.create', {
    scenarioId: 'sample-leaked-key',
    name: 'Restart in the room',
    facilitator: 'Fran',
    teams: [{ name: 'Blue', participants: [] }],
    speed: 0,
  });
  const sessionId = session.id;
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  await call(host, 'sessions.start', { sessionId });
  for (let i = 0; i < 10; i++) {
    const state = await call(host, 'sessions.get', { sessionId });
    if (state.teams.every((t) => t.openDecision)) break;
    await call(host, 'sessions.advance', { sessionId });
  }

  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(`${lanUrl!}#code=${code}`);
  await phone.getByRole('button', { name: 'Next' }).click();
  await phone.getByLabel('Your name').fill('Ana');
  await phone.getByRole('radio', { name: 'Blue' }).check();
  await phone.getByRole('button', { name: 'Join' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Blue' })).toBeVisible();
  const contain = 'Deactivate the access key now, then investigate';
  const remove = 'Delete the access key immediately';
  const form = phone.getByTestId('vote-form');
  await form.getByRole('radio', { name: remove }).check();
  await form.getByRole('radio', { name: '2', exact: true }).check();
  await form.getByRole('button', { name: 'Vote' }).click();
  await expect(phone.getByTestId('my-vote')).toContainText(remove);

  // ---------------------------------------------------------------- the app crashes
  await new Promise<void>((resolve) => {
    host.process.once('exit', () => resolve());
    host.process.kill('SIGKILL');
  });
  await expect(phone.getByTestId('participant-offline')).toBeVisible({ timeout: 20_000 });

  // ---------------------------------------------------------------- and starts again on the same data folder
  host = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  await expect.poll(() => LAN_LINE.test(host.output()), { timeout: 20_000 }).toBe(true);
  const [, lanUrlAfter, fingerprintAfter] = LAN_LINE.exec(host.output())!;
  expect(lanUrlAfter).toBe(lanUrl);
  expect(fingerprintAfter).toBe(fingerprint);

  // The phone reconnects by itself (no reload, no code), shows its vote, and may change it.
  await expect(phone.getByTestId('participant-offline')).toHaveCount(0, { timeout: 30_000 });
  await expect(phone.getByTestId('my-vote')).toContainText(remove);
  await form.getByRole('radio', { name: contain }).check();
  await form.getByRole('radio', { name: '4', exact: true }).check();
  await form.getByRole('button', { name: 'Change my vote' }).click();
  await expect(phone.getByTestId('my-vote')).toContainText(contain);
  const votes = await call(host, 'sessions.votes', { sessionId, teamId: 'team-1' });
  expect(votes.votes).toEqual([expect.objectContaining({ name: 'Ana', confidence: 4 })]);
  // Joining stays open with the same code for anyone who comes late.
  expect((await call(host, 'sessions.participation', { sessionId })).join).toMatchObject({ code, url: lanUrl, fingerprint });
  await context.close();
});
