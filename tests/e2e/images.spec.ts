import { readFileSync } from 'node:fs';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, watchCsp } from './support.ts';

/** A 2×2 PNG, so the browser has real pixels to decode. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

test('an imported scenario shows its evidence images in the preview, the console and on the projector', async ({ page, host, browser }) => {
  const scenario = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
  scenario.meta.id = 'with-diagram';
  scenario.meta.title = 'Warm-up with a diagram';
  scenario.evidence = [...(scenario.evidence ?? []), { id: 'ev-diagram', kind: 'image', caption: 'The pipeline', asset: 'assets/pipeline.png', alt: 'Pipeline diagram' }];
  const first = scenario.timeline.find((n) => n.id === scenario.start)!;
  if (first.type === 'inject') first.evidence = [...(first.evidence ?? []), 'ev-diagram'];
  const bundle = await buildScenarioBundle(JSON.stringify(scenario), () => PNG);
  expect(await call(host, 'library.importBundle', { base64: bundle.content.toString('base64') })).toMatchObject({ ok: true });

  const violations = await watchCsp(page);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/scenarios/with-diagram`);
  const previewImage = page.getByRole('img', { name: 'Pipeline diagram' });
  await expect(previewImage).toBeVisible();
  await expect.poll(() => previewImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  const session = await call(host, 'sessions.create', { scenarioId: 'with-diagram', name: 'Images', facilitator: 'F', teams: [{ name: 'Red' }] });
  await call(host, 'sessions.start', { sessionId: session.id });
  await page.goto(`${host.origin}/#/sessions/${session.id}`);
  const consoleImage = page.getByRole('img', { name: 'Pipeline diagram' });
  await expect.poll(() => consoleImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);

  const link = await call(host, 'sessions.openPresenter', { sessionId: session.id, teamId: 'team-1' });
  const projector = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const projectorViolations = await watchCsp(projector);
  await projector.goto(link.url!);
  const projectorImage = projector.getByRole('img', { name: 'Pipeline diagram' });
  await expect.poll(() => projectorImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  expect(await violations()).toEqual([]);
  expect(await projectorViolations()).toEqual([]);
  await projector.close();
});
