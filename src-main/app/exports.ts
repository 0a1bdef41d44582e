/**
 * Exports of a session — the After-Action Report (Markdown, HTML), the
 * decision log (CSV) and the whole session (JSON) — each with its manifest,
 * and the check that an export is intact and matches its session's log.
 * The manifest design is described in src-main/core/report/export.ts.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { computeDebrief, DebriefError } from '../core/debrief/compute.ts';
import type { ImprovementItem } from '../core/debrief/improvement.ts';
import type { Debrief } from '../core/debrief/model.ts';
import { Pseudonyms } from '../core/debrief/pseudonymise.ts';
import type { LogEvent, SessionConfig } from '../core/engine/events.ts';
import { buildAfterActionReport } from '../core/report/aar.ts';
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
import { parseJsonSafely } from '../core/scenario/safe-json.ts';
import { Scenario } from '../core/scenario/schema.ts';
import { eventHash, GENESIS_HASH } from '../store/hash-chain.ts';
import type { SessionRecord } from '../store/sessions.ts';
import type { Store } from '../store/store.ts';
import { AppError } from './errors.ts';

/** A session as recorded: its row, the scenario it ran and its whole log. */
export interface LoadedSession {
  record: SessionRecord;
  scenario: Scenario;
  events: LogEvent[];
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

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
 * The scenario a session ran, as stored with it, checked against the SHA-256
 * that the session's own log records (session.created is covered by the hash
 * chain; the sessions row is not), so an edited scenario cannot pass.
 */
export function sessionScenario(store: Store, sessionId: string, events: readonly LogEvent[]): Scenario {
  const json = store.sessions.scenarioJson(sessionId);
  if (json === undefined) throw new AppError('not_found', `There is no session ${sessionId}.`, '/sessionId');
  const created = events[0];
  const recorded = created?.type === 'session.created' ? created.payload.scenarioSha256 : undefined;
  if (recorded && sha256Hex(json) !== recorded) {
    throw new AppError('conflict', `The scenario stored with session ${sessionId} is not the one its log records (its SHA-256 differs): the data folder was altered.`);
  }
  return Scenario.parse(JSON.parse(json));
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

export interface ExportOptions {
  format: ExportFormat;
  pseudonymise: boolean;
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

/** Builds one export of a session and its manifest. */
export function exportSession(store: Store, sessionId: string, options: ExportOptions): ExportFile {
  const loaded = loadSession(store, sessionId);
  const { record, scenario } = loaded;
  const config = sessionConfig(loaded);
  let events = loaded.events;
  let items: ImprovementItem[] = store.improvementPlan.forReport(sessionId, config.teams.map((t) => t.name));
  if (options.pseudonymise) {
    const pseudonyms = sessionPseudonyms(sessionId, config, events);
    events = pseudonyms.events(events);
    items = pseudonyms.items(items);
  }
  const debrief = debriefSession({ ...loaded, events });

  let content: string;
  switch (options.format) {
    case 'md':
    case 'html': {
      const report = buildAfterActionReport({
        scenario,
        debrief,
        improvementItems: items,
        generatedTimestamp: options.now,
        generator: options.generator,
        pseudonymised: options.pseudonymise,
      });
      content = options.format === 'md' ? renderMarkdown(report) : renderHtml(report);
      break;
    }
    case 'csv':
      content = decisionLogCsv(debrief);
      break;
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
      content = `${JSON.stringify(document, null, 2)}\n`;
      break;
    }
  }

  const filename = exportFileName(record, options.format, options.pseudonymise);
  const bytes = Buffer.from(content, 'utf8');
  const last = loaded.events.at(-1);
  const manifest: ExportManifest = {
    kind: 'sandtable.export-manifest',
    manifestVersion: 1,
    generator: options.generator,
    generatedTimestamp: options.now,
    file: filename,
    format: options.format,
    mediaType: MEDIA_TYPES[options.format],
    bytes: bytes.length,
    sha256: sha256Hex(bytes),
    pseudonymised: options.pseudonymise,
    session: { id: record.id, name: record.name, scenarioId: record.scenarioId, scenarioVersion: record.scenarioVersion, scenarioSha256: record.scenarioSha256 },
    log: { eventCount: loaded.events.length, lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? GENESIS_HASH },
  };
  return { filename, content, manifestFilename: `${filename}${MANIFEST_SUFFIX}`, manifest };
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
    const broken = firstChainBreak(document.session.id, events);
    check(broken === null, 'The hash chain of the exported log recomputes from the first event to the last.', `The exported log was altered: ${broken}`);
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
  check(
    isDeepStrictEqual(recomputed, raw.metrics),
    'The metrics recompute from the exported log to the same values.',
    'The metrics in the export do not follow from its log.',
  );
  return { document, raw };
}

/** Records an informational line among the checks. */
function note(check: Check, message: string): void {
  check(true, message, message);
}

function firstChainBreak(sessionId: string, events: readonly LogEvent[]): string | null {
  let prevHash = GENESIS_HASH;
  for (const [index, e] of events.entries()) {
    const seq = index + 1;
    if (e.sessionId !== sessionId) return `event ${e.seq} belongs to another session.`;
    if (e.seq !== seq) return `event ${seq} is missing.`;
    if (e.prevHash !== prevHash) return `event ${seq} does not follow event ${seq - 1}.`;
    const hash = eventHash(prevHash, {
      sessionId,
      seq,
      teamId: e.teamId,
      type: e.type,
      origin: e.origin,
      scenarioMs: e.scenarioMs,
      wallMs: e.wallMs,
      payloadJson: JSON.stringify(e.payload),
    });
    if (hash !== e.hash) return `event ${seq} does not match its hash.`;
    prevHash = hash;
  }
  return null;
}

function checkAgainstStore(store: Store, manifest: ExportManifest, document: SessionExport | null, check: Check): void {
  const id = manifest.session.id;
  const record = store.sessions.get(id);
  if (!check(record !== undefined, `The data folder holds session ${id}.`, `The data folder has no session ${id}.`)) return;
  const chain = store.sessions.verifyChain(id);
  if (!check(chain.ok, `The session's log in the data folder is intact (${chain.ok ? chain.count : 0} events).`, `The session's log in the data folder is damaged: ${chain.ok ? '' : chain.message}`)) return;
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
