/**
 * Interoperability: MSEL spreadsheets out of scenarios and sessions, scenario
 * bundles (`.sandtable`) and session archives (`.sandtable-session`) out and
 * in, and the contract handlers for them.
 *
 * The rules of the formats are pure (src-main/core/msel, src-main/core/bundle);
 * this file does the hashing, the zip reading and writing (./zip.ts), the
 * store access and the files. Every archive is read and checked completely
 * in memory before anything is written; a scenario bundle is then extracted
 * into a temporary folder next to its destination and moved into place, so a
 * refused or failed import leaves nothing behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { z } from 'zod';
import type { InteropMethodName } from '../api/interop.ts';
import type { ParsedInputOf, ResultOf } from '../api/contract.ts';
import {
  ArchivedSession,
  decodeEventLines,
  eventLines,
  EVENTS_ENTRY,
  looksLikeImage,
  MANIFEST_ENTRY,
  parseManifest,
  SCENARIO_BUNDLE_EXTENSION,
  SCENARIO_BUNDLE_LIMITS,
  SCENARIO_ENTRY,
  scenarioAssetPaths,
  ScenarioBundleManifest,
  SESSION_ARCHIVE_EXTENSION,
  SESSION_ARCHIVE_LIMITS,
  SessionArchiveManifest,
  normaliseRelativePath,
} from '../core/bundle/archive.ts';
import type { LogEvent } from '../core/engine/events.ts';
import { SessionEngine } from '../core/engine/session.ts';
import { scenarioMselCsv, sessionMselCsv } from '../core/msel/export.ts';
import { draftIdFromFileName, previewMselImport, previewMselTable, type MselPreview } from '../core/msel/import.ts';
import { readWorkbookSheet, WORKBOOK_LIMITS, WorkbookError } from '../core/msel/xlsx.ts';
import { convertPeerFormat, detectPeerFormat, PEER_FORMAT_NAMES, type PeerFormat } from '../core/convert/index.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import { parseJsonSafely, type ValidationIssue } from '../core/scenario/safe-json.ts';
import { parseScenarioText } from '../core/scenario/validate.ts';
import { slug } from '../core/slug.ts';
import { digestChunks, loadSession, utf8Batches } from './exports.ts';
import { readRecordedScenario, sha256Hex } from './recorded-scenario.ts';
import type { Store } from '../store/store.ts';
import { AppError } from './errors.ts';
import type { EventHub } from './events.ts';
import { ArchiveError, readZip, writeZip, zipStream, type ZipInput } from './zip.ts';

export { ArchiveError };

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A file to hand to the user: its suggested name and its content. */
export interface ExportedFile<T> {
  filename: string;
  content: T;
}

// ================================================================ MSEL

/** A scenario's MSEL, ready to save as `<scenario id>-msel.csv`. */
export function scenarioMsel(scenario: Scenario): ExportedFile<string> {
  return { filename: `${scenario.meta.id}-msel.csv`, content: scenarioMselCsv(scenario) };
}

/** A recorded session's MSEL with actual delivery times and status per team. */
export function sessionMsel(store: Store, sessionId: string): ExportedFile<string> {
  const { record, scenario, events } = loadSession(store, sessionId);
  return { filename: `${slug(record.name, 60) || 'session'}-${sessionId.slice(0, 8)}-msel.csv`, content: sessionMselCsv(scenario, events) };
}

/** Options for a draft from an MSEL's file name: its id and title. */
function draftOptions(fileName: string | undefined) {
  return fileName === undefined ? {} : { scenarioId: draftIdFromFileName(fileName), title: fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') };
}

/** Whether bytes are a zip archive (an .xlsx workbook is one). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export type MselFilePreview = MselPreview & { sheet?: string; sheets?: string[] };

/**
 * Previews the import of an MSEL file: a CSV (UTF-8 or Windows-1252) or an
 * Excel workbook (.xlsx). A workbook is unzipped with the same hostile-archive
 * checks as a scenario bundle (entry count, sizes, compression ratio, names,
 * CRC-32) and its XML read without entities; a refused workbook is a problem
 * of the preview, and nothing is imported.
 */
export async function previewMselFile(bytes: Uint8Array, fileName?: string, sheet?: string): Promise<MselFilePreview> {
  const options = draftOptions(fileName);
  if (!isZip(bytes)) return previewMselImport(decodeCsvBytes(bytes).text, options);
  let table;
  try {
    const files = await readZip(bytes, WORKBOOK_LIMITS);
    const parts = new Map<string, string>();
    for (const [name, data] of files) if (/\.(xml|rels)$/i.test(name)) parts.set(name, decodeUtf8(name, data));
    table = readWorkbookSheet(parts, sheet);
  } catch (error) {
    if (error instanceof ArchiveError || error instanceof WorkbookError) {
      return {
        delimiter: ',',
        headerRow: null,
        mapping: [],
        rows: [],
        problems: [{ row: null, message: `the workbook was refused: ${error.message}` }],
        warnings: [],
        draft: null,
      };
    }
    throw error;
  }
  return { ...previewMselTable(table, options), sheet: table.sheet, sheets: table.sheets };
}

// ================================================================ scenario bundles

/** A scenario bundle read and checked in memory, ready to be written out. */
export interface ScenarioBundle {
  scenario: Scenario;
  /** scenario.json exactly as it was in the bundle. */
  scenarioText: string;
  /** Asset path (normalised, relative to scenario.json) → content. */
  assets: Map<string, Buffer>;
}

/**
 * Packs a scenario and the image assets it refers to. `scenarioText` is the
 * scenario's JSON as it should appear in the bundle; `readAsset` reads an
 * asset by its normalised relative path (and throws if it cannot).
 */
export async function buildScenarioBundle(scenarioText: string, readAsset: (relativePath: string) => Uint8Array, now = new Date()): Promise<ExportedFile<Buffer>> {
  const parsed = parseScenarioText(scenarioText);
  if (!parsed.ok) throw new AppError('invalid_scenario', `The scenario is not valid: ${parsed.errors[0]?.pointer ?? ''}: ${parsed.errors[0]?.message ?? ''}`);
  const scenario = parsed.scenario;
  const files: ZipInput[] = [{ name: SCENARIO_ENTRY, data: utf8(scenarioText) }];
  for (const path of scenarioAssetPaths(scenario)) files.push({ name: path, data: readAsset(path) });
  const manifest: ScenarioBundleManifest = {
    format: 'sandtable-scenario-bundle',
    formatVersion: 1,
    scenario: { id: scenario.meta.id, version: scenario.meta.version, title: scenario.meta.title },
    exportedWallMs: now.getTime(),
    entries: digests(files),
  };
  const bytes = await writeZip([{ name: MANIFEST_ENTRY, data: utf8(`${JSON.stringify(manifest, null, 2)}\n`) }, ...files], now);
  return { filename: `${scenario.meta.id}-${scenario.meta.version}${SCENARIO_BUNDLE_EXTENSION}`, content: bytes };
}

/** Reads a scenario bundle and checks all of it; throws an ArchiveError naming the entry at fault. */
export async function readScenarioBundle(bytes: Uint8Array): Promise<ScenarioBundle> {
  const files = await readZip(bytes, SCENARIO_BUNDLE_LIMITS);
  const manifest = checkManifest(files, ScenarioBundleManifest);
  const scenarioBytes = files.get(SCENARIO_ENTRY);
  if (!scenarioBytes) throw new ArchiveError(SCENARIO_ENTRY, 'is missing');
  const scenarioText = decodeUtf8(SCENARIO_ENTRY, scenarioBytes);
  const parsed = parseScenarioText(scenarioText, { assetExists: (path) => files.has(normaliseRelativePath(path)) });
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more problem${parsed.errors.length > 2 ? 's' : ''})` : '';
    throw new ArchiveError(SCENARIO_ENTRY, `is not a valid scenario: ${first.pointer || 'file'}: ${first.message}${more}`);
  }
  const scenario = parsed.scenario;
  if (manifest.scenario.id !== scenario.meta.id || manifest.scenario.version !== scenario.meta.version) {
    throw new ArchiveError(
      MANIFEST_ENTRY,
      `names scenario ${manifest.scenario.id} ${manifest.scenario.version}, but scenario.json is ${scenario.meta.id} ${scenario.meta.version}`,
    );
  }
  const wanted = new Set(scenarioAssetPaths(scenario));
  const assets = new Map<string, Buffer>();
  for (const [name, data] of files) {
    if (name === MANIFEST_ENTRY || name === SCENARIO_ENTRY) continue;
    if (!wanted.has(name)) throw new ArchiveError(name, 'refused: the scenario does not use this file');
    if (!looksLikeImage(name, data)) throw new ArchiveError(name, 'refused: the file is not the image its name says it is');
    assets.set(name, data);
  }
  return { scenario, scenarioText, assets };
}

/**
 * Writes a checked bundle as a scenario folder at `destination`
 * (scenario.json plus its assets), which must not exist or be empty. The
 * files are written into a temporary folder beside it, then moved into place
 * in one rename; on any failure the temporary folder is removed.
 */
export function writeScenarioFolder(bundle: ScenarioBundle, destination: string): void {
  const target = resolve(destination);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new AppError('conflict', `${destination} exists and is not a folder.`);
    if (readdirSync(target).length > 0) throw new AppError('conflict', `${destination} is not empty; choose a new or empty folder.`);
  }
  // The first folder this creates on the way to the destination, if any: removed again on failure.
  const created = mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
  try {
    const files: Array<[string, Uint8Array]> = [[SCENARIO_ENTRY, utf8(bundle.scenarioText)], ...bundle.assets];
    for (const [name, data] of files) {
      const path = resolve(staging, name);
      // The names were checked already; this is the last line of defence.
      if (!path.startsWith(staging + sep)) throw new ArchiveError(name, 'refused: the entry would be written outside its folder');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data, { flag: 'wx' });
    }
    if (existsSync(target)) rmdirSync(target); // empty, checked above
    renameSync(staging, target);
  } catch (error) {
    rmSync(created ?? staging, { recursive: true, force: true });
    throw error;
  }
}

// ================================================================ session archives

/**
 * Packs a recorded session: its log as JSON lines, the scenario it ran (as
 * stored with it) and a manifest with the session record, its final
 * event-log hash and the SHA-256 of every entry. The chain is verified
 * first; a session whose clock is running is refused (pause or end it: its
 * log would grow while it travels).
 */
export async function buildSessionArchive(store: Store, sessionId: string, now = new Date()): Promise<ExportedFile<Buffer>> {
  const archive = streamSessionArchive(store, sessionId, now);
  const chunks: Buffer[] = [];
  for await (const chunk of archive.stream()) chunks.push(chunk);
  return { filename: archive.filename, content: Buffer.concat(chunks) };
}

/**
 * The session archive of `buildSessionArchive`, as a stream: the log is
 * hashed line by line for the manifest, then deflated line by line into the
 * archive as it is read, so neither the log's text nor the archive is ever
 * whole in memory. The log is read once, here.
 */
export function streamSessionArchive(store: Store, sessionId: string, now = new Date()): { filename: string; stream: () => AsyncIterable<Buffer> } {
  const { record, events } = loadSession(store, sessionId); // the scenario through the one loader: SHA-256 against the log, then validity
  const scenarioJson = store.sessions.scenarioJson(sessionId)!;
  if (record.status === 'running') {
    throw new AppError(
      'conflict',
      `Session ${sessionId} is running; pause or end it before exporting it (a session that was running when the app stopped is paused when the app starts again).`,
    );
  }
  const chain = store.sessions.verifyChain(sessionId);
  if (!chain.ok) throw new AppError('conflict', `Session ${sessionId} cannot be exported: its log does not verify (${chain.message})`);
  const eventChunks = () => utf8Batches(eventLines(events));
  const eventDigest = digestChunks(eventChunks());
  const scenario: ZipInput = { name: SCENARIO_ENTRY, data: utf8(scenarioJson) };
  const manifest: SessionArchiveManifest = {
    format: 'sandtable-session-archive',
    formatVersion: 1,
    session: ArchivedSession.parse(record),
    exportedWallMs: now.getTime(),
    entries: { [EVENTS_ENTRY]: eventDigest, ...digests([scenario]) },
  };
  const files = [{ name: MANIFEST_ENTRY, data: utf8(`${JSON.stringify(manifest, null, 2)}\n`) }, { name: EVENTS_ENTRY, chunks: eventChunks, bytes: eventDigest.bytes }, scenario];
  return { filename: `${slug(record.name, 60) || 'session'}-${sessionId.slice(0, 8)}${SESSION_ARCHIVE_EXTENSION}`, stream: () => zipStream(files, now) };
}

/**
 * Imports a session archive into the store: the manifest and every entry's
 * SHA-256, the scenario it ran (valid, and the one the log names), the log
 * (it must replay against that scenario, and its hash chain must verify up
 * to the manifest's final hash), then one transaction writes the session as
 * recorded. Refuses a session id that already exists (conflict).
 */
export async function importSessionArchive(store: Store, bytes: Uint8Array): Promise<{ sessionId: string; events: number; lastHash: string }> {
  const files = await readZip(bytes, SESSION_ARCHIVE_LIMITS);
  const manifest = checkManifest(files, SessionArchiveManifest);
  const session = manifest.session;
  if (session.status === 'running') throw new ArchiveError(MANIFEST_ENTRY, 'describes a session whose clock was running; pause or end it where it runs, then export it again');

  const scenarioBytes = files.get(SCENARIO_ENTRY);
  const eventBytes = files.get(EVENTS_ENTRY);
  if (!scenarioBytes) throw new ArchiveError(SCENARIO_ENTRY, 'is missing');
  if (!eventBytes) throw new ArchiveError(EVENTS_ENTRY, 'is missing');
  const scenarioJson = decodeUtf8(SCENARIO_ENTRY, scenarioBytes);
  const parsed = readRecordedScenario(scenarioJson, session.scenarioSha256, 'archive');
  if (!parsed.ok && parsed.reason === 'sha256') throw new ArchiveError(SCENARIO_ENTRY, 'is not the scenario the session ran (its SHA-256 differs from the manifest)');
  if (!parsed.ok) throw new ArchiveError(SCENARIO_ENTRY, `is not a scenario Sandtable can run: ${parsed.message}`);

  const decoded = decodeEventLines(decodeUtf8(EVENTS_ENTRY, eventBytes), session.id);
  if (!decoded.ok) throw new ArchiveError(EVENTS_ENTRY, `line ${decoded.line}: ${decoded.message}`);
  const events = decoded.events;
  const created = events[0];
  if (created?.type !== 'session.created') throw new ArchiveError(EVENTS_ENTRY, 'line 1: the log does not begin with session.created');
  if ((created.payload as { scenarioSha256?: unknown }).scenarioSha256 !== session.scenarioSha256) {
    throw new ArchiveError(EVENTS_ENTRY, 'line 1: the log was recorded against another scenario than scenario.json');
  }
  replayOrRefuse(parsed.scenario, events);

  const result = store.sessions.importSession({ ...session, scenarioJson }, events);
  if (!result.ok) {
    if (result.reason === 'exists') throw new AppError('conflict', `Session ${session.id} is already in this data folder; it was not imported again.`);
    throw new ArchiveError(EVENTS_ENTRY, `the hash chain does not verify: ${result.message}`);
  }
  return { sessionId: session.id, events: result.count, lastHash: result.lastHash };
}

/** The log must rebuild the session against its scenario, as it will when the session is opened. */
function replayOrRefuse(scenario: Scenario, events: readonly LogEvent[]): void {
  try {
    SessionEngine.replay(scenario, events);
  } catch (error) {
    throw new ArchiveError(EVENTS_ENTRY, `the log does not replay against its scenario (${error instanceof Error ? error.message : String(error)})`);
  }
}

// ================================================================ shared

function digests(files: readonly ZipInput[]): Record<string, { sha256: string; bytes: number }> {
  return Object.fromEntries(files.map((f) => [f.name, { sha256: sha256Hex(f.data), bytes: f.data.byteLength }]));
}

/** Reads manifest.json against its schema and checks that it lists exactly the other entries, each with its SHA-256. */
function checkManifest<M extends { entries: Record<string, { sha256: string; bytes: number }> }>(files: ReadonlyMap<string, Buffer>, schema: z.ZodType<M>): M {
  const text = files.get(MANIFEST_ENTRY);
  if (!text) throw new ArchiveError(MANIFEST_ENTRY, 'is missing: this is not a Sandtable archive of this kind');
  const parsed = parseManifest(schema, decodeUtf8(MANIFEST_ENTRY, text));
  if (!parsed.ok) throw new ArchiveError(MANIFEST_ENTRY, parsed.message);
  const manifest = parsed.manifest;
  for (const [name, data] of files) {
    if (name === MANIFEST_ENTRY) continue;
    const listed = Object.hasOwn(manifest.entries, name) ? manifest.entries[name] : undefined;
    if (!listed) throw new ArchiveError(name, 'refused: the manifest does not list this entry');
    if (listed.bytes !== data.byteLength || listed.sha256 !== sha256Hex(data)) throw new ArchiveError(name, 'is damaged or was altered: its SHA-256 does not match the manifest');
  }
  for (const name of Object.keys(manifest.entries)) if (!files.has(name)) throw new ArchiveError(name, 'is listed in the manifest but missing from the archive');
  return manifest;
}

function decodeUtf8(entry: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArchiveError(entry, 'is not UTF-8 text');
  }
}

// ================================================================ scenario files with their images, and peer formats

export type ScenarioImportOutcome =
  { ok: true; scenario: { id: string; title: string; version: string } & Record<string, unknown>; replaced: boolean } | { ok: false; errors: ValidationIssue[]; exists: boolean };

/** A file picked for import: its path (relative to the folder picked, or only its name) and its bytes. */
export interface PickedFile {
  path: string;
  bytes: Uint8Array;
}

export interface FilesImport {
  outcome: ScenarioImportOutcome;
  /** The scenario file that was imported (its path as picked). */
  scenarioFile: string | null;
  /** The images imported with it (as the scenario names them). */
  images: string[];
  /** When the scenario was written for another tool: which, and what could not be carried over. */
  converted: { format: PeerFormat; name: string; notes: string[] } | null;
}

const refused = (message: string, pointer = ''): ScenarioImportOutcome => ({ ok: false, errors: [{ pointer, message }], exists: false });

/**
 * Imports a scenario file picked together with its image files, or a whole
 * folder: the one scenario JSON among the files (Sandtable's, or an
 * IcebergTTX scenario or T3SF MSEL, converted), and the images its evidence
 * names, found by their path relative to the scenario file (or, for files
 * picked without folders, by their name when only one file has it). The
 * scenario and its images are packed as a bundle in memory and imported
 * through the bundle import, so they meet every check a .sandtable bundle
 * meets (each image must be the image its name says), and nothing is written
 * unless all of it is valid.
 */
export async function importScenarioFiles(library: InteropDeps['library'], files: readonly PickedFile[], replace = false): Promise<FilesImport> {
  const none = { scenarioFile: null, images: [], converted: null };
  const paths = files.map((f) => normaliseRelativePath(f.path.replace(/\\/g, '/')));
  const jsonFiles = files.map((f, i) => ({ ...f, path: paths[i]! })).filter((f) => /\.json$/i.test(f.path) && !/(^|\/)scenario\.schema\.json$/i.test(f.path));
  interface Candidate {
    file: { path: string; bytes: Uint8Array };
    text: string;
    value: unknown;
    kind: 'unreadable' | 'sandtable' | PeerFormat;
  }
  const candidates = jsonFiles.flatMap((f): Candidate[] => {
    const text = decodeText(f.bytes);
    if (text === null) return [];
    const json = parseJsonSafely(text);
    if (!json.ok) return [{ file: f, text, value: undefined, kind: 'unreadable' }];
    const peer = detectPeerFormat(json.value);
    if (peer) return [{ file: f, text, value: json.value, kind: peer }];
    const isScenario = json.value !== null && typeof json.value === 'object' && !Array.isArray(json.value) && 'formatVersion' in json.value;
    return isScenario ? [{ file: f, text, value: json.value, kind: 'sandtable' }] : [];
  });
  if (candidates.length === 0) {
    const only = jsonFiles.length === 1 ? jsonFiles[0]! : null;
    if (only) return { ...none, scenarioFile: only.path, outcome: library.importText(decodeText(only.bytes) ?? '', replace) };
    return {
      ...none,
      outcome: refused(
        jsonFiles.length === 0
          ? 'no scenario file (.json) among the files picked'
          : 'none of the .json files picked is a scenario (no "formatVersion"), an IcebergTTX scenario or a T3SF MSEL',
      ),
    };
  }
  const preferred = candidates.length === 1 ? candidates[0]! : (candidates.find((c) => /(^|\/)scenario\.json$/i.test(c.file.path)) ?? null);
  if (!preferred)
    return {
      ...none,
      outcome: refused(`more than one scenario among the files picked (${candidates.map((c) => c.file.path).join(', ')}); pick one scenario file with its images`),
    };
  if (preferred.kind === 'unreadable') return { ...none, scenarioFile: preferred.file.path, outcome: library.importText(preferred.text, replace) };

  let scenarioText = preferred.text;
  let converted: FilesImport['converted'] = null;
  if (preferred.kind !== 'sandtable') {
    const format: PeerFormat = preferred.kind;
    const conversion = convertPeerFormat(preferred.value, { format, fileName: preferred.file.path.replace(/^.*\//, '') });
    if (!conversion?.ok) {
      const errors = conversion ? conversion.problems : [{ pointer: '', message: 'could not be converted' }];
      return {
        ...none,
        scenarioFile: preferred.file.path,
        outcome: { ok: false, errors: errors.map((e) => ({ ...e, message: `${PEER_FORMAT_NAMES[format]}: ${e.message}` })), exists: false },
      };
    }
    converted = { format: conversion.format, name: PEER_FORMAT_NAMES[conversion.format], notes: conversion.notes };
    scenarioText = `${JSON.stringify(conversion.draft, null, 2)}\n`;
  }

  // The images the scenario names, relative to the scenario file's folder.
  const parsed = parseScenarioText(scenarioText);
  if (!parsed.ok) return { ...none, scenarioFile: preferred.file.path, converted, outcome: library.importText(scenarioText, replace) };
  const wanted = scenarioAssetPaths(parsed.scenario);
  if (wanted.length === 0) return { scenarioFile: preferred.file.path, images: [], converted, outcome: library.importText(scenarioText, replace) };
  const folder = preferred.file.path.includes('/') ? preferred.file.path.slice(0, preferred.file.path.lastIndexOf('/') + 1) : '';
  const byPath = new Map(files.map((f, i) => [paths[i]!, f.bytes]));
  const byName = new Map<string, Uint8Array[]>();
  files.forEach((f, i) => {
    const name = paths[i]!.replace(/^.*\//, '');
    byName.set(name, [...(byName.get(name) ?? []), f.bytes]);
  });
  const assets = new Map<string, Uint8Array>();
  const missing: string[] = [];
  for (const asset of wanted) {
    const exact = byPath.get(normaliseRelativePath(folder + asset));
    const sameName = byName.get(asset.replace(/^.*\//, ''));
    const bytes = exact ?? (sameName?.length === 1 ? sameName[0] : undefined);
    if (bytes) assets.set(asset, bytes);
    else missing.push(asset);
  }
  if (missing.length > 0) {
    const index = parsed.scenario.evidence.findIndex((e) => e.kind === 'image' && normaliseRelativePath(e.asset) === missing[0]);
    return {
      ...none,
      scenarioFile: preferred.file.path,
      converted,
      outcome: refused(
        `the image${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'was' : 'were'} not among the files picked: pick the scenario file together with its images, or its whole folder`,
        index >= 0 ? `/evidence/${index}/asset` : '',
      ),
    };
  }
  const bundle = await buildScenarioBundle(scenarioText, (path) => {
    const bytes = assets.get(path);
    if (!bytes) throw new AppError('invalid_scenario', `The asset ${path} is missing.`);
    return bytes;
  });
  const outcome = await library.importBundle(bundle.content, replace);
  return { scenarioFile: preferred.file.path, images: [...assets.keys()], converted, outcome };
}

function decodeText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return null;
  }
}

// ================================================================ contract handlers

/** What the interop handlers need from the application. */
export interface InteropDeps {
  store: Store;
  /** Where scenarios (bundled and imported) are found, the folder their assets are in, and how they are imported. */
  library: {
    get(id: string): Scenario;
    folderOf(id: string): string;
    importText(text: string, replace?: boolean): ScenarioImportOutcome;
    importBundle(bytes: Uint8Array, replace?: boolean): Promise<ScenarioImportOutcome>;
  };
  events: EventHub;
}

export type InteropHandlers = {
  [M in InteropMethodName]: (input: ParsedInputOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

/** The contract's interop methods (src-main/api/interop.ts), implemented. */
export function interopHandlers({ store, library, events }: InteropDeps): InteropHandlers {
  const asAppError = (error: unknown): never => {
    if (error instanceof ArchiveError) throw new AppError('invalid_input', `The archive was refused: ${error.entry === '' ? error.reason : error.message}.`, '/base64');
    throw error;
  };
  return {
    'msel.exportScenario': ({ scenarioId }) => {
      const file = scenarioMsel(library.get(scenarioId));
      return { filename: file.filename, csv: file.content };
    },
    'msel.exportSession': ({ sessionId }) => {
      const file = sessionMsel(store, sessionId);
      return { filename: file.filename, csv: file.content };
    },
    'msel.previewImport': ({ csv, fileName }) => previewMselImport(csv, draftOptions(fileName)),
    'msel.previewWorkbook': ({ base64, fileName, sheet }) => previewMselFile(Buffer.from(base64, 'base64'), fileName, sheet),
    'library.importFiles': ({ files, replace }) =>
      importScenarioFiles(
        library,
        files.map((f) => ({ path: f.path, bytes: Buffer.from(f.base64, 'base64') })),
        replace,
      ),
    'scenarioBundle.export': async ({ scenarioId }) => {
      const scenario = library.get(scenarioId);
      const folder = resolve(library.folderOf(scenarioId));
      const file = await buildScenarioBundle(`${JSON.stringify(scenario, null, 2)}\n`, (path) => readAssetInside(folder, path));
      return { filename: file.filename, base64: file.content.toString('base64') };
    },
    'sessionBundle.export': async ({ sessionId }) => {
      const file = await buildSessionArchive(store, sessionId);
      return { filename: file.filename, base64: file.content.toString('base64') };
    },
    'sessionBundle.import': async ({ base64 }) => {
      const imported = await importSessionArchive(store, Buffer.from(base64, 'base64')).catch(asAppError);
      events.emit('session.changed', { sessionId: imported.sessionId, seq: imported.events });
      return imported;
    },
  };
}

/** Reads an asset by its path relative to `folder`, refusing any path (or link) that leads out of it. */
export function readAssetInside(folder: string, relativePath: string): Buffer {
  try {
    const root = realpathSync(folder);
    const path = realpathSync(resolve(root, relativePath));
    if (!path.startsWith(root + sep)) throw new AppError('invalid_scenario', `The asset ${relativePath} is outside the scenario's folder.`);
    const stats = statSync(path);
    if (!stats.isFile()) throw new AppError('invalid_scenario', `The asset ${relativePath} is not a file.`);
    if (stats.size > SCENARIO_BUNDLE_LIMITS.maxEntryBytes) throw new AppError('invalid_scenario', `The asset ${relativePath} is larger than a bundle allows.`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_scenario', `The asset ${relativePath} cannot be read.`);
  }
}

/**
 * Text of a CSV file: UTF-8 (with or without a BOM) when the bytes are valid
 * UTF-8, otherwise Windows-1252, which is what Excel's plain "CSV (Comma
 * delimited)" format writes on Windows.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/**
 * Bytes 0x80-0x9F of Windows-1252 (WHATWG Encoding Standard); every other byte
 * is the code point of the same number. Decoded here because Node 20's
 * TextDecoder reads "windows-1252" as ISO-8859-1, which has control
 * characters where Windows-1252 has curly quotes, dashes and the euro sign.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80]! : b));
    text += String.fromCharCode(...codes);
  }
  return text;
}
