import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { call, horizontalOverflow, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * The scenario studio (issue #17), end to end: the real renderer against the
 * real web host and its store, nothing mocked, at a laptop's 1366×768.
 *
 * 1. A scenario written from nothing: three injects (one carrying a
 *    CloudTrail record pasted as AWS documents it), a decision whose two
 *    options lead to two endings, a milestone of its own — with undo and
 *    redo, a problem followed to its field, a reload that loses nothing —
 *    then published, rehearsed, and run for two teams.
 * 2. An MSEL spreadsheet imported as a draft, every "To be written"
 *    placeholder filled in in the studio, then published.
 */

/** A failed root console sign-in, as AWS's CloudTrail user guide prints it (tests/fixtures/real-records/README.md). */
const CLOUDTRAIL_RECORD = readFileSync('tests/fixtures/real-records/cloudtrail/console-sign-in-08.json', 'utf8');

function studio(page: Page) {
  const form = page.getByTestId('studio-form');
  return {
    form,
    /** The input of a value of the draft, found by its JSON pointer (every studio input carries one). */
    field: (pointer: string): Locator => form.locator(`[data-pointer="${pointer}"]`).first(),
    /** The option chosen in the select of a value. */
    chosen: (pointer: string): Locator => form.locator(`select[data-pointer="${pointer}"] option:checked`),
    problems: page.getByTestId('studio-problems'),
    saveStatus: page.getByTestId('save-status'),
    graph: page.getByTestId('branch-graph'),
    step: (id: string): Locator => page.getByTestId('branch-graph').locator(`[data-step-id="${id}"]`),
    section: (name: string): Locator => page.getByRole('navigation', { name: 'Parts of the scenario' }).getByRole('button', { name, exact: true }),
  };
}

/** Waits until every edit is in the store. */
async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
}

test('a scenario written from nothing in the studio is published, rehearsed and run for two teams', async ({ page, host }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);

  // ---------------------------------------------------------------- a new draft from the library
  await page.getByRole('button', { name: 'New scenario' }).click();
  await expect(page).toHaveURL(/#\/studio\/[^/]+$/);
  const draftId = decodeURIComponent(/#\/studio\/([^/?&]+)/.exec(page.url())![1]!);
  const s = studio(page);
  await expect(page.getByRole('heading', { level: 1, name: 'New scenario' })).toBeVisible();
  await expect(s.problems).toContainText('No problems');
  expect(await seriousA11yViolations(page), 'studio, new draft: axe').toEqual([]);
  expect(await horizontalOverflow(page), 'studio at 1366×768').toEqual([]);

  // ---------------------------------------------------------------- about the scenario
  await s.field('/meta/id').fill('studio-leaked-key');
  await s.field('/meta/title').fill('Leaked access key, written in the studio');
  await expect(page.getByRole('heading', { level: 1, name: 'Leaked access key, written in the studio' })).toBeVisible();
  await s.field('/meta/summary').fill('An access key of the build pipeline is used from an unknown address; the team must contain it.');
  await s.field('/meta/sensitivity').fill('TLP:CLEAR — fictional exercise material');

  // A milestone of its own, beside the four every scenario has.
  await s.section('Milestones').click();
  await s.form.getByRole('button', { name: 'Add milestone' }).click();
  await s.field('/milestones/4/id').fill('escalated');
  await s.field('/milestones/4/label').fill('Escalated to the CISO');
  await s.field('/milestones/4/targetMinutes').fill('10');

  // ---------------------------------------------------------------- three injects, from the map
  await s.step('inject-1').click();
  await expect(s.field('/timeline/0/title')).toHaveValue('Something happens');
  await s.field('/timeline/0/title').fill('The SOC sees API calls from an unknown address');
  await s.field('/timeline/0/narrative').fill('The SOC forwards an alert: **ListBuckets** and **GetObject** from 203.0.113.45 with the build key.');

  const addType = page.getByLabel('Add', { exact: true });
  await addType.selectOption('inject');
  await page.getByTestId('map-add').click();
  await expect(page.getByRole('status').filter({ hasText: 'Added inject “inject-2” after “inject-1”.' })).toBeVisible();
  // The new inject went into the path: inject-1 → inject-2 → the decision.
  await expect(s.field('/timeline/1/id')).toHaveValue('inject-2');
  await expect(s.chosen('/timeline/1/next')).toContainText('What do you do?');
  await s.field('/timeline/1/title').fill('A failed root sign-in');
  await s.field('/timeline/1/narrative').fill('Minutes later CloudTrail records a failed console sign-in to the root user.');

  // The CloudTrail record, pasted as AWS documents it, becomes the inject's evidence.
  await s.form.getByLabel('Paste a record (CloudTrail, GuardDuty or Security Hub JSON)').fill(CLOUDTRAIL_RECORD);
  await s.form.getByRole('button', { name: 'Add as evidence' }).click();
  await expect(s.form.getByText('No evidence attached.')).toHaveCount(0);

  await page.getByTestId('map-add').click();
  await expect(s.field('/timeline/2/id')).toHaveValue('inject-3');
  await s.field('/timeline/2/title').fill('The CISO asks for an update');
  await s.field('/timeline/2/narrative').fill('The CISO calls: is customer data at risk?');
  await s.form.getByRole('group', { name: 'Milestones reached (optional)' }).getByLabel('Escalated to the CISO').check();

  // Undo and redo, by key and by button, are one step per field edit.
  const title = s.field('/timeline/2/title');
  await title.fill('The CISO asks');
  await page.keyboard.press('Control+z');
  await expect(title).toHaveValue('The CISO asks for an update');
  await page.keyboard.press('Control+Shift+z');
  await expect(title).toHaveValue('The CISO asks');
  await page.getByRole('button', { name: /^Undo/ }).click();
  await expect(title).toHaveValue('The CISO asks for an update');
  await page.keyboard.press('Control+y');
  await expect(title).toHaveValue('The CISO asks');
  await page.keyboard.press('Control+z');
  await expect(title).toHaveValue('The CISO asks for an update');

  // ---------------------------------------------------------------- the decision and its two endings
  await s.step('decision-1').click();
  const decision = '/timeline/3';
  await s.field(`${decision}/title`).fill('Deactivate the key now?');
  await s.field(`${decision}/prompt`).fill('The key is still active. What do you do?');
  await s.field(`${decision}/options/0/label`).fill('Deactivate the key and rotate it');
  await s.field(`${decision}/options/1/label`).fill('Watch for another hour');
  await expect(s.chosen(`${decision}/options/0/next`)).toContainText('Handled well');
  await expect(s.chosen(`${decision}/options/1/next`)).toContainText('Handled badly');
  // Connected on the map (then taken back): the second option to the good ending.
  await page.getByText('Connect “Deactivate the key now?” to another step').click();
  await page.getByLabel('Exit', { exact: true }).selectOption({ label: 'Watch for another hour (now “end-bad”)' });
  await page.getByLabel('to', { exact: true }).selectOption('end-good');
  await page.getByTestId('map-connect').click();
  await expect(s.chosen(`${decision}/options/1/next`)).toContainText('Handled well');
  await page.keyboard.press('Control+z');
  await expect(s.chosen(`${decision}/options/1/next`)).toContainText('Handled badly');
  await s.step('end-good').click();
  await s.field('/timeline/4/title').fill('Contained within the hour');
  await s.step('end-bad').click();
  await s.field('/timeline/5/title').fill('The data is on a paste site');

  // ---------------------------------------------------------------- a problem, followed to its field
  await s.step('inject-3').click();
  await s.field('/timeline/2/narrative').fill('');
  const problem = s.problems.locator('[data-problem-pointer="/timeline/2/narrative"]');
  await expect(problem).toBeVisible();
  await s.step('inject-1').click();
  await problem.click();
  await expect(s.field('/timeline/2/narrative')).toBeFocused();
  await page.keyboard.type('The CISO calls: is customer data at risk?');
  await expect(s.problems).toContainText('No problems');

  // ---------------------------------------------------------------- a step added and deleted on the map
  await addType.selectOption('random');
  await page.getByTestId('map-add').click();
  await expect(s.step('random-1')).toBeVisible();
  await page.getByTestId('map-delete').click();
  await expect(s.step('random-1')).toHaveCount(0);
  await expect(s.problems).toContainText('No problems');

  // ---------------------------------------------------------------- a contingency added and deleted, each one undo step
  const contingencyList = page.getByRole('navigation', { name: 'Parts of the scenario' }).getByRole('list', { name: 'Contingencies' });
  await contingencyList.getByRole('button', { name: 'Add contingency' }).click();
  await expect(s.field('/contingencies/0/title')).toHaveValue('Contingency');
  await expect(s.problems).toContainText('No problems');
  await page.keyboard.press('Control+z');
  await expect(contingencyList.getByRole('button', { name: /^Contingency:/ })).toHaveCount(0);
  await page.keyboard.press('Control+y');
  await expect(contingencyList.getByRole('button', { name: /^Contingency:/ })).toHaveCount(1);
  await contingencyList.getByRole('button', { name: 'Delete contingency Contingency' }).click();
  await expect(contingencyList.getByRole('button', { name: /^Contingency:/ })).toHaveCount(0);
  await expect(s.problems).toContainText('No problems');

  // ---------------------------------------------------------------- nothing lost on a reload
  await saved(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Leaked access key, written in the studio' })).toBeVisible();
  await s.step('inject-2').click();
  await expect(s.field('/timeline/1/title')).toHaveValue('A failed root sign-in');
  const stored = await call(host, 'studio.get', { draftId });
  const storedDocument = stored.document as { timeline: { id: string }[]; evidence: { kind: string }[] };
  expect(storedDocument.timeline.map((n) => n.id)).toEqual(['inject-1', 'inject-2', 'inject-3', 'decision-1', 'end-good', 'end-bad']);
  expect(storedDocument.evidence.map((e) => e.kind)).toEqual(['cloudtrail']);
  await expect(s.problems).toContainText('No problems');
  expect(await seriousA11yViolations(page), 'studio, written draft: axe').toEqual([]);
  expect(await horizontalOverflow(page), 'studio at 1366×768, written').toEqual([]);
  await page.screenshot({ path: test.info().outputPath('studio.png'), fullPage: true });

  // ---------------------------------------------------------------- publish
  await page.getByTestId('publish').click();
  const published = page.getByTestId('published');
  await expect(published).toContainText('Published version 1.0.0 of “Leaked access key, written in the studio” to the library.');
  const library = await call(host, 'library.list', {});
  expect(library.scenarios.find((x) => x.id === 'studio-leaked-key')?.source).toBe('imported');

  // ---------------------------------------------------------------- rehearse: defaults, then the other option
  const rehearse = page.getByTestId('rehearse');
  await rehearse.getByRole('button', { name: 'Rehearse' }).click();
  await expect(rehearse.getByTestId('rehearsal-ending')).toContainText('Contained within the hour');
  await expect(rehearse.getByTestId('rehearsal-path')).toContainText('A failed root sign-in');
  await expect(rehearse.getByTestId('rehearsal-milestones').getByRole('row', { name: /Escalated to the CISO/ })).toContainText('at ');
  await rehearse.getByLabel('Options I choose').check();
  await rehearse.getByLabel('Deactivate the key now?').selectOption({ label: 'Watch for another hour' });
  await rehearse.getByRole('button', { name: 'Rehearse' }).click();
  await expect(rehearse.getByTestId('rehearsal-ending')).toContainText('The data is on a paste site');
  expect(await seriousA11yViolations(page), 'studio, rehearsed: axe').toEqual([]);

  // ---------------------------------------------------------------- run it for two teams
  await published.getByRole('link', { name: 'Run it' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Set up a session' })).toBeVisible();
  await page.getByLabel('Session name').fill('Studio drill');
  await page.getByLabel('Facilitator', { exact: true }).fill('Fran');
  await page.getByLabel('Team name').fill('Blue team');
  await page.getByRole('button', { name: 'Add a team' }).click();
  await page.getByLabel('Team name').nth(1).fill('Red team');
  await page.getByRole('button', { name: /Create session/ }).click();
  await expect(page).toHaveURL(/#\/sessions\/[0-9a-f-]{36}\/team-1$/);
  const sessionId = /#\/sessions\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
  await page.getByRole('button', { name: 'Start exercise' }).click();
  // The three injects arrive one after the other (only the first has a time), then the decision opens.
  const decisionPanel = page.getByTestId('decision-panel');
  await expect(decisionPanel.getByRole('heading', { name: 'Deactivate the key now?' })).toBeVisible();
  const log = page.getByTestId('event-log');
  for (const inject of ['The SOC sees API calls from an unknown address', 'A failed root sign-in', 'The CISO asks for an update']) await expect(log).toContainText(inject);
  await decisionPanel.getByRole('radio', { name: /Deactivate the key and rotate it/ }).check();
  await decisionPanel.getByLabel('Decided by').fill('Alice (incident commander)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);
  await page.getByRole('tab', { name: /Red team/ }).click();
  await decisionPanel.getByRole('radio', { name: /Watch for another hour/ }).check();
  await decisionPanel.getByLabel('Decided by').fill('Bob (cloud engineer)');
  await decisionPanel.getByRole('button', { name: 'Record decision' }).click();
  await expect(decisionPanel).toHaveCount(0);
  // Each team reached the ending its choice leads to; the session runs the published scenario, its evidence with it.
  const session = await call(host, 'sessions.get', { sessionId });
  expect(session.scenarioId).toBe('studio-leaked-key');
  expect(session.teams.map((t) => [t.name, t.ended?.nodeId])).toEqual([
    ['Blue team', 'end-good'],
    ['Red team', 'end-bad'],
  ]);
  const ran = await call(host, 'sessions.scenario', { sessionId });
  expect(ran.evidence.map((e) => e.kind)).toEqual(['cloudtrail']);
  expect(ran.milestones.map((m) => m.id)).toContain('escalated');
  expect(await cspViolations()).toEqual([]);
});

test('an MSEL spreadsheet imported as a draft has every placeholder written in the studio, then is published', async ({ page, host }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);

  // ---------------------------------------------------------------- the MSEL import (as tests/e2e/interop.spec.ts drives it)
  await page.getByRole('link', { name: 'Import an MSEL spreadsheet (CSV or Excel)…' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a CSV or Excel file…' }).click();
  await (await chooser).setFiles(join('tests/fixtures/msel', 'harbour-lights.csv'));
  await page.getByRole('button', { name: 'Import as a new scenario draft' }).click();
  await expect(page.getByTestId('import-done')).toContainText('Imported harbour-lights into the library.');

  // ---------------------------------------------------------------- Edit, from the library
  await page.goto(host.url.replace(/#.*$/, '#/library'));
  const card = page.getByTestId('scenario-card').filter({ has: page.getByRole('heading', { name: /harbour/i }) });
  await card.getByRole('button', { name: /^Edit/ }).click();
  await expect(page).toHaveURL(/#\/studio\/[^/]+$/);
  const s = studio(page);
  await expect(s.problems).not.toHaveAttribute('data-checked', '0');
  await expect(page.getByText('From an MSEL spreadsheet')).toBeVisible();

  // ---------------------------------------------------------------- every placeholder, from the list, into its field
  const placeholders = page.getByTestId('studio-placeholders');
  const count = await placeholders.locator('[data-placeholder-pointer]').count();
  expect(count).toBeGreaterThan(3);
  for (let written = 0; written < count; written++) {
    const next = placeholders.locator('[data-placeholder-pointer]').first();
    const pointer = (await next.getAttribute('data-placeholder-pointer'))!;
    await next.click();
    const field = s.field(pointer);
    await expect(field, `the field of ${pointer}`).toBeFocused();
    await field.fill(replacement(pointer));
    await expect(placeholders.locator(`[data-placeholder-pointer="${pointer}"]`)).toHaveCount(0);
  }
  await expect(placeholders).toHaveCount(0);
  await expect(s.problems).toContainText('No problems');
  expect(await seriousA11yViolations(page), 'studio, MSEL draft: axe').toEqual([]);
  expect(await horizontalOverflow(page), 'studio at 1366×768, MSEL draft').toEqual([]);

  // ---------------------------------------------------------------- published over the import: the version goes up, the old one is kept
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText(/Published version 0\.2\.0 of .* \(version 0\.1\.0 is kept\)/);
  const scenario = await call(host, 'library.get', { id: 'harbour-lights' });
  expect(JSON.stringify(scenario)).not.toMatch(/to be written/i);
  expect(scenario.meta.sensitivity).toBe('TLP:AMBER — exercise material');
  const versions = await call(host, 'studio.versions', { scenarioId: 'harbour-lights' });
  expect(versions.versions.map((v) => v.version)).toEqual(['0.1.0', '0.2.0']);
  expect(await cspViolations()).toEqual([]);
});

/** What the trainer writes in place of a placeholder, by where it is. */
function replacement(pointer: string): string {
  if (pointer === '/meta/sensitivity') return 'TLP:AMBER — exercise material';
  if (pointer.endsWith('/name')) return 'Harbour Lights exercise team';
  if (pointer.startsWith('/meta/audience')) return 'Payroll and IT operations';
  if (pointer.startsWith('/objectives')) return 'Decide quickly whether to disable a compromised payroll account.';
  if (pointer.endsWith('/note')) return 'Steers the team back to detection: reached once they confirm the sign-ins.';
  return `Written in the studio for ${pointer.split('/').slice(1, 3).join(' ')}.`;
}

test('after a save conflict the edits made in this window can be downloaded', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New scenario' }).click();
  await expect(page).toHaveURL(/#\/studio\/[^/]+$/);
  const draftId = decodeURIComponent(/#\/studio\/([^/?&]+)/.exec(page.url())![1]!);
  const s = studio(page);
  await s.field('/meta/title').fill('Saved here first');
  await saved(page);
  // Another window saves its copy first.
  const stored = await call(host, 'studio.get', { draftId });
  const theirs = stored.document as { meta: Record<string, unknown> };
  await call(host, 'studio.save', { draftId, revision: stored.revision, document: { ...theirs, meta: { ...theirs.meta, title: 'From the other window' } } });
  await s.field('/meta/title').fill('Only in this window');
  await expect(s.saveStatus).toHaveAttribute('data-status', 'conflict');
  const notice = page.getByRole('alert').filter({ hasText: 'This draft was saved in another window.' });
  const downloading = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download my version (.json)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-my-version\.json$/);
  const text = readFileSync(await download.path(), 'utf8');
  expect((JSON.parse(text) as { meta: { title: string } }).meta.title).toBe('Only in this window');
  // The store still has the other window's copy.
  expect(((await call(host, 'studio.get', { draftId })).document as { meta: { title: string } }).meta.title).toBe('From the other window');
});

test('leaving the studio with changes not saved yet is refused until they are saved (what the desktop app asks about)', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New scenario' }).click();
  await expect(page).toHaveURL(/#\/studio\/[^/]+$/);
  const s = studio(page);
  await saved(page);

  // An edit not saved yet: the page refuses to unload, and starts the save. Its saves are held on their way to the host
  // until the question has been asked, so that the edit is still unsaved however slow the machine is (it saves 0.8 s after a keystroke).
  let release = () => {};
  const held = new Promise<void>((done) => (release = done));
  await page.route('**/api/call', async (route) => {
    if (route.request().postDataJSON()?.method === 'studio.save') await held;
    await route.continue();
  });
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss(); // stay
  });
  await s.field('/meta/title').fill('A title not saved yet');
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  release();
  await saved(page);

  // Saved: nothing is refused, and the page closes.
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(asked).toEqual(['beforeunload']);
});
