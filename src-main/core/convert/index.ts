/**
 * Scenarios from peer formats: detects the format of a parsed JSON file and
 * converts it into a Sandtable draft, saying what could not be carried over.
 * Used by `npm run convert` and by the app's scenario import.
 */
import { convertIcebergTtx, looksLikeIcebergTtx } from './icebergttx.ts';
import type { Conversion, PeerFormat } from './shared.ts';
import { convertT3sf, looksLikeT3sf } from './t3sf.ts';

export type { Conversion, PeerFormat };

export const PEER_FORMAT_NAMES: Readonly<Record<PeerFormat, string>> = {
  icebergttx: 'IcebergTTX scenario (schema_version 1.0)',
  't3sf-msel': 'T3SF MSEL',
};

/** The peer format a parsed JSON value is written in, or null (a Sandtable scenario, or unknown). */
export function detectPeerFormat(value: unknown): PeerFormat | null {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'formatVersion' in value) return null;
  if (looksLikeIcebergTtx(value)) return 'icebergttx';
  if (looksLikeT3sf(value)) return 't3sf-msel';
  return null;
}

/** Converts a value in a peer format (detected, or the one named). */
export function convertPeerFormat(value: unknown, options: { format?: PeerFormat; fileName?: string } = {}): Conversion | null {
  const format = options.format ?? detectPeerFormat(value);
  if (format === 'icebergttx') return convertIcebergTtx(value, options.fileName);
  if (format === 't3sf-msel') return convertT3sf(value, options.fileName);
  return null;
}
