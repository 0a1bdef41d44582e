/**
 * How the Electron host delivers a streamed session file (`exports.download`):
 * main asks where to save it in the system's save dialog, writes it there
 * chunk by chunk (readable by this account only, whole or not at all, an
 * export checked against its manifest and its manifest written beside it),
 * and the page gets back only the path, or "cancelled". The page never names
 * a path and never receives the bytes, and no download is started, so the
 * `will-download` guard (security.ts) still refuses anything but the app's
 * own blob: files. Free of runtime Electron imports: unit-tested with a
 * stand-in for the dialog.
 */
import { extname, join } from 'node:path';
import { saveDownloadTo, type DownloadSaver } from '../../app/downloads.ts';

export interface SaveDialogOptions {
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

/** The save dialog (Electron's `dialog.showSaveDialog`, parented to the console). */
export type AskSavePath = (options: SaveDialogOptions) => Promise<{ canceled: boolean; filePath?: string | undefined }>;

const KINDS: Record<string, string> = {
  '.json': 'JSON',
  '.csv': 'CSV',
  '.md': 'Markdown',
  '.html': 'HTML',
  '.sandtable-session': 'Sandtable session archive',
  '.pdf': 'PDF',
};

/** The dialog's file-type filter for a suggested file name (its own extension first, then any file). */
export function saveDialogFilters(filename: string): SaveDialogOptions['filters'] {
  const extension = extname(filename).toLowerCase();
  const kind = KINDS[extension];
  return kind ? [{ name: kind, extensions: [extension.slice(1)] }] : [{ name: 'All files', extensions: ['*'] }];
}

/** The host's DownloadSaver: the save dialog, suggesting the file's name in `defaultDir()`, then the file written where chosen. */
export function electronDownloadSaver(ask: AskSavePath, defaultDir: () => string): DownloadSaver {
  return async (download) => {
    const choice = await ask({ defaultPath: join(defaultDir(), download.filename), filters: saveDialogFilters(download.filename) });
    if (choice.canceled || !choice.filePath) return { outcome: 'cancelled' };
    return { outcome: 'saved', ...(await saveDownloadTo(choice.filePath, download)) };
  };
}
