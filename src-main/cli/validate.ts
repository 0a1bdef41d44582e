/**
 * `npm run validate -- [--json] FILE...`: checks scenario files.
 *
 * Exit status: 0 when every file is valid, 1 when any is not (or cannot be
 * read), 2 on a usage error. Problems are printed to stdout, one a line, as
 * `FILE:POINTER: message`; with `--json`, one array describing every file.
 * The generated scenario.schema.json is skipped, so `scenarios/*.json` works.
 */
import { basename } from 'node:path';
import { commandLine, runIfMain } from './command-line.ts';
import { readScenarioFile, SCHEMA_FILE } from '../app/scenario-files.ts';
import type { ScenarioStats, ValidationIssue } from '../core/scenario/validate.ts';

const USAGE = `Usage: npm run validate -- [--json] FILE...

Checks scenario files: JSON syntax, the scenario format, ids and references,
the timeline (reachability, endings, inject times) and image assets.

  --json      print the result for every file as JSON
  -h, --help  show this help

Exit status: 0 all files valid, 1 a file is invalid or unreadable, 2 usage error.`;

const OPTIONS = { options: { json: { type: 'boolean', default: false } } } as const;

/** The `--json` report for one file. */
export interface FileReport {
  file: string;
  valid: boolean;
  errors: ValidationIssue[];
  /** Present whenever the file matched the schema (even if later rules failed), otherwise null. */
  stats: ScenarioStats | null;
}

/** Validates each file; never throws. */
export function validateFiles(files: readonly string[]): FileReport[] {
  return files.map((file) => {
    const result = readScenarioFile(file);
    return result.ok ? { file, valid: true, errors: [], stats: result.stats } : { file, valid: false, errors: result.errors, stats: result.stats ?? null };
  });
}

/** The human-readable report: one line per valid file, one line per problem. */
export function formatReports(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.valid && report.stats) {
      lines.push(`${report.file}: ok (${describeStats(report.stats)})`);
      continue;
    }
    for (const error of report.errors) lines.push(`${report.file}:${error.pointer}: ${error.message}`);
  }
  return lines.join('\n');
}

function describeStats(stats: ScenarioStats): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    count(stats.injects, 'inject'),
    count(stats.decisions, 'decision'),
    count(stats.branches, 'branch', 'branches'),
    count(stats.randomEvents, 'random event'),
    count(stats.contingencies, 'contingency', 'contingencies'),
    count(stats.evidence, 'evidence item'),
    count(stats.endings, 'ending'),
  ].join(', ');
}

/** Runs the command with `argv` (without node and the script); returns the exit status. */
export function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.positionals.length === 0) return parsed.usage('No scenario file given.');
  // The generated JSON Schema sits next to the scenarios, so `scenarios/*.json` names it too.
  const schemas = parsed.positionals.filter((file) => basename(file) === SCHEMA_FILE);
  const reports = validateFiles(parsed.positionals.filter((file) => basename(file) !== SCHEMA_FILE));
  if (parsed.values.json) out(JSON.stringify(reports, null, 2));
  else {
    const text = [...schemas.map((file) => `${file}: skipped (the format's JSON Schema, not a scenario)`), formatReports(reports)].filter(Boolean).join('\n');
    if (text) out(text);
  }
  return reports.every((report) => report.valid) ? 0 : 1;
}

runIfMain(import.meta.url, (argv) =>
  main(
    argv,
    (text) => process.stdout.write(`${text}\n`),
    (text) => process.stderr.write(`${text}\n`),
  ),
);
