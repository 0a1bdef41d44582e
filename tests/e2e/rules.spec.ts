import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startHost, stopHost, test, type RunningHost } from './fixtures.ts';
import { call, startedSession } from './support.ts';

/**
 * Richer rules (format 1.1) in the real console, with the fixture scenario
 * tests/fixtures/rules/rules-scenario.json on the manual clock:
 * - injects add to "Records copied" as they are delivered, and the branch after
 *   the containment decision reads it (more than 10,000: "The notification
 *   clock is running");
 * - "Notify the regulator now" is offered only once "Detected" is reached:
 *   it appears in the open decision when the facilitator marks it;
 * - "A journalist calls" fires whenever more than 10,000 records are out, at
 *   least 5 minutes apart, twice at most; "The backup team reports" fires
 *   8 minutes after "The copying goes on" if the team has contained, and its
 *   effects offer "Rebuild the bucket from the verified backups".
 */

let host: RunningHost;
let dataDir: string;
let scenariosDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandtable-rules-data-'));
  scenariosDir = mkdtempSync(join(tmpdir(), 'sandtable-rules-scenarios-'));
  copyFileSync('tests/fixtures/rules/rules-scenario.json', join(scenariosDir, 'rules-scenario.json'));
  host = await startHost(dataDir, { scenariosDir });
});

test.afterAll(async () => {
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scenariosDir, { recursive: true, force: true });
});

test('a conditional option appears, a contingency repeats, and an inject sets a variable a branch reads', async ({ page }) => {
  const session = await startedSession(host, {
    scenarioId: 'rules-fixture',
    name: 'Richer rules',
    seed: 'rules',
    facilitator: 'Fran Facilitator',
    participants: [{ name: 'Alice Archer', role: 'Incident commander' }],
  });
  const sessionId = session.id;

  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${sessionId}/team-1`);
  await expect(page.getByTestId('session-status')).toHaveText('Manual clock');

  // 00:00: the first inject adds 5,000 records.
  const variables = page.getByTestId('variables');
  await expect(variables.locator('[data-variable="records"]')).toContainText('5,000 records');
  await expect(variables.locator('[data-variable="backupsVerified"]')).toContainText('no');
  const press = page.getByTestId('contingencies').locator('[data-contingency="c-press"]');
  await expect(press.getByTestId('contingency-status')).toHaveText('Not fired yet');

  // 00:05: 8,000 more; over 10,000, the journalist calls for the first time.
  await call(host, 'sessions.advance', { sessionId });
  await expect(variables.locator('[data-variable="records"]')).toContainText('13,000 records');
  await expect(press.getByTestId('contingency-status')).toHaveText('Fired 1 time, last automatically at 05:00; next possible at 10:00');

  // The decision opens without the conditional option ...
  const panel = page.getByTestId('decision-panel');
  await expect(panel.getByRole('radio')).toHaveCount(2);
  await expect(panel.getByRole('radio', { name: /Notify the regulator now/ })).toHaveCount(0);
  // ... and offers it as soon as "Detected" is reached while it is open.
  await page.getByRole('button', { name: 'Mark reached: Detected' }).click();
  await expect(panel.getByRole('radio', { name: /Notify the regulator now/ })).toBeVisible();
  await expect(panel.getByRole('radio')).toHaveCount(3);
  // The room sees the same options.
  const room = await call(host, 'presenter.view', { sessionId, teamId: 'team-1' });
  expect(room.decision?.options.map((o) => o.id)).toEqual(['revoke', 'watch', 'notify']);

  await panel.getByRole('radio', { name: /Revoke the role's sessions/ }).check();
  await panel.getByRole('button', { name: 'Record decision' }).click();
  await expect(panel).toHaveCount(0);

  // The branch read the records the injects added: more than 10,000.
  const log = page.getByTestId('event-log');
  await expect(log).toContainText('Branch “How many records left?” → The notification clock is running');

  // 00:15: on the way, the journalist calls again at 00:10 (its most), the backup team reports at 00:13.
  await call(host, 'sessions.advance', { sessionId });
  await expect(press.getByTestId('contingency-status')).toHaveText('Fired 2 times, last automatically at 10:00; no more (2 at most)');
  await expect(press.getByRole('button', { name: /Fire now/ })).toHaveCount(0);
  await expect(page.getByTestId('contingencies').locator('[data-contingency="c-backup"]').getByTestId('contingency-status')).toHaveText('Fired automatically at 13:00');
  await expect(variables.locator('[data-variable="backupsVerified"]')).toContainText('yes');
  await expect(page.getByTestId('current-inject')).toContainText('The notification clock is running');
  // The backup team's report (a contingency's effects) offers the rebuild.
  await expect(page.getByTestId('decision-panel').getByRole('radio', { name: /Rebuild the bucket from the verified backups/ })).toBeVisible();

  const state = await call(host, 'sessions.get', { sessionId });
  expect(state.teams[0]!.contingencies['c-press']).toEqual({ firedAt: 10 * 60_000, manual: false, count: 2, nextPossibleMs: null });
  expect(state.teams[0]!.variables).toEqual({ records: 13_000, backupsVerified: true });

  // The debrief shows the variables as the injects and the contingency left them.
  await call(host, 'sessions.end', { sessionId, reason: 'Done' });
  await page.goto(`${host.origin}/#/debrief/${sessionId}`);
  const debriefVariables = page.getByTestId('debrief-variables');
  await expect(debriefVariables).toContainText('records: 13000');
  await expect(debriefVariables).toContainText('backupsVerified: yes');
});

test('the service refuses an option that is not on offer, with a clear error', async () => {
  const session = await startedSession(host, { scenarioId: 'rules-fixture', name: 'Refusal', seed: 'rules', facilitator: 'Fran Facilitator', advances: 1 });
  await expect(
    call(host, 'sessions.recordDecision', { sessionId: session.id, teamId: 'team-1', decisionId: 'd-contain', optionId: 'notify', rationale: '', decidedBy: '' }),
  ).rejects.toThrow(/Option notify of decision d-contain is not on offer now: it is offered only while milestone "Detected" is reached/);
});

test('an option picked in the form and then withdrawn (its condition undone) is not recorded', async ({ page }) => {
  const session = await startedSession(host, { scenarioId: 'rules-fixture', name: 'Withdrawn option', seed: 'rules', facilitator: 'Fran Facilitator', advances: 1 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  await expect(page.getByTestId('session-status')).toHaveText('Manual clock');

  const panel = page.getByTestId('decision-panel');
  await page.getByRole('button', { name: 'Mark reached: Detected' }).click();
  await panel.getByRole('radio', { name: /Notify the regulator now/ }).check();
  // Undoing the milestone withdraws the option the form had picked: the form no longer holds it.
  await page
    .getByTestId('undo')
    .getByRole('button', { name: /Undo last action/ })
    .click();
  await expect(panel.getByRole('radio', { name: /Notify the regulator now/ })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Record decision' })).toBeDisabled();
  await expect(panel).toContainText('Choose an option first.');
});
