/**
 * The draft as this window holds it, as a `.json` file to download: after a
 * save conflict the store keeps the other window's copy, and this is how the
 * edits made here are kept (the studio's Export sends the stored copy).
 */
import type { DownloadFile } from '../../lib/files.ts';

/** The local document as pretty JSON, named after its scenario id ("<id>-my-version.json"). */
export function localDocumentFile(document: Record<string, unknown>): DownloadFile {
  const meta = document.meta;
  const id = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).id : undefined;
  const stem =
    typeof id === 'string'
      ? id
          .replace(/[^A-Za-z0-9_-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 64)
      : '';
  return { filename: `${stem || 'scenario'}-my-version.json`, content: `${JSON.stringify(document, null, 2)}\n`, type: 'application/json' };
}
