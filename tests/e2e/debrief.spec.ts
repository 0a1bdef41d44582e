import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Download } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { formatDuration } from '../../src-renderer/src/features/sessions/format.ts';
import { expect, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * The debrief, the after-action report and the trends of a short exercise
 * driven through the contract (manual clock, so every scenario time is known
 * from what the test did): the timings on screen are the ones the test
 * produced, the wall times leave out the pause the test made, improvement
 * items are added and changed from the debrief, every export downloads with
 * its manifest, the printed PDF carries every HSEEP section and the marking
 * on every page, and no screen breaks the Content-Security-Policy or has a
 * serious accessibility problem.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
const decisionNode = (id: string) => {
  const found = sample.timeline.find((n) => n.id === id);
  if (!found || found.type !== 'decision') throw new Error(`The sample has no decision ${id}.`);
  return found;
};
const contain = decisionNode('d-contain');
const recover = decisionNode('d-recover');
const optionLabel = (decision: typeof contain, id: string) => decision.options.find((o) => o.id === id)!.label;
const MIN = 60_000;

async function downloadedText(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

/** The text of a PDF, pages separated by form feeds (poppler's pdftotext). */
function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

test('the debrief, the report and the trends show what a scripted exercise did', async ({ page, host }) => {
  test.setTimeout(180_000);
  const cspViolations = await watchCsp(page);

  // ---------------------------------------------------------------- a short exercise on the manual clock
  const session = await call(host, 'sessions.create', {
    scenarioId: sample.meta.id,
    name: 'Debrief drill',
    facilitator: 'Fran Facilitator',
    teams: [
      { name: 'Blue team', participants: [{ name: 'Alice Archer', role: 'Incident commander' }] },
      { name: 'Red team', participants: [{ name: 'Bob Baker', role: 'Cloud platform engineer' }] },
    ],
    speed: 0,
    seed: 'debrief-e2e',
  });
  const sessionId = session.id;
  await call(host, 'sessions.start', { sessionId });
  await call(host, 'sessions.advance', { sessionId }); // 02:00
  await call(host, 'sessions.advance', { sessionId }); // 05:00: the containment decision opens for both teams
  await call(host, 'sessions.recordDecision', {
    sessionId,
    teamId: 'team-1',
    decisionId: contain.id,
    optionId: 'deactivate',
    rationale: 'Reversible, and stops the key at once',
    decidedBy: 'Alice Archer',
  });
  const paused = await call(host, 'sessions.pause', { sessionId });
  // The pause is never 0 ms long: it lasts until the wall clock the host shares with this test has passed the instant the host logged it.
  const pausedWallMs = (await call(host, 'sessions.events', { sessionId, afterSeq: paused.seq - 1 })).find((e) => e.type === 'clock.paused')!.wallMs;
  await expect.poll(() => Date.now()).toBeGreaterThan(pausedWallMs);
  await call(host, 'sessions.resume', { sessionId });
  // On to 12:00: Red team's decision runs out of time at 10:00 (its default, "wait", is taken).
  await call(host, 'sessions.advance', { sessionId });
  await call(host, 'sessions.markMilestone', { sessionId, teamId: 'team-2', milestoneId: 'contained' });
  await call(host, 'sessions.addNote', {
    sessionId,
    teamId: 'team-1',
    text: 'Named an incident commander at once',
    objectiveId: 'obj-contain',
    rating: 'S',
    author: 'Fran Facilitator',
  });
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: recover.id, optionId: 'federate', decidedBy: 'Alice Archer' });
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-2', decisionId: recover.id, optionId: 'detach', decidedBy: 'Bob Baker' });
  await call(host, 'sessions.end', { sessionId, reason: 'Drill over' });
  const log = await call(host, 'sessions.events', { sessionId, afterSeq: 0 });
  const wallOf = (type: string) => log.find((e) => e.type === type)!.wallMs;
  const pauseMs = wallOf('clock.resumed') - wallOf('clock.paused');
  expect(pauseMs).toBeGreaterThan(0);

  const debrief = await call(host, 'debrief.get', { sessionId });
  const [blue, red] = debrief.teams;
  // Wall times leave the pause out: the session was active from its start to its end, less the pause, as the log timed them.
  expect(debrief.clock.pauses.totalWallMs).toBe(pauseMs);
  expect(debrief.session.activeWallMs).toBe(wallOf('session.ended') - wallOf('session.started') - pauseMs);
  // So do a team's key times: Blue recovered when its decision was recorded, after the pause.
  const recovered = log.find((e) => e.type === 'milestone.reached' && e.teamId === 'team-1' && e.payload.milestoneId === 'recovered');
  expect(blue!.timeTo.recover!.wallMs).toBe(recovered!.wallMs - wallOf('session.started') - pauseMs);

  // ---------------------------------------------------------------- from the console of the ended session to its debrief
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}`);
  await page.getByTestId('debrief-link').click();
  await expect(page).toHaveURL(new RegExp(`#/debrief/${sessionId}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Debrief: Debrief drill' })).toBeVisible();
  await expect(page.getByTestId('active-wall')).toContainText(formatDuration(debrief.session.activeWallMs));
  await expect(page.getByTestId('active-wall')).toContainText(`paused 1 time for ${formatDuration(debrief.clock.pauses.totalWallMs)}`);
  await expect(page.getByTestId('timeline-chart').locator('g.team')).toHaveCount(2);
  await expect(page.getByTestId('comparison')).toContainText('Blue team');

  /** Checks a team's timings row: scenario time, wall time (as main measured it), verdict. */
  async function expectTiming(teamId: string, milestoneId: string, scenario: string, verdict: string, wallMs: number | null): Promise<void> {
    const row = page.getByTestId(`timings-${teamId}`).locator(`tr[data-milestone="${milestoneId}"]`);
    await expect(row.getByTestId('scenario-time')).toHaveText(scenario);
    await expect(row.getByTestId('verdict')).toHaveText(verdict);
    await expect(row.getByTestId('wall-time')).toHaveText(wallMs === null ? '—' : formatDuration(wallMs));
  }

  // Blue team: detected and contained when it decided at 05:00, eradicated and recovered at 12:00.
  const teamPanel = page.getByTestId('team-panel');
  await expect(teamPanel).toHaveAttribute('data-team', 'team-1');
  await expect(page.getByTestId('ending')).toContainText('No long-term key left to leak');
  await expectTiming('team-1', 'detected', '05:00', 'Met, on target', blue!.milestones.detected!.wallMs);
  await expectTiming('team-1', 'contained', '05:00', 'Met, 5 min early', blue!.milestones.contained!.wallMs);
  await expectTiming('team-1', 'eradicated', '12:00', 'Met, 8 min early', blue!.milestones.eradicated!.wallMs);
  await expectTiming('team-1', 'recovered', '12:00', 'Met, 13 min early', blue!.milestones.recovered!.wallMs);
  expect(blue!.milestones.detected!.scenarioMs).toBe(5 * MIN);
  expect(blue!.milestones.recovered!.scenarioMs).toBe(12 * MIN);

  const blueContain = page.getByTestId('decisions-team-1').locator(`li[data-decision="${contain.id}"]`);
  await expect(blueContain).toContainText(optionLabel(contain, 'deactivate'));
  await expect(blueContain).toContainText('As recommended');
  await expect(blueContain).toContainText('Reversible, and stops the key at once');
  await expect(blueContain).toContainText('Alice Archer');
  await expect(blueContain.getByTestId('latency')).toHaveText(`0 s of scenario time, ${formatDuration(blue!.decisions[0]!.latencyWallMs!)} of play`);
  const blueObjective = page.getByTestId('objectives-team-1').locator('li[data-objective="obj-contain"]');
  await expect(blueObjective.getByTestId('rating')).toHaveText('S');
  await expect(blueObjective).toContainText('Performed with some challenges');
  await expect(blueObjective).toContainText('Named an incident commander at once');
  await expect(page.getByTestId('coverage-team-1')).toContainText('SEC02-BP02 Use temporary credentials');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('debrief-blue.png'), fullPage: true });

  // Red team: time ran out at 10:00 (detected, 5 min late); contained by hand at 12:00; never eradicated.
  await page.getByRole('tab', { name: 'Red team' }).click();
  await expect(teamPanel).toHaveAttribute('data-team', 'team-2');
  await expectTiming('team-2', 'detected', '10:00', 'Missed by 5 min', red!.milestones.detected!.wallMs);
  await expectTiming('team-2', 'contained', '12:00', 'Missed by 2 min', red!.milestones.contained!.wallMs);
  await expectTiming('team-2', 'eradicated', '—', 'Not reached (target 20:00)', null);
  await expectTiming('team-2', 'recovered', '—', 'Not reached (target 25:00)', null);
  await expect(page.getByTestId('timings-team-2').locator('tr[data-milestone="contained"]')).toContainText('Marked by the facilitator');
  const redContain = page.getByTestId('decisions-team-2').locator(`li[data-decision="${contain.id}"]`);
  await expect(redContain).toContainText('Time ran out');
  await expect(redContain).toContainText(optionLabel(contain, 'wait'));
  await expect(redContain.getByTestId('latency')).toContainText('5 min of scenario time');

  // ---------------------------------------------------------------- an improvement item from the debrief, then its status changed
  await redContain.getByRole('button', { name: /Add to the improvement plan/ }).click();
  const area = page.getByLabel('Area for improvement');
  await expect(area).toBeFocused();
  await expect(area).toHaveValue(new RegExp(`^${contain.title}: time ran out`));
  await expect(page.getByLabel('Team', { exact: true })).toHaveValue('Red team');
  await page.getByLabel('Owner').fill('Bob Baker');
  await page.getByLabel(/^Due date/).fill('2031-03-31');
  await page.getByRole('button', { name: 'Add to the improvement plan', exact: true }).click();
  const items = page.getByTestId('improvement-items');
  await expect(items.locator('tbody tr')).toHaveCount(1);
  await expect(items).toContainText('Bob Baker');
  await expect(items).toContainText('2031-03-31');
  await items.getByRole('combobox', { name: /^Status of/ }).selectOption('in-progress');
  await expect.poll(async () => (await call(host, 'improvementPlan.list', { sessionId })).map((i) => i.status)).toEqual(['in-progress']);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('debrief-red.png'), fullPage: true });

  // ---------------------------------------------------------------- the report, its exports and their manifests
  await page.getByRole('link', { name: 'After-action report' }).click();
  await expect(page).toHaveURL(new RegExp(`#/report/${sessionId}$`));
  const report = page.getByTestId('report');
  for (const heading of [
    'Handling instructions',
    'Executive summary',
    'Exercise overview',
    'Analysis of capabilities',
    'Appendix A: Improvement plan',
    'Appendix B: Participants',
  ]) {
    await expect(report.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  }
  await expect(report.getByTestId('report-charts').locator('figure')).not.toHaveCount(0);
  await expect(report).toContainText('Alice Archer');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('report.png'), fullPage: true });

  for (const [label, ext] of [
    ['Markdown', 'md'],
    ['CSV decision log', 'csv'],
    ['JSON', 'json'],
  ] as const) {
    const downloads: Download[] = [];
    const listener = (d: Download) => downloads.push(d);
    page.on('download', listener);
    await page.getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByTestId('export-status')).toContainText(`.${ext} and its manifest`);
    await expect.poll(() => downloads.length).toBe(2);
    page.off('download', listener);
    // The export streams from the host's link, the manifest is saved by the page: either may start first.
    const file = downloads.find((d) => !d.suggestedFilename().endsWith('.manifest.json'))!;
    const manifestFile = downloads.find((d) => d.suggestedFilename().endsWith('.manifest.json'))!;
    expect(file.suggestedFilename()).toMatch(new RegExp(`\\.${ext}$`));
    expect(manifestFile.suggestedFilename()).toBe(`${file.suggestedFilename()}.manifest.json`);
    const content = await downloadedText(file);
    const manifest = JSON.parse(await downloadedText(manifestFile)) as { sha256: string; bytes: number; file: string; log: { lastHash: string } };
    expect(manifest.file).toBe(file.suggestedFilename());
    expect(createHash('sha256').update(content, 'utf8').digest('hex')).toBe(manifest.sha256);
    expect(Buffer.byteLength(content, 'utf8')).toBe(manifest.bytes);
    expect(manifest.log.lastHash).toBe(debrief.session.lastHash);
    if (ext === 'csv') expect(content).toContain(optionLabel(recover, 'federate'));
    // What the browser saved is what `npm run verify` accepts, as the facilitator would check it.
    const saved = test.info().outputPath(file.suggestedFilename());
    await file.saveAs(saved);
    await manifestFile.saveAs(`${saved}.manifest.json`);
    expect(execFileSync(process.execPath, ['--import', 'tsx', 'src-main/cli/verify.ts', saved], { encoding: 'utf8' })).toContain('intact');
  }

  // ---------------------------------------------------------------- a link the host refuses is told here, not only in the browser's downloads list
  // Another client follows the export's single-use link first (as a second tab would), while the page checks it: the real host refuses the page with its 404.
  await page.route('**/api/download/*', async (route) => {
    if (route.request().method() === 'HEAD') await page.request.get(route.request().url());
    await route.continue();
  });
  const refusedDownloads: Download[] = [];
  const onRefusedDownload = (d: Download) => refusedDownloads.push(d);
  page.on('download', onRefusedDownload);
  await page.getByRole('button', { name: 'Markdown', exact: true }).click();
  await expect(page.getByText('Not saved: This download link is unknown, already used or expired: ask for the file again.')).toBeVisible();
  await expect(page.getByTestId('export-status')).toHaveCount(0);
  await page.unroute('**/api/download/*');
  page.off('download', onRefusedDownload);
  expect(refusedDownloads).toEqual([]); // neither the refused file nor a manifest without it

  // ---------------------------------------------------------------- Print / Save as PDF: the web host cannot save a PDF itself, so the print dialog opens
  await page.evaluate(() => {
    const counted = window as unknown as { __prints: number };
    counted.__prints = 0;
    window.print = () => {
      counted.__prints += 1;
    };
  });
  await page.getByRole('button', { name: 'Print / Save as PDF' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __prints: number }).__prints)).toBe(1);

  // ---------------------------------------------------------------- the PDF: every HSEEP section, the timings, the marking on every page
  const pdfPath = test.info().outputPath('report.pdf');
  await page.pdf({ path: pdfPath, format: 'A4' });
  const pdf = pdfText(pdfPath);
  const flat = pdf.replace(/\s+/g, ' ');
  for (const heading of [
    'After-Action Report / Improvement Plan',
    'Handling instructions',
    'Executive summary',
    'Exercise overview',
    'Analysis of capabilities',
    'Appendix A: Improvement plan',
    'Appendix B: Participants',
  ]) {
    expect(flat).toContain(heading);
  }
  for (const timing of [
    'T+00:05:00 — met, on target',
    'T+00:05:00 — met, 5 min early',
    'T+00:12:00 — met, 8 min early',
    'T+00:10:00 — missed, 5 min late',
    'T+00:12:00 — missed, 2 min late',
  ]) {
    expect(flat).toContain(timing);
  }
  const pages = pdf.split('\f').filter((p) => p.trim() !== '');
  expect(pages.length).toBeGreaterThan(1);
  for (const [i, text] of pages.entries()) {
    const markings = text.split(sample.meta.sensitivity).length - 1;
    expect(markings, `page ${i + 1} carries the marking at the top and the bottom`).toBeGreaterThanOrEqual(2);
  }

  // ---------------------------------------------------------------- pseudonymised: no participant's name is left
  // While the pseudonymised report loads, the real-name one is gone (no banner over real names, nothing to print).
  let releaseExport!: () => void;
  const exportHeld = new Promise<void>((resolve) => (releaseExport = resolve));
  await page.route('**/api/call', async (route) => {
    if (route.request().postData()?.includes('"reports.aar"')) await exportHeld;
    await route.continue();
  });
  await page.getByLabel('Pseudonymise participants').check();
  await expect(page).toHaveURL(new RegExp(`#/report/${sessionId}\\?pseudonymise=1$`));
  await expect(report).toHaveCount(0);
  await expect(page.getByTestId('pseudonymised-banner')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeDisabled();
  releaseExport();
  await expect(page.getByTestId('pseudonymised-banner')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeEnabled();
  await expect(report).toContainText('Participant A');
  await expect(report).not.toContainText('Alice Archer');
  await expect(report).not.toContainText('Bob Baker');

  // ---------------------------------------------------------------- trends, from the sessions list
  await page.goto(`${host.origin}/#/library`);
  await page.getByTestId('trends-link').click();
  await expect(page).toHaveURL(/#\/trends$/);
  await expect(page.getByTestId('trends-table')).toContainText('Debrief drill');
  await expect(page.getByTestId('trend-detect').locator('path.point')).toHaveCount(2);
  await expect(page.getByTestId('plan-counts')).toHaveText('0 open, 1 in progress, 0 closed.');
  await page.getByLabel('Team').fill('Red team');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/#\/trends\?team=Red\+team$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trends: team “Red team”');
  await expect(page.getByTestId('trends-table').locator('tbody tr')).toHaveCount(1);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('trends.png'), fullPage: true });

  // ---------------------------------------------------------------- the team's next exercise shows its open item at setup
  await page.goto(`${host.origin}/#/setup/${sample.meta.id}`);
  await page.getByLabel('Team name').fill('red team');
  const open = page.getByTestId('open-improvement-items');
  await expect(open).toContainText(`${contain.title}: time ran out`);
  await expect(open).toContainText('In progress, owner Bob Baker, due 2031-03-31');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await open.screenshot({ path: test.info().outputPath('setup-open-items.png') });

  expect(await cspViolations()).toEqual([]);
});
