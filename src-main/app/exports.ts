/**
 * Exports of a session — the After-Action Report (Markdown, HTML), the
 * decision log (CSV) and the whole session (JSON) — each with its manifest,
 * and the check that an export is intact and matches its session's log.
 * The manifest design is described in src-main/core/report/export.ts.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { makePrivate, PRIVATE_FILE_MODE } from '../store/private-files.ts';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { computeDebrief, DebriefError } from '../core/debrief/compute.ts';
import type { ImprovementItem } from '../core/debrief/improvement.ts';
import type { Debrief } from '../core/debrief/model.ts';
import { Pseudonyms } from '../core/debrief/pseudonymise.ts';
import type { LogEvent, SessionConfig } from '../core/engine/events.ts';
import { buildAfterActionReport, type AfterActionReport } from '../core/report/aar.ts';
import { decisionLogCsv } from '../core/report/decision-log.ts';
import {
  exportFileName,
  ExportManifestSchema,
  MANIFEST_SUFFIX,
  MEDIA_TYPES,
  SESSION_EXPORT_KIND,
  SessionExportSchema,
  type ExportFormat,
  type ExportManifest,
  type SessionExport,
} from '../core/report/export.ts';
import { renderHtml } from '../core/report/html.ts';
import { renderMarkdown } from '../core/report/markdown.ts';
import { whatIf, WhatIfError } from '../core/report/what-if.ts';
import type { WhatIf, WhatIfRequest } from '../core/report/what-if-model.ts';
import { parseJsonSafely } from '../core/scenario/safe-json.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import { storedLink, verifyChain } from '../core/engine/chain.ts';
import { eventHash, GENESIS_HASH } from '../store/hash-chain.ts';
import type { SessionRecord } from '../store/sessions.ts';
import type { Store } from '../store/store.ts';
import { AppError, diskFullError } from './errors.ts';
import { readRecordedScenario, sha256Hex } from './recorded-scenario.ts';

/** A session as recorded: its row, the scenario it ran and its whole log. */
export interface LoadedSession {
  record: SessionRecord;
  scenario: Scenario;
  events: LogEvent[];
}

export { sha256Hex };

/** The id of the most recently active session for `latest`, else the id as given. */
export function resolveSessionId(store: Store, idOrLatest: string): string {
  if (idOrLatest !== 'latest') return idOrLatest;
  const latest = store.sessions.list()[0];
  if (!latest) throw new AppError('not_found', 'There are no sessions in this data folder yet.', '/sessionId');
  return latest.id;
}

export function loadSession(store: Store, sessionId: string): LoadedSession {
  const record = store.sessions.get(sessionId);
  if (!record) throw new AppError('not_found', `There is no session ${sessionId}.`, '/sessionId');
  const events = store.sessions.events(sessionId);
  return { record, scenario: sessionScenario(store, sessionId, events), events };
}

/**
 * The scenario a session ran, as stored with it, through the one loader
 * (`readRecordedScenario`): the SHA-256 that the session's own log records
 * (session.created is covered by the hash chain; the sessions row is not),
 * so an edited scenario cannot pass, and a valid scenario.
 */
export function sessionScenario(store: Store, sessionId: string, events: readonly LogEvent[]): Scenario {
  const json = store.sessions.scenarioJson(sessionId);
  const record = store.sessions.get(sessionId);
  if (json === undefined || !record) throw new AppError('not_found', `There is no session ${sessionId}.`, '/sessionId');
  const created = events[0];
  const recorded = created?.type === 'session.created' ? created.payload.scenarioSha256 : record.scenarioSha256;
  const loaded = readRecordedScenario(json, recorded, 'store');
  if (loaded.ok) return loaded.scenario;
  if (loaded.reason === 'sha256') {
    throw new AppError('conflict', `The scenario stored with session ${sessionId} is not the one its log records (its SHA-256 differs): the data folder was altered.`);
  }
  throw new AppError('invalid_scenario', `The scenario stored with session ${sessionId} cannot be read: ${loaded.message}.`);
}

/** The debrief of a recorded session. */
export function debriefSession(loaded: LoadedSession): Debrief {
  try {
    return computeDebrief(loaded.scenario, loaded.events);
  } catch (error) {
    if (error instanceof DebriefError) throw new AppError('conflict', `Session ${loaded.record.id} cannot be debriefed: ${error.message}`);
    throw error;
  }
}

function sessionConfig(loaded: LoadedSession): SessionConfig {
  const first = loaded.events[0];
  if (first?.type !== 'session.created') throw new AppError('conflict', `Session ${loaded.record.id} has no session.created event.`);
  return first.payload;
}

/**
 * Stable pseudonyms for a session: letters in the order of SHA-256(session id,
 * name), so they do not follow the alphabetical order of the real names.
 */
export function sessionPseudonyms(sessionId: string, config: SessionConfig, events: readonly LogEvent[] = []): Pseudonyms {
  return Pseudonyms.forSession(config, (name) => sha256Hex(`${sessionId}\n${name}`), events);
}

export interface ReportOptions {
  pseudonymise: boolean;
  /** e.g. "Sandtable 0.1.0". */
  generator: string;
  /** Wall-clock time of the report. */
  now: number;
  /** What-if replays to list as "alternatives discussed" (only when the facilitator asks for them). */
  alternatives?: readonly WhatIfRequest[] | undefined;
}

/** A session as the report sees it: pseudonymised when asked, with its debrief and improvement items. */
function reportMaterial(store: Store, sessionId: string, pseudonymise: boolean) {
  const loaded = loadSession(store, sessionId);
  const config = sessionConfig(loaded);
  let events = loaded.events;
  let items: ImprovementItem[] = store.improvementPlan.forReport(
    sessionId,
    config.teams.map((t) => t.name),
  );
  if (pseudonymise) {
    const pseudonyms = sessionPseudonyms(sessionId, config, events);
    events = pseudonyms.events(events);
    items = pseudonyms.items(items);
  }
  return { loaded, events, items, debrief: debriefSession({ ...loaded, events }) };
}

function runWhatIf(loaded: LoadedSession, events: readonly LogEvent[], debrief: Debrief, request: WhatIfRequest, pathPrefix = ''): WhatIf {
  try {
    return whatIf(loaded.scenario, events, debrief, request);
  } catch (error) {
    if (error instanceof WhatIfError) throw new AppError('invalid_input', error.message, `${pathPrefix}${error.path}`);
    throw error;
  }
}

/** The after-action report model of a session (what the report screen and the md/html exports lay out). */
export function sessionReport(store: Store, sessionId: string, options: ReportOptions): AfterActionReport {
  return reportOf(reportMaterial(store, sessionId, options.pseudonymise), options);
}

/** The after-action report of material already read (an export reads the log once for its report and its manifest). */
function reportOf({ loaded, events, items, debrief }: ReturnType<typeof reportMaterial>, options: ReportOptions): AfterActionReport {
  const alternatives = (options.alternatives ?? []).map((request, i) => runWhatIf(loaded, events, debrief, request, `/alternatives/${i}`));
  return buildAfterActionReport({
    scenario: loaded.scenario,
    debrief,
    improvementItems: items,
    generatedTimestamp: options.now,
    generator: options.generator,
    pseudonymised: options.pseudonymise,
    alternatives,
  });
}

/** A what-if replay of one of a team's decisions, beside what happened. Computed in memory; nothing is written. */
export function sessionWhatIf(store: Store, sessionId: string, request: WhatIfRequest): WhatIf {
  const loaded = loadSession(store, sessionId);
  return runWhatIf(loaded, loaded.events, debriefSession(loaded), request);
}

export interface ExportOptions {
  format: ExportFormat;
  pseudonymise: boolean;
  alternatives?: readonly WhatIfRequest[] | undefined;
  /** e.g. "Sandtable 0.1.0". */
  generator: string;
  /** Wall-clock time of the export. */
  now: number;
}

export interface ExportFile {
  filename: string;
  content: string;
  manifestFilename: string;
  manifest: ExportManifest;
}

/** An export about to be produced: its file name, its content as a sequence of chunks, and what its manifest says of the log. */
interface PreparedExport {
  filename: string;
  chunks: () => Iterable<string>;
  manifest: (bytes: number, sha256: string) => ExportManifest;
}

/** Builds one export of a session and its manifest, in memory (for the contract; see `writeSessionExport` for files). */
export function exportSession(store: Store, sessionId: string, options: ExportOptions): ExportFile {
  const prepared = prepareExport(store, sessionId, options);
  const content = [...prepared.chunks()].join('');
  const bytes = Buffer.from(content, 'utf8');
  const manifest = prepared.manifest(bytes.length, sha256Hex(bytes));
  return { filename: prepared.filename, content, manifestFilename: `${prepared.filename}${MANIFEST_SUFFIX}`, manifest };
}

/** An export ready to be streamed: its manifest (already computed) and its bytes, produced again on demand. */
export interface StreamedExport extends Omit<ExportFile, 'content'> {
  mediaType: string;
  /** The export's bytes in chunks of about 1 MiB: exactly the bytes the manifest describes, each time it is called. */
  bytes: () => Iterable<Buffer>;
}

/**
 * Prepares one export of a session to be streamed (a download): one pass
 * over its chunks hashes it for the manifest, and `bytes()` produces the same
 * bytes again for the download, so the manifest is known before the first
 * byte is sent and no string the size of the export is ever built. The
 * session's log is read once, here: events recorded later are not in it.
 */
export function streamSessionExport(store: Store, sessionId: string, options: ExportOptions): StreamedExport {
  const prepared = prepareExport(store, sessionId, options);
  const bytes = () => utf8Batches(prepared.chunks());
  const digest = digestChunks(bytes());
  return {
    filename: prepared.filename,
    manifestFilename: `${prepared.filename}${MANIFEST_SUFFIX}`,
    manifest: prepared.manifest(digest.bytes, digest.sha256),
    mediaType: MEDIA_TYPES[options.format],
    bytes,
  };
}

/** The SHA-256 and length of bytes given in chunks (nothing is kept). */
export function digestChunks(chunks: Iterable<Uint8Array>): { sha256: string; bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Strings as UTF-8 buffers of about `size` bytes (never splitting a character: whole strings are joined). */
export function* utf8Batches(chunks: Iterable<string>, size = 1 << 20): Generator<Buffer> {
  let pending: string[] = [];
  let pendingLength = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength >= size) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLength = 0;
    }
  }
  if (pendingLength > 0) yield Buffer.from(pending.join(''), 'utf8');
}

/**
 * Writes one export of a session to `path`, chunk by chunk, hashing as it
 * goes: a 100,000-event JSON export is never one string in memory. The file
 * appears whole or not at all (written beside it, then renamed); the caller
 * writes the manifest it returns. A full disk is a `disk_full` error naming
 * the folder.
 */
export function writeSessionExport(
  store: Store,
  sessionId: string,
  options: ExportOptions,
  target: string | ((filename: string) => string),
): Omit<ExportFile, 'content'> & { path: string } {
  const prepared = prepareExport(store, sessionId, options);
  const path = typeof target === 'string' ? target : target(prepared.filename);
  const { bytes, sha256 } = writePrivateChunks(path, utf8Batches(prepared.chunks()));
  const manifest = prepared.manifest(bytes, sha256);
  return { filename: prepared.filename, manifestFilename: `${prepared.filename}${MANIFEST_SUFFIX}`, manifest, path };
}

/**
 * Writes chunks to `path` (readable by this account only), hashing as it
 * goes. The file appears whole or not at all (written beside it, then
 * renamed, then synced); a full disk is a `disk_full` error naming the folder.
 */
export function writePrivateChunks(path: string, chunks: Iterable<Uint8Array>): { bytes: number; sha256: string } {
  const partial = `${path}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  let fd: number | null = null;
  try {
    fd = openSync(partial, 'w', PRIVATE_FILE_MODE);
    for (const buffer of chunks) {
      hash.update(buffer);
      bytes += buffer.length;
      for (let offset = 0; offset < buffer.length;) offset += writeSync(fd, buffer, offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(partial, path);
    makePrivate(path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(partial, { force: true });
    throw diskFullError(error, dirname(path)) ?? error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

function prepareExport(store: Store, sessionId: string, options: ExportOptions): PreparedExport {
  const material = reportMaterial(store, sessionId, options.pseudonymise);
  const { loaded, events, items, debrief } = material;
  const { record, scenario } = loaded;

  let chunks: () => Iterable<string>;
  switch (options.format) {
    case 'md':
    case 'html': {
      const report = reportOf(material, options);
      const content = options.format === 'md' ? renderMarkdown(report) : renderHtml(report);
      chunks = () => [content];
      break;
    }
    case 'csv': {
      const content = decisionLogCsv(debrief);
      chunks = () => [content];
      break;
    }
    case 'json': {
      const document: SessionExport = {
        kind: SESSION_EXPORT_KIND,
        formatVersion: 1,
        generator: options.generator,
        generatedTimestamp: options.now,
        pseudonymised: options.pseudonymise,
        session: {
          id: record.id,
          name: record.name,
          facilitator: record.facilitator,
          status: record.status,
          scenarioId: record.scenarioId,
          scenarioVersion: record.scenarioVersion,
          scenarioSha256: record.scenarioSha256,
          createdWallMs: record.createdWallMs,
          updatedWallMs: record.updatedWallMs,
          lastSeq: record.lastSeq,
          lastHash: record.lastHash,
        },
        scenario,
        events,
        metrics: debrief,
        improvementPlan: items,
      };
      chunks = () => prettyJsonChunks(document);
      break;
    }
  }

  const filename = exportFileName(record, options.format, options.pseudonymise);
  const last = loaded.events.at(-1);
  return {
    filename,
    chunks,
    manifest: (bytes, sha256) => ({
      kind: 'sandtable.export-manifest',
      manifestVersion: 1,
      generator: options.generator,
      generatedTimestamp: options.now,
      file: filename,
      format: options.format,
      mediaType: MEDIA_TYPES[options.format],
      bytes,
      sha256,
      pseudonymised: options.pseudonymise,
      session: { id: record.id, name: record.name, scenarioId: record.scenarioId, scenarioVersion: record.scenarioVersion, scenarioSha256: record.scenarioSha256 },
      log: { eventCount: loaded.events.length, lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? GENESIS_HASH },
    }),
  };
}

/**
 * `JSON.stringify(document, null, 2) + "\n"`, byte for byte, as chunks:
 * long arrays (the log, a team's decisions, its timeline) and the objects
 * holding them are written member by member, everything else as one
 * `JSON.stringify` each, so no string the size of the whole export is built.
 */
function* prettyJsonChunks(document: unknown): Generator<string> {
  yield* prettyJson(document, '');
  yield '\n';
}

const LONG_ARRAY = 64;

/** True when `value` holds an array longer than LONG_ARRAY within `depth` levels. */
function holdsLongArray(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || hasToJson(value)) return false;
  if (Array.isArray(value)) return value.length > LONG_ARRAY || (depth > 0 && value.some((v) => holdsLongArray(v, depth - 1)));
  if (depth === 0) return false;
  for (const key in value) if (holdsLongArray((value as Record<string, unknown>)[key], depth - 1)) return true;
  return false;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Omitted as object members, null as array elements: what JSON.stringify does with them. */
function unprintable(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function* prettyJson(value: unknown, indent: string): Generator<string> {
  if (!holdsLongArray(value, 4)) {
    const text = JSON.stringify(value, null, 2);
    yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield `[\n${inner}`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield `,\n${inner}`;
      const item: unknown = value[i];
      if (unprintable(item)) yield 'null';
      else yield* prettyJson(item, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => !unprintable(v));
  yield `{\n${inner}`;
  for (let i = 0; i < entries.length; i++) {
    const [key, member] = entries[i]!;
    if (i > 0) yield `,\n${inner}`;
    yield `${JSON.stringify(key)}: `;
    yield* prettyJson(member, inner);
  }
  yield `\n${indent}}`;
}

// ---------------------------------------------------------------- verification

export interface VerifyCheck {
  ok: boolean;
  message: string;
}

export interface VerifyReport {
  /** Every check passed. */
  ok: boolean;
  checks: VerifyCheck[];
  manifest: ExportManifest | null;
}

/**
 * Checks an export: its bytes against its manifest, a JSON export's log and
 * metrics against each other, and — with a store — the manifest (and a JSON
 * export's log) against the session's log in that store.
 */
export function verifyExport(content: Uint8Array, manifestText: string | null, store?: Store): VerifyReport {
  const checks: VerifyCheck[] = [];
  const check = (ok: boolean, pass: string, fail: string) => {
    checks.push({ ok, message: ok ? pass : fail });
    return ok;
  };
  const done = (manifest: ExportManifest | null): VerifyReport => ({ ok: checks.length > 0 && checks.every((c) => c.ok), checks, manifest });

  if (manifestText === null) {
    check(false, '', `No manifest: the export's ${MANIFEST_SUFFIX} file is needed to verify it.`);
    return done(null);
  }
  const parsedManifest = parseJsonSafely(manifestText, { maxBytes: 1024 * 1024 });
  const manifestResult = parsedManifest.ok ? ExportManifestSchema.safeParse(parsedManifest.value) : null;
  if (!manifestResult?.success) {
    check(false, '', 'The manifest is not a Sandtable export manifest.');
    return done(null);
  }
  const manifest = manifestResult.data;
  const sha = sha256Hex(content);
  const intact = check(
    sha === manifest.sha256 && content.length === manifest.bytes,
    `The file is intact: ${content.length} bytes, SHA-256 ${sha} as in the manifest.`,
    `The file was changed after it was exported: SHA-256 ${sha} (${content.length} bytes), the manifest says ${manifest.sha256} (${manifest.bytes} bytes).`,
  );

  let exported: { document: SessionExport; raw: Record<string, unknown> } | null = null;
  if (intact && manifest.format === 'json') exported = checkJsonExport(content, manifest, check);
  if (intact && (manifest.format === 'md' || manifest.format === 'html')) {
    check(
      Buffer.from(content).toString('utf8').includes(manifest.log.lastHash),
      'The report names the final event-log hash of the manifest.',
      'The report does not name the final event-log hash of its manifest.',
    );
  }
  if (store) checkAgainstStore(store, manifest, exported?.document ?? null, check);
  return done(manifest);
}

type Check = (ok: boolean, pass: string, fail: string) => boolean;

function checkJsonExport(content: Uint8Array, manifest: ExportManifest, check: Check): { document: SessionExport; raw: Record<string, unknown> } | null {
  // The export wraps a scenario, which may itself nest up to the default limit.
  const parsed = parseJsonSafely(Buffer.from(content).toString('utf8'), { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 96 });
  const result = parsed.ok ? SessionExportSchema.safeParse(parsed.value) : null;
  const ok = check(result?.success === true, 'The JSON export is a Sandtable session export.', 'The JSON file is not a Sandtable session export.');
  if (!ok || !result?.success) return null;
  const document = result.data;
  const raw = parsed.ok ? (parsed.value as Record<string, unknown>) : {};
  const events = document.events as unknown as LogEvent[];
  const last = events.at(-1);
  check(
    last?.hash === manifest.log.lastHash && document.session.lastHash === manifest.log.lastHash && events.length === manifest.log.eventCount,
    `The export holds the whole log the manifest names (${events.length} events, final hash ${manifest.log.lastHash}).`,
    'The log in the export is not the one the manifest names.',
  );
  if (document.pseudonymised) {
    note(check, 'The hash chain is not recomputed: pseudonymising changed the payloads it covers (the hashes are those recorded).');
  } else {
    const chain = verifyChain(document.session.id, events.map(storedLink), eventHash);
    check(chain.ok, 'The hash chain of the exported log recomputes from the first event to the last.', `The exported log was altered: ${chain.ok ? '' : chain.message}`);
    const first = events[0];
    const recordedSha = first?.type === 'session.created' ? first.payload.scenarioSha256 : document.session.scenarioSha256;
    if (recordedSha) {
      check(
        sha256Hex(JSON.stringify(raw.scenario)) === recordedSha,
        'The scenario is the one the session ran (its SHA-256 matches).',
        'The scenario in the export is not the one the session ran.',
      );
    }
  }
  let recomputed: unknown = null;
  try {
    recomputed = JSON.parse(JSON.stringify(computeDebrief(document.scenario, events)));
  } catch (error) {
    recomputed = error instanceof Error ? error.message : String(error);
  }
  check(isDeepStrictEqual(recomputed, raw.metrics), 'The metrics recompute from the exported log to the same values.', 'The metrics in the export do not follow from its log.');
  return { document, raw };
}

/** Records an informational line among the checks. */
function note(check: Check, message: string): void {
  check(true, message, message);
}

function checkAgainstStore(store: Store, manifest: ExportManifest, document: SessionExport | null, check: Check): void {
  const id = manifest.session.id;
  const record = store.sessions.get(id);
  if (!check(record !== undefined, `The data folder holds session ${id}.`, `The data folder has no session ${id}.`)) return;
  const chain = store.sessions.verifyChain(id);
  if (
    !check(
      chain.ok,
      `The session's log in the data folder is intact (${chain.ok ? chain.count : 0} events).`,
      `The session's log in the data folder is damaged: ${chain.ok ? '' : chain.message}`,
    )
  )
    return;
  const atExport = manifest.log.lastSeq > 0 ? store.sessions.events(id, manifest.log.lastSeq - 1)[0] : undefined;
  const matches = manifest.log.lastSeq === 0 ? record!.lastSeq === 0 : atExport?.seq === manifest.log.lastSeq && atExport.hash === manifest.log.lastHash;
  const later = record!.lastSeq - manifest.log.lastSeq;
  check(
    matches,
    `The export matches the session's log up to event ${manifest.log.lastSeq}${later > 0 ? ` (the session has ${later} more event${later === 1 ? '' : 's'} since the export)` : ''}.`,
    `The export does not match the session's log: event ${manifest.log.lastSeq} there has hash ${atExport?.hash ?? '(none)'}, the manifest says ${manifest.log.lastHash}.`,
  );
  if (document) {
    // Pseudonymised exports changed the payloads on purpose; everything else must be as recorded.
    const stored = store.sessions.events(id);
    const same = (e: SessionExport['events'][number], r: LogEvent | undefined) =>
      r !== undefined &&
      e.seq === r.seq &&
      e.hash === r.hash &&
      e.prevHash === r.prevHash &&
      e.type === r.type &&
      e.teamId === r.teamId &&
      e.origin === r.origin &&
      e.scenarioMs === r.scenarioMs &&
      e.wallMs === r.wallMs &&
      (document.pseudonymised || JSON.stringify(e.payload) === JSON.stringify(r.payload));
    const mismatch = document.events.find((e, i) => !same(e, stored[i]));
    check(
      mismatch === undefined,
      `Every event in the export is the session's recorded event${document.pseudonymised ? ' (payloads aside: names were replaced)' : ''}.`,
      `Event ${mismatch?.seq ?? '?'} in the export is not the session's recorded event.`,
    );
  }
}
