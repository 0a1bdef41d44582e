import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Icns } from '@fiahfy/icns';
import { Ico } from '@fiahfy/ico';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, iconFiles, PNG_SIZES, RESOURCES } from '../../scripts/icons.ts';

const svg = readFileSync(join(RESOURCES, 'icon.svg'), 'utf8');
const files = iconFiles(svg);
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ png: png.subarray(1, 4).toString('ascii'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the app icon, from one SVG', () => {
  it('renders a PNG of every size from 16 to 1024 px', () => {
    for (const size of PNG_SIZES) expect(pngSize(files.get(join('icons', `${size}x${size}.png`))!)).toEqual({ png: 'PNG', width: size, height: size });
    expect(Math.min(...PNG_SIZES)).toBe(16);
    expect(Math.max(...PNG_SIZES)).toBe(1024);
  });

  it('makes an .ico with 16-256 px and an .icns with 16-1024 px that read back', () => {
    const ico = Ico.from(files.get('icon.ico')!);
    expect(ico.infoHeaders.map((h) => h.width || 256)).toEqual([...ICO_SIZES]);
    const icns = Icns.from(files.get('icon.icns')!);
    expect(icns.images.map((i) => i.osType)).toEqual(ICNS_TYPES.map(([t]) => t));
  });

  it('the committed files are what the SVG gives (npm run icons after changing it)', () => {
    for (const [name, data] of files) expect(readFileSync(join(RESOURCES, name)).equals(data), name).toBe(true);
  });

  it('index.html uses it as the favicon, as the 32 px PNG rendered from it (cheap for the page to decode)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');
    expect(html).toContain('<link rel="icon" type="image/png" sizes="32x32" href="../resources/icons/32x32.png" />');
    expect(files.has(join('icons', '32x32.png'))).toBe(true);
  });
});
