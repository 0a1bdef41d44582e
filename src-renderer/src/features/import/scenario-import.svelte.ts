/**
 * Importing a scenario into the library: a scenario file (JSON), the file
 * picked together with its images or a whole folder (`library.importFiles`,
 * which also converts IcebergTTX scenarios and T3SF MSELs), or a `.sandtable`
 * bundle, read in the renderer and checked entirely by main, which writes
 * nothing unless all of it is valid. Keeps what was sent, so an import refused because the
 * id was imported before can be sent again as a replacement.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../../lib/api.ts';
import { formatBytes, IMPORT_FILES_MAX, IMPORT_FILES_TOTAL, IMPORT_PATH_MAX_CHARS, SCENARIO_FILE, tooLarge, UPLOAD } from '../../../../src-main/api/limits.ts';
import { FileReadError, readFileBase64, readFileText } from '../../lib/files.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import { errorText } from '../sessions/format.ts';

// Every size limit is src-main/core/limits.ts's: a scenario file, a bundle (an upload), a scenario with its images.

/** Whether a file could belong to a scenario import: the scenario JSON or an image its evidence names. */
export function isScenarioPart(fileName: string): boolean {
  return /\.(json|png|jpe?g|gif|webp)$/i.test(fileName);
}
/** What can be imported into the library. */
export type ScenarioFileKind = 'scenario' | 'bundle';

/** The kind of a file by its name: `.json` scenario, `.sandtable` (or `.zip`) bundle; null otherwise. */
export function scenarioFileKind(fileName: string): ScenarioFileKind | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return 'scenario';
  if (name.endsWith('.sandtable') || name.endsWith('.zip')) return 'bundle';
  return null;
}

type Imported = Extract<ResultOf<'library.import'>, { ok: true }>;
type Refused = Extract<ResultOf<'library.import'>, { ok: false }>;

/** The outcome of the last import, as the screen shows it. */
export type ImportView =
  | {
      kind: 'imported';
      fileName: string;
      scenario: Imported['scenario'];
      replaced: boolean;
      /** Images imported with a scenario file. */
      images?: number;
      /** When the file was written for another tool: which, and what could not be carried over. */
      converted?: { name: string; notes: string[] } | null;
    }
  /** Main checked the file and refused it: every problem, and whether an imported scenario has its id. */
  | { kind: 'refused'; fileName: string; errors: Refused['errors']; exists: boolean; document: unknown }
  /** The file could not be read or sent (too large, not text, no answer): one sentence. */
  | { kind: 'failed'; fileName: string; message: string };

interface Sent {
  fileName: string;
  kind: ScenarioFileKind | 'files';
  /** JSON text for a scenario, base64 for a bundle. */
  payload: string;
  /** For `files`: each file's path and base64. */
  files?: Array<{ path: string; base64: string }>;
  /** The parsed scenario, when it is valid JSON: to name list items in error locations. */
  document: unknown;
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class ScenarioImport {
  #api: Api;
  #busy = $state(false);
  #view = $state.raw<ImportView | null>(null);
  #sent: Sent | null = null;

  constructor(api: Api) {
    this.#api = api;
  }

  /** True while a file is being read or checked. */
  get busy(): boolean {
    return this.#busy;
  }

  /** The outcome of the last import, until dismissed. */
  get view(): ImportView | null {
    return this.#view;
  }

  /** Reads a picked or dropped file and imports it. */
  async importFile(file: File): Promise<void> {
    if (this.#busy) return;
    const kind = scenarioFileKind(file.name);
    if (!kind) {
      this.#view = { kind: 'failed', fileName: file.name, message: `“${file.name}” is neither a scenario file (.json) nor a scenario bundle (.sandtable).` };
      return;
    }
    this.#busy = true;
    try {
      if (kind === 'scenario') {
        // Through importFiles, so that a scenario of another tool is recognised and converted.
        const text = await readFileText(file, { limit: SCENARIO_FILE });
        const base64 = await readFileBase64(file, SCENARIO_FILE);
        await this.#send({ fileName: file.name, kind: 'files', payload: '', files: [{ path: file.name, base64 }], document: parsedOrUndefined(text) }, false);
      } else {
        const base64 = await readFileBase64(file, UPLOAD);
        await this.#send({ fileName: file.name, kind, payload: base64, document: undefined }, false);
      }
    } catch (error) {
      this.#view = { kind: 'failed', fileName: file.name, message: error instanceof FileReadError ? error.message : errorText(toApiError(error)) };
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Imports several picked or dropped files: a bundle alone as a bundle;
   * otherwise the scenario JSON among them with the images it names (a folder
   * keeps its paths, e.g. "assets/diagram.png").
   */
  async importFiles(files: readonly File[]): Promise<void> {
    if (this.#busy) return;
    if (files.length === 1) return this.importFile(files[0]!);
    const parts = files.filter((f) => isScenarioPart(f.name));
    const label = folderName(files) ?? `${parts.find((f) => /\.json$/i.test(f.name))?.name ?? files[0]?.name ?? 'files'}${parts.length > 1 ? ` and ${parts.length - 1} more` : ''}`;
    if (parts.length === 0 || !parts.some((f) => /\.json$/i.test(f.name))) {
      this.#view = { kind: 'failed', fileName: label, message: 'there is no scenario file (.json) among them; pick the scenario file with its images, or its folder.' };
      return;
    }
    if (parts.length > IMPORT_FILES_MAX) {
      this.#view = { kind: 'failed', fileName: label, message: `there are ${parts.length} files; at most ${IMPORT_FILES_MAX} can be imported at once.` };
      return;
    }
    const total = parts.reduce((n, f) => n + f.size, 0);
    if (total > IMPORT_FILES_TOTAL.bytes) {
      this.#view = { kind: 'failed', fileName: label, message: `the scenario and its images ${tooLarge(IMPORT_FILES_TOTAL)} (they are ${formatBytes(total)}).` };
      return;
    }
    this.#busy = true;
    try {
      const encoded: Array<{ path: string; base64: string }> = [];
      let document: unknown;
      for (const f of parts) {
        const path = (f.webkitRelativePath || f.name).slice(0, IMPORT_PATH_MAX_CHARS);
        encoded.push({ path, base64: await readFileBase64(f, IMPORT_FILES_TOTAL) });
        if (/\.json$/i.test(f.name) && document === undefined) document = parsedOrUndefined(await readFileText(f, { limit: SCENARIO_FILE }));
      }
      await this.#send({ fileName: label, kind: 'files', payload: '', files: encoded, document }, false);
    } catch (error) {
      this.#view = { kind: 'failed', fileName: label, message: error instanceof FileReadError ? error.message : errorText(toApiError(error)) };
    } finally {
      this.#busy = false;
    }
  }

  /** Imports scenario JSON the app produced (e.g. a draft from an MSEL), under a file name for the messages. */
  async importText(fileName: string, text: string): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.#send({ fileName, kind: 'scenario', payload: text, document: parsedOrUndefined(text) }, false);
    } catch (error) {
      this.#view = { kind: 'failed', fileName, message: errorText(toApiError(error)) };
    } finally {
      this.#busy = false;
    }
  }

  /** Sends the refused file again, replacing the imported scenario with its id. */
  async replace(): Promise<void> {
    const sent = this.#sent;
    if (!sent || this.#busy) return;
    this.#busy = true;
    try {
      await this.#send(sent, true);
    } catch (error) {
      this.#view = { kind: 'failed', fileName: sent.fileName, message: errorText(toApiError(error)) };
    } finally {
      this.#busy = false;
    }
  }

  /** Forgets the last outcome (and the file kept for a replacement). */
  dismiss(): void {
    this.#view = null;
    this.#sent = null;
  }

  async #send(sent: Sent, replace: boolean): Promise<void> {
    this.#sent = sent;
    const fileName = sent.fileName.slice(0, 255);
    let images: number | undefined;
    let converted: { name: string; notes: string[] } | null = null;
    let outcome: ResultOf<'library.import'>;
    if (sent.kind === 'files') {
      const result = await this.#api.call('library.importFiles', { files: sent.files ?? [], replace });
      images = result.images.length;
      converted = result.converted;
      outcome = result.outcome as ResultOf<'library.import'>;
    } else {
      outcome =
        sent.kind === 'scenario'
          ? await this.#api.call('library.import', { fileName, text: sent.payload, replace })
          : await this.#api.call('library.importBundle', { fileName, base64: sent.payload, replace });
    }
    if (outcome.ok) {
      this.#sent = null;
      this.#view = { kind: 'imported', fileName: sent.fileName, scenario: outcome.scenario, replaced: outcome.replaced, ...(images === undefined ? {} : { images }), converted };
    } else {
      this.#view = { kind: 'refused', fileName: sent.fileName, errors: outcome.errors, exists: outcome.exists, document: sent.document };
    }
  }
}

/** The folder picked, when the files come from one (their relative paths share a first segment). */
function folderName(files: readonly File[]): string | null {
  const first = files[0]?.webkitRelativePath.split('/')[0];
  return first && files.every((f) => f.webkitRelativePath.startsWith(`${first}/`)) ? first : null;
}
