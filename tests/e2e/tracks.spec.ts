import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, horizontalOverflow } from './support.ts';

/**
 * Parallel tracks, end to end: a two-track scenario (technical and
 * executive) run for two teams in the real console and on the real room
 * screen. Each team has both tracks' decisions open at once; the
 * facilitator records both from the console, side by side; the projector
 * shows every team's tracks, each with its own inject and decision.
 */

const FIXTURE = 'tests/fixtures/scenarios/two-tracks.json';
const scenario = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ScenarioInput;
type Node = ScenarioInput['timeline'][number];
const node = (id: string) => scenario.timeline.find((n: Node) => n.id === id)! as Extract<Node, { title: string }>;

let host: RunningHost;
let dataDir: string;
let scenariosDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-tracks-data-'));
  scenariosDir = mkdtempSync(join(tmpdir(), 'sandtable-tracks-scenarios-'));
  copyFileSync(FIXTURE, join(scenariosDir, 'two-tracks.json'));
  host = await startHost(dataDir, { scenariosDir });
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scenariosDir, { recursive: true, force: true });
});

/** Records `option` for the decision open in `track` of the team on screen, from the console. */
async function decide(page: Page, track: string, option: RegExp, who: string): Promise<void> {
  const column = page.locator(`[data-testid="track"][data-track="${track}"]`);
  const panel = column.getByTestId('decision-panel');
  await panel.getByRole('radio', { name: option }).check();
  await panel.getByLabel(/^Rationale/).fill(`Because the ${track} track needs it`);
  await panel.getByLabel('Decided by').fill(who);
  await panel.getByRole('button', { name: 'Record decision' }).click();
  await expect(panel).toHaveCount(0);
}

test('two tracks per team: both decisions open and decided side by side in the console, every track on the projector', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const session = await call(host, 'sessions.create', {
    scenarioId: scenario.meta.id,
    name: 'Tracks check',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
    seed: 'tracks-e2e',
  });

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);

  // Before the start: both tracks, each with its title, nothing delivered yet.
  const tracks = page.getByTestId('tracks');
  await expect(tracks.getByTestId('track')).toHaveCount(2);
  await expect(tracks.getByRole('heading', { name: 'Technical response', level: 2 })).toBeVisible();
  await expect(tracks.getByRole('heading', { name: 'Executive & legal', level: 2 })).toBeVisible();
  const comingNext = page.getByTestId('coming-next');
  await expect(comingNext).toContainText(node('t1').title);
  await expect(comingNext).toContainText(node('x1').title);

  // Start: the technical track's alert and decision; the executive track waits for minute 5.
  await page.getByRole('button', { name: 'Start exercise' }).click();
  const technical = page.locator('[data-testid="track"][data-track="technical"]');
  const executive = page.locator('[data-testid="track"][data-track="executive"]');
  await expect(technical.getByRole('heading', { name: node('t1').title })).toBeVisible();
  await expect(technical.getByTestId('decision-panel').getByRole('heading', { name: node('td1').title })).toBeVisible();
  await expect(executive.getByTestId('decision-panel')).toHaveCount(0);

  // Next inject: minute 5, the executive track's email and its decision, beside the technical one still open.
  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(executive.getByRole('heading', { name: node('x1').title })).toBeVisible();
  await expect(executive.getByTestId('decision-panel').getByRole('heading', { name: node('xd1').title })).toBeVisible();
  await expect(page.getByTestId('decision-panel')).toHaveCount(2);
  const both = await call(host, 'sessions.get', { sessionId: session.id });
  expect(both.teams.map((t) => t.tracks.map((track) => track.openDecision?.id ?? null))).toEqual([
    ['td1', 'xd1'],
    ['td1', 'xd1'],
  ]);

  // The projector: every team with both tracks, each track's inject and open decision.
  const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
  const projector = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const room = await projector.newPage();
  await room.goto(roomUrl);
  await expect(room.getByTestId('room-team')).toHaveCount(2);
  await expect(room.getByTestId('room-track')).toHaveCount(4);
  await expect(room.getByTestId('room-decision')).toHaveCount(4);
  const blueRoom = room.locator('[data-testid="room-team"][data-team-id="team-1"]');
  await expect(blueRoom.locator('[data-track="technical"]')).toContainText(node('td1').title);
  await expect(blueRoom.locator('[data-track="executive"]')).toContainText(node('x1').title);
  await expect(blueRoom.locator('[data-track="executive"]')).toContainText(node('xd1').title);
  // Nothing only the facilitator may see: the recommended option is not marked.
  await expect(room.getByText(/recommended/i)).toHaveCount(0);

  // Number keys choose in the decision the facilitator last worked in: the lead track's until another form is used.
  const technicalPanel = technical.getByTestId('decision-panel');
  const executivePanel = executive.getByTestId('decision-panel');
  await page.locator('#console-title').focus();
  await page.keyboard.press('2');
  await expect(technicalPanel.getByRole('radio', { name: /Watch for another hour/ })).toBeChecked();
  await executivePanel.getByRole('radio', { name: /Place a legal hold/ }).focus();
  await page.keyboard.press('2');
  await expect(executivePanel.getByRole('radio', { name: /Not yet/ })).toBeChecked();
  await expect(technicalPanel.getByRole('radio', { name: /Watch for another hour/ })).toBeChecked();
  await page.locator('#console-title').focus();
  await page.keyboard.press('1');
  await expect(executivePanel.getByRole('radio', { name: /Place a legal hold/ })).toBeChecked();
  await expect(technicalPanel.getByRole('radio', { name: /Watch for another hour/ })).toBeChecked();

  // Blue decides the executive track first (a legal hold), then the technical one, in the console.
  await decide(page, 'executive', /Place a legal hold/, 'Dana (Legal counsel)');
  await expect(technical.getByTestId('decision-panel')).toHaveCount(1);
  await decide(page, 'technical', /Revoke the key now/, 'Alex (Incident commander)');
  await expect(page.getByTestId('decision-panel')).toHaveCount(0);
  // The projector follows: Blue has no decision open, Red still has both.
  await expect(blueRoom.getByTestId('room-decision')).toHaveCount(0);
  const redRoom = room.locator('[data-testid="room-team"][data-team-id="team-2"]');
  await expect(redRoom.getByTestId('room-decision')).toHaveCount(2);

  // Red decides the technical track the other way (it keeps watching), and holds off the legal hold.
  await page.getByRole('tab', { name: /Red team/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${session.id}/team-2$`));
  await decide(page, 'technical', /Watch for another hour/, 'Sam (Incident commander)');
  await decide(page, 'executive', /Not yet/, 'Kim (CISO)');
  await expect(redRoom.getByTestId('room-decision')).toHaveCount(0);

  // Time moves on: what each team chose in one track steers the other track.
  for (let i = 0; i < 4; i++) await call(host, 'sessions.advance', { sessionId: session.id });
  const later = await call(host, 'sessions.get', { sessionId: session.id });
  const blue = later.teams.find((t) => t.id === 'team-1')!;
  const red = later.teams.find((t) => t.id === 'team-2')!;
  expect(blue.path).toEqual(expect.arrayContaining(['t3hold', 'x3internal']));
  expect(red.path).toEqual(expect.arrayContaining(['t3wipe', 'x3notify']));
  await expect(blueRoom.locator('[data-track="technical"]')).toContainText(node('t3hold').title);
  await expect(redRoom.locator('[data-track="technical"]')).toContainText(node('t3wipe').title);
  await expect(redRoom.locator('[data-track="executive"]')).toContainText(node('xd2').title);
  // Blue's executive track has finished on its own end; the team goes on with the technical track.
  await expect(blueRoom.locator('[data-track="executive"]')).toContainText(node('xend').title);
  await expect(page.getByRole('tab', { name: /Blue team/ })).toBeVisible();
  await page.getByRole('tab', { name: /Blue team/ }).click();
  await expect(executive.getByTestId('track-ended')).toContainText(node('xend').title);
  await expect(technical.getByTestId('decision-panel').getByRole('heading', { name: node('td2').title })).toBeVisible();

  await room.screenshot({ path: test.info().outputPath('room-tracks.png') });
  await page.screenshot({ path: test.info().outputPath('console-tracks.png'), fullPage: true });
  await projector.close();
});

test('two decisions open side by side fit a 1366×768 and a 1440×900 console: nothing overflows sideways', async ({ page }) => {
  const session = await call(host, 'sessions.create', {
    scenarioId: scenario.meta.id,
    name: 'Tracks layout',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
    seed: 'tracks-layout',
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });
  const state = await call(host, 'sessions.get', { sessionId: session.id });
  expect(state.teams[0]!.tracks.map((t) => t.openDecision?.id ?? null)).toEqual(['td1', 'xd1']);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  for (const [width, height] of [
    [1366, 768],
    [1440, 900],
  ] as const) {
    // A fresh load of the console at each size (the launch token is kept for the tab, so no second hash-only jump through the token's address).
    await page.setViewportSize({ width, height });
    await page.reload();
    await expect(page.getByTestId('decision-panel')).toHaveCount(2);
    for (const panel of await page.getByTestId('decision-panel').all()) {
      await expect(panel.getByRole('button', { name: 'Record decision' })).toBeVisible();
    }
    expect(await horizontalOverflow(page), `${width}×${height}`).toEqual([]);
    await page.screenshot({ path: test.info().outputPath(`console-tracks-${width}x${height}.png`) });
  }
});
