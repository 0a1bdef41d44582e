/**
 * JSON Pointer (RFC 6901) helpers. Every validation error in Sandtable names
 * the place at fault as a pointer such as `/timeline/3/options/0/next`.
 */

/** Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Builds a pointer from path segments; the empty path is the whole document (`""`). */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((segment) => '/' + escapeToken(typeof segment === 'symbol' ? String(segment.description) : segment)).join('');
}
