/**
 * `npm run report -- --data DIR --session ID|latest --format md|csv|json|html --out PATH [--pseudonymise]`
 *
 * Writes one export of a recorded session to PATH (or, if PATH is a folder,
 * into it under the export's own name) and its manifest beside it as
 * `PATH.manifest.json`. Exit status: 0 written, 1 no such data folder or
 * session (or it is in use), 2 usage error.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commandLine, runIfMain } from './command-line.ts';
import { AppError } from '../app/errors.ts';
import { resolveSessionId, writeSessionExport } from '../app/exports.ts';
import { storedAlternatives } from '../app/report-alternatives.ts';
import { EXPORT_FORMATS, MANIFEST_SUFFIX, type ExportFormat } from '../core/report/export.ts';
import { packageVersion } from '../hosts/paths.ts';
import { DATABASE_FILE, DataDirInUseError } from '../store/database.ts';
import { writePrivateFile } from '../store/private-files.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run report -- --data DIR --session ID|latest --format md|csv|json|html --out PATH [--pseudonymise]

Exports a recorded session, with a manifest (PATH${MANIFEST_SUFFIX}) that npm run verify checks.

  --data DIR        the data folder holding the session
  --session ID      the session's id, or "latest" for the most recently active one
  --format F        md or html: the after-action report; csv: the decision log;
                    json: the whole session with its event log and metrics
  --out PATH        the file to write (a folder: write into it under the export's own name)
  --pseudonymise    replace participants' names with "Participant A", "Participant B", …
  -h, --help        show this help

Exit status: 0 written, 1 no such data folder or session, 2 usage error.`;

const OPTIONS = {
  options: {
    data: { type: 'string' },
    session: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    pseudonymise: { type: 'boolean', default: false },
  },
  positionals: false,
} as const;

export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, usage } = parsed;
  const missing = (['data', 'session', 'format', 'out'] as const).filter((name) => !values[name]);
  if (missing.length) return usage(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) return usage(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
  const dataDir = resolve(values.data!);
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    err(`${dataDir} holds no Sandtable data (no ${DATABASE_FILE}).`);
    return 1;
  }

  let store: Store | undefined;
  try {
    store = Store.open({ dataDir });
    const sessionId = resolveSessionId(store, values.session!);
    const target = resolve(values.out!);
    // Written chunk by chunk: a large session's JSON export is never one string in memory.
    const file = writeSessionExport(
      store,
      sessionId,
      { format, pseudonymise: values.pseudonymise, alternatives: storedAlternatives(store, sessionId), generator: `Sandtable ${packageVersion()}`, now: Date.now() },
      (filename) => (isFolder(target) ? join(target, filename) : target),
    );
    const path = file.path;
    writePrivateFile(`${path}${MANIFEST_SUFFIX}`, `${JSON.stringify(file.manifest, null, 2)}\n`);
    out(`Wrote ${path} (${file.manifest.bytes} bytes, SHA-256 ${file.manifest.sha256})`);
    out(`  and ${path}${MANIFEST_SUFFIX} (session ${sessionId}, ${file.manifest.log.eventCount} events, final hash ${file.manifest.log.lastHash})`);
    return 0;
  } catch (error) {
    if (error instanceof AppError || error instanceof DataDirInUseError) {
      err(error.message);
      return 1;
    }
    if (isFsError(error)) {
      err(`Cannot write ${String(values.out)}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    store?.close();
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file-system error (ENOENT, EACCES, EISDIR, …), as opposed to a bug. */
function isFsError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

runIfMain(import.meta.url, (argv) => main(argv));
