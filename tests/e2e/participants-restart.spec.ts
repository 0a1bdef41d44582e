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

const dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-restart-'));
const hosts: RunningHost[] = [];

/** The web host with its participants' listener on 127.0.0.1, on this test's data folder: its listener's URL and fingerprint. */
async function startWithListener(): Promise<{ host: RunningHost; lanUrl: string; fingerprint: string }> {
  const started = await startHost(dataDir, { args: ['--lan', '127.0.0.1'] });
  hosts.push(started);
  await expect.poll(() => LAN_LINE.test(started.output()), { timeout: 20_000 }).toBe(true);
  const [, lanUrl = '', fingerprint = ''] = LAN_LINE.exec(started.output()) ?? [];
  return { host: started, lanUrl, fingerprint };
}

/** Ends a host's process with `signal` and waits for it (at once if it has ended). */
async function endProcess(running: RunningHost, signal: NodeJS.Signals): Promise<void> {
  if (running.process.exitCode !== null || running.process.signalCode !== null) return;
  const exited = new Promise((resolve) => running.process.once('exit', resolve));
  running.process.kill(signal);
  await exited;
}

test.afterAll(async () => {
  for (const running of hosts) await endProcess(running, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a phone that joined carries on by itself after the facilitator’s app crashes and starts again', async ({ browser }) => {
  test.setTimeout(120_000);
  const { host, lanUrl, fingerprint } = await startWithListener();
  const created = { scenarioId: 'sample-leaked-key', name: 'Restart in the room', facilitator: 'Fran', teams: [{ name: 'Blue', participants: [] }], speed: 0 as const };
  const sessionId = (await call(host, 'sessions.create', created)).id;
  const { code } = await call(host, 'sessions.openParticipation', { sessionId });
  await call(host, 'sessions.start', { sessionId });
  for (let i = 0; i < 10; i++) {
    const state = await call(host, 'sessions.get', { sessionId });
    if (state.teams.every((t) => t.openDecision)) break;
    await call(host, 'sessions.advance', { sessionId });
  }

  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await phone.goto(`${lanUrl}#code=${code}`);
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
  await endProcess(host, 'SIGKILL');
  await expect(phone.getByTestId('participant-offline')).toBeVisible({ timeout: 20_000 });

  // ---------------------------------------------------------------- and starts again on the same data folder
  const again = await startWithListener();
  expect(again.lanUrl).toBe(lanUrl);
  expect(again.fingerprint).toBe(fingerprint);

  // The phone reconnects by itself (no reload, no code), shows its vote, and may change it.
  await expect(phone.getByTestId('participant-offline')).toHaveCount(0, { timeout: 30_000 });
  await expect(phone.getByTestId('my-vote')).toContainText(remove);
  await form.getByRole('radio', { name: contain }).check();
  await form.getByRole('radio', { name: '4', exact: true }).check();
  await form.getByRole('button', { name: 'Change my vote' }).click();
  await expect(phone.getByTestId('my-vote')).toContainText(contain);
  const votes = await call(again.host, 'sessions.votes', { sessionId, teamId: 'team-1' });
  expect(votes.votes).toEqual([expect.objectContaining({ name: 'Ana', confidence: 4 })]);
  // Joining stays open with the same code for anyone who comes late.
  expect((await call(again.host, 'sessions.participation', { sessionId })).join).toMatchObject({ code, url: lanUrl, fingerprint });
  await context.close();
});
