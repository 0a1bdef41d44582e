import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiResponse } from '../../api/errors.ts';
import { apiError } from '../../api/errors.ts';
import { dispatch } from '../../app/dispatch.ts';
import type { Grant, Services } from '../../app/services.ts';
import { contentSecurityPolicy } from '../content-security-policy.ts';

/** Largest request body accepted (a scenario import is the largest legitimate one). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unknown_method: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_scenario: 422,
  internal: 500,
};

export interface WebHostOptions {
  services: Services;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks any free port. */
  port: number;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  /** The facilitator's launch token (256 bits, hex). */
  readonly token: string;
  /** Issues a further token with a narrower grant (e.g. a presenter view of one session). */
  issueToken(grant: Grant): string;
  close(): Promise<void>;
}

/**
 * The loopback web host: serves the built renderer and the contract over
 * HTTP (`POST /api/call`) and server-sent events (`GET /api/events`).
 *
 * Binds 127.0.0.1 only. Every API request needs a launch token (401 without
 * it); any request whose Host header is not this address and port is refused
 * (403) so that a DNS-rebinding page cannot reach it.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services, rendererDir } = options;
  const grants = new Map<string, Grant>();
  const csp = contentSecurityPolicy();
  let port = 0;
  const streams = new Map<ServerResponse, Grant>();

  const issueToken = (grant: Grant): string => {
    const token = randomBytes(32).toString('hex');
    grants.set(digest(token), grant);
    return token;
  };
  const token = issueToken({ role: 'facilitator' });

  const unsubscribe = services.events.subscribe((event) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const [res, grant] of streams) {
      // A presenter link hears only about its own session.
      if (grant.role === 'presenter' && !(event.name === 'session.changed' && event.payload.sessionId === grant.sessionId)) continue;
      res.write(frame);
    }
  });

  const server: Server = createServer((req, res) => {
    setSecurityHeaders(res, csp);
    handle(req, res).catch((error) => {
      console.error('sandtable: web host request failed:', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: apiError('internal', 'The request failed unexpectedly.') });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      sendJson(res, 403, { ok: false, error: apiError('forbidden', 'This host name is not allowed.') });
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      await handleApi(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed');
      return;
    }
    serveStatic(res, url.pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      sendJson(res, 403, { ok: false, error: apiError('forbidden', 'Cross-origin requests are not allowed.') });
      return;
    }
    const grant = authenticate(req, url);
    if (!grant) {
      sendJson(res, 401, { ok: false, error: apiError('unauthorized', 'A valid launch token is required.') });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      openEventStream(req, res, grant);
      return;
    }
    if (url.pathname === '/api/call' && req.method === 'POST') {
      const body = await readBody(req);
      if (!body.ok) {
        sendJson(res, body.status, { ok: false, error: apiError('invalid_input', body.message) });
        return;
      }
      let call: unknown;
      try {
        call = JSON.parse(body.text);
      } catch {
        sendJson(res, 400, { ok: false, error: apiError('invalid_input', 'The request body is not valid JSON.') });
        return;
      }
      if (typeof call !== 'object' || call === null || Array.isArray(call)) {
        sendJson(res, 400, { ok: false, error: apiError('invalid_input', 'The request body must be {"method", "input"}.') });
        return;
      }
      const { method, input } = call as { method?: unknown; input?: unknown };
      const response = await dispatch(services, method, input, grant);
      sendJson(res, response.ok ? 200 : (STATUS_BY_CODE[response.error.code] ?? 400), response);
      return;
    }
    sendJson(res, 404, { ok: false, error: apiError('not_found', 'No such endpoint.') });
  }

  function authenticate(req: IncomingMessage, url: URL): Grant | undefined {
    const header = req.headers.authorization;
    // EventSource cannot set headers, so the event stream also takes ?token=.
    const presented =
      header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : url.pathname === '/api/events' ? url.searchParams.get('token') : null;
    if (!presented || !/^[0-9a-f]{64}$/.test(presented)) return undefined;
    return grants.get(digest(presented));
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse, grant: Grant): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.set(res, grant);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      sendText(res, 400, 'Bad request');
      return;
    }
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(normalize(rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      sendText(res, 404, 'Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  // The projector view gets its own link whose token can only read that one session.
  services.presenterOpener = (sessionId, teamId) => ({
    url: `http://127.0.0.1:${port}/${presenterFragment(sessionId, teamId)}&token=${issueToken({ role: 'presenter', sessionId })}`,
    opened: false,
  });

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    issueToken,
    close: () =>
      new Promise<void>((resolvePromise) => {
        unsubscribe();
        services.presenterOpener = null;
        for (const res of streams.keys()) res.end();
        streams.clear();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/** The renderer route of a team's projector view, or with teamId null the room view of the whole session. */
export function presenterFragment(sessionId: string, teamId: string | null): string {
  return `#/present/${encodeURIComponent(sessionId)}${teamId === null ? '' : `/${encodeURIComponent(teamId)}`}`;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function setSecurityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=()');
}

function sendJson(res: ServerResponse, status: number, body: ApiResponse<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<{ ok: true; text: string } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Only authenticated callers get here. An oversized body is drained and
  // discarded, so that the caller reads a clean 413 instead of a reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) {
    return { ok: false, status: 413, message: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.` };
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
