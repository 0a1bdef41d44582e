import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, buildScenarioBundle, importSessionArchive, readScenarioBundle, writeScenarioFolder } from '../../src-main/app/interop.ts';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { Store } from '../../src-main/store/store.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Builds a zip with yazl; `mode` lets a test store a symbolic link. */
function zip(files: Array<{ name: string; data: Buffer; mode?: number }>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const f of files) z.addBuffer(f.data, f.name, { mtime: new Date(2024, 0, 1), mode: f.mode ?? 0o100644 });
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('error', reject);
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** Replaces every occurrence of a name (local and central headers) with another of the same length. */
function rename(archive: Buffer, from: string, to: string): Buffer {
  expect(Buffer.byteLength(from)).toBe(Buffer.byteLength(to));
  const out = Buffer.from(archive);
  const needle = Buffer.from(from);
  for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + 1)) Buffer.from(to).copy(out, at);
  return out;
}

const CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/** Changes the first central-directory header of an archive. */
function patchCentral(archive: Buffer, patch: (out: Buffer, header: number) => void): Buffer {
  const out = Buffer.from(archive);
  const header = out.indexOf(CENTRAL);
  expect(header).toBeGreaterThan(0);
  patch(out, header);
  return out;
}

function scenarioWithImages(assets: string[]): ScenarioInput {
  const input = engineTestScenarioInput();
  input.evidence = assets.map((asset, i) => ({ id: `ev-image-${i}`, kind: 'image' as const, caption: 'Diagram', asset, alt: 'A diagram' }));
  const first = input.timeline[0]!;
  if (first.type === 'inject') first.evidence = input.evidence.map((e) => e.id);
  return input;
}

/** Every file and folder under a folder, as relative paths. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? [`${prefix}${name}/`, ...tree(path, `${prefix}${name}/`)] : [`${prefix}${name}`];
    });
}

const work = tempDir('sandtable-hostile-');
const parent = join(work.dir, 'parent');
let store: Store;
let valid: Buffer;
const corpus: Array<{ name: string; bytes: Buffer; message: RegExp }> = [];

beforeAll(async () => {
  mkdirSync(parent);
  store = Store.open({ dataDir: join(parent, 'data') });
  const scenarioText = JSON.stringify(scenarioWithImages(['assets/diagram.png']));
  valid = (await buildScenarioBundle(scenarioText, () => PNG)).content;
  const payload = Buffer.from('{"owned": true}');
  const zeros = Buffer.alloc(16 * 1024 * 1024);

  corpus.push(
    { name: 'zip-slip ../x', bytes: rename(await zip([{ name: 'zz/x', data: payload }]), 'zz/x', '../x'), message: /\.\.\/x: refused: the entry climbs out/ },
    { name: 'absolute /etc/x', bytes: rename(await zip([{ name: 'zetc/x', data: payload }]), 'zetc/x', '/etc/x'), message: /\/etc\/x: refused: the entry is an absolute path/ },
    { name: 'drive letter C:\\x', bytes: rename(await zip([{ name: 'Cxyx', data: payload }]), 'Cxyx', 'C:\\x'), message: /C:\\x: refused: the entry has a backslash/ },
    {
      name: 'drive letter C:/x',
      bytes: rename(await zip([{ name: 'Cxyx', data: payload }]), 'Cxyx', 'C:/x'),
      message: /C:\/x: refused: the entry (is an absolute path|starts with a drive letter)/,
    },
    { name: 'symlink entry', bytes: await zip([{ name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]), message: /link: refused: the entry is a symbolic link/ },
    { name: 'zip bomb (high ratio)', bytes: await zip([{ name: 'bomb.txt', data: zeros }]), message: /bomb\.txt: refused: it would inflate \d+ times/ },
    {
      name: 'zip bomb with a forged size',
      bytes: patchCentral(await zip([{ name: 'bomb.txt', data: zeros }]), (out, h) => out.writeUInt32LE(1000, h + 24)),
      message: /bomb\.txt: refused: it inflates to more than its declared size/,
    },
    {
      name: 'thousands of entries',
      bytes: await zip(Array.from({ length: 5_000 }, (_, i) => ({ name: `f${i}.txt`, data: payload }))),
      message: /has 5000 entries; at most \d+ are allowed/,
    },
    { name: 'corrupt central directory', bytes: patchCentral(valid, (out, h) => out.write('XXXX', h, 'latin1')), message: /is damaged or truncated/ },
    { name: 'truncated file', bytes: valid.subarray(0, Math.floor(valid.length * 0.6)), message: /is not a zip archive, or it is truncated/ },
    { name: 'not a zip at all', bytes: Buffer.from('PK but not really a zip archive at all, just text'), message: /is not a zip archive/ },
    {
      name: 'encrypted entry',
      bytes: patchCentral(await zip([{ name: 'secret.txt', data: payload }]), (out, h) => out.writeUInt16LE(out.readUInt16LE(h + 8) | 1, h + 8)),
      message: /secret\.txt: refused: the entry is encrypted/,
    },
    {
      name: 'same name twice (ignoring case)',
      bytes: await zip([
        { name: 'scenario.json', data: payload },
        { name: 'SCENARIO.json', data: payload },
      ]),
      message: /SCENARIO\.json: refused: the archive has this entry twice/,
    },
  );
});

afterAll(() => {
  store.close();
  work.cleanup();
});

describe('hostile archives', () => {
  it('the valid bundle they are made from is accepted', async () => {
    expect((await readScenarioBundle(valid)).assets.has('assets/diagram.png')).toBe(true);
  });

  it('refuses every one, as a scenario bundle and as a session archive, and writes nothing anywhere', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
    const before = tree(parent);
    for (const { name, bytes, message } of corpus) {
      const asBundle = readScenarioBundle(bytes).then((bundle) => writeScenarioFolder(bundle, join(parent, 'out', 'scenario')));
      await expect(asBundle, name).rejects.toBeInstanceOf(ArchiveError);
      await expect(asBundle, name).rejects.toThrow(message);
      const asSession = importSessionArchive(store, bytes);
      await expect(asSession, name).rejects.toBeInstanceOf(ArchiveError);
      if (!/thousands/.test(name)) await expect(asSession, name).rejects.toThrow(message);
    }
    expect(tree(parent)).toEqual(before);
    expect(store.sessions.list()).toEqual([]);
  });

  it('cleans up when writing a checked bundle fails half-way', async () => {
    // Both assets are valid on their own, but one needs a folder where the other is a file.
    const text = JSON.stringify(scenarioWithImages(['assets/x.png', 'assets/x.png/y.png']));
    const bundle = await readScenarioBundle((await buildScenarioBundle(text, () => PNG)).content);
    const before = tree(parent);
    expect(() => writeScenarioFolder(bundle, join(parent, 'half-way'))).toThrow();
    // Folders created on the way to the destination are removed too.
    expect(() => writeScenarioFolder(bundle, join(parent, 'new', 'deeper', 'half-way'))).toThrow();
    expect(tree(parent)).toEqual(before);
  });
});
