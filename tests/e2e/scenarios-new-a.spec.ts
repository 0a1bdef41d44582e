import { readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, startedSession, horizontalOverflow } from './support.ts';

/**
 * The two new built-in scenarios (10, 11) on the real room screen, at the
 * projector resolutions of a training room: each team's technical and
 * executive tracks side by side, both decisions open and whole on screen,
 * nothing overflowing sideways. The screenshots are the ones kept in
 * docs/screenshots/scenarios/ (copied from the test output).
 */

const FILES = ['scenarios/10-identity-center-token-abuse.json', 'scenarios/11-ses-phishing-own-domain.json'];

for (const file of FILES) {
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as ScenarioInput;
  const id = scenario.meta.id;
  // The opening of every text meant for the facilitator alone (plain sentences, before any Markdown or living text).
  const facilitatorOnly = scenario.timeline
    .flatMap((n) => ['facilitatorNotes' in n ? n.facilitatorNotes : undefined, ...(n.type === 'decision' ? n.options.flatMap((o) => [o.outcome, o.rationale]) : [])])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.split(/[*`{]/)[0]!.slice(0, 40).trim())
    .filter((t) => t.length >= 20);

  test(`${id}: both tracks and both open decisions on the room screen at 1920×1080 and 1280×720`, async ({ host, browser, page }) => {
    test.setTimeout(120_000);
    const session = await startedSession(host, { scenarioId: id, name: `${id} read-through`, seed: 'read-through' });
    // Next inject until each track has a decision open (the executive one opens a few minutes after the technical one).
    for (let step = 0; step < 12; step++) {
      const state = await call(host, 'sessions.get', { sessionId: session.id });
      if (state.teams[0]!.tracks.every((t) => t.openDecision)) break;
      await call(host, 'sessions.advance', { sessionId: session.id });
    }
    const state = await call(host, 'sessions.get', { sessionId: session.id });
    expect(state.teams[0]!.tracks.map((t) => t.openDecision?.id ?? null).every((d) => d !== null)).toBe(true);

    // The console shows both tracks, and the evidence held back for the room's questions.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(host.url);
    await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
    await expect(page.getByTestId('track')).toHaveCount(2);
    await expect(page.getByTestId('decision-panel')).toHaveCount(2);
    await page.screenshot({ path: test.info().outputPath(`${id}-console.png`), fullPage: true });

    const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
    for (const [width, height] of [
      [1920, 1080],
      [1280, 720],
    ] as const) {
      const projector = await browser.newContext({ viewport: { width, height } });
      const room = await projector.newPage();
      await room.goto(roomUrl);
      await expect(room.getByTestId('room-track')).toHaveCount(2);
      await expect(room.getByTestId('room-decision')).toHaveCount(2);
      for (const track of scenario.tracks!) await expect(room.locator(`[data-testid="room-track"][data-track="${track.id}"]`)).toContainText(track.title);
      // Nothing only the facilitator may see: no recommendation, no facilitator notes, no option's outcome or rationale.
      await expect(room.getByText(/recommended/i)).toHaveCount(0);
      const shown = await room.locator('body').innerText();
      for (const secret of facilitatorOnly) expect(shown, `${width}×${height}`).not.toContain(secret);
      expect(await horizontalOverflow(room), `${width}×${height}`).toEqual([]);
      // Every option of both open decisions is on screen without scrolling.
      for (const option of await room.getByTestId('room-option').all()) await expect(option).toBeInViewport();
      await room.screenshot({ path: test.info().outputPath(`${id}-room-${width}x${height}.png`) });
      await projector.close();
    }
  });
}
