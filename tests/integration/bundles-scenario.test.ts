import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/app/errors.ts';
import { ArchiveError, buildScenarioBundle, readAssetInside, readScenarioBundle, writeScenarioFolder } from '../../src-main/app/interop.ts';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { readZip, writeZip } from '../../src-main/app/zip.ts';
import { SCENARIO_BUNDLE_LIMITS } from '../../src-main/core/bundle/archive.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A scenario folder with one image asset, as an author keeps it. */
function authorFolder() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const folder = join(t.dir, 'author');
  mkdirSync(join(folder, 'assets'), { recursive: true });
  const input = engineTestScenarioInput();
  input.evidence = [{ id: 'ev-diagram', kind: 'image', caption: 'Network diagram', asset: './assets/diagram.png', alt: 'The VPC' }];
  const first = input.timeline[0]!;
  if (first.type === 'inject') first.evidence = ['ev-diagram'];
  const text = `${JSON.stringify(input, null, 2)}\n`;
  writeFileSync(join(folder, 'scenario.json'), text);
  writeFileSync(join(folder, 'assets', 'diagram.png'), PNG);
  return { dir: t.dir, folder, text };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Re-packs a bundle after changing its files; the manifest is kept as it is unless `manifest` edits it. */
async function repack(bundle: Buffer, edit: (files: Map<string, Buffer>) => void, manifest?: (m: any, files: Map<string, Buffer>) => void) {
  const files = await readZip(bundle, SCENARIO_BUNDLE_LIMITS);
  edit(files);
  if (manifest) {
    const m = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    manifest(m, files);
    files.set('manifest.json', Buffer.from(JSON.stringify(m)));
  }
  return writeZip(
    [...files].map(([name, data]) => ({ name, data })),
    new Date(),
  );
}
const relist = (m: any, files: Map<string, Buffer>) => {
  m.entries = Object.fromEntries([...files].filter(([n]) => n !== 'manifest.json').map(([n, d]) => [n, { sha256: sha(d), bytes: d.byteLength }]));
};

describe('scenario bundles', () => {
  it('carry a scenario file and its image assets, exactly, into a new folder', async () => {
    const { dir, folder, text } = authorFolder();
    const built = await buildScenarioBundle(text, (path) => readAssetInside(folder, path));
    expect(built.filename).toBe('engine-test-1.0.0.sandtable');
    const files = await readZip(built.content, SCENARIO_BUNDLE_LIMITS);
    expect([...files.keys()].sort()).toEqual(['assets/diagram.png', 'manifest.json', 'scenario.json']);

    const bundle = await readScenarioBundle(built.content);
    const target = join(dir, 'imported', 'engine-test');
    writeScenarioFolder(bundle, target);
    expect(readFileSync(join(target, 'scenario.json'), 'utf8')).toBe(text);
    expect(readFileSync(join(target, 'assets', 'diagram.png'))).toEqual(PNG);
    expect(readdirSync(join(dir, 'imported'))).toEqual(['engine-test']); // no staging folder left
    expect(readScenarioFile(join(target, 'scenario.json')).ok).toBe(true);
  });

  it('refuse entries the scenario does not use, files that are not the image they claim, and anything the manifest does not vouch for', async () => {
    const { folder, text } = authorFolder();
    const valid = (await buildScenarioBundle(text, (path) => readAssetInside(folder, path))).content;
    const cases: Array<[string, Buffer, RegExp]> = [
      ['an extra entry', await repack(valid, (f) => f.set('run.sh', Buffer.from('rm -rf /')), relist), /run\.sh: refused: the scenario does not use this file/],
      [
        'a disguised asset',
        await repack(valid, (f) => f.set('assets/diagram.png', Buffer.from('<svg onload=alert(1)>')), relist),
        /assets\/diagram\.png: refused: the file is not the image/,
      ],
      ['an entry the manifest does not list', await repack(valid, (f) => f.set('notes.txt', Buffer.from('hi'))), /notes\.txt: refused: the manifest does not list this entry/],
      [
        'an altered scenario',
        await repack(valid, (f) => f.set('scenario.json', Buffer.from(text.replace('An alert fires.', 'Something else.')))),
        /scenario\.json: is damaged or was altered/,
      ],
      ['a missing asset', await repack(valid, (f) => f.delete('assets/diagram.png')), /assets\/diagram\.png: is listed in the manifest but missing/],
      ['no manifest', await repack(valid, (f) => f.delete('manifest.json')), /manifest\.json: is missing/],
      ['an invalid scenario', await repack(valid, (f) => f.set('scenario.json', Buffer.from('{"formatVersion": 2}')), relist), /scenario\.json: is not a valid scenario/],
      [
        'a session archive instead',
        await repack(
          valid,
          () => {},
          (m) => (m.format = 'sandtable-session-archive'),
        ),
        /manifest\.json: does not describe this kind of archive/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      await expect(readScenarioBundle(bytes), name).rejects.toThrow(message);
      await expect(readScenarioBundle(bytes), name).rejects.toBeInstanceOf(ArchiveError);
    }
  });

  it('are written only into a new or empty folder', async () => {
    const { dir, folder, text } = authorFolder();
    const bundle = await readScenarioBundle((await buildScenarioBundle(text, (path) => readAssetInside(folder, path))).content);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    expect(() => writeScenarioFolder(bundle, busy)).toThrow(AppError);
    expect(readdirSync(busy)).toEqual(['keep.txt']);
    expect(() => writeScenarioFolder(bundle, join(busy, 'keep.txt'))).toThrow(/not a folder/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeScenarioFolder(bundle, empty);
    expect(readdirSync(empty).sort()).toEqual(['assets', 'scenario.json']);
    expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('read assets only from inside the scenario folder', () => {
    const { folder } = authorFolder();
    expect(readAssetInside(folder, 'assets/diagram.png')).toEqual(PNG);
    expect(() => readAssetInside(folder, '../author/../../etc/passwd')).toThrow(AppError);
    expect(() => readAssetInside(folder, 'assets/missing.png')).toThrow(/cannot be read/);
  });
});
