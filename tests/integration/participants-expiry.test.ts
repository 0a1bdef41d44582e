/**
 * A participant's token stops at its end, and says why: an event stream open
 * when its session's hot-wash window closes is ended then (one timer per
 * session, not a check at the stream's next request), and a refused token is
 * told whether its participant was removed, its session ended, or it is not
 * known here — the sentence the phone shows before it stops trying.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOT_WASH_GRANT_MS, REFUSALS } from '../../src-main/app/participation.ts';
import { call, cleanup, setup } from '../helpers/runner.ts';

beforeEach(() => {
  // Only the timers the service sets itself (the runner's run on the fake clock; votes use setImmediate).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

async function room() {
  const { open, clock } = setup();
  const services = open();
  const { id: sessionId } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }, { name: 'B' }], seed: 's' });
  await call(services, 'sessions.start', { sessionId });
  const { code } = await call(services, 'sessions.openParticipation', { sessionId });
  const ana = services.participation.join({ code, name: 'Ana', teamId: 'team-1' }, '192.0.2.1');
  const bo = services.participation.join({ code, name: 'Bo', teamId: 'team-2' }, '192.0.2.2');
  return { services, clock, sessionId, ana, bo };
}

describe('participant tokens at their end', () => {
  it('ends the event streams of an ended session when its hot-wash window closes, with one timer for the session', async () => {
    const { services, clock, sessionId, ana, bo } = await room();
    const anaGrant = services.participation.authenticate(ana.token)!;
    const boGrant = services.participation.authenticate(bo.token)!;
    const ended: string[] = [];
    // Three streams open (Ana on two devices), as the participants' listener opens them.
    services.participation.connect(anaGrant, () => ended.push('ana-1'));
    services.participation.connect(anaGrant, () => ended.push('ana-2'));
    services.participation.connect(boGrant, () => ended.push('bo'));
    expect(vi.getTimerCount()).toBe(0); // a running session's tokens do not expire

    await call(services, 'sessions.end', { sessionId, reason: 'Time' });
    expect(vi.getTimerCount()).toBe(1); // one for the session, not one per stream
    // Nobody asks for anything during the hot wash: the streams stay open until the window closes, and no longer.
    clock.advance(HOT_WASH_GRANT_MS - 1);
    vi.advanceTimersByTime(HOT_WASH_GRANT_MS - 1);
    expect(ended).toEqual([]);
    expect(services.participation.authenticate(ana.token)).not.toBeNull();
    clock.advance(1);
    vi.advanceTimersByTime(1);
    expect(ended.sort()).toEqual(['ana-1', 'ana-2', 'bo']);
    expect(services.participation.authenticate(ana.token)).toBeNull();
    expect(services.participation.refusal(ana.token)).toBe(REFUSALS.ended);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sets the timer when a stream opens on a session that has already ended, and only once', async () => {
    const { services, clock, sessionId, ana } = await room();
    const grant = services.participation.authenticate(ana.token)!;
    await call(services, 'sessions.end', { sessionId, reason: 'Time' });
    clock.advance(HOT_WASH_GRANT_MS / 2);
    const ended: number[] = [];
    for (let i = 0; i < 3; i++) services.participation.connect(grant, () => ended.push(i));
    expect(vi.getTimerCount()).toBe(1);
    clock.advance(HOT_WASH_GRANT_MS / 2);
    vi.advanceTimersByTime(HOT_WASH_GRANT_MS / 2);
    expect(ended).toEqual([0, 1, 2]);
  });

  it('tells a refused token why: removed, session ended, or not known here', async () => {
    const { services, sessionId, ana, bo } = await room();
    const ended: string[] = [];
    services.participation.connect(services.participation.authenticate(bo.token)!, () => ended.push('bo'));
    await call(services, 'sessions.removeParticipant', { sessionId, participantId: bo.participantId, reason: 'Left the room' });
    expect(ended).toEqual(['bo']);
    expect(services.participation.authenticate(bo.token)).toBeNull();
    expect(services.participation.refusal(bo.token)).toBe(REFUSALS.removed);
    expect(services.participation.refusal('f'.repeat(64))).toBe(REFUSALS.unknown);
    expect(services.participation.refusal('not a token')).toBe(REFUSALS.unknown);
    // Ana is still in.
    expect(services.participation.authenticate(ana.token)).not.toBeNull();
  });
});
