import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, cleanup, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

describe('parallel tracks: the room votes on every open decision', () => {
  it("shows the facilitator the votes on the second track's decision while the lead track's is open too", async () => {
    const { open, clock, dataDir } = setup();
    copyFileSync('tests/fixtures/scenarios/two-tracks.json', join(dirname(dataDir), 'scenarios', 'two-tracks.json'));
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'two-tracks', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(6 * MIN);
    await call(services, 'sessions.get', { sessionId: id });
    const { code } = await call(services, 'sessions.openParticipation', { sessionId: id });
    const joined = services.participation.join({ code, name: 'Sam', teamId: 'team-1' }, '127.0.0.1');
    const grant = services.participation.authenticate(joined.token)!;
    await services.participation.vote(grant, { decisionId: 'xd1', optionId: 'hold', confidence: 4, rationale: 'Preserve it' });
    await services.participation.vote(grant, { decisionId: 'td1', optionId: 'watch', confidence: 2, rationale: '' });

    const executive = await call(services, 'sessions.votes', { sessionId: id, teamId: 'team-1', decisionId: 'xd1' });
    expect(executive).toMatchObject({ decisionId: 'xd1', voters: 1, majority: 'hold', tally: { hold: 1, nohold: 0 } });
    const technical = await call(services, 'sessions.votes', { sessionId: id, teamId: 'team-1', decisionId: 'td1' });
    expect(technical).toMatchObject({ decisionId: 'td1', voters: 1, majority: 'watch' });
    // Without a decision: the lead track's, as before.
    expect(await call(services, 'sessions.votes', { sessionId: id, teamId: 'team-1' })).toMatchObject({ decisionId: 'td1' });
    // A decision that is not open has no live tally.
    await expect(call(services, 'sessions.votes', { sessionId: id, teamId: 'team-1', decisionId: 'xd2' })).rejects.toThrow(/xd2/);
  });
});
