/**
 * Renders the app icon from its one source, resources/icon.svg:
 *
 *   resources/icons/<size>x<size>.png  16-1024 px (Linux packages, the windows)
 *   resources/icon.png                 1024 px (electron-builder's fallback)
 *   resources/icon.ico                 16-256 px (Windows)
 *   resources/icon.icns                16-1024 px, PNG entries (macOS)
 *
 *   npm run icons              write them
 *   npm run icons -- --check   exit 1 if a committed file differs from what the SVG gives
 *
 * Every size is rendered from the vector (resvg), not scaled from a bitmap.
 * The output is deterministic, so the files are committed and checked.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Icns, IcnsImage } from '@fiahfy/icns';
import { Ico, IcoImage } from '@fiahfy/ico';
import { Resvg } from '@resvg/resvg-js';

export const RESOURCES = resolve(import.meta.dirname, '..', 'resources');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** The PNG-coded entries of an .icns (macOS 10.7+), by size. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
] as const;

export function renderPng(svg: string, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng());
}

/** Every file the SVG gives, by path relative to resources/. */
export function iconFiles(svg: string): Map<string, Buffer> {
  const png = new Map(PNG_SIZES.map((size) => [size, renderPng(svg, size)] as const));
  const files = new Map<string, Buffer>();
  for (const [size, data] of png) files.set(join('icons', `${size}x${size}.png`), data);
  files.set('icon.png', png.get(1024)!);
  const ico = new Ico();
  for (const size of ICO_SIZES) ico.append(IcoImage.fromPNG(png.get(size)!));
  files.set('icon.ico', ico.data);
  const icns = new Icns();
  for (const [osType, size] of ICNS_TYPES) icns.append(IcnsImage.fromPNG(png.get(size)!, osType));
  files.set('icon.icns', icns.data);
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  const files = iconFiles(readFileSync(join(RESOURCES, 'icon.svg'), 'utf8'));
  const stale: string[] = [];
  for (const [name, data] of files) {
    const path = join(RESOURCES, name);
    if (check) {
      if (!existsSync(path) || !readFileSync(path).equals(data)) stale.push(relative(process.cwd(), path));
      continue;
    }
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
  }
  if (check && stale.length) {
    console.error(`Stale icons (run npm run icons): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(check ? `${files.size} icon files match resources/icon.svg` : `Wrote ${files.size} icon files from resources/icon.svg`);
}
