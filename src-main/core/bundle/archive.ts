/**
 * Sandtable's two archive formats and the rules any archive must pass before
 * a byte of it is used. Pure: the zip reading itself, hashing and files live
 * in src-main/app (zip.ts, interop.ts).
 *
 * - A scenario bundle (`.sandtable`): `scenario.json`, the image assets it
 *   refers to at the paths it refers to them by (by convention under
 *   `assets/`), and `manifest.json`.
 * - A session archive (`.sandtable-session`): `events.jsonl` (the session's
 *   log, one event a line, exactly as recorded), `scenario.json` (the
 *   scenario version the session ran, as stored with it) and `manifest.json`
 *   (the session record, with its final event-log hash).
 *
 * Each manifest lists the SHA-256 and size of every other entry.
 */
import { z } from 'zod';
import type { LogEvent } from '../engine/events.ts';
import { parseJsonSafely } from '../scenario/safe-json.ts';
import type { Scenario } from '../scenario/schema.ts';

export const SCENARIO_BUNDLE_EXTENSION = '.sandtable';
export const SESSION_ARCHIVE_EXTENSION = '.sandtable-session';
export const MANIFEST_ENTRY = 'manifest.json';
export const SCENARIO_ENTRY = 'scenario.json';
export const EVENTS_ENTRY = 'events.jsonl';

// ---------------------------------------------------------------- limits

/** Caps on an archive, checked on declared sizes first and on the bytes actually inflated after. */
export interface ArchiveLimits {
  /** Size of the archive file itself. */
  maxArchiveBytes: number;
  /** Number of entries (folders included). */
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed / compressed size of one entry, checked on entries of at least `RATIO_FLOOR_BYTES`. */
  maxRatio: number;
}

/** Entries smaller than this are not held to the compression-ratio cap: they cannot do harm, and small text compresses very well. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

const MiB = 1024 * 1024;

/** A scenario (5 MiB at most) with up to a thousand images. */
export const SCENARIO_BUNDLE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 100 * MiB,
  maxEntries: 1_100,
  maxEntryBytes: 20 * MiB,
  maxTotalBytes: 200 * MiB,
  maxRatio: 100,
};

/** Three entries; a log of a long exercise is a few MiB, so these leave ample room. */
export const SESSION_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 64 * MiB,
  maxEntries: 3,
  maxEntryBytes: 128 * MiB,
  maxTotalBytes: 160 * MiB,
  maxRatio: 100,
};

// ---------------------------------------------------------------- entry names and kinds

/**
 * Why an entry name is refused, or null when it is a safe relative path:
 * forward slashes only, no absolute path or drive letter, no `.` or `..`
 * segment, no empty segment, no control character, at most 255 characters.
 */
export function entryNameProblem(name: string): string | null {
  if (name === '') return 'has an empty name';
  if (name.length > 255) return 'has a name longer than 255 characters';
  // eslint-disable-next-line no-control-regex -- the pattern is there to find control characters
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has a control character in its name';
  if (name.includes('\\')) return 'has a backslash in its name (only "/" separates folders in an archive)';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) return 'climbs out of the archive with ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment in its path';
  return null;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * Why an entry's kind is refused, or null for a plain file or folder. The
 * kind is the Unix file type in the upper half of the external attributes
 * (zero when the archiver did not record one).
 */
export function entryKindProblem(externalAttributes: number, isFolder: boolean): string | null {
  const type = (externalAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'is a symbolic link';
  if (type === 0 || type === S_IFREG) return null;
  if (type === S_IFDIR) return isFolder ? null : 'is marked as a folder but named like a file';
  return 'is not a plain file (a device, pipe or socket)';
}

// ---------------------------------------------------------------- manifests

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex');
const EntryDigest = z.strictObject({ sha256: Sha256, bytes: z.number().int().min(0) });
const EntryDigests = z.record(z.string().max(255), EntryDigest);

export const ScenarioBundleManifest = z.strictObject({
  format: z.literal('sandtable-scenario-bundle'),
  formatVersion: z.literal(1),
  scenario: z.strictObject({ id: z.string().max(64), version: z.string().max(100), title: z.string().max(200) }),
  exportedWallMs: z.number().int(),
  entries: EntryDigests,
});
export type ScenarioBundleManifest = z.infer<typeof ScenarioBundleManifest>;

export const ArchivedSession = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().max(1_000),
  facilitator: z.string().max(1_000),
  scenarioId: z.string().max(64),
  scenarioVersion: z.string().max(100),
  scenarioSha256: Sha256,
  status: z.enum(['setup', 'paused', 'ended', 'running']),
  createdWallMs: z.number().int(),
  updatedWallMs: z.number().int(),
  lastSeq: z.number().int().min(0),
  lastHash: Sha256,
});

export const SessionArchiveManifest = z.strictObject({
  format: z.literal('sandtable-session-archive'),
  formatVersion: z.literal(1),
  session: ArchivedSession,
  exportedWallMs: z.number().int(),
  entries: EntryDigests,
});
export type SessionArchiveManifest = z.infer<typeof SessionArchiveManifest>;

/** Reads a manifest's JSON text against its schema; the reason when it does not fit. */
export function parseManifest<T extends z.ZodType>(schema: T, text: string): { ok: true; manifest: z.infer<T> } | { ok: false; message: string } {
  const json = parseJsonSafely(text, { maxBytes: 1024 * 1024, maxDepth: 8 });
  if (!json.ok) return { ok: false, message: `is not readable JSON (${json.issues[0]?.message ?? 'unknown reason'})` };
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `does not describe this kind of archive (${issue.path.join('.') || 'the manifest'}: ${issue.message})` };
  }
  return { ok: true, manifest: parsed.data };
}

// ---------------------------------------------------------------- the event log as JSON lines

const ArchivedEvent = z.strictObject({
  seq: z.number().int().min(1),
  teamId: z.string().max(64).nullable(),
  type: z.string().min(1).max(64),
  origin: z.enum(['command', 'engine']),
  scenarioMs: z.number().int().min(0),
  wallMs: z.number().int(),
  payload: z.unknown(),
  prevHash: Sha256,
  hash: Sha256,
});

/** The log as JSON lines, one event a line, each with its seq and hashes as stored. */
export function encodeEventLines(events: readonly LogEvent[]): string {
  return events
    .map((e) =>
      JSON.stringify({
        seq: e.seq,
        teamId: e.teamId,
        type: e.type,
        origin: e.origin,
        scenarioMs: e.scenarioMs,
        wallMs: e.wallMs,
        payload: e.payload,
        prevHash: e.prevHash,
        hash: e.hash,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** The lines of `encodeEventLines`, one at a time (a session archive streams them instead of building the whole text). */
export function* eventLines(events: readonly LogEvent[]): Generator<string> {
  for (const e of events) yield encodeEventLines([e]);
}

/** Reads JSON lines back into log events of a session; the first line that does not fit stops it. */
export function decodeEventLines(text: string, sessionId: string): { ok: true; events: LogEvent[] } | { ok: false; line: number; message: string } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const events: LogEvent[] = [];
  for (const [index, line] of lines.entries()) {
    const json = parseJsonSafely(line, { maxBytes: 8 * 1024 * 1024 });
    if (!json.ok) return { ok: false, line: index + 1, message: json.issues[0]?.message ?? 'is not JSON' };
    const parsed = ArchivedEvent.safeParse(json.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, line: index + 1, message: `${issue.path.join('.') || 'the event'}: ${issue.message}` };
    }
    events.push({ ...parsed.data, sessionId } as LogEvent);
  }
  return { ok: true, events };
}

// ---------------------------------------------------------------- scenario assets

/** A relative path without "." or empty segments ("./assets//a.png" → "assets/a.png"). */
export function normaliseRelativePath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/** The image files a scenario refers to, as normalised paths relative to the scenario file. */
export function scenarioAssetPaths(scenario: Scenario): string[] {
  const paths = new Set<string>();
  for (const evidence of scenario.evidence) if (evidence.kind === 'image') paths.add(normaliseRelativePath(evidence.asset));
  return [...paths].sort();
}

const IMAGE_SIGNATURES: ReadonlyArray<{ extensions: readonly string[]; matches: (b: Uint8Array) => boolean }> = [
  { extensions: ['png'], matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { extensions: ['jpg', 'jpeg'], matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { extensions: ['gif'], matches: (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38]) },
  { extensions: ['webp'], matches: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]) },
];

/** Whether a file's first bytes are those of the image type its extension names. */
export function looksLikeImage(path: string, bytes: Uint8Array): boolean {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const signature = IMAGE_SIGNATURES.find((s) => s.extensions.includes(extension));
  return signature !== undefined && signature.matches(bytes);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
