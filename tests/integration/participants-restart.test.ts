/**
 * The room survives the facilitator's app restarting. A child process (the
 * app as a host opens it: tests/crash/participants-child.ts) serves the
 * facilitator API on loopback and the participants' listener on 127.0.0.1;
 * phones join and vote over real HTTPS; the child is stopped (SIGTERM, as the
 * hosts quit) or killed (SIGKILL, mid-vote) and started again on the same
 * data folder. After each start: the listener is back on the same port with
 * the same certificate, joined phones' tokens still work, what was
 * acknowledged is there, a removed participant's token does not work, an
 * ended session's tokens open only its hot wash and only for the window,
 * and its code opens nothing; wrong codes are still refused and throttled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOT_WASH_GRANT_MS, JOIN_FAILURES_ALLOWED } from '../../src-main/app/participation.ts';
import { rawRequest } from '../helpers/http.ts';
import { fakeParticipantBuild, httpsRequest } from '../helpers/participants.ts';
import { tempDir } from '../helpers/tmp.ts';

const data = tempDir('sandtable-restart-');
const renderer = tempDir('sandtable-restart-renderer-');

interface Running {
  child: ChildProcess;
  webPort: number;
  webToken: string;
  lanPort: number | null;
  fingerprint: string | null;
  sessions: Array<{ id: string; code: string }>;
  stderr: () => string;
}

let app: Running | null = null;

/** Starts the app on the data folder (its clock `offsetMs` ahead of the system's) and waits until it listens. */
function start(offsetMs = 0): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/crash/participants-child.ts', data.dir, renderer.dir, join(process.cwd(), 'scenarios'), String(offsetMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      reject(new Error(`the app exited (${String(code)}) before it was ready:\n${stdout}\n${stderr}`));
    });
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const ready = /^READY (\d+) ([0-9a-f]{64}) (\d+|-) (\S+)$/m.exec(stdout);
      if (!ready) return;
      clearTimeout(guard);
      child.removeAllListeners('exit');
      const sessions = [...stdout.matchAll(/^SESSION (\S+) (\S+)$/gm)].map((m) => ({ id: m[1]!, code: m[2]! }));
      resolve({
        child,
        webPort: Number(ready[1]),
        webToken: ready[2]!,
        lanPort: ready[3] === '-' ? null : Number(ready[3]),
        fingerprint: ready[4] === '-' ? null : ready[4]!,
        sessions,
        stderr: () => stderr,
      });
    });
  });
}

function stop(running: Running, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill(signal);
  });
}

/** A facilitator call on the app's loopback web host. */
async function facilitator(method: string, input: unknown): Promise<any> {
  const res = await rawRequest(app!.webPort, {
    method: 'POST',
    path: '/api/call',
    headers: { Host: `127.0.0.1:${app!.webPort}`, 'Content-Type': 'application/json', Authorization: `Bearer ${app!.webToken}` },
    body: JSON.stringify({ method, input }),
  });
  const parsed = JSON.parse(res.body);
  if (!parsed.ok) throw new Error(`${method}: ${res.body}`);
  return parsed.result;
}

/** A request to the participants' listener, as a phone sends it. */
async function phone(path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const port = app!.lanPort!;
  const res = await httpsRequest(port, {
    method: 'POST',
    path,
    headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(res.fingerprint).toBe(app!.fingerprint);
  return { status: res.status, body: JSON.parse(res.body) };
}

const call = (token: string, method: string, input: unknown = {}) => phone('/api/call', { method, input }, token);

async function joinAs(code: string, name: string, teamId: string): Promise<{ token: string; participantId: string }> {
  const res = await phone('/api/join', { code, name, teamId });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result;
}

async function decisionOf(token: string): Promise<{ id: string; options: string[] }> {
  const view = await call(token, 'participant.view');
  expect(view.status, JSON.stringify(view.body)).toBe(200);
  const decision = view.body.result.room.decision;
  return { id: decision.id, options: decision.options.map((o: { id: string }) => o.id) };
}

const tokens: Record<string, { token: string; participantId: string }> = {};
let first: { lanPort: number; fingerprint: string; running: { id: string; code: string }; ended: { id: string; code: string } };

beforeAll(() => fakeParticipantBuild(renderer.dir));

afterAll(async () => {
  if (app && app.child.exitCode === null) await stop(app, 'SIGKILL');
  data.cleanup();
  renderer.cleanup();
});

describe('the room across a restart of the app', () => {
  it('first run: people join, vote, one is removed, one session ends', async () => {
    app = await start();
    expect(app.lanPort).not.toBeNull();
    const [running, ended] = app.sessions as [{ id: string; code: string }, { id: string; code: string }];
    first = { lanPort: app.lanPort!, fingerprint: app.fingerprint!, running, ended };
    tokens.ana = await joinAs(running.code, 'Ana', 'team-1');
    tokens.bo = await joinAs(running.code, 'Bo', 'team-1');
    tokens.cy = await joinAs(running.code, 'Cy', 'team-2');
    tokens.dee = await joinAs(running.code, 'Dee', 'team-2');
    tokens.eve = await joinAs(ended.code, 'Eve', 'team-1');
    const decision = await decisionOf(tokens.ana.token);
    expect((await call(tokens.ana.token, 'participant.vote', { decisionId: decision.id, optionId: decision.options[0], confidence: 4, rationale: 'Rotate first' })).status).toBe(
      200,
    );
    await facilitator('sessions.removeParticipant', { sessionId: running.id, participantId: tokens.dee.participantId, reason: 'Left the room' });
    expect((await call(tokens.dee.token, 'participant.view')).status).toBe(401);
    await facilitator('sessions.end', { sessionId: ended.id, reason: 'Time' });
    expect((await call(tokens.eve.token, 'participant.view')).body.result.room.status).toBe('ended');

    // Only hashes at rest: no token is anywhere in the data folder's files (the database, its WAL).
    const files = readdirSync(data.dir).filter((f) => f.startsWith('sandtable.db'));
    expect(files).toContain('sandtable.db');
    const atRest = files.map((f) => readFileSync(join(data.dir, f)).toString('latin1')).join('');
    for (const { token } of Object.values(tokens)) expect(atRest).not.toContain(token);

    expect(await stop(app, 'SIGTERM')).toBe(0);
  }, 120_000);

  it('after a clean restart: the same listener, the joined phones keep working, the removed and the wrong code do not', async () => {
    app = await start();
    expect(app.stderr()).toBe('');
    expect(app.lanPort).toBe(first.lanPort);
    expect(app.fingerprint).toBe(first.fingerprint);

    const ana = await call(tokens.ana!.token, 'participant.view');
    expect(ana.status).toBe(200);
    expect(ana.body.result.myVote).toMatchObject({ confidence: 4, rationale: 'Rotate first' });
    const decision = await decisionOf(tokens.bo!.token);
    expect((await call(tokens.bo!.token, 'participant.vote', { decisionId: decision.id, optionId: decision.options[1], confidence: 2, rationale: 'Wait' })).status).toBe(200);
    expect((await call(tokens.cy!.token, 'participant.ask', { text: 'Still here?' })).status).toBe(200);
    expect((await call(tokens.dee!.token, 'participant.view')).status).toBe(401);
    expect((await call('0'.repeat(64), 'participant.view')).status).toBe(401);

    // The ended session's phone still sees its hot wash (inside the window); the session's code opens nothing.
    const eve = await call(tokens.eve!.token, 'participant.view');
    expect(eve.status).toBe(200);
    expect(eve.body.result.room.status).toBe('ended');
    expect((await phone('/api/teams', { code: first.ended.code })).status).toBe(403);

    // The running session's code is still open (the room screen shows the same one), and late-comers join with it.
    const joinInfo = await facilitator('sessions.participation', { sessionId: first.running.id });
    expect(joinInfo.join).toMatchObject({ code: first.running.code, url: `https://127.0.0.1:${first.lanPort}/`, fingerprint: first.fingerprint });
    expect(joinInfo.participants.map((p: { name: string; removed: boolean }) => `${p.name}${p.removed ? ' (removed)' : ''}`)).toEqual(['Ana', 'Bo', 'Cy', 'Dee (removed)']);
    for (const name of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6']) tokens[name] = await joinAs(first.running.code, name, 'team-2');

    // Wrong codes (the ended session's above was one): refused, then throttled.
    for (let i = 0; i < JOIN_FAILURES_ALLOWED - 2; i++) expect((await phone('/api/teams', { code: 'WRONGCODE1' })).status).toBe(403);
    expect((await phone('/api/join', { code: 'WRONGCODE2', name: 'Mallory', teamId: 'team-1' })).status).toBe(403);
    expect((await phone('/api/teams', { code: first.running.code })).status).toBe(429);
  }, 120_000);

  it('killed mid-vote (SIGKILL): every acknowledged join and vote is there after the next start', async () => {
    const voters = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
    const decision = await decisionOf(tokens.P1!.token);
    const acked = new Set<string>();
    const running = app!;
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    await Promise.all(
      voters.map((name, i) =>
        call(tokens[name]!.token, 'participant.vote', { decisionId: decision.id, optionId: decision.options[i % 2], confidence: 3, rationale: `Vote of ${name}` }).then(
          (res) => {
            if (res.status === 200) acked.add(name);
            running.child.kill('SIGKILL'); // as soon as the first vote is acknowledged, the others still under way
          },
          () => undefined, // the connection died with the app: not acknowledged
        ),
      ),
    );
    running.child.kill('SIGKILL');
    await exited;
    expect(acked.size).toBeGreaterThan(0);

    app = await start();
    expect(app.lanPort).toBe(first.lanPort);
    expect(app.fingerprint).toBe(first.fingerprint);
    for (const name of voters) {
      const view = await call(tokens[name]!.token, 'participant.view');
      expect(view.status, name).toBe(200);
      if (acked.has(name)) expect(view.body.result.myVote, name).toMatchObject({ rationale: `Vote of ${name}` });
    }
    // The throttle lives in memory; the code itself is still checked.
    expect((await phone('/api/teams', { code: 'WRONGCODE3' })).status).toBe(403);
    expect((await call(tokens.dee!.token, 'participant.view')).status).toBe(401);
    const votes = await facilitator('sessions.votes', { sessionId: first.running.id, teamId: 'team-2', decisionId: decision.id });
    expect(votes.votes.map((v: { name: string }) => v.name).sort()).toEqual(expect.arrayContaining([...acked]));
    expect(await stop(app, 'SIGTERM')).toBe(0);
  }, 120_000);

  it('past the hot-wash window an ended session’s tokens open nothing; a listener the facilitator stopped stays stopped', async () => {
    app = await start(HOT_WASH_GRANT_MS + 60_000);
    expect(app.lanPort).toBe(first.lanPort);
    expect((await call(tokens.eve!.token, 'participant.view')).status).toBe(401);
    expect((await call(tokens.ana!.token, 'participant.view')).status).toBe(200);
    await facilitator('participation.stop', {});
    expect(await stop(app, 'SIGTERM')).toBe(0);

    app = await start(HOT_WASH_GRANT_MS + 120_000);
    expect(app.lanPort).toBeNull();
    const listener = await facilitator('participation.listener', {});
    expect(listener.listening).toBeNull();
    // Started again by the facilitator, the same port is free to take and the phones' tokens still work.
    await facilitator('participation.listen', { address: '127.0.0.1', port: first.lanPort });
    app.lanPort = first.lanPort;
    app.fingerprint = first.fingerprint;
    expect((await call(tokens.ana!.token, 'participant.view')).status).toBe(200);
    expect((await call(tokens.eve!.token, 'participant.view')).status).toBe(401);
    expect(await stop(app, 'SIGTERM')).toBe(0);
  }, 120_000);
});
