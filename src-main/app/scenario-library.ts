import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { LibraryProblem, ScenarioSummary } from '../api/contract.ts';
import type { Scenario } from '../core/scenario/schema.ts';
import { parseScenarioText, type ValidationIssue } from '../core/scenario/validate.ts';
import { AppError } from './errors.ts';
import type { EventHub } from './events.ts';
import { ArchiveError, readAssetInside, readScenarioBundle, writeScenarioFolder, type ScenarioBundle } from './interop.ts';
import { getBundledScenario, listBundledScenarios, readBundledScenarioDocument, readScenarioFile, scenarioSummary, type LibraryListing } from './library.ts';
import { parseJsonSafely } from '../core/scenario/safe-json.ts';
import { readFileSync } from 'node:fs';

/** The file inside an imported scenario's folder. */
const SCENARIO_FILE = 'scenario.json';
const IMPORTED_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const IMAGE_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

export type ImportOutcome = { ok: true; scenario: ScenarioSummary; replaced: boolean } | { ok: false; errors: ValidationIssue[]; exists: boolean };

/**
 * The scenario library: the bundled scripts (read-only, shipped with the app)
 * and the ones a facilitator imported, each kept in its own folder
 * `<data>/scenarios/<id>/` with its image assets. An import is checked
 * completely before anything is written, and written all at once.
 */
export class ScenarioLibrary {
  readonly bundledDir: string;
  readonly importedDir: string;
  readonly #events: EventHub;

  constructor(options: { bundledDir: string; importedDir: string; events: EventHub }) {
    this.bundledDir = resolve(options.bundledDir);
    this.importedDir = resolve(options.importedDir);
    this.#events = options.events;
  }

  list(): LibraryListing {
    const bundled = listBundledScenarios(this.bundledDir);
    const scenarios: ScenarioSummary[] = [...bundled.scenarios];
    const problems: LibraryProblem[] = [...bundled.problems];
    for (const id of this.#importedIds()) {
      const result = readScenarioFile(join(this.importedDir, id, SCENARIO_FILE));
      if (!result.ok) {
        const [first] = result.errors;
        problems.push({ file: `${id}/${SCENARIO_FILE}`, message: first?.message ?? 'is not a valid scenario', path: first?.pointer ?? '' });
      } else if (scenarios.some((s) => s.id === result.scenario.meta.id)) {
        problems.push({ file: `${id}/${SCENARIO_FILE}`, message: `the scenario id "${result.scenario.meta.id}" is already in the library`, path: '/meta/id' });
      } else {
        scenarios.push(scenarioSummary(result.scenario, 'imported'));
      }
    }
    scenarios.sort((a, b) => a.title.localeCompare(b.title));
    return { scenarios, problems };
  }

  /** A scenario by id: an imported one, else a bundled one. */
  get(id: string): Scenario {
    const file = this.#importedFile(id);
    if (file && existsSync(file)) {
      const result = readScenarioFile(file);
      if (result.ok) return result.scenario;
      const [first] = result.errors;
      throw new AppError('invalid_scenario', `Imported scenario ${id}: ${first?.pointer || 'file'}: ${first?.message ?? 'is not valid'}`, first?.pointer ?? '');
    }
    return getBundledScenario(this.bundledDir, id);
  }

  /**
   * A scenario's file as written (parsed JSON, not the schema's output with
   * its defaults filled in), for an author to start from; the schema's output
   * when the file cannot be read as JSON again. Throws as `get` does.
   */
  document(id: string): unknown {
    const scenario = this.get(id);
    const file = this.#importedFile(id);
    if (file && existsSync(file)) {
      const parsed = parseJsonSafely(readFileSync(file, 'utf8'));
      return parsed.ok ? parsed.value : scenario;
    }
    return readBundledScenarioDocument(this.bundledDir, id) ?? scenario;
  }

  /** The folder a scenario's relative asset paths are resolved in. */
  folderOf(id: string): string {
    const file = this.#importedFile(id);
    return file && existsSync(file) ? join(this.importedDir, id) : this.bundledDir;
  }

  /**
   * Imports a scenario file (JSON text). Every problem is reported at once
   * and nothing is written unless the file is entirely valid. A single file
   * cannot carry image assets: a scenario with images is imported as a bundle.
   */
  importText(text: string, replace = false): ImportOutcome {
    const parsed = parseScenarioText(text, { assetExists: () => false });
    if (!parsed.ok) {
      const errors = parsed.errors.map((e) =>
        /asset/i.test(e.message)
          ? { ...e, message: `${e.message} (import the scenario file together with its images, or its whole folder, or a .sandtable bundle, which carries them)` }
          : e,
      );
      return { ok: false, errors, exists: false };
    }
    return this.#write({ scenario: parsed.scenario, scenarioText: text, assets: new Map() }, replace);
  }

  /** Imports a `.sandtable` scenario bundle (the scenario and its images). */
  async importBundle(bytes: Uint8Array, replace = false): Promise<ImportOutcome> {
    let bundle: ScenarioBundle;
    try {
      bundle = await readScenarioBundle(bytes);
    } catch (error) {
      if (error instanceof ArchiveError) return { ok: false, errors: [{ pointer: '', message: `The bundle was refused: ${error.message}` }], exists: false };
      throw error;
    }
    return this.#write(bundle, replace);
  }

  /**
   * An image a scenario's evidence shows, as a data: URL (the renderer's CSP
   * allows data: images). Only paths that an image evidence item of this
   * scenario names are served, read from inside the scenario's folder.
   */
  assetDataUrl(scenario: Scenario, path: string): string {
    const named = scenario.evidence.some((e) => e.kind === 'image' && e.asset === path);
    if (!named) throw new AppError('not_found', `The scenario shows no image ${JSON.stringify(path)}.`, '/path');
    const type = IMAGE_TYPES[extname(path).toLowerCase()];
    if (!type) throw new AppError('invalid_input', `${path} is not a .png, .jpg, .gif or .webp image.`, '/path');
    const bytes = readAssetInside(this.folderOf(scenario.meta.id), path);
    return `data:${type};base64,${bytes.toString('base64')}`;
  }

  /** Removes an imported scenario (sessions keep their own copy of the scenario they ran). */
  remove(id: string): void {
    const file = this.#importedFile(id);
    if (!file || !existsSync(file)) throw new AppError('not_found', `There is no imported scenario with id ${JSON.stringify(id)}.`, '/id');
    rmSync(join(this.importedDir, id), { recursive: true, force: true });
    this.#events.emit('library.changed', {});
  }

  #write(bundle: ScenarioBundle, replace: boolean): ImportOutcome {
    const id = bundle.scenario.meta.id;
    if (listBundledScenarios(this.bundledDir).scenarios.some((s) => s.id === id)) {
      return { ok: false, errors: [{ pointer: '/meta/id', message: `a built-in scenario already uses the id "${id}"; give this one its own id` }], exists: false };
    }
    const target = join(this.importedDir, id);
    const exists = existsSync(target);
    if (exists && !replace) {
      return {
        ok: false,
        errors: [{ pointer: '/meta/id', message: `a scenario with the id "${id}" was imported before; import again with "replace" to update it` }],
        exists: true,
      };
    }
    // Move the old version aside first, so a failed write leaves it as it was.
    const aside = exists ? join(this.importedDir, `.${id}.replaced-${Date.now()}`) : null;
    if (aside) renameSync(target, aside);
    try {
      writeScenarioFolder(bundle, target);
    } catch (error) {
      if (aside) renameSync(aside, target);
      throw error;
    }
    if (aside) rmSync(aside, { recursive: true, force: true });
    this.#events.emit('library.changed', {});
    return { ok: true, scenario: scenarioSummary(bundle.scenario, 'imported'), replaced: exists };
  }

  #importedIds(): string[] {
    try {
      return readdirSync(this.importedDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && IMPORTED_ID.test(d.name))
        .map((d) => d.name)
        .sort();
    } catch {
      return [];
    }
  }

  #importedFile(id: string): string | null {
    return IMPORTED_ID.test(id) ? join(this.importedDir, id, SCENARIO_FILE) : null;
  }
}
