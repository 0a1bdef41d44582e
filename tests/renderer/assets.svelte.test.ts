/**
 * Evidence images (lib/assets.svelte.ts): loaded once, and asked again after a
 * refusal — the projector and phones get only the images their view shows, so
 * an image refused while the view was changing must load when it is shown again.
 */
import { describe, expect, it } from 'vitest';
import { AssetCache } from '../../src-renderer/src/lib/assets.svelte.ts';

const settled = () => new Promise((done) => setTimeout(done, 0));

describe('AssetCache', () => {
  it('loads a path once and answers from memory after', async () => {
    const asked: string[] = [];
    const cache = new AssetCache((path) => {
      asked.push(path);
      return Promise.resolve(`data:image/png;base64,${path}`);
    });
    expect(cache.resolve('a.png')).toBeUndefined();
    expect(cache.resolve('a.png')).toBeUndefined(); // in flight: not asked twice
    await settled();
    expect(cache.resolve('a.png')).toBe('data:image/png;base64,a.png');
    expect(asked).toEqual(['a.png']);
  });

  it('asks again after a refusal, once per render, not in a loop', async () => {
    let refuse = true;
    const asked: string[] = [];
    const cache = new AssetCache((path) => {
      asked.push(path);
      return refuse ? Promise.reject(new Error('This screen shows no image at this path.')) : Promise.resolve(`data:${path}`);
    });
    expect(cache.resolve('diagram.png')).toBeUndefined();
    await settled();
    expect(asked).toEqual(['diagram.png']); // nothing retried by itself
    refuse = false;
    expect(cache.resolve('diagram.png')).toBeUndefined(); // the next render asks again
    await settled();
    expect(cache.resolve('diagram.png')).toBe('data:diagram.png');
    expect(asked).toEqual(['diagram.png', 'diagram.png']);
  });
});
