import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app/open.ts';
import type { Services } from '../../src-main/app/services.ts';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { rawRequest } from '../helpers/http.ts';
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
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectAlive();
  });

  it('refuses an oversized body with 413', async () => {
    const res = await call('x'.repeat(9 * 1024 * 1024));
    expect(res.status).toBe(413);
    await expectAlive();
  });

  it('requires the token for the event stream', async () => {
    const denied = await rawRequest(host.port, { path: '/api/events', headers: loopback() });
    expect(denied.status).toBe(401);
    const allowed = await rawRequest(host.port, { path: `/api/events?token=${host.token}`, headers: loopback(), readFor: 200 });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['content-type']).toContain('text/event-stream');
  });

  it('pushes contract events on the stream', async () => {
    const pending = rawRequest(host.port, { path: `/api/events?token=${host.token}`, headers: loopback(), readFor: 400 });
    await new Promise((r) => setTimeout(r, 150));
    services.events.emit('library.changed', {});
    const res = await pending;
    expect(res.body).toContain('data: {"name":"library.changed","payload":{}}');
  });

  it('serves the renderer with the strict CSP and security headers', async () => {
    const res = await rawRequest(host.port, { path: '/', headers: loopback() });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Sandtable');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/nope.js', '/%E0%A4%A']) {
      const res = await rawRequest(host.port, { path, headers: loopback() });
      expect([400, 404], path).toContain(res.status);
      expect(res.body).not.toContain('root:');
    }
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
    const pending = rawRequest(host.port, { path: `/api/events?token=${token}`, headers: loopback(), readFor: 500 });
    await new Promise((r) => setTimeout(r, 150));
    await call({ method: 'sessions.start', input: { sessionId: other } });
    await call({ method: 'sessions.start', input: { sessionId } });
    services.events.emit('library.changed', {});
    const body = (await pending).body;
    expect(body).toContain(`"sessionId":"${sessionId}"`);
    expect(body).not.toContain(other);
    expect(body).not.toContain('library.changed');
  });
});
