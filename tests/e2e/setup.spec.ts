import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { seriousA11yViolations, watchCsp } from './support.ts';

/**
 * Setting up a session: every problem at once, on its field, in plain words,
 * found before anything is sent; two teams may not share a name; the
 * required fields are marked.
 */

/** A field's id (the test fails plainly when it has none). */
async function idOf(field: Locator): Promise<string> {
  const id = await field.getAttribute('id');
  if (id === null) throw new Error('The field has no id.');
  return id;
}

test('setup shows every problem at once on its field, in plain words, before sending anything', async ({ page, host }) => {
  // The contract's schemas run in the page: zod must not probe eval under the CSP (src-renderer/src/lib/zod-config.ts).
  const cspViolations = await watchCsp(page);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/setup/sample-leaked-key`);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up a session' })).toBeVisible();
  const created: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/call') && (request.postData() ?? '').includes('"sessions.create"')) created.push(request.postData()!);
  });

  // Required fields say so.
  for (const field of [page.getByLabel('Session name'), page.getByLabel('Facilitator', { exact: true }), page.getByLabel('Team name').first()]) {
    await expect(field).toHaveAttribute('aria-required', 'true');
    await expect(page.locator(`.label-line:has(label[for="${await idOf(field)}"])`)).toContainText('(required)');
  }
  // The marker is for the eye: the field's accessible name stays its plain label.
  await expect(page.getByRole('textbox', { name: 'Facilitator', exact: true })).toHaveCount(1);

  // Four problems at once: no name, no facilitator, two teams called Blue, a negative target.
  await page.getByLabel('Session name').fill('  ');
  await page.getByLabel('Facilitator', { exact: true }).fill('');
  await page.getByLabel('Team name').fill('Blue');
  await page.getByRole('button', { name: 'Add a team' }).click();
  await page.getByLabel('Team name').nth(1).fill(' blue ');
  const detected = page.getByLabel('Leak detected and acknowledged');
  await detected.fill('-5');
  await page.getByRole('button', { name: /Create session/ }).click();

  await expect(page.locator('#setup-name-error')).toHaveText('Give the session a name.');
  await expect(page.locator('#setup-facilitator-error')).toHaveText('Enter the name of the facilitator.');
  const second = page.getByLabel('Team name').nth(1);
  await expect(second).toHaveAttribute('aria-invalid', 'true');
  const secondError = page.locator(`#${await idOf(second)}-error`);
  await expect(secondError).toHaveText('Team 1 is already called “Blue”: give each team its own name.');
  const detectedError = page.locator(`#${await idOf(detected)}-error`);
  await expect(detectedError).toContainText('cannot be negative');
  await expect(page.locator('#setup-form-error')).toContainText('4 things need fixing');
  // The first problem on the page has the focus; nothing was sent; no validator words anywhere.
  await expect(page.getByLabel('Session name')).toBeFocused();
  expect(created).toEqual([]);
  const text = await page.locator('form').innerText();
  expect(text).not.toMatch(/Too small|Too big|expected (string|number)|>=|more problems/);
  await page.screenshot({ path: test.info().outputPath('setup-problems.png'), fullPage: true });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Fixed one by one, each error goes as its field is edited; then the session is created.
  await page.getByLabel('Session name').fill('Tuesday drill');
  await expect(page.locator('#setup-name-error')).toHaveCount(0);
  await page.getByLabel('Facilitator', { exact: true }).fill('Fran');
  await second.fill('Red');
  await expect(secondError).toHaveCount(0);
  await detected.fill('5');
  await page.getByRole('button', { name: /Create session/ }).click();
  await expect(page).toHaveURL(/#\/sessions\/[0-9a-f-]{36}\/team-1$/);
  expect(created).toHaveLength(1);
  expect(await cspViolations()).toEqual([]);
});
