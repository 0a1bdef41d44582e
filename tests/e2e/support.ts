/**
 * Helpers the end-to-end specs share: calling the contract from the test,
 * watching for Content-Security-Policy violations, and axe-core checks.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { InputOf, MethodName, ResultOf } from '../../src-main/api/contract.ts';
import type { RunningHost } from './fixtures.ts';

/** Calls the contract as the facilitator, from the test (the same HTTP route the app uses). */
export async function call<M extends MethodName>(host: RunningHost, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  const response = await fetch(`${host.origin}/api/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify({ method, input }),
  });
  const body = (await response.json()) as { ok: true; result: ResultOf<M> } | { ok: false; error: { message: string } };
  if (!body.ok) throw new Error(`${method} failed: ${body.error.message}`);
  return body.result;
}

/**
 * The set-up most specs make through the contract before they look at a
 * screen: a session of one team ("Blue team") on a manual clock (speed 0),
 * started, and the next inject delivered `advances` times.
 */
export async function startedSession(
  host: RunningHost,
  options: {
    scenarioId: string;
    name: string;
    seed: string;
    facilitator?: string;
    participants?: InputOf<'sessions.create'>['teams'][number]['participants'];
    advances?: number;
  },
): Promise<ResultOf<'sessions.create'>> {
  const { scenarioId, name, seed, facilitator = 'Fran', participants = [], advances = 0 } = options;
  const session = await call(host, 'sessions.create', { scenarioId, name, facilitator, teams: [{ name: 'Blue team', participants }], speed: 0, seed });
  await call(host, 'sessions.start', { sessionId: session.id });
  for (let i = 0; i < advances; i++) await call(host, 'sessions.advance', { sessionId: session.id });
  return session;
}

/** Collects Content-Security-Policy violations the page reports, from its first script on. */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`), true);
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

/** axe-core violations of serious or critical impact, described for a readable failure. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'no impact given'}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`,
    );
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Elements wider than the window or scrolled sideways, described for a readable failure. */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden, dialog:not([open])')) continue;
      // The wide CloudTrail tables of the evidence scroll inside their own box until the evidence
      // components reflow them for the room (issue #11, item 3; not part of the console's layout).
      if (el.closest('.table-scroll')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0) continue;
      if (rect.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(rect.right)}`);
      if (!el.matches('.table-scroll') && el.scrollWidth > el.clientWidth + 1 && (style.overflowX === 'auto' || style.overflowX === 'scroll'))
        out.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways`);
    }
    return out.slice(0, 10);
  });
}

/**
 * The contract methods the page calls from now on (its POSTs to /api/call), in order:
 * proof that a key press did nothing is that it called nothing.
 */
export function watchCalls(page: Page): string[] {
  const methods: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/call') methods.push((request.postDataJSON() as { method: string }).method);
  });
  return methods;
}

/** Resolves once the page has run every task queued so far (a key's handlers, the calls they start). */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}
