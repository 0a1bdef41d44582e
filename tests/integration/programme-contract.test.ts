/**
 * The programme methods through the contract (dispatch): the bundled library
 * alone lights every family up as "never exercised"; a session recorded
 * through `sessions.*` exercises what its team reached; bad filters are refused with their JSON path; the exports
 * come back as files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { call, cleanup, openBundled } from '../helpers/runner.ts';

afterEach(cleanup);

describe('reports.programme', () => {
  it('lists what the library declares, and what a recorded session exercised', async () => {
    const { services } = openBundled();
    const before = await call(services, 'reports.programme', {});
    expect(before.sessionsStarted).toBe(0);
    expect(new Set(before.items.map((i: { family: string }) => i.family)).size).toBe(7);
    expect(before.items.every((i: { status: string }) => i.status === 'never')).toBe(true);

    // The ransomware scenario, one team, taking the recommended option at every decision.
    const session = await call(services, 'sessions.create', {
      scenarioId: 'ransomware-backup-destruction',
      name: 'Ransomware drill',
      facilitator: 'Fran',
      teams: [{ name: 'Blue team' }],
      speed: 0,
    });
    await call(services, 'sessions.start', { sessionId: session.id });
    const scenario = await call(services, 'library.get', { id: 'ransomware-backup-destruction' });
    const recommended = (decisionId: string) => scenario.timeline.find((n: { id: string }) => n.id === decisionId).options.find((o: { recommended: boolean }) => o.recommended).id;
    for (let i = 0; i < 100; i++) {
      const state = await call(services, 'sessions.get', { sessionId: session.id });
      const team = state.teams[0];
      if (team.ended) break;
      if (team.openDecision) {
        const decisionId = team.openDecision.id;
        await call(services, 'sessions.recordDecision', { sessionId: session.id, teamId: team.id, decisionId, optionId: recommended(decisionId), decidedBy: 'Blue lead' });
      } else await call(services, 'sessions.advance', { sessionId: session.id });
    }
    expect((await call(services, 'sessions.get', { sessionId: session.id })).teams[0].ended).not.toBeNull();
    const after = await call(services, 'reports.programme', { families: ['playbook', 'attack'], asOf: '2099-01-01' });
    const ransomware = after.items.find((i: { key: string }) => i.key === 'playbook:IRP-Ransomware');
    expect(ransomware).toMatchObject({ critical: true, cadenceDays: 182, status: 'overdue', sessions: 1 });
    expect(ransomware.teams.map((t: { teamName: string }) => t.teamName)).toEqual(['Blue team']);
    expect(new Set(after.items.map((i: { family: string }) => i.family))).toEqual(new Set(['playbook', 'attack']));
    // The first inject of the scenario shows the destruction (T1485): every path delivers it.
    expect(after.items.find((i: { key: string }) => i.key === 'attack:T1485')).toMatchObject({ sessions: 1 });
  });

  it('refuses a bad filter with its path, and exports files', async () => {
    const { services } = openBundled();
    const bad = await dispatch(services, 'reports.programme', { families: ['mitre'] }, { role: 'facilitator' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ code: 'invalid_input', path: '/families/0' });
    const layer = await call(services, 'reports.programmeExport', { format: 'navigator' });
    expect(layer).toMatchObject({ mediaType: 'application/json', filename: expect.stringMatching(/^attack-navigator-layer-\d{4}-\d{2}-\d{2}\.json$/) });
    expect(JSON.parse(layer.content)).toMatchObject({ domain: 'enterprise-attack', versions: { layer: '4.5' }, techniques: [] });
    const csv = await call(services, 'reports.programmeExport', { format: 'csv', families: ['csf'] });
    expect(
      csv.content
        .split('\r\n')
        .slice(1, -1)
        .every((line: string) => line.startsWith('NIST CSF 2.0 categories,')),
    ).toBe(true);
  });
});
