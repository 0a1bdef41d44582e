/**
 * The files the app gives out (see DownloadButton): a library scenario's
 * MSEL and bundle, small, fetched through the contract and saved from the
 * page; a session's MSEL and archive, which grow with its log, streamed by
 * the host (`exports.download`) and never held by the page.
 */
import type { Api } from '../../lib/api.ts';
import { base64ToBytes, type DeliveredFile, type DownloadFile } from '../../lib/files.ts';

const CSV = 'text/csv;charset=utf-8';
/** Bundles and session archives are zip files with their own extension. */
const ARCHIVE = 'application/zip';

/** A library scenario's MSEL (Master Scenario Events List) as CSV for a spreadsheet. */
export async function scenarioMsel(api: Api, scenarioId: string): Promise<DownloadFile> {
  const file = await api.call('msel.exportScenario', { scenarioId });
  return { filename: file.filename, content: file.csv, type: CSV };
}

/** A library scenario with its images, as a `.sandtable` bundle. */
export async function scenarioBundle(api: Api, scenarioId: string): Promise<DownloadFile> {
  const file = await api.call('scenarioBundle.export', { scenarioId });
  return { filename: file.filename, content: base64ToBytes(file.base64), type: ARCHIVE };
}

/** A session's MSEL, with each inject's actual delivery time per team. */
export function sessionMsel(api: Api, sessionId: string): Promise<DeliveredFile> {
  return api.call('exports.download', { file: 'msel', sessionId });
}

/** A session archive (`.sandtable-session`): its log, the scenario it ran and a manifest. */
export function sessionArchive(api: Api, sessionId: string): Promise<DeliveredFile> {
  return api.call('exports.download', { file: 'archive', sessionId });
}
