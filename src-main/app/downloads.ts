/**
 * A session's files streamed to where the host puts them, never built as one
 * string or handed through the contract: an export (md, html, csv, json) with
 * its manifest, the session archive, the session's MSEL.
 *
 * The application prepares the file (`prepareSessionDownload`): the session
 * is read once, an export is hashed in one pass for its manifest, and the
 * file's bytes are produced again, chunk by chunk, when the host reads them.
 * The host decides where they go (`DownloadSaver`): the web host issues a
 * short-lived single-use link that the browser saves as the bytes arrive
 * (src-main/hosts/web/downloads.ts); Electron asks for a file in the save
 * dialog and writes it there (`saveDownloadTo`, src-main/hosts/electron/export-saver.ts).
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { manifestFileText, type DownloadRequest, type DownloadResult } from '../api/reports.ts';
import { MANIFEST_SUFFIX, type ExportManifest } from '../core/report/export.ts';
import { makePrivate, PRIVATE_FILE_MODE, writePrivateFile } from '../store/private-files.ts';
import type { Store } from '../store/store.ts';
import { AppError, diskFullError } from './errors.ts';
import { streamSessionExport } from './exports.ts';
import { sessionMsel, streamSessionArchive } from './interop.ts';

/** A file ready to be streamed. */
export interface SessionDownload {
  filename: string;
  /** Its media type (Content-Type). */
  mediaType: string;
  /** Its length when known before it is produced (exports), else null (an archive is deflated as it is read). */
  bytes: number | null;
  /** The manifest to save beside it (exports; `npm run verify` checks the two), else null. */
  manifest: { filename: string; manifest: ExportManifest } | null;
  /** The file's bytes, produced as they are read: the same bytes at every call. */
  body: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/** Where a host put a file: a link the browser saves from (web), a file it wrote (Electron), or nowhere (cancelled). */
export type DownloadOutcome = { outcome: 'link'; url: string } | { outcome: 'saved'; path: string; manifestPath: string | null } | { outcome: 'cancelled' };

/** How a host delivers a streamed file (set by the host on Services, like the PDF saver). */
export type DownloadSaver = (download: SessionDownload) => Promise<DownloadOutcome>;

export { manifestFileText };

const CSV = 'text/csv; charset=utf-8';
const ZIP = 'application/zip';

/** Prepares one of a session's files to be streamed (it throws, as the contract's other export methods do, when the session cannot give it). */
export function prepareSessionDownload(store: Store, request: DownloadRequest, options: { generator: string; now: number }): SessionDownload {
  switch (request.file) {
    case 'export': {
      const { sessionId, format, pseudonymise, alternatives } = request;
      const file = streamSessionExport(store, sessionId, { format, pseudonymise, alternatives, generator: options.generator, now: options.now });
      return {
        filename: file.filename,
        mediaType: file.mediaType,
        bytes: file.manifest.bytes,
        manifest: { filename: file.manifestFilename, manifest: file.manifest },
        body: file.bytes,
      };
    }
    case 'archive': {
      const archive = streamSessionArchive(store, request.sessionId, new Date(options.now));
      return { filename: archive.filename, mediaType: ZIP, bytes: null, manifest: null, body: archive.stream };
    }
    case 'msel': {
      // Not streamed: one row per scenario step, so its size follows the scenario's, not the log's.
      const file = sessionMsel(store, request.sessionId);
      const bytes = Buffer.from(file.content, 'utf8');
      return { filename: file.filename, mediaType: CSV, bytes: bytes.length, manifest: null, body: () => [bytes] };
    }
  }
}

/** The contract's answer for a delivered file. */
export function downloadResult(download: SessionDownload, outcome: DownloadOutcome): DownloadResult {
  if (outcome.outcome !== 'link') return outcome;
  return {
    outcome: 'link',
    url: outcome.url,
    filename: download.filename,
    manifestFilename: download.manifest?.filename ?? null,
    manifest: download.manifest?.manifest ?? null,
  };
}

/** The delivery of a streamed file by this host, or a conflict when it has none (a test's bare Services). */
export async function deliver(saver: DownloadSaver | null, download: SessionDownload): Promise<DownloadResult> {
  if (!saver) throw new AppError('conflict', 'This host cannot save files itself; ask for the file with the method that returns its content.');
  return downloadResult(download, await saver(download));
}

/**
 * Writes a streamed file to `path`, readable by this account only, whole or
 * not at all (written beside it, then renamed); an export's bytes are checked
 * against its manifest as they are written, and the manifest is written
 * beside it (`PATH.manifest.json`, named after the file as saved). A full disk
 * is a `disk_full` error naming the folder.
 */
export async function saveDownloadTo(path: string, download: SessionDownload): Promise<{ path: string; manifestPath: string | null }> {
  const partial = `${path}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const handle = await open(partial, 'w', PRIVATE_FILE_MODE);
    try {
      for await (const chunk of download.body()) {
        hash.update(chunk);
        bytes += chunk.length;
        for (let offset = 0; offset < chunk.length;) offset += (await handle.write(chunk, offset)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const expected = download.manifest?.manifest;
    if (expected && (hash.digest('hex') !== expected.sha256 || bytes !== expected.bytes)) {
      throw new AppError('internal', `The file written is not the export its manifest describes (${bytes} bytes written, ${expected.bytes} expected).`);
    }
    await rename(partial, path);
    makePrivate(path);
  } catch (error) {
    await rm(partial, { force: true });
    throw diskFullError(error, dirname(path)) ?? error;
  }
  if (!download.manifest) return { path, manifestPath: null };
  const manifestPath = `${path}${MANIFEST_SUFFIX}`;
  try {
    writePrivateFile(manifestPath, manifestFileText({ ...download.manifest.manifest, file: basename(path) }));
  } catch (error) {
    throw diskFullError(error, dirname(path)) ?? error;
  }
  return { path, manifestPath };
}
