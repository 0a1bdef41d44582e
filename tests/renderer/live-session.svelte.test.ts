/**
 * The console's actions in flight and their refusals (LiveSession in
 * lib/state/session.svelte.ts) are followed by what reads them: a button
 * disabled while its action runs, a refusal shown beside its control until
 * dismissed. The transport is faked at the boundary it really meets (the
 * wire's response), so each call's answer comes when the test says.
 */
import { flushSync } from 'svelte';
import { expect, it } from 'vitest';
import type { ApiResponse } from '../../src-main/api/errors.ts';
import { createApi, type Transport } from '../../src-renderer/src/lib/api.ts';
import { LiveSession } from '../../src-renderer/src/lib/state/session.svelte.ts';

it('is followed by what reads it: an action in flight, then its refusal until dismissed', async () => {
  let answerNote: (response: ApiResponse<unknown>) => void = () => {};
  const transport: Transport = {
    call: (method) =>
      method === 'sessions.addNote'
        ? new Promise((resolve) => (answerNote = resolve))
        : Promise.resolve({ ok: false, error: { code: 'not_found', message: 'no such session', path: '/sessionId' } }),
    subscribe: () => () => {},
    watchConnection: () => () => {},
  };
  const session = new LiveSession(createApi(transport), 's1');
  const seen: Array<[boolean, boolean, string | null]> = [];
  const stop = $effect.root(() => {
    $effect(() => {
      seen.push([session.isPending('note'), session.busy, session.errorOf('note')?.code ?? null]);
    });
  });
  flushSync();

  const outcome = session.perform('note', 'sessions.addNote', { sessionId: 's1', teamId: null, text: 'One' });
  flushSync();
  answerNote({ ok: false, error: { code: 'conflict', message: 'The session has ended.', path: '' } });
  expect(await outcome).toMatchObject({ ok: false });
  flushSync();
  session.dismissError('note');
  flushSync();
  stop();

  expect(seen).toEqual([
    [false, false, null],
    [true, true, null],
    [false, false, 'conflict'],
    [false, false, null],
  ]);
});
