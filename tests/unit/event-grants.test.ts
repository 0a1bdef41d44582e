import { describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-main/api/contract.ts';
import { EventHub } from '../../src-main/app/events.ts';
import { mayHear, type Grant } from '../../src-main/app/grant.ts';

const facilitator: Grant = { role: 'facilitator' };
const presenterOfA: Grant = { role: 'presenter', sessionId: 'A' };

describe('what a window may hear (app layer, used by every host)', () => {
  it('lets the facilitator hear everything', () => {
    expect(mayHear(facilitator, { name: 'library.changed', payload: {} })).toBe(true);
    expect(mayHear(facilitator, { name: 'session.changed', payload: { sessionId: 'B', seq: 1 } })).toBe(true);
  });

  it('lets a presenter hear only that its own session changed', () => {
    expect(mayHear(presenterOfA, { name: 'session.changed', payload: { sessionId: 'A', seq: 3 } })).toBe(true);
    expect(mayHear(presenterOfA, { name: 'session.changed', payload: { sessionId: 'B', seq: 3 } })).toBe(false);
    expect(mayHear(presenterOfA, { name: 'library.changed', payload: {} })).toBe(false);
  });

  it('delivers to each subscription only what its grant may hear', () => {
    const hub = new EventHub();
    const heard = { facilitator: [] as PushedEvent[], presenter: [] as PushedEvent[] };
    hub.subscribe(facilitator, (e) => heard.facilitator.push(e));
    const stop = hub.subscribe(presenterOfA, (e) => heard.presenter.push(e));
    hub.emit('library.changed', {});
    hub.emit('session.changed', { sessionId: 'B', seq: 1 });
    hub.emit('session.changed', { sessionId: 'A', seq: 2 });
    expect(heard.facilitator.map((e) => e.name)).toEqual(['library.changed', 'session.changed', 'session.changed']);
    expect(heard.presenter).toEqual([{ name: 'session.changed', payload: { sessionId: 'A', seq: 2 } }]);
    stop();
    hub.emit('session.changed', { sessionId: 'A', seq: 3 });
    expect(heard.presenter).toHaveLength(1);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const hub = new EventHub();
    const heard: number[] = [];
    const quiet = console.error;
    console.error = () => {};
    try {
      hub.subscribe(facilitator, () => {
        throw new Error('boom');
      });
      hub.subscribe(presenterOfA, (e) => heard.push((e as PushedEvent<'session.changed'>).payload.seq));
      hub.emit('session.changed', { sessionId: 'A', seq: 7 });
    } finally {
      console.error = quiet;
    }
    expect(heard).toEqual([7]);
  });
});
