import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openApp } from '../../src-main/app/open.ts';
import type { Services } from '../../src-main/app/services.ts';
import { REQUEST_BODY, tooLarge } from '../../src-main/api/limits.ts';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { buildScenarioBundle } from '../../src-main/app/interop.ts';
import { openEventStream, rawRequest } from '../helpers/http.ts';
import { engineTestScenarioInput, withImageKinds } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

let host: WebHost;
let services: Services;
const data = tempDir();
const renderer = tempDir();

beforeAll(async () => {
  writeFileSync(join(renderer.dir, 'index.html'), '<!doctype html><title>Sandtable</title>');
  services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios') });
  host = await startWebHost({ services, rendererDir: renderer.dir, port: 0 });
});

afterAll(async () => {
  await host.close();
  services.close();
  data.cleanup();
  renderer.cleanup();
});

const loopback = () => ({ Host: `127.0.0.1:${host.port}` });

function call(body: unknown, headers: Record<string, string> = { ...loopback(), Authorization: `Bearer ${host.token}` }) {
  return rawRequest(host.port, {
    method: 'POST',
    path: '/api/call',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectAlive() {
  const res = await call({ method: 'library.list', input: {} });
  expect(res.status).toBe(200);
}

describe('web host', () => {
  it('prints a loopback URL carrying a 256-bit token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    expect(host.token).toHaveLength(64);
  });

  it('serves a contract call with a valid token', async () => {
    const res = await call({ method: 'library.list', input: {} });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.ok).toBe(true);
    expect(body.result.scenarios.length).toBeGreaterThan(0);
  });

  it('answers 401 without a token', async () => {
    const res = await call({ method: 'library.list', input: {} }, loopback());
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await expectAlive();
  });

  it('answers 401 with a wrong token', async () => {
    for (const token of ['0'.repeat(64), host.token.slice(0, 63) + (host.token.endsWith('a') ? 'b' : 'a'), 'short', host.token + '0']) {
      const res = await call({ method: 'library.list', input: {} }, { ...loopback(), Authorization: `Bearer ${token}` });
      expect(res.status, token).toBe(401);
    }
    await expectAlive();
  });

  it('answers 403 to a forged Host header, for the API and for static files', async () => {
    for (const Host of ['evil.example.com', `evil.example.com:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `0.0.0.0:${host.port}`]) {
      const api = await call({ method: 'library.list', input: {} }, { Host, Authorization: `Bearer ${host.token}` });
      expect(api.status, Host).toBe(403);
      const page = await rawRequest(host.port, { path: '/', headers: { Host } });
      expect(page.status, Host).toBe(403);
    }
    await expectAlive();
  });

  it('refuses a cross-origin caller even with the token', async () => {
    const res = await call({ method: 'library.list', input: {} }, { ...loopback(), Authorization: `Bearer ${host.token}`, Origin: 'http://evil.example.com' });
    expect(res.status).toBe(403);
  });

  it('returns a typed error for an unknown method', async () => {
    const res = await call({ method: 'session.destroyEverything', input: {} });
    expect(res.status).toBe(404);
    const body = JSON.parse(res.body);
    expect(body).toEqual({ ok: false, error: { code: 'unknown_method', message: expect.any(String), path: '' } });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    await expectAlive();
  });

  it('returns a typed error naming the offending path for invalid input', async () => {
    const res = await call({ method: 'library.list', input: { bogus: 1 } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('/bogus'), path: '/bogus' } });
    await expectAlive();
  });

  it('survives malformed bodies', async () => {
    for (const body of ['not json', '[]', 'null', '{"method":', '"x"', '{"method": {"__proto__": {"polluted": 1}}}']) {
      const res = await call(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(res.body).ok).toBe(false);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    await expectAlive();
  });

  it('refuses an oversized body with 413', async () => {
    const res = await call('x'.repeat(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toBe(`The request body ${tooLarge(REQUEST_BODY)}.`);
    await expectAlive();
  });

  it('requires the token for the event stream', async () => {
    const denied = await rawRequest(host.port, { path: '/api/events', headers: loopback() });
    expect(denied.status).toBe(401);
    // Waits for the stream's first bytes (it is subscribed by then), not for a while.
    const allowed = openEventStream(host.port, `/api/events?token=${host.token}`, loopback());
    expect(await allowed.opened).toBe(200);
    expect(allowed.contentType()).toContain('text/event-stream');
    allowed.close();
  });

  it('pushes contract events on the stream', async () => {
    const stream = openEventStream(host.port, `/api/events?token=${host.token}`, loopback());
    expect(await stream.opened).toBe(200);
    services.events.emit('library.changed', {});
    await expect.poll(stream.body).toContain('data: {"name":"library.changed","payload":{}}');
    stream.close();
  });

  it('serves the renderer with the strict CSP and security headers', async () => {
    const res = await rawRequest(host.port, { path: '/', headers: loopback() });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Sandtable');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    // The event socket of this host, and no other, besides 'self'.
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port};`);
    expect(csp.match(/ws:\/\/[^ ;]+/g)).toEqual([`ws://127.0.0.1:${host.port}`, `ws://localhost:${host.port}`]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/nope.js', '/%E0%A4%A', '/index.html/x', '/%00', `/${'a'.repeat(5000)}`]) {
      const res = await rawRequest(host.port, { path, headers: loopback() });
      expect([400, 404], path).toContain(res.status);
      expect(res.body).not.toContain('root:');
    }
  });

  it('serves a file again as it is now once it changed (a rebuild), and a removed one no longer', async () => {
    const file = join(renderer.dir, 'changing.js');
    writeFileSync(file, 'export const version = 1;\n');
    const first = await rawRequest(host.port, { path: '/changing.js', headers: loopback() });
    expect(first.body).toBe('export const version = 1;\n');
    expect(first.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    writeFileSync(file, 'export const version = 22;\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await rawRequest(host.port, { path: '/changing.js', headers: loopback() })).body).toBe('export const version = 22;\n');
    rmSync(file);
    expect((await rawRequest(host.port, { path: '/changing.js', headers: loopback() })).status).toBe(404);
  });

  it('sends the CSP on API and error responses too', async () => {
    const res = await call({ method: 'nope', input: {} });
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
  });
});

describe('presenter links', () => {
  async function newSession(): Promise<string> {
    const res = await call({ method: 'sessions.create', input: { scenarioId: 'sample-leaked-key', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }] } });
    expect(res.status).toBe(200);
    return JSON.parse(res.body).result.id;
  }

  it('grants read-only access to one session alone', async () => {
    const sessionId = await newSession();
    const other = await newSession();
    const opened = JSON.parse((await call({ method: 'sessions.openPresenter', input: { sessionId, teamId: 'team-1' } })).body);
    expect(opened.ok).toBe(true);
    expect(opened.result.opened).toBe(false);
    const url = new URL(opened.result.url);
    expect(url.host).toBe(`127.0.0.1:${host.port}`);
    expect(url.hash).toMatch(new RegExp(`^#/present/${sessionId}/team-1&token=[0-9a-f]{64}$`));
    const token = url.hash.split('token=')[1]!;
    expect(token).not.toBe(host.token);
    const asPresenter = (method: string, input: unknown) => call({ method, input }, { ...loopback(), Authorization: `Bearer ${token}` });

    const view = await asPresenter('presenter.view', { sessionId, teamId: 'team-1' });
    expect(view.status).toBe(200);
    expect(JSON.parse(view.body).result.team.name).toBe('Red');

    for (const [method, input] of [
      ['sessions.get', { sessionId }],
      ['sessions.pause', { sessionId }],
      ['sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'x', optionId: 'y' }],
      ['library.list', {}],
      ['library.get', { id: 'sample-leaked-key' }],
      ['sessions.openPresenter', { sessionId, teamId: 'team-1' }],
      ['presenter.view', { sessionId: other, teamId: 'team-1' }],
    ] as const) {
      const res = await asPresenter(method, input);
      expect(res.status, method).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe('forbidden');
    }
  });

  it('opens the room view of the whole session with teamId omitted, under a grant for that session alone', async () => {
    const sessionId = await newSession();
    const other = await newSession();
    const opened = JSON.parse((await call({ method: 'sessions.openPresenter', input: { sessionId } })).body);
    expect(opened.ok).toBe(true);
    const url = new URL(opened.result.url);
    expect(url.hash).toMatch(new RegExp(`^#/present/${sessionId}&token=[0-9a-f]{64}$`));
    const token = url.hash.split('token=')[1]!;
    const asPresenter = (method: string, input: unknown) => call({ method, input }, { ...loopback(), Authorization: `Bearer ${token}` });
    const room = await asPresenter('presenter.room', { sessionId });
    expect(room.status).toBe(200);
    expect(JSON.parse(room.body).result.teams.map((t: { name: string }) => t.name)).toEqual(['Red']);
    expect((await asPresenter('presenter.view', { sessionId, teamId: 'team-1' })).status).toBe(200);
    // The room obeys: it may not drive itself, read the facilitator's display state, or see another session.
    for (const [method, input] of [
      ['sessions.setRoom', { sessionId, clock: false }],
      ['sessions.room', { sessionId }],
      ['presenter.room', { sessionId: other }],
    ] as const) {
      const res = await asPresenter(method, input);
      expect(res.status, method).toBe(403);
    }
  });

  it('serves a projector only the images its screens show, refused alike whether or not the file exists; the facilitator any of the scenario', async () => {
    const input = engineTestScenarioInput();
    withImageKinds(input);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const dataUrl = `data:image/png;base64,${png.toString('base64')}`;
    const bundle = await buildScenarioBundle(JSON.stringify(input), () => png);
    expect(JSON.parse((await call({ method: 'library.importBundle', input: { base64: bundle.content.toString('base64') } })).body)).toMatchObject({
      ok: true,
      result: { ok: true },
    });
    const facilitator = async (method: string, input: unknown) => JSON.parse((await call({ method, input })).body).result;
    const { id: sessionId } = await facilitator('sessions.create', {
      scenarioId: 'engine-test',
      name: 'Images',
      facilitator: 'F',
      teams: [{ name: 'Red' }, { name: 'Blue' }],
      speed: 0,
    });
    const token = new URL((await facilitator('sessions.openPresenter', { sessionId })).url).hash.split('token=')[1]!;
    const asset = async (path: string, bearer = token) =>
      JSON.parse((await call({ method: 'presenter.asset', input: { sessionId, path } }, { ...loopback(), Authorization: `Bearer ${bearer}` })).body);
    const shown = { ok: true, result: { dataUrl } };
    const refused = (path: string) => ({ ok: false, error: { code: 'not_found', path: '/path', message: `This screen shows no image ${JSON.stringify(path)}.` } });

    // Before the start nothing is on screen.
    expect(await asset('assets/delivered.png')).toEqual(refused('assets/delivered.png'));
    await facilitator('sessions.start', { sessionId });
    // The first inject is on screen, its image with it (the room shows evidence for Legal too, labelled; phones filter by role).
    expect(await asset('assets/delivered.png')).toEqual(shown);
    expect(await asset('assets/legal-only.png')).toEqual(shown);
    // Not yet delivered, held back, named by no inject, not in the scenario at all, outside its folder: the same answer.
    // Other spellings of a file (of one on screen, too) are not normalised into it: refused alike.
    const spellings = ['./assets/later.png', 'ASSETS/LATER.PNG', 'assets%2Flater.png', 'assets/../assets/later.png', './assets/delivered.png'];
    for (const path of ['assets/later.png', 'assets/held.png', 'assets/facilitator-only.png', 'assets/missing.png', '../sandtable.db', 'scenario.json', ...spellings]) {
      expect(await asset(path), path).toEqual(refused(path));
    }
    // The facilitator's console previews what is to come.
    expect(await asset('assets/later.png', host.token)).toEqual(shown);
    expect(await asset('assets/facilitator-only.png', host.token)).toEqual(shown);
    // Revealed to one team, the held image is on the room screen.
    await facilitator('sessions.revealEvidence', { sessionId, teamId: 'team-2', evidenceId: 'held' });
    expect(await asset('assets/held.png')).toEqual(shown);
    // Once the teams move on to the next inject, its image shows and the first one's no longer does.
    await facilitator('sessions.advance', { sessionId });
    expect((await facilitator('presenter.room', { sessionId })).teams.map((t: { inject: { id: string } }) => t.inject.id)).toEqual(['i2', 'i2']);
    expect(await asset('assets/later.png')).toEqual(shown);
    expect(await asset('assets/delivered.png')).toEqual(refused('assets/delivered.png'));
    // A presenter of another session gets nothing of this one.
    const otherId = await newSession();
    const otherToken = new URL((await facilitator('sessions.openPresenter', { sessionId: otherId })).url).hash.split('token=')[1]!;
    expect(await asset('assets/later.png', otherToken)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('leaves PDF output to the browser under the web host', async () => {
    const sessionId = await newSession();
    const res = JSON.parse((await call({ method: 'reports.savePdf', input: { sessionId } })).body);
    expect(res).toEqual({ ok: true, result: { supported: false, saved: null } });
  });

  it('streams only its own session to a presenter', async () => {
    const sessionId = await newSession();
    const other = await newSession();
    const opened = JSON.parse((await call({ method: 'sessions.openPresenter', input: { sessionId, teamId: 'team-1' } })).body);
    const token = new URL(opened.result.url).hash.split('token=')[1]!;
    const stream = openEventStream(host.port, `/api/events?token=${token}`, loopback());
    expect(await stream.opened).toBe(200);
    await call({ method: 'sessions.start', input: { sessionId: other } });
    services.events.emit('library.changed', {});
    await call({ method: 'sessions.start', input: { sessionId } });
    // Events reach a stream in the order they were emitted: once its own session's change is
    // there, anything it was wrongly given before would be there too.
    await expect.poll(stream.body).toContain(`"sessionId":"${sessionId}"`);
    const body = stream.body();
    stream.close();
    expect(body).not.toContain(other);
    expect(body).not.toContain('library.changed');
  });
});

describe('event sockets (what the renderer uses)', () => {
  /** Opens a WebSocket to the host; resolves with the socket and what it heard, or with the HTTP status it was refused with. */
  function connect(path: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; heard: string[] } | { refused: number }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers: { Host: `127.0.0.1:${host.port}`, ...headers } });
      const heard: string[] = [];
      ws.on('message', (data: Buffer) => heard.push(data.toString('utf8')));
      ws.on('open', () => resolve({ ws, heard }));
      ws.on('unexpected-response', (_req, res) => {
        resolve({ refused: res.statusCode ?? 0 });
        res.resume();
        ws.terminate();
      });
      ws.on('error', (error) => reject(error));
    });
  }

  async function expectRefused(path: string, headers: Record<string, string>, status: number): Promise<void> {
    const result = await connect(path, headers).catch((error: unknown) => ({ error }));
    expect(result, path).toEqual({ refused: status });
  }

  it('requires a valid token', async () => {
    await expectRefused('/api/events', {}, 401);
    await expectRefused(`/api/events?token=${'0'.repeat(64)}`, {}, 401);
    await expectRefused(`/api/events?token=${host.token}0`, {}, 401);
    await expectAlive();
  });

  it('refuses a forged Host, a foreign Origin and any other path, even with the token', async () => {
    for (const Host of ['evil.example.com', `evil.example.com:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      await expectRefused(`/api/events?token=${host.token}`, { Host }, 403);
    }
    await expectRefused(`/api/events?token=${host.token}`, { Origin: 'http://evil.example.com' }, 403);
    await expectRefused(`/api/events?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port + 1}` }, 403);
    await expectRefused(`/api/call?token=${host.token}`, {}, 404);
    await expectRefused(`/?token=${host.token}`, {}, 404);
    await expectAlive();
  });

  it('pushes contract events to the facilitator', async () => {
    const opened = await connect(`/api/events?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port}` });
    if (!('ws' in opened)) throw new Error(`refused with ${opened.refused}`);
    services.events.emit('library.changed', {});
    await expect.poll(() => opened.heard).toContain('{"name":"library.changed","payload":{}}');
    opened.ws.close();
  });

  it('reads nothing from a socket: a small message changes nothing, a large one closes it', async () => {
    const opened = await connect(`/api/events?token=${host.token}`);
    if (!('ws' in opened)) throw new Error(`refused with ${opened.refused}`);
    opened.ws.send(JSON.stringify({ method: 'library.list', input: {} }));
    services.events.emit('library.changed', {});
    await expect.poll(() => opened.heard).toEqual(['{"name":"library.changed","payload":{}}']);
    const code = new Promise<number>((resolve) => opened.ws.once('close', (c: number) => resolve(c)));
    opened.ws.send('x'.repeat(4096));
    expect(await code).toBe(1009); // message too big
    await expectAlive();
  });

  it('gives a presenter only its own session, and keeps serving after the socket closes', async () => {
    const created = async () =>
      JSON.parse((await call({ method: 'sessions.create', input: { scenarioId: 'sample-leaked-key', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }] } })).body).result
        .id as string;
    const sessionId = await created();
    const other = await created();
    const opened = JSON.parse((await call({ method: 'sessions.openPresenter', input: { sessionId, teamId: 'team-1' } })).body);
    const token = new URL(opened.result.url).hash.split('token=')[1]!;
    const socket = await connect(`/api/events?token=${token}`);
    if (!('ws' in socket)) throw new Error(`refused with ${socket.refused}`);
    await call({ method: 'sessions.start', input: { sessionId: other } });
    services.events.emit('library.changed', {});
    await call({ method: 'sessions.start', input: { sessionId } });
    await expect.poll(() => socket.heard.join('\n')).toContain(`"sessionId":"${sessionId}"`);
    expect(socket.heard.join('\n')).not.toContain(other);
    expect(socket.heard.join('\n')).not.toContain('library.changed');

    const closed = new Promise((resolve) => socket.ws.once('close', resolve));
    socket.ws.close();
    await closed;
    const count = socket.heard.length;
    await call({ method: 'sessions.pause', input: { sessionId } });
    await expectAlive();
    expect(socket.heard.length).toBe(count);
  });
});
