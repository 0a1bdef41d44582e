import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { mayHear, type Grant } from '../../src-main/app/grant.ts';
import { openApp } from '../../src-main/app/open.ts';
import type { Services } from '../../src-main/app/services.ts';
import type { LogBody, LogEvent } from '../../src-main/core/engine/events.ts';
import {
  displayJoinCode,
  foldParticipation,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  joinCodeFromBytes,
  normaliseJoinCode,
  tallyVotes,
  currentVotes,
  checkFeedback,
  DEFAULT_FEEDBACK_QUESTIONS,
  participantView,
} from '../../src-main/core/participants.ts';
import { tempDir } from '../helpers/tmp.ts';
import { sessionAtDecision } from '../helpers/participants.ts';
import { joinedEvent, twoTracksRoom, twoTracksScenario } from '../helpers/two-tracks.ts';

const participant: Grant = { role: 'participant', sessionId: 'A', teamId: 'team-1', participantId: 'p1' };

describe('join codes', () => {
  it('are 10 characters of an alphabet without look-alikes, every character equally likely', () => {
    expect(JOIN_CODE_LENGTH).toBeGreaterThanOrEqual(8);
    for (const confusable of ['0', 'O', '1', 'I', 'L', 'U', 'V']) expect(JOIN_CODE_ALPHABET).not.toContain(confusable);
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
    // Bytes at or above the largest multiple of the alphabet's size are skipped (no modulo bias).
    const limit = 256 - (256 % JOIN_CODE_ALPHABET.length);
    const bytes = Uint8Array.from([limit, 255, ...Array.from({ length: 10 }, (_, i) => i)]);
    expect(joinCodeFromBytes(bytes)).toBe(JOIN_CODE_ALPHABET.slice(0, 10));
    expect(joinCodeFromBytes(Uint8Array.from([255, 255, 1]))).toBeNull();
  });

  it('are read back as people type them and shown in two groups', () => {
    expect(normaliseJoinCode(' abcde - fghjk ')).toBe('ABCDEFGHJK');
    expect(displayJoinCode('ABCDEFGHJK')).toBe('ABCDE-FGHJK');
  });
});

describe('tallies', () => {
  it('count every option, mean confidence and dissent, majority by order on a tie', () => {
    const t = tallyVotes(
      'd',
      ['a', 'b', 'c'],
      [
        { optionId: 'b', confidence: 4 },
        { optionId: 'a', confidence: 2 },
        { optionId: 'b', confidence: 5 },
        { optionId: 'a', confidence: 3 },
      ],
    );
    expect(t.tally).toEqual({ a: 2, b: 2, c: 0 });
    expect(t.voters).toBe(4);
    expect(t.meanConfidence).toBe(3.5);
    expect(t.confidenceByOption).toEqual({ a: 2.5, b: 4.5, c: null });
    expect(t.majority).toBe('a');
    expect(t.dissent).toBe(0.5);
    expect(tallyVotes('d', ['a'], [])).toMatchObject({ voters: 0, meanConfidence: null, dissent: 0, majority: null });
  });

  it('are folded from the log: the latest vote of each participant, removed participants left out', () => {
    let seq = 0;
    const ev = (body: LogBody): LogEvent => ({
      ...body,
      teamId: 'team-1',
      seq: ++seq,
      sessionId: 'A',
      origin: 'command',
      scenarioMs: 0,
      wallMs: 1000 + seq,
      prevHash: '',
      hash: '',
    });
    const state = foldParticipation([
      ev({ type: 'participant.joined', payload: { participantId: 'p1', name: 'Ana' } }),
      ev({ type: 'participant.joined', payload: { participantId: 'p2', name: 'Bo' } }),
      ev({ type: 'vote.cast', payload: { participantId: 'p1', decisionId: 'd', optionId: 'a', confidence: 2, rationale: '' } }),
      ev({ type: 'vote.cast', payload: { participantId: 'p1', decisionId: 'd', optionId: 'b', confidence: 4, rationale: 'why' } }),
      ev({ type: 'vote.cast', payload: { participantId: 'p2', decisionId: 'd', optionId: 'a', confidence: 1, rationale: '' } }),
      ev({ type: 'participant.removed', payload: { participantId: 'p2', reason: 'left' } }),
      ev({ type: 'inject.delivered', payload: { nodeId: 'x' } }),
    ]);
    expect(currentVotes(state, 'team-1', 'd').map((v) => [v.participantId, v.optionId])).toEqual([['p1', 'b']]);
    expect(state.participants.get('p1')?.joinedTimestamp).toBe(1001);
    expect(state.participants.get('p2')?.removed?.reason).toBe('left');
  });

  it('hot-wash answers are checked against the questions', () => {
    expect(checkFeedback(DEFAULT_FEEDBACK_QUESTIONS, { strengths: 'Fast', confidence: 4 })).toBeNull();
    expect(checkFeedback(DEFAULT_FEEDBACK_QUESTIONS, { confidence: 7 })?.path).toBe('/answers/confidence');
    expect(checkFeedback(DEFAULT_FEEDBACK_QUESTIONS, { nope: 'x' })?.path).toBe('/answers/nope');
  });
});

describe('the room spotlight on a phone with parallel tracks', () => {
  // The two-tracks fixture with evidence on the executive track's first inject: one item for everyone, one for the CISO only.
  const scenario = twoTracksScenario(
    [
      { id: 'ev-hold', kind: 'note', caption: 'Retention schedule', body: 'Mailboxes are purged after 30 days.' },
      { id: 'ev-board', kind: 'note', caption: 'Board briefing draft', body: 'For the CISO only.', audience: ['ciso'] },
    ],
    { x1: ['ev-hold', 'ev-board'] },
  );
  const joined = joinedEvent;
  const state = foldParticipation([joined(1, 'p-none'), joined(2, 'p-ciso', 'ciso'), joined(3, 'p-legal', 'legal')]);
  // The technical track's t2 is the team's latest inject; the spotlit evidence belongs to the executive track's x1.
  const roomWith = (evidenceId: string) => twoTracksRoom(scenario, { spotlit: evidenceId });
  const spotlitOn = (participantId: string, evidenceId: string) =>
    participantView(roomWith(evidenceId), state, participantId, scenario).room.display.spotlight?.evidence.id ?? null;

  it('keeps the spotlight on evidence of a parallel track’s inject, not only of the latest inject', () => {
    expect(roomWith('ev-hold').display.spotlight?.evidence.id).toBe('ev-hold');
    expect(roomWith('ev-hold').inject?.id).toBe('t2');
    for (const participantId of ['p-none', 'p-ciso', 'p-legal']) expect(spotlitOn(participantId, 'ev-hold'), participantId).toBe('ev-hold');
  });

  it('drops it for a role that may not see the evidence', () => {
    expect(spotlitOn('p-ciso', 'ev-board')).toBe('ev-board');
    expect(spotlitOn('p-none', 'ev-board')).toBe('ev-board');
    expect(spotlitOn('p-legal', 'ev-board')).toBeNull();
  });
});

describe('what a participant may hear', () => {
  it('hears its own session change and what concerns its own team, never votes or other sessions', () => {
    expect(mayHear(participant, { name: 'session.changed', payload: { sessionId: 'A', seq: 1 } })).toBe(true);
    expect(mayHear(participant, { name: 'session.changed', payload: { sessionId: 'B', seq: 1 } })).toBe(false);
    expect(mayHear(participant, { name: 'participation.changed', payload: { sessionId: 'A', teamId: 'team-1', seq: 1 } })).toBe(true);
    expect(mayHear(participant, { name: 'participation.changed', payload: { sessionId: 'A', teamId: null, seq: 1 } })).toBe(true);
    expect(mayHear(participant, { name: 'participation.changed', payload: { sessionId: 'A', teamId: 'team-2', seq: 1 } })).toBe(false);
    expect(mayHear(participant, { name: 'votes.changed', payload: { sessionId: 'A', teamId: 'team-1', decisionId: 'd', tally: {}, voters: 0, seq: 1 } })).toBe(false);
    expect(mayHear(participant, { name: 'library.changed', payload: {} })).toBe(false);
    expect(
      mayHear({ role: 'presenter', sessionId: 'A' }, { name: 'votes.changed', payload: { sessionId: 'A', teamId: 'team-1', decisionId: 'd', tally: {}, voters: 0, seq: 1 } }),
    ).toBe(false);
  });
});

describe('what a participant may call (dispatch)', () => {
  const data = tempDir();
  let services: Services;
  beforeAll(() => {
    services = openApp({ dataDir: data.dir, host: 'web', version: '0', scenariosDir: join(process.cwd(), 'scenarios') });
  });
  afterAll(() => {
    services.close();
    data.cleanup();
  });

  it('refuses a participant every facilitator and presenter method, and the others every participant method', async () => {
    const { sessionId } = await sessionAtDecision(services);
    services.participation.open(sessionId);
    const code = services.participation.state(sessionId).join!.code;
    const joined = services.participation.join({ code, name: 'Ana', teamId: 'team-1' }, '192.0.2.1');
    const grant = services.participation.authenticate(joined.token)!;
    expect(grant).toEqual({ role: 'participant', sessionId, teamId: 'team-1', participantId: joined.participantId });
    const calls: Array<[string, unknown]> = [
      ['sessions.get', { sessionId }],
      ['sessions.votes', { sessionId, teamId: 'team-1' }],
      ['presenter.view', { sessionId, teamId: 'team-1' }],
      ['presenter.joinCard', { sessionId }],
      ['library.list', {}],
    ];
    for (const [method, input] of calls) {
      const res = await dispatch(services, method, input, grant);
      expect(res.ok ? 'ok' : res.error.code, method).toBe('forbidden');
    }
    for (const g of [{ role: 'facilitator' }, { role: 'presenter', sessionId }] as Grant[]) {
      const res = await dispatch(services, 'participant.view', {}, g);
      expect(res.ok ? 'ok' : res.error.code, g.role).toBe('forbidden');
    }
    const view = await dispatch(services, 'participant.view', {}, grant);
    expect(view.ok).toBe(true);
  });

  it('puts attendance, vote splits with alignment and the hot wash in the debrief and the report, pseudonymised on request', async () => {
    const { sessionId, decisionId, options } = await sessionAtDecision(services);
    const { code } = services.participation.open(sessionId);
    const grantOf = (name: string, teamId: string) => services.participation.authenticate(services.participation.join({ code, name, teamId }, '192.0.2.2').token)!;
    const zoe = grantOf('Zoe Quinn', 'team-1');
    const yan = grantOf('Yan Ode', 'team-1');
    await services.participation.vote(zoe, { decisionId, optionId: options[0]!, confidence: 4, rationale: 'Zoe Quinn says contain' });
    await services.participation.vote(yan, { decisionId, optionId: options[1]!, confidence: 2, rationale: '' });
    services.sessions.teamCommand(sessionId, 'team-1', { type: 'decision.recorded', payload: { decisionId, optionId: options[0]!, rationale: '', decidedBy: '' } });
    services.sessions.end(sessionId, 'done');
    services.participation.feedback(zoe, { strengths: 'Quick scoping', confidence: 4 });
    const debrief = await services.handlers['debrief.get']({ sessionId }, { role: 'facilitator' });
    const p = debrief.participation!;
    expect(p.attendance.map((a) => [a.name, a.teamName])).toEqual([
      ['Zoe Quinn', 'Blue'],
      ['Yan Ode', 'Blue'],
    ]);
    expect(p.votes).toHaveLength(1);
    expect(p.votes[0]).toMatchObject({ teamId: 'team-1', decisionId, voters: 2, recordedOptionId: options[0], alignment: 0.5, dissent: 0.5, meanConfidence: 3 });
    expect(p.feedback).toEqual([{ name: 'Zoe Quinn', teamId: 'team-1', answers: { strengths: 'Quick scoping', confidence: 4 } }]);
    const md = (await services.handlers['reports.export']({ sessionId, format: 'md', pseudonymise: false, alternatives: [] }, { role: 'facilitator' })).content;
    expect(md).toContain('Votes from participants’ devices');
    expect(md).toContain('Quick scoping');
    services.participation.remove(sessionId, yan.participantId, 'Yan Ode left early');
    const hidden = (await services.handlers['reports.export']({ sessionId, format: 'json', pseudonymise: true, alternatives: [] }, { role: 'facilitator' })).content;
    expect(hidden).not.toContain('Zoe');
    expect(hidden).not.toContain('Yan Ode');
    expect(hidden).toContain('Participant ');
  });
});

describe('whom wrong join codes count against', () => {
  it('is an IPv4 address, or the /64 of an IPv6 one (a device can take any address in its /64)', async () => {
    const { throttleKey } = await import('../../src-main/hosts/lan/server.ts');
    expect(throttleKey('192.0.2.7')).toBe('192.0.2.7');
    expect(throttleKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(throttleKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleKey('2001:db8::1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(throttleKey('2001:db8:0:3::1')).not.toBe(throttleKey('2001:db8:0:4::1'));
  });
});
