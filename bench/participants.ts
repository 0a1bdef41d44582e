/**
 * 100 participants voting at once over the real participants' listener
 * (HTTPS on 127.0.0.1): p99 from request to acknowledged commit, and from
 * commit to the facilitator's tally event on the web host's event stream.
 * Baseline, same run: 100 concurrent requests for the participant page's
 * static HTML over the same listener (TLS + HTTP with no app work).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { openApp } from '../src-main/app/open.ts';
import { LanListener } from '../src-main/hosts/lan/server.ts';
import { startWebHost } from '../src-main/hosts/web/server.ts';
import { PROJECT_ROOT } from '../src-main/hosts/paths.ts';
import { report } from './measure.ts';

const PARTICIPANTS = 100;

interface ClientResult {
  baseline: number[];
  toCommit: number[];
  seqs: Array<{ teamId: string; seq: number }>;
  tallyAt: Array<{ teamId: string; seq: number; at: number; tally: Record<string, number> }>;
}

/** The phones (plain JavaScript, run as a worker thread): warm up, measure the static page, then all vote at once. */
const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const https = require('node:https');
const http = require('node:http');
const { port, webPort, webToken, decisionId, people } = workerData;
const now = () => performance.timeOrigin + performance.now();
const agent = new https.Agent({ keepAlive: true, maxSockets: people.length, rejectUnauthorized: false });
const send = (method, path, body, token) => new Promise((resolve, reject) => {
  const req = https.request({ host: '127.0.0.1', port, method, path, agent,
    headers: Object.assign({ Host: '127.0.0.1:' + port, 'Content-Type': 'application/json' }, token ? { Authorization: 'Bearer ' + token } : {}) }, (res) => {
    let out = '';
    res.on('data', (c) => (out += c));
    res.on('end', () => resolve({ status: res.statusCode, body: out }));
  });
  req.on('error', reject);
  if (body !== undefined) req.write(JSON.stringify(body));
  req.end();
});
(async () => {
  const tallyAt = [];
  const stream = http.request({ host: '127.0.0.1', port: webPort, path: '/api/events?token=' + webToken, headers: { Host: '127.0.0.1:' + webPort } });
  await new Promise((resolve, reject) => {
    stream.on('response', (res) => {
      let buffer = '';
      res.on('data', (chunk) => {
        const at = now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.startsWith('data: ')) continue;
          const event = JSON.parse(frame.slice(6));
          if (event.name === 'votes.changed') tallyAt.push({ teamId: event.payload.teamId, seq: event.payload.seq, at, tally: event.payload.tally });
        }
      });
      resolve();
    });
    stream.on('error', reject);
    stream.end();
  });
  let baseline = [];
  for (let round = 0; round < 3; round++) {
    baseline = [];
    await Promise.all(people.map(async () => {
      const start = now();
      const res = await send('GET', '/', undefined);
      if (res.status !== 200) throw new Error('static ' + res.status);
      baseline.push(now() - start);
    }));
  }
  const toCommit = [];
  const seqs = [];
  await Promise.all(people.map(async (p) => {
    const start = now();
    const res = await send('POST', '/api/call', { method: 'participant.vote', input: { decisionId, optionId: p.optionId, confidence: p.confidence } }, p.token);
    if (res.status !== 200) throw new Error(res.body);
    toCommit.push(now() - start);
    seqs.push({ teamId: p.teamId, seq: JSON.parse(res.body).result.seq });
  }));
  for (let i = 0; i < 100 && seqs.some((s) => !tallyAt.some((t) => t.teamId === s.teamId && t.seq >= s.seq)); i++) await new Promise((r) => setTimeout(r, 20));
  stream.destroy();
  agent.destroy();
  parentPort.postMessage({ baseline, toCommit, seqs, tallyAt });
})().catch((error) => { throw error; });
`;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function participantsBench(work: string): Promise<void> {
  const dataDir = join(work, 'participants');
  const rendererDir = join(work, 'participants-renderer');
  mkdirSync(join(rendererDir, '.vite'), { recursive: true });
  writeFileSync(join(rendererDir, 'participant.html'), '<!doctype html><title>Join</title>');
  writeFileSync(join(rendererDir, '.vite', 'manifest.json'), JSON.stringify({ 'participant.html': { file: 'participant.html', isEntry: true } }));
  const services = openApp({ dataDir, host: 'web', version: 'bench', scenariosDir: join(PROJECT_ROOT, 'scenarios') });
  const web = await startWebHost({ services, rendererDir, port: 0 });
  const lan = new LanListener({ services, dataDir, rendererDir, addresses: () => [{ address: '127.0.0.1', family: 'IPv4', interface: 'lo', internal: true }] });
  services.participantListener = lan;
  await lan.listen('127.0.0.1', 0);
  const port = lan.state().listening!.port;
  const agent = new Agent({ keepAlive: true, maxSockets: PARTICIPANTS, rejectUnauthorized: false });
  const send = (method: string, path: string, body: unknown, token?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        },
        (res) => {
          let out = '';
          res.on('data', (c: Buffer) => (out += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
        },
      );
      req.on('error', reject);
      if (text !== undefined) req.write(text);
      req.end();
    });

  try {
    const grant = { role: 'facilitator' } as const;
    const created = await services.handlers['sessions.create'](
      {
        scenarioId: 'sample-leaked-key',
        name: 'bench',
        facilitator: 'bench',
        teams: [
          { name: 'Blue', participants: [] },
          { name: 'Red', participants: [] },
        ],
        speed: 0,
      },
      grant,
    );
    const sessionId = created.id;
    services.sessions.start(sessionId);
    for (let i = 0; i < 20 && !services.sessions.state(sessionId).teams.every((t) => t.openDecision); i++) services.sessions.advance(sessionId);
    const decision = services.sessions.presenter(sessionId, 'team-1').decision!;
    const options = decision.options.map((o) => o.id);
    const { code } = services.participation.open(sessionId);

    const people: Array<{ token: string; teamId: string; optionId: string; confidence: number }> = [];
    for (let i = 0; i < PARTICIPANTS; i++) {
      const teamId = i % 2 === 0 ? 'team-1' : 'team-2';
      const joined = await send('POST', '/api/join', { code, name: `P${i}`, teamId });
      if (joined.status !== 200) throw new Error(joined.body);
      people.push({ token: (JSON.parse(joined.body) as { result: { token: string } }).result.token, teamId, optionId: options[i % options.length]!, confidence: (i % 5) + 1 });
    }

    // When each vote was committed: the runner returns once the transaction (a group of votes) is durable.
    const commits: Array<{ seq: number; at: number }> = [];
    const runner = services.sessions;
    const original = runner.recordParticipation.bind(runner);
    runner.recordParticipation = (id, produce) => {
      const ack = original(id, produce);
      commits.push({ seq: ack.seq, at: performance.timeOrigin + performance.now() });
      return ack;
    };
    const committedAt = (seq: number) => commits.find((c) => c.seq >= seq)?.at ?? Number.NaN;

    // The phones and the facilitator's event stream run in a worker thread (their own event loop, like separate devices).
    const worker = new Worker(CLIENT, {
      eval: true,
      workerData: { port, webPort: web.port, webToken: web.token, decisionId: decision.id, people },
    });
    const measured = await new Promise<ClientResult>((resolve, reject) => {
      worker.once('message', (m: ClientResult) => resolve(m));
      worker.once('error', reject);
    });
    await worker.terminate();
    const { baseline, toCommit, seqs, tallyAt } = measured;
    const lastTally = new Map<string, Record<string, number>>();
    for (const t of tallyAt) lastTally.set(t.teamId, t.tally);
    // A vote's tally reached the facilitator with the first event of its team at or after its commit.
    const tallyFor = (teamId: string, seq: number) => tallyAt.find((t) => t.teamId === teamId && t.seq >= seq)?.at ?? Number.NaN;
    const toTally = seqs.map((s) => tallyFor(s.teamId, s.seq) - committedAt(s.seq));

    // The tally must be exact: as the votes sent, and as the last event said.
    for (const teamId of ['team-1', 'team-2']) {
      const expected: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
      for (const p of people) if (p.teamId === teamId) expected[p.optionId]! += 1;
      const votes = services.participation.votes(sessionId, teamId);
      if (JSON.stringify(votes.tally) !== JSON.stringify(expected) || JSON.stringify(lastTally.get(teamId)) !== JSON.stringify(expected)) {
        throw new Error(`tally of ${teamId} is not exact: ${JSON.stringify({ expected, stored: votes.tally, pushed: lastTally.get(teamId) })}`);
      }
    }
    if (toTally.some((t) => !Number.isFinite(t))) throw new Error('a tally event never reached the facilitator');
    report(
      `${PARTICIPANTS} participants voting at once over HTTPS: p99 request -> acknowledged commit (tally exact) vs the static page`,
      percentile(toCommit, 99),
      'ms',
      percentile(baseline, 99),
      'value <= 250 ms',
    );
    report(
      `${PARTICIPANTS} participants voting at once: p99 commit -> facilitator's tally event (web host SSE) vs p50`,
      percentile(toTally, 99),
      'ms',
      percentile(toTally, 50),
      'value <= 250 ms',
    );
  } finally {
    agent.destroy();
    await lan.stop();
    await web.close();
    services.close();
  }
}
