/**
 * The scenario studio (issue #17): drafts autosaved in the data folder's
 * SQLite (store/studio-drafts.ts), published into the imported library
 * through the same bundle import every `.sandtable` file meets
 * (./scenario-library.ts), rehearsed headlessly (./rehearsal.ts) and exported
 * (./interop.ts's bundle writer).
 *
 * A draft's document is any JSON object (the contract checks its size and
 * shape): a scenario that breaks the format's rules is a legal draft, and only
 * publishing, rehearsing and exporting a bundle need a valid one. Bundled
 * scenarios are never written: they are duplicated under a new id.
 *
 * Publishing keeps the version it replaces as files under
 * `<data>/scenario-versions/<scenario id>/<version>/` (scenario.json and its
 * images), and lists every version in `studio_versions`.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ParsedInputOf, ResultOf } from '../api/contract.ts';
import type { DraftOriginKind, StudioMethodName } from '../api/studio.ts';
import { SCENARIO_ENTRY } from '../core/bundle/archive.ts';
import { RehearsalError, checkChoices } from '../core/engine/rehearse.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import { validateScenario, type ValidationIssue } from '../core/scenario/validate.ts';
import type { Store } from '../store/store.ts';
import type { StoredDraft, StoredDraftSummary } from '../store/studio-drafts.ts';
import { AppError } from './errors.ts';
import type { EventHub } from './events.ts';
import { buildScenarioBundle, readAssetInside } from './interop.ts';
import { sha256Hex } from './recorded-scenario.ts';
import { rehearsalView, rehearseScenario } from './rehearsal.ts';
import type { ScenarioLibrary } from './scenario-library.ts';

/** Where the versions a publication replaced are kept, inside the data folder. */
export const SCENARIO_VERSIONS_FOLDER = 'scenario-versions';

const ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export interface StudioDeps {
  store: Store;
  library: ScenarioLibrary;
  events: EventHub;
  dataDir: string;
  now?: () => number;
}

export type StudioHandlers = {
  [M in StudioMethodName]: (input: ParsedInputOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The next minor version ("1.2.3" → "1.3.0"); a version that is not semantic starts again at 1.1.0. */
export function bumpMinor(version: string): string {
  const match = VERSION.exec(version);
  return match ? `${Number(match[1])}.${Number(match[2]) + 1}.0` : '1.1.0';
}

/** Whether semantic version `a` is later than `b` (versions that are not semantic are never later). */
export function isLaterVersion(a: string, b: string): boolean {
  const x = VERSION.exec(a);
  const y = VERSION.exec(b);
  if (!x || !y) return false;
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) > Number(y[i]);
  return false;
}

/** Whether an imported scenario is a draft an MSEL import made (its placeholders still say "To be written"). */
export function isMselDraft(scenario: Scenario): boolean {
  return /^To be written/.test(scenario.meta.sensitivity) || scenario.meta.authors.some((a) => a.name === 'To be written');
}

/** A small valid scenario to start from: one inject, one decision with two options, two endings. */
export function newScenarioTemplate(id: string): Json {
  return {
    formatVersion: 1.1,
    meta: {
      id,
      version: '1.0.0',
      title: 'New scenario',
      summary: 'What happens, in two or three sentences.',
      audience: ['Incident response team'],
      estimatedMinutes: 30,
      difficulty: 'introductory',
      sensitivity: 'TLP:CLEAR — fictional exercise material',
      authors: [{ name: 'Scenario author' }],
      tags: [],
    },
    guide: {
      openingBrief: 'Read to the room at the start: who they are, the setting, and the rules of play.',
      facilitatorBrief: 'For the facilitator only: what this exercise really tests and how to run it.',
      debrief: { whatGoodLooksLike: 'What a well-prepared team does, for the debrief.' },
    },
    objectives: [{ id: 'obj-1', text: 'What this exercise tests.', tags: [] }],
    roles: [],
    variables: [],
    milestones: [
      { id: 'detected', label: 'Incident detected', targetMinutes: 5 },
      { id: 'contained', label: 'Incident contained', targetMinutes: 15 },
      { id: 'eradicated', label: 'Cause removed', targetMinutes: 25 },
      { id: 'recovered', label: 'Service recovered', targetMinutes: 30 },
    ],
    evidence: [],
    start: 'inject-1',
    timeline: [
      {
        type: 'inject',
        id: 'inject-1',
        at: 0,
        title: 'Something happens',
        narrative: 'What the room is told.',
        channel: 'email',
        evidence: [],
        questions: [],
        expectedActions: [],
        tags: [],
        next: 'decision-1',
      },
      {
        type: 'decision',
        id: 'decision-1',
        title: 'What do you do?',
        prompt: 'The question the team must decide.',
        owners: [],
        options: [
          { id: 'option-a', label: 'The recommended course', recommended: true, consequences: { milestones: ['detected'] }, tags: [], next: 'end-good' },
          { id: 'option-b', label: 'Another course', recommended: false, consequences: {}, tags: [], next: 'end-bad' },
        ],
        tags: [],
      },
      { type: 'end', id: 'end-good', title: 'Handled well', outcome: 'How it ends when the team chose well.', result: 'success' },
      { type: 'end', id: 'end-bad', title: 'Handled badly', outcome: 'How it ends otherwise.', result: 'failure' },
    ],
    contingencies: [],
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function summaryOf(draft: StoredDraftSummary) {
  return {
    draftId: draft.id,
    title: text(draft.title),
    scenarioId: text(draft.scenarioId),
    origin: { kind: draft.originKind, scenarioId: draft.originScenarioId },
    revision: draft.revision,
    updatedAt: draft.updatedWallMs,
    publishedVersion: draft.publishedVersion,
  };
}

function draftOf(draft: StoredDraft) {
  const meta = isObject(draft.document) && isObject(draft.document.meta) ? draft.document.meta : {};
  return { ...summaryOf({ ...draft, title: meta.title, scenarioId: meta.id }), document: draft.document };
}

/** An id not yet taken: `stem`, then `stem-2`, `stem-3`… (kept within the 64 characters an id may have). */
function freeId(stem: string, taken: (id: string) => boolean): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const id = stem.slice(0, 64 - suffix.length).replace(/[-_.]+$/, '') + suffix;
    if (!taken(id)) return id;
  }
}

/** The studio's contract handlers. */
export function studioHandlers({ store, library, events, dataDir, now = Date.now }: StudioDeps): StudioHandlers {
  const drafts = store.studio;
  const changed = (draftId: string | null, revision: number | null) => events.emit('studio.changed', { draftId, revision });

  const isBundled = (id: string) => library.list().scenarios.some((s) => s.id === id && s.source === 'bundled');
  const isImported = (id: string) => ID.test(id) && existsSync(join(library.importedDir, id, SCENARIO_ENTRY));
  const idTaken = () => {
    const inLibrary = new Set(library.list().scenarios.map((s) => s.id));
    const inDrafts = drafts.scenarioIds();
    return (id: string) => inLibrary.has(id) || inDrafts.has(id) || isImported(id);
  };

  const load = (draftId: string): StoredDraft => {
    const draft = drafts.get(draftId);
    if (!draft) throw new AppError('not_found', `There is no draft ${JSON.stringify(draftId)}; it may have been discarded.`, '/draftId');
    return draft;
  };

  /** The folders a draft's images are read from: its published scenario's, then the scenario it began as. */
  const assetFolders = (draft: StoredDraft): string[] => {
    const ids = [draft.linkedScenarioId, draft.originScenarioId].filter((id): id is string => id !== null);
    const folders: string[] = [];
    for (const id of ids) {
      const folder = resolve(library.folderOf(id));
      if (!folders.includes(folder)) folders.push(folder);
    }
    return folders;
  };
  const assetReader = (draft: StoredDraft) => {
    const folders = assetFolders(draft);
    const read = (path: string): Buffer => {
      for (const folder of folders) {
        try {
          return readAssetInside(folder, path);
        } catch {
          // try the next folder
        }
      }
      throw new AppError('invalid_scenario', `The image ${path} is not in the draft's scenario folder (the studio does not upload images yet).`);
    };
    const exists = (path: string): boolean => {
      try {
        read(path);
        return true;
      } catch {
        return false;
      }
    };
    return { read, exists };
  };

  /** The draft, checked completely (its images included); the problems otherwise. */
  const validated = (draft: StoredDraft, withAssets: boolean): { ok: true; scenario: Scenario } | { ok: false; errors: ValidationIssue[] } => {
    const result = validateScenario(draft.document, withAssets ? { assetExists: assetReader(draft).exists } : {});
    return result.ok ? { ok: true, scenario: result.scenario } : { ok: false, errors: result.errors };
  };

  const withVersion = (document: unknown, version: string): Json => {
    const doc = document as Json;
    return { ...doc, meta: { ...(doc.meta as Json), version } };
  };

  return {
    'studio.list': () => ({ drafts: drafts.list().map(summaryOf) }),

    'studio.get': ({ draftId }) => draftOf(load(draftId)),

    'studio.create': (input) => {
      const wallMs = now();
      let created: StoredDraft;
      if (input.from === 'new') {
        const id = freeId('new-scenario', idTaken());
        created = drafts.create({ id: randomUUID(), originKind: 'new', originScenarioId: null, linkedScenarioId: null, document: newScenarioTemplate(id), wallMs });
      } else if (input.from === 'duplicate') {
        const scenario = library.get(input.scenarioId);
        const id = freeId(`${scenario.meta.id}-copy`, idTaken());
        const title = `${scenario.meta.title.slice(0, 200 - ' (copy)'.length)} (copy)`;
        // The file as written (not the schema's output with its defaults filled in).
        const written = library.document(input.scenarioId) as Json;
        const document = { ...written, meta: { ...(written.meta as Json), id, title, version: '1.0.0' } };
        created = drafts.create({ id: randomUUID(), originKind: 'duplicate', originScenarioId: scenario.meta.id, linkedScenarioId: null, document, wallMs });
      } else {
        if (!isImported(input.scenarioId)) {
          library.get(input.scenarioId); // not_found when it is nowhere
          throw new AppError('forbidden', `"${input.scenarioId}" is a built-in scenario and stays read-only: duplicate it to edit a copy.`, '/scenarioId');
        }
        const open = drafts.linkedTo(input.scenarioId);
        if (open) return draftOf(load(open.id));
        const scenario = library.get(input.scenarioId);
        const kind: DraftOriginKind = isMselDraft(scenario) ? 'msel' : 'edit';
        const document = library.document(input.scenarioId);
        created = drafts.create({ id: randomUUID(), originKind: kind, originScenarioId: input.scenarioId, linkedScenarioId: input.scenarioId, document, wallMs });
      }
      changed(created.id, created.revision);
      return draftOf(created);
    },

    'studio.save': ({ draftId, revision, document }) => {
      const wallMs = now();
      const saved = drafts.save(draftId, revision, document, wallMs);
      if (!saved.ok && saved.reason === 'not_found') throw new AppError('not_found', `There is no draft ${JSON.stringify(draftId)}; it may have been discarded.`, '/draftId');
      if (!saved.ok) {
        throw new AppError(
          'conflict',
          `The draft was saved elsewhere (another window) since revision ${revision}; it is at revision ${saved.revision} now. Reload it before saving again: nothing was overwritten.`,
          '/revision',
        );
      }
      changed(draftId, saved.revision);
      return { revision: saved.revision, updatedAt: wallMs };
    },

    'studio.discard': ({ draftId }) => {
      if (!drafts.discard(draftId)) throw new AppError('not_found', `There is no draft ${JSON.stringify(draftId)}.`, '/draftId');
      changed(draftId, null);
      return { discarded: draftId };
    },

    'studio.publish': async ({ draftId }) => {
      const draft = load(draftId);
      const checked = validated(draft, true);
      if (!checked.ok) return { ok: false, errors: checked.errors };
      const id = checked.scenario.meta.id;
      if (isBundled(id))
        return { ok: false, errors: [{ pointer: '/meta/id', message: `a built-in scenario already uses the id "${id}" and stays read-only; give this draft its own id` }] };
      const exists = isImported(id);
      if (exists && draft.linkedScenarioId !== id) {
        return {
          ok: false,
          errors: [
            { pointer: '/meta/id', message: `another scenario with the id "${id}" is already in the library; give this draft its own id (or open that scenario with Edit)` },
          ],
        };
      }
      let previous: { version: string; sha256: string } | null = null;
      if (exists) {
        const folder = join(library.importedDir, id);
        const previousText = readFileSync(join(folder, SCENARIO_ENTRY));
        let previousVersion: string;
        try {
          previousVersion = library.get(id).meta.version;
        } catch {
          // The library's copy no longer reads; keep its file all the same, under the version it says it is.
          const parsed = JSON.parse(previousText.toString('utf8')) as { meta?: { version?: unknown } };
          previousVersion = text(parsed.meta?.version) || 'unknown';
        }
        previous = { version: previousVersion, sha256: sha256Hex(previousText) };
        const kept = join(dataDir, SCENARIO_VERSIONS_FOLDER, id, previousVersion);
        if (VERSION.test(previousVersion) && !existsSync(kept)) cpSync(folder, kept, { recursive: true, errorOnExist: true });
      }
      const draftVersion = checked.scenario.meta.version;
      const version = previous === null ? draftVersion : isLaterVersion(draftVersion, previous.version) ? draftVersion : bumpMinor(previous.version);
      const document = withVersion(draft.document, version);
      const scenarioText = `${JSON.stringify(document, null, 2)}\n`;
      const bundle = await buildScenarioBundle(scenarioText, assetReader(draft).read);
      const outcome = await library.importBundle(bundle.content, exists);
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      const revision = drafts.published(draftId, { document, scenarioId: id, version, sha256: sha256Hex(scenarioText), replaced: previous, wallMs: now() });
      changed(draftId, revision);
      return { ok: true, scenario: outcome.scenario, version, previousVersion: previous?.version ?? null };
    },

    'studio.versions': ({ scenarioId }) => {
      const listed = drafts.versions(scenarioId);
      let current: string | null = null;
      try {
        if (isImported(scenarioId)) current = library.get(scenarioId).meta.version;
      } catch {
        current = null;
      }
      return { versions: listed.map((v) => ({ version: v.version, publishedAt: v.publishedWallMs, current: v.version === current })) };
    },

    'studio.rehearse': ({ draftId, choices, picks, seed }) => {
      const checked = validated(load(draftId), false);
      if (!checked.ok) return { ok: false, errors: checked.errors };
      const scenario = checked.scenario;
      if (choices === 'chosen') {
        const problems = checkChoices(scenario, picks ?? {});
        if (problems.length > 0) {
          return {
            ok: false,
            errors: problems.map((p) => {
              const decisionId = p.slice(1, p.indexOf(':'));
              return { pointer: `/picks/${decisionId}`, message: p.slice(p.indexOf(':') + 2) };
            }),
          };
        }
      }
      try {
        const run = rehearseScenario(scenario, { choices: choices === 'chosen' ? (picks ?? {}) : choices, seed });
        return { ok: true, rehearsal: rehearsalView(scenario, run) };
      } catch (error) {
        if (error instanceof RehearsalError) return { ok: false, errors: [{ pointer: '', message: error.message }] };
        throw error;
      }
    },

    'studio.export': async ({ draftId, format }) => {
      const draft = load(draftId);
      const meta = isObject(draft.document) && isObject(draft.document.meta) ? draft.document.meta : {};
      const stem = ID.test(text(meta.id)) ? text(meta.id) : 'draft';
      const version = VERSION.test(text(meta.version)) ? text(meta.version) : 'draft';
      if (format === 'json') {
        // The draft as it stands, valid or not: a scenario file to keep or edit elsewhere.
        return { filename: `${stem}-${version}.json`, base64: Buffer.from(`${JSON.stringify(draft.document, null, 2)}\n`, 'utf8').toString('base64') };
      }
      const checked = validated(draft, true);
      if (!checked.ok) {
        const [first] = checked.errors;
        const more = checked.errors.length > 1 ? ` (and ${checked.errors.length - 1} more problem${checked.errors.length > 2 ? 's' : ''})` : '';
        throw new AppError(
          'invalid_scenario',
          `A .sandtable bundle holds only a valid scenario: ${first?.pointer || 'the draft'}: ${first?.message ?? 'is not valid'}${more}`,
          first?.pointer ?? '',
        );
      }
      const file = await buildScenarioBundle(`${JSON.stringify(draft.document, null, 2)}\n`, assetReader(draft).read);
      return { filename: file.filename, base64: file.content.toString('base64') };
    },
  };
}
