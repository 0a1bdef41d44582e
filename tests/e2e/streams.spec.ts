import { readFileSync } from 'node:fs';
import type { Page, WebSocket } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, watchCsp } from './support.ts';

/**
 * Any number of windows and tabs keep working under the web host. A browser
 * allows six HTTP/1.1 connections per host across all its tabs; with an event
 * stream per tab, a console and five presenter tabs used to leave the
 * console's calls waiting for a free connection until they timed out. The
 * pushes now travel over WebSockets, which that limit does not count.
 */

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
const injectTitle = (id: string) => {
  const node = sample.timeline.find((n) => n.id === id);
  if (!node || node.type !== 'inject') throw new Error(`no inject ${id}`);
  return node.title;
};

test('the console and six presenter tabs in one browser: the console still answers and every tab hears its events', async ({ page, host, context }) => {
  test.setTimeout(120_000);
  const session = await call(host, 'sessions.create', {
    scenarioId: sample.meta.id,
    name: 'Many screens',
    facilitator: 'Fran',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
    seed: 'streams-e2e',
  });

  const cspViolations = await watchCsp(page);
  const sockets: WebSocket[] = [];
  context.on('page', (opened) => opened.on('websocket', (ws) => sockets.push(ws)));
  page.on('websocket', (ws) => sockets.push(ws));
  const open = () => sockets.filter((ws) => !ws.isClosed());

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/sessions/${session.id}/team-1`);
  await expect(page.getByTestId('session-status')).toHaveText('Not started');

  // Six projector tabs, three per team, each with its own narrow token.
  const presenters: Page[] = [];
  for (let i = 0; i < 6; i++) {
    const teamId = i % 2 === 0 ? 'team-1' : 'team-2';
    const { url } = await call(host, 'sessions.openPresenter', { sessionId: session.id, teamId });
    const presenter = await context.newPage();
    await presenter.goto(url!);
    await expect(presenter.getByRole('heading', { level: 1, name: teamId === 'team-1' ? 'Blue team' : 'Red team' })).toBeVisible();
    presenters.push(presenter);
  }
  // Every tab is listening: seven sockets, none of them an HTTP connection held open.
  await expect.poll(() => open().length).toBe(7);
  expect(open().every((ws) => new URL(ws.url()).pathname === '/api/events')).toBe(true);

  // The console's own calls still answer, promptly enough for Playwright's default waits.
  await page.getByRole('button', { name: 'Start exercise' }).click();
  await expect(page.getByTestId('session-status')).toHaveText(/Manual/);
  for (const presenter of presenters) await expect(presenter.getByText(injectTitle('i-alert')).first()).toBeVisible();

  await page.getByRole('button', { name: /Next inject/ }).click();
  await expect(page.getByTestId('scenario-clock')).toHaveText('02:00');
  for (const presenter of presenters) await expect(presenter.getByText(injectTitle('i-health')).first()).toBeVisible();

  // A seventh tab of the console itself, and the first console keeps answering too.
  const second = await context.newPage();
  await second.goto(host.url);
  await second.goto(`${host.origin}/#/sessions/${session.id}/team-2`);
  await expect(second.getByTestId('scenario-clock')).toHaveText('02:00');
  await second.getByRole('button', { name: /Next inject/ }).click();
  await expect(page.getByTestId('scenario-clock')).toHaveText('05:00');
  for (const presenter of presenters) await expect(presenter.getByText(injectTitle('i-guardduty')).first()).toBeVisible();
  // Twenty calls from the console with every tab open: all answer (how long they take is
  // recorded for the report, never asserted).
  const answered = await page.evaluate(async (sessionId) => {
    const token = sessionStorage.getItem('sandtable.token');
    const statuses: number[] = [];
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const response = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` },
        body: JSON.stringify({ method: 'sessions.get', input: { sessionId } }),
      });
      await response.json();
      ms.push(performance.now() - started);
      statuses.push(response.status);
    }
    ms.sort((a, b) => a - b);
    return { statuses, medianMs: ms[10]!, maxMs: ms[19]! };
  }, session.id);
  expect(answered.statuses).toEqual(Array(20).fill(200));
  test.info().annotations.push({ type: 'sessions.get with 8 tabs open', description: `median ${answered.medianMs.toFixed(1)} ms, max ${answered.maxMs.toFixed(1)} ms` });
  console.log(`sessions.get with the console, a second console and six presenter tabs open: median ${answered.medianMs.toFixed(1)} ms, max ${answered.maxMs.toFixed(1)} ms`);
  // The socket is within the page's Content-Security-Policy (connect-src 'self' covers ws: to the same host).
  expect(await cspViolations()).toEqual([]);
});
