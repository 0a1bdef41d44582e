/**
 * The improvement plan of one session, as the debrief edits it: the items
 * found in the session, and the items of its teams still open from earlier
 * sessions (carried over), plus the draft of the item being written or
 * edited. Everything is read from and written through the contract
 * (`improvementPlan.*`); the list is fetched again after every change.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ApiError } from '../../../../src-main/api/errors.ts';
import type { Api } from '../../lib/api.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import type { ImprovementItem, ImprovementProposal, ImprovementStatus } from './types.ts';

/** The fields of the item being written (or edited). */
export interface ImprovementDraftFields {
  teamName: string;
  area: string;
  correctiveAction: string;
  tag: string;
  owner: string;
  dueDate: string;
  status: ImprovementStatus;
}

function emptyDraft(teamName: string): ImprovementDraftFields {
  return { teamName, area: '', correctiveAction: '', tag: '', owner: '', dueDate: '', status: 'open' };
}

export class ImprovementPlanState {
  readonly sessionId: string;
  readonly teamNames: readonly string[];
  #api: Api;
  #items = $state.raw<readonly ImprovementItem[]>([]);
  #loaded = $state(false);
  #loadError = $state<ApiError | null>(null);
  #saving = $state(false);
  #saveError = $state<ApiError | null>(null);
  #rowErrors = $state.raw<Readonly<Record<string, ApiError>>>({});
  /** The items whose status is being saved. */
  readonly #rowSaving = new SvelteSet<string>();

  /** The item being written; `editing` names the item it changes, or null for a new one. */
  draft = $state<ImprovementDraftFields>(emptyDraft(''));
  editing = $state<string | null>(null);

  constructor(api: Api, sessionId: string, teamNames: readonly string[]) {
    this.#api = api;
    this.sessionId = sessionId;
    this.teamNames = teamNames;
    this.draft = emptyDraft(teamNames[0] ?? '');
  }

  /** The session's items first (oldest first), then its teams' open items from earlier sessions. */
  get items(): readonly ImprovementItem[] {
    return this.#items;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get loadError(): ApiError | null {
    return this.#loadError;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get saveError(): ApiError | null {
    return this.#saveError;
  }
  rowError(id: string): ApiError | null {
    return this.#rowErrors[id] ?? null;
  }
  rowSaving(id: string): boolean {
    return this.#rowSaving.has(id);
  }

  /** Whether an item was found in an earlier session (and is still open). */
  carriedOver(item: ImprovementItem): boolean {
    return item.sessionId !== this.sessionId;
  }

  async load(): Promise<void> {
    try {
      const [own, open] = await Promise.all([
        this.#api.call('improvementPlan.list', { sessionId: this.sessionId }),
        this.teamNames.length ? this.#api.call('improvementPlan.list', { teamNames: [...this.teamNames], openOnly: true }) : Promise.resolve([]),
      ]);
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup while merging the two lists; not state
      const ids = new Set(own.map((i) => i.id));
      this.#items = [...own, ...open.filter((i) => !ids.has(i.id))];
      this.#loadError = null;
    } catch (error) {
      this.#loadError = toApiError(error);
    } finally {
      this.#loaded = true;
    }
  }

  /** Starts a new item from what the debrief found. */
  propose(proposal: ImprovementProposal): void {
    this.editing = null;
    this.#saveError = null;
    this.draft = {
      ...emptyDraft(proposal.teamName),
      area: proposal.area,
      correctiveAction: proposal.correctiveAction ?? '',
      tag: proposal.tag ?? '',
    };
  }

  /** Loads an existing item into the draft to change it. */
  edit(item: ImprovementItem): void {
    this.editing = item.id;
    this.#saveError = null;
    this.draft = {
      teamName: item.teamName,
      area: item.area,
      correctiveAction: item.correctiveAction,
      tag: item.tag ?? '',
      owner: item.owner,
      dueDate: item.dueDate ?? '',
      status: item.status,
    };
  }

  /** Abandons the draft. */
  reset(): void {
    this.editing = null;
    this.#saveError = null;
    this.draft = emptyDraft(this.draft.teamName || (this.teamNames[0] ?? ''));
  }

  /** Creates the drafted item, or saves the changes to the one being edited. True when saved. */
  async save(): Promise<boolean> {
    if (this.#saving) return false;
    this.#saving = true;
    const d: ImprovementDraftFields = { ...this.draft }; // what is sent (the draft stays editable meanwhile)
    const editing = this.editing;
    const fields = {
      teamName: d.teamName,
      area: d.area,
      correctiveAction: d.correctiveAction,
      tag: d.tag.trim() === '' ? null : d.tag.trim(),
      owner: d.owner,
      dueDate: d.dueDate === '' ? null : d.dueDate,
      status: d.status,
    };
    try {
      if (editing === null) await this.#api.call('improvementPlan.create', { sessionId: this.sessionId, ...fields });
      else await this.#api.call('improvementPlan.update', { id: editing, ...fields });
      this.#saveError = null;
      this.#afterSave(d, editing);
      await this.load();
      return true;
    } catch (error) {
      this.#saveError = toApiError(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }

  /**
   * Empties the draft after a save, but keeps what was typed while the save
   * was in flight: a new item's changed fields stay as the next draft; an
   * edited item changed meanwhile stays open for editing.
   */
  #afterSave(sent: ImprovementDraftFields, editing: string | null): void {
    if (this.editing !== editing) return; // another item was opened meanwhile: that draft is not ours
    const now = this.draft;
    const keys = Object.keys(sent) as (keyof ImprovementDraftFields)[];
    const changed = keys.filter((key) => key !== 'teamName' && now[key] !== sent[key]);
    if (changed.length === 0) {
      this.editing = null;
      this.draft = emptyDraft(now.teamName);
    } else if (editing === null) {
      const next: ImprovementDraftFields = { ...emptyDraft(now.teamName) };
      for (const key of changed) Object.assign(next, { [key]: now[key] });
      this.draft = next;
    }
  }

  /** Changes an item's status (closing it records when). */
  async setStatus(item: ImprovementItem, status: ImprovementStatus): Promise<void> {
    this.#rowSaving.add(item.id);
    try {
      await this.#api.call('improvementPlan.update', { id: item.id, status });
      const { [item.id]: _dropped, ...rest } = this.#rowErrors;
      this.#rowErrors = rest;
      await this.load();
    } catch (error) {
      this.#rowErrors = { ...this.#rowErrors, [item.id]: toApiError(error) };
    } finally {
      this.#rowSaving.delete(item.id);
    }
  }
}
