import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw HTTP request that can forge any header (fetch refuses to set Host).
 * Each request has a connection of its own (`agent: false`): Node's global
 * agent keeps sockets alive, and a test that works longer than the server's
 * keep-alive timeout (5 s) between two requests — easy on a loaded machine —
 * would send the second on a socket the server is closing (ECONNRESET).
 */
export function rawRequest(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * An open server-sent-event stream: `opened` resolves once the server has
 * written its first bytes (the stream is subscribed by then), `body()` is what
 * arrived so far, `close()` ends it.
 */
export function openEventStream(
  port: number,
  path: string,
  headers: Record<string, string>,
): { opened: Promise<number>; body: () => string; contentType: () => string | undefined; close: () => void } {
  let text = '';
  let contentType: string | undefined;
  let close = () => {};
  const opened = new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path, headers }, (res) => {
      contentType = res.headers['content-type'];
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        resolve(res.statusCode ?? 0);
      });
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => {});
    });
    close = () => req.destroy();
    req.on('error', (error) => reject(error));
    req.end();
  });
  return { opened, body: () => text, contentType: () => contentType, close };
}
