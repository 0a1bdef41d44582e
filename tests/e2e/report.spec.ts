import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';
import type { RunningHost } from './fixtures.ts';

/**
 * The after-action report a manager signs, for a full two-team run of a
 * 90-minute bundled scenario (ransomware) driven through the contract: one
 * team follows the recommendations, the other makes costly choices. The
 * report screen renders the structured model (outcomes first, a one-page
 * executive summary, the decision log in an appendix); the printed A4 PDF
 * carries every section and both outcomes, never a negative "of", and runs
 * to at most 9 pages. A what-if replay chosen on the debrief is shown beside
 * what happened, is never written to the log, and is listed in the report
 * as an alternative discussed.
 */

const ransomware = JSON.parse(readFileSync('scenarios/04-ransomware-backup-destruction.json', 'utf8')) as ScenarioInput;
const decisionTitle = (id: string) => {
  const node = ransomware.timeline.find((n) => n.id === id);
  if (node?.type !== 'decision') throw new Error(`no decision ${id}`);
  return node.title;
};
const optionLabel = (decisionId: string, optionId: string) => {
  const node = ransomware.timeline.find((n) => n.id === decisionId);
  if (node?.type !== 'decision') throw new Error(`no decision ${decisionId}`);
  return node.options.find((o) => o.id === optionId)!.label;
};

const CHOICES: Record<string, Record<string, string>> = {
  'team-1': {
    'd-credential': 'cut-off',
    'd-scp': 'attach',
    'd-instances': 'isolate',
    'd-key': 'sweep-then-enable',
    'd-comeback': 'guardrail-now',
    'd-ransom': 'escalate',
    'd-restore': 'clean-rebuild',
    'xd-crisis': 'convene',
    'xd-notify': 'phased',
    'xd-board': 'ranges',
  },
  'team-2': {
    'd-credential': 'watch',
    'd-scp': 'hold',
    'd-instances': 'stop',
    'd-key': 'leave-pending',
    'd-comeback': 'delete-user',
    'd-ransom': 'reply',
    'd-restore': 'in-place',
    'xd-crisis': 'convene',
    'xd-notify': 'phased',
    'xd-board': 'ranges',
  },
};

/** Plays the session to the end on the manual clock: every open decision taken as planned, then on to the next inject. */
async function playToEnd(host: RunningHost, sessionId: string): Promise<void> {
  for (let step = 0; step < 300; step++) {
    const state = await call(host, 'sessions.get', { sessionId });
    if (state.teams.every((t) => t.ended)) return;
    const open = state.teams.filter((t) => t.openDecision && !t.ended);
    for (const team of open) {
      const decisionId = team.openDecision!.id;
      const node = ransomware.timeline.find((n) => n.id === decisionId);
      if (node?.type !== 'decision') throw new Error(`${decisionId} is not a decision`);
      const optionId = CHOICES[team.id]![decisionId] ?? node.options[0]!.id;
      await call(host, 'sessions.recordDecision', {
        sessionId,
        teamId: team.id,
        decisionId,
        optionId,
        // Hostile text, as people type it: a semicolon before a formula, a second line that starts with "=".
        rationale: team.id === 'team-2' ? 'Ana;=1+1\n=HYPERLINK("http://attacker.example")' : 'Contain first, keep the evidence',
        decidedBy: team.id === 'team-1' ? 'Alice Archer' : 'Bob Baker',
      });
    }
    if (open.length === 0) await call(host, 'sessions.advance', { sessionId });
  }
  throw new Error('The session did not reach its end in 300 steps.');
}

test('the after-action report of a two-team 90-minute exercise: outcomes first, every section, at most 9 A4 pages', async ({ page, host }) => {
  test.setTimeout(180_000);
  const cspViolations = await watchCsp(page);

  const session = await call(host, 'sessions.create', {
    scenarioId: ransomware.meta.id,
    name: 'Ransomware drill',
    facilitator: 'Fran Facilitator',
    teams: [
      {
        name: 'Blue team',
        participants: [
          { name: 'Alice Archer', role: 'Incident commander' },
          { name: 'Carol Chen', role: 'Cloud engineer' },
        ],
      },
      {
        name: 'Red team',
        participants: [
          { name: 'Bob Baker', role: 'Incident commander' },
          { name: 'Dan Diaz', role: 'Legal' },
        ],
      },
    ],
    speed: 0,
    seed: 'report-e2e',
  });
  const sessionId = session.id;
  await call(host, 'sessions.start', { sessionId });
  await playToEnd(host, sessionId);
  await call(host, 'sessions.addNote', {
    sessionId,
    teamId: 'team-2',
    text: 'Nobody owned the call to Legal',
    objectiveId: ransomware.objectives[0]!.id,
    rating: 'M',
    author: 'Fran Facilitator',
  });
  await call(host, 'improvementPlan.create', {
    sessionId,
    teamName: 'Red team',
    area: 'Ransom contact without Legal',
    correctiveAction: 'Write the extortion playbook: Legal owns attacker contact',
    owner: 'Dan Diaz',
    dueDate: '2031-06-30',
  });
  await call(host, 'sessions.end', { sessionId, reason: 'Drill over' });

  const debrief = await call(host, 'debrief.get', { sessionId });
  const [blue, red] = debrief.teams;
  expect(blue!.ended).not.toBeNull();
  expect(red!.ended).not.toBeNull();
  const eventsBefore = (await call(host, 'sessions.events', { sessionId })).length;

  // ---------------------------------------------------------------- the debrief: scores at a glance, milestones qualified by the ending
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/debrief/${sessionId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Debrief: Ransomware drill' })).toBeVisible();
  await expect(page.getByTestId('comparison')).not.toContainText(/[−-]\d+ of/);
  await page.getByRole('tab', { name: 'Red team' }).click();
  const redSummary = page.getByTestId('coverage-team-2').getByTestId('score-summary-phase');
  await expect(redSummary).toContainText(/\d+ of \d+ points earned; \d+ lost to costly choices: [^(]+\(“/);
  await expect(page.getByTestId('coverage-team-2')).not.toContainText(/[−-]\d+ of/);
  const recovered = page.getByTestId('timings-team-2').locator('tr[data-milestone="recovered"]');
  if (red!.milestones.recovered!.scenarioMs !== null) {
    await expect(recovered.getByTestId('quality')).toContainText('not the recommended choice');
    if (red!.ended!.result !== 'success') await expect(recovered.getByTestId('caveat')).toContainText(red!.ended!.title);
  }

  // ---------------------------------------------------------------- what-if: Red team's ransom decision taken the recommended way
  const whatIf = page.getByTestId('what-if');
  await whatIf.getByLabel('Decision').selectOption({ label: `${decisionTitle('d-ransom')} — chose “${optionLabel('d-ransom', 'reply')}”` });
  await whatIf.getByLabel('Instead').selectOption({ label: optionLabel('d-ransom', 'escalate') });
  await whatIf.getByRole('button', { name: 'Replay' }).click();
  const result = page.getByTestId('what-if-result');
  await expect(result).toContainText('What happened');
  await expect(result).toContainText('What would have followed');
  await expect(result.getByTestId('what-if-alternative')).toContainText(optionLabel('d-ransom', 'escalate'));
  expect((await call(host, 'sessions.events', { sessionId })).length).toBe(eventsBefore);
  await result.getByRole('button', { name: 'List in the report as an alternative discussed' }).click();
  await expect(result.getByTestId('listed')).toBeVisible();
  // Kept in the data folder (every report of the session lists it), not in this browser and not in the log.
  expect((await call(host, 'reports.alternatives', { sessionId })).alternatives).toEqual([expect.objectContaining({ decisionId: 'd-ransom', optionId: 'escalate' })]);
  expect((await call(host, 'sessions.events', { sessionId })).length).toBe(eventsBefore);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('debrief-what-if.png'), fullPage: true });

  // ---------------------------------------------------------------- the report screen: the model rendered by components
  await page.getByRole('link', { name: 'After-action report' }).click();
  await expect(page).toHaveURL(new RegExp(`#/report/${sessionId}$`));
  const report = page.getByTestId('report');
  const sections = [
    'Outcomes',
    'Executive summary',
    'Handling instructions',
    'Exercise overview',
    'Results',
    'Analysis of capabilities',
    'Facilitator notes',
    'Lessons from the scenario',
    'Alternatives discussed',
    'Appendix A: Improvement plan',
    'Appendix B: Participants',
    'Appendix C: Decision log',
    'Integrity',
  ];
  await expect(report.locator('h2')).toHaveText(sections);
  const outcomes = report.getByTestId('report-outcomes');
  await expect(outcomes).toContainText(`Blue team: ${blue!.ended!.title}`);
  await expect(outcomes).toContainText(`Red team: ${red!.ended!.title}`);
  await expect(report.getByRole('heading', { level: 3, name: 'Top corrective actions' })).toBeVisible();
  await expect(report).toContainText('Write the extortion playbook: Legal owns attacker contact');
  await expect(report.getByTestId('report-charts').locator('figure')).toHaveCount(2);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('report-ransomware.png'), fullPage: true });

  // ---------------------------------------------------------------- the PDF: every section, the outcomes, at most 9 A4 pages
  const pdfPath = test.info().outputPath('report-ransomware.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdfPath, format: 'A4' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))![1]);
  test.info().annotations.push({ type: 'pdf-pages', description: String(pages) });
  expect(pages).toBeLessThanOrEqual(9);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
  const flat = text.replace(/\s+/g, ' ');
  for (const heading of ['After-Action Report / Improvement Plan', ...sections, 'Milestones against targets', 'Strengths', 'Areas for improvement', 'Top corrective actions']) {
    expect(flat, heading).toContain(heading);
  }
  expect(flat).toContain(blue!.ended!.title.replace(/\s+/g, ' '));
  expect(flat).toContain(red!.ended!.title.replace(/\s+/g, ' '));
  expect(flat).not.toMatch(/[−-]\d+ of \d/);
  // The outcomes come before the executive summary; the decision log is in the appendix, after the improvement plan.
  expect(flat.indexOf('Outcomes')).toBeLessThan(flat.indexOf('Executive summary'));
  expect(flat.indexOf('Appendix C: Decision log')).toBeGreaterThan(flat.indexOf('Appendix A: Improvement plan'));
  // The executive summary fits on one page: it starts and its last list ends on the same or the next page, never beyond.
  const pageTexts = text.split('\f');
  const pageOf = (needle: string) => pageTexts.findIndex((p) => p.replace(/\s+/g, ' ').includes(needle));
  expect(pageOf('Top corrective actions') - pageOf('Executive summary')).toBeLessThanOrEqual(1);
  for (const [i, p] of pageTexts.filter((t) => t.trim()).entries()) {
    expect(p.split(ransomware.meta.sensitivity).length - 1, `page ${i + 1} carries the marking`).toBeGreaterThanOrEqual(2);
  }

  // ---------------------------------------------------------------- the improvement plan across sessions, from the sessions list
  await call(host, 'improvementPlan.create', {
    sessionId,
    teamName: 'Blue team',
    area: 'Forensic tooling not pre-built',
    correctiveAction: 'Pre-build memory capture',
    owner: 'Carol Chen',
    dueDate: '2020-01-31',
  });
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${host.origin}/#/library`);
  await page.getByTestId('improvement-link').click();
  await expect(page).toHaveURL(/#\/improvement$/);
  const list = page.getByTestId('improvement-list');
  await expect(list.locator('tbody tr')).toHaveCount(2);
  // Soonest due first: the overdue item leads, flagged.
  await expect(list.locator('tbody tr').first()).toContainText('Forensic tooling not pre-built');
  await expect(list.locator('tbody tr').first().getByTestId('overdue')).toBeVisible();
  await expect(list.locator('tbody tr').nth(1).getByTestId('overdue')).toHaveCount(0);
  await expect(page.getByTestId('improvement-count')).toContainText('2 items, 1 overdue');
  await page.getByLabel('Owner').fill('dan diaz');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await expect(list).toContainText('Write the extortion playbook');
  await expect(list.getByRole('link', { name: 'Ransomware drill' })).toHaveAttribute('href', `#/debrief/${sessionId}`);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV for issue trackers' }).click();
  const trackerCsv = readFileSync(await (await download).path(), 'utf8');
  expect(trackerCsv.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('Summary,Description,Assignee,Due date,Labels');
  expect(trackerCsv).toContain('Red team: Write the extortion playbook: Legal owns attacker contact');
  expect(trackerCsv).not.toContain('Pre-build memory capture');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('improvement-plan.png'), fullPage: true });

  // ---------------------------------------------------------------- CSV: the hostile rationale is safe however a spreadsheet splits it
  const csv = await call(host, 'reports.export', { sessionId, format: 'csv' });
  expect(csv.content).toContain("Ana;'=1+1");
  expect(csv.content).toContain("\n'=HYPERLINK");

  expect(await cspViolations()).toEqual([]);
});
