import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ImprovementItem, ImprovementStatus } from '../core/debrief/improvement.ts';

export interface NewImprovementItem {
  sessionId?: string | null | undefined;
  teamName: string;
  area: string;
  correctiveAction: string;
  tag?: string | null | undefined;
  owner?: string | undefined;
  dueDate?: string | null | undefined;
  status?: ImprovementStatus | undefined;
}

/** Fields to change; those left out keep their value. */
export interface ImprovementItemPatch {
  teamName?: string | undefined;
  area?: string | undefined;
  correctiveAction?: string | undefined;
  tag?: string | null | undefined;
  owner?: string | undefined;
  dueDate?: string | null | undefined;
  status?: ImprovementStatus | undefined;
}

export interface ImprovementFilter {
  sessionId?: string | undefined;
  /** Any of these teams (names compared without regard to case). */
  teamNames?: readonly string[] | undefined;
  statuses?: readonly ImprovementStatus[] | undefined;
}

/** Filters of the improvement plan across sessions (every criterion given must hold). */
export interface ImprovementSearch {
  /** The team, compared without regard to case or surrounding spaces. */
  teamName?: string | undefined;
  statuses?: readonly ImprovementStatus[] | undefined;
  /** The owner, compared without regard to case or surrounding spaces. */
  owner?: string | undefined;
  /** Due on or after / on or before these dates (`YYYY-MM-DD`); items without a due date are left out when either is given. */
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
}

/** An item with the name of the session that found it (null if none, or the session is gone). */
export type ImprovementItemWithSession = ImprovementItem & { sessionName: string | null };

interface ItemRow {
  id: string;
  session_id: string | null;
  team_name: string;
  area: string;
  corrective_action: string;
  tag: string | null;
  owner: string;
  due_date: string | null;
  status: ImprovementStatus;
  created_wall_ms: number;
  updated_wall_ms: number;
  closed_wall_ms: number | null;
}

const toItem = (r: ItemRow): ImprovementItem => ({
  id: r.id,
  sessionId: r.session_id,
  teamName: r.team_name,
  area: r.area,
  correctiveAction: r.corrective_action,
  tag: r.tag,
  owner: r.owner,
  dueDate: r.due_date,
  status: r.status,
  createdWallMs: r.created_wall_ms,
  updatedWallMs: r.updated_wall_ms,
  closedWallMs: r.closed_wall_ms,
});

// rowid breaks ties in insertion order (ids are random).
const ORDER = 'ORDER BY created_wall_ms, rowid';

/**
 * The improvement plan: items persist across sessions and follow a team by
 * name, so the next session of the same team can show what is still open.
 */
export class ImprovementPlanRepository {
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #select: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO improvement_items (id, session_id, team_name, area, corrective_action, tag, owner, due_date, status, created_wall_ms, updated_wall_ms, closed_wall_ms)
       VALUES (@id, @session_id, @team_name, @area, @corrective_action, @tag, @owner, @due_date, @status, @created_wall_ms, @updated_wall_ms, @closed_wall_ms)`,
    );
    this.#update = db.prepare(
      `UPDATE improvement_items SET team_name = @team_name, area = @area, corrective_action = @corrective_action, tag = @tag, owner = @owner,
         due_date = @due_date, status = @status, updated_wall_ms = @updated_wall_ms, closed_wall_ms = @closed_wall_ms
       WHERE id = @id`,
    );
    this.#select = db.prepare('SELECT * FROM improvement_items WHERE id = ?');
  }

  /** Adds an item (open unless a status is given). */
  create(item: NewImprovementItem, wallMs: number): ImprovementItem {
    const status = item.status ?? 'open';
    const row: ItemRow = {
      id: randomUUID(),
      session_id: item.sessionId ?? null,
      team_name: item.teamName.trim(),
      area: item.area.trim(),
      corrective_action: item.correctiveAction.trim(),
      tag: item.tag?.trim() || null,
      owner: item.owner?.trim() ?? '',
      due_date: item.dueDate ?? null,
      status,
      created_wall_ms: wallMs,
      updated_wall_ms: wallMs,
      closed_wall_ms: status === 'closed' ? wallMs : null,
    };
    this.#insert.run(row);
    return toItem(row);
  }

  /** Changes an item; closing it records when, reopening it clears that. Undefined if there is no such item. */
  update(id: string, patch: ImprovementItemPatch, wallMs: number): ImprovementItem | undefined {
    return this.#db
      .transaction(() => {
        const current = this.#select.get(id) as ItemRow | undefined;
        if (!current) return undefined;
        const status = patch.status ?? current.status;
        const row: ItemRow = {
          ...current,
          team_name: patch.teamName?.trim() ?? current.team_name,
          area: patch.area?.trim() ?? current.area,
          corrective_action: patch.correctiveAction?.trim() ?? current.corrective_action,
          tag: patch.tag === undefined ? current.tag : patch.tag?.trim() || null,
          owner: patch.owner?.trim() ?? current.owner,
          due_date: patch.dueDate === undefined ? current.due_date : patch.dueDate,
          status,
          updated_wall_ms: wallMs,
          closed_wall_ms: status !== 'closed' ? null : current.status === 'closed' ? current.closed_wall_ms : wallMs,
        };
        this.#update.run(row);
        return toItem(row);
      })
      .immediate();
  }

  get(id: string): ImprovementItem | undefined {
    const row = this.#select.get(id) as ItemRow | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Items matching every given criterion, oldest first. */
  list(filter: ImprovementFilter = {}): ImprovementItem[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.sessionId !== undefined) {
      where.push('session_id = ?');
      params.push(filter.sessionId);
    }
    if (filter.teamNames !== undefined) {
      if (filter.teamNames.length === 0) return [];
      where.push(`team_name IN (${filter.teamNames.map(() => '?').join(', ')})`);
      params.push(...filter.teamNames.map((n) => n.trim()));
    }
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return [];
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    const sql = `SELECT * FROM improvement_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${ORDER}`;
    return (this.#db.prepare(sql).all(...params) as ItemRow[]).map(toItem);
  }

  /**
   * The whole plan across sessions, filtered, with each item's session name:
   * soonest due first (items without a due date last), then oldest first.
   */
  search(filter: ImprovementSearch = {}): ImprovementItemWithSession[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.teamName !== undefined) {
      where.push('lower(trim(i.team_name)) = ?');
      params.push(filter.teamName.trim().toLowerCase());
    }
    if (filter.owner !== undefined) {
      where.push('lower(trim(i.owner)) = ?');
      params.push(filter.owner.trim().toLowerCase());
    }
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return [];
      where.push(`i.status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.dueFrom !== undefined) {
      where.push('i.due_date >= ?');
      params.push(filter.dueFrom);
    }
    if (filter.dueTo !== undefined) {
      where.push('i.due_date <= ?');
      params.push(filter.dueTo);
    }
    const sql =
      `SELECT i.*, s.name AS session_name FROM improvement_items i LEFT JOIN sessions s ON s.id = i.session_id ` +
      `${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.due_date IS NULL, i.due_date, i.created_wall_ms, i.rowid`;
    return (this.#db.prepare(sql).all(...params) as Array<ItemRow & { session_name: string | null }>).map((r) => ({ ...toItem(r), sessionName: r.session_name }));
  }

  listBySession(sessionId: string): ImprovementItem[] {
    return this.list({ sessionId });
  }

  listByTeam(teamName: string): ImprovementItem[] {
    return this.list({ teamNames: [teamName] });
  }

  /** What is still to do (open or in progress) for these teams: shown when their next session is set up. */
  openForTeams(teamNames: readonly string[]): ImprovementItem[] {
    return this.list({ teamNames, statuses: ['open', 'in-progress'] });
  }

  /** A session's report: the items it found, and the items still open for its teams from other sessions. */
  forReport(sessionId: string, teamNames: readonly string[]): ImprovementItem[] {
    const names = teamNames.map((n) => n.trim());
    const teamClause = names.length ? ` OR (team_name IN (${names.map(() => '?').join(', ')}) AND status != 'closed')` : '';
    return (this.#db.prepare(`SELECT * FROM improvement_items WHERE session_id = ?${teamClause} ${ORDER}`).all(sessionId, ...names) as ItemRow[]).map(toItem);
  }
}
