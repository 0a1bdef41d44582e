/**
 * Printing the after-action report: the one function the report view's
 * "Print / Save as PDF" button calls, so how a PDF is made is decided here.
 *
 * The host is asked first (`reports.savePdf`): Electron renders the report
 * view off screen, prints it to PDF and offers a save dialog. The web host
 * does not support that; there the browser's print dialog opens, whose
 * "Save as PDF" gives the same PDF (the view is print-styled).
 */
import type { Api } from '../../lib/api.ts';

export type PrintOutcome =
  /** The host saved a PDF at `path`, or the save dialog was cancelled (`path` null). */
  | { kind: 'saved'; path: string | null }
  /** The browser's print dialog was opened. */
  | { kind: 'print-dialog' };

/** Makes a PDF of a session's report, the best way this host can. */
export async function printReport(api: Api, sessionId: string, pseudonymise: boolean): Promise<PrintOutcome> {
  const result = await api.call('reports.savePdf', { sessionId, pseudonymise });
  if (result.supported) return { kind: 'saved', path: result.saved };
  window.print();
  return { kind: 'print-dialog' };
}
