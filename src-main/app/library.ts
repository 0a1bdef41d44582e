import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { LibraryProblem, ScenarioSummary } from '../api/contract.ts';
import { formatBytes, SCENARIO_FILE, tooLarge } from '../core/limits.ts';
import { parseJsonSafely } from '../core/scenario/safe-json.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import { MAX_SCENARIO_BYTES, parseScenarioText, validateScenario, type ValidationIssue, type ValidationResult } from '../core/scenario/validate.ts';
import { AppError } from './errors.ts';

export { MAX_SCENARIO_BYTES };

/** The generated JSON Schema lives next to the scenarios but is not one. */
export const SCHEMA_FILE = 'scenario.schema.json';

export interface LibraryListing {
  scenarios: ScenarioSummary[];
  problems: LibraryProblem[];
}

/**
 * Reads a scenario file from disk and validates it completely, image assets
 * included (relative to the file's folder). A file that cannot be read, is
 * too large or is not UTF-8 comes back as a failed result, never as an error.
 */
export function readScenarioFile(path: string, maxBytes: number = MAX_SCENARIO_BYTES): ValidationResult {
  const full = resolve(path);
  const key = fileKey(full, maxBytes);
  const cached = key === null ? undefined : validated.get(full);
  const assetExists = assetCheckerFor(full);
  if (cached && cached.key === key && [...cached.assets].every(([asset, existed]) => assetExists(asset) === existed)) return cached.result;
  const text = readScenarioText(full, maxBytes);
  if (!text.ok) return { ok: false, errors: [{ pointer: '', message: text.message }] };
  // The asset checks the validation made, so a cached result is reused only while their answers hold.
  const assets = new Map<string, boolean>();
  const result = parseScenarioText(text.text, {
    maxBytes,
    assetExists: (asset) => {
      const exists = assetExists(asset);
      assets.set(asset, exists);
      return exists;
    },
  });
  if (key !== null) {
    if (validated.size >= MAX_CACHED_FILES) validated.delete(validated.keys().next().value!);
    validated.set(full, { key, result: deepFreeze(result), assets });
  }
  return result;
}

/**
 * Scenario files already validated, by absolute path: `library.list` and
 * `library.get` re-validate a file only when it changed (its size, times or
 * inode) or when an image it names appeared or went away. Results are frozen,
 * since every caller shares them.
 */
const validated = new Map<string, { key: string; result: ValidationResult; assets: ReadonlyMap<string, boolean> }>();
const MAX_CACHED_FILES = 512;

function fileKey(path: string, maxBytes: number): string | null {
  try {
    const stats = statSync(path, { bigint: true });
    return stats.isFile() ? `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}:${maxBytes}` : null;
  } catch {
    return null;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Says whether an asset path, relative to the scenario file's folder, names a file inside that folder. */
export function assetCheckerFor(scenarioPath: string): (relativePath: string) => boolean {
  const folder = resolve(dirname(scenarioPath));
  return (relativePath) => {
    const full = resolve(folder, relativePath);
    if (!full.startsWith(folder + sep)) return false;
    try {
      return statSync(full).isFile();
    } catch {
      return false;
    }
  };
}

/** What the library shows of a scenario. */
export function scenarioSummary(scenario: Scenario, source: ScenarioSummary['source']): ScenarioSummary {
  const { meta } = scenario;
  const tags = [...new Set([...meta.tags, ...scenario.objectives.flatMap((o) => o.tags)])];
  return {
    id: meta.id,
    version: meta.version,
    title: meta.title,
    summary: meta.summary,
    estimatedMinutes: meta.estimatedMinutes,
    difficulty: meta.difficulty,
    source,
    objectives: scenario.objectives.map((o) => ({ id: o.id, text: o.text })),
    tags,
    critical: meta.critical === true,
  };
}

/** Lists the bundled scenario scripts in `dir` (every `*.json` except the schema); invalid files become problems. */
export function listBundledScenarios(dir: string): LibraryListing {
  const scenarios: ScenarioSummary[] = [];
  const problems: LibraryProblem[] = [];
  const files = scenarioFiles(dir);
  if (!files) return { scenarios, problems: [{ file: dir, message: 'The scenario folder could not be read.', path: '' }] };
  const seen = new Map<string, string>();
  for (const file of files) {
    const result = readScenarioFile(join(dir, file));
    if (!result.ok) {
      problems.push(problemOf(file, result.errors));
      continue;
    }
    const { meta } = result.scenario;
    const earlier = seen.get(meta.id);
    if (earlier !== undefined) {
      problems.push({ file, message: `the scenario id "${meta.id}" is already used by ${earlier}; this file is ignored`, path: '/meta/id' });
      continue;
    }
    seen.set(meta.id, file);
    scenarios.push(scenarioSummary(result.scenario, 'bundled'));
  }
  scenarios.sort((a, b) => a.title.localeCompare(b.title));
  return { scenarios, problems };
}

/** Reads one bundled scenario by id, or throws a typed not_found / invalid_scenario error. */
export function getBundledScenario(dir: string, id: string): Scenario {
  for (const file of scenarioFiles(dir) ?? []) {
    const full = join(dir, file);
    const text = readScenarioText(full, MAX_SCENARIO_BYTES);
    if (!text.ok) continue;
    const parsed = parseJsonSafely(text.text, { maxBytes: MAX_SCENARIO_BYTES });
    if (!parsed.ok || metaIdOf(parsed.value) !== id) continue;
    // The first file (in name order) with the id wins, as in the listing.
    const result = validateScenario(parsed.value, { assetExists: assetCheckerFor(full) });
    if (result.ok) return result.scenario;
    const [first] = result.errors;
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problem${result.errors.length > 2 ? 's' : ''})` : '';
    throw new AppError('invalid_scenario', `${file}: ${first?.pointer || 'file'}: ${first?.message ?? 'is not a valid scenario'}${more}`, first?.pointer ?? '');
  }
  throw new AppError('not_found', `There is no scenario with id ${JSON.stringify(id)}.`);
}

/**
 * A bundled scenario's file as written (parsed JSON, not the schema's output
 * with its defaults filled in), found as getBundledScenario finds it; undefined
 * when no readable file has the id.
 */
export function readBundledScenarioDocument(dir: string, id: string): unknown {
  for (const file of scenarioFiles(dir) ?? []) {
    const text = readScenarioText(join(dir, file), MAX_SCENARIO_BYTES);
    if (!text.ok) continue;
    const parsed = parseJsonSafely(text.text, { maxBytes: MAX_SCENARIO_BYTES });
    if (parsed.ok && metaIdOf(parsed.value) === id) return parsed.value;
  }
  return undefined;
}

/** The scenario files of a folder in name order, or undefined when the folder cannot be read. */
function scenarioFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json') && file !== SCHEMA_FILE)
      .sort();
  } catch {
    return undefined;
  }
}

/** A library problem for a file: its first error, with the number of further ones. */
function problemOf(file: string, errors: readonly ValidationIssue[]): LibraryProblem {
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}; npm run validate lists them all)` : '';
  return { file, message: `${first?.message ?? 'is not a valid scenario'}${more}`, path: first?.pointer ?? '' };
}

function metaIdOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, 'meta')) return undefined;
  const meta: unknown = (value as { meta: unknown }).meta;
  return meta !== null && typeof meta === 'object' && Object.hasOwn(meta, 'id') ? (meta as { id: unknown }).id : undefined;
}

type TextRead = { ok: true; text: string } | { ok: false; message: string };

/** Reads a file as UTF-8 text, refusing folders, oversized files and bytes that are not UTF-8. */
function readScenarioText(path: string, maxBytes: number): TextRead {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return { ok: false, message: 'is not a file' };
    if (stats.size > maxBytes) {
      return {
        ok: false,
        message: `the file ${tooLarge({ bytes: maxBytes, noun: maxBytes === SCENARIO_FILE.bytes ? SCENARIO_FILE.noun : 'this file' })} (it is ${formatBytes(stats.size)})`,
      };
    }
    const bytes = readFileSync(path);
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { ok: false, message: 'is not UTF-8 text' };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'the file does not exist' };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, message: 'the file cannot be read (permission denied)' };
    return { ok: false, message: 'the file could not be read' };
  }
}
