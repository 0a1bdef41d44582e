/**
 * Peak memory of the web host giving a 100,000-event session's files to the
 * console: the contract methods that return the whole file in their answer
 * (`reports.export`, `sessionBundle.export`) against `exports.download`,
 * whose link streams it. Each case runs in its own process (the web host and
 * a client that reads the response and drops it), which prints its peak RSS;
 * the baseline is a process that only opens the app and reads the session's
 * rows. `npx tsx bench/download-rss.ts [EVENTS] [--without-links]` (about a minute).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSession } from '../src-main/app/exports.ts';
import { openApp } from '../src-main/app/open.ts';
import { startWebHost } from '../src-main/hosts/web/server.ts';
import { Store } from '../src-main/store/store.ts';
import { report } from './measure.ts';
import { sessionWithUndos } from './undo.ts';

type Case = 'read' | 'export-string' | 'export-link' | 'archive-base64' | 'archive-link';

/** With `links` false, only the methods that answer with the whole file (to measure a tree that has no exports.download). */
export function downloadRssBenchmarks(size = 100_000, links = true): void {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-download-'));
  try {
    const store = Store.open({ dataDir: join(work, 'data') });
    try {
      sessionWithUndos(store, 'large', size);
    } finally {
      store.close();
    }
    const peak = (what: Case) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--download-child', what, work], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .at(-1)!;
      const [mib, bytes] = out.split(' ').map(Number);
      return { mib: mib!, bytes: bytes! };
    };
    const reading = peak('read').mib;
    const mb = (n: number) => `${Math.round(n / 1e5) / 10} MB`;
    const cases: Array<[Case, string, string]> = [
      ['export-string', 'giving the JSON export with reports.export (the answer: JSON of the whole file)', 'for comparison'],
      ['archive-base64', 'giving the session archive with sessionBundle.export (the answer: JSON of its base64)', 'for comparison'],
      ...(links
        ? ([
            ['export-link', "streaming the same JSON export from exports.download's link", 'ratio <= 1.5'],
            ['archive-link', "streaming the session archive from exports.download's link", 'ratio <= 1.5'],
          ] as Array<[Case, string, string]>)
        : []),
    ];
    for (const [what, doing, target] of cases) {
      const measured = peak(what);
      report(`peak RSS of the web host ${doing}, ${mb(measured.bytes)} sent, vs only reading the rows`, measured.mib, 'MiB', reading, target);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Sends a request to the host and reads its answer without keeping it: its length and its bytes' SHA-256. */
function drain(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers }, agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let head = '';
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (head.length < 4096) head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096));
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, text: head }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function child(what: Case, work: string): Promise<number> {
  const rendererDir = join(work, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sandtable</title>');
  const services = openApp({ dataDir: join(work, 'data'), host: 'web', version: 'bench', scenariosDir: join(import.meta.dirname, '..', 'scenarios') });
  const host = await startWebHost({ services, rendererDir, port: 0 });
  const auth = { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
  const callRaw = (method: string, input: unknown) => drain(host.port, 'POST', '/api/call', auth, JSON.stringify({ method, input }));
  let bytes = 0;
  try {
    if (what === 'read') loadSession(services.store, 'large');
    else if (what === 'export-string' || what === 'archive-base64') {
      const answer =
        what === 'export-string' ? await callRaw('reports.export', { sessionId: 'large', format: 'json' }) : await callRaw('sessionBundle.export', { sessionId: 'large' });
      if (answer.status !== 200) throw new Error(answer.text);
      bytes = answer.bytes;
    } else {
      const input = what === 'export-link' ? { file: 'export', sessionId: 'large', format: 'json' } : { file: 'archive', sessionId: 'large' };
      const answer = await callRaw('exports.download', input);
      if (answer.status !== 200) throw new Error(answer.text);
      const { url } = (JSON.parse(answer.text) as { result: { url: string } }).result;
      const got = await drain(host.port, 'GET', url, { 'Sec-Fetch-Site': 'same-origin' });
      if (got.status !== 200) throw new Error(got.text);
      bytes = got.bytes;
    }
  } finally {
    await host.close();
    services.close();
  }
  console.log(`${Math.round(process.resourceUsage().maxRSS / 1024)} ${bytes}`);
  return 0;
}

if (process.argv[2] === '--download-child') {
  await child(process.argv[3] as Case, process.argv[4]!);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  downloadRssBenchmarks(Number(process.argv[2] ?? 100_000), process.argv[3] !== '--without-links');
}
