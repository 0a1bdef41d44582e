import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { FIELD_HEADERS, SCENARIO_COLUMNS, SESSION_COLUMNS } from '../../src-main/core/msel/columns.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, startHost, stopHost, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * Files in and out through the UI: an MSEL and a bundle exported from a
 * scenario's preview (saved as real downloads under the strict CSP), MSEL
 * spreadsheets previewed and imported as draft scenarios, undo in the
 * console, and a session archive exported from one host and imported into a
 * fresh one.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
const FIXTURES = 'tests/fixtures/msel';

function decision(id: string): Extract<ScenarioInput['timeline'][number], { type: 'decision' }> {
  const found = sample.timeline.find((n) => n.id === id);
  if (found?.type !== 'decision') throw new Error(`The sample has no decision ${id}.`);
  return found;
}
const contain = decision('d-contain');
const optionLabel = (id: string) => contain.options.find((o) => o.id === id)!.label;

/** Clicks a button that saves a file, and returns the browser's download. */
async function downloadBy(page: Page, click: () => Promise<void>): Promise<Download> {
  const download = page.waitForEvent('download');
  await click();
  return download;
}

async function bytesOf(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

/** Chooses a file through a button that opens the browser's file picker. */
async function chooseFile(page: Page, button: string, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: button }).click();
  await (await chooser).setFiles(path);
}

let folder: string;
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sandtable-interop-'));
});
test.afterEach(() => rmSync(folder, { recursive: true, force: true }));

test('a scenario preview saves its MSEL and its bundle as downloads, under the strict CSP', async ({ page, host }) => {
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);
  await page
    .getByTestId('scenario-card')
    .filter({ hasText: sample.meta.title })
    .getByRole('link', { name: /^Preview/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: sample.meta.title })).toBeVisible();
  const url = page.url();

  const msel = await downloadBy(page, () => page.getByRole('button', { name: 'Export MSEL (CSV)' }).click());
  expect(msel.suggestedFilename()).toMatch(/\.csv$/);
  const csv = (await bytesOf(msel)).toString('utf8');
  expect(csv.startsWith('\ufeff')).toBe(true);
  const [header] = csv.slice(1).split('\r\n');
  expect(header).toBe(SCENARIO_COLUMNS.map((field) => FIELD_HEADERS[field]).join(','));
  const alert = sample.timeline.find((n) => n.id === 'i-alert');
  if (alert?.type !== 'inject' || !alert.subject) throw new Error('The sample has no inject i-alert with a subject.');
  expect(csv).toContain(alert.subject);
  await expect(page.getByRole('status').filter({ hasText: `Saved as ${msel.suggestedFilename()}` })).toBeVisible();

  const bundle = await downloadBy(page, () => page.getByRole('button', { name: 'Export bundle (.sandtable)' }).click());
  expect(bundle.suggestedFilename()).toMatch(/\.sandtable$/);
  expect((await bytesOf(bundle)).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

  // A download, not a navigation: the app is still on the preview.
  expect(page.url()).toBe(url);
  await expect(page.getByRole('heading', { level: 1, name: sample.meta.title })).toBeVisible();
  expect(await cspViolations()).toEqual([]);
});

test('MSEL spreadsheets are previewed before anything is saved, then imported as new draft scenarios', async ({ page, host }) => {
  test.setTimeout(120_000);
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Import an MSEL spreadsheet (CSV or Excel)…' }).click();
  await expect(page).toHaveURL(/#\/msel-import$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Import an MSEL' })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  const before = await call(host, 'library.list', {});

  // ---------------------------------------------------------------- Excel's "CSV UTF-8": BOM, CRLF, a title line, a quoted multi-line cell
  await chooseFile(page, 'Choose a CSV or Excel file…', join(FIXTURES, 'harbour-lights.csv'));
  const summary = page.getByTestId('msel-summary');
  await expect(summary).toContainText('“harbour-lights.csv”: 4 rows to import (2 injects, 1 decision point, 1 contingency)');
  await expect(summary).toContainText('separated by commas, column headers on row 2');
  const mapping = page.getByTestId('msel-mapping');
  await expect(mapping.getByRole('row', { name: /T\+/ })).toContainText('Scenario time');
  await expect(mapping.getByRole('row', { name: /Inject #/ })).toContainText('Sequence');
  await expect(mapping.getByRole('row', { name: /Method/ })).toContainText('Channel');
  await expect(mapping.getByRole('row', { name: /Weather/ })).toContainText('Kept as a note');
  const rows = page.getByTestId('msel-rows');
  await expect(rows.locator('tbody tr')).toHaveCount(4);
  const first = rows.getByRole('row', { name: /Unusual sign-in to the payroll portal/ });
  await expect(first).toContainText('GuardDuty reports console sign-ins from an unfamiliar country.\nThe user is on holiday.');
  await expect(first).toContainText('Email');
  await expect(rows.getByRole('row', { name: /Salaries changed, again/ })).toContainText('10 min');
  await expect(rows.getByRole('row', { name: /Do we disable the account\?/ })).toContainText('Decision point');
  await expect(page.getByTestId('msel-problems')).toHaveCount(0);
  // Nothing is saved by the preview.
  expect(await call(host, 'library.list', {})).toEqual(before);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('msel-preview.png'), fullPage: true });

  await page.getByRole('button', { name: 'Import as a new scenario draft' }).click();
  const done = page.getByTestId('import-done');
  await expect(done).toContainText('Imported harbour-lights into the library.');
  const imported = (await call(host, 'library.list', {})).scenarios.find((s) => s.id === 'harbour-lights');
  expect(imported?.source).toBe('imported');
  // The draft runs the rows in order: its first inject is the first row.
  const draft = await call(host, 'library.get', { id: 'harbour-lights' });
  const start = draft.timeline.find((n) => n.id === draft.start);
  expect(start?.type === 'inject' && start.subject).toBe('Unusual sign-in to the payroll portal');

  // ---------------------------------------------------------------- the same file again: refused, then replaced
  await chooseFile(page, 'Choose a CSV or Excel file…', join(FIXTURES, 'harbour-lights.csv'));
  await page.getByRole('button', { name: 'Import as a new scenario draft' }).click();
  await expect(page.getByTestId('import-errors')).toContainText('was imported before');
  await page.getByRole('button', { name: 'Replace it' }).click();
  await expect(done).toContainText('Replaced harbour-lights into the library.');

  // ---------------------------------------------------------------- Excel's plain "CSV" in Europe: sep=; line, semicolons, Windows-1252
  await chooseFile(page, 'Choose a CSV or Excel file…', join(FIXTURES, 'semicolon-1252.csv'));
  await expect(summary).toContainText('“semicolon-1252.csv”: 2 rows to import');
  await expect(summary).toContainText('separated by semicolons');
  await expect(mapping.getByRole('row', { name: /Room/ })).toContainText('Kept as a note');
  await expect(rows.getByRole('row', { name: /Café Wi-Fi alert/ })).toContainText('Suspicious login from the café Wi-Fi; 3,5 GB uploaded.');
  await expect(rows.getByRole('row', { name: /Walk-in/ })).toContainText('Line one;\nline two');
  await page.getByRole('button', { name: 'Import as a new scenario draft' }).click();
  await expect(done).toContainText('Imported semicolon-1252 into the library.');

  // ---------------------------------------------------------------- rows that cannot be read: every problem with its row number, no import
  await chooseFile(page, 'Choose a CSV or Excel file…', join(FIXTURES, 'problems.csv'));
  const problems = page.getByTestId('msel-problems');
  await expect(problems).toContainText('2 problems to fix before it can be imported');
  await expect(problems.locator('li')).toHaveCount(2);
  await expect(problems.locator('li').nth(0)).toContainText('Row 3:');
  await expect(problems.locator('li').nth(0)).toContainText('"soon" is not a scenario time');
  await expect(problems.locator('li').nth(1)).toContainText('Row 4:');
  await expect(page.getByRole('button', { name: 'Import as a new scenario draft' })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('msel-problems.png'), fullPage: true });

  // ---------------------------------------------------------------- both drafts are in the library, marked as imported
  await page.getByRole('link', { name: '← Scenario library' }).click();
  const cards = page.getByTestId('scenario-card');
  await expect(cards).toHaveCount(before.scenarios.length + 2);
  for (const title of ['harbour-lights', 'semicolon-1252']) {
    await expect(cards.filter({ has: page.getByRole('heading', { name: title, exact: true }) }).getByText('Imported', { exact: true })).toBeVisible();
  }
  expect(await cspViolations()).toEqual([]);
});

test('an Excel MSEL workbook is read directly, and the preview warns about times of day before anything is saved', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Import an MSEL spreadsheet (CSV or Excel)…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import an MSEL' })).toBeVisible();
  const before = await call(host, 'library.list', {});
  await chooseFile(page, 'Choose a CSV or Excel file…', join(FIXTURES, 't3sf/MSEL.xlsx'));
  const summary = page.getByTestId('msel-summary');
  await expect(summary).toContainText('“MSEL.xlsx”: 12 rows to import');
  await expect(summary).toContainText('from the sheet “main”');
  await expect(page.getByTestId('msel-warnings')).toContainText('Real Time holds times of day');
  await expect(page.getByTestId('msel-mapping').getByRole('row', { name: /Real Time/ })).toContainText('Scenario time');
  expect(await call(host, 'library.list', {})).toEqual(before);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Import as a new scenario draft' }).click();
  await expect(page.getByTestId('import-done')).toBeVisible();
});

test("the console undoes a team's last action by button and by Ctrl+Z, and says when it is too late", async ({ page, host }) => {
  test.setTimeout(120_000);
  const session = await call(host, 'sessions.create', {
    scenarioId: 'sample-leaked-key',
    name: 'Undo rehearsal',
    facilitator: 'Fran Facilitator',
    teams: [{ name: 'Blue team', participants: [] }],
    speed: 0,
    seed: 'e2e-undo',
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });

  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}`);
  const panel = page.getByTestId('decision-panel');
  const log = page.getByTestId('event-log');
  const undo = page.getByTestId('undo');
  await expect(panel.getByRole('heading', { name: contain.title })).toBeVisible();

  async function record(optionId: string): Promise<void> {
    await panel
      .getByRole('radio', {
        name: new RegExp(
          optionLabel(optionId)
            .slice(0, 30)
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        ),
      })
      .check();
    await panel.getByLabel(/^Rationale/).fill(`Chose ${optionId}`);
    await panel.getByRole('button', { name: 'Record decision' }).click();
    await expect(panel).toHaveCount(0);
  }

  // ---------------------------------------------------------------- by the button: the decision is open again, the entry struck through
  await record('deactivate');
  await expect(undo).toContainText(`Last: Decided “${optionLabel('deactivate')}”`);
  await undo.getByRole('button', { name: /Undo last action/ }).click();
  await expect(page.getByTestId('undo-done')).toHaveText(`Undid decision “${optionLabel('deactivate')}”.`);
  await expect(panel.getByRole('heading', { name: contain.title })).toBeVisible();
  // The decision and what it caused (the milestones it reached...) are struck through, not removed.
  const undoneDecision = log.locator('li.undone').filter({ hasText: `Decided “${optionLabel('deactivate')}”` });
  await expect(undoneDecision).toHaveCount(1);
  await expect(undoneDecision).toContainText('undone');
  await expect(log.locator('li.undone').filter({ hasText: 'Milestone reached' }).first()).toBeVisible();
  await expect(log).toContainText(`Undone: Decided “${optionLabel('deactivate')}”`);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('console-undo.png'), fullPage: true });

  // ---------------------------------------------------------------- by Ctrl+Z, when not typing
  await record('delete');
  await page.locator('#console-title').focus();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('undo-done')).toHaveText(`Undid decision “${optionLabel('delete')}”.`);
  await expect(panel.getByRole('heading', { name: contain.title })).toBeVisible();
  // In a text field, Ctrl+Z is the field's own undo: nothing is undone in the session.
  await panel.getByLabel(/^Rationale/).fill('typing');
  await panel.getByLabel(/^Rationale/).press('Control+z');
  await expect(panel.getByRole('heading', { name: contain.title })).toBeVisible();

  // ---------------------------------------------------------------- once the team has moved on, main refuses and the console says why
  await record('deactivate');
  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(log).toContainText('Clock moved on');
  await undo.getByRole('button', { name: /Undo last action/ }).click();
  await expect(page.getByTestId('undo-error')).toContainText('Not undone: Too late to undo');
  // The decision stays recorded: "Contain the key" is not open again.
  await expect(
    log
      .locator('li')
      .filter({ hasText: `Decided “${optionLabel('deactivate')}”` })
      .first(),
  ).not.toHaveClass(/undone/);
  await expect(page.getByRole('heading', { name: contain.title })).toHaveCount(0);
  const events = await call(host, 'sessions.events', { sessionId: session.id, afterSeq: 0 });
  expect(events.filter((e) => e.type === 'event.corrected')).toHaveLength(2);
});

test('a session archive exported from the sessions list is imported into a fresh host', async ({ page, host }) => {
  test.setTimeout(120_000);
  const cspViolations = await watchCsp(page);
  const session = await call(host, 'sessions.create', {
    scenarioId: 'sample-leaked-key',
    name: 'Archive me',
    facilitator: 'Fran Facilitator',
    teams: [{ name: 'Blue team', participants: [{ name: 'Alice', role: 'Incident commander' }] }],
    speed: 0,
    seed: 'e2e-archive',
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  await call(host, 'sessions.advance', { sessionId: session.id });
  await call(host, 'sessions.end', { sessionId: session.id, reason: 'Archived by the e2e test' });

  await page.goto(host.url);
  const row = page.getByTestId('sessions-list').getByRole('row', { name: /Archive me/ });
  await expect(row).toContainText('Ended');

  const archive = await downloadBy(page, () => row.getByRole('button', { name: /^Archive/ }).click());
  expect(archive.suggestedFilename()).toMatch(/\.sandtable-session$/);
  // The page only started the download from the host's link: it says so, and does not claim the file is saved.
  await expect(row.getByRole('status')).toContainText(`Downloading ${archive.suggestedFilename()}`);
  expect(await archive.failure()).toBeNull();
  const archivePath = join(folder, archive.suggestedFilename());
  await archive.saveAs(archivePath);

  const msel = await downloadBy(page, () => row.getByRole('button', { name: /^MSEL/ }).click());
  const csv = (await bytesOf(msel)).toString('utf8');
  expect(csv.slice(1).split('\r\n')[0]).toBe(SESSION_COLUMNS.map((field) => FIELD_HEADERS[field]).join(','));
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await cspViolations()).toEqual([]);

  // ---------------------------------------------------------------- another machine: a fresh host with an empty data folder
  const otherData = mkdtempSync(join(tmpdir(), 'sandtable-e2e-other-'));
  const other = await startHost(otherData);
  try {
    await page.goto(other.url);
    await expect(page.getByText('No sessions yet.')).toBeVisible();
    await chooseFile(page, 'Import a session archive…', archivePath);
    const status = page.getByTestId('import-session').getByRole('status');
    await expect(status).toContainText(`Imported the session from “${archive.suggestedFilename()}”`);
    await expect(status).toContainText('its log verified');
    await expect(status.getByRole('link', { name: 'Open it' })).toHaveAttribute('href', `#/sessions/${session.id}`);
    const imported = page.getByTestId('sessions-list').getByRole('row', { name: /Archive me/ });
    await expect(imported).toContainText('Ended');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('session-imported.png'), fullPage: true });

    // The same archive again: refused, and said so.
    await chooseFile(page, 'Import a session archive…', archivePath);
    await expect(page.getByTestId('import-session').getByRole('alert')).toContainText('was not imported');

    await page.goto(`${other.origin}/#/sessions/${session.id}`);
    await expect(page.locator('#console-title')).toHaveText('Archive me');
  } finally {
    await stopHost(other);
    rmSync(otherData, { recursive: true, force: true });
  }
});
