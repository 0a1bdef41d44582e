/** Names turned into ids and file names. */

/** Lowercase ASCII letters, digits and dashes ("Ransomware Response — v2" → "ransomware-response-v2"), at most `maxLength` characters. */
export function slug(text: string, maxLength: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength);
}

/**
 * A scenario id from a name: its slug (58 characters, so a suffix still fits
 * the 64 an id may have), with `prefix-` in front when it would not start with
 * a letter, or `fallback` when nothing is left.
 */
export function idFromName(name: string, fallback: string, prefix: string): string {
  const stem = slug(name, 58);
  if (stem === '') return fallback;
  return /^[a-z]/.test(stem) ? stem : `${prefix}-${stem}`;
}
