import { readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { escapeRegExp, seriousA11yViolations, watchCsp } from './support.ts';

/** The bundled sample, read from disk so the expectations follow its content. */
const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;

test('the sample scenario is previewed from the library: objectives, branch graph and evidence', async ({ page, host }) => {
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
  const card = page.getByTestId('scenario-card').filter({ hasText: sample.meta.title });
  await expect(card).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await card.getByRole('link', { name: /^Preview/ }).click();
  await expect(page).toHaveURL(/#\/scenarios\/sample-leaked-key$/);
  await expect(page.getByRole('heading', { level: 1, name: sample.meta.title })).toBeVisible();
  await expect(page.getByText(sample.meta.sensitivity)).toBeVisible();

  // Objectives, with their tags as readable chips.
  const objectives = page.getByTestId('objectives');
  for (const objective of sample.objectives) await expect(objectives).toContainText(objective.text);
  await expect(objectives.locator('.chip').filter({ hasText: 'Best practice' }).first()).toBeVisible();
  await expect(objectives.locator('.chip').filter({ hasText: 'Phase' }).first()).toBeVisible();

  // Milestones with their targets.
  for (const milestone of sample.milestones) {
    await expect(page.getByRole('row', { name: new RegExp(`^${escapeRegExp(milestone.label)} by `) })).toContainText(`by ${milestone.targetMinutes} min`);
  }

  // The branch graph: one node per timeline step, the start selected and described below.
  const graph = page.getByTestId('branch-graph');
  await expect(graph).toBeVisible();
  await expect(graph.locator('[data-step-id]')).toHaveCount(sample.timeline.length);
  const start = sample.timeline.find((node) => node.id === sample.start)!;
  const startTitle = 'title' in start && start.title ? start.title : start.id;
  await expect(page.getByTestId('step-detail').getByRole('heading', { name: startTitle })).toBeVisible();

  // Keyboard: the graph is one tab stop; the arrow keys move between steps and Enter shows one.
  const startNode = graph.locator(`[data-step-id="${sample.start}"]`);
  await expect(startNode).toHaveAttribute('tabindex', '0');
  await startNode.focus();
  await page.keyboard.press('ArrowDown');
  const focusedId = await page.evaluate(() => document.activeElement?.getAttribute('data-step-id'));
  expect(focusedId).toBeTruthy();
  expect(focusedId).not.toBe(sample.start);
  await page.keyboard.press('Enter');
  const focusedNode = sample.timeline.find((node) => node.id === focusedId)!;
  const focusedTitle = 'title' in focusedNode && focusedNode.title ? focusedNode.title : focusedNode.id;
  await expect(page.getByTestId('step-detail').getByRole('heading', { name: focusedTitle })).toBeVisible();

  // The text alternative lists every step.
  await page.getByText(/^All \d+ steps as a list$/).click();
  await expect(page.getByTestId('step-outline').locator(':scope > li')).toHaveCount(sample.timeline.length);

  // Evidence: a CloudTrail record row with its raw JSON a click away, and a GuardDuty card.
  const trail = sample.evidence!.find((e) => e.kind === 'cloudtrail');
  if (trail?.kind !== 'cloudtrail') throw new Error('The sample scenario has no CloudTrail evidence.');
  const firstRecord = trail.records[0]!;
  const row = page.getByTestId('cloudtrail-row').filter({ hasText: firstRecord.eventName }).first();
  await expect(row).toContainText(firstRecord.sourceIPAddress!);
  const rawButton = row.getByRole('button', { name: /JSON/ });
  await expect(rawButton).toHaveAttribute('aria-expanded', 'false');
  await rawButton.click();
  await expect(rawButton).toHaveAttribute('aria-expanded', 'true');
  const controls = await rawButton.getAttribute('aria-controls');
  if (controls === null) throw new Error('The JSON button controls nothing.');
  const rawRegion = page.locator(`#${controls}`);
  await expect(rawRegion).toContainText(`"eventName": "${String(firstRecord.eventName)}"`);

  const guardDuty = sample.evidence!.find((e) => e.kind === 'guardduty');
  if (guardDuty?.kind !== 'guardduty') throw new Error('The sample scenario has no GuardDuty evidence.');
  const findingCard = page.getByTestId('guardduty-card').filter({ hasText: guardDuty.finding.type });
  await expect(findingCard).toContainText(guardDuty.finding.title);
  const band = guardDuty.finding.severity >= 9 ? 'Critical' : guardDuty.finding.severity >= 7 ? 'High' : guardDuty.finding.severity >= 4 ? 'Medium' : 'Low';
  await expect(findingCard.locator('.severity-badge')).toContainText(band);

  expect(await cspViolations()).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('preview.png'), fullPage: true });
  await graph.screenshot({ path: test.info().outputPath('preview-graph.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The dark theme is remembered across a reload, and is accessible too.
  await page.getByLabel('Theme').selectOption('dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('heading', { level: 1, name: sample.meta.title })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('preview-dark.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Back returns to the library.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
});
