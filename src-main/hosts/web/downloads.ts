/**
 * Streamed downloads of the web host (`exports.download`): the contract call
 * prepares the file and answers with a link, `/api/download/<token>`, that
 * the console's page follows with `<a download>`; the browser saves the file
 * as the bytes arrive, so neither the page nor the contract's JSON ever holds
 * it. The token (256 random bits, kept only as its SHA-256) is the link's
 * only credential, so it is tight: it opens that one prepared file, once,
 * within a minute of being issued, over loopback, from this host's own page
 * (a request another site makes is refused by its Origin and Sec-Fetch-Site),
 * and the host's other checks (Host header, security headers and CSP) apply
 * to it as to any request. A refused link says why with a status and a JSON
 * error; a used, expired or unknown one is the same 404. A `HEAD` of the link
 * answers the status its `GET` would, without spending it: the page checks
 * it before it hands it to the browser's downloads, so that a refused link
 * is told in the app, not only in the browser's downloads list.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { apiError } from '../../api/errors.ts';
import type { SessionDownload } from '../../app/downloads.ts';
import { sendJson } from '../http.ts';

/** The path of a download link, before its token. */
export const DOWNLOAD_PATH = '/api/download/';
/** How long a link stays valid after it is issued. */
export const DOWNLOAD_TTL_MS = 60_000;
/** The policy of a downloaded file's response. */
export const DOWNLOAD_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";
/** How many prepared files wait at most (each holds its session's log): past this, the oldest link is dropped. */
export const MAX_PENDING_DOWNLOADS = 8;

interface Pending {
  download: SessionDownload;
  expires: number;
  timer: ReturnType<typeof setTimeout>;
}

/** Prepared files waiting for their link to be followed, by the SHA-256 of the link's token. */
export class PendingDownloads {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DOWNLOAD_TTL_MS,
    private readonly max = MAX_PENDING_DOWNLOADS,
  ) {}

  /** Keeps a prepared file and returns the token of its link. */
  issue(download: SessionDownload): string {
    const token = randomBytes(32).toString('hex');
    const key = digest(token);
    // A link nobody follows does not keep its session's log in memory past its minute.
    const timer = setTimeout(() => this.#pending.delete(key), this.ttlMs);
    timer.unref();
    this.#pending.set(key, { download, expires: this.now() + this.ttlMs, timer });
    for (const [oldest, entry] of this.#pending) {
      if (this.#pending.size <= this.max) break;
      clearTimeout(entry.timer);
      this.#pending.delete(oldest);
    }
    return token;
  }

  /** The file of a token while it is valid, without spending it (a `HEAD` of its link). */
  peek(token: string): SessionDownload | undefined {
    if (!/^[0-9a-f]{64}$/.test(token)) return undefined;
    const entry = this.#pending.get(digest(token));
    return entry && this.now() <= entry.expires ? entry.download : undefined;
  }

  /** The file of a token, once: the link is spent whether or not it is still valid. Undefined for an unknown, used or expired token. */
  take(token: string): SessionDownload | undefined {
    if (!/^[0-9a-f]{64}$/.test(token)) return undefined;
    const key = digest(token);
    const entry = this.#pending.get(key);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.#pending.delete(key);
    return this.now() <= entry.expires ? entry.download : undefined;
  }

  get size(): number {
    return this.#pending.size;
  }

  clear(): void {
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
    this.#pending.clear();
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Why a download request is refused before its token is looked at, or null when it may proceed. */
export function downloadRefusal(
  req: Pick<IncomingMessage, 'method' | 'headers'> & { socket: { remoteAddress?: string | undefined } },
  ownOrigins: readonly string[],
): { status: number; message: string } | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, message: 'A download is fetched with GET (and checked with HEAD).' };
  if (!isLoopback(req.socket.remoteAddress)) return { status: 403, message: 'Downloads are served to this computer only.' };
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins.includes(origin)) return { status: 403, message: 'Cross-origin requests are not allowed.' };
  // A browser says who asked: only this host's own page (or the address typed in) may follow a link.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, message: 'A download link opens only from Sandtable’s own page.' };
  return null;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** `attachment` with the file name twice: plain ASCII for old clients, and exactly (RFC 6266, RFC 8187). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * Answers `GET /api/download/<token>`: refused (see `downloadRefusal`) or
 * 404 for an unknown, used or expired token; else the file, streamed with
 * back-pressure, as an attachment of its media type. A file that fails while
 * it is being sent is cut off (the browser reports a failed download, never a
 * short file that looks whole).
 */
export async function serveDownload(req: IncomingMessage, res: ServerResponse, pathname: string, pending: PendingDownloads, ownOrigins: readonly string[]): Promise<void> {
  const refusal = downloadRefusal(req, ownOrigins);
  if (refusal) {
    sendJson(res, refusal.status, { ok: false, error: apiError(refusal.status === 405 ? 'invalid_input' : 'forbidden', refusal.message) });
    return;
  }
  const token = pathname.slice(DOWNLOAD_PATH.length);
  const download = req.method === 'HEAD' ? pending.peek(token) : pending.take(token);
  if (!download) {
    sendJson(res, 404, { ok: false, error: apiError('not_found', 'This download link is unknown, already used or expired: ask for the file again.') });
    return;
  }
  res.writeHead(200, {
    // Stricter than the page's policy (which lets its own scripts run): were the file ever shown instead of saved (an HTML report), nothing in it runs, loads or reaches this origin.
    'Content-Security-Policy': DOWNLOAD_CSP,
    'Content-Type': download.mediaType,
    'Content-Disposition': contentDisposition(download.filename),
    'Cache-Control': 'no-store',
    ...(download.bytes === null ? {} : { 'Content-Length': download.bytes }),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(Readable.from(download.body()), res);
  } catch (error) {
    if (!res.destroyed) console.error('sandtable: a download failed while it was sent:', error);
    res.destroy();
  }
}
