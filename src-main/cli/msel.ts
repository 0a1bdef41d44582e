/**
 * `npm run msel -- export|import ...`: MSEL spreadsheets (CSV) in and out.
 *
 *   export SCENARIO.json [--out FILE.csv]                 the scenario's MSEL
 *   export --data DIR --session ID [--out FILE.csv]       a session's MSEL, with actual times
 *   import FILE.csv|FILE.xlsx --out SCENARIO.json         a draft scenario from an MSEL (CSV or Excel workbook)
 *   import FILE.csv|FILE.xlsx --preview                   where each column goes, every problem and warning
 *
 * Exit status: 0 done, 1 invalid input (each problem as `FILE:row N: reason`
 * or `FILE:POINTER: message`), 2 usage error.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { failure, commandLine, runIfMain, type Print, SESSION_FILE_OPTIONS } from './command-line.ts';
import { previewMselFile, scenarioMsel, sessionMsel } from '../app/interop.ts';
import { AppError } from '../app/errors.ts';
import { readScenarioFile } from '../app/scenario-files.ts';
import { FIELD_HEADERS } from '../core/msel/columns.ts';
import { MAX_MSEL_CHARS, type MselPreview } from '../core/msel/import.ts';
import { WORKBOOK_LIMITS } from '../core/msel/xlsx.ts';
import { formatBytes } from '../core/scenario/safe-json.ts';
import { DataDirInUseError } from '../store/database.ts';
import { writePrivateFile } from '../store/private-files.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run msel -- export SCENARIO.json [--out FILE.csv]
       npm run msel -- export --data DIR --session ID [--out FILE.csv]
       npm run msel -- import FILE.csv|FILE.xlsx (--out SCENARIO.json | --preview) [--json]

Master Scenario Events Lists (MSEL) as CSV files that Excel and LibreOffice open;
import also reads Excel workbooks (.xlsx: the first sheet, or one named MSEL).

  export      write a scenario's MSEL; with --data and --session, a recorded
              session's MSEL with the actual delivery time and status per team
  import      read an MSEL into a draft linear scenario (nothing is written
              unless the whole file can be imported)
  --out FILE  where to write (export: standard output when omitted)
  --preview   only show where each column goes, every problem and every warning
  --json      print the import preview as JSON
  -h, --help  show this help

Exit status: 0 done, 1 invalid input, 2 usage error.`;

const OPTIONS = {
  options: {
    ...SESSION_FILE_OPTIONS,
    preview: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
} as const;

/** Runs the command with `argv` (without node and the script); returns the exit status. */
export function main(argv: readonly string[], out: Print = console.log, err: Print = console.error): number | Promise<number> {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals, usage } = parsed;
  const [command, ...files] = positionals;
  try {
    if (command === 'export') {
      if (values.preview || values.json) return usage('--preview and --json belong to import.');
      if (values.session !== undefined || values.data !== undefined) {
        if (values.session === undefined || values.data === undefined || files.length > 0)
          return usage('A session export takes --data DIR and --session ID, and no scenario file.');
        return exportSession(values.data, values.session, values.out, out, err);
      }
      if (files.length !== 1) return usage('Give exactly one scenario file to export.');
      return exportScenario(files[0]!, values.out, out, err);
    }
    if (command === 'import') {
      if (files.length !== 1) return usage('Give exactly one MSEL file to import.');
      if (values.data !== undefined || values.session !== undefined) return usage('--data and --session belong to export.');
      if (!values.preview && values.out === undefined) return usage('Say where to write the scenario with --out, or use --preview.');
      return importFile(files[0]!, values.preview ? undefined : values.out, values.json, out, err);
    }
    return usage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
  } catch (error) {
    return failure(error, err, [AppError, DataDirInUseError]);
  }
}

function exportScenario(file: string, target: string | undefined, out: Print, err: Print): number {
  const loaded = readScenarioFile(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) err(`${file}:${e.pointer}: ${e.message}`);
    return 1;
  }
  return deliver(scenarioMsel(loaded.scenario).content, target, out, file);
}

function exportSession(dataDir: string, sessionId: string, target: string | undefined, out: Print, err: Print): number {
  const store = Store.open({ dataDir: resolve(dataDir) });
  try {
    return deliver(sessionMsel(store, sessionId).content, target, out, `session ${sessionId}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      err(`${dataDir}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    store.close();
  }
}

/** Prints the CSV, or writes it to `target` and says so. */
function deliver(csv: string, target: string | undefined, out: Print, source: string): number {
  if (target === undefined) {
    out(csv.endsWith('\r\n') ? csv.slice(0, -2) : csv); // the printer ends the last line
  } else {
    writePrivateFile(target, csv); // a session's MSEL holds what happened when
    out(`${source}: MSEL written to ${target}`);
  }
  return 0;
}

async function importFile(file: string, target: string | undefined, json: boolean, out: Print, err: Print): Promise<number> {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    const workbook = /\.xlsx$/i.test(file);
    const limit = workbook ? WORKBOOK_LIMITS.maxArchiveBytes : MAX_MSEL_CHARS;
    if (size > limit) {
      err(`${file}: the file is ${formatBytes(size)}, more than the ${formatBytes(limit)} an MSEL ${workbook ? 'workbook ' : ''}may have`);
      return 1;
    }
    bytes = readFileSync(file);
  } catch {
    err(`${file}: the file cannot be read`);
    return 1;
  }
  const preview = await previewMselFile(bytes, basename(file));
  for (const p of preview.problems) err(p.row === null ? `${file}: ${p.message}` : `${file}:row ${p.row}: ${p.message}`);
  for (const w of preview.warnings) err(w.row === null ? `${file}: warning: ${w.message}` : `${file}:row ${w.row}: warning: ${w.message}`);
  if (target === undefined) {
    out(json ? JSON.stringify({ ...preview, draft: preview.draft === null ? null : true }, null, 2) : describePreview(file, preview));
    return preview.problems.length === 0 ? 0 : 1;
  }
  if (!preview.draft) return 1;
  writeFileSync(target, `${JSON.stringify(preview.draft, null, 2)}\n`, 'utf8');
  const kinds = countKinds(preview);
  out(`${file}: imported ${kinds} into ${target} (a draft: every "To be written" placeholder still needs writing)`);
  return 0;
}

function countKinds(preview: MselPreview): string {
  const count = (kind: string) => preview.rows.filter((r) => r.kind === kind).length;
  return `${count('inject')} injects, ${count('decision')} decision points, ${count('contingency')} contingencies`;
}

function describePreview(file: string, preview: MselPreview): string {
  const where = 'sheet' in preview && typeof preview.sheet === 'string' ? `sheet ${JSON.stringify(preview.sheet)}` : `delimiter ${JSON.stringify(preview.delimiter)}`;
  const lines = [`${file}: header on row ${preview.headerRow ?? '?'}, ${where}`];
  for (const m of preview.mapping) {
    const header = m.header || `(column ${m.column + 1}, no header)`;
    const target = m.field === null ? 'facilitator notes (unknown column)' : FIELD_HEADERS[m.field];
    lines.push(`  ${header} → ${target}${m.note ? ` (${m.note})` : ''}`);
  }
  lines.push(`  ${countKinds(preview)}`);
  for (const w of preview.warnings) lines.push(`  warning: ${w.message}`);
  lines.push(
    preview.problems.length === 0
      ? preview.warnings.length === 0
        ? '  ready to import'
        : '  ready to import (read the warnings first)'
      : `  ${preview.problems.length} problem${preview.problems.length === 1 ? '' : 's'}: nothing would be imported`,
  );
  return lines.join('\n');
}

runIfMain(import.meta.url, (argv) => main(argv));
