import { afterEach, describe, expect, it } from 'vitest';
import { call, cleanup, facilitator, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

/** The runner's fake clock, counting the timers the runner sets. */
function countingSetup() {
  const { open, clock } = setup();
  const set = clock.setTimeout.bind(clock);
  const counted = { timersSet: 0 };
  clock.setTimeout = (callback, ms) => {
    counted.timersSet += 1;
    return set(callback, ms);
  };
  return { open, clock, counted };
}

/** A started session of the engine-test scenario with these teams; its id. */
async function started(services: ReturnType<ReturnType<typeof setup>['open']>, teams: string[]): Promise<string> {
  const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: teams.map((name) => ({ name })), seed: 's' });
  await call(services, 'sessions.start', { sessionId: id });
  return id as string;
}

describe("the runner's timer", () => {
  it('stays set while actions leave the next thing due where it was, and still wakes the session on time', async () => {
    const { open, clock, counted } = countingSetup();
    const services = open();
    const id = await started(services, ['A', 'B']);
    expect(clock.pendingTimers).toBe(1); // for i2 at scenario minute 10
    const armed = counted.timersSet;

    // Notes and a milestone move nothing due: the timer set for minute 10 is kept, not set again.
    for (let i = 0; i < 5; i++) await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-1', text: `note ${i}` });
    await call(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-2', milestoneId: 'detected' });
    expect(counted.timersSet).toBe(armed);
    expect(clock.pendingTimers).toBe(1);

    // It wakes the session at minute 10 without anyone acting.
    clock.advance(10 * MIN);
    let state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams.map((t: any) => t.currentInject)).toEqual(['i2', 'i2']);
    expect(state.teams[0].openDecision).toMatchObject({ id: 'd1', deadlineMs: 15 * MIN });
    const afterDelivery = counted.timersSet;
    expect(afterDelivery).toBe(armed + 1); // set again, for the decisions' time limit at minute 15

    // A decision moves what is due (team A's limit goes away, team B's stays at 15): still one timer, for minute 15.
    clock.advance(MIN);
    await call(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'r', decidedBy: 'b' });
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-2', text: 'still thinking' });
    expect(clock.pendingTimers).toBe(1);

    // Team B's time limit runs out at minute 15, on time.
    clock.advance(4 * MIN - 1);
    state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[1].openDecision).toMatchObject({ id: 'd1' });
    clock.advance(1);
    state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[1].openDecision).toBeNull();
    expect(state.teams[1].choices).toEqual({ d1: 'now' }); // the recommended default when time runs out
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it('is set again when pausing and resuming move the wall time something is due', async () => {
    const { open, clock, counted } = countingSetup();
    const services = open();
    const id = await started(services, ['A']);
    const armed = counted.timersSet;
    await call(services, 'sessions.pause', { sessionId: id });
    expect(clock.pendingTimers).toBe(0);
    clock.advance(30 * MIN); // paused: nothing comes due
    await call(services, 'sessions.resume', { sessionId: id });
    expect(counted.timersSet).toBe(armed + 1);
    clock.advance(10 * MIN - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i1');
    clock.advance(1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i2');
  });

  it('is set again, sooner, when the next thing due moves earlier (a faster clock), and cleared when the session ends', async () => {
    const { open, clock } = countingSetup();
    const services = open();
    const id = await started(services, ['A']);
    clock.advance(2 * MIN);
    // Twice as fast: the 8 scenario minutes left before i2 take 4 wall minutes, not 8. A timer kept for the old time would wake it 4 minutes late.
    await call(services, 'sessions.setSpeed', { sessionId: id, speed: 2 });
    clock.advance(4 * MIN - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i1');
    clock.advance(1);
    let state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[0].currentInject).toBe('i2');
    expect(state.teams[0].openDecision).toMatchObject({ id: 'd1', deadlineMs: 15 * MIN });
    // d1's time limit (scenario minute 15) is 2.5 wall minutes away at this speed.
    clock.advance(2.5 * MIN - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].openDecision).toMatchObject({ id: 'd1' });
    clock.advance(1);
    state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[0].openDecision).toBeNull();
    await call(services, 'sessions.end', { sessionId: id, reason: 'done' });
    expect(clock.pendingTimers).toBe(0);
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  // The runner asks the engine when it next wakes before the commit's sync; a window that acts on the session while
  // hearing of that commit moves the wake, and the timer must follow that later action, not the answer asked before it.
  it('follows an action taken by a listener of a commit while hearing of it', async () => {
    const { open, clock } = countingSetup();
    const services = open();
    const id = await started(services, ['A']);
    clock.advance(MIN);
    let acted = false;
    const unsubscribe = services.events.subscribe(facilitator, (event) => {
      if (acted || event.name !== 'session.changed') return;
      acted = true;
      services.sessions.setSpeed(id, 2); // i2 (scenario minute 10) is now 4.5 wall minutes away, not 9
    });
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-1', text: 'a note' });
    unsubscribe();
    expect(acted).toBe(true);
    clock.advance(4.5 * MIN - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i1');
    clock.advance(1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i2');
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });
});
