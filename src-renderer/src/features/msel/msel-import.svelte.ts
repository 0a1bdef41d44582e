/**
 * The MSEL import screen's state: a CSV picked by the facilitator is read
 * (UTF-8, or Windows-1252 as Excel's plain "CSV" is saved) and previewed by
 * main (`msel.previewImport`), an Excel workbook is sent as it is
 * (`msel.previewWorkbook`); main saves nothing and returns where each column goes,
 * the rows, every problem, and a draft scenario when there is none. Only an
 * explicit "Import" sends the draft to the library (see ScenarioImport).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../../lib/api.ts';
import { MSEL_TEXT, UPLOAD } from '../../../../src-main/api/limits.ts';
import { FileReadError, readFileBase64, readFileText } from '../../lib/files.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import { errorText } from '../sessions/format.ts';

export type MselPreview = ResultOf<'msel.previewImport'>;
export type MselField = NonNullable<MselPreview['mapping'][number]['field']>;

/** Whether a picked file is an Excel workbook (read as bytes, checked in main as a hostile archive). */
export function isWorkbook(file: File): boolean {
  return /\.xlsx$/i.test(file.name) || file.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

/** What each field is called on this screen (the same names as the exported MSEL's headers). */
export const FIELD_LABELS: Readonly<Record<MselField, string>> = {
  sequence: 'Sequence',
  time: 'Scenario time',
  actualTime: 'Actual time',
  type: 'Type (inject, decision, contingency)',
  channel: 'Channel',
  from: 'From',
  to: 'To',
  title: 'Title',
  subject: 'Subject',
  message: 'Message',
  expectedAction: 'Expected player actions',
  questions: 'Discussion questions',
  objective: 'Objective',
  controller: 'Responsible controller',
  status: 'Status',
  notes: 'Facilitator notes',
  id: 'Sandtable id',
};

export const DELIMITER_LABELS: Readonly<Record<MselPreview['delimiter'], string>> = {
  ',': 'commas',
  ';': 'semicolons',
  '\t': 'tabs',
};

/** A spreadsheet column's letters from its 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export class MselImportState {
  #api: Api;
  #busy = $state(false);
  #fileName = $state<string | null>(null);
  #preview = $state.raw<MselPreview | null>(null);
  #error = $state<string | null>(null);
  /** Guards against an older file's preview arriving after a newer one's. */
  #request = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  get busy(): boolean {
    return this.#busy;
  }
  /** The name of the file previewed (or being read). */
  get fileName(): string | null {
    return this.#fileName;
  }
  get preview(): MselPreview | null {
    return this.#preview;
  }
  /** Why the file could not be read or previewed at all. */
  get error(): string | null {
    return this.#error;
  }

  /** Reads a CSV or workbook and asks main for its preview; nothing is saved. */
  async load(file: File): Promise<void> {
    const request = ++this.#request;
    this.#busy = true;
    this.#fileName = file.name;
    this.#preview = null;
    this.#error = null;
    try {
      const fileName = file.name.slice(0, 255);
      const preview = isWorkbook(file)
        ? await this.#api.call('msel.previewWorkbook', { base64: await readFileBase64(file, UPLOAD), fileName })
        : await this.#api.call('msel.previewImport', { csv: await readFileText(file, { limit: MSEL_TEXT, fallbackEncoding: 'windows-1252' }), fileName });
      if (request === this.#request) this.#preview = preview;
    } catch (error) {
      if (request === this.#request) this.#error = error instanceof FileReadError ? error.message : errorText(toApiError(error));
    } finally {
      if (request === this.#request) this.#busy = false;
    }
  }
}
