/**
 * A download link from the web host is checked before the browser follows it
 * (lib/files.ts `receiveDownload`): the page's fetch is faked at the browser
 * boundary, as the host answers (its real answers: tests/integration/download-stream.test.ts).
 * A refused link throws the host's reason for the screen to show, and the
 * browser is not sent to it (nor is a manifest saved without its file); a good
 * one is followed, never fetched whole by the page.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DownloadRefusedError, receiveDownload, type DeliveredFile } from '../../src-renderer/src/lib/files.ts';

const LINK: DeliveredFile = {
  outcome: 'link',
  url: `/api/download/${'a'.repeat(64)}`,
  filename: 'report.md',
  manifestFilename: 'report.md.manifest.json',
  manifest: null,
};

let clicked: string[];
let requests: Array<{ url: string; method: string }>;

function host(answers: Record<string, () => Response>) {
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    requests.push({ url, method });
    const answer = answers[method];
    return answer ? Promise.resolve(answer()) : Promise.reject(new TypeError('Failed to fetch'));
  });
}

beforeEach(() => {
  clicked = [];
  requests = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('receiveDownload on the web host', () => {
  it('follows a link the host would serve, checking it with HEAD only', async () => {
    host({ HEAD: () => new Response(null, { status: 200 }) });
    await expect(receiveDownload({ ...LINK, manifest: null, manifestFilename: null })).resolves.toEqual({ saved: 'report.md', manifest: null, inBrowser: true });
    expect(requests).toEqual([{ url: LINK.url, method: 'HEAD' }]);
    expect(clicked).toEqual(['report.md']);
  });

  it('throws the host’s reason for a refused link, and sends the browser nowhere', async () => {
    const reason = 'This download link is unknown, already used or expired: ask for the file again.';
    host({
      HEAD: () => new Response(null, { status: 404 }),
      GET: () => Response.json({ ok: false, error: { code: 'not_found', message: reason, path: '' } }, { status: 404 }),
    });
    const refused = receiveDownload(LINK);
    await expect(refused).rejects.toThrow(DownloadRefusedError);
    await expect(refused).rejects.toThrow(reason);
    expect(clicked).toEqual([]);
  });

  it('says the status when the host gives no reason, and that the host is gone when nothing answers', async () => {
    host({ HEAD: () => new Response(null, { status: 502 }), GET: () => new Response('Bad gateway', { status: 502 }) });
    await expect(receiveDownload(LINK)).rejects.toThrow('The file could not be downloaded (the host answered 502).');
    host({});
    await expect(receiveDownload(LINK)).rejects.toThrow('is Sandtable still running?');
    expect(clicked).toEqual([]);
  });

  it('never reads a file served to its GET after a refused HEAD (only a refusal’s JSON is read)', async () => {
    let read = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          read = true;
          controller.enqueue(new Uint8Array(1_000_000));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    ); // pulled only when someone reads it
    host({ HEAD: () => new Response(null, { status: 500 }), GET: () => new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } }) });
    await expect(receiveDownload(LINK)).rejects.toThrow('The file could not be downloaded (the host answered 500).');
    expect(read).toBe(false);
    expect(clicked).toEqual([]);
  });

  it('leaves a file Electron saved, or a cancelled one, as it was', async () => {
    host({});
    await expect(receiveDownload({ outcome: 'saved', path: '/tmp/r.md', manifestPath: '/tmp/r.md.manifest.json' })).resolves.toEqual({
      saved: '/tmp/r.md',
      manifest: '/tmp/r.md.manifest.json',
      inBrowser: false,
    });
    await expect(receiveDownload({ outcome: 'cancelled' })).resolves.toBeNull();
    expect(requests).toEqual([]);
  });
});
