/**
 * Evidence on request with parallel tracks, through the real services and
 * store: a phone may ask for held-back evidence of any inject its view shows
 * (the executive track's, while the technical track has moved on), and is
 * refused — with the same words as before — anything its view does not offer.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import type { Grant } from '../../src-main/app/grant.ts';
import type { Services } from '../../src-main/app/services.ts';
import { call, cleanup, setup } from '../helpers/runner.ts';
import { twoTracksText } from '../helpers/two-tracks.ts';

const MIN = 60_000;
afterEach(cleanup);

/** The two-tracks fixture with held-back evidence on the executive track's first inject (one for the CISO only) and on an inject still to come. */
function scenarioWithHeldEvidence(): string {
  return twoTracksText(
    [
      {
        id: 'ev-retention',
        kind: 'log',
        caption: 'Mail retention job',
        source: 'exchange-retention',
        lines: ['2025-05-16T17:02:11Z retention-policy "Default MRM Policy" purge scheduled: items older than 30 days'],
        onRequest: { question: 'When does the mail system purge old messages?' },
      },
      { id: 'ev-board', kind: 'note', caption: 'Board briefing draft', body: 'For the CISO only.', audience: ['ciso'], onRequest: { question: 'What has the board been told?' } },
      { id: 'ev-count', kind: 'note', caption: 'Record count', body: '40,000 rows.', onRequest: { question: 'How many records were read?' } },
    ],
    { x1: ['ev-retention', 'ev-board'], x2: ['ev-count'] },
  );
}

async function refused(services: Services, method: string, input: unknown, grant: Grant) {
  const response = await dispatch(services, method, input, grant);
  if (response.ok) throw new Error(`${method} was accepted`);
  return response.error;
}

describe('evidence on request across parallel tracks', () => {
  it('a phone asks for held-back evidence of another track’s open inject; anything its view does not offer is refused as before', async () => {
    const { open, clock, dataDir } = setup();
    writeFileSync(join(dirname(dataDir), 'scenarios', 'two-tracks.json'), scenarioWithHeldEvidence());
    const services = open();
    const { id: sessionId } = await call(services, 'sessions.create', { scenarioId: 'two-tracks', name: 'x', facilitator: 'y', teams: [{ name: 'A' }, { name: 'B' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId });
    clock.advance(6 * MIN);
    await call(services, 'sessions.get', { sessionId });
    await call(services, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'td1', optionId: 'revoke', rationale: 'r', decidedBy: 'IC' });
    clock.advance(10 * MIN);
    await call(services, 'sessions.get', { sessionId });

    // The technical track's t2 is the team's latest inject; the executive track's x1 (with its held-back items) is still open.
    const room = await call(services, 'presenter.view', { sessionId, teamId: 'team-1' });
    expect(room.inject.id).toBe('t2');
    expect(room.tracks.map((t: { inject: { id: string } | null }) => t.inject?.id)).toEqual(['t2', 'x1']);

    const { code } = await call(services, 'sessions.openParticipation', { sessionId });
    const join_ = (name: string, teamId: string, role?: string) =>
      services.participation.authenticate(services.participation.join({ code, name, teamId, ...(role ? { role } : {}) }, '127.0.0.1').token)!;
    const legal = join_('Lee', 'team-1', 'legal');
    const ciso = join_('Cat', 'team-1', 'ciso');
    const other = join_('Bo', 'team-2');

    // The phone offers both tracks' held-back items its role may see, and a request for one is accepted.
    const offered = services.participation.view(legal).room.tracks.flatMap((t) => t.inject?.held.map((h) => h.evidenceId) ?? []);
    expect(offered).toEqual(['ev-retention']);
    const response = await dispatch(services, 'participant.requestEvidence', { evidenceId: 'ev-retention' }, legal);
    expect(response).toMatchObject({ ok: true });
    const seq = (response as { result: { seq: number } }).result.seq;
    expect(services.sessions.events(sessionId, seq - 1)[0]).toMatchObject({
      type: 'evidence.revealed',
      teamId: 'team-1',
      payload: { evidenceId: 'ev-retention', injectId: 'x1', by: 'participant', participantId: legal.participantId },
    });
    const after = await call(services, 'presenter.view', { sessionId, teamId: 'team-1' });
    expect(after.tracks[1].inject.evidence.map((e: { id: string }) => e.id)).toEqual(['ev-retention']);

    // The CISO may ask for the board briefing; Legal may not (not for their role), nor for an inject still to come, nor twice, nor for another team's.
    const notOffered = (evidenceId: string) => ({ code: 'not_found', message: `Your screen offers no evidence ${evidenceId} to ask for.`, path: '/evidenceId' });
    expect(await refused(services, 'participant.requestEvidence', { evidenceId: 'ev-board' }, legal)).toEqual(notOffered('ev-board'));
    expect(await refused(services, 'participant.requestEvidence', { evidenceId: 'ev-count' }, legal)).toEqual(notOffered('ev-count'));
    expect(await refused(services, 'participant.requestEvidence', { evidenceId: 'ev-retention' }, legal)).toEqual(notOffered('ev-retention'));
    expect(await refused(services, 'participant.requestEvidence', { evidenceId: 'ev-nothing' }, legal)).toEqual(notOffered('ev-nothing'));
    expect(await dispatch(services, 'participant.requestEvidence', { evidenceId: 'ev-board' }, ciso)).toMatchObject({ ok: true });
    // Team B's executive track is at x1 too, but nothing was revealed to it: its own request stands on its own view.
    expect(services.participation.view(other).room.tracks.flatMap((t) => t.inject?.held.map((h) => h.evidenceId) ?? [])).toEqual(['ev-retention', 'ev-board']);
    expect(await dispatch(services, 'participant.requestEvidence', { evidenceId: 'ev-retention' }, other)).toMatchObject({ ok: true });
    expect(services.sessions.verify(sessionId).ok).toBe(true);
  });
});
