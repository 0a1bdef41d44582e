import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiError } from '../../api/errors.ts';
import { apiError } from '../../api/errors.ts';
import { dispatch } from '../../app/dispatch.ts';
import type { Grant, Services } from '../../app/services.ts';
import { contentSecurityPolicy, securityHeaders } from '../content-security-policy.ts';
import { REQUEST_BODY, tooLarge } from '../../api/limits.ts';
import { callOf, contentTypeOf, presentedToken, sendJson, sendText, statusOf } from '../http.ts';
import { DOWNLOAD_PATH, PendingDownloads, serveDownload } from './downloads.ts';

/** The largest request body: the largest legal input of any method (core/limits.ts). */
export const MAX_BODY_BYTES = REQUEST_BODY.bytes;

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

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

/** How often an idle event socket is pinged, so a vanished peer is noticed and its subscription dropped. */
const SOCKET_PING_MS = 15_000;
/** Pushes queued for a socket that does not read them: past this many bytes it is dropped (the tab resyncs when it reconnects). */
const SOCKET_MAX_BUFFERED = 1024 * 1024;

/**
 * The loopback web host: serves the built renderer and the contract over
 * HTTP (`POST /api/call`), and pushes events over a WebSocket
 * (`GET /api/events` with `Upgrade: websocket`, what the renderer uses) or as
 * server-sent events (the same path without the upgrade, for plain HTTP clients).
 *
 * The renderer uses the WebSocket because a browser allows only six HTTP/1.1
 * connections per host across all its tabs: a console plus five presenter
 * tabs each holding an event stream would leave no connection for the
 * console's calls. WebSockets do not count against that limit.
 *
 * Binds 127.0.0.1 only. Every API request and event stream needs a launch
 * token (401 without it); any request whose Host header is not this address
 * and port is refused (403) so that a DNS-rebinding page cannot reach it, and
 * any whose Origin is not this host's is refused too (403).
 *
 * One path takes no launch token: `GET /api/download/<token>`, the link
 * `exports.download` answers with (a navigation cannot send the launch
 * token); its own single-use, one-minute token is the credential, and it is
 * refused from other sites (./downloads.ts).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services, rendererDir } = options;
  const grants = new Map<string, Grant>();
  // Completed with the host's own WebSocket address once the port is known.
  let csp = contentSecurityPolicy();
  let port = 0;
  /** Open event streams, each with the subscription that feeds it. */
  const streams = new Map<ServerResponse, () => void>();
  /** Open event sockets, each with the subscription that feeds it. */
  const sockets = new Map<WebSocket, () => void>();
  // Clients only listen: anything they send is ignored, and a large frame closes the socket.
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  /** Files prepared by `exports.download`, each waiting for its single-use link (./downloads.ts). */
  const downloads = new PendingDownloads();
  /** The renderer's files served so far, by path, with the size and time they had when read: at most what the renderer folder has held (a removed file is dropped when asked for again). */
  const servedFiles = new Map<string, { version: string; body: Buffer }>();
  const ownOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

  const issueToken = (grant: Grant): string => {
    const token = randomBytes(32).toString('hex');
    grants.set(digest(token), grant);
    return token;
  };
  const token = issueToken({ role: 'facilitator' });

  const server: Server = createServer((req, res) => {
    setSecurityHeaders(res, csp);
    handle(req, res).catch((error: unknown) => {
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

  /** The same checks for every API request, plain or upgraded: own Origin, then a known token. */
  function admit(req: IncomingMessage, url: URL): { ok: true; grant: Grant } | { ok: false; status: number; error: ApiError } {
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().includes(origin)) {
      return { ok: false, status: 403, error: apiError('forbidden', 'Cross-origin requests are not allowed.') };
    }
    const grant = authenticate(req, url);
    if (!grant) return { ok: false, status: 401, error: apiError('unauthorized', 'A valid launch token is required.') };
    return { ok: true, grant };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    // A download link carries its own single-use token (a navigation cannot send the launch token).
    if (url.pathname.startsWith(DOWNLOAD_PATH)) {
      await serveDownload(req, res, url.pathname, downloads, ownOrigins());
      return;
    }
    const admitted = admit(req, url);
    if (!admitted.ok) {
      sendJson(res, admitted.status, { ok: false, error: admitted.error });
      return;
    }
    const { grant } = admitted;
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
      const parsed = callOf(res, call);
      if (parsed === undefined) return;
      const { method, input } = parsed;
      const response = await dispatch(services, method, input, grant);
      sendJson(res, response.ok ? 200 : statusOf(response.error.code), response);
      return;
    }
    sendJson(res, 404, { ok: false, error: apiError('not_found', 'No such endpoint.') });
  }

  function authenticate(req: IncomingMessage, url: URL): Grant | undefined {
    const presented = presentedToken(req, url);
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
    // The hub decides what this stream's grant may hear; the host only writes it out.
    streams.set(
      res,
      services.events.subscribe(grant, (event) => res.write(`data: ${JSON.stringify(event)}\n\n`)),
    );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.get(res)?.();
      streams.delete(res);
    });
  }

  /** An upgrade to a WebSocket: only the event stream, after exactly the checks of any API request. */
  function handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (status: number, error: ApiError): void => {
      const body = JSON.stringify({ ok: false, error });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, port)) {
      refuse(403, apiError('forbidden', 'This host name is not allowed.'));
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/api/events' || req.method !== 'GET') {
      refuse(404, apiError('not_found', 'No such endpoint.'));
      return;
    }
    const admitted = admit(req, url);
    if (!admitted.ok) {
      refuse(admitted.status, admitted.error);
      return;
    }
    const { grant } = admitted;
    socketServer.handleUpgrade(req, socket, head, (ws) => {
      // The hub decides what this socket's grant may hear; the host only writes it out.
      sockets.set(
        ws,
        services.events.subscribe(grant, (event) => {
          if (ws.bufferedAmount > SOCKET_MAX_BUFFERED) ws.terminate();
          else ws.send(JSON.stringify(event));
        }),
      );
      // Clients only listen: a message from one is not read (maxPayload closes a large one).
      let alive = true;
      ws.on('pong', () => (alive = true));
      const ping = setInterval(() => {
        if (!alive) {
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, SOCKET_PING_MS);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        clearInterval(ping);
        sockets.get(ws)?.();
        sockets.delete(ws);
      });
    });
  }

  /**
   * A file of the renderer folder as it is now, kept in memory once read (the page's files are asked for at
   * every start) and read again when its size or time changed; null when it is not a readable file (missing,
   * a folder, a path through a file, a NUL byte, a name too long...), as a 404.
   */
  function keptFile(file: string): { version: string; body: Buffer } | null {
    try {
      const stats = statSync(file);
      if (!stats.isFile()) throw new Error('not a file');
      const version = `${stats.size}:${stats.mtimeMs}`;
      let kept = servedFiles.get(file);
      if (kept?.version !== version) {
        kept = { version, body: readFileSync(file) };
        servedFiles.set(file, kept);
      }
      return kept;
    } catch {
      servedFiles.delete(file);
      return null;
    }
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
    const kept = file.startsWith(normalize(rendererDir) + sep) ? keptFile(file) : null;
    if (!kept) {
      sendText(res, 404, 'Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': kept.body.length,
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'no-cache',
    });
    res.end(kept.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    try {
      handleUpgrade(req, socket, head);
    } catch (error) {
      console.error('sandtable: web host upgrade failed:', error);
      socket.destroy();
    }
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  csp = contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
  // Streamed files (exports, archives) are saved by the browser from a single-use link.
  services.downloadSaver = (download) => Promise.resolve({ outcome: 'link', url: `${DOWNLOAD_PATH}${downloads.issue(download)}` });
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
        services.presenterOpener = null;
        services.downloadSaver = null;
        downloads.clear();
        for (const [res, unsubscribe] of streams) {
          unsubscribe();
          res.end();
        }
        streams.clear();
        for (const [ws, unsubscribe] of sockets) {
          unsubscribe();
          ws.terminate();
        }
        sockets.clear();
        socketServer.close();
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
  for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', csp);
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
    return { ok: false, status: 413, message: `The request body ${tooLarge(REQUEST_BODY)}.` };
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
