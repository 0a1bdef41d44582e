/**
 * What the HTTP hosts (the loopback web host and the participants' listener)
 * answer alike: the content type of a built file, the HTTP status of a
 * contract error, and plain JSON/text responses. One table each, so a new
 * error code or file type cannot be known to one host and not the other.
 */
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { ApiErrorCode, ApiResponse } from '../api/errors.ts';

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
