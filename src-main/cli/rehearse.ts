/**
 * `npm run rehearse -- FILE [--choices FILE.json|default|random] [--seed N] [--json] [--data DIR]`
 *
 * Runs a scenario headlessly at full speed with scripted choices and prints
 * where it ends. Exit status: 0 the rehearsal reached an end, 1 the scenario
 * is invalid or the rehearsal failed, 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { failure, commandLine, runIfMain } from './command-line.ts';
import { readScenarioFile } from '../app/scenario-files.ts';
import { rehearseScenario } from '../app/rehearsal.ts';
import { checkChoices, RehearsalError, type ChoiceStrategy } from '../core/engine/rehearse.ts';
import { parseJsonSafely } from '../core/scenario/safe-json.ts';
import { DataDirInUseError } from '../store/database.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run rehearse -- FILE [--choices FILE.json|default|random] [--seed N] [--json] [--data DIR]

Runs the scenario for one team at full speed and prints the outcome.

  --choices default    every decision takes its default option (the default)
  --choices random     every decision picks an option at random (seeded)
  --choices FILE.json  a map from decision id to option id; unlisted decisions take their default
  --seed N             seed for random events and random choices (default 1)
  --json               print { ended, result, path, milestones, objectives, contingencies (latest firedAt, manual, count), variables, score, choices } as JSON
                       (times in scenario milliseconds; null = not reached / not fired)
  --data DIR           also record the run as a session in that data folder
  -h, --help           show this help

Exit status: 0 reached an end, 1 invalid scenario or failed rehearsal, 2 usage error.`;

const OPTIONS = {
  options: {
    choices: { type: 'string', default: 'default' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    data: { type: 'string' },
  },
} as const;

export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals, usage } = parsed;
  if (positionals.length !== 1) return usage(`Give exactly one scenario file.`);
  const file = positionals[0]!;
  const loaded = readScenarioFile(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) err(`${file}:${e.pointer}: ${e.message}`);
    return 1;
  }
  const scenario = loaded.scenario;

  let choices: ChoiceStrategy;
  if (values.choices === 'default' || values.choices === 'random') {
    choices = values.choices;
  } else {
    let text: string;
    try {
      text = readFileSync(values.choices, 'utf8');
    } catch {
      err(`${values.choices}: the choices file cannot be read.`);
      return 2;
    }
    const json = parseJsonSafely(text, { maxBytes: 1024 * 1024 });
    if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value) || !Object.values(json.value).every((v) => typeof v === 'string')) {
      err(`${values.choices}: expected a JSON object mapping decision ids to option ids, e.g. {"d1": "revoke-now"}.`);
      return 2;
    }
    choices = json.value as Record<string, string>;
    const problems = checkChoices(scenario, choices);
    if (problems.length) {
      for (const p of problems) err(`${values.choices}:${p}`);
      return 2;
    }
  }

  let store: Store | undefined;
  try {
    if (values.data) store = Store.open({ dataDir: resolve(values.data) });
    const result = rehearseScenario(scenario, { choices, seed: values.seed, ...(store ? { store } : {}) });
    if (values.json) {
      out(
        JSON.stringify(
          {
            ended: result.ended,
            result: result.result,
            path: result.path,
            milestones: result.milestones,
            objectives: result.objectives,
            contingencies: result.contingencies,
            variables: result.variables,
            score: result.score,
            choices: result.choices,
            ...(result.tracks ? { tracks: result.tracks } : {}),
            ...(result.sessionId ? { sessionId: result.sessionId } : {}),
          },
          null,
          2,
        ),
      );
    } else {
      const minutes = (ms: number | null) => (ms === null ? 'not reached' : `${Math.round((ms / 60_000) * 10) / 10} min`);
      out(`${file}: ended at "${result.ended}" (${result.result}) after ${result.path.length} nodes`);
      for (const track of result.tracks ?? []) {
        out(
          `  track ${track.id}: ${track.ended === null ? 'stopped when the lead track ended' : `ended at "${track.ended}" (${track.result ?? 'no result'})`} after ${track.path.length} nodes`,
        );
      }
      for (const [id, ms] of Object.entries(result.milestones)) out(`  milestone ${id}: ${minutes(ms)}`);
      for (const [id, ms] of Object.entries(result.objectives)) out(`  objective ${id}: ${ms === null ? 'not met' : `met at ${minutes(ms)}`}`);
      for (const [id, fired] of Object.entries(result.contingencies)) {
        const times = fired !== null && fired.count > 1 ? `fired ${fired.count} times, last at` : 'fired at';
        out(`  contingency ${id}: ${fired === null ? 'did not fire' : `${times} ${minutes(fired.firedAt)}${fired.manual ? ' (by hand)' : ''}`}`);
      }
      for (const [id, value] of Object.entries(result.variables)) out(`  ${id} = ${String(value)}`);
      for (const [tag, points] of Object.entries(result.score)) out(`  score ${tag}: ${points}`);
      if (result.sessionId) out(`  recorded as session ${result.sessionId}`);
    }
    return 0;
  } catch (error) {
    return failure(error, err, [DataDirInUseError, RehearsalError]);
  } finally {
    store?.close();
  }
}

runIfMain(import.meta.url, (argv) => main(argv));
