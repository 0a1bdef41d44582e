/**
 * `npm run verify -- PATH [--data DIR] [--json]`
 *
 * Says whether an export is intact and matches its session's log. PATH is
 * the exported file or its manifest (`FILE.manifest.json`); the other is
 * found beside it. With `--data DIR`, the manifest (and a JSON export's log)
 * is also checked against the session's log in that data folder.
 *
 * Exit status: 0 intact, 1 not intact (or not verifiable: no manifest, the
 * session is not in the data folder), 2 usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { failure, commandLine, runIfMain } from './command-line.ts';
import { verifyExport } from '../app/exports.ts';
import { MANIFEST_SUFFIX } from '../core/report/export.ts';
import { DATABASE_FILE, DataDirInUseError } from '../store/database.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run verify -- PATH [--data DIR] [--json]

Checks an export made by Sandtable against its manifest (PATH${MANIFEST_SUFFIX}).

  PATH        the exported file, or its manifest
  --data DIR  also check it against the session's log in this data folder
  --json      print { ok, checks } as JSON
  -h, --help  show this help

Exit status: 0 intact, 1 not intact or not verifiable, 2 usage error.`;

const OPTIONS = {
  options: {
    data: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
} as const;

export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals, usage } = parsed;
  if (positionals.length !== 1) return usage(`Give exactly one export (or manifest) to verify.`);
  const given = resolve(positionals[0]!);
  const exportPath = given.endsWith(MANIFEST_SUFFIX) ? given.slice(0, -MANIFEST_SUFFIX.length) : given;
  const manifestPath = `${exportPath}${MANIFEST_SUFFIX}`;
  if (!existsSync(exportPath)) {
    err(`${exportPath}: no such file.`);
    return 2;
  }
  let dataDir: string | undefined;
  if (values.data !== undefined) {
    dataDir = resolve(values.data);
    if (!existsSync(join(dataDir, DATABASE_FILE))) {
      err(`${dataDir} holds no Sandtable data (no ${DATABASE_FILE}).`);
      return 2;
    }
  }

  let store: Store | undefined;
  try {
    const content = readFileSync(exportPath);
    const manifestText = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : null;
    if (dataDir !== undefined) store = Store.open({ dataDir });
    const report = verifyExport(content, manifestText, store);
    if (values.json) {
      out(JSON.stringify({ file: exportPath, ok: report.ok, checks: report.checks }, null, 2));
    } else {
      for (const c of report.checks) out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
      out(report.ok ? `${exportPath}: intact${store ? ' and matches the session log in the data folder' : ''}.` : `${exportPath}: NOT intact.`);
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    return failure(error, err, [DataDirInUseError]);
  } finally {
    store?.close();
  }
}

runIfMain(import.meta.url, (argv) => main(argv));
