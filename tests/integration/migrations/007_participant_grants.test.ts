import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';
import { ParticipantRepository } from '../../../src-main/store/participants.ts';

const HASH = 'a'.repeat(64);

/** A fresh database at schema `version` (foreign keys on, as the app opens it) holding the sessions named. */
function databaseAt(version: number, ...sessionIds: string[]): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, version);
  for (const id of sessionIds) addSession(db, id);
  return db;
}

function addSession(db: BetterSqlite3.Database, id: string): void {
  db.prepare(
    `INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash)
     VALUES (?, 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'running', 1, 1, 0, 'x')`,
  ).run(id);
}

describe('migration 007 participant_grants', () => {
  it('upgrades a version-6 database, keeping its sessions, with grants (hashes only), join codes and the listener', () => {
    const db = databaseAt(6, 'kept');
    expect(migrate(db, MIGRATIONS, 7)).toBe(schemaVersion(db));
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT id FROM sessions').pluck().all()).toEqual(['kept']);

    const grant = db.prepare('INSERT INTO participant_grants (token_sha256, session_id, team_id, participant_id, created_wall_ms) VALUES (?, ?, ?, ?, ?)');
    grant.run(HASH, 'kept', 'team-1', 'p1', 5);
    // A token hash only (64 lower-case hex), once, and only for a session that exists.
    expect(() => grant.run(HASH, 'kept', 'team-1', 'p2', 5)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => grant.run('b'.repeat(63), 'kept', 'team-1', 'p2', 5)).toThrow(/CHECK/);
    expect(() => grant.run('B'.repeat(64), 'kept', 'team-1', 'p2', 5)).toThrow(/CHECK/);
    expect(() => grant.run(`${'c'.repeat(63)}g`, 'kept', 'team-1', 'p2', 5)).toThrow(/CHECK/);
    expect(() => grant.run('d'.repeat(64), 'missing', 'team-1', 'p2', 5)).toThrow(/FOREIGN KEY/);

    const code = db.prepare('INSERT INTO join_codes (session_id, code, opened_wall_ms) VALUES (?, ?, ?)');
    code.run('kept', 'ABCDEFGHJK', 1);
    addSession(db, 'other');
    // One code per session, and no code opens two sessions.
    expect(() => code.run('other', 'ABCDEFGHJK', 1)).toThrow(/UNIQUE/);
    expect(() => code.run('kept', 'ZZZZZZZZZZ', 1)).toThrow(/UNIQUE|PRIMARY KEY/);

    const listener = db.prepare('INSERT INTO participant_listener (id, address, interface, port, updated_wall_ms) VALUES (?, ?, ?, ?, ?)');
    expect(() => listener.run(2, '127.0.0.1', 'lo', 443, 1)).toThrow(/CHECK/);
    expect(() => listener.run(1, '127.0.0.1', 'lo', 0, 1)).toThrow(/CHECK/);
    listener.run(1, '127.0.0.1', 'lo', 8443, 1);
    expect(() => listener.run(1, '127.0.0.1', 'lo', 8444, 1)).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('keeps what the repository writes, and a session’s grants and code go with the session', () => {
    const db = databaseAt(MIGRATIONS.length, 's1', 's2');
    const repo = new ParticipantRepository(db);
    repo.addGrant({ tokenSha256: HASH, sessionId: 's1', teamId: 'team-1', participantId: 'p1' }, 1);
    repo.addGrant({ tokenSha256: 'b'.repeat(64), sessionId: 's1', teamId: 'team-2', participantId: 'p2' }, 2);
    repo.addGrant({ tokenSha256: 'c'.repeat(64), sessionId: 's2', teamId: 'team-1', participantId: 'p3' }, 3);
    repo.setCode('s1', 'ABCDEFGHJK', 1);
    repo.setCode('s1', 'KJHGFEDCBA', 2); // replaced, not added
    repo.setCode('s2', 'MNPQRSTUVW', 3);
    expect(repo.codes()).toEqual([
      { sessionId: 's1', code: 'KJHGFEDCBA' },
      { sessionId: 's2', code: 'MNPQRSTUVW' },
    ]);
    repo.revokeParticipant('s1', 'p2');
    expect(repo.grants().map((g) => g.participantId)).toEqual(['p1', 'p3']);
    repo.revokeSession('s1');
    expect(repo.grants()).toEqual([{ tokenSha256: 'c'.repeat(64), sessionId: 's2', teamId: 'team-1', participantId: 'p3' }]);
    expect(repo.codes()).toEqual([{ sessionId: 's2', code: 'MNPQRSTUVW' }]);
    db.prepare('DELETE FROM sessions WHERE id = ?').run('s2');
    expect(repo.grants()).toEqual([]);
    expect(repo.codes()).toEqual([]);

    expect(repo.listener()).toBeNull();
    repo.setListener({ address: '192.0.2.10', interface: 'wlan0', port: 8443 }, 1);
    repo.setListener({ address: '192.0.2.11', interface: 'eth0', port: 9443 }, 2);
    expect(repo.listener()).toEqual({ address: '192.0.2.11', interface: 'eth0', port: 9443 });
    repo.setListener(null, 3);
    expect(repo.listener()).toBeNull();
  });
});
