/**
 * The participants' listener, attacked over real HTTPS on 127.0.0.1 (never a
 * LAN address in tests): authentication, grants, Host and Origin checks, body
 * limits, join-code throttling and many idle connections.
 */
import { PARTICIPANT_JOIN_BODY, PARTICIPANT_REQUEST_BODY } from '../../src-main/api/limits.ts';
import { chmodSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src-main/app/open.ts';
import { JOIN_FAILURES_ALLOWED, PARTICIPANT_ACTIONS_ALLOWED } from '../../src-main/app/participation.ts';
import type { Services } from '../../src-main/app/services.ts';
import { CERTIFICATE_FILE, loadOrCreateCertificate } from '../../src-main/hosts/lan/certificate.ts';
import { LanListener, startLanServer } from '../../src-main/hosts/lan/server.ts';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server.ts';
import { fakeParticipantBuild, httpsRequest, sessionAtDecision } from '../helpers/participants.ts';
import { tempDir } from '../helpers/tmp.ts';

const data = tempDir();
const renderer = tempDir();
let services: Services;
let lan: LanListener;
let web: WebHost;
let port: number;
let session: { sessionId: string; decisionId: string; options: string[] };
let code: string;

const loopbackOnly = () => [{ address: '127.0.0.1', family: 'IPv4' as const, interface: 'lo', internal: true }];
const host = () => ({ Host: `127.0.0.1:${port}` });

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return httpsRequest(port, {
    method: 'POST',
    path,
    headers: { 'Content-Type': 'application/json', ...host(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function joinAs(name: string, teamId: string, fromCode = code) {
  const res = await post('/api/join', { code: fromCode, name, teamId });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body).result as { token: string; participantId: string; teamId: string };
}

function call(token: string | null, method: string, input: unknown = {}) {
  return post('/api/call', { method, input }, token === null ? {} : { Authorization: `Bearer ${token}` });
}

beforeAll(async () => {
  fakeParticipantBuild(renderer.dir);
  services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios') });
  web = await startWebHost({ services, rendererDir: renderer.dir, port: 0 });
  lan = new LanListener({ services, dataDir: data.dir, rendererDir: renderer.dir, addresses: loopbackOnly });
  services.participantListener = lan;
  await lan.listen('127.0.0.1', 0);
  port = lan.state().listening!.port;
  session = await sessionAtDecision(services);
  code = (await services.handlers['sessions.openParticipation']({ sessionId: session.sessionId }, { role: 'facilitator' })).code;
});

afterAll(async () => {
  await lan.stop();
  await web.close();
  services.close();
  data.cleanup();
  renderer.cleanup();
});

describe("participants' listener", () => {
  it('serves HTTPS with an ECDSA P-256 certificate kept 0600 in the data folder, whose fingerprint the app shows', async () => {
    const listening = lan.state().listening!;
    expect(listening.url).toBe(`https://127.0.0.1:${port}/`);
    expect(listening.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const res = await httpsRequest(port, { headers: host() });
    expect(res.status).toBe(200);
    expect(res.fingerprint).toBe(listening.fingerprint);
    expect(statSync(join(data.dir, CERTIFICATE_FILE)).mode & 0o777).toBe(0o600);
    const { X509Certificate } = await import('node:crypto');
    const stored = JSON.parse((await import('node:fs')).readFileSync(join(data.dir, CERTIFICATE_FILE), 'utf8')) as { cert: string };
    expect(new X509Certificate(stored.cert).publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    const card = await services.handlers['presenter.joinCard']({ sessionId: session.sessionId }, { role: 'facilitator' });
    expect(card?.fingerprint).toBe(listening.fingerprint);
    expect(card?.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it('keeps the same certificate when the listener starts again, and its key 0600', async () => {
    const before = lan.state().listening!.fingerprint;
    chmodSync(join(data.dir, CERTIFICATE_FILE), 0o644);
    await lan.listen('127.0.0.1', port);
    expect(lan.state().listening!.fingerprint).toBe(before);
    expect(statSync(join(data.dir, CERTIFICATE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('serves only the participant page, never the facilitator console or its code', async () => {
    expect((await httpsRequest(port, { path: '/', headers: host() })).body).toContain('Join');
    expect((await httpsRequest(port, { path: '/assets/participant-1.js', headers: host() })).status).toBe(200);
    expect((await httpsRequest(port, { path: '/index.html', headers: host() })).status).toBe(404);
    expect((await httpsRequest(port, { path: '/assets/index-1.js', headers: host() })).status).toBe(404);
    expect((await httpsRequest(port, { path: '/.vite/manifest.json', headers: host() })).status).toBe(404);
    expect((await httpsRequest(port, { path: '/%2e%2e/%2e%2e/etc/passwd', headers: host() })).status).toBe(404);
  });

  it('refuses a listener on an address this machine does not have', async () => {
    await expect(lan.listen('203.0.113.7', 0)).rejects.toThrow(/not an address of this machine/);
    expect(lan.state().listening?.port).toBe(port);
  });

  it('gives a 256-bit token to a participant who joins with the code, and records the join', async () => {
    const joined = await joinAs('ana', 'team-1');
    expect(joined.token).toMatch(/^[0-9a-f]{64}$/);
    expect(joined.teamId).toBe('team-1');
    const events = services.sessions.events(session.sessionId, 0);
    const record = events.find((e) => e.type === 'participant.joined' && (e.payload as { participantId: string }).participantId === joined.participantId);
    expect(record?.teamId).toBe('team-1');
    // The roster's role is taken from setup when the name matches.
    expect((record?.payload as { role?: string }).role).toBe('Incident commander');
    expect(services.sessions.verify(session.sessionId).ok).toBe(true);
  });

  it('lists the teams one may join, given the code', async () => {
    const res = await post('/api/teams', { code });
    expect(JSON.parse(res.body).result.teams).toEqual([
      { id: 'team-1', name: 'Blue' },
      { id: 'team-2', name: 'Red' },
    ]);
  });

  it('accepts the code as people type it (lower case, spaces, a dash)', async () => {
    const typed = `${code.slice(0, 5).toLowerCase()} - ${code.slice(5)}`;
    await joinAs('Typed', 'team-2', typed);
  });

  it('refuses calls with no token, a wrong token, a facilitator token or a presenter token', async () => {
    const presenterToken = web.issueToken({ role: 'presenter', sessionId: session.sessionId });
    for (const token of [null, 'f'.repeat(64), 'not-a-token', web.token, presenterToken]) {
      const res = await call(token, 'participant.view');
      expect(res.status, String(token)).toBe(401);
    }
    const events = await httpsRequest(port, { path: `/api/events?token=${web.token}`, headers: host() });
    expect(events.status).toBe(401);
  });

  it('does not serve the facilitator API, even to a participant', async () => {
    const { token } = await joinAs('Bea', 'team-1');
    for (const method of ['sessions.list', 'sessions.get', 'sessions.recordDecision', 'presenter.view', 'sessions.votes', 'library.get']) {
      const res = await call(token, method, { sessionId: session.sessionId, teamId: 'team-1' });
      expect(res.status, method).toBe(404);
      expect(JSON.parse(res.body).error.code).toBe('unknown_method');
    }
  });

  it("lets a participant's token act only for its own team", async () => {
    const blue = await joinAs('Cai', 'team-1');
    const red = await joinAs('Dee', 'team-2');
    const view = JSON.parse((await call(red.token, 'participant.view')).body).result;
    expect(view.participant.teamId).toBe('team-2');
    expect(view.room.team.id).toBe('team-2');
    // Input cannot name another team or session: the schemas are strict.
    const forged = await call(red.token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[0], confidence: 3, teamId: 'team-1' });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).error.path).toBe('/teamId');
    const vote = await call(red.token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[0], confidence: 3 });
    expect(vote.status, vote.body).toBe(200);
    const blueVotes = await services.handlers['sessions.votes']({ sessionId: session.sessionId, teamId: 'team-1' }, { role: 'facilitator' });
    expect(blueVotes.votes.some((v) => v.participantId === red.participantId)).toBe(false);
    const redVotes = await services.handlers['sessions.votes']({ sessionId: session.sessionId, teamId: 'team-2' }, { role: 'facilitator' });
    expect(redVotes.votes.map((v) => v.participantId)).toContain(red.participantId);
    expect(blue.teamId).toBe('team-1');
  });

  it("serves a participant only images their scenario's evidence names", async () => {
    const { token } = await joinAs('Asa', 'team-1');
    const res = await call(token, 'participant.asset', { path: '../../sandtable.db' });
    expect([400, 404]).toContain(res.status);
    expect(JSON.parse(res.body).ok).toBe(false);
  });

  it('never shows a participant facilitator-only content', async () => {
    const { token } = await joinAs('Eve', 'team-1');
    const body = (await call(token, 'participant.view')).body;
    const scenario = services.sessions.scenario(session.sessionId);
    const decision = scenario.timeline.find((n) => n.id === session.decisionId);
    expect(decision?.type).toBe('decision');
    if (decision?.type !== 'decision') return;
    expect(body).not.toContain('"recommended"');
    expect(body).not.toContain('facilitatorNotes');
    expect(body).not.toContain('"score"');
    expect(body).not.toContain('expectedActions');
    for (const option of decision.options) if (option.rationale) expect(body).not.toContain(option.rationale);
    for (const node of scenario.timeline) if ('facilitatorNotes' in node && typeof node.facilitatorNotes === 'string') expect(body).not.toContain(node.facilitatorNotes);
  });

  it('refuses a forged Host header and cross-origin requests', async () => {
    const { token } = await joinAs('Fay', 'team-1');
    const forged = await httpsRequest(port, { path: '/', headers: { Host: 'evil.example:443' } });
    expect(forged.status).toBe(403);
    const forgedApi = await post('/api/call', { method: 'participant.view', input: {} }, { Host: `localhost:${port}`, Authorization: `Bearer ${token}` });
    expect(forgedApi.status).toBe(403);
    const crossOrigin = await post('/api/call', { method: 'participant.view', input: {} }, { Origin: 'https://evil.example', Authorization: `Bearer ${token}` });
    expect(crossOrigin.status).toBe(403);
    const crossJoin = await post('/api/join', { code, name: 'Mallory', teamId: 'team-1' }, { Origin: `http://127.0.0.1:${port}` });
    expect(crossJoin.status).toBe(403);
    const sameOrigin = await post('/api/call', { method: 'participant.view', input: {} }, { Origin: `https://127.0.0.1:${port}`, Authorization: `Bearer ${token}` });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses oversized bodies with 413 and keeps serving', async () => {
    const { token } = await joinAs('Gus', 'team-1');
    const huge = JSON.stringify({ method: 'participant.ask', input: { text: 'x'.repeat(PARTICIPANT_REQUEST_BODY.bytes) } });
    const declared = await post('/api/call', huge, { Authorization: `Bearer ${token}` });
    expect(declared.status).toBe(413);
    // Before a token, a body is refused far below a participant's call.
    const joinHuge = await post('/api/join', JSON.stringify({ code, name: 'y'.repeat(PARTICIPANT_JOIN_BODY.bytes), teamId: 'team-1' }));
    expect(joinHuge.status).toBe(413);
    expect(PARTICIPANT_JOIN_BODY.bytes).toBeLessThan(PARTICIPANT_REQUEST_BODY.bytes / 16);
    expect((await call(token, 'participant.view')).status).toBe(200);
  });

  it('validates input and names the JSON path', async () => {
    const { token } = await joinAs('Hal', 'team-1');
    const res = await call(token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[0], confidence: 9 });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.path).toBe('/confidence');
    const badJoin = await post('/api/join', { code, name: '', teamId: 'team-1' });
    expect(JSON.parse(badJoin.body).error.path).toBe('/name');
    const noTeam = await post('/api/join', { code, name: 'Ivy', teamId: 'team-9' });
    expect(noTeam.status).toBe(404);
    expect(JSON.parse(noTeam.body).error.path).toBe('/teamId');
  });

  it('lets a removed participant do nothing more', async () => {
    const { token, participantId } = await joinAs('Jo', 'team-1');
    await services.handlers['sessions.removeParticipant']({ sessionId: session.sessionId, participantId, reason: 'Left the room' }, { role: 'facilitator' });
    expect((await call(token, 'participant.view')).status).toBe(401);
  });

  it('throttles wrong join codes per client address (429), even for the right code afterwards', async () => {
    for (let i = 0; i < JOIN_FAILURES_ALLOWED; i++) {
      const res = await post('/api/join', { code: `WRONG${String(i).padStart(5, '2')}`, name: 'Brute', teamId: 'team-1' });
      expect(res.status).toBe(403);
    }
    const blocked = await post('/api/join', { code, name: 'Brute', teamId: 'team-1' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(JSON.parse(blocked.body).error.code).toBe('rate_limited');
    // People who already joined from that address keep working.
    expect(services.participation.state(session.sessionId).participants.length).toBeGreaterThan(3);
  });

  it('keeps answering a participant while 1,000 idle connections are held open', async () => {
    // 127.0.0.1 is throttled now: this participant joins from another address, through the app layer.
    const joined = services.participation.join({ code, name: 'Kim', teamId: 'team-2' }, '192.0.2.10');
    const sockets: Socket[] = [];
    try {
      await Promise.all(
        Array.from(
          { length: 1000 },
          () =>
            new Promise<void>((resolve, reject) => {
              const socket = connect(port, '127.0.0.1', () => resolve());
              socket.on('error', reject);
              sockets.push(socket);
            }),
        ),
      );
      const res = await call(joined.token, 'participant.view');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).result.participant.name).toBe('Kim');
      expect(sockets.filter((s) => !s.destroyed)).toHaveLength(1000);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 60_000);

  it('closes connections that stay silent, whether or not they finished the TLS handshake', async () => {
    const certificate = await loadOrCreateCertificate(data.dir, ['127.0.0.1']);
    const quick = await startLanServer({ services, address: '127.0.0.1', port: 0, rendererDir: renderer.dir, certificate, idleTimeoutMs: 1500 });
    const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      const raw = connect(quick.port, '127.0.0.1');
      const handshaken = tlsConnect({ host: '127.0.0.1', port: quick.port, rejectUnauthorized: false });
      const hungUp = [closed(raw), closed(handshaken)];
      let secured = false;
      handshaken.once('secureConnect', () => (secured = true));
      raw.on('error', () => {});
      handshaken.on('error', () => {});
      // Neither sends a byte of HTTP: the listener must hang up on both by itself.
      await Promise.all(hungUp);
      expect(secured).toBe(true);
    } finally {
      await quick.close();
    }
  }, 30_000);

  it('lets votes change until the facilitator records the decision, then refuses them', async () => {
    const joined = services.participation.join({ code, name: 'Lee', teamId: 'team-1' }, '192.0.2.11');
    const first = await call(joined.token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[0], confidence: 2 });
    expect(first.status).toBe(200);
    const second = await call(joined.token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[1], confidence: 5, rationale: 'Changed my mind' });
    expect(second.status).toBe(200);
    const votes = await services.handlers['sessions.votes']({ sessionId: session.sessionId, teamId: 'team-1' }, { role: 'facilitator' });
    expect(votes.votes.find((v) => v.participantId === joined.participantId)).toMatchObject({ optionId: session.options[1], confidence: 5, rationale: 'Changed my mind' });
    services.sessions.teamCommand(session.sessionId, 'team-1', {
      type: 'decision.recorded',
      payload: { decisionId: session.decisionId, optionId: session.options[1]!, rationale: 'Team chose', decidedBy: 'Ana' },
    });
    const late = await call(joined.token, 'participant.vote', { decisionId: session.decisionId, optionId: session.options[0], confidence: 1 });
    expect(late.status).toBe(409);
    expect(JSON.parse(late.body).error.path).toBe('/decisionId');
    // The log still replays: participation records are not engine input.
    expect(services.sessions.verify(session.sessionId).ok).toBe(true);
  });

  it('refuses (429) a participant who records too much, so one phone cannot flood the log; others go on', async () => {
    const noisy = services.participation.join({ code, name: 'Noisy', teamId: 'team-2' }, '192.0.2.13');
    const quiet = services.participation.join({ code, name: 'Quiet', teamId: 'team-2' }, '192.0.2.14');
    const before = services.sessions.events(session.sessionId, 0).length;
    for (let i = 0; i < PARTICIPANT_ACTIONS_ALLOWED; i++) expect((await call(noisy.token, 'participant.ask', { text: `Question ${i}` })).status).toBe(200);
    const refused = await call(noisy.token, 'participant.ask', { text: 'One too many' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe('rate_limited');
    expect((await call(noisy.token, 'participant.feedback', { answers: { strengths: 'x' } })).status).toBe(429);
    expect(services.sessions.events(session.sessionId, 0).length).toBe(before + PARTICIPANT_ACTIONS_ALLOWED);
    expect((await call(quiet.token, 'participant.ask', { text: 'May I?' })).status).toBe(200);
  });

  it('kills the code with the session', async () => {
    await services.handlers['sessions.end']({ sessionId: session.sessionId, reason: 'done' }, { role: 'facilitator' });
    const res = services.participation.state(session.sessionId);
    expect(res.join).toBeNull();
    expect(() => services.participation.join({ code, name: 'Late', teamId: 'team-1' }, '192.0.2.12')).toThrow(/not valid/);
  });
});
