/**
 * `exports.download` through the real web host: a large session's exports,
 * its archive and its MSEL are streamed from a single-use link, byte for byte
 * what the command line writes (`writeSessionExport`, `buildSessionArchive`),
 * with a manifest `npm run verify` accepts; a used, unknown or foreign
 * request for a link is refused.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWithUndos } from '../../bench/undo.ts';
import { methods } from '../../src-main/api/contract.ts';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { manifestFileText } from '../../src-main/app/downloads.ts';
import { writeSessionExport } from '../../src-main/app/exports.ts';
import { buildSessionArchive, importSessionArchive } from '../../src-main/app/interop.ts';
import { openApp } from '../../src-main/app/open.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import type { Services } from '../../src-main/app/services.ts';
import { readZip } from '../../src-main/app/zip.ts';
import { MANIFEST_ENTRY, SESSION_ARCHIVE_LIMITS } from '../../src-main/core/bundle/archive.ts';
import { EXPORT_FORMATS, type ExportManifest } from '../../src-main/core/report/export.ts';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Large enough that the JSON export is tens of megabytes (bench/undo.ts measures 100,000). */
const EVENTS = 30_000;

const work = tempDir();
const dataDir = join(work.dir, 'data');
const rendererDir = join(work.dir, 'renderer');
let services: Services;
let host: WebHost;
let rehearsed = '';

beforeAll(async () => {
  const store = Store.open({ dataDir });
  try {
    sessionWithUndos(store, 'large', EVENTS);
    const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
    if (!loaded.ok) throw new Error('sample scenario invalid');
    rehearsed = rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store }).sessionId!;
  } finally {
    store.close();
  }
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sandtable</title>');
  services = openApp({ dataDir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios') });
  host = await startWebHost({ services, rendererDir, port: 0 });
}, 120_000);

afterAll(async () => {
  await host.close();
  services.close();
  work.cleanup();
});

const own = () => ({ Host: `127.0.0.1:${host.port}` });

type Link = { outcome: 'link'; url: string; filename: string; manifestFilename: string | null; manifest: ExportManifest | null };

async function ask(input: unknown, token = host.token): Promise<{ status: number; body: { ok: boolean; result?: Link; error?: { code: string } } }> {
  const res = await fetchBytes(
    '/api/call',
    { ...own(), 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    'POST',
    JSON.stringify({ method: 'exports.download', input }),
  );
  return { status: res.status, body: JSON.parse(res.body.toString('utf8')) };
}

async function link(input: unknown): Promise<Link> {
  const answer = await ask(input);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.result?.outcome).toBe('link');
  return answer.body.result!;
}

/** A request on a fresh connection (the first test idles longer than the server keeps a socket alive), its body kept as bytes. */
function fetchBytes(
  path: string,
  headers: Record<string, string> = own(),
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('exports.download on the web host', () => {
  it(`streams a ${EVENTS}-event session's JSON export byte for byte as the CLI writes it, with a manifest npm run verify accepts`, async () => {
    const answer = await link({ file: 'export', sessionId: 'large', format: 'json' });
    expect(answer.url).toMatch(/^\/api\/download\/[0-9a-f]{64}$/);
    const manifest = answer.manifest!;
    const got = await fetchBytes(answer.url, { ...own(), 'Sec-Fetch-Site': 'same-origin' });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="${answer.filename}"; filename*=UTF-8''${answer.filename}`);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.headers['content-security-policy']).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox");
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.body.length).toBeGreaterThan(10_000_000);
    expect(got.body.length).toBe(manifest.bytes);
    expect(sha256(got.body)).toBe(manifest.sha256);
    expect(manifest.log.eventCount).toBeGreaterThanOrEqual(EVENTS);

    // What `npm run report` writes for the same session at the same moment.
    const cli = writeSessionExport(services.store, 'large', { format: 'json', pseudonymise: false, generator: manifest.generator, now: manifest.generatedTimestamp }, (name) =>
      join(work.dir, `cli-${name}`),
    );
    expect(got.body.equals(readFileSync(cli.path))).toBe(true);
    expect(cli.manifest).toEqual(manifest);

    const saved = join(work.dir, answer.filename);
    writeFileSync(saved, got.body);
    writeFileSync(join(work.dir, answer.manifestFilename!), manifestFileText(manifest));
    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/verify.ts', saved], { encoding: 'utf8', timeout: 120_000 });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);

  it('streams every export format as the CLI writes it, pseudonymised or not', async () => {
    for (const format of EXPORT_FORMATS) {
      for (const pseudonymise of [false, true]) {
        const answer = await link({ file: 'export', sessionId: rehearsed, format, pseudonymise });
        const got = await fetchBytes(answer.url);
        const m = answer.manifest!;
        const cli = writeSessionExport(services.store, rehearsed, { format, pseudonymise, generator: m.generator, now: m.generatedTimestamp }, (name) =>
          join(work.dir, `cli-${name}`),
        );
        expect(got.body.equals(readFileSync(cli.path)), `${format}, pseudonymise ${String(pseudonymise)}`).toBe(true);
        expect(m).toEqual(cli.manifest);
        expect(answer.filename).toBe(cli.filename);
      }
    }
  });

  it('streams the session archive as the CLI builds it, and it imports into another data folder', async () => {
    const answer = await link({ file: 'archive', sessionId: rehearsed });
    expect(answer.manifest).toBeNull();
    const got = await fetchBytes(answer.url);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/zip');
    expect(got.headers['content-disposition']).toContain(answer.filename);
    const inside = JSON.parse((await readZip(got.body, SESSION_ARCHIVE_LIMITS)).get(MANIFEST_ENTRY)!.toString('utf8')) as { exportedWallMs: number };
    const cli = await buildSessionArchive(services.store, rehearsed, new Date(inside.exportedWallMs));
    expect(got.body.equals(cli.content)).toBe(true);
    expect(answer.filename).toBe(cli.filename);
    const other = Store.open({ dataDir: join(work.dir, 'other') });
    try {
      expect(await importSessionArchive(other, got.body)).toMatchObject({ sessionId: rehearsed });
    } finally {
      other.close();
    }
  });

  it('gives the bytes its manifest describes when a running session records more before the link is followed (its log is read once, at the call)', async () => {
    const facilitator = { role: 'facilitator' } as const;
    const call = async (method: string, input: unknown): Promise<unknown> => {
      const response = await dispatch(services, method, input, facilitator);
      if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
      return response.result;
    };
    const { id } = (await call('sessions.create', { scenarioId: 'sample-leaked-key', name: 'Live', facilitator: 'Ana', teams: [{ name: 'Red' }] })) as { id: string };
    await call('sessions.start', { sessionId: id });
    for (const format of ['json', 'csv'] as const) {
      const answer = await link({ file: 'export', sessionId: id, format });
      const later = `Recorded after the ${format} link was issued.`;
      await call('sessions.addNote', { sessionId: id, teamId: null, text: later });
      const got = await fetchBytes(answer.url);
      expect(got.body.length).toBe(answer.manifest!.bytes);
      expect(sha256(got.body)).toBe(answer.manifest!.sha256);
      expect(got.body.toString('utf8')).not.toContain(later);
      expect(services.store.sessions.get(id)!.lastSeq).toBeGreaterThan(answer.manifest!.log.lastSeq);
    }
    // The archive still asks for a session that is not running (its log would grow while it travels).
    expect((await ask({ file: 'archive', sessionId: id })).body.error).toMatchObject({ code: 'conflict' });
    await call('sessions.end', { sessionId: id, reason: 'Done' });
  });

  it("streams the session's MSEL as msel.exportSession gives it", async () => {
    const answer = await link({ file: 'msel', sessionId: rehearsed });
    const got = await fetchBytes(answer.url);
    expect(got.headers['content-type']).toBe('text/csv; charset=utf-8');
    const res = await fetchBytes(
      '/api/call',
      { ...own(), 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
      'POST',
      JSON.stringify({ method: 'msel.exportSession', input: { sessionId: rehearsed } }),
    );
    expect(got.body.toString('utf8')).toBe((JSON.parse(res.body.toString('utf8')) as { result: { csv: string } }).result.csv);
  });

  it('serves a link once: a used, unknown or malformed token is a 404', async () => {
    const answer = await link({ file: 'msel', sessionId: rehearsed });
    expect((await fetchBytes(answer.url)).status).toBe(200);
    const again = await fetchBytes(answer.url);
    expect(again.status).toBe(404);
    expect(JSON.parse(again.body.toString('utf8'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const path of [`/api/download/${'0'.repeat(64)}`, '/api/download/short', `/api/download/${answer.url.slice(-64).toUpperCase()}`, '/api/download/']) {
      expect((await fetchBytes(path)).status, path).toBe(404);
    }
  });

  it('refuses a link followed from another site, by another method or with a forged Host, without spending it', async () => {
    const answer = await link({ file: 'msel', sessionId: rehearsed });
    expect((await fetchBytes(answer.url, { ...own(), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await fetchBytes(answer.url, { ...own(), 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await fetchBytes(answer.url, { ...own(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await fetchBytes(answer.url, { Host: 'evil.example' })).status).toBe(403);
    expect((await fetchBytes(answer.url, own(), 'POST')).status).toBe(405);
    expect((await fetchBytes(answer.url, { ...own(), 'Sec-Fetch-Site': 'same-origin', Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('answers a HEAD of a link with the status its GET would give, without spending it', async () => {
    const answer = await link({ file: 'msel', sessionId: rehearsed });
    const checked = await fetchBytes(answer.url, own(), 'HEAD');
    expect(checked.status).toBe(200);
    expect(checked.body.length).toBe(0);
    expect((await fetchBytes(answer.url, own(), 'HEAD')).status).toBe(200);
    const got = await fetchBytes(answer.url);
    expect(got.status).toBe(200);
    expect(got.body.length).toBeGreaterThan(0);
    // Spent: a HEAD now says so, as the GET does (with the reason in its JSON).
    expect((await fetchBytes(answer.url, own(), 'HEAD')).status).toBe(404);
    expect((await fetchBytes(answer.url, { ...own(), 'Sec-Fetch-Site': 'cross-site' }, 'HEAD')).status).toBe(403);
  });

  it('issues links only to the launch token, and validates what it is asked for', async () => {
    expect((await ask({ file: 'msel', sessionId: rehearsed }, '0'.repeat(64))).status).toBe(401);
    const presenter = host.issueToken({ role: 'presenter', sessionId: rehearsed });
    expect((await ask({ file: 'msel', sessionId: rehearsed }, presenter)).status).toBe(403);
    // The contract's rule, and a participant of that very session (the room's listener dispatches with such a grant) refused by it.
    expect(methods['exports.download'].access).toBe('facilitator');
    const participant = { role: 'participant', sessionId: rehearsed, teamId: 'team-1', participantId: 'p-1' } as const;
    const pending = services.downloadSaver;
    let issued = 0;
    services.downloadSaver = (download) => {
      issued++;
      return pending!(download);
    };
    try {
      for (const file of ['export', 'archive', 'msel'] as const) {
        const input = file === 'export' ? { file, sessionId: rehearsed, format: 'json' } : { file, sessionId: rehearsed };
        expect(await dispatch(services, 'exports.download', input, participant), file).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    } finally {
      services.downloadSaver = pending;
    }
    expect(issued).toBe(0);
    expect((await ask({ file: 'export', sessionId: rehearsed, format: 'pdf' })).body.error).toMatchObject({ code: 'invalid_input', path: '/format' });
    expect((await ask({ file: 'zip', sessionId: rehearsed })).body.error).toMatchObject({ code: 'invalid_input' });
    expect((await ask({ file: 'archive', sessionId: 'nope' })).body.error).toMatchObject({ code: 'not_found' });
    expect((await ask({ file: 'msel', sessionId: rehearsed, format: 'csv' })).body.error).toMatchObject({ code: 'invalid_input' });
  });
});
