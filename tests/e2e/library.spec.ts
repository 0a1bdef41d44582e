import { expect, test } from './fixtures.ts';
import { call, horizontalOverflow, seriousA11yViolations } from './support.ts';

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
  // Every card of the library (those below the first screen follow the first frame).
  const listing = await call(host, 'library.list', {});
  await expect(cards).toHaveCount(listing.scenarios.length);
  const titles = await cards.locator('h2').allTextContents();
  // More cards than one screen holds: the last is below the fold.
  expect((await cards.last().boundingBox())?.y).toBeGreaterThan(800);
  // Chromium's own tree, as a screen reader reads it: Playwright's role queries compute roles from the DOM and
  // would still find a card the browser leaves out (e.g. one skipped by `content-visibility: auto`).
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const exposed = (role: string) => nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => String(n.name?.value));
  const [headings, lists, links, buttons] = [exposed('heading'), exposed('list'), exposed('link'), exposed('button')];
  for (const title of titles) {
    expect(headings).toContain(title);
    expect(lists).toContain(`Tags of ${title}`);
    expect(links).toContain(`Preview ${title}`);
    // The one action that shows every tag of the card with its description.
    expect(buttons.filter((name) => /^All \d+ tags of /.test(name) && name.endsWith(` tags of ${title}`))).toHaveLength(1);
  }
});

test('every card appears in a browser without requestIdleCallback (Safari), with no page error', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // As Safari's window: no idle callbacks at all.
  await page.addInitScript({ content: 'delete window.requestIdleCallback; delete window.cancelIdleCallback;' });
  await page.goto(host.url);
  expect(await page.evaluate('typeof window.requestIdleCallback')).toBe('undefined');
  const listing = await call(host, 'library.list', {});
  await expect(page.getByTestId('scenario-card')).toHaveCount(listing.scenarios.length);
  expect(errors).toEqual([]);
});

test('a card sums its tags up by family, and shows every one in place with one keyboard action', async ({ page, host }) => {
  const listing = await call(host, 'library.list', {});
  // The scenario with the most tags: every family has more than a line shows.
  const scenario = [...listing.scenarios].sort((a, b) => new Set(b.tags).size - new Set(a.tags).size)[0]!;
  const count = new Set(scenario.tags).size;
  await page.goto(host.url);
  const card = page.getByTestId('scenario-card').filter({ has: page.getByRole('heading', { name: scenario.title, exact: true }) });
  const tags = card.getByRole('list', { name: `Tags of ${scenario.title}` });
  await expect(tags).toContainText('Best practice');
  await expect(tags).toContainText(/\+\d+ more/);
  // The scan covers every card, not only the first frame's (the others are drawn when the page is next idle).
  await expect(page.getByTestId('scenario-card')).toHaveCount(listing.scenarios.length);
  expect(await seriousA11yViolations(page)).toEqual([]);
  const lines = await tags.getByRole('listitem').count();
  expect(lines).toBeLessThan(count);
  // A line's tooltip describes each of its tags, the ones it does not name too.
  await expect(tags.getByRole('listitem').filter({ hasText: 'Best practice' })).toHaveAttribute('title', /Well-Architected security best practice SEC\d+-BP\d+/);

  const all = card.getByRole('button', { name: `All ${count} tags of ${scenario.title}` });
  await expect(all).toHaveAttribute('aria-expanded', 'false');
  await all.focus();
  await page.keyboard.press('Enter');
  const fewer = card.getByRole('button', { name: `Fewer tags of ${scenario.title}` });
  await expect(fewer).toHaveAttribute('aria-expanded', 'true');
  await expect(fewer).toBeFocused();
  await expect(tags.getByRole('listitem')).toHaveCount(count);
  // Each tag's description is on the page as text, not only in a tooltip a keyboard or screen-reader user never reaches.
  await expect(tags.getByRole('listitem').first()).toHaveText(/^Well-Architected security best practice SEC\d+-BP\d+ — \S/);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.keyboard.press('Space');
  await expect(all).toHaveAttribute('aria-expanded', 'false');
  await expect(tags.getByRole('listitem')).toHaveCount(lines);
  // Run, Preview and the studio's action keep their names.
  await expect(card.getByRole('link', { name: `Preview ${scenario.title}` })).toBeVisible();
  await expect(card.getByRole('link', { name: `Run ${scenario.title}` })).toBeVisible();
  await expect(card.getByRole('button', { name: `Duplicate to edit ${scenario.title}` })).toBeVisible();
});

test('the cards reflow on a 360-pixel screen and at 200 % zoom, folded or not', async ({ page, host }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  const card = page.getByTestId('scenario-card').first();
  await expect(card).toBeVisible();
  // A card of the library is far shorter than a screen: the facilitator scans several at once.
  expect((await card.boundingBox())!.height).toBeLessThan(1000);
  for (const viewport of [
    { width: 360, height: 640 },
    { width: 640, height: 400 },
  ]) {
    await page.setViewportSize(viewport);
    expect(await horizontalOverflow(page), `${viewport.width}×${viewport.height}`).toEqual([]);
    await card.getByRole('button', { name: /^All \d+ tags of / }).click();
    expect(await horizontalOverflow(page), `${viewport.width}×${viewport.height}, every tag shown`).toEqual([]);
    await card.getByRole('button', { name: /^Fewer tags of / }).click();
  }
  await page.screenshot({ path: test.info().outputPath('library-360.png'), fullPage: true });
});
