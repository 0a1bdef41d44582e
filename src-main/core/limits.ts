/**
 * Every size limit, in one place: the contract's input schemas, the web
 * host's and the participants' listener's request bodies, the renderer's
 * file pickers and core's parsers all read them from here (the renderer
 * through `api/limits.ts`), so a file at a limit passes every layer and one
 * byte more is refused by whichever layer sees it first, in the same words
 * (`tooLarge`). Limits that depend on others are derived, not restated: a
 * request body holds the largest legal input of any method once encoded.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** One limit: the most bytes (or characters, for text the app reads as text) and what it is about, in words. */
export interface SizeLimit {
  readonly bytes: number;
  /** "a scenario file": completes "… is larger than the 5 MiB a scenario file may have". */
  readonly noun: string;
}

/** A scenario file (JSON text), in UTF-8 bytes. */
export const SCENARIO_FILE: SizeLimit = { bytes: 5 * MiB, noun: 'a scenario file' };
/** An MSEL as CSV text, in characters. */
export const MSEL_TEXT: SizeLimit = { bytes: 5 * MiB, noun: 'an MSEL' };
/**
 * A file sent to the app whole as base64 (a scenario bundle, a session
 * archive, an MSEL workbook) or a scenario picked with its images, in all.
 * A bundle holds a scenario file at its limit with room for its images.
 */
export const UPLOAD: SizeLimit = { bytes: 16 * MiB, noun: 'a file sent to the app' };
/** A scenario picked with its images (or its folder), in all: as much as a bundle of them. */
export const IMPORT_FILES_TOTAL: SizeLimit = { bytes: UPLOAD.bytes, noun: 'a scenario with its images' };
/** Most files of one scenario-with-images import, and the longest path one may have. */
export const IMPORT_FILES_MAX = 1_100;
export const IMPORT_PATH_MAX_CHARS = 1_000;

/** Participants' inputs (the listener's bodies are derived from them). */
export const PARTICIPANT_LIMITS = {
  questionChars: 1_000,
  rationaleChars: 2_000,
  feedbackQuestions: 12,
  feedbackAnswerChars: 4_000,
  feedbackQuestionIdChars: 40,
} as const;

/** The base64 text of `bytes` bytes (standard alphabet, padded). */
export function base64Chars(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** The most bytes `chars` characters of a string take inside a JSON request (a control character is written \u00XX). */
export function jsonStringBytes(chars: number): number {
  return 6 * chars;
}

/** The method name, keys, small fields and punctuation of one request around its large field(s). */
const ENVELOPE_BYTES = 64 * KiB;

/** The largest base64 field the contract takes: an upload at its limit. */
export const UPLOAD_BASE64_CHARS = base64Chars(UPLOAD.bytes);

/**
 * The web host's largest request body: the largest legal input of any
 * method, JSON-encoded — an upload's base64 (plus, for a scenario with its
 * images, each file's path), or a scenario or MSEL as escaped text.
 */
export const REQUEST_BODY: SizeLimit = {
  bytes:
    Math.max(UPLOAD_BASE64_CHARS + IMPORT_FILES_MAX * (jsonStringBytes(IMPORT_PATH_MAX_CHARS) + 64), jsonStringBytes(SCENARIO_FILE.bytes), jsonStringBytes(MSEL_TEXT.bytes)) +
    ENVELOPE_BYTES,
  noun: 'a request',
};

/** The participants' listener's largest request body: the largest participant call (hot-wash answers), JSON-encoded. */
export const PARTICIPANT_REQUEST_BODY: SizeLimit = {
  bytes:
    PARTICIPANT_LIMITS.feedbackQuestions * (jsonStringBytes(PARTICIPANT_LIMITS.feedbackAnswerChars) + jsonStringBytes(PARTICIPANT_LIMITS.feedbackQuestionIdChars) + 8) + 4 * KiB,
  noun: "a participant's request",
};

/**
 * The listener's unauthenticated bodies (joining, listing the teams): a join code, a name and a team id,
 * JSON-encoded. Anyone on the room network may send these, so they stay far below a participant's call.
 */
export const PARTICIPANT_JOIN_BODY: SizeLimit = { bytes: 4 * KiB, noun: 'a request to join' };

/** A manifest of an export or an archive. */
export const MANIFEST_FILE: SizeLimit = { bytes: 1 * MiB, noun: 'a manifest' };

/** Why something is refused for its size, after its subject: "is larger than the 5 MiB a scenario file may have". */
export function tooLarge(limit: SizeLimit): string {
  return `is larger than the ${formatBytes(limit.bytes)} ${limit.noun} may have`;
}

/** A byte count as people read it: "812 bytes", "14.2 KiB", "5 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < KiB) return `${bytes} bytes`;
  const [value, unit] = bytes < MiB ? [bytes / KiB, 'KiB'] : [bytes / MiB, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** How many bytes base64 text decodes to (its length must be a multiple of 4, as the contract's pattern has it, or it is rounded down). */
export function base64Bytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor(base64.length / 4) * 3 - padding;
}
