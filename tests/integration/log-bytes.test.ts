/**
 * The bytes a recorded session leaves on disk, pinned: a fixed-seed run
 * through the contract (fake clock, fixed ids) must write exactly the same
 * event rows, hashes and team snapshots as the run this digest was taken
 * from. Any change to how events are built, serialised or hashed — even one
 * meant only to be faster — fails here; the log is evidence and its bytes
 * may not drift between versions.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, cleanup, setup } from '../helpers/runner.ts';

// Session ids (and the seed, which is given) are the only randomness in a run: number them.
let nextId = 0;
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, randomUUID: () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}` };
});

const MIN = 60_000;
afterEach(cleanup);

/** Every stored column of every event, snapshot and session row, in order, as one canonical text. */
function dump(dataDir: string, sessionId: string): string {
  const db = new BetterSqlite3(join(dataDir, 'sandtable.db'), { readonly: true });
  try {
    const events = db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY seq').raw().all(sessionId);
    const snapshots = db.prepare('SELECT * FROM team_snapshots WHERE session_id = ? ORDER BY team_id').raw().all(sessionId);
    const head = db.prepare('SELECT last_seq, last_hash, status, scenario_sha256 FROM sessions WHERE id = ?').raw().get(sessionId);
    return JSON.stringify({ events, snapshots, head });
  } finally {
    db.close();
  }
}

describe('recorded log bytes', () => {
  it('a fixed-seed run writes exactly the pinned events, hashes and snapshots', async () => {
    nextId = 0;
    // Some text is not ASCII, so the pin also covers how strings are encoded before they are hashed.
    const { open, clock, dataDir } = setup();
    const services = open();
    const decide = (teamId: string, optionId: string) =>
      call(services, 'sessions.recordDecision', { sessionId: id, teamId, decisionId: 'd1', optionId, rationale: `Chose ${optionId}.`, decidedBy: 'Kim (IC)' });
    const { id } = await call(services, 'sessions.create', {
      scenarioId: 'engine-test',
      name: 'Pinned drill',
      facilitator: 'Ana',
      teams: [{ name: 'Red', participants: [{ name: 'Kim', role: 'Incident commander' }] }, { name: 'Blå' }, { name: 'Green' }],
      seed: 'pinned-seed',
    });
    expect(id).toBe('00000000-0000-4000-8000-000000000001');
    await call(services, 'sessions.start', { sessionId: id });
    await call(services, 'sessions.addNote', { sessionId: id, teamId: null, text: 'Room is set up.' });
    clock.advance(10 * MIN + 1_234); // i2 and d1 come due by the timer
    await decide('team-1', 'now');
    clock.advance(7_000);
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-2', text: 'Blå hesitates — “wait for legal”; 法务 🔥.', objectiveId: 'obj1', rating: 'M' });
    await decide('team-2', 'wait');
    await call(services, 'sessions.undo', { sessionId: id, teamId: 'team-2', reason: 'Misclick.' });
    clock.advance(3_000);
    await decide('team-2', 'wait'); // random node, branch: the seed decides
    await call(services, 'sessions.setSpeed', { sessionId: id, speed: 2 });
    await call(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-3', milestoneId: 'detected' });
    await call(services, 'sessions.pause', { sessionId: id });
    clock.advance(60_000);
    await call(services, 'sessions.resume', { sessionId: id });
    clock.advance(3 * MIN); // team-3's time limit runs out; c1 comes due for teams that did not contain
    await call(services, 'sessions.fireContingency', { sessionId: id, teamId: 'team-1', contingencyId: 'c1' });
    await call(services, 'sessions.advance', { sessionId: id });
    await call(services, 'sessions.end', { sessionId: id, reason: 'Time.' });

    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
    services.close(); // the app holds the database exclusively
    const text = dump(dataDir, id);
    const parsed = JSON.parse(text) as { events: unknown[][]; head: unknown[] };
    expect(parsed.events.length).toBe(PINNED.events);
    expect(parsed.head).toEqual(PINNED.head);
    expect(createHash('sha256').update(text).digest('hex')).toBe(PINNED.digest);
  });
});

const PINNED = {
  events: 47,
  head: [47, 'e9c0ad2658239e4eeafda179d6af7698b9a0cebb7b44b36fb85e142e6eda3a39', 'ended', '2c15dec4fa8c799d775b926cff240382989382d332d740246960510e7f362bc5'],
  digest: '98d9cee05f71b684fb8837408e2c87d02600187a8d54ee4acf1015099ae3fef7',
};
