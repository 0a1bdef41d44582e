import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.ts';
import { call, cleanup, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

describe('parallel tracks across a restart', () => {
  it('comes back with every track where it was: both decisions open, one decided, the stored snapshots naming each region', async () => {
    const { open, clock, dataDir } = setup();
    copyFileSync('tests/fixtures/scenarios/two-tracks.json', join(dirname(dataDir), 'scenarios', 'two-tracks.json'));
    const first = open();
    const { id } = await call(first, 'sessions.create', { scenarioId: 'two-tracks', name: 'x', facilitator: 'y', teams: [{ name: 'A' }, { name: 'B' }], seed: 's' });
    await call(first, 'sessions.start', { sessionId: id });
    clock.advance(6 * MIN);
    await call(first, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'xd1', optionId: 'hold', rationale: 'r', decidedBy: 'Dana' });
    const before = await call(first, 'sessions.get', { sessionId: id });
    expect(before.teams.map((t: any) => t.tracks.map((track: any) => track.openDecision?.id ?? null))).toEqual([
      ['td1', null],
      ['td1', 'xd1'],
    ]);
    expect(before.teams[0].tracks.map((t: any) => [t.id, t.title, t.currentInject])).toEqual([
      ['technical', 'Technical response', 't1'],
      ['executive', 'Executive & legal', 'x1'],
    ]);
    first.close();
    clock.advance(30 * MIN); // the technical decision's time limit would have run out, had the clock kept going

    const second = open();
    second.sessions.recover();
    const after = await call(second, 'sessions.get', { sessionId: id });
    expect(after.status).toBe('paused');
    expect(after.teams.map((t: any) => t.tracks)).toEqual(before.teams.map((t: any) => t.tracks));
    expect(after.teams.map((t: any) => t.path)).toEqual(before.teams.map((t: any) => t.path));

    await call(second, 'sessions.resume', { sessionId: id });
    await call(second, 'sessions.recordDecision', { sessionId: id, teamId: 'team-2', decisionId: 'xd1', optionId: 'nohold', rationale: 'r', decidedBy: 'Kim' });
    clock.advance(5 * MIN); // the technical decisions time out at scenario minute 10
    const resumed = await call(second, 'sessions.get', { sessionId: id });
    expect(resumed.teams.map((t: any) => t.choices)).toEqual([
      { xd1: 'hold', td1: 'revoke' },
      { xd1: 'nohold', td1: 'revoke' },
    ]);
    expect(second.sessions.verify(id)).toMatchObject({ ok: true });
    second.close();

    const store = Store.open({ dataDir });
    try {
      const snapshots = store.sessions.snapshots(id);
      expect(snapshots).toHaveLength(2);
      for (const snapshot of snapshots) {
        const state = snapshot.state as { value: string; context: { positions: Record<string, unknown> } };
        expect(Object.keys(JSON.parse(state.value))).toEqual(['t0', 't1']);
        expect(Object.keys(state.context.positions)).toEqual(['technical', 'executive']);
      }
    } finally {
      store.close();
    }
  });
});
