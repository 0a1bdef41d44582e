/**
 * Saving an export of a session (`reports.export`) as files: the export
 * itself, then its manifest beside it, written exactly as the command-line
 * exporter writes it so that `npm run verify` checks either.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import { saveDownload } from '../../lib/files.ts';

export type ExportFile = ResultOf<'reports.export'>;

/** The manifest file's text. */
export function manifestText(manifest: ExportFile['manifest']): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Saves the export and its manifest as two downloads. */
export function saveExport(file: ExportFile): void {
  saveDownload(file.filename, file.content, file.manifest.mediaType);
  saveDownload(file.manifestFilename, manifestText(file.manifest), 'application/json');
}
