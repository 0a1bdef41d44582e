import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, startedSession, horizontalOverflow } from './support.ts';

/**
 * Scenarios 12 (prompt injection through a Bedrock agent) and 00 (the format
 * 1.1 warm-up) on the real room screen: at the moment both tracks have a
 * decision open, the projector shows both tracks side by side, each decision
 * whole on screen, nothing overflowing sideways, at a 1920×1080 and a
 * 1280×720 projector. The screenshots go to the test's output folder, or to
 * SCENARIO_SCREENSHOTS (docs/screenshots/scenarios) when it is set.
 */

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-new-b-'));
  host = await startHost(dataDir);
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
});

const PROJECTORS = [
  [1920, 1080],
  [1280, 720],
] as const;

function screenshotPath(name: string): string {
  const dir = process.env.SCENARIO_SCREENSHOTS;
  return dir ? join(dir, name) : test.info().outputPath(name);
}

/** Every element of `locator` lies inside the viewport. */
async function wholeOnScreen(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).evaluateAll((nodes) =>
    nodes.flatMap((node) => {
      const box = node.getBoundingClientRect();
      return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1
        ? []
        : [`${node.textContent.slice(0, 60)}: ${JSON.stringify(box)}`];
    }),
  );
}

for (const { scenarioId, file, advances, decisions } of [
  { scenarioId: 'bedrock-agent-prompt-injection', file: '12-bedrock-agent-prompt-injection', advances: 2, decisions: ['d01-contain', 'xd01-breach'] },
  { scenarioId: 'warm-up-format-tour', file: '00-warm-up-format-tour', advances: 1, decisions: ['td1-door', 'pd1-contact'] },
]) {
  test(`${file}: the room screen shows both tracks with their open decisions, whole, at 1920×1080 and 1280×720`, async ({ browser }) => {
    test.setTimeout(120_000);
    const session = await startedSession(host, { scenarioId, name: `${file} read-through`, seed: 'read-through', advances });
    const state = await call(host, 'sessions.get', { sessionId: session.id });
    expect(state.teams[0]!.tracks.map((t) => t.openDecision?.id ?? null)).toEqual(decisions);

    const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
    for (const [width, height] of PROJECTORS) {
      const projector = await browser.newContext({ viewport: { width, height } });
      const room = await projector.newPage();
      await room.goto(roomUrl);
      await expect(room.getByTestId('room-track')).toHaveCount(2);
      await expect(room.getByTestId('room-decision')).toHaveCount(2);
      expect(await horizontalOverflow(room), `${width}×${height}`).toEqual([]);
      expect(await wholeOnScreen(room, 'room-decision'), `${width}×${height}: decisions whole on screen`).toEqual([]);
      await room.screenshot({ path: screenshotPath(`${scenarioId}-room-${width}x${height}.png`) });
      await projector.close();
    }
  });
}

test('12-bedrock-agent-prompt-injection: the console shows each track’s inject with the team’s counts as they stand (living text)', async ({ page }) => {
  test.setTimeout(120_000);
  const session = await startedSession(host, { scenarioId: 'bedrock-agent-prompt-injection', name: 'Living counts', seed: 'read-through', advances: 2 });
  // Aria stays live (520 more customers), the executives wait; then the next technical inject adds 150 as it is delivered.
  await call(host, 'sessions.recordDecision', {
    sessionId: session.id,
    teamId: 'team-1',
    decisionId: 'd01-contain',
    optionId: 'd01-investigate',
    rationale: 'find the cause first',
    decidedBy: 'Alex',
  });
  await call(host, 'sessions.recordDecision', {
    sessionId: session.id,
    teamId: 'team-1',
    decisionId: 'xd01-breach',
    optionId: 'xd01-wait',
    rationale: 'wait for facts',
    decidedBy: 'Kim',
  });
  await call(host, 'sessions.advance', { sessionId: session.id });
  const state = await call(host, 'sessions.get', { sessionId: session.id });
  expect(state.teams[0]!.variables.recordsLeaked).toBe(1312 + 520 + 150);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  const technical = page.locator('[data-testid="track"][data-track="technical"]');
  await expect(technical.getByRole('heading', { name: 'Still live, and now a second pattern' })).toBeVisible();
  await expect(technical).toContainText('The count stands at 1,982 customers.');
  await expect(technical).not.toContainText('1,312');
});

test('00-warm-up-format-tour: with two tracks the room screen labels an inject for some roles, and shows a contingency above the tracks', async ({ browser }) => {
  const session = await startedSession(host, { scenarioId: 'warm-up-format-tour', name: 'Room labels', seed: 'labels', advances: 1 });
  const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
  const projector = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const room = await projector.newPage();
  await room.goto(roomUrl);
  const people = room.locator('[data-testid="room-track"][data-track="people"]');
  await expect(people.getByTestId('room-audience')).toHaveText('For: HR & Legal, Engineering manager');
  await expect(room.locator('[data-testid="room-track"][data-track="technical"]').getByTestId('room-audience')).toHaveCount(0);

  // Fired by hand at the latest inject's own minute (the clock is paused): the newer of the two is on screen.
  await call(host, 'sessions.pause', { sessionId: session.id });
  await call(host, 'sessions.fireContingency', { sessionId: session.id, teamId: 'team-1', contingencyId: 'c-ciso' });
  const team = room.getByTestId('room-team');
  const above = team.locator(':scope > [data-testid="room-inject"]');
  await expect(above).toContainText('The CISO wants two lines');
  await expect(above.getByTestId('room-audience')).toHaveText('For: Incident commander');
  // The projector gets the contingency's title and audience only: not its message (addressed to the IC) nor its facilitator notes.
  await expect(room.locator('body')).not.toContainText('Two lines for the leadership channel');
  await expect(room.locator('body')).not.toContainText('In the room');
  await expect(room.locator('body')).not.toContainText('fires twelve scenario minutes');
  await expect(room.getByTestId('room-track')).toHaveCount(2);
  expect(await horizontalOverflow(room)).toEqual([]);
  await projector.close();
});
