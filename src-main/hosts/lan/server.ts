/**
 * The participants' listener: a third binding of the same `dispatch`, for
 * the people in the room on their own phones. Host-agnostic: the web host
 * (`--lan ADDRESS`) and the Electron host ("Let participants join") both
 * start it through `LanListener`.
 *
 * HTTPS only, bound to ONE address the facilitator chose. It serves the
 * participant page's own static files (nothing else of the renderer),
 * `POST /api/teams` and `POST /api/join` (with the join code), `POST /api/call` for participant methods and
 * `GET /api/events` for a participant's event stream. The facilitator API is
 * not served here at all: only participant tokens are recognised, and what
 * they may call and hear is decided in the app layer (their grant).
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { isIP } from 'node:net';
import { apiError } from '../../api/errors.ts';
import { PARTICIPANT_METHODS } from '../../api/participants.ts';
import { dispatch } from '../../app/dispatch.ts';
import { AppError } from '../../app/errors.ts';
import type { ParticipantGrant, ParticipantListenerControl } from '../../app/participation.ts';
import type { Services } from '../../app/services.ts';
import { contentSecurityPolicy } from '../content-security-policy.ts';
import { PARTICIPANT_JOIN_BODY, PARTICIPANT_REQUEST_BODY, tooLarge, type SizeLimit } from '../../api/limits.ts';
import { callOf, contentTypeOf, presentedToken, sendJson, sendText, statusOf } from '../http.ts';
import { loadOrCreateCertificate } from './certificate.ts';

/** Largest request body accepted here from a participant with a token (the hot-wash answers); joining takes far less (PARTICIPANT_JOIN_BODY). */
export const LAN_MAX_BODY_BYTES = PARTICIPANT_REQUEST_BODY.bytes;

/** A socket silent this long is closed (event streams send a keep-alive every 15 s). */
export const LAN_IDLE_TIMEOUT_MS = 60_000;
/** A TLS handshake not finished in this time is dropped (Node's default is 120 s). */
export const LAN_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Connections held at once; a room of phones needs a few each. */
export const LAN_MAX_CONNECTIONS = 4_096;

/** The participant page's entry in the renderer build. */
export const PARTICIPANT_ENTRY = 'participant.html';

export interface LanServer {
  readonly address: string;
  readonly port: number;
  /** https://ADDRESS:PORT/ */
  readonly url: string;
  readonly fingerprint: string;
  close(): Promise<void>;
}

/** `address:port` as it appears in a Host header and a URL (IPv6 in brackets). */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * The files of the participant page: its entry, its chunks and their CSS and
 * assets, as the build's manifest lists them (relative to the renderer dir).
 */
export function participantFiles(rendererDir: string): Set<string> {
  const manifestFile = join(rendererDir, '.vite', 'manifest.json');
  const files = new Set<string>();
  if (!existsSync(manifestFile)) return files;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, { file: string; src?: string; imports?: string[]; css?: string[]; assets?: string[] }>;
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const asset of chunk.assets ?? []) files.add(asset);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(PARTICIPANT_ENTRY);
  if (files.size > 0) files.add(PARTICIPANT_ENTRY);
  return files;
}

export async function startLanServer(options: {
  services: Services;
  address: string;
  port: number;
  rendererDir: string;
  certificate: { cert: string; key: string; fingerprint: string };
  idleTimeoutMs?: number;
}): Promise<LanServer> {
  const { services, address, rendererDir } = options;
  const participation = services.participation;
  const csp = contentSecurityPolicy();
  const allowedFiles = participantFiles(rendererDir);
  let port = 0;
  const streams = new Map<ServerResponse, () => void>();

  const idleTimeoutMs = options.idleTimeoutMs ?? LAN_IDLE_TIMEOUT_MS;
  const tls = { cert: options.certificate.cert, key: options.certificate.key, minVersion: 'TLSv1.2' as const, handshakeTimeout: Math.min(idleTimeoutMs, LAN_HANDSHAKE_TIMEOUT_MS) };
  const server: Server = createServer(tls, (req, res) => {
    setSecurityHeaders(res, csp);
    handle(req, res).catch((error: unknown) => {
      console.error('sandtable: participants listener request failed:', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: apiError('internal', 'The request failed unexpectedly.') });
      else res.end();
    });
  });
  // Slow or silent clients are cut off; idle keep-alive sockets cost nothing to the others.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  // headersTimeout only starts with a request's first byte: a socket that finishes the TLS
  // handshake and then sends nothing would otherwise stay open for ever (unfinished handshakes: handshakeTimeout).
  // Event streams write a keep-alive every 15 s, so they stay well inside the idle limit.
  server.setTimeout(idleTimeoutMs);
  // Bounds the descriptors the room can take from this process (the facilitator's host shares them).
  server.maxConnections = LAN_MAX_CONNECTIONS;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const self = hostPort(address, port);
    if (req.headers.host !== self) {
      sendJson(res, 403, { ok: false, error: apiError('forbidden', 'This host name is not allowed.') });
      return;
    }
    const url = new URL(req.url ?? '/', `https://${self}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `https://${self}`) {
        sendJson(res, 403, { ok: false, error: apiError('forbidden', 'Cross-origin requests are not allowed.') });
        return;
      }
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
    if ((url.pathname === '/api/join' || url.pathname === '/api/teams') && req.method === 'POST') {
      // Before any token: only a join's few fields, so nobody on the room network can make the listener hold a participant's largest body.
      const body = await readJson(req, res, PARTICIPANT_JOIN_BODY);
      if (body === undefined) return;
      const client = throttleKey(req.socket.remoteAddress ?? 'unknown');
      try {
        sendJson(res, 200, { ok: true, result: url.pathname === '/api/join' ? participation.join(body, client) : participation.teams(body, client) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'rate_limited') res.setHeader('Retry-After', '60');
        sendJson(res, statusOf(error.code), { ok: false, error: error.toApiError() });
      }
      return;
    }
    const grant = authenticate(req, url);
    if (!grant) {
      // Says why (removed, session ended, not known here): the phone stops trying and tells its person.
      sendJson(res, 401, { ok: false, error: apiError('unauthorized', participation.refusal(presentedToken(req, url))) });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      openEventStream(req, res, grant);
      return;
    }
    if (url.pathname === '/api/call' && req.method === 'POST') {
      const call = await readJson(req, res, PARTICIPANT_REQUEST_BODY);
      if (call === undefined) return;
      const parsed = callOf(res, call);
      if (parsed === undefined) return;
      const { method, input } = parsed;
      if (!(PARTICIPANT_METHODS as readonly unknown[]).includes(method)) {
        sendJson(res, 404, { ok: false, error: apiError('unknown_method', 'Only participant methods are served here.') });
        return;
      }
      const response = await dispatch(services, method, input, grant);
      sendJson(res, response.ok ? 200 : statusOf(response.error.code), response);
      return;
    }
    sendJson(res, 404, { ok: false, error: apiError('not_found', 'No such endpoint.') });
  }

  function authenticate(req: IncomingMessage, url: URL): ParticipantGrant | null {
    return participation.authenticate(presentedToken(req, url));
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse, grant: ParticipantGrant): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = services.events.subscribe(grant, (event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    let disconnect = () => {};
    const stop = () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
      disconnect();
      disconnect = () => {};
    };
    // A removed participant's stream is ended from the app layer.
    disconnect = participation.connect(grant, () => {
      stop();
      res.end();
    });
    streams.set(res, stop);
    req.on('close', stop);
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? `/${PARTICIPANT_ENTRY}` : pathname).replace(/^\/+/, '');
    } catch {
      sendText(res, 400, 'Bad request');
      return;
    }
    const file = normalize(join(rendererDir, relative));
    if (!allowedFiles.has(relative) || !file.startsWith(normalize(rendererDir) + sep) || !existsSync(file)) {
      sendText(res, 404, 'Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, address, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    address,
    port,
    url: `https://${hostPort(address, port)}/`,
    fingerprint: options.certificate.fingerprint,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const [res, stop] of [...streams]) {
          stop();
          res.end();
        }
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/**
 * Whom wrong join codes are counted against: the client's IPv4 address, or
 * its IPv6 /64 (one device may take any number of addresses in its /64, so
 * counting each address would let it try codes without limit).
 */
export function throttleKey(remoteAddress: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(remoteAddress);
  if (mapped) return mapped[1]!;
  if (isIP(remoteAddress) !== 6) return remoteAddress;
  const address = remoteAddress.split('%')[0]!.toLowerCase();
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...Array<string>(Math.max(0, 8 - before.length - after.length)).fill('0'), ...after];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** This machine's addresses the listener may bind (loopback ones are for this machine alone). */
export function machineAddresses(): Array<{ address: string; family: 'IPv4' | 'IPv6'; interface: string; internal: boolean }> {
  const out: Array<{ address: string; family: 'IPv4' | 'IPv6'; interface: string; internal: boolean }> = [];
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      // Link-local IPv6 needs a zone id a phone's browser cannot take.
      if (entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')) continue;
      out.push({ address: entry.address, family: entry.family, interface: name, internal: entry.internal });
    }
  }
  return out.sort((a, b) => Number(a.internal) - Number(b.internal) || (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1));
}

/**
 * Starts, moves and stops the participants' listener for either host; what
 * `Services.participantListener` points at. It only ever binds an address
 * this machine has, and only when asked.
 */
export class LanListener implements ParticipantListenerControl {
  #server: LanServer | null = null;
  readonly #services: Services;
  readonly #dataDir: string;
  readonly #rendererDir: string;
  readonly #addresses: typeof machineAddresses;
  /** The last start or stop asked for (see #serial). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { services: Services; dataDir: string; rendererDir: string; addresses?: typeof machineAddresses }) {
    this.#services = options.services;
    this.#dataDir = options.dataDir;
    this.#rendererDir = options.rendererDir;
    this.#addresses = options.addresses ?? machineAddresses;
  }

  state(): ReturnType<ParticipantListenerControl['state']> {
    const server = this.#server;
    return {
      addresses: this.#addresses(),
      listening: server ? { address: server.address, port: server.port, url: server.url, fingerprint: server.fingerprint } : null,
    };
  }

  /**
   * Starts the listener and remembers where (address and the port it got),
   * so that the next start of the app comes back there: the same URL, QR
   * code and certificate, and phones that had joined reconnect by
   * themselves. A failure to remember is reported, not fatal.
   */
  async listen(address: string, port: number): Promise<void> {
    await this.#serial(() => this.#listen(address, port));
  }

  /**
   * At the app's start: starts the listener where it was listening when the
   * app stopped (the same address and port), or on `address` (the web host's
   * `--lan`; its remembered port, or `port`, when given). If that port is
   * taken now it takes another (the room screen shows the new address). An
   * address this machine no longer has, or that is now on another network
   * interface than the one the facilitator chose it on (another network, a
   * VPN), is reported and left alone. Without `address`, it starts again only
   * if a room came back (a joined phone or an open code); otherwise it forgets
   * where it was. Returns whether it listens.
   */
  async resume(address?: string, port?: number): Promise<boolean> {
    return this.#serial(async () => {
      const remembered = this.#services.participation.rememberedListener();
      if (address === undefined && remembered && !this.#services.participation.hasRoom()) {
        // No phone joined and no code open: nothing to come back for, and nothing listens beyond loopback unless asked.
        this.#forgetListener();
        return false;
      }
      if (address === undefined && remembered) {
        const now = this.#addresses().find((a) => a.address === remembered.address);
        if (now && now.interface !== remembered.interface) {
          throw new AppError(
            'conflict',
            `${remembered.address} is now an address of ${now.interface}, not of ${remembered.interface} where participants joined: choose the address again ("Let participants join").`,
            '/address',
          );
        }
      }
      const where = address === undefined ? remembered : { address, port: port ?? (remembered?.address === address ? remembered.port : 0) };
      if (!where) return false;
      try {
        await this.#listen(where.address, where.port);
      } catch (error) {
        if (where.port === 0 || !(error instanceof AppError) || error.path !== '/address' || !this.#addresses().some((a) => a.address === where.address)) throw error;
        console.error(`sandtable: ${error.message}; listening on another port instead.`);
        await this.#listen(where.address, 0);
      }
      return true;
    });
  }

  /** The facilitator stops the listener: it stays stopped after a restart too. */
  async stop(): Promise<void> {
    await this.#serial(async () => {
      await this.#close();
      this.#services.participation.rememberListener(null);
    });
  }

  /** The app is quitting: the listener closes, and starts again where it was at the next start (`resume`). */
  async close(): Promise<void> {
    await this.#serial(() => this.#close());
  }

  /**
   * Runs starts and stops one after another: a "Let participants join" or
   * "Stop listening" pressed while `resume()` is still starting the listener
   * must not leave a second server listening that nothing can close.
   */
  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #forgetListener(): void {
    try {
      this.#services.participation.rememberListener(null);
    } catch (error) {
      console.error("sandtable: where the participants' listener listened could not be forgotten:", error instanceof Error ? error.message : error);
    }
  }

  async #listen(address: string, port: number): Promise<void> {
    await this.#start(address, port);
    const listening = this.#server;
    if (!listening) return;
    const iface = this.#addresses().find((a) => a.address === listening.address)?.interface ?? '';
    try {
      this.#services.participation.rememberListener({ address: listening.address, interface: iface, port: listening.port });
    } catch (error) {
      console.error(
        "sandtable: the participants' listener runs, but where it listens could not be saved (it will not start again by itself):",
        error instanceof Error ? error.message : error,
      );
    }
  }

  async #start(address: string, port: number): Promise<void> {
    if (!this.#addresses().some((a) => a.address === address)) {
      throw new AppError('invalid_input', `${address} is not an address of this machine.`, '/address');
    }
    if (!existsSync(join(this.#rendererDir, PARTICIPANT_ENTRY))) {
      throw new AppError('conflict', 'The participant page has not been built: run `npm run build` first.');
    }
    await this.#close();
    const certificate = await loadOrCreateCertificate(this.#dataDir, [address, '127.0.0.1']);
    try {
      this.#server = await startLanServer({ services: this.#services, address, port, rendererDir: this.#rendererDir, certificate });
    } catch (error) {
      throw new AppError('conflict', `The participants' listener could not start on ${hostPort(address, port)}: ${(error as Error).message}`, '/address');
    }
  }

  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await server?.close();
  }
}

function setSecurityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=()');
}

/** Reads a small JSON body; answers 413/400 itself (and resolves undefined) when it is too large or not JSON. */
function readJson(req: IncomingMessage, res: ServerResponse, limit: SizeLimit): Promise<unknown> {
  const refuse = () => {
    // The socket closes once the answer is out; nothing more of the body is kept.
    res.setHeader('Connection', 'close');
    sendJson(res, 413, { ok: false, error: apiError('invalid_input', `The request body ${tooLarge(limit)}.`) });
  };
  if (Number(req.headers['content-length'] ?? '0') > limit.bytes) {
    refuse();
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= limit.bytes) {
        chunks.push(chunk);
        return;
      }
      refused = true;
      chunks.length = 0;
      refuse();
      resolvePromise(undefined);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (refused) return;
      try {
        resolvePromise(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        sendJson(res, 400, { ok: false, error: apiError('invalid_input', 'The request body is not valid JSON.') });
        resolvePromise(undefined);
      }
    });
  });
}
