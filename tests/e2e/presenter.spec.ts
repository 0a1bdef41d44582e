import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call } from './support.ts';

/**
 * The projector view follows the console live and never shows what only the
 * facilitator may see; its link's token can read nothing but the view.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;

type Inject = Extract<ScenarioInput['timeline'][number], { type: 'inject' }>;
type Decision = Extract<ScenarioInput['timeline'][number], { type: 'decision' }>;
const injects = sample.timeline.filter((n): n is Inject => n.type === 'inject');
const decisions = sample.timeline.filter((n): n is Decision => n.type === 'decision');
const inject = (id: string) => injects.find((n) => n.id === id)!;
const contain = decisions.find((d) => d.id === 'd-contain')!;

/** Markdown reduced to the words a reader sees (enough to find it in innerText). */
function plain(markdown: string): string {
  return markdown.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

/** Every piece of the sample that only the facilitator may see, as plain text. */
const facilitatorOnly: string[] = [
  plain(sample.guide.facilitatorBrief),
  ...injects.flatMap((n) => [...(n.expectedActions ?? []), ...(n.facilitatorNotes ? [n.facilitatorNotes] : [])]),
  ...decisions.flatMap((d) => [...(d.facilitatorNotes ? [d.facilitatorNotes] : []), ...d.options.flatMap((o) => (o.rationale ? [o.rationale] : []))]),
  ...(sample.contingencies ?? []).flatMap((c) => [...(c.expectedActions ?? []), ...(c.facilitatorNotes ? [c.facilitatorNotes] : [])]),
  ...(sample.guide.traps ?? []).flatMap((t) => [t.belief, t.reality]),
].map(plain);

/** The start of a text: long enough to be unmistakable, short enough to survive line wrapping. */
const head = (text: string) => text.slice(0, 48);

/** Fails if the presenter's whole text holds any facilitator-only text or the title of an inject not yet delivered. */
async function expectNothingForFacilitatorOnly(presenter: Page, delivered: readonly string[]): Promise<void> {
  const text = (await presenter.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
  for (const secret of facilitatorOnly) expect(text, 'facilitator-only text on the projector').not.toContain(head(secret));
  const upcoming = [...injects.filter((n) => !delivered.includes(n.id)).map((n) => n.title), ...(sample.contingencies ?? []).map((c) => c.title)];
  for (const title of upcoming) expect(text, 'an inject that has not been delivered is on the projector').not.toContain(title);
  expect(text).not.toMatch(/recommended|facilitator only|expected actions|coming next/i);
}

test('the presenter follows the console live and never shows facilitator-only content', async ({ page, host, context }) => {
  test.setTimeout(120_000);
  // A session on the manual clock, so scenario time moves only when the console says so.
  const session = await call(host, 'sessions.create', {
    scenarioId: sample.meta.id,
    name: 'Projector check',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
    seed: 'presenter-e2e',
  });

  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  await expect(page.getByRole('tab', { name: /Blue team/ })).toHaveAttribute('aria-selected', 'true');

  // "Open presenter" gives the link (and opens it: under the web host, a new tab with its own read-only token).
  const opened = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Open presenter' }).click();
  const href = await page.getByTestId('presenter-link').getAttribute('href');
  expect(href).toMatch(new RegExp(`^${host.origin}/#/present/${session.id}/team-1&token=[0-9a-f]{64}$`));
  const presenterToken = /token=([0-9a-f]{64})$/.exec(href!)![1]!;
  expect(presenterToken).not.toBe(host.token);
  const popup = await opened;
  await popup.close();

  // The projector, at 1280×720, recording every API call it makes.
  const presenter = await context.newPage();
  await presenter.setViewportSize({ width: 1280, height: 720 });
  const methods: string[] = [];
  presenter.on('request', (request) => {
    if (request.url().endsWith('/api/call')) methods.push((request.postDataJSON() as { method: string }).method);
  });
  await presenter.goto(href!);
  await expect(presenter.getByRole('heading', { level: 1, name: 'Blue team' })).toBeVisible();
  await expect(presenter.getByText(sample.meta.title).first()).toBeVisible();
  // Before the start the room sees the title slide with the opening brief.
  await expect(presenter.getByTestId('room-slide')).toHaveAttribute('data-slide', 'title');
  await expect(presenter.getByTestId('room-slide')).toContainText(plain(sample.guide.openingBrief).slice(0, 40));
  // No app navigation on the projector, and the token is gone from the address bar.
  await expect(presenter.getByRole('link')).toHaveCount(0);
  expect(presenter.url()).not.toContain('token=');
  await expect(presenter.getByText(sample.meta.sensitivity)).toBeVisible();
  await expectNothingForFacilitatorOnly(presenter, []);

  // Start: the first inject reaches the projector.
  await page.getByRole('button', { name: 'Start exercise' }).click();
  const shown = presenter.getByTestId('presenter-inject');
  await expect(shown.getByRole('heading', { name: inject('i-alert').title })).toBeVisible();
  await expect(presenter.getByRole('heading', { name: 'Secret-scanning alert from the code host' })).toBeVisible();
  await expectNothingForFacilitatorOnly(presenter, ['i-alert']);

  // Each "Next inject" in the console is followed on the projector.
  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(shown.getByRole('heading', { name: inject('i-health').title })).toBeVisible();
  await expect(presenter.getByTestId('presenter-clock')).toHaveText('02:00');
  await expectNothingForFacilitatorOnly(presenter, ['i-alert', 'i-health']);

  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(shown.getByRole('heading', { name: inject('i-guardduty').title })).toBeVisible();
  const decision = presenter.getByTestId('presenter-decision');
  await expect(decision.getByRole('heading', { name: contain.title })).toBeVisible();
  for (const option of contain.options) await expect(decision).toContainText(option.label);
  await expect(decision).toContainText('05:00'); // the time limit, standing still on the manual clock
  await expectNothingForFacilitatorOnly(presenter, ['i-alert', 'i-health', 'i-guardduty']);
  await presenter.screenshot({ path: test.info().outputPath('presenter-decision.png') });

  // The decision recorded in the console closes it on the projector.
  await page
    .getByTestId('decision-panel')
    .getByRole('radio', { name: /Deactivate the access key now/ })
    .check();
  await page.getByTestId('decision-panel').getByRole('button', { name: 'Record decision' }).click();
  await expect(decision).toHaveCount(0);
  // Red team has not decided: moving on past its time limit asks first.
  await page.getByRole('button', { name: /Next inject/ }).click();
  const confirmJump = page.getByRole('dialog', { name: 'Move the clock on?' });
  await expect(confirmJump).toContainText('Red team');
  await confirmJump.getByRole('button', { name: 'Move on to 12:00' }).click();
  await expect(shown.getByRole('heading', { name: inject('i-scope').title })).toBeVisible();
  await expect(presenter.getByTestId('presenter-clock')).toHaveText('12:00');
  await expectNothingForFacilitatorOnly(presenter, ['i-alert', 'i-health', 'i-guardduty', 'i-scope']);
  await presenter.screenshot({ path: test.info().outputPath('presenter.png') });

  // The projector called nothing but presenter.view (and its join card, presenter.joinCard), and its token can call nothing else.
  expect(methods.length).toBeGreaterThan(0);
  expect([...new Set(methods)].sort()).toEqual(['presenter.joinCard', 'presenter.view']);
  const refused = await presenter.evaluate(
    async ({ token, sessionId }) => {
      const post = (method: string, input: unknown) =>
        fetch('/api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ method, input }),
        }).then((r) => r.status);
      return {
        get: await post('sessions.get', { sessionId }),
        events: await post('sessions.events', { sessionId }),
        library: await post('library.list', {}),
        view: await post('presenter.view', { sessionId, teamId: 'team-2' }),
      };
    },
    { token: presenterToken, sessionId: session.id },
  );
  expect(refused).toEqual({ get: 403, events: 403, library: 403, view: 200 });
});
