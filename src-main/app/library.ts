import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { LibraryProblem, ScenarioSummary } from '../api/contract.ts';
import { Difficulty, zodToApiError } from '../api/contract.ts';
import { Scenario } from '../core/scenario/schema.ts';
import { AppError } from './errors.ts';

/** Scenario files larger than this are not read into the library. */
export const MAX_SCENARIO_BYTES = 5 * 1024 * 1024;

const ScenarioHeader = z.object({
  meta: z.object({
    id: z.string().min(1),
    version: z.string().min(1),
    title: z.string().min(1),
    summary: z.string(),
    estimatedMinutes: z.number().positive(),
    difficulty: Difficulty,
  }),
});

export interface LibraryListing {
  scenarios: ScenarioSummary[];
  problems: LibraryProblem[];
}

/** Lists the bundled scenario scripts in `dir` (every `*.json` except the schema). */
export function listBundledScenarios(dir: string): LibraryListing {
  const scenarios: ScenarioSummary[] = [];
  const problems: LibraryProblem[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json');
  } catch {
    return { scenarios, problems: [{ file: dir, message: 'The scenario folder could not be read.', path: '' }] };
  }
  for (const file of files.sort()) {
    const full = join(dir, file);
    try {
      if (statSync(full).size > MAX_SCENARIO_BYTES) {
        problems.push({ file, message: `The file is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MB.`, path: '' });
        continue;
      }
      const parsed = ScenarioHeader.safeParse(JSON.parse(readFileSync(full, 'utf8')));
      if (!parsed.success) {
        const error = zodToApiError(parsed.error);
        problems.push({ file: basename(file), message: error.message, path: error.path });
        continue;
      }
      scenarios.push({ ...parsed.data.meta, source: 'bundled' });
    } catch (error) {
      problems.push({ file, message: error instanceof SyntaxError ? `Not valid JSON: ${error.message}` : 'The file could not be read.', path: '' });
    }
  }
  scenarios.sort((a, b) => a.title.localeCompare(b.title));
  return { scenarios, problems };
}

/** Reads one bundled scenario by id, or throws a typed not_found / invalid_scenario error. */
export function getBundledScenario(dir: string, id: string): Scenario {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')) {
    const full = join(dir, file);
    if (statSync(full).size > MAX_SCENARIO_BYTES) continue;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(full, 'utf8'));
    } catch {
      continue;
    }
    if (ScenarioHeader.safeParse(value).data?.meta.id !== id) continue;
    const parsed = Scenario.safeParse(value);
    if (!parsed.success) {
      const error = zodToApiError(parsed.error, 'invalid_scenario');
      throw new AppError('invalid_scenario', `${file}: ${error.message}`, error.path);
    }
    return parsed.data;
  }
  throw new AppError('not_found', `There is no scenario with id ${JSON.stringify(id)}.`);
}
