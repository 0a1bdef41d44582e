/**
 * Zip archives in memory, read as hostile input.
 *
 * Reading uses yauzl, which was written for untrusted archives: it walks the
 * central directory checking every signature and bound, refuses absolute
 * paths, ".." and backslashes in names, and stops inflating an entry as soon
 * as it yields more bytes than declared. On top of that, every entry must
 * pass the rules of src-main/core/bundle/archive.ts (safe name, plain file or
 * folder, no encryption, deflate or stored), the caps on entry count, sizes
 * and compression ratio (on declared sizes before inflating, and on the bytes
 * actually produced while inflating), and its CRC-32. Nothing touches the
 * disk here. Writing uses yazl, yauzl's counterpart.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import yazl from 'yazl';
import { entryKindProblem, entryNameProblem, RATIO_FLOOR_BYTES, type ArchiveLimits } from '../core/bundle/archive.ts';
import { formatBytes } from '../core/scenario/safe-json.ts';

/** An archive that is refused: which entry ('' for the archive as a whole), and why. */
export class ArchiveError extends Error {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(entry === '' ? `the archive ${reason}` : `${entry}: ${reason}`);
    this.name = 'ArchiveError';
  }
}

/** Reads every file of a zip archive into memory (folders are skipped), or throws an ArchiveError. */
export async function readZip(bytes: Uint8Array, limits: ArchiveLimits): Promise<Map<string, Buffer>> {
  if (bytes.byteLength > limits.maxArchiveBytes) {
    throw new ArchiveError('', `is ${formatBytes(bytes.byteLength)}, more than the ${formatBytes(limits.maxArchiveBytes)} allowed`);
  }
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: true,
      strictFileNames: true,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw describeYauzlError(error);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveError('', `has ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed`);
    }
    const files = new Map<string, Buffer>();
    const seen = new Set<string>();
    let declaredTotal = 0;
    let actualTotal = 0;
    let count = 0;
    const entries = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        throw describeYauzlError(error);
      }
      if (next.done) break;
      const entry = next.value;
      count += 1;
      if (count > limits.maxEntries) throw new ArchiveError('', `has more than ${limits.maxEntries} entries`);
      const name = entry.fileName;
      const isFolder = name.endsWith('/');
      const refuse = (message: string) => new ArchiveError(name, message);

      const nameProblem = entryNameProblem(name);
      if (nameProblem) throw refuse(`refused: the entry ${nameProblem}`);
      const kindProblem = entryKindProblem(entry.externalFileAttributes, isFolder);
      if (kindProblem) throw refuse(`refused: the entry ${kindProblem}`);
      if (entry.isEncrypted()) throw refuse('refused: the entry is encrypted');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw refuse(`refused: compression method ${entry.compressionMethod} is not supported (only stored and deflate)`);
      }
      const folded = name.toLowerCase();
      if (seen.has(folded)) throw refuse('refused: the archive has this entry twice (names are compared ignoring case)');
      seen.add(folded);

      // Declared sizes, before anything is inflated.
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw refuse(`refused: it declares ${formatBytes(entry.uncompressedSize)}, more than the ${formatBytes(limits.maxEntryBytes)} an entry may have`);
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        throw refuse(`refused: the entries declare more than the ${formatBytes(limits.maxTotalBytes)} an archive may hold in all`);
      }
      if (entry.uncompressedSize >= RATIO_FLOOR_BYTES && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        throw refuse(`refused: it would inflate ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times (at most ${limits.maxRatio} allowed; a zip bomb?)`);
      }
      if (isFolder) {
        if (entry.uncompressedSize !== 0) throw refuse('refused: a folder entry with content');
        continue;
      }

      const data = await inflateEntry(zip, entry, limits, limits.maxTotalBytes - actualTotal);
      actualTotal += data.byteLength;
      if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw refuse('is damaged: its content does not match its checksum (CRC-32)');
      files.set(name, data);
    }
    return files;
  } finally {
    zip.close();
  }
}

/**
 * Inflates one entry with hard limits on the bytes actually produced: the
 * declared size (yauzl), the entry and total caps and the ratio cap (here).
 * The stream is destroyed the moment a limit is passed.
 */
async function inflateEntry(zip: ZipFile, entry: Entry, limits: ArchiveLimits, totalLeft: number): Promise<Buffer> {
  const name = entry.fileName;
  let stream;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new ArchiveError(name, `cannot be read: ${describeStreamError(error)}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > limits.maxEntryBytes) throw new ArchiveError(name, `refused: it inflates to more than ${formatBytes(limits.maxEntryBytes)}`);
      if (size > totalLeft) throw new ArchiveError(name, `refused: the archive inflates to more than ${formatBytes(limits.maxTotalBytes)} in all`);
      if (size >= RATIO_FLOOR_BYTES && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        throw new ArchiveError(name, `refused: it inflates more than ${limits.maxRatio} times its compressed size (a zip bomb?)`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(name, describeStreamError(error));
  }
  return Buffer.concat(chunks, size);
}

/** Turns yauzl's and zlib's messages into ones a user can act on. */
function describeStreamError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/too many bytes in the stream/.test(message)) return 'refused: it inflates to more than its declared size (a zip bomb, or a forged header)';
  if (/not enough bytes in the stream/.test(message)) return 'is damaged: it inflates to less than its declared size';
  return `is damaged (${message})`;
}

function describeYauzlError(error: unknown): ArchiveError {
  const message = error instanceof Error ? error.message : String(error);
  const named = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(message);
  if (named) {
    const reason =
      named[1] === 'absolute path' ? 'is an absolute path' : named[1] === 'invalid relative path' ? 'climbs out of the archive with ".."' : 'has a backslash in its name';
    return new ArchiveError(named[2]!, `refused: the entry ${reason}`);
  }
  if (/end of central directory record signature not found/i.test(message)) {
    return new ArchiveError('', 'is not a zip archive, or it is truncated (its end-of-archive record is missing)');
  }
  if (/central directory|signature|overflows|extends beyond|truncated|EOF/i.test(message)) {
    return new ArchiveError('', `is damaged or truncated (${message})`);
  }
  return new ArchiveError('', `cannot be read as a zip archive (${message})`);
}

/** One file to put into an archive. */
export interface ZipInput {
  name: string;
  data: Uint8Array;
}

/** One file to put into an archive as it is produced: its chunks, made on demand, and how many bytes they make. */
export interface ZipStreamInput {
  name: string;
  chunks: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Checked by yazl against the bytes the chunks actually make (a mismatch fails the archive). */
  bytes: number;
}

/**
 * Writes files into a zip archive as a stream (deflated, mode 0644, the given
 * modification time). Entries given as chunks are deflated as they are
 * produced, one at a time when the stream is read, so memory holds a chunk
 * and zlib's window, never a whole entry; entries given as bytes are added
 * as they are. Nothing is buffered beyond what the reader has not yet taken.
 */
export async function* zipStream(files: readonly (ZipInput | ZipStreamInput)[], mtime: Date): AsyncGenerator<Buffer> {
  const zip = new yazl.ZipFile();
  const options = { mtime, mode: 0o100644, compress: true };
  for (const file of files) {
    if ('data' in file) zip.addBuffer(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), file.name, options);
    else zip.addReadStreamLazy(file.name, { ...options, size: file.bytes }, (cb) => cb(null, Readable.from(file.chunks(), { objectMode: false })));
  }
  zip.end();
  for await (const chunk of zip.outputStream) yield chunk as Buffer;
}

/** Writes files into a zip archive in memory (deflated, mode 0644, the given modification time). */
export async function writeZip(files: readonly ZipInput[], mtime: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of zipStream(files, mtime)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
