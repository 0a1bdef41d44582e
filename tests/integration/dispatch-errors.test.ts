import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { AppError } from '../../src-main/app/errors.ts';
import { cleanup, facilitator, setup } from '../helpers/runner.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A file-system error as Node raises it when the disk is full. */
function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

describe('dispatch: a handler that throws and one that rejects get the same answer', () => {
  it('for the real handlers: a synchronous refusal and an asynchronous one are both typed errors', async () => {
    const services = setup().open();
    // sessions.get answers synchronously, sessionBundle.export through a promise: both refuse a session that does not exist.
    const sync = await dispatch(services, 'sessions.get', { sessionId: 'no-such-session' }, facilitator);
    const rejected = await dispatch(services, 'sessionBundle.export', { sessionId: 'no-such-session' }, facilitator);
    expect(sync).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  const failures: Array<[string, () => Error, object]> = [
    ['an AppError', () => new AppError('conflict', 'The session has ended.', '/sessionId'), { code: 'conflict', message: 'The session has ended.', path: '/sessionId' }],
    ['a full disk', enospc, { code: 'disk_full' }],
    ['anything else', () => new TypeError('boom'), { code: 'internal', message: "sessions.get failed unexpectedly; the details are in the app's log." }],
  ];
  for (const [what, error, answer] of failures) {
    it(`for ${what}`, async () => {
      const services = setup().open();
      const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const input = { sessionId: 'any' };
      const handlers = services.handlers as Record<string, unknown>;
      handlers['sessions.get'] = () => {
        throw error();
      };
      const thrown = await dispatch(services, 'sessions.get', input, facilitator);
      handlers['sessions.get'] = () => Promise.reject(error());
      const rejected = await dispatch(services, 'sessions.get', input, facilitator);
      expect(thrown).toEqual({ ok: false, error: expect.objectContaining(answer) as unknown });
      expect(rejected).toEqual(thrown);
      // Only the unexpected is logged (once per call), never answered with its stack.
      expect(errorLog).toHaveBeenCalledTimes(what === 'anything else' ? 2 : 0);
      expect(JSON.stringify(thrown)).not.toContain('dispatch-errors.test'); // no stack frame
    });
  }
});
