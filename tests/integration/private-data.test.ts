import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { main as bundle } from '../../src-main/cli/bundle.ts';
import { main as msel } from '../../src-main/cli/msel.ts';
import { main as report } from '../../src-main/cli/report.ts';
import { DATABASE_FILE } from '../../src-main/store/database.ts';
import { writePrivateFile } from '../../src-main/store/private-files.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function work() {
  const t = tempDir('sandtable-private-');
  cleanups.push(t.cleanup);
  return t.dir;
}
/** A loose umask, as on machines that share files by default: the modes must not depend on it. */
function withUmask<T>(umask: number, fn: () => T): T {
  const old = process.umask(umask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}
function rehearse(dataDir: string): string {
  const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
  if (!loaded.ok) throw new Error('sample scenario invalid');
  const store = Store.open({ dataDir });
  try {
    return rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store }).sessionId!;
  } finally {
    store.close();
  }
}

describe.runIf(posix)('a private data folder', () => {
  it('is created 0700 with the database and its WAL 0600, whatever the umask', () => {
    const dataDir = join(work(), 'nested', 'Sandtable');
    withUmask(0o000, () => {
      const store = Store.open({ dataDir });
      try {
        const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
        if (!loaded.ok) throw new Error('sample scenario invalid');
        rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store });
        expect(mode(dataDir)).toBe(0o700);
        expect(mode(join(dataDir, DATABASE_FILE))).toBe(0o600);
        expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(true); // WAL mode, written to
        expect(mode(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(0o600);
        if (existsSync(join(dataDir, `${DATABASE_FILE}-shm`))) expect(mode(join(dataDir, `${DATABASE_FILE}-shm`))).toBe(0o600);
      } finally {
        store.close();
      }
    });
  });

  it('tightens a folder and files an older version left readable by others', () => {
    const dataDir = work();
    rehearse(dataDir);
    const db = join(dataDir, DATABASE_FILE);
    chmodSync(dataDir, 0o755);
    chmodSync(db, 0o644);
    writeFileSync(`${db}-wal`, ''); // a WAL left behind, world-readable
    chmodSync(`${db}-wal`, 0o644);
    const store = Store.open({ dataDir });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(db)).toBe(0o600);
      expect(mode(`${db}-wal`)).toBe(0o600);
      expect(store.sessions.list().length).toBe(1); // and nothing was lost
    } finally {
      store.close();
    }
  });

  // Only root can give a folder to another account; elsewhere chmod on it would fail with EPERM.
  it.runIf(process.getuid?.() === 0)('leaves a folder of another account (a group-shared one) as its owner set it, and opens it', () => {
    const dataDir = join(work(), 'shared');
    mkdirSync(dataDir);
    chownSync(dataDir, 65534, 65534);
    chmodSync(dataDir, 0o770);
    const store = Store.open({ dataDir });
    try {
      expect(mode(dataDir)).toBe(0o770);
      expect(mode(join(dataDir, DATABASE_FILE))).toBe(0o600); // the database is ours, so it is private
    } finally {
      store.close();
    }
  });

  it('writes exports 0600, also over an existing readable file', () => {
    const dir = work();
    const target = join(dir, 'export.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o644);
    withUmask(0o000, () => writePrivateFile(target, 'new'));
    expect(mode(target)).toBe(0o600);
  });

  it('the report, session archive and session MSEL CLIs write 0600 files', async () => {
    const dir = work();
    const dataDir = join(dir, 'data');
    const sessionId = rehearse(dataDir);
    const quiet = () => {};
    mkdirSync(join(dir, 'out'));
    await withUmask(0o022, async () => {
      expect(report(['--data', dataDir, '--session', sessionId, '--format', 'md', '--out', join(dir, 'out', 'aar.md')], quiet, quiet)).toBe(0);
      expect(await bundle(['export-session', '--data', dataDir, '--session', sessionId, '--out', join(dir, 'out', 's.sandtable-session')], quiet, quiet)).toBe(0);
      expect(await msel(['export', '--data', dataDir, '--session', sessionId, '--out', join(dir, 'out', 'msel.csv')], quiet, quiet)).toBe(0);
    });
    for (const file of ['aar.md', 'aar.md.manifest.json', 's.sandtable-session', 'msel.csv']) expect(mode(join(dir, 'out', file)), file).toBe(0o600);
  });
});
