/**
 * A full disk, explained: SQLite's `max_page_count` stands in for the disk
 * (a write that needs one more page fails with SQLITE_FULL, as on a full
 * disk). Writes are refused with a `disk_full` error naming the data folder,
 * nothing half-written is kept, `sessions.list` and `sessions.get` agree,
 * recovery on a still-full disk is reported, and what waited is written by
 * itself once there is space again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import type { Services } from '../../src-main/app/services.ts';
import { DISK_RETRY_MS } from '../../src-main/app/sessions.ts';
import { call, cleanup, facilitator, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

/** Caps the database where it is, then writes notes (large, then small) until the "disk" refuses even a small one. */
async function fillDisk(services: Services, sessionId: string) {
  services.store.limitPages('current');
  let refused: any = null;
  for (const size of [3_000, 200, 1]) {
    for (let i = 0; i < 10_000; i++) {
      const response = await dispatch(services, 'sessions.addNote', { sessionId, teamId: null, text: 'x'.repeat(size) }, facilitator);
      if (!response.ok) {
        refused = response.error;
        break;
      }
    }
  }
  return refused;
}

async function statuses(services: Services, sessionId: string) {
  const listed = (await call(services, 'sessions.list', {})).find((s: any) => s.id === sessionId).status;
  const got = (await call(services, 'sessions.get', { sessionId })).status;
  return { listed, got };
}

describe('a full disk', () => {
  it('refuses writes with disk_full naming the data folder, keeps state consistent and writes what waited once space returns', async () => {
    const { open, clock, dataDir } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }, { name: 'B' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    const refused = await fillDisk(services, id);
    expect(refused).toMatchObject({ code: 'disk_full', path: '' });
    expect(refused.message).toContain('disk is full');
    expect(refused.message).toContain(dataDir);
    const logBefore = await call(services, 'sessions.events', { sessionId: id });

    // An action refused on a full disk leaves nothing behind, in the log or in the engine.
    const decision = await dispatch(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-1', milestoneId: 'detected' }, facilitator);
    expect(decision).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].milestones.detected).toBeNull();
    expect(await statuses(services, id)).toEqual({ listed: 'running', got: 'running' });

    // The clock runs on: an inject comes due while the disk is full. The session shows it and waits to write it.
    expect((await call(services, 'sessions.get', { sessionId: id })).storage).toBeNull(); // a refused action waits for nothing
    const changed: unknown[] = [];
    const stop = services.events.subscribe({ role: 'facilitator' }, (e) => {
      if (e.name === 'session.changed') changed.push(e.payload);
    });
    clock.advance(10 * MIN + 5);
    const waiting = await call(services, 'sessions.get', { sessionId: id });
    expect(waiting.teams[0].currentInject).toBe('i2');
    // Every console is told, once, that the log stands still and why (the folder named).
    expect(waiting.storage).toMatchObject({ waiting: expect.any(Number) });
    expect(waiting.storage.waiting).toBeGreaterThan(0);
    expect(waiting.storage.problem).toContain(dataDir);
    expect(changed).toHaveLength(1);
    clock.advance(DISK_RETRY_MS);
    expect(changed).toHaveLength(1);
    stop();
    expect(await call(services, 'sessions.events', { sessionId: id })).toHaveLength(logBefore.length);
    const pause = await dispatch(services, 'sessions.pause', { sessionId: id }, facilitator);
    expect(pause).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(await statuses(services, id)).toEqual({ listed: 'running', got: 'running' });

    // Space returns: the next retry writes what waited, by itself, in order.
    services.store.limitPages(null);
    clock.advance(DISK_RETRY_MS);
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect((await call(services, 'sessions.get', { sessionId: id })).storage).toBeNull();
    expect(log.length).toBeGreaterThan(logBefore.length);
    expect(log.filter((e: any) => e.type === 'inject.delivered' && e.payload.nodeId === 'i2')).toHaveLength(2); // one per team
    expect(log.map((e: any) => e.type)).not.toContain('milestone.marked');
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
    await call(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-1', milestoneId: 'detected' });
    await call(services, 'sessions.pause', { sessionId: id });
    expect(await statuses(services, id)).toEqual({ listed: 'paused', got: 'paused' });
  });

  // The runner asks the engine for its next wake before the commit: a refused pause's answer (no wake: paused)
  // must not be used, or the session, still running, would lose its timer and nothing would come due by itself.
  it('keeps the timer of a session whose pause the disk refused, so what is due next still comes by itself', async () => {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    expect(await fillDisk(services, id)).toMatchObject({ code: 'disk_full' });
    expect(await dispatch(services, 'sessions.pause', { sessionId: id }, facilitator)).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect((await call(services, 'sessions.get', { sessionId: id })).status).toBe('running');
    expect(clock.pendingTimers).toBe(1);

    services.store.limitPages(null);
    clock.advance(10 * MIN); // i2 is due at scenario minute 10: the timer delivers and records it, no one acting
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].currentInject).toBe('i2');
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect(log.filter((e: any) => e.type === 'inject.delivered' && e.payload.nodeId === 'i2')).toHaveLength(1);
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  // A listener of a commit's notice may act on the session while the commit is still under way; when what came due
  // meanwhile could not be written, the disk's retry is what is due next, not the wake the engine gave before that commit.
  it('retries what a full disk refused while a commit was being told after the retry interval, not at the wake asked before it', async () => {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    const filler = (await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'filler', facilitator: 'y', teams: [{ name: 'A' }] })).id;
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN - 1); // i2 is 1 ms away
    let acted = false;
    const stop = services.events.subscribe(facilitator, (event) => {
      if (acted || event.name !== 'session.changed' || event.payload.sessionId !== id) return;
      acted = true;
      services.store.limitPages('current');
      for (const size of [3_000, 200, 1]) {
        for (let i = 0; i < 10_000; i++) {
          try {
            services.sessions.addNote(filler, null, { text: 'x'.repeat(size) });
          } catch {
            break;
          }
        }
      }
      clock.advance(1); // i2 comes due: the session shows it, the disk refuses it
    });
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-1', text: 'a note' });
    stop();
    expect(acted).toBe(true);
    const waiting = await call(services, 'sessions.get', { sessionId: id });
    expect(waiting.teams[0].currentInject).toBe('i2');
    expect(waiting.storage.waiting).toBeGreaterThan(0);

    services.store.limitPages(null);
    clock.advance(DISK_RETRY_MS - 1);
    expect((await call(services, 'sessions.get', { sessionId: id })).storage).not.toBeNull();
    clock.advance(1);
    expect((await call(services, 'sessions.get', { sessionId: id })).storage).toBeNull();
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect(log.filter((e: any) => e.type === 'inject.delivered' && e.payload.nodeId === 'i2')).toHaveLength(1);
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it('reports a restart on a still-full disk, shows the session paused everywhere, explains end, exports, and saves the pause when space returns', async () => {
    const { open, clock, dataDir } = setup();
    const first = open();
    const { id } = await call(first, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    const filler = (await call(first, 'sessions.create', { scenarioId: 'engine-test', name: 'filler', facilitator: 'y', teams: [{ name: 'A' }] })).id;
    await call(first, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN);
    first.close(); // the app stops while the session runs
    clock.advance(MIN);

    const second = open();
    expect(await fillDisk(second, filler)).toMatchObject({ code: 'disk_full' });
    const report = second.sessions.recover().find((r) => r.sessionId === id);
    expect(report).toMatchObject({ code: 'disk_full' });
    expect(report!.error).toContain(dataDir);
    expect(await statuses(second, id)).toEqual({ listed: 'paused', got: 'paused' });

    const ended = await dispatch(second, 'sessions.end', { sessionId: id, reason: 'done' }, facilitator);
    expect(ended).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    const exported = await call(second, 'reports.export', { sessionId: id, format: 'json', pseudonymise: false });
    expect(JSON.parse(exported.content).events.length).toBe(exported.manifest.log.eventCount);

    second.store.limitPages(null);
    clock.advance(DISK_RETRY_MS);
    const log = await call(second, 'sessions.events', { sessionId: id });
    expect(log.at(-1)).toMatchObject({ type: 'clock.paused', scenarioMs: 10 * MIN });
    expect(await statuses(second, id)).toEqual({ listed: 'paused', got: 'paused' });
    await call(second, 'sessions.end', { sessionId: id, reason: 'done' });
    expect(second.sessions.verify(id)).toMatchObject({ ok: true });
  });
});
