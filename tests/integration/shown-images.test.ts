import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import { call, cleanup, openBundled } from '../helpers/runner.ts';
import { engineTestScenarioInput, withImageKinds } from '../helpers/scenario.ts';

/**
 * A phone fetches only the images its screen shows (core/shown-images.ts, the
 * rule the projector follows too: tests/integration/web-host.test.ts): its
 * team's, its role's, held-back ones once revealed to its team; anything else
 * is refused alike, whether or not the file exists.
 */

afterEach(cleanup);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const shown = { ok: true, result: { dataUrl: `data:image/png;base64,${PNG.toString('base64')}` } };
const refused = (path: string) => ({ ok: false, error: { code: 'not_found', path: '/path', message: `This screen shows no image ${JSON.stringify(path)}.` } });

describe('images on a phone', () => {
  it('are only those the participant’s screen shows: their team’s, their role’s, held ones once revealed', async () => {
    const { services } = openBundled();
    const input = engineTestScenarioInput();
    withImageKinds(input);
    const bundle = await buildScenarioBundle(JSON.stringify(input), () => PNG);
    expect(await call(services, 'library.importBundle', { base64: bundle.content.toString('base64') })).toMatchObject({ ok: true });
    const teams = [{ name: 'Red' }, { name: 'Blue' }];
    const { id: sessionId } = (await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Phones', facilitator: 'F', teams, speed: 0 })) as { id: string };
    const { code } = (await call(services, 'sessions.openParticipation', { sessionId })) as { code: string };
    const grantOf = (name: string, teamId: string, role?: string) => {
      const joined = services.participation.join({ code, name, teamId, ...(role ? { role } : {}) }, '192.0.2.1');
      return { role: 'participant', sessionId, teamId, participantId: joined.participantId } as const;
    };
    const legal = grantOf('Lee', 'team-1', 'legal');
    const comms = grantOf('Cam', 'team-1', 'comms');
    const blue = grantOf('Bo', 'team-2');
    const asset = (grant: typeof legal, path: string) => dispatch(services, 'participant.asset', { path }, grant);

    expect(await asset(legal, 'assets/delivered.png')).toEqual(refused('assets/delivered.png'));
    await call(services, 'sessions.start', { sessionId });
    expect(await asset(legal, 'assets/delivered.png')).toEqual(shown);
    expect(await asset(legal, 'assets/legal-only.png')).toEqual(shown);
    expect(await asset(comms, 'assets/delivered.png')).toEqual(shown);
    for (const path of ['assets/legal-only.png', 'assets/held.png', 'assets/later.png', 'assets/facilitator-only.png', 'assets/missing.png', '../sandtable.db']) {
      expect(await asset(comms, path), path).toEqual(refused(path));
    }
    // A held image revealed to the other team stays closed to this one.
    await call(services, 'sessions.revealEvidence', { sessionId, teamId: 'team-2', evidenceId: 'held' });
    expect(await asset(blue, 'assets/held.png')).toEqual(shown);
    expect(await asset(legal, 'assets/held.png')).toEqual(refused('assets/held.png'));
    // The contingency fired for Blue alone opens its image to Blue's phones, not Red's.
    await call(services, 'sessions.fireContingency', { sessionId, teamId: 'team-2', contingencyId: 'c1' });
    expect(await asset(blue, 'assets/later.png')).toEqual(shown);
    expect(await asset(legal, 'assets/later.png')).toEqual(refused('assets/later.png'));
  });
});
