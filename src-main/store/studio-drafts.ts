import type { Database, Statement } from 'better-sqlite3';

export type DraftOriginKind = 'new' | 'duplicate' | 'edit' | 'msel';

/** A draft as stored: its document is parsed JSON, unchecked (the app layer validates what it reads back). */
export interface StoredDraft {
  id: string;
  originKind: DraftOriginKind;
  originScenarioId: string | null;
  linkedScenarioId: string | null;
  document: unknown;
  revision: number;
  publishedVersion: string | null;
  createdWallMs: number;
  updatedWallMs: number;
}

/** What a list of drafts shows, read without parsing the documents. */
export interface StoredDraftSummary extends Omit<StoredDraft, 'document'> {
  /** The document's meta.title and meta.id, whatever JSON they hold (null when absent). */
  title: unknown;
  scenarioId: unknown;
}

export type DraftSave = { ok: true; revision: number } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'conflict'; revision: number };

export interface StudioVersion {
  version: string;
  publishedWallMs: number | null;
  sha256: string;
}

interface DraftRow {
  id: string;
  origin_kind: DraftOriginKind;
  origin_scenario_id: string | null;
  linked_scenario_id: string | null;
  revision: number;
  published_version: string | null;
  created_wall_ms: number;
  updated_wall_ms: number;
}

const COLUMNS = 'id, origin_kind, origin_scenario_id, linked_scenario_id, revision, published_version, created_wall_ms, updated_wall_ms';

function fromRow(row: DraftRow): Omit<StoredDraft, 'document'> {
  return {
    id: row.id,
    originKind: row.origin_kind,
    originScenarioId: row.origin_scenario_id,
    linkedScenarioId: row.linked_scenario_id,
    revision: row.revision,
    publishedVersion: row.published_version,
    createdWallMs: row.created_wall_ms,
    updatedWallMs: row.updated_wall_ms,
  };
}

/**
 * The studio's drafts (autosaved scenario documents) and the versions it
 * published (migration 006). A save names the revision it was made on and
 * is refused when the draft has moved on since, in one statement.
 */
export class StudioDraftRepository {
  readonly #db: Database;
  readonly #insert: Statement<[string, DraftOriginKind, string | null, string | null, string, number, number]>;
  readonly #get: Statement<[string], DraftRow & { document: string }>;
  readonly #list: Statement<[], DraftRow & { title: unknown; scenario_id: unknown }>;
  readonly #save: Statement<[string, number, string, number]>;
  readonly #revision: Statement<[string], { revision: number }>;
  readonly #published: Statement<[string, string, string, number, string]>;
  readonly #delete: Statement<[string]>;
  readonly #linked: Statement<[string], DraftRow>;
  readonly #scenarioIds: Statement<[], { scenario_id: unknown }>;
  readonly #addVersion: Statement<[string, string, number | null, string]>;
  readonly #versions: Statement<[string], { version: string; published_wall_ms: number | null; sha256: string }>;

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO studio_drafts (id, origin_kind, origin_scenario_id, linked_scenario_id, document, revision, created_wall_ms, updated_wall_ms)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.#get = db.prepare(`SELECT ${COLUMNS}, document FROM studio_drafts WHERE id = ?`);
    this.#list = db.prepare(
      `SELECT ${COLUMNS}, json_extract(document, '$.meta.title') AS title, json_extract(document, '$.meta.id') AS scenario_id
       FROM studio_drafts ORDER BY updated_wall_ms DESC, id`,
    );
    this.#save = db.prepare('UPDATE studio_drafts SET document = ?, revision = revision + 1, updated_wall_ms = ? WHERE id = ? AND revision = ?');
    this.#revision = db.prepare('SELECT revision FROM studio_drafts WHERE id = ?');
    this.#published = db.prepare('UPDATE studio_drafts SET document = ?, revision = revision + 1, published_version = ?, linked_scenario_id = ?, updated_wall_ms = ? WHERE id = ?');
    this.#delete = db.prepare('DELETE FROM studio_drafts WHERE id = ?');
    this.#linked = db.prepare(`SELECT ${COLUMNS} FROM studio_drafts WHERE linked_scenario_id = ? ORDER BY updated_wall_ms DESC, id LIMIT 1`);
    this.#scenarioIds = db.prepare("SELECT json_extract(document, '$.meta.id') AS scenario_id FROM studio_drafts");
    this.#addVersion = db.prepare('INSERT OR IGNORE INTO studio_versions (scenario_id, version, published_wall_ms, sha256) VALUES (?, ?, ?, ?)');
    this.#versions = db.prepare(
      'SELECT version, published_wall_ms, sha256 FROM studio_versions WHERE scenario_id = ? ORDER BY published_wall_ms IS NOT NULL, published_wall_ms, version',
    );
  }

  create(draft: { id: string; originKind: DraftOriginKind; originScenarioId: string | null; linkedScenarioId: string | null; document: unknown; wallMs: number }): StoredDraft {
    this.#insert.run(draft.id, draft.originKind, draft.originScenarioId, draft.linkedScenarioId, JSON.stringify(draft.document), draft.wallMs, draft.wallMs);
    return this.get(draft.id)!;
  }

  get(id: string): StoredDraft | undefined {
    const row = this.#get.get(id);
    return row ? { ...fromRow(row), document: JSON.parse(row.document) as unknown } : undefined;
  }

  /** Every draft, most recently saved first. */
  list(): StoredDraftSummary[] {
    return this.#list.all().map((row) => ({ ...fromRow(row), title: row.title, scenarioId: row.scenario_id }));
  }

  /** Replaces a draft's document if it is still at `revision`. */
  save(id: string, revision: number, document: unknown, wallMs: number): DraftSave {
    const text = JSON.stringify(document);
    return this.#db.transaction((): DraftSave => {
      if (this.#save.run(text, wallMs, id, revision).changes === 1) return { ok: true, revision: revision + 1 };
      const current = this.#revision.get(id);
      return current ? { ok: false, reason: 'conflict', revision: current.revision } : { ok: false, reason: 'not_found' };
    })();
  }

  /**
   * Records a publication: the draft's document as published (its new
   * version), the library scenario it is linked to from now on, and the
   * versions to list (the one it replaced first, if not listed yet, and the
   * new one), in one transaction. Returns the draft's new revision.
   */
  published(
    id: string,
    publication: { document: unknown; scenarioId: string; version: string; sha256: string; replaced: { version: string; sha256: string } | null; wallMs: number },
  ): number {
    return this.#db.transaction(() => {
      if (publication.replaced) this.#addVersion.run(publication.scenarioId, publication.replaced.version, null, publication.replaced.sha256);
      this.#addVersion.run(publication.scenarioId, publication.version, publication.wallMs, publication.sha256);
      this.#published.run(JSON.stringify(publication.document), publication.version, publication.scenarioId, publication.wallMs, id);
      return this.#revision.get(id)?.revision ?? 0;
    })();
  }

  /** Removes a draft; false when there was none. */
  discard(id: string): boolean {
    return this.#delete.run(id).changes === 1;
  }

  /** The most recently saved draft that publishes to a library scenario, if any. */
  linkedTo(scenarioId: string): Omit<StoredDraft, 'document'> | undefined {
    const row = this.#linked.get(scenarioId);
    return row ? fromRow(row) : undefined;
  }

  /** The meta.id of every draft's document (those that are strings). */
  scenarioIds(): Set<string> {
    return new Set(
      this.#scenarioIds
        .all()
        .map((r) => r.scenario_id)
        .filter((id): id is string => typeof id === 'string'),
    );
  }

  /** The versions of a scenario the studio published, oldest first (one it replaced before it knew the time first). */
  versions(scenarioId: string): StudioVersion[] {
    return this.#versions.all(scenarioId).map((r) => ({ version: r.version, publishedWallMs: r.published_wall_ms, sha256: r.sha256 }));
  }
}
