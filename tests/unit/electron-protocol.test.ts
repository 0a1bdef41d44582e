import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, contentSecurityPolicy, injectCspMeta, metaContentSecurityPolicy, securityHeaders } from '../../src-main/hosts/content-security-policy.ts';
import { APP_ENTRY_URL, APP_ORIGIN, appProtocolHandler, type FileFetcher } from '../../src-main/hosts/electron/security.ts';
import { tempDir } from '../helpers/tmp.ts';

let rendererDir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir: rendererDir, cleanup } = tempDir('sandtable-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
});
afterEach(() => cleanup());

/** Reads file: URLs from disk, as Electron's net.fetch does (rejecting for a missing file). */
const readFile: FileFetcher = (url) =>
  new Promise((resolve) => {
    const path = fileURLToPath(url);
    const type = path.endsWith('.html') ? 'text/html' : 'text/javascript';
    resolve(new Response(readFileSync(path), { status: 200, headers: { 'Content-Type': type } }));
  });

describe('the app:// protocol handler sets the CSP itself', () => {
  const handler = () => appProtocolHandler(rendererDir, readFile);

  it('sends the CSP and the security headers with the page', async () => {
    const response = await handler()(new Request(APP_ENTRY_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
    for (const [name, value] of Object.entries(securityHeaders())) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('Content-Type')).toBe('text/html');
    expect(await response.text()).toBe('<!doctype html><title>x</title>');
  });

  it('sends them with every asset too', async () => {
    const response = await handler()(new Request(`${APP_ORIGIN}/assets/app.js`));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('sends them with a 404 for a missing file, a path out of the folder and a foreign host', async () => {
    for (const url of [`${APP_ORIGIN}/nope.js`, `${APP_ORIGIN}/..%2f..%2fetc%2fpasswd`, 'app://evil/index.html']) {
      const response = await handler()(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('Content-Security-Policy'), url).toBe(contentSecurityPolicy());
    }
  });

  it('refuses methods other than GET and HEAD, with the headers', async () => {
    const response = await handler()(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
  });

  it('overrides a CSP the fetched response brought with it', async () => {
    const loose: FileFetcher = () => Promise.resolve(new Response('x', { headers: { 'Content-Security-Policy': 'default-src *' } }));
    const response = await appProtocolHandler(rendererDir, loose)(new Request(APP_ENTRY_URL));
    expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
  });
});

describe('index.html carries the same policy in a <meta> as a second layer', () => {
  const source = readFileSync(join(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');

  it('is written from the one policy, minus what a <meta> cannot carry', () => {
    const html = injectCspMeta(source);
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(content).toBe(metaContentSecurityPolicy());
    const header = new Map(CSP_DIRECTIVES);
    const meta = content!.split('; ').map((d) => d.split(' ')[0]!);
    expect(meta).toEqual(CSP_DIRECTIVES.map(([name]) => name).filter((name) => name !== 'frame-ancestors'));
    for (const directive of content!.split('; ')) {
      const [name, ...values] = directive.split(' ');
      expect(values.join(' ')).toBe(header.get(name!));
    }
  });

  it('comes before any script or stylesheet', () => {
    const html = injectCspMeta(source);
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    for (const later of ['<script', '<link rel="stylesheet"', '<style']) {
      const at = html.indexOf(later);
      if (at >= 0) expect(meta).toBeLessThan(at);
    }
  });

  it('refuses an index.html without the tag', () => {
    expect(() => injectCspMeta('<html><head></head></html>')).toThrow(/must carry <meta http-equiv="Content-Security-Policy"/);
  });
});
