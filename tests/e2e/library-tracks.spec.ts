import { mkdirSync, readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, startedSession, horizontalOverflow } from './support.ts';

/**
 * The built-in scenarios with an executive track beside the technical one
 * (public bucket, ransomware, KMS key, root): on the room view both tracks
 * show, each with its own open decision, at 1920×1080 and 1280×720 — nothing
 * scrolls sideways and every option is on screen. Screenshots for review go
 * to test-results/scenarios/ (copies of them are kept in docs/screenshots/scenarios/).
 */

const SHOTS = 'test-results/scenarios';
mkdirSync(SHOTS, { recursive: true });

const FILES = ['02-public-s3-bucket.json', '04-ransomware-backup-destruction.json', '06-kms-key-deletion.json', '07-root-account-compromise.json'];
const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
] as const;

for (const file of FILES) {
  const scenario = JSON.parse(readFileSync(`scenarios/${file}`, 'utf8')) as ScenarioInput;
  const titles = (scenario.tracks ?? []).map((t) => t.title);

  test(`${scenario.meta.id}: the room view shows both tracks, each with its open decision`, async ({ host, browser }) => {
    test.setTimeout(120_000);
    expect(titles).toHaveLength(2);
    const session = await startedSession(host, { scenarioId: scenario.meta.id, name: 'Library check', seed: 'library-tracks' });
    // Next inject until each track has a decision open (the technical and the executive one).
    for (let i = 0; i < 8; i++) {
      const state = await call(host, 'sessions.get', { sessionId: session.id });
      if (state.teams[0]!.tracks.every((t) => t.openDecision !== null)) break;
      await call(host, 'sessions.advance', { sessionId: session.id });
    }
    const state = await call(host, 'sessions.get', { sessionId: session.id });
    const open = state.teams[0]!.tracks.map((t) => t.openDecision?.id ?? null);
    expect(
      open.every((id) => id !== null),
      `open decisions ${JSON.stringify(open)}`,
    ).toBe(true);
    const decisionTitles = open.map((id) => scenario.timeline.find((n) => n.id === id)!.title!);

    const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      try {
        await page.goto(roomUrl);
        await expect(page.getByTestId('room-track')).toHaveCount(2);
        for (const title of titles) await expect(page.getByTestId('room-tracks')).toContainText(title);
        await expect(page.getByTestId('room-decision')).toHaveCount(2);
        for (const title of decisionTitles) await expect(page.getByTestId('room-tracks')).toContainText(title);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: `${SHOTS}/${scenario.meta.id}-room-${viewport.width}x${viewport.height}.png` });
        expect(await horizontalOverflow(page), `${viewport.width}×${viewport.height}: horizontal overflow`).toEqual([]);
        // Every option of both open decisions is drawn inside the window.
        const off = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[data-testid="room-option"]')]
            .filter((o) => {
              const r = o.getBoundingClientRect();
              return r.top < 0 || r.bottom > window.innerHeight || r.width === 0;
            })
            .map((o) => o.innerText.trim().slice(0, 40)),
        );
        expect(off, `${viewport.width}×${viewport.height}: options off screen`).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
}

test('the console words an executive-track inject with the team’s numbers (living text in every track)', async ({ page, host }) => {
  test.setTimeout(120_000);
  const session = await startedSession(host, { scenarioId: 'ransomware-backup-destruction', name: 'Living text', seed: 'library-tracks', advances: 3 });
  // Watching the key for fifteen more minutes lets another 9 GB leave: 38 + 9.
  await call(host, 'sessions.recordDecision', { sessionId: session.id, teamId: 'team-1', decisionId: 'd-credential', optionId: 'watch' });
  await call(host, 'sessions.recordDecision', { sessionId: session.id, teamId: 'team-1', decisionId: 'xd-crisis', optionId: 'wait-morning' });
  for (let i = 0; i < 4; i++) {
    const state = await call(host, 'sessions.get', { sessionId: session.id });
    if (state.teams[0]!.tracks[1]!.currentInject === 'x-clock') break;
    await call(host, 'sessions.advance', { sessionId: session.id });
  }
  expect((await call(host, 'sessions.get', { sessionId: session.id })).teams[0]!.variables.exfiltratedGB).toBe(47);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  await expect(page.getByText('Clocks — 47 GB taken, personal data likely')).toBeVisible();
  await expect(page.getByText('38 GB taken')).toHaveCount(0);
});
