import { afterEach, describe, expect, it } from 'vitest';
import { call, cleanup, facilitator, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

describe("the runner's wake after a commit", () => {
  // The runner asks the engine when it next wakes before the commit's sync; a window that acts on the session
  // while hearing of that commit moves the wake, and the timer must follow the later action, not the earlier answer.
  it('follows an action taken by a listener of the commit, not the wake asked before it', async () => {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(MIN);
    let acted = false;
    const unsubscribe = services.events.subscribe(facilitator, (event) => {
      if (acted || event.name !== 'session.changed') return;
      acted = true;
      services.sessions.setSpeed(id as string, 2); // i2 (scenario minute 10) now 4.5 wall minutes away, not 9
    });
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-1', text: 'a note' });
    unsubscribe();
    expect(acted).toBe(true);
    clock.advance(4.5 * MIN - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i1');
    clock.advance(1);
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i2');
    expect(services.sessions.verify(id as string)).toMatchObject({ ok: true });
  });
});
