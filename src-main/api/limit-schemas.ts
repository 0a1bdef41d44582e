/**
 * Contract fields that carry a file, with the size limits of core/limits.ts
 * and their one refusal (`tooLarge`), so the contract refuses exactly what
 * the renderer's pickers and core's readers refuse, in the same words.
 */
import { z } from 'zod';
import { base64Bytes, base64Chars, MSEL_TEXT, SCENARIO_FILE, tooLarge, UPLOAD, type SizeLimit } from '../core/limits.ts';
import { utf8ByteLength } from '../core/scenario/safe-json.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 text of a file of at most `limit` bytes (a refusal for its size first, alone). */
export function base64File(limit: SizeLimit = UPLOAD) {
  return z
    .string()
    .refine((text) => text.length <= base64Chars(limit.bytes) && base64Bytes(text) <= limit.bytes, { error: tooLarge(limit), abort: true })
    .regex(BASE64, 'base64 text');
}

/** A scenario file's text: at most its limit in UTF-8 bytes (a longer string is refused without counting). */
export const ScenarioText = z.string().refine((text) => text.length <= SCENARIO_FILE.bytes && utf8ByteLength(text) <= SCENARIO_FILE.bytes, tooLarge(SCENARIO_FILE));

/** An MSEL's CSV text, in characters. */
export const MselText = z.string().max(MSEL_TEXT.bytes, tooLarge(MSEL_TEXT));
