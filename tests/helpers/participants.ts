import { request } from 'node:https';
import { TLSSocket } from 'node:tls';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../src-main/app/services.ts';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
}

/** A raw HTTPS request to 127.0.0.1 that can forge any header (the listener's certificate is self-signed). */
export function httpsRequest(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: false },
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {}, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket;
        if (!(socket instanceof TLSSocket)) {
          reject(new Error('the response did not come over TLS'));
          return;
        }
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), fingerprint }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A renderer folder with a participant page and the build manifest that names its files. */
export function fakeParticipantBuild(dir: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, '.vite'), { recursive: true });
  writeFileSync(join(dir, 'participant.html'), '<!doctype html><title>Join</title><script type="module" src="./assets/participant-1.js"></script>');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Facilitator console</title>');
  writeFileSync(join(dir, 'assets', 'participant-1.js'), 'console.log("participant")');
  writeFileSync(join(dir, 'assets', 'index-1.js'), 'console.log("console")');
  writeFileSync(
    join(dir, '.vite', 'manifest.json'),
    JSON.stringify({
      'participant.html': { file: 'assets/participant-1.js', src: 'participant.html', isEntry: true },
      'index.html': { file: 'assets/index-1.js', src: 'index.html', isEntry: true },
    }),
  );
}

/** Creates a two-team session of the warm-up scenario, starts it at manual speed and advances until both teams face a decision. */
export async function sessionAtDecision(services: Services): Promise<{ sessionId: string; decisionId: string; options: string[] }> {
  const h = services.handlers;
  const state = await h['sessions.create'](
    {
      scenarioId: 'sample-leaked-key',
      name: 'Participants test',
      facilitator: 'Fran',
      teams: [
        { name: 'Blue', participants: [{ name: 'Ana', role: 'Incident commander' }] },
        { name: 'Red', participants: [] },
      ],
      speed: 0,
    },
    { role: 'facilitator' },
  );
  const sessionId = state.id;
  await h['sessions.start']({ sessionId }, { role: 'facilitator' });
  for (let i = 0; i < 20; i++) {
    const s = services.sessions.state(sessionId);
    if (s.teams.every((t) => t.openDecision)) break;
    services.sessions.advance(sessionId);
  }
  const view = services.sessions.presenter(sessionId, 'team-1');
  if (!view.decision) throw new Error('no decision opened');
  return { sessionId, decisionId: view.decision.id, options: view.decision.options.map((o) => o.id) };
}
