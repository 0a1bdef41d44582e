/**
 * The Electron host's delivery of streamed files (export-saver.ts), with a
 * stand-in for the save dialog: the file the facilitator chose is written
 * chunk by chunk, private, whole or not at all, byte for byte the CLI's, with
 * the manifest beside it; "cancelled" writes nothing; bytes that do not match
 * their manifest are never left behind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSessionDownload, type SessionDownload } from '../../src-main/app/downloads.ts';
import { verifyExport, writeSessionExport } from '../../src-main/app/exports.ts';
import { buildSessionArchive } from '../../src-main/app/interop.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { electronDownloadSaver, saveDialogFilters, type SaveDialogOptions } from '../../src-main/hosts/electron/export-saver.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
let store: Store;
let sessionId = '';
const options = { generator: 'Sandtable test', now: 1_700_000_000_000 };

beforeAll(() => {
  store = Store.open({ dataDir: join(work.dir, 'data') });
  const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
  if (!loaded.ok) throw new Error('sample scenario invalid');
  sessionId = rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store }).sessionId!;
});
afterAll(() => {
  store.close();
  work.cleanup();
});

/** A dialog that answers `path` (or cancels) and remembers what it was shown. */
function dialog(path: string | null) {
  const shown: SaveDialogOptions[] = [];
  const ask = (o: SaveDialogOptions) => {
    shown.push(o);
    return Promise.resolve(path === null ? { canceled: true } : { canceled: false, filePath: path });
  };
  return { shown, saver: electronDownloadSaver(ask, () => '/home/me/Downloads') };
}

describe('the Electron save of a streamed file', () => {
  it('writes an export where the facilitator chose, as the CLI writes it, with its manifest beside it', async () => {
    const target = join(work.dir, 'chosen name.json');
    const { shown, saver } = dialog(target);
    const download = prepareSessionDownload(store, { file: 'export', sessionId, format: 'json', pseudonymise: false }, options);
    expect(await saver(download)).toEqual({ outcome: 'saved', path: target, manifestPath: `${target}.manifest.json` });
    expect(shown).toEqual([{ defaultPath: join('/home/me/Downloads', download.filename), filters: [{ name: 'JSON', extensions: ['json'] }] }]);
    const cli = writeSessionExport(store, sessionId, { format: 'json', pseudonymise: false, ...options }, join(work.dir, 'cli.json'));
    expect(readFileSync(target).equals(readFileSync(cli.path))).toBe(true);
    const manifest = JSON.parse(readFileSync(`${target}.manifest.json`, 'utf8'));
    expect(manifest).toEqual({ ...cli.manifest, file: 'chosen name.json' });
    const verified = verifyExport(readFileSync(target), readFileSync(`${target}.manifest.json`, 'utf8'), store);
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verified.ok).toBe(true);
    if (process.platform !== 'win32') {
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(statSync(`${target}.manifest.json`).mode & 0o777).toBe(0o600);
    }
  });

  it('writes the session archive as the CLI builds it, with no manifest beside it (it carries its own)', async () => {
    const target = join(work.dir, 'archive.sandtable-session');
    const { saver } = dialog(target);
    const download = prepareSessionDownload(store, { file: 'archive', sessionId }, options);
    expect(await saver(download)).toEqual({ outcome: 'saved', path: target, manifestPath: null });
    expect(readFileSync(target).equals((await buildSessionArchive(store, sessionId, new Date(options.now))).content)).toBe(true);
  });

  it('writes nothing when the facilitator cancels', async () => {
    const before = readdirSync(work.dir).sort();
    const { saver } = dialog(null);
    expect(await saver(prepareSessionDownload(store, { file: 'msel', sessionId }, options))).toEqual({ outcome: 'cancelled' });
    expect(readdirSync(work.dir).sort()).toEqual(before);
  });

  it('leaves nothing behind when the bytes are not those of the manifest, or when writing fails', async () => {
    const good = prepareSessionDownload(store, { file: 'export', sessionId, format: 'csv', pseudonymise: false }, options);
    const tampered: SessionDownload = { ...good, body: () => [Buffer.from('not the export')] };
    const target = join(work.dir, 'tampered.csv');
    await expect(dialog(target).saver(tampered)).rejects.toThrow(/not the export its manifest describes/);
    expect(existsSync(target) || existsSync(`${target}.partial`) || existsSync(`${target}.manifest.json`)).toBe(false);
    const nowhere = join(work.dir, 'no-such-folder', 'x.csv');
    await expect(dialog(nowhere).saver(good)).rejects.toThrow();
    expect(existsSync(join(work.dir, 'no-such-folder'))).toBe(false);
  });

  it('offers the file type of the suggested name in the dialog', () => {
    expect(saveDialogFilters('s.sandtable-session')).toEqual([{ name: 'Sandtable session archive', extensions: ['sandtable-session'] }]);
    expect(saveDialogFilters('s-msel.csv')).toEqual([{ name: 'CSV', extensions: ['csv'] }]);
    expect(saveDialogFilters('README')).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});
