import type { Database } from 'better-sqlite3';
import { openDatabase, type OpenOptions } from './database.ts';
import { ImprovementPlanRepository } from './improvement-plan.ts';
import { ParticipantRepository } from './participants.ts';
import { schemaVersion } from './migrate.ts';
import { ProgrammeRepository } from './programme.ts';
import { SessionDocumentRepository } from './session-documents.ts';
import { SessionRepository } from './sessions.ts';
import { StudioDraftRepository } from './studio-drafts.ts';

/**
 * The app's handle on its data folder. All SQL lives behind this class and
 * the repositories it hands out; callers never see a database connection.
 */
export class Store {
  readonly #db: Database;
  readonly sessions: SessionRepository;
  /** The improvement plan: items that persist across sessions. */
  readonly improvementPlan: ImprovementPlanRepository;
  /** What each session's room screen shows (display state, outside the event log). */
  readonly roomDisplay: SessionDocumentRepository;
  /** The what-if replays listed in each session's report as alternatives discussed (outside the event log). */
  readonly reportAlternatives: SessionDocumentRepository;
  /** The rows the programme view (coverage across all sessions) is computed from. */
  readonly programme: ProgrammeRepository;
  /** The scenario studio's drafts and the versions it published. */
  readonly studio: StudioDraftRepository;
  /** Participants' grants (token hashes), open join codes and the listener's address, kept across restarts. */
  readonly participants: ParticipantRepository;

  private constructor(db: Database) {
    this.#db = db;
    this.sessions = new SessionRepository(db);
    this.improvementPlan = new ImprovementPlanRepository(db);
    this.roomDisplay = new SessionDocumentRepository(db, 'room_display', 'display');
    this.reportAlternatives = new SessionDocumentRepository(db, 'report_alternatives', 'alternatives');
    this.programme = new ProgrammeRepository(db);
    this.studio = new StudioDraftRepository(db);
    this.participants = new ParticipantRepository(db);
  }

  /** Opens and migrates the store in `options.dataDir`, claiming the folder for this process. */
  static open(options: OpenOptions): Store {
    return new Store(openDatabase(options));
  }

  get schemaVersion(): number {
    return schemaVersion(this.#db);
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  /** `PRAGMA integrity_check`: "ok" when the database file is sound. */
  integrityCheck(): string {
    return (this.#db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  }

  /**
   * Caps the database at `pages` pages of its current size (`PRAGMA
   * max_page_count`, for this connection only), or lifts the cap with null.
   * A write that needs a page beyond it fails with SQLITE_FULL exactly as on
   * a full disk, which is how the disk-full paths are tested. Returns the
   * database's size in pages.
   */
  limitPages(pages: number | 'current' | null): number {
    const size = this.#db.pragma('page_count', { simple: true }) as number;
    const limit = pages === null ? 0xfffffffe : pages === 'current' ? size : pages;
    this.#db.pragma(`max_page_count = ${Math.max(1, Math.floor(limit))}`);
    return size;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
