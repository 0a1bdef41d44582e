import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewLogEvent } from '../../src-main/core/engine/events.ts';
import { DATABASE_FILE, openDatabase } from '../../src-main/store/database.ts';
import { GENESIS_HASH } from '../../src-main/store/hash-chain.ts';
import { SessionRepository } from '../../src-main/store/sessions.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function note(text: string, wallMs: number): NewLogEvent {
  return { type: 'note.added', payload: { text }, teamId: null, origin: 'command', scenarioMs: wallMs, wallMs };
}

function sessionWithEvents(n: number) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = Store.open({ dataDir: t.dir });
  store.sessions.create({ id: 's1', name: 'n', facilitator: 'f', scenarioId: 'x', scenarioVersion: '1.0.0', scenarioSha256: 'h', scenarioJson: '{}', wallMs: 1 }, [
    note('first', 1),
  ]);
  for (let i = 2; i <= n; i++) store.sessions.append('s1', [note(`note ${i}`, i)], [], 'running', i);
  return { store, dir: t.dir };
}

/** Edits the database behind the app's back, as an attacker with file access would. */
function tamper(dir: string, sql: string) {
  const db = new BetterSqlite3(join(dir, DATABASE_FILE));
  db.exec('DROP TRIGGER IF EXISTS events_are_append_only_update; DROP TRIGGER IF EXISTS events_are_append_only_delete;');
  db.exec(sql);
  db.close();
}

describe('hash-chained event log', () => {
  it('numbers events from 1 and chains each to the previous hash', () => {
    const { store } = sessionWithEvents(5);
    const events = store.sessions.events('s1');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(store.sessions.verifyChain('s1')).toEqual({ ok: true, count: 5, lastHash: events[4]!.hash });
    store.close();
  });

  it('answers an append with the events exactly as stored (seq, hashes, whole scenario milliseconds)', () => {
    const { store } = sessionWithEvents(2);
    const answered = store.sessions.append('s1', [note('third', 3), { ...note('fourth', 4), scenarioMs: 4.7, teamId: 'team-1' }], [], 'running', 4);
    expect(answered).toStrictEqual(store.sessions.events('s1', 2));
    expect(answered.map((e) => [e.seq, e.scenarioMs])).toEqual([
      [3, 3],
      [4, 4],
    ]);
    store.close();
  });

  it('detects an altered payload', () => {
    const { store, dir } = sessionWithEvents(5);
    store.close();
    tamper(dir, `UPDATE events SET payload_json = '{"text":"forged"}' WHERE seq = 3`);
    const reopened = Store.open({ dataDir: dir });
    expect(reopened.sessions.verifyChain('s1')).toMatchObject({ ok: false, seq: 3 });
    reopened.close();
  });

  it('detects a removed event, in the middle or at the end', () => {
    const { store, dir } = sessionWithEvents(5);
    store.close();
    tamper(dir, 'DELETE FROM events WHERE seq = 5');
    let reopened = Store.open({ dataDir: dir });
    expect(reopened.sessions.verifyChain('s1')).toMatchObject({ ok: false });
    reopened.close();
    tamper(dir, 'DELETE FROM events WHERE seq = 2');
    reopened = Store.open({ dataDir: dir });
    expect(reopened.sessions.verifyChain('s1')).toMatchObject({ ok: false, seq: 3 });
    reopened.close();
  });

  it('detects a changed timestamp', () => {
    const { store, dir } = sessionWithEvents(3);
    store.close();
    tamper(dir, 'UPDATE events SET wall_ms = wall_ms + 1 WHERE seq = 2');
    const reopened = Store.open({ dataDir: dir });
    expect(reopened.sessions.verifyChain('s1')).toMatchObject({ ok: false, seq: 2 });
    reopened.close();
  });

  it('appends nothing when a batch fails midway', () => {
    const { store } = sessionWithEvents(2);
    const bad = {
      ...note('x', 3),
      payload: {
        toJSON: () => {
          throw new Error('unserialisable');
        },
      },
    } as unknown as NewLogEvent;
    expect(() => store.sessions.append('s1', [note('ok', 3), bad], [], 'running', 3)).toThrow('unserialisable');
    expect(store.sessions.events('s1').length).toBe(2);
    expect(store.sessions.verifyChain('s1')).toMatchObject({ ok: true, count: 2 });
    store.close();
  });

  // A full disk refuses a WAL commit at COMMIT itself, after every row of the append was written and its head
  // moved: the head the store keeps must not move for a write that did not commit.
  it('chains the next append from the last committed event when a commit fails after its rows were written', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDatabase({ dataDir: t.dir });
    cleanups.push(() => db.close());
    const sessions = new SessionRepository(db);
    sessions.create({ id: 's1', name: 'n', facilitator: 'f', scenarioId: 'x', scenarioVersion: '1.0.0', scenarioSha256: 'h', scenarioJson: '{}', wallMs: 1 }, [note('first', 1)]);
    sessions.append('s1', [note('second', 2)], [], 'running', 2); // the head is cached from here on
    // The head's update (an append's last statement) leaves a deferred foreign key dangling: COMMIT is refused.
    db.exec(`CREATE TABLE refuse_parent (id INTEGER PRIMARY KEY);
             CREATE TABLE refuse_commit (parent INTEGER REFERENCES refuse_parent (id) DEFERRABLE INITIALLY DEFERRED);
             CREATE TRIGGER refuse_commit AFTER UPDATE OF last_seq ON sessions BEGIN INSERT INTO refuse_commit VALUES (-1); END;`);
    expect(() => sessions.append('s1', [note('refused', 3)], [], 'running', 3)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }));
    expect(db.inTransaction).toBe(false);
    db.exec('DROP TRIGGER refuse_commit');
    const [third] = sessions.append('s1', [note('third', 4)], [], 'running', 4);
    const committed = sessions.events('s1');
    expect(committed.map((e) => e.payload)).toEqual([{ text: 'first' }, { text: 'second' }, { text: 'third' }]);
    expect(third).toMatchObject({ seq: 3, prevHash: committed[1]!.hash });
    expect(sessions.verifyChain('s1')).toEqual({ ok: true, count: 3, lastHash: third!.hash });
  });
});

describe('the scenario a session ran', () => {
  it('cannot be changed, and an edit behind the app is detected', async () => {
    const { Services } = await import('../../src-main/app/services.ts');
    const { engineTestScenarioInput } = await import('../helpers/scenario.ts');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const t = tempDir();
    cleanups.push(t.cleanup);
    const scenariosDir = join(t.dir, 'scenarios');
    mkdirSync(scenariosDir);
    writeFileSync(join(scenariosDir, 's.json'), JSON.stringify(engineTestScenarioInput()));
    const dataDir = join(t.dir, 'data');
    const open = () => new Services(Store.open({ dataDir }), { name: 'S', version: 't', host: 'web', dataDir, scenariosDir });
    let services = open();
    const { id } = services.sessions.create({ scenarioId: 'engine-test', name: 'n', facilitator: 'f', teams: [{ name: 'A', participants: [] }], speed: 1 });
    services.sessions.start(id);
    services.close();

    const raw = new BetterSqlite3(join(dataDir, DATABASE_FILE));
    expect(() => raw.prepare("UPDATE sessions SET scenario_json = '{}'").run()).toThrow(/keeps the scenario/);
    raw.exec('DROP TRIGGER sessions_scenario_is_fixed');
    const json = raw.prepare('SELECT scenario_json FROM sessions').pluck().get() as string;
    raw.prepare('UPDATE sessions SET scenario_json = ?').run(json.replace('"recommended":true', '"recommended":false'));
    raw.close();

    services = open();
    cleanups.unshift(() => services.close());
    expect(services.sessions.verify(id)).toMatchObject({ ok: false, message: expect.stringContaining('SHA-256') });
    // Every reader loads it through the one loader: exports, the session's MSEL and its archive all refuse it.
    const { sessionMsel, buildSessionArchive } = await import('../../src-main/app/interop.ts');
    const { exportSession } = await import('../../src-main/app/exports.ts');
    const altered = /scenario stored with session .* is not the one its log records \(its SHA-256 differs\)/;
    expect(() => sessionMsel(services.store, id)).toThrow(altered);
    await expect(buildSessionArchive(services.store, id)).rejects.toThrow(altered);
    expect(() => exportSession(services.store, id, { format: 'json', pseudonymise: false, generator: 'test', now: 0 })).toThrow(altered);
  });

  it('hashes a session-wide event differently from one with an empty team', async () => {
    const { eventHash } = await import('../../src-main/store/hash-chain.ts');
    const base = { sessionId: 's', seq: 1, type: 'note.added', origin: 'command', scenarioMs: 0, wallMs: 0, payloadJson: '{}' };
    expect(eventHash(GENESIS_HASH, { ...base, teamId: null })).not.toBe(eventHash(GENESIS_HASH, { ...base, teamId: '' }));
  });
});
