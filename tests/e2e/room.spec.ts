import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test, type RunningHost } from './fixtures.ts';
import { call, seriousA11yViolations } from './support.ts';

/**
 * The room: a three-team exercise of a built-in scenario, shown on one
 * projector screen (and on one team's screen) at projector resolutions —
 * nothing scrolls sideways, every option of an open decision is on screen,
 * the handling marking overlaps nothing, every team is shown, nothing only
 * the facilitator may see reaches it, and axe finds nothing serious. The
 * facilitator drives it from the console: slides, spotlight, scroll, clock.
 * Screenshots for review go to test-results/room/.
 */

const scenario = JSON.parse(readFileSync('scenarios/04-ransomware-backup-destruction.json', 'utf8')) as ScenarioInput;
const SHOTS = 'test-results/room';
mkdirSync(SHOTS, { recursive: true });

type Inject = Extract<ScenarioInput['timeline'][number], { type: 'inject' }>;
type Decision = Extract<ScenarioInput['timeline'][number], { type: 'decision' }>;
const injects = scenario.timeline.filter((n): n is Inject => n.type === 'inject');
const decisions = scenario.timeline.filter((n): n is Decision => n.type === 'decision');

/** Markdown reduced to the words a reader sees. */
const plain = (markdown: string) =>
  markdown
    .replace(/[*_`#>]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

/** Every piece of the scenario only the facilitator may see. */
const facilitatorOnly: string[] = [
  scenario.guide.facilitatorBrief,
  scenario.guide.debrief.whatGoodLooksLike,
  ...(scenario.guide.traps ?? []).flatMap((t) => [t.belief, t.reality]),
  ...injects.flatMap((n) => [...(n.expectedActions ?? []), ...(n.facilitatorNotes ? [n.facilitatorNotes] : [])]),
  ...decisions.flatMap((d) => [...(d.facilitatorNotes ? [d.facilitatorNotes] : []), ...d.options.flatMap((o) => (o.rationale ? [o.rationale] : []))]),
  ...(scenario.contingencies ?? []).flatMap((c) => [...(c.expectedActions ?? []), ...(c.facilitatorNotes ? [c.facilitatorNotes] : [])]),
]
  .map(plain)
  .filter((text) => text.length >= 12);

/** The start of a text: long enough to be unmistakable, short enough to survive line wrapping. */
const head = (text: string) => text.slice(0, 40);

async function expectNoFacilitatorOnly(page: Page): Promise<void> {
  const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
  for (const secret of facilitatorOnly) expect(text, 'facilitator-only text on the room screen').not.toContain(head(secret));
  expect(text).not.toMatch(/expected actions|facilitator only|recommended|coming next/i);
}

/** Elements wider inside than they are (scrollWidth > clientWidth), named for a readable failure. */
function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) found.push(`the page (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      // Text for screen readers only sits in a clipped 1-pixel box: it is not on screen to scroll.
      // (SVG drawings, e.g. the preview's branch graph, have no scroll box.)
      if (!(el instanceof HTMLElement) || el.closest('.visually-hidden')) continue;
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth) {
        found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${el.scrollWidth} > ${el.clientWidth}): ${el.textContent.slice(0, 60)}`);
      }
    }
    return found;
  });
}

/** Options of open decisions that are not wholly inside the viewport, or hidden under something else. */
function optionsOffScreen(page: Page, testId: string): Promise<{ count: number; off: string[] }> {
  return page.evaluate((id) => {
    const options = [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
    const off: string[] = [];
    for (const option of options) {
      const r = option.getBoundingClientRect();
      const inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
      // Clipped by a parent that hides overflow: what is drawn at its corners is not the option.
      const probe = (x: number, y: number) => {
        const hit = document.elementFromPoint(x, y);
        return hit !== null && (option === hit || option.contains(hit) || hit.contains(option));
      };
      const seen = inside && probe(r.left + 2, r.top + 2) && probe(r.right - 2, r.bottom - 2);
      if (!seen) off.push(`${option.textContent.trim().slice(0, 50)} at ${Math.round(r.top)}–${Math.round(r.bottom)} of ${window.innerHeight}`);
    }
    return { count: options.length, off };
  }, testId);
}

/** Visible elements whose box intersects the marking's (its own ancestors and descendants aside). */
function overMarking(page: Page, testId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const marking = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    if (!marking) return ['no marking'];
    const m = marking.getBoundingClientRect();
    const hits: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el === marking || el.contains(marking) || marking.contains(el)) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || style.clipPath === 'inset(50%)') continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      if (r.left < m.right && r.right > m.left && r.top < m.bottom && r.bottom > m.top)
        hits.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ${el.textContent.trim().slice(0, 40)}`);
    }
    return hits;
  }, testId);
}

const VIEWPORTS = [
  { width: 1024, height: 768, scale: 1 },
  { width: 1280, height: 720, scale: 1 },
  { width: 1366, height: 768, scale: 1 },
  { width: 1920, height: 1080, scale: 1 },
  { width: 1280, height: 720, scale: 2 },
] as const;

/** Next inject until every team's technical (lead) track has its first decision open; the executive track runs beside it. */
async function toFirstTechnicalDecision(host: RunningHost, sessionId: string): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const now = await call(host, 'sessions.get', { sessionId });
    if (now.teams.every((t) => t.tracks[0]!.openDecision?.id === 'd-credential')) return;
    await call(host, 'sessions.advance', { sessionId });
  }
}

/** A three-team session of the ransomware scenario on the manual clock. */
async function threeTeams(host: RunningHost) {
  return call(host, 'sessions.create', {
    scenarioId: scenario.meta.id,
    name: 'Room check',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }, { name: 'Green team' }],
    speed: 0,
    seed: 'room-e2e',
  });
}

/** Opens a link on a projector of the given size and checks everything the room must hold to. */
async function checkProjector(
  browser: Browser,
  url: string,
  viewport: (typeof VIEWPORTS)[number],
  opts: { kind: 'room' | 'presenter'; shot: string; ready: (page: Page) => Promise<void>; decisions: number },
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: viewport.scale });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await opts.ready(page);
    // Fonts and the decision countdown settle before measuring.
    await page.evaluate(() => document.fonts.ready);
    const label = `${opts.kind} at ${viewport.width}×${viewport.height}${viewport.scale > 1 ? ` @${viewport.scale}x` : ''}`;
    await page.screenshot({ path: `${SHOTS}/${opts.shot}-${viewport.width}x${viewport.height}${viewport.scale > 1 ? `@${viewport.scale}x` : ''}.png` });
    expect(await horizontalOverflow(page), `${label}: horizontal overflow`).toEqual([]);
    const options = await optionsOffScreen(page, opts.kind === 'room' ? 'room-option' : 'presenter-option');
    expect(options.count, `${label}: options of the open decisions`).toBeGreaterThanOrEqual(opts.decisions * 2);
    expect(options.off, `${label}: options not wholly on screen`).toEqual([]);
    expect(await overMarking(page, opts.kind === 'room' ? 'room-marking' : 'presenter-marking'), `${label}: the marking overlaps`).toEqual([]);
    await expectNoFacilitatorOnly(page);
    expect(await seriousA11yViolations(page), `${label}: axe`).toEqual([]);
  } finally {
    await context.close();
  }
}

test('the room view shows every team at projector resolutions: no sideways scrolling, decisions whole, the marking clear, nothing for the facilitator only', async ({
  page,
  host,
  browser,
}) => {
  test.setTimeout(240_000);
  const session = await threeTeams(host);

  // The facilitator opens the room view from the console (1440×900), before the start.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  const controls = page.getByTestId('room-controls');
  await expect(page.getByTestId('opening-guide')).toContainText(plain(scenario.guide.openingBrief).slice(0, 40));
  const popup = page.context().waitForEvent('page');
  await controls.getByRole('button', { name: /Open room view/ }).click();
  const roomUrl = (await controls.getByTestId('room-link').getAttribute('href'))!;
  expect(roomUrl).toMatch(new RegExp(`^${host.origin}/#/present/${session.id}&token=[0-9a-f]{64}$`));
  await (await popup).close();
  const teamUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id, teamId: 'team-1' })).url!;

  // Before the start the room sees the title slide with the opening brief.
  for (const viewport of [VIEWPORTS[0], VIEWPORTS[1]]) {
    await checkProjector(browser, roomUrl, viewport, {
      kind: 'room',
      shot: 'room-before-start',
      decisions: 0,
      ready: async (p) => {
        await expect(p.getByTestId('room-slide')).toHaveAttribute('data-slide', 'title');
        await expect(p.getByRole('heading', { name: scenario.meta.title, level: 2 })).toBeVisible();
      },
    });
  }

  // Start, and move on to the first decision: all three teams have it open.
  await page.getByRole('button', { name: 'Start exercise' }).click();
  await expect(page.getByTestId('opening-guide')).toHaveCount(0);
  // The scenario runs an executive track beside the technical one: next inject until the technical track's first
  // decision is open, and the executives take their first decision, so each team has one decision open.
  await toFirstTechnicalDecision(host, session.id);
  for (const team of (await call(host, 'sessions.get', { sessionId: session.id })).teams) {
    for (const track of team.tracks.slice(1)) {
      if (!track.openDecision) continue;
      const open = decisions.find((d) => d.id === track.openDecision!.id)!;
      await call(host, 'sessions.recordDecision', { sessionId: session.id, teamId: team.id, decisionId: open.id, optionId: open.options.find((o) => o.recommended)!.id });
    }
  }
  const state = await call(host, 'sessions.get', { sessionId: session.id });
  expect(state.teams.map((t) => t.openDecision?.id)).toEqual(['d-credential', 'd-credential', 'd-credential']);
  await call(host, 'sessions.markMilestone', { sessionId: session.id, teamId: 'team-1', milestoneId: 'detected' });
  const decision = decisions.find((d) => d.id === 'd-credential')!;

  const roomReady = async (p: Page) => {
    await expect(p.getByTestId('room-team')).toHaveCount(3);
    for (const name of ['Blue team', 'Red team', 'Green team']) await expect(p.getByRole('heading', { name, level: 2 })).toBeInViewport();
    await expect(p.getByTestId('room-decision')).toHaveCount(3);
    await expect(p.getByTestId('room-decision').first()).toContainText(decision.title);
    await expect(p.getByTestId('room-phase').first()).toHaveText('Containment');
  };
  for (const viewport of VIEWPORTS) {
    await checkProjector(browser, roomUrl, viewport, { kind: 'room', shot: 'room-decisions', decisions: 3, ready: roomReady });
    await checkProjector(browser, teamUrl, viewport, {
      kind: 'presenter',
      shot: 'team-decision',
      decisions: 1,
      ready: async (p) => {
        await expect(p.getByTestId('presenter-decision')).toContainText(decision.title);
        // The scenario runs two tracks: the team's screen shows each track's latest inject.
        await expect(p.getByTestId('presenter-track')).toHaveCount(scenario.tracks!.length);
        await expect(p.getByTestId('presenter-track').first()).toContainText(injects.find((i) => i.next === 'd-credential')!.title);
      },
    });
  }

  // The facilitator spotlights the CloudTrail evidence: it yields space, the decisions stay whole.
  const trail = scenario.evidence!.find((e) => e.id === 'ev-ct-attack')!;
  await call(host, 'sessions.setRoom', { sessionId: session.id, spotlight: { evidenceId: trail.id, record: null } });
  for (const viewport of VIEWPORTS) {
    await checkProjector(browser, roomUrl, viewport, {
      kind: 'room',
      shot: 'room-spotlight',
      decisions: 3,
      ready: async (p) => {
        await roomReady(p);
        await expect(p.getByTestId('room-spotlight')).toHaveAttribute('data-evidence-id', trail.id);
      },
    });
    await checkProjector(browser, teamUrl, viewport, {
      kind: 'presenter',
      shot: 'team-spotlight',
      decisions: 1,
      ready: async (p) => expect(p.getByTestId('room-spotlight')).toHaveAttribute('data-evidence-id', trail.id),
    });
  }
});

test('slides, spotlight, scroll and the clock set in the console reach the room view, which can change none of it', async ({ page, host, context }) => {
  test.setTimeout(120_000);
  const session = await threeTeams(host);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  await page.getByRole('button', { name: 'Start exercise' }).click();
  await expect(page.getByTestId('opening-guide')).toHaveCount(0);
  await toFirstTechnicalDecision(host, session.id);

  const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
  const room = await context.newPage();
  await room.setViewportSize({ width: 1280, height: 720 });
  const methods: string[] = [];
  room.on('request', (request) => {
    if (request.url().endsWith('/api/call')) methods.push((request.postDataJSON() as { method: string }).method);
  });
  await room.goto(roomUrl);
  await expect(room.getByTestId('room-team')).toHaveCount(3);
  await expect(room.getByTestId('room-slide')).toHaveCount(0);

  const controls = page.getByTestId('room-controls');
  const showing = controls.getByTestId('room-showing');
  const slide = room.getByTestId('room-slide');

  // Title slide with the opening brief.
  await controls.getByRole('button', { name: 'Title and brief' }).click();
  await expect(slide).toHaveAttribute('data-slide', 'title');
  await expect(slide).toContainText(plain(scenario.guide.openingBrief).slice(0, 40));
  await expect(showing).toContainText('Title and opening brief slide');
  await room.screenshot({ path: `${SHOTS}/slide-title-1280x720.png` });

  // A phase slide, with the guide's questions for that phase.
  const containment = scenario.guide.phaseQuestions!.find((p) => p.phase === 'phase:containment')!;
  await controls.getByLabel('Phase', { exact: true }).selectOption('phase:containment');
  await controls.getByRole('button', { name: 'Show phase' }).click();
  await expect(slide).toHaveAttribute('data-slide', 'phase');
  await expect(slide.getByRole('heading', { name: 'Containment' })).toBeVisible();
  await expect(slide).toContainText(containment.questions[0]!);
  await room.screenshot({ path: `${SHOTS}/slide-phase-1280x720.png` });

  // A pause slide with a message.
  await controls.getByLabel('Message on the pause slide').fill('Back at 10:45 — coffee is in the hall');
  await controls.getByRole('button', { name: 'Pause slide' }).click();
  await expect(slide).toHaveAttribute('data-slide', 'pause');
  await expect(slide).toContainText('Back at 10:45 — coffee is in the hall');
  await room.screenshot({ path: `${SHOTS}/slide-pause-1280x720.png` });

  // Back to the live view; then one CloudTrail record spotlit, enlarged with its full JSON.
  await controls.getByRole('button', { name: 'Live view' }).click();
  await expect(slide).toHaveCount(0);
  const trail = scenario.evidence!.find((e) => e.id === 'ev-ct-attack');
  if (trail?.kind !== 'cloudtrail') throw new Error('ev-ct-attack is CloudTrail evidence');
  const recordIndex = Math.min(2, trail.records.length - 1);
  await controls.getByLabel(`Record of ${trail.caption}`).selectOption(String(recordIndex));
  await controls.getByRole('button', { name: `Spotlight ${trail.caption}` }).click();
  const spot = room.getByTestId('room-spotlight');
  await expect(spot).toHaveAttribute('data-evidence-id', trail.id);
  await expect(spot).toContainText(`record ${recordIndex + 1} of ${trail.records.length}`);
  await expect(spot).toContainText(trail.records[recordIndex]!.eventName!);
  await expect(spot.getByRole('group', { name: /The full record/ })).toContainText(`"eventName"`);
  await expect(spot.locator('.record.highlight')).toHaveCount(1);
  await room.screenshot({ path: `${SHOTS}/spotlight-record-1280x720.png` });

  // Scrolling the room screen moves the spotlight area, and Top brings it back.
  const area = room.locator('.spotlight-area');
  await controls.getByRole('button', { name: 'Scroll down' }).click();
  await expect.poll(() => area.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await room.screenshot({ path: `${SHOTS}/spotlight-scrolled-1280x720.png` });
  await controls.getByRole('button', { name: 'Top' }).click();
  await expect.poll(() => area.evaluate((el) => el.scrollTop)).toBe(0);
  // The room cannot scroll itself: a wheel over it moves nothing.
  await room.mouse.move(640, 600);
  const wheeled = room.evaluate(() => new Promise<boolean>((resolve) => window.addEventListener('wheel', () => resolve(true), { once: true })));
  await room.mouse.wheel(0, 600);
  expect(await wheeled, 'the wheel reached the room').toBe(true);
  // Two frames: a scroll the wheel started would have moved by now.
  await room.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await area.evaluate((el) => el.scrollTop)).toBe(0);

  // The clock hides and comes back.
  await expect(room.getByTestId('room-clock')).toBeVisible();
  await controls.getByLabel('Show the clock').uncheck();
  await expect(room.getByTestId('room-clock')).toHaveCount(0);
  await expect(showing).toContainText('clock hidden');
  await controls.getByLabel('Show the clock').check();
  await expect(room.getByTestId('room-clock')).toBeVisible();

  // Clearing the spotlight returns to the teams alone.
  await controls.getByRole('button', { name: 'Clear spotlight' }).click();
  await expect(spot).toHaveCount(0);

  // The room called nothing but presenter.room (and images, were there any, and its join card, shown only while joining is open), and nothing in it can be clicked.
  expect([...new Set(methods)].filter((m) => m !== 'presenter.asset' && m !== 'presenter.joinCard')).toEqual(['presenter.room']);
  await expect(room.getByRole('button')).toHaveCount(0);
  await expect(room.getByRole('link')).toHaveCount(0);
  await expectNoFacilitatorOnly(room);

  // The console shows the guide beside the inject: its phase's questions and the traps.
  // (One guide per track: the technical track's inject is in the analysis phase.)
  const analysis = scenario.guide.phaseQuestions!.find((p) => p.phase === 'phase:analysis')!;
  const guide = page.getByTestId('phase-guide').filter({ hasText: analysis.questions[0]! });
  await expect(guide).toContainText(analysis.questions[0]!);
  await guide.getByText(/Traps to spring/).click();
  await expect(guide).toContainText(scenario.guide.traps![0]!.title);
  await page.screenshot({ path: `${SHOTS}/console-guide-1440x900.png` });
  // The console's new panels (guide, room controls) hold to the same accessibility bar as the rest.
  expect(await seriousA11yViolations(page), 'console with the guide and room controls: axe').toEqual([]);
  await controls.scrollIntoViewIfNeeded();
  await controls.screenshot({ path: `${SHOTS}/console-room-controls.png` });
});

test('evidence a room can read: records as AWS documents them, in the preview, the console and the room', async ({ page, host, browser }) => {
  test.setTimeout(120_000);
  // The sample scenario with AWS's own examples as its evidence: a failed console sign-in
  // (errorMessage and ConsoleLogin "Failure", no errorCode), a 5 KB RunInstances by a role
  // session, and a GuardDuty sample finding whose API call was denied.
  const aws = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`tests/fixtures/aws/${name}.json`, 'utf8')) as Record<string, unknown>;
  const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as { meta: { id: string; title: string }; evidence: Array<Record<string, unknown>> };
  sample.meta.id = 'aws-documented-records';
  sample.meta.title = 'AWS-documented records';
  for (const evidence of sample.evidence) {
    if (evidence.kind === 'cloudtrail') evidence.records = [aws('cloudtrail-console-login-failure'), aws('cloudtrail-run-instances')];
    if (evidence.kind === 'guardduty') evidence.finding = aws('guardduty-malicious-ip-caller');
  }
  await call(host, 'library.import', { text: JSON.stringify(sample), replace: false });

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/scenarios/${sample.meta.id}`);
  const login = page.getByTestId('cloudtrail-row').filter({ hasText: 'ConsoleLogin' }).first();
  await expect(login).toHaveAttribute('data-failed', 'true');
  await expect(login.getByTestId('cloudtrail-failed')).toHaveText('Failed');
  await expect(login).toContainText('Failed authentication');
  await expect(login).toContainText('192.0.2.100');
  const run = page.getByTestId('cloudtrail-row').filter({ hasText: 'RunInstances' }).first();
  await expect(run).toHaveAttribute('data-failed', 'false');
  await expect(run).toContainText('AssumedRole');
  await expect(run).toContainText('assumed-role/RoleToBeAssumed/MySessionName');
  await expect(run).toContainText('issued by role/RoleToBeAssumed');
  await expect(run).toContainText('us-east-2');
  await run.getByRole('button', { name: /JSON/ }).click();
  const json = run.getByRole('group', { name: /Raw JSON of record 2, RunInstances/ });
  await expect(json).toContainText('"instanceType": "p4d.24xlarge"');
  expect(await json.locator('.json-key').count()).toBeGreaterThan(40);
  // Sections open and close; a closed one keeps its first line.
  const summary = json.locator('summary', { hasText: /^"responseElements": \{/ });
  const response = summary.locator('xpath=..');
  await summary.click();
  await expect(response).not.toHaveAttribute('open');
  const reservation = json.locator('.json-line', { hasText: '"reservationId": "r-0123456789abcdef0"' });
  await expect(reservation).toBeHidden();
  await summary.click();
  await expect(response).toHaveAttribute('open');
  await expect(reservation).toBeVisible();
  const action = page.getByTestId('guardduty-action').first();
  for (const text of [
    'API call',
    'GeneratedFindingAPIName on GeneratedFindingAPIServiceName',
    '198.51.100.0',
    'GeneratedFindingORG',
    'GeneratedFindingCountryName',
    'Denied (AccessDenied)',
  ]) {
    await expect(action).toContainText(text);
  }
  expect(await horizontalOverflow(page), 'preview at 1280×720').toEqual([]);
  await run.screenshot({ path: `${SHOTS}/preview-runinstances-json.png` });
  await page
    .getByTestId('guardduty-card')
    .first()
    .screenshot({ path: `${SHOTS}/preview-guardduty.png` });

  // In the room: the RunInstances record spotlit, whole and readable at 1024×768.
  const session = await call(host, 'sessions.create', { scenarioId: sample.meta.id, name: 'Records', facilitator: 'Fran', teams: [{ name: 'Blue' }, { name: 'Red' }], speed: 0 });
  await call(host, 'sessions.start', { sessionId: session.id });
  for (let i = 0; i < 2; i++) await call(host, 'sessions.advance', { sessionId: session.id });
  const trail = sample.evidence.find((e) => e.kind === 'cloudtrail')!;
  await call(host, 'sessions.setRoom', { sessionId: session.id, spotlight: { evidenceId: trail.id as string, record: 1 } });
  const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
  await checkProjector(browser, roomUrl, VIEWPORTS[0], {
    kind: 'room',
    shot: 'room-runinstances-record',
    decisions: 2,
    ready: async (p) => {
      await expect(p.getByTestId('room-spotlight')).toContainText('RunInstances');
      await expect(p.getByTestId('room-spotlight').getByRole('group', { name: /The full record 2/ })).toContainText('"sessionIssuer"');
    },
  });
  // Login failure spotlit on a team's screen, flagged.
  await call(host, 'sessions.setRoom', { sessionId: session.id, spotlight: { evidenceId: trail.id as string, record: 0 } });
  const teamUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id, teamId: 'team-1' })).url!;
  await checkProjector(browser, teamUrl, VIEWPORTS[1], {
    kind: 'presenter',
    shot: 'team-failed-login',
    decisions: 1,
    ready: async (p) => expect(p.getByTestId('room-spotlight').getByTestId('cloudtrail-failed')).toHaveText('Failed'),
  });
});

test('six teams, each with a decision open, still fit one projector screen whole', async ({ host, browser }) => {
  test.setTimeout(120_000);
  const session = await call(host, 'sessions.create', {
    scenarioId: scenario.meta.id,
    name: 'Six teams',
    facilitator: 'Fran',
    teams: ['Blue', 'Red', 'Green', 'Amber', 'Violet', 'Teal'].map((name) => ({ name: `${name} team` })),
    speed: 0,
  });
  await call(host, 'sessions.start', { sessionId: session.id });
  for (let i = 0; i < 2; i++) await call(host, 'sessions.advance', { sessionId: session.id });
  const roomUrl = (await call(host, 'sessions.openPresenter', { sessionId: session.id })).url!;
  for (const viewport of [VIEWPORTS[0], VIEWPORTS[1]]) {
    await checkProjector(browser, roomUrl, viewport, {
      kind: 'room',
      shot: 'room-six-teams',
      decisions: 6,
      ready: async (p) => {
        await expect(p.getByTestId('room-team')).toHaveCount(6);
        await expect(p.getByTestId('room-decision')).toHaveCount(6);
      },
    });
  }
});
