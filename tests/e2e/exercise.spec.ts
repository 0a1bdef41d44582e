import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * A whole exercise of the bundled sample scenario, run from the facilitator
 * console with two teams: set up, start, injects, decisions (by click and by
 * key), pause and resume, milestones, an observation, a contingency, a
 * reload mid-exercise, the end — then the recorded log is read back through
 * the contract and checked against what was done.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;

function node<T extends ScenarioInput['timeline'][number]['type']>(id: string, type: T): Extract<ScenarioInput['timeline'][number], { type: T }> {
  const found = sample.timeline.find((n) => n.id === id);
  if (!found || found.type !== type) throw new Error(`The sample has no ${type} ${id}.`);
  return found as Extract<ScenarioInput['timeline'][number], { type: T }>;
}

const alertInject = node('i-alert', 'inject');
const healthInject = node('i-health', 'inject');
const guardDutyInject = node('i-guardduty', 'inject');
const scopeInject = node('i-scope', 'inject');
const pressureInject = node('i-pressure', 'inject');
const contain = node('d-contain', 'decision');
const recover = node('d-recover', 'decision');
const federated = node('e-federated', 'end');
const cisoCall = sample.contingencies!.find((c) => c.id === 'c-ciso-call')!;
const milestoneLabel = (id: string) => sample.milestones.find((m) => m.id === id)!.label;
const optionLabel = (decision: typeof contain, id: string) => decision.options.find((o) => o.id === id)!.label;

/** Puts focus on the page itself (not a field, not a button), where the console's shortcuts apply. */
async function focusPage(page: Page): Promise<void> {
  await page.locator('#console-title').focus();
}

test('a whole exercise with two teams is run from the console and recorded as it was run', async ({ page, host, context }) => {
  test.setTimeout(180_000);
  const cspViolations = await watchCsp(page);

  // ---------------------------------------------------------------- setup
  await page.goto(host.url);
  const card = page.getByTestId('scenario-card').filter({ hasText: sample.meta.title });
  await card.getByRole('link', { name: `Run ${sample.meta.title}` }).click();
  await expect(page).toHaveURL(/#\/setup\/sample-leaked-key$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up a session' })).toBeVisible();
  await expect(page.getByLabel('Handling marking')).toHaveValue(sample.meta.sensitivity);

  // A problem is shown next to the field it names (in plain words), which takes focus.
  const sessionName = page.getByLabel('Session name');
  await sessionName.fill('   ');
  await page.getByLabel('Facilitator', { exact: true }).fill('Fran Facilitator');
  await page.getByRole('button', { name: /Create session/ }).click();
  await expect(page.locator('#setup-name-error')).toHaveText('Give the session a name.');
  await expect(sessionName).toHaveAttribute('aria-invalid', 'true');
  await expect(sessionName).toBeFocused();
  await sessionName.fill('E2E exercise');

  await page.getByLabel('Team name').fill('Blue team');
  await page.getByLabel('Name of participant 1 of Blue team').fill('Alice');
  await page.getByLabel('Role of participant 1 of Blue team').fill('Incident commander');
  await page.getByRole('button', { name: 'Add a team' }).click();
  const secondTeamName = page.getByLabel('Team name').nth(1);
  await expect(secondTeamName).toBeFocused();
  await secondTeamName.fill('Red team');
  await page.getByLabel('Name of participant 1 of Red team').fill('Bob');
  await page.getByLabel('Role of participant 1 of Red team').fill('Cloud platform engineer');
  await expect(page.getByRole('radio', { name: '1×' })).toBeChecked();
  await expect(page.getByLabel(milestoneLabel('detected'))).toHaveValue('5');
  await page.getByLabel(milestoneLabel('contained')).fill('8');
  await page.getByLabel(/^Seed for random events/).fill('e2e-seed');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('setup.png'), fullPage: true });

  await page.getByRole('button', { name: /Create session/ }).click();
  await expect(page).toHaveURL(/#\/sessions\/[0-9a-f-]{36}\/team-1$/);
  const sessionId = /#\/sessions\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

  // ---------------------------------------------------------------- console before the start
  const status = page.getByTestId('session-status');
  const clock = page.getByTestId('scenario-clock');
  const blueTab = page.getByRole('tab', { name: /Blue team/ });
  const redTab = page.getByRole('tab', { name: /Red team/ });
  const inject = page.getByTestId('current-inject');
  const decisionPanel = page.getByTestId('decision-panel');
  await expect(status).toHaveText('Not started');
  await expect(clock).toHaveText('00:00');
  await expect(blueTab).toHaveAttribute('aria-selected', 'true');
  await expect(redTab).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByTestId('no-inject')).toBeVisible();

  // ---------------------------------------------------------------- start: the first inject is delivered
  await page.getByRole('button', { name: 'Start exercise' }).click();
  await expect(status).toHaveText('Running');
  await expect(inject.getByRole('heading', { name: alertInject.title })).toBeVisible();
  const facilitatorOnly = inject.getByTestId('facilitator-only');
  await expect(facilitatorOnly).toContainText('Facilitator only');
  await expect(facilitatorOnly).toContainText(alertInject.expectedActions![0]!);
  await expect(page.getByTestId('coming-next')).toContainText(healthInject.title);
  // The scenario clock ticks while running.
  const started = await clock.textContent();
  await expect(clock).not.toHaveText(started!);

  // ---------------------------------------------------------------- next inject, by key and by button
  await focusPage(page);
  await page.keyboard.press('n');
  await expect(inject.getByRole('heading', { name: healthInject.title })).toBeVisible();
  await expect(clock).toHaveText(/^02:0\d$/);
  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(inject.getByRole('heading', { name: guardDutyInject.title })).toBeVisible();
  await expect(decisionPanel.getByRole('heading', { name: contain.title })).toBeVisible();
  await expect(decisionPanel.getByText('Recommended')).toBeVisible();
  await expect(page.getByTestId('decision-countdown')).toContainText(/0[45]:\d\d/);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('console-decision.png'), fullPage: true });

  // ---------------------------------------------------------------- a reload comes back to the same session, team and inject
  await redTab.click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/team-2$`));
  await expect(redTab).toHaveAttribute('aria-selected', 'true');
  // A rationale typed but not yet recorded survives the reload.
  await decisionPanel.getByLabel(/^Rationale/).fill('The quarantine policy should hold for now');
  await page.reload();
  await expect(redTab).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/team-2$`));
  await expect(inject.getByRole('heading', { name: guardDutyInject.title })).toBeVisible();
  await expect(decisionPanel.getByRole('heading', { name: contain.title })).toBeVisible();
  await expect(decisionPanel.getByLabel(/^Rationale/)).toHaveValue('The quarantine policy should hold for now');

  // ---------------------------------------------------------------- Red team decides by key: option 3, with rationale and who decided
  await focusPage(page);
  await page.keyboard.press('3');
  await expect(decisionPanel.getByRole('radio', { name: new RegExp(optionLabel(contain, 'wait').slice(0, 30)) })).toBeChecked();
  await decisionPanel.getByLabel('Decided by').fill('Bob (Cloud platform engineer)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);
  await expect(page.getByTestId('event-log')).toContainText(`Decided “${optionLabel(contain, 'wait')}” (by Bob (Cloud platform engineer))`);
  await expect(page.getByTestId('milestones').locator('tr[data-milestone="detected"]')).toContainText('by a choice');

  // ---------------------------------------------------------------- Blue team decides by click
  await blueTab.click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/team-1$`));
  await decisionPanel.getByRole('radio', { name: new RegExp(optionLabel(contain, 'deactivate')) }).check();
  await decisionPanel.getByLabel(/^Rationale/).fill('Deactivation is reversible and stops the key at once');
  await decisionPanel.getByLabel('Decided by').fill('Alice (Incident commander)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);
  await expect(page.getByTestId('milestones').locator('tr[data-milestone="contained"]')).toContainText('by a choice');

  // ---------------------------------------------------------------- pause (Space): the clock stands still; resume
  await focusPage(page);
  await page.keyboard.press(' ');
  await expect(status).toHaveText('Paused');
  const frozen = await clock.textContent();
  // The wall clock goes on: two of its ticks (a whole second apart) pass while the scenario clock does not move.
  const wall = page.getByTestId('wall-clock');
  for (let tick = 0; tick < 2; tick++) {
    const shown = await wall.textContent();
    await expect(wall).not.toHaveText(shown ?? '');
  }
  await expect(clock).toHaveText(frozen!);
  await page.getByRole('button', { name: /^Resume/ }).click();
  await expect(status).toHaveText('Running');

  // ---------------------------------------------------------------- keyboard help
  await focusPage(page);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Pause or resume the exercise clock');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // ---------------------------------------------------------------- Red team: a contingency by hand, then a milestone by key (confirmed)
  await redTab.click();
  const contingencies = page.getByTestId('contingencies');
  await contingencies.getByRole('button', { name: `Fire now: ${cisoCall.title}` }).click();
  await expect(contingencies.locator(`[data-contingency="${cisoCall.id}"]`)).toContainText('Fired by hand at');
  await expect(inject.getByRole('heading', { name: cisoCall.title })).toBeVisible();

  await focusPage(page);
  await page.keyboard.press('c');
  const confirmMilestone = page.getByRole('dialog', { name: 'Mark this milestone?' });
  await expect(confirmMilestone).toContainText(milestoneLabel('contained'));
  await expect(confirmMilestone).toContainText('Red team');
  await confirmMilestone.getByRole('button', { name: 'Mark reached' }).click();
  await expect(confirmMilestone).toBeHidden();
  const contained = page.getByTestId('milestones').locator('tr[data-milestone="contained"]');
  await expect(contained).toContainText('marked by hand');
  // A second press does nothing: the milestone is already reached.
  await focusPage(page);
  await page.keyboard.press('c');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // ---------------------------------------------------------------- Blue team: a rated observation against an objective
  await blueTab.click();
  const notes = page.getByTestId('notes');
  await notes.getByLabel('Note', { exact: true }).fill('Named an incident commander within a minute; checked CloudTrail before containing');
  await notes.getByLabel(/^Objective/).selectOption('obj-contain');
  await notes.getByRole('radio', { name: 'S', exact: true }).check();
  await notes.getByRole('button', { name: 'Add note' }).click();
  await expect(notes.getByTestId('notes-list')).toContainText('Named an incident commander within a minute');
  await expect(notes.getByTestId('notes-list').locator('.rating-badge')).toHaveText('S');
  await expect(notes.getByLabel('Note', { exact: true })).toHaveValue('');

  // ---------------------------------------------------------------- the presenter of Blue team is accessible
  const popup = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Open presenter for Blue team' }).click();
  const presenterHref = await page.getByTestId('presenter-link').getAttribute('href');
  expect(presenterHref).toMatch(new RegExp(`/#/present/${sessionId}/team-1&token=[0-9a-f]{64}$`));
  const presenter = await popup;
  await presenter.setViewportSize({ width: 1280, height: 720 });
  await expect(presenter).toHaveURL(new RegExp(`/#/present/${sessionId}/team-1$`));
  await expect(presenter.getByRole('heading', { name: 'Blue team' })).toBeVisible();
  await expect(presenter.getByTestId('presenter-inject')).toContainText(guardDutyInject.title);
  expect(await seriousA11yViolations(presenter)).toEqual([]);
  await presenter.screenshot({ path: test.info().outputPath('presenter.png') });
  await presenter.close();

  // ---------------------------------------------------------------- on to 12:00: each team gets the inject its choice led to
  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(clock).toHaveText(/^12:0\d$/);
  await expect(inject.getByRole('heading', { name: scopeInject.title })).toBeVisible();
  await redTab.click();
  await expect(inject.getByRole('heading', { name: pressureInject.title })).toBeVisible();
  await expect(decisionPanel.getByRole('heading', { name: recover.title })).toBeVisible();

  // Blue team finishes.
  await blueTab.click();
  await decisionPanel.getByRole('radio', { name: new RegExp(optionLabel(recover, 'federate').slice(0, 40)) }).check();
  await decisionPanel.getByLabel(/^Rationale/).fill('No long-term key left to leak');
  await decisionPanel.getByLabel('Decided by').fill('Alice (Incident commander)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByTestId('ending')).toContainText(federated.title);
  await expect(blueTab).toContainText('finished');

  // ---------------------------------------------------------------- end, after a confirmation
  await page.getByRole('button', { name: 'End exercise…' }).click();
  const confirmEnd = page.getByRole('dialog', { name: 'End the exercise?' });
  await confirmEnd.getByRole('button', { name: 'Keep going' }).click();
  await expect(confirmEnd).toBeHidden();
  await expect(status).toHaveText('Running');
  await page.getByRole('button', { name: 'End exercise…' }).click();
  await confirmEnd.getByLabel(/^Reason/).fill('Out of time');
  await confirmEnd.getByRole('button', { name: 'End exercise now' }).click();
  await expect(status).toHaveText('Ended');
  await redTab.click();
  await expect(page.getByTestId('ending')).toContainText('Ended before Red team reached an ending');
  await expect(page.getByRole('button', { name: /Next inject/ })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('console-ended.png'), fullPage: true });

  // ---------------------------------------------------------------- the log holds exactly what was done
  const state = await call(host, 'sessions.get', { sessionId });
  expect(state.milestoneTargets.contained).toBe(8 * 60_000);
  expect(state.seed).toBe('e2e-seed');
  expect(state.teams.map((t) => ({ name: t.name, participants: t.participants }))).toEqual([
    { name: 'Blue team', participants: [{ name: 'Alice', role: 'Incident commander' }] },
    { name: 'Red team', participants: [{ name: 'Bob', role: 'Cloud platform engineer' }] },
  ]);
  const log = await call(host, 'sessions.events', { sessionId, afterSeq: 0 });
  const of = (type: string, teamId?: string | null) => log.filter((e) => e.type === type && (teamId === undefined || e.teamId === teamId));

  expect(of('decision.recorded', 'team-2').map((e) => e.payload)).toEqual([
    { decisionId: contain.id, optionId: 'wait', rationale: 'The quarantine policy should hold for now', decidedBy: 'Bob (Cloud platform engineer)' },
  ]);
  expect(of('decision.recorded', 'team-1').map((e) => e.payload)).toEqual([
    { decisionId: contain.id, optionId: 'deactivate', rationale: 'Deactivation is reversible and stops the key at once', decidedBy: 'Alice (Incident commander)' },
    { decisionId: recover.id, optionId: 'federate', rationale: 'No long-term key left to leak', decidedBy: 'Alice (Incident commander)' },
  ]);
  expect(of('milestone.reached', 'team-2').map((e) => e.payload)).toEqual([
    { milestoneId: 'detected', source: 'choice' },
    { milestoneId: 'contained', source: 'facilitator' },
  ]);
  expect(of('milestone.reached', 'team-1').map((e) => e.payload)).toEqual(
    expect.arrayContaining([
      { milestoneId: 'detected', source: 'choice' },
      { milestoneId: 'contained', source: 'choice' },
      { milestoneId: 'recovered', source: 'choice' },
    ]),
  );
  expect(of('contingency.fired', 'team-2').map((e) => e.payload)).toEqual([{ contingencyId: cisoCall.id, manual: true }]);
  expect(of('contingency.fired', 'team-1')).toEqual([]);
  expect(of('note.added', 'team-1').map((e) => e.payload)).toEqual([
    {
      text: 'Named an incident commander within a minute; checked CloudTrail before containing',
      objectiveId: 'obj-contain',
      rating: 'S',
      author: 'Fran Facilitator',
    },
  ]);
  expect(of('clock.paused')).toHaveLength(1);
  expect(of('clock.resumed')).toHaveLength(1);
  expect(of('clock.paused')[0]!.seq).toBeLessThan(of('clock.resumed')[0]!.seq);
  expect(of('clock.jumped')).toHaveLength(3);
  expect(of('session.ended').map((e) => e.payload)).toEqual([{ reason: 'Out of time' }]);
  expect(of('team.ended', 'team-1').map((e) => e.payload)).toEqual([{ nodeId: federated.id, result: 'success' }]);
  expect(of('inject.delivered', 'team-1').map((e) => (e.payload as { nodeId: string }).nodeId)).toEqual([alertInject.id, healthInject.id, guardDutyInject.id, scopeInject.id]);

  // ---------------------------------------------------------------- the library lists the session, with a way back to its console
  await page.getByRole('link', { name: /Library and sessions/ }).click();
  const sessions = page.getByTestId('sessions-list');
  const row = sessions.getByRole('row', { name: /E2E exercise/ });
  await expect(row).toContainText('Ended');
  await expect(row).toContainText(sample.meta.title);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('library-sessions.png'), fullPage: true });
  await row.getByRole('link', { name: /E2E exercise/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/team-1$`));
  await expect(status).toHaveText('Ended');

  expect(await cspViolations()).toEqual([]);
});

test('what was typed for a decision that runs out of time is kept and can become a note', async ({ page, host }) => {
  const session = await call(host, 'sessions.create', {
    scenarioId: sample.meta.id,
    name: 'Time limit',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });
  await call(host, 'sessions.recordDecision', { sessionId: session.id, teamId: 'team-1', decisionId: contain.id, optionId: 'deactivate' });

  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-2`);
  const decisionPanel = page.getByTestId('decision-panel');
  await decisionPanel.getByLabel(/^Rationale/).fill('Still arguing about who owns the key');
  await decisionPanel.getByLabel('Decided by').fill('Bob');

  // N would move the clock past Red team's time limit: it asks first, and Cancel changes nothing.
  await focusPage(page);
  await page.keyboard.press('n');
  const confirmJump = page.getByRole('dialog', { name: 'Move the clock on?' });
  await expect(confirmJump).toContainText('Red team');
  await confirmJump.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('scenario-clock')).toHaveText('05:00');
  await page.getByRole('button', { name: /Next inject/ }).click();
  await confirmJump.getByRole('button', { name: 'Move on to 12:00' }).click();

  // The time ran out (the default option was taken); what was typed is still there.
  await expect(page.getByTestId('event-log')).toContainText(`Time ran out on “${contain.title}”`);
  const unrecorded = page.getByTestId('unrecorded-decision');
  await expect(unrecorded).toContainText('Still arguing about who owns the key');
  await unrecorded.getByRole('button', { name: 'Move it to a note' }).click();
  await expect(unrecorded).toHaveCount(0);
  const note = page.getByTestId('notes').getByLabel('Note', { exact: true });
  await expect(note).toBeFocused();
  await expect(note).toHaveValue(`Rationale for “${contain.title}” (not recorded; Bob): Still arguing about who owns the key`);
  await page.getByTestId('notes').getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('notes-list')).toContainText('Still arguing about who owns the key');
});
