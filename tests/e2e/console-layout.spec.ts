import type { Page } from '@playwright/test';
import { expect, test, type RunningHost } from './fixtures.ts';
import { call, horizontalOverflow, seriousA11yViolations, settled, watchCalls } from './support.ts';

/**
 * The console on a 1440 × 900 laptop during a live exercise: the header, the
 * team, its open decision and the notes are all on screen without scrolling
 * the page; nothing overflows sideways; progress is shown; the status tells
 * the truth (manual clock, and "Ended" once every team has reached an ending).
 */

const SCENARIO = 'ransomware-backup-destruction';

/** True when the element is wholly inside the window. */
async function whollyInView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const rect = el.getBoundingClientRect();
    return rect.top >= 0 && rect.left >= 0 && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth;
  }, selector);
}

async function threeTeams(host: RunningHost): Promise<string> {
  const session = await call(host, 'sessions.create', {
    scenarioId: SCENARIO,
    name: 'Ransomware drill — Thursday',
    facilitator: 'Fran Facilitator',
    teams: [
      {
        name: 'Blue team',
        participants: [
          { name: 'Alice Archer', role: 'Incident commander' },
          { name: 'Bo Berg', role: 'Cloud engineer' },
        ],
      },
      { name: 'Red team', participants: [{ name: 'Cy Cole', role: 'Incident commander' }] },
      { name: 'Green team', participants: [{ name: 'Di Dunn', role: 'Legal' }] },
    ],
    speed: 1,
    seed: 'layout-e2e',
  });
  return session.id;
}

test('a live exercise fits a 1440×900 console: header, team, decision and notes without scrolling the page', async ({ page, host }) => {
  test.setTimeout(180_000);
  const sessionId = await threeTeams(host);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  const status = page.getByTestId('session-status');
  await expect(status).toHaveText('Not started');

  // The speed can be chosen before the start; the clock starts at it.
  const speed = page.getByRole('combobox', { name: 'Speed' });
  await expect(speed).toBeEnabled();
  await speed.selectOption({ label: 'Manual' });
  await page.getByRole('button', { name: 'Start exercise' }).click();
  await expect(status).toHaveText('Manual clock');
  expect((await call(host, 'sessions.get', { sessionId })).clock.speed).toBe(0);
  await expect(page.getByTestId('coming-next')).toContainText('when you press Next inject');
  await expect(page.getByTestId('coming-next')).not.toContainText(/ in \d/);

  // On to the first decision.
  const decision = page.getByTestId('decision-panel');
  const delivered = page.getByTestId('inject-progress');
  for (let i = 0; i < 12 && !(await decision.isVisible()); i++) {
    const shown = await delivered.textContent();
    await page.getByRole('button', { name: /Next inject/ }).click();
    // The next inject has arrived (and with it any decision it opens).
    await expect(delivered).not.toHaveText(shown ?? '');
  }
  await expect(decision).toBeVisible();
  await expect(page.getByTestId('inject-progress')).toHaveText(/^Inject [1-9]\d* of [1-9]\d*/);
  await expect(page.getByTestId('time-progress')).toHaveText(/^\d+ of 90 min/);

  // Nothing needs the page scrolled: the header, the tabs, the decision's heading and the note box are all in view.
  const scroll = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, inner: window.innerHeight }));
  expect(scroll.height).toBeLessThanOrEqual(scroll.inner);
  expect(await whollyInView(page, '[data-testid="exercise-clock"]')).toBe(true);
  expect(await whollyInView(page, '[role="tablist"]')).toBe(true);
  expect(await whollyInView(page, '[data-testid="decision-panel"] h2')).toBe(true);
  expect(await whollyInView(page, '#note-text-team-1')).toBe(true);
  // The log's side panel is in view (it scrolls on its own, below the room and participants' controls).
  expect(await whollyInView(page, '[data-testid="log-side"]')).toBe(true);
  expect(await horizontalOverflow(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('console-1440x900-decision.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The notes shortcut, from anywhere on the page.
  await page.getByTestId('event-log').getByRole('heading').click();
  await page.keyboard.press('o');
  await expect(page.locator('#note-text-team-1')).toBeFocused();
  // The key only moves the cursor: it is not typed into the box.
  await expect(page.locator('#note-text-team-1')).toHaveValue('');
  await page.keyboard.type('Named an incident commander at once');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('notes-list')).toContainText('Named an incident commander at once');

  // Another team's tab: its panel fits too.
  await page.getByRole('tab', { name: /Green team/ }).click();
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  expect(await whollyInView(page, '#note-text-team-3')).toBe(true);
  await page.screenshot({ path: test.info().outputPath('console-1440x900-green.png') });
});

test('once every team has reached an ending the console says Ended, asks for no decisions and offers no undo', async ({ page, host }) => {
  test.setTimeout(180_000);
  const sessionId = await threeTeams(host);
  await call(host, 'sessions.start', { sessionId, speed: 0 });
  // Play every team to an ending: the first option of each decision, the clock moved on between.
  for (let step = 0; step < 200; step++) {
    const state = await call(host, 'sessions.get', { sessionId });
    if (state.teams.every((t) => t.ended)) break;
    const deciding = state.teams.find((t) => !t.ended && t.openDecision);
    if (deciding) {
      const scenario = await call(host, 'sessions.scenario', { sessionId });
      const node = scenario.timeline.find((n) => n.id === deciding.openDecision!.id);
      if (node?.type !== 'decision') throw new Error('not a decision');
      await call(host, 'sessions.recordDecision', {
        sessionId,
        teamId: deciding.id,
        decisionId: node.id,
        optionId: node.options[0]!.id,
        rationale: 'First option',
        decidedBy: 'e2e',
      });
    } else {
      await call(host, 'sessions.advance', { sessionId });
    }
  }
  const state = await call(host, 'sessions.get', { sessionId });
  expect(state.teams.every((t) => t.ended)).toBe(true);
  expect(state.status).toBe('running');

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-2`);
  const status = page.getByTestId('session-status');
  await expect(status).toHaveText('Ended');
  await expect(page.getByTestId('finished-hint')).toContainText('Every team has reached an ending');
  await expect(page.getByText('record the open decisions first')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Next inject/ })).toHaveCount(0);
  // The clock's Pause/Resume (the room panel's "Pause slide" is another thing).
  await expect(page.getByRole('button', { name: /^(Pause|Resume)(?! slide)/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Undo last action/ })).toBeDisabled();
  await expect(page.getByTestId('ending')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('console-1440x900-all-ended.png') });

  // Ctrl+Z does nothing either.
  const before = (await call(host, 'sessions.get', { sessionId })).lastSeq;
  await page.locator('#console-title').focus();
  const calls = watchCalls(page);
  await page.keyboard.press('Control+z');
  await settled(page);
  expect(calls, 'Ctrl+Z calls nothing').toEqual([]);
  expect((await call(host, 'sessions.get', { sessionId })).lastSeq).toBe(before);

  // Ending it for the debrief: the same, and the debrief opens.
  await page.getByRole('button', { name: 'End exercise…' }).click();
  await page.getByRole('dialog', { name: 'End the exercise?' }).getByRole('button', { name: 'End exercise now' }).click();
  await expect(status).toHaveText('Ended');
  await expect(page.getByRole('button', { name: /Undo last action/ })).toBeDisabled();
  await expect(page.getByTestId('debrief-link')).toBeVisible();
  await expect(page.getByText('record the open decisions first')).toHaveCount(0);
});

test('smaller windows stack the console, keep the header in view and scroll nothing sideways', async ({ page, host }) => {
  test.setTimeout(120_000);
  const sessionId = await threeTeams(host);
  await call(host, 'sessions.start', { sessionId, speed: 0 });
  await call(host, 'sessions.advance', { sessionId });
  await page.goto(host.url);
  for (const [width, height] of [
    [1024, 768],
    [1280, 720],
    [1366, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
    await expect(page.getByTestId('session-status')).toHaveText('Manual clock');
    expect(await horizontalOverflow(page), `${width}×${height}`).toEqual([]);
    // Wherever the page is scrolled to, the clock and its controls stay in view.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator('[data-testid="event-log"]').scrollIntoViewIfNeeded();
    expect(await whollyInView(page, '[data-testid="exercise-clock"]'), `${width}×${height}`).toBe(true);
    await page.screenshot({ path: test.info().outputPath(`console-${width}x${height}.png`) });
  }
});
