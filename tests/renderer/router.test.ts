import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { parseRoute, Router, routeHash, type Route } from '../../src-renderer/src/lib/router.svelte.ts';

afterEach(() => {
  window.location.hash = '';
});

describe('parseRoute and routeHash', () => {
  const routes: Route[] = [
    { name: 'library' },
    { name: 'scenario', id: 'ransomware-1.0' },
    { name: 'setup', scenarioId: 'cloud_leak' },
    { name: 'session', sessionId: '3f2c1d4e-aaaa-bbbb-cccc-0123456789ab', teamId: null },
    { name: 'session', sessionId: 's1', teamId: 'team-2' },
    { name: 'present', sessionId: 's1', teamId: 'team-1' },
    { name: 'room', sessionId: 's1' },
    { name: 'msel-import' },
    { name: 'debrief', sessionId: 's1' },
    { name: 'report', sessionId: 's1', pseudonymise: true },
    { name: 'report', sessionId: 's1', pseudonymise: false },
    { name: 'trends', scenarioId: null, teamName: 'Blue team' },
    { name: 'trends', scenarioId: 'cloud_leak', teamName: null },
    { name: 'improvement' },
    { name: 'studio', draftId: null },
    { name: 'studio', draftId: '0b6f3c1e-1d2a-4c5b-9e8f-7a6b5c4d3e2f' },
  ];

  it.each(routes.map((r) => [routeHash(r), r] as const))('reads %s back as the route it was written from', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('shows the library for anything it does not know, malformed or hostile, so the launch link always lands', () => {
    for (const hash of [
      '',
      '#',
      '#token=' + 'a'.repeat(64),
      '#/nope',
      '#/scenarios/%E0%A4%A',
      '#/scenarios/../etc',
      '#/sessions/',
      '#/present/s1/t/extra',
      '#/setup/<script>',
      '#/studio/a/b',
      '#/studio/<x>',
    ]) {
      expect(parseRoute(hash), hash).toEqual({ name: 'library' });
    }
  });

  it('ignores a launch token written after the route', () => {
    expect(parseRoute(`#/present/s1/team-1&token=${'b'.repeat(64)}`)).toEqual({ name: 'present', sessionId: 's1', teamId: 'team-1' });
  });
});

describe('Router', () => {
  it('follows the address bar, navigates with a history entry and replaces in place', async () => {
    window.location.hash = '#/debrief/s1';
    const router = new Router(window);
    expect(router.route).toEqual({ name: 'debrief', sessionId: 's1' });
    const stop = router.start();

    router.navigate({ name: 'room', sessionId: 's2' });
    expect(window.location.hash).toBe('#/present/s2');
    expect(router.route).toEqual({ name: 'room', sessionId: 's2' });

    const before = window.history.length;
    router.replace({ name: 'session', sessionId: 's2', teamId: 'team-3' });
    expect(window.location.hash).toBe('#/sessions/s2/team-3');
    expect(window.history.length).toBe(before);

    // A change made outside the router (Back, a typed address) is followed.
    const changed = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    window.location.hash = '#/improvement';
    await changed;
    flushSync();
    expect(router.route).toEqual({ name: 'improvement' });

    stop();
    const after = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    window.location.hash = '#/trends';
    await after;
    expect(router.route).toEqual({ name: 'improvement' });
  });
});
