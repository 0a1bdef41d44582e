/**
 * What the HTTP hosts (the loopback web host and the participants' listener)
 * answer alike: the content type of a built file, the HTTP status of a
 * contract error, and plain JSON/text responses. One table each, so a new
 * error code or file type cannot be known to one host and not the other.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { apiError, type ApiErrorCode, type ApiResponse } from '../api/errors.ts';

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

/** The content type a built file is served with. */
export function contentTypeOf(file: string): string {
  return MIME[extname(file)] ?? 'application/octet-stream';
}

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_scenario: 422,
  disk_full: 507,
  rate_limited: 429,
  internal: 500,
};

/** The HTTP status of a contract error. */
export function statusOf(code: ApiErrorCode): number {
  return STATUS_BY_CODE[code];
}

export function sendJson(res: ServerResponse, status: number, body: ApiResponse<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * The `{ method, input }` of a call whose body parsed as JSON; anything else
 * is answered 400 here and comes back `undefined`.
 */
export function callOf(res: ServerResponse, body: unknown): { method: unknown; input: unknown } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendJson(res, 400, { ok: false, error: apiError('invalid_input', 'The request body must be {"method", "input"}.') });
    return undefined;
  }
  const { method, input } = body as { method?: unknown; input?: unknown };
  return { method, input };
}

/**
 * The token a request presents: `Authorization: Bearer …`, or `?token=` on the
 * event stream only, since EventSource and WebSocket cannot set headers.
 */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') === true) return header.slice('Bearer '.length).trim();
  return url.pathname === '/api/events' ? url.searchParams.get('token') : null;
}
