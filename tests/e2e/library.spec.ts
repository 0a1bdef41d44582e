import { expect, test } from './fixtures.ts';

test('the library lists the bundled scenarios read through the contract', async ({ page, host }) => {
  const cspViolations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Scenario library' })).toBeVisible();
  const card = page.getByTestId('scenario-card').filter({ hasText: 'Warm-up: a leaked access key' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('25 min');
  await expect(card).toContainText('introductory');
  // Objectives and tags are on the card.
  await card.getByText(/^Objectives \(\d+\)$/).click();
  await expect(card.getByRole('listitem').first()).toBeVisible();
  await expect(card.getByRole('list', { name: /^Tags of / })).toContainText('Best practice');
  // The token is taken out of the address bar once read.
  expect(page.url()).not.toContain('token=');
  // A reload keeps working from the tab's stored token.
  await page.reload();
  await expect(card).toBeVisible();
  expect(cspViolations).toEqual([]);
  // The bundled fonts are in use, and nothing was requested from anywhere but the app itself.
  await page.evaluate(() => document.fonts.ready);
  expect(await page.evaluate(() => document.fonts.check('16px "Inter Variable"'))).toBe(true);
  expect(requests.filter((url) => !url.startsWith(host.origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
  expect(requests.some((url) => url.endsWith('.woff2'))).toBe(true);
  await page.screenshot({ path: test.info().outputPath('library.png'), fullPage: true });
});

test('a page opened without the launch token explains how to open the app', async ({ page, host }) => {
  await page.goto(host.origin + '/');
  await expect(page.getByRole('heading', { name: 'Open Sandtable from its launch link' })).toBeVisible();
});

test('every card is in the browser’s accessibility tree, not only the cards on screen', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  const cards = page.getByTestId('scenario-card');
  await expect(cards.first()).toBeVisible();
  const titles = await cards.locator('h2').allTextContents();
  // More cards than one screen holds: the last is below the fold.
  expect((await cards.last().boundingBox())?.y).toBeGreaterThan(800);
  // Chromium's own tree, as a screen reader reads it: Playwright's role queries compute roles from the DOM and
  // would still find a card the browser leaves out (e.g. one skipped by `content-visibility: auto`).
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const exposed = (role: string) => nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => String(n.name?.value));
  const [headings, lists, links] = [exposed('heading'), exposed('list'), exposed('link')];
  for (const title of titles) {
    expect(headings).toContain(title);
    expect(lists).toContain(`Tags of ${title}`);
    expect(links).toContain(`Preview ${title}`);
  }
});
