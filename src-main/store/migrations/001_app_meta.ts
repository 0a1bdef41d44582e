import type { Migration } from './types.ts';

/** App metadata: when this data folder was created and by which version. */
export const migration001: Migration = {
  version: 1,
  name: 'app_meta',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
    db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run('created_at', String(Date.now()));
  },
};
