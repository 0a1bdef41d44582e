import type { Page } from '@playwright/test';
import { expect, test, type RunningHost } from './fixtures.ts';
import { call, settled, watchCalls } from './support.ts';

/**
 * The console under a facilitator's fingers: a decision panel that closes
 * while they type must not turn their words into commands; text typed while a
 * save is in flight is kept; and the web host shares one push connection per
 * tab and resyncs after a break.
 */

/** A one-team session of the sample on the manual clock, started, with the containment decision open. */
async function sessionWithOpenDecision(host: RunningHost): Promise<string> {
  const session = await call(host, 'sessions.create', {
    scenarioId: 'sample-leaked-key',
    name: 'Console safety',
    facilitator: 'Fran Facilitator',
    teams: [{ name: 'Blue team', participants: [{ name: 'Alice Archer', role: 'Incident commander' }] }],
    speed: 0,
    seed: 'console-safety',
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id }); // 02:00
  await call(host, 'sessions.advance', { sessionId: session.id }); // 05:00: the containment decision opens
  return session.id;
}

async function openConsole(page: Page, host: RunningHost, sessionId: string): Promise<void> {
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  await expect(page.getByTestId('session-status')).toHaveText('Manual clock');
}

test('a decision closing under the facilitator’s typing hands focus to the notes, and keys typed meanwhile are not shortcuts', async ({ page, host }) => {
  const sessionId = await sessionWithOpenDecision(host);
  // The page's clock is Playwright's: the typing grace period passes when the test says so, not by sleeping.
  await page.clock.install();
  await openConsole(page, host, sessionId);
  const panel = page.getByTestId('decision-panel');
  const rationale = panel.getByLabel(/^Rationale/);
  // "o" (the notes shortcut) typed into the rationale stays there.
  await rationale.pressSequentially('We hold on to the key');
  await expect(rationale).toHaveValue('We hold on to the key');
  await expect(rationale).toBeFocused();

  // The decision closes (here: recorded elsewhere) while its rationale box has focus.
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-contain', optionId: 'deactivate', rationale: '', decidedBy: '' });
  await expect(panel).toHaveCount(0);
  const before = await call(host, 'sessions.get', { sessionId });
  const notes = page.locator('#note-text-team-1');
  await expect(notes).toBeFocused();
  // "e" (eradicated), "n" (next inject) and Space go on into the note, not into the exercise.
  await page.keyboard.type(' and then ne');
  await expect(notes).toHaveValue(' and then ne');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Focus leaving a field mid-word: the next keys within the grace period do nothing.
  await page.keyboard.type('x');
  await page.locator('#console-title').focus();
  const calls = watchCalls(page);
  await page.keyboard.press('n');
  await page.keyboard.press(' ');
  await settled(page);
  expect(calls, 'keys within the grace period call nothing').toEqual([]);
  expect((await call(host, 'sessions.get', { sessionId })).lastSeq).toBe(before.lastSeq);

  // After a pause the shortcuts work again; the milestone confirmation starts on Cancel.
  await page.clock.fastForward(1600);
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Mark this milestone?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press(' ');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#console-title')).toBeFocused();
  expect((await call(host, 'sessions.get', { sessionId })).teams[0]!.milestones['eradicated'] ?? null).toBeNull();

  // "O" puts the cursor in the team's note box, and the shortcut help says so.
  await page.keyboard.press('o');
  await expect(notes).toBeFocused();
  await expect(notes).toHaveValue(' and then nex');
  await page.locator('#console-title').focus();
  await page.clock.fastForward(1600);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('row', { name: /^O Write a note or observation/ })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('text typed into a note while it is being saved is kept', async ({ page, host }) => {
  const sessionId = await sessionWithOpenDecision(host);
  await openConsole(page, host, sessionId);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/call', async (route) => {
    if (route.request().postData()?.includes('"sessions.addNote"')) await held;
    await route.continue();
  });
  const notes = page.locator('#note-text-team-1');
  await notes.fill('First observation');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('button', { name: 'Saving…' })).toBeVisible();
  await notes.fill('Second observation, typed meanwhile');
  release();
  await expect(page.getByTestId('notes-list')).toContainText('First observation');
  await expect(notes).toHaveValue('Second observation, typed meanwhile');
});

test('the tab shares one push connection, shows when it is lost, and fetches again when it is back', async ({ page, host }) => {
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const made: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = made;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        made.push(this);
      }
    };
  });
  const sessionId = await sessionWithOpenDecision(host);
  const openSockets = () => page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.filter((s) => s.readyState !== WebSocket.CLOSED).length);

  // The library has two subscribers (the scenarios and the sessions): one connection.
  await page.goto(host.url);
  await expect(page.getByTestId('scenario-card').first()).toBeVisible();
  expect(await openSockets()).toBe(1);

  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  await expect(page.getByTestId('session-status')).toHaveText(/Manual/);
  expect(await openSockets()).toBe(1);
  await page.waitForFunction(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s) => s.readyState === WebSocket.OPEN));

  // A break (the connection drops): the banner shows. Back again: the session is fetched, since pushes may have been missed.
  const refetch = page.waitForRequest((request) => request.url().endsWith('/api/call') && (request.postData() ?? '').includes('"sessions.get"'));
  await page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.find((s) => s.readyState === WebSocket.OPEN)!.close());
  await expect(page.getByTestId('connection-lost')).toBeVisible();
  await refetch;
  await expect(page.getByTestId('connection-lost')).toHaveCount(0);
  expect(await openSockets()).toBe(1);
  // And the new connection carries pushes: a change made elsewhere reaches the screen.
  await call(host, 'sessions.addNote', { sessionId, teamId: 'team-1', text: 'Written from another window' });
  await expect(page.getByTestId('notes-list')).toContainText('Written from another window');
});
