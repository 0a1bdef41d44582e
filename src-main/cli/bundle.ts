/**
 * `npm run bundle -- ...`: scenario bundles and session archives.
 *
 *   export SCENARIO.json --out FILE.sandtable                     a scenario and its image assets
 *   import FILE.sandtable --out DIR                               into a new (or empty) folder
 *   export-session --data DIR --session ID --out FILE.sandtable-session
 *   import-session FILE.sandtable-session --data DIR
 *
 * Archives are read as hostile input: a refused one leaves nothing behind.
 * Exit status: 0 done, 1 invalid input (each problem as `FILE:entry: reason`,
 * or `FILE:POINTER: message` for a scenario file), 2 usage error.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { commandLine, runIfMain, type Print, SESSION_FILE_OPTIONS } from './command-line.ts';
import { AppError } from '../app/errors.ts';
import { ArchiveError, buildScenarioBundle, buildSessionArchive, importSessionArchive, readAssetInside, readScenarioBundle, writeScenarioFolder } from '../app/interop.ts';
import { readScenarioFile } from '../app/scenario-files.ts';
import { SCENARIO_BUNDLE_LIMITS, SESSION_ARCHIVE_LIMITS, type ArchiveLimits } from '../core/bundle/archive.ts';
import { formatBytes } from '../core/scenario/safe-json.ts';
import { DataDirInUseError } from '../store/database.ts';
import { writePrivateFile } from '../store/private-files.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run bundle -- export SCENARIO.json --out FILE.sandtable
       npm run bundle -- import FILE.sandtable --out DIR
       npm run bundle -- export-session --data DIR --session ID --out FILE.sandtable-session
       npm run bundle -- import-session FILE.sandtable-session --data DIR

Scenario bundles (scenario.json with its image assets) and session archives
(a session's event log, the scenario it ran, and a manifest with hashes).

  export          pack a scenario file and the images it uses
  import          unpack a scenario bundle into DIR (new, or empty)
  export-session  pack a recorded session of the data folder DIR
  import-session  verify a session archive and add the session to DIR
  -h, --help      show this help

Exit status: 0 done, 1 invalid input, 2 usage error.`;

const OPTIONS = {
  options: {
    ...SESSION_FILE_OPTIONS,
  },
} as const;

/** Runs the command with `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: readonly string[], out: Print = console.log, err: Print = console.error): Promise<number> {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals, usage } = parsed;
  const [command, ...files] = positionals;
  const only = (allowed: ReadonlyArray<'out' | 'data' | 'session'>) =>
    (['out', 'data', 'session'] as const).filter((option) => values[option] !== undefined && !allowed.includes(option));
  const file = files[0];

  try {
    switch (command) {
      case 'export':
        if (files.length !== 1 || values.out === undefined || only(['out']).length > 0) return usage('export takes one scenario file and --out FILE.sandtable.');
        return await exportScenario(files[0]!, values.out, out, err);
      case 'import':
        if (files.length !== 1 || values.out === undefined || only(['out']).length > 0) return usage('import takes one bundle and --out DIR.');
        return await importScenario(files[0]!, values.out, out, err);
      case 'export-session':
        if (files.length !== 0 || values.data === undefined || values.session === undefined || values.out === undefined) {
          return usage('export-session takes --data DIR, --session ID and --out FILE.');
        }
        return await exportSession(values.data, values.session, values.out, out);
      case 'import-session':
        if (files.length !== 1 || values.data === undefined || only(['data']).length > 0) return usage('import-session takes one archive and --data DIR.');
        return await importSession(files[0]!, values.data, out, err);
      default:
        return usage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof ArchiveError) {
      err(error.entry === '' ? `${String(file)}: the archive ${error.reason}` : `${String(file)}:${error.entry}: ${error.reason}`);
      return 1;
    }
    if (error instanceof AppError || error instanceof DataDirInUseError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

async function exportScenario(file: string, target: string, out: Print, err: Print): Promise<number> {
  const loaded = readScenarioFile(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) err(`${file}:${e.pointer}: ${e.message}`);
    return 1;
  }
  const folder = dirname(resolve(file));
  const bundle = await buildScenarioBundle(readFileSync(file, 'utf8'), (path) => readAssetInside(folder, path));
  writeFileSync(target, bundle.content);
  out(`${file}: bundled into ${target}`);
  return 0;
}

async function importScenario(file: string, target: string, out: Print, err: Print): Promise<number> {
  const bytes = readArchive(file, SCENARIO_BUNDLE_LIMITS, err);
  if (!bytes) return 1;
  const bundle = await readScenarioBundle(bytes);
  writeScenarioFolder(bundle, target);
  const assets = bundle.assets.size;
  out(`${file}: scenario ${bundle.scenario.meta.id} ${bundle.scenario.meta.version} with ${assets} asset${assets === 1 ? '' : 's'} written to ${target}`);
  return 0;
}

async function exportSession(dataDir: string, sessionId: string, target: string, out: Print): Promise<number> {
  const store = Store.open({ dataDir: resolve(dataDir) });
  try {
    const archive = await buildSessionArchive(store, sessionId);
    writePrivateFile(target, archive.content);
    out(`session ${sessionId}: archived into ${target}`);
    return 0;
  } finally {
    store.close();
  }
}

async function importSession(file: string, dataDir: string, out: Print, err: Print): Promise<number> {
  const bytes = readArchive(file, SESSION_ARCHIVE_LIMITS, err);
  if (!bytes) return 1;
  const store = Store.open({ dataDir: resolve(dataDir) });
  try {
    const imported = await importSessionArchive(store, bytes);
    out(`${file}: session ${imported.sessionId} imported (${imported.events} events, final hash ${imported.lastHash})`);
    return 0;
  } finally {
    store.close();
  }
}

/** Reads an archive file, refusing one larger than the limits allow before reading it. */
function readArchive(file: string, limits: ArchiveLimits, err: Print): Buffer | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) {
      err(`${file}: is not a file`);
      return undefined;
    }
    if (stats.size > limits.maxArchiveBytes) {
      err(`${file}: the archive is ${formatBytes(stats.size)}, more than the ${formatBytes(limits.maxArchiveBytes)} allowed`);
      return undefined;
    }
    return readFileSync(file);
  } catch {
    err(`${file}: the file cannot be read`);
    return undefined;
  }
}

runIfMain(import.meta.url, (argv) => main(argv));
