/**
 * Files in and out of the renderer: reading a file the person picked (or
 * dropped) as text or as base64, with a size limit checked before a byte is
 * read, and saving data the app produced as a download.
 *
 * Works the same under both hosts and within the strict Content-Security-Policy
 * (no fetch of data: URLs, no inline anything): files are read with
 * `File.arrayBuffer()`, and saved through a `blob:` URL on an `<a download>`,
 * which the browser treats as a download, never as a navigation. (In Electron
 * the same click reaches the session's `will-download`.) A session's large
 * files are not built here at all: the host streams them (`receiveDownload`).
 */
import type { ResultOf } from '../../../src-main/api/contract.ts';
import { formatBytes, tooLarge, type SizeLimit } from '../../../src-main/api/limits.ts';

export { formatBytes };

/** Why a picked file could not be used, in a sentence for the person who picked it. */
export class FileReadError extends Error {
  override name = 'FileReadError';
}

/** The file's bytes, refused (before reading) when it is larger than `limit` (src-main/core/limits.ts) or empty. */
export async function readFileBytes(file: File, limit: SizeLimit): Promise<Uint8Array> {
  if (file.size > limit.bytes) {
    throw new FileReadError(`“${file.name}” ${tooLarge(limit)} (it is ${formatBytes(file.size)}).`);
  }
  if (file.size === 0) throw new FileReadError(`“${file.name}” is empty.`);
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch {
    throw new FileReadError(`“${file.name}” could not be read. Was it moved or deleted after it was chosen?`);
  }
}

export interface ReadTextOptions {
  limit: SizeLimit;
  /**
   * How to read bytes that are not valid UTF-8. Spreadsheets on Windows save
   * plain "CSV" as Windows-1252; without a fallback such a file is refused.
   */
  fallbackEncoding?: 'windows-1252';
}

/** The file as text: UTF-8 (a byte order mark is dropped), else the fallback encoding if one is given. */
export async function readFileText(file: File, options: ReadTextOptions): Promise<string> {
  const bytes = await readFileBytes(file, options.limit);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (options.fallbackEncoding) return new TextDecoder(options.fallbackEncoding).decode(bytes);
    throw new FileReadError(`“${file.name}” is not UTF-8 text. Save it again as UTF-8 and choose it again.`);
  }
}

/** The file's bytes as base64, for contract methods that carry archives. */
export async function readFileBase64(file: File, limit: SizeLimit): Promise<string> {
  return bytesToBase64(await readFileBytes(file, limit));
}

/** Bytes as base64 (standard alphabet, padded). */
export function bytesToBase64(bytes: Uint8Array): string {
  // String.fromCharCode takes its arguments on the stack: convert in slices.
  const SLICE = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(binary);
}

/** Base64 text as bytes; throws FileReadError if it is not base64. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new FileReadError('The file the app produced is not valid base64.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A file the app produced, to be saved: text (written as UTF-8) or bytes, with its media type. */
export interface DownloadFile {
  filename: string;
  content: string | Uint8Array<ArrayBuffer>;
  type: string;
}

/** How long a download's blob: URL stays valid: long enough for the browser to start reading it. */
const REVOKE_AFTER_MS = 60_000;

/**
 * A file name safe to suggest: no folders, no control characters, no
 * characters Windows refuses, not empty.
 */
export function safeFileName(name: string, fallback = 'download'): string {
  // eslint-disable-next-line no-control-regex -- the pattern is there to remove control characters
  const cleaned = name.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-').replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned.slice(0, 200) || fallback;
}

/**
 * Saves data as a file in the person's downloads (or wherever the browser
 * asks), under the suggested name. Text is written as UTF-8.
 */
export function saveDownload(fileName: string, content: Blob | string | Uint8Array<ArrayBuffer>, type = 'application/octet-stream'): void {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  try {
    followDownloadLink(url, fileName);
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}

/** Clicks a hidden `<a download>`: the browser saves what the link gives under the suggested name. */
function followDownloadLink(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = safeFileName(fileName);
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
  }
}

/** A session file the host streams (`exports.download`): a link to follow (web), a file it wrote (Electron), or cancelled. */
export type DeliveredFile = ResultOf<'exports.download'>;

/** What became of a streamed file: `inBrowser` when the browser is still receiving it (only its downloads list knows whether it completes). */
export interface ReceivedFile {
  saved: string;
  manifest: string | null;
  inBrowser: boolean;
}

/**
 * A download link the host refused (used, expired, not this page's): the
 * host's own error, thrown by `receiveDownload` so that the screen that asked
 * for the file says why in place.
 */
export class DownloadRefusedError extends Error {
  override name = 'DownloadRefusedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Checks a download link before the browser follows it: a `HEAD` answers the
 * status its `GET` would without spending it (src-main/hosts/web/downloads.ts).
 * Refused: the link's `GET` (which spends nothing that still works) gives the
 * host's reason, thrown as a DownloadRefusedError.
 */
async function checkDownloadLink(url: string): Promise<void> {
  let checked: Response;
  try {
    checked = await fetch(url, { method: 'HEAD', cache: 'no-store' });
  } catch {
    throw new DownloadRefusedError('The file could not be fetched: is Sandtable still running?', 0);
  }
  if (checked.ok) return;
  let message = `The file could not be downloaded (the host answered ${checked.status}).`;
  try {
    const refused = await fetch(url, { cache: 'no-store' });
    // Only a refusal's JSON is read: were this GET to be served the file after all, its body is never taken into memory.
    if (refused.ok || !refused.headers.get('Content-Type')?.startsWith('application/json')) {
      await refused.body?.cancel();
    } else {
      const answer = (await refused.json()) as { error?: { message?: unknown } };
      if (typeof answer.error?.message === 'string') message = answer.error.message;
    }
  } catch {
    // The status alone, then.
  }
  throw new DownloadRefusedError(message, checked.status);
}

/**
 * Finishes a streamed file on the page's side. Web host: checks its
 * single-use link (a refusal is thrown with the host's reason, for the screen
 * to show), then follows it, so the browser saves the bytes as they arrive
 * (the page never holds them), and saves an export's manifest beside it; the
 * page cannot learn whether that download completes (a file cut off while it
 * is sent fails in the browser's list), so it must not say "saved".
 * Electron: main already wrote both where the facilitator chose. Returns the
 * names (or paths in Electron), or null when the facilitator cancelled.
 */
export async function receiveDownload(file: DeliveredFile): Promise<ReceivedFile | null> {
  switch (file.outcome) {
    case 'cancelled':
      return null;
    case 'saved':
      return { saved: file.path, manifest: file.manifestPath, inBrowser: false };
    case 'link':
      await checkDownloadLink(file.url);
      followDownloadLink(file.url, file.filename);
      // The text of api/reports.ts manifestFileText, repeated: importing that module here at run time made the
      // console report zod's eval probe as CSP violations (script-src eval) in tests/e2e/debrief.spec.ts.
      if (file.manifest !== null && file.manifestFilename !== null) saveDownload(file.manifestFilename, `${JSON.stringify(file.manifest, null, 2)}\n`, 'application/json');
      return { saved: file.filename, manifest: file.manifestFilename, inBrowser: true };
  }
}

/** What to tell the facilitator about a streamed file (a sentence). */
export function receivedText(file: ReceivedFile): string {
  const what = file.manifest === null ? file.saved : `${file.saved} and its manifest ${file.manifest}`;
  if (!file.inBrowser) return `Saved ${what}.`;
  return `Your browser is downloading ${what}: its downloads list shows when it is done. If it failed there, ask for the file again (each link works once, for a minute).`;
}
