/**
 * The web host's download links (src-main/hosts/web/downloads.ts): a token
 * opens its one file once, within its minute; at most a few files wait; a
 * request from anywhere but the host's own page is refused; the file name is
 * given to the browser exactly and safely.
 */
import { describe, expect, it } from 'vitest';
import type { SessionDownload } from '../../src-main/app/downloads.ts';
import { contentDisposition, downloadRefusal, PendingDownloads } from '../../src-main/hosts/web/downloads.ts';

const file = (filename: string): SessionDownload => ({ filename, mediaType: 'text/plain', bytes: 1, manifest: null, body: () => [Buffer.from('x')] });

describe('PendingDownloads', () => {
  it('gives a file once for its token, and nothing for any other', () => {
    const pending = new PendingDownloads();
    const a = file('a.txt');
    const token = pending.issue(a);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(pending.take('0'.repeat(64))).toBeUndefined();
    expect(pending.take(token.toUpperCase())).toBeUndefined();
    expect(pending.take(`${token}0`)).toBeUndefined();
    expect(pending.take(token)).toBe(a);
    expect(pending.take(token)).toBeUndefined();
    expect(pending.size).toBe(0);
    pending.clear();
  });

  it('refuses a token after its time, and spends it', () => {
    let now = 1_000;
    const pending = new PendingDownloads(() => now, 60_000);
    const late = pending.issue(file('late.txt'));
    const onTime = pending.issue(file('on-time.txt'));
    now += 60_000;
    expect(pending.take(onTime)?.filename).toBe('on-time.txt');
    now += 1;
    expect(pending.take(late)).toBeUndefined();
    expect(pending.size).toBe(0);
    pending.clear();
  });

  it('keeps only the newest files waiting', () => {
    const pending = new PendingDownloads(Date.now, 60_000, 2);
    const first = pending.issue(file('1'));
    const second = pending.issue(file('2'));
    const third = pending.issue(file('3'));
    expect(pending.size).toBe(2);
    expect(pending.take(first)).toBeUndefined();
    expect(pending.take(second)?.filename).toBe('2');
    expect(pending.take(third)?.filename).toBe('3');
    pending.clear();
  });
});

describe('downloadRefusal', () => {
  const own = ['http://127.0.0.1:4000', 'http://localhost:4000'];
  const req = (headers: Record<string, string>, method = 'GET', remoteAddress = '127.0.0.1') => ({ method, headers, socket: { remoteAddress } });

  it("lets the host's own page, an address typed in and a plain client through", () => {
    expect(downloadRefusal(req({ 'sec-fetch-site': 'same-origin', origin: own[0]! }), own)).toBeNull();
    expect(downloadRefusal(req({ 'sec-fetch-site': 'none' }), own)).toBeNull();
    expect(downloadRefusal(req({}, 'GET', '::ffff:127.0.0.1'), own)).toBeNull();
  });

  it('refuses other sites, other methods and other machines', () => {
    expect(downloadRefusal(req({ 'sec-fetch-site': 'cross-site' }), own)?.status).toBe(403);
    expect(downloadRefusal(req({ 'sec-fetch-site': 'same-site' }), own)?.status).toBe(403);
    expect(downloadRefusal(req({ origin: 'http://127.0.0.1:4001' }), own)?.status).toBe(403);
    expect(downloadRefusal(req({ origin: 'null' }), own)?.status).toBe(403);
    expect(downloadRefusal(req({}, 'POST'), own)?.status).toBe(405);
    expect(downloadRefusal(req({}, 'GET', '192.168.1.20'), own)?.status).toBe(403);
  });
});

describe('contentDisposition', () => {
  it('names the file for old and new clients, with nothing that could end the header', () => {
    expect(contentDisposition('tabletop-2026-12-07.json')).toBe(`attachment; filename="tabletop-2026-12-07.json"; filename*=UTF-8''tabletop-2026-12-07.json`);
    expect(contentDisposition('Übung "x"; y\r\nSet-Cookie: a.csv')).toBe(
      `attachment; filename="_bung__x___y__Set-Cookie__a.csv"; filename*=UTF-8''%C3%9Cbung%20%22x%22%3B%20y%0D%0ASet-Cookie%3A%20a.csv`,
    );
    expect(contentDisposition("it's (1)*!.md")).toBe(`attachment; filename="it_s__1___.md"; filename*=UTF-8''it%27s%20%281%29%2A%21.md`);
  });
});
