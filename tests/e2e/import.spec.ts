import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, escapeRegExp, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * Importing scenarios into the library from the library screen: a valid
 * file is imported, previewed and rehearsed; an invalid one lists every
 * problem with its place in words and changes nothing; a second import of
 * the same id offers to replace it; an imported scenario is removed.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;

/** The sample under another id and title, as a scenario writer's own file. */
function variant(id: string, title: string, change: (scenario: ScenarioInput) => void = () => {}): ScenarioInput {
  const copy = structuredClone(sample);
  copy.meta.id = id;
  copy.meta.title = title;
  change(copy);
  return copy;
}

/** Chooses a file through the library's "Import scenario…" button and the browser's file picker. */
async function importThroughPicker(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import scenario…' }).click();
  await (await chooser).setFiles(path);
}

let folder: string;
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sandtable-import-'));
});
test.afterEach(() => rmSync(folder, { recursive: true, force: true }));

function writeScenario(name: string, scenario: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof scenario === 'string' ? scenario : `${JSON.stringify(scenario, null, 2)}\n`);
  return path;
}

test('a scenario file is imported, previewed and rehearsed; importing its id again replaces it; it is removed', async ({ page, host }) => {
  test.setTimeout(120_000);
  const cspViolations = await watchCsp(page);
  const first = variant('e2e-imported-key', 'E2E import: a leaked key');
  const file = writeScenario('leaked-key-copy.json', first);

  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
  const cards = page.getByTestId('scenario-card');
  const bundledCount = (await call(host, 'library.list', {})).scenarios.length;
  await expect(cards).toHaveCount(bundledCount);

  // ---------------------------------------------------------------- import
  await importThroughPicker(page, file);
  const done = page.getByTestId('import-done');
  await expect(done).toContainText(`Imported ${first.meta.title}`);
  const card = cards.filter({ hasText: first.meta.title });
  await expect(card).toBeVisible();
  await expect(card.getByText('Imported', { exact: true })).toBeVisible();
  await expect(cards).toHaveCount(bundledCount + 1);
  // Bundled scenarios are neither marked nor removable.
  const bundledCard = cards.filter({ hasText: sample.meta.title });
  await expect(bundledCard.getByText('Imported', { exact: true })).toHaveCount(0);
  await expect(bundledCard.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  expect((await call(host, 'library.list', {})).scenarios.find((s) => s.id === first.meta.id)?.source).toBe('imported');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('library-imported.png'), fullPage: true });

  // ---------------------------------------------------------------- preview and rehearse (default choices)
  await done.getByRole('link', { name: 'Preview and rehearse it' }).click();
  await expect(page).toHaveURL(/#\/scenarios\/e2e-imported-key$/);
  await expect(page.getByRole('heading', { level: 1, name: first.meta.title })).toBeVisible();
  const rehearse = page.getByTestId('rehearse');
  await expect(rehearse.getByRole('radio', { name: "Each decision's default option" })).toBeChecked();
  await rehearse.getByRole('button', { name: 'Rehearse' }).click();
  const expected = await call(host, 'library.rehearse', { id: first.meta.id, choices: 'default', seed: '1' });
  const result = page.getByTestId('rehearsal-result');
  await expect(page.getByTestId('rehearsal-ending')).toContainText(`Ends at “${expected.endTitle}”`);
  await expect(result.getByTestId('rehearsal-path').locator('li')).toHaveCount(expected.path.length);
  await expect(result.getByTestId('rehearsal-path').locator('li').last()).toContainText(expected.endTitle);
  // The option each decision took is named on the path.
  const contain = sample.timeline.find((n) => n.id === 'd-contain');
  if (contain?.type !== 'decision') throw new Error('The sample has no decision d-contain.');
  const taken = contain.options.find((o) => o.id === expected.choices['d-contain'])!;
  await expect(result.getByTestId('rehearsal-path')).toContainText(`→ “${taken.label}”`);
  // Milestones with the time they were reached, and the score by tag.
  const milestones = result.getByTestId('rehearsal-milestones');
  for (const milestone of sample.milestones) {
    const reached = expected.milestones[milestone.id];
    await expect(milestones.getByRole('row', { name: new RegExp(`^${escapeRegExp(milestone.label)}`) })).toContainText(
      reached == null ? 'Not reached' : `at ${reached / 60_000} min`,
    );
  }
  const scoredTags = Object.keys(expected.score);
  if (scoredTags.length > 0) await expect(result.getByTestId('rehearsal-score').locator('tbody tr')).toHaveCount(scoredTags.length);

  // ---------------------------------------------------------------- random choices with a seed: the same as the contract gives
  await rehearse.getByRole('radio', { name: 'Random choices' }).check();
  await rehearse.getByLabel('Seed').fill('e2e-42');
  await rehearse.getByRole('button', { name: 'Rehearse' }).click();
  const random = await call(host, 'library.rehearse', { id: first.meta.id, choices: 'random', seed: 'e2e-42' });
  await expect(result).toContainText('Random choices, seed “e2e-42”');
  await expect(page.getByTestId('rehearsal-ending')).toContainText(`Ends at “${random.endTitle}”`);
  await expect(result.getByTestId('rehearsal-path').locator('li')).toHaveCount(random.path.length);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('preview-rehearsal.png'), fullPage: true });
  await rehearse.screenshot({ path: test.info().outputPath('rehearsal.png') });

  // ---------------------------------------------------------------- the same id again: refused, then replaced
  await page.getByRole('link', { name: '← Scenario library' }).click();
  const second = variant(first.meta.id, 'E2E import: a leaked key, second edition');
  await importThroughPicker(page, writeScenario('leaked-key-copy-v2.json', second));
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('was imported before');
  await expect(errors).toContainText('Meta, id');
  await expect(cards.filter({ hasText: second.meta.title })).toHaveCount(0);
  await page.getByRole('button', { name: 'Replace it' }).click();
  await expect(done).toContainText(`Replaced ${second.meta.title}`);
  await expect(cards.filter({ hasText: second.meta.title })).toBeVisible();
  await expect(page.getByRole('heading', { name: first.meta.title, exact: true })).toHaveCount(0);
  await expect(cards).toHaveCount(bundledCount + 1);

  // ---------------------------------------------------------------- remove, after a confirmation
  const secondCard = cards.filter({ hasText: second.meta.title });
  await secondCard.getByRole('button', { name: `Remove ${second.meta.title}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove this scenario?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toBeHidden();
  await expect(secondCard).toBeVisible();
  await secondCard.getByRole('button', { name: `Remove ${second.meta.title}` }).click();
  await confirm.getByRole('button', { name: 'Remove from the library' }).click();
  await expect(secondCard).toHaveCount(0);
  await expect(cards).toHaveCount(bundledCount);
  expect((await call(host, 'library.list', {})).scenarios.some((s) => s.id === first.meta.id)).toBe(false);
  expect(await cspViolations()).toEqual([]);
});

test('an invalid scenario file lists every problem with its place in words, and nothing is imported', async ({ page, host }) => {
  const cspViolations = await watchCsp(page);
  const broken = variant('e2e-broken', 'E2E import: broken', (scenario) => {
    for (const node of scenario.timeline) {
      if (node.id === 'd-contain' && node.type === 'decision') node.options.find((o) => o.id === 'delete')!.next = 'nowhere';
      if (node.id === 'd-recover' && node.type === 'decision') node.options.find((o) => o.id === 'federate')!.next = 'nowhere-else';
    }
  });
  const text = `${JSON.stringify(broken, null, 2)}\n`;
  const file = writeScenario('broken.json', text);
  // What main finds in it (checking writes nothing when there is a problem).
  const checked = await call(host, 'library.import', { fileName: 'broken.json', text, replace: false });
  if (checked.ok) throw new Error('The broken scenario was accepted.');
  expect(checked.errors.length).toBeGreaterThan(1);

  await page.goto(host.url);
  const cards = page.getByTestId('scenario-card');
  const before = await call(host, 'library.list', {});
  await expect(cards).toHaveCount(before.scenarios.length);

  await importThroughPicker(page, file);
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText(`Nothing was imported: “broken.json” has ${checked.errors.length} problems`);
  const items = errors.locator('li');
  await expect(items).toHaveCount(checked.errors.length);
  for (const [i, error] of checked.errors.entries()) await expect(items.nth(i)).toContainText(error.pointer);
  // Pointers are given in words, with the ids of the steps and options they go through.
  const containIndex = broken.timeline.findIndex((n) => n.id === 'd-contain');
  const contain = broken.timeline[containIndex]!;
  const deleteIndex = contain.type === 'decision' ? contain.options.findIndex((o) => o.id === 'delete') : -1;
  await expect(errors).toContainText(`Timeline step ${containIndex + 1} (id “d-contain”), option ${deleteIndex + 1} (id “delete”), next`);
  await expect(errors).toContainText('Refers to "nowhere"');
  await expect(errors).toContainText('Refers to "nowhere-else"');
  // A file whose id is new offers no replacement.
  await expect(page.getByRole('button', { name: 'Replace it' })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('import-errors.png'), fullPage: true });

  // Nothing was imported: the library is as it was.
  await expect(cards).toHaveCount(before.scenarios.length);
  expect(await call(host, 'library.list', {})).toEqual(before);

  // A file that is not JSON at all, and one that is not a scenario file by its name.
  await importThroughPicker(page, writeScenario('truncated.json', JSON.stringify(broken).slice(0, 500)));
  await expect(errors).toContainText('“truncated.json” has a problem');
  await expect(errors.locator('li')).toHaveCount(1);
  await importThroughPicker(page, writeScenario('notes.txt', 'not a scenario'));
  await expect(page.getByRole('alert').filter({ hasText: 'neither a scenario file (.json) nor a scenario bundle (.sandtable)' })).toBeVisible();
  expect(await call(host, 'library.list', {})).toEqual(before);
  expect(await cspViolations()).toEqual([]);
});

test('a scenario dropped onto the library is imported', async ({ page, host }) => {
  const dropped = variant('e2e-dropped', 'E2E import: dropped on the library');
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return data;
  }, JSON.stringify(dropped));
  const target = page.getByRole('heading', { name: 'Scenario library' });
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('import-done')).toContainText(`Imported ${dropped.meta.title}`);
  await expect(page.getByTestId('scenario-card').filter({ hasText: dropped.meta.title })).toBeVisible();
});

test('a scenario file picked with its images is imported with them, and shows them', async ({ page, host }) => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const withImage = variant('e2e-with-image', 'E2E import: a scenario with an image', (s) => {
    s.evidence = [...(s.evidence ?? []), { id: 'ev-diagram', kind: 'image', caption: 'Network diagram', asset: 'assets/diagram.png', alt: 'The VPC and its subnets' }];
  });
  const json = writeScenario('with-image.json', withImage);
  const image = join(folder, 'diagram.png');
  writeFileSync(image, png);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();

  // The JSON alone: refused, and the message says how to bring the image along.
  await importThroughPicker(page, json);
  await expect(page.getByText(/"assets\/diagram.png" was not among the files picked: pick the scenario file together with its images, or its whole folder/)).toBeVisible();
  expect((await call(host, 'library.list', {})).scenarios.some((s) => s.id === 'e2e-with-image')).toBe(false);

  // The JSON and its image, picked together.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import scenario…' }).click();
  await (await chooser).setFiles([json, image]);
  await expect(page.getByTestId('import-done')).toContainText(`Imported ${withImage.meta.title}`);
  await expect(page.getByTestId('import-done')).toContainText('with 1 image');
  const { dataUrl } = await call(host, 'library.asset', { scenarioId: 'e2e-with-image', path: 'assets/diagram.png' });
  expect(dataUrl).toBe(`data:image/png;base64,${png.toString('base64')}`);
});

test('a scenario written for IcebergTTX is recognised, converted and imported, with what was not carried over', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
  await importThroughPicker(page, 'tests/fixtures/convert/icebergttx/ransomware_response.json');
  const done = page.getByTestId('import-done');
  await expect(done).toContainText('Imported Ransomware Response Quick Start');
  const converted = page.getByTestId('import-converted');
  await expect(converted).toContainText('Converted from a IcebergTTX scenario (schema_version 1.0) into a draft');
  await expect(converted.getByRole('listitem').first()).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
});
