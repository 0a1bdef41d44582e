/**
 * `library.list` answers from validated files without validating them again,
 * until a file changes or an image it names appears or goes away.
 */
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { ScenarioLibrary } from '../../src-main/app/scenario-library.ts';
import { EventHub } from '../../src-main/app/events.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('the library cache', () => {
  it('reuses a validation while the file and its images are unchanged, and notices every change', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const bundledDir = join(t.dir, 'bundled');
    mkdirSync(join(bundledDir, 'assets'), { recursive: true });
    const file = join(bundledDir, 'one.json');
    const input = engineTestScenarioInput();
    input.evidence = [...(input.evidence ?? []), { id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' }];
    writeFileSync(join(bundledDir, 'assets', 'diagram.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(file, JSON.stringify(input));
    const library = new ScenarioLibrary({ bundledDir, importedDir: join(t.dir, 'imported'), events: new EventHub() });

    const first = readScenarioFile(file);
    expect(first.ok).toBe(true);
    expect(readScenarioFile(file)).toBe(first); // the same result: not validated again
    expect(Object.isFrozen(first.ok && first.scenario.meta)).toBe(true);
    expect(library.list().scenarios.map((s) => s.title)).toEqual([input.meta.title]);

    // The file changes (same size, new time): validated again.
    writeFileSync(file, JSON.stringify({ ...input, meta: { ...input.meta, title: input.meta.title.replace(/.$/, '!') } }));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(library.list().scenarios.map((s) => s.title)).toEqual([input.meta.title.replace(/.$/, '!')]);

    // The image goes away: the cached "valid" no longer holds.
    rmSync(join(bundledDir, 'assets', 'diagram.png'));
    const listing = library.list();
    expect(listing.scenarios).toHaveLength(0);
    expect(listing.problems[0]).toMatchObject({ file: 'one.json', path: '/evidence/0/asset' });
    writeFileSync(join(bundledDir, 'assets', 'diagram.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    expect(library.list().scenarios).toHaveLength(1);
  });
});
