/**
 * `npm run convert -- FILE --out SCENARIO.json [--from icebergttx|t3sf] [--json]`
 *
 * Turns a scenario written for a peer tool into a Sandtable draft: an
 * IcebergTTX scenario (`schema_version` 1.0 JSON) or a T3SF MSEL (JSON). The
 * format is detected unless named. What could not be carried over is said,
 * one line each; the draft is written only when it is a valid scenario.
 *
 * Exit status: 0 converted, 1 the file cannot be read or converted, 2 usage error.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { commandLine, runIfMain, type Print } from './command-line.ts';
import { convertPeerFormat, PEER_FORMAT_NAMES, type PeerFormat } from '../core/convert/index.ts';
import { MAX_SCENARIO_BYTES } from '../core/scenario/validate.ts';
import { parseJsonSafely } from '../core/scenario/safe-json.ts';

const USAGE = `Usage: npm run convert -- FILE --out SCENARIO.json [--from icebergttx|t3sf] [--json]

Converts a scenario of another tool into a Sandtable draft scenario:
  icebergttx  an IcebergTTX scenario (JSON, schema_version "1.0")
  t3sf        a T3SF MSEL (JSON: rows with #, Real Time, Subject, From, Player, Script, Poll…)
The format is detected when --from is not given. For MSEL spreadsheets
(.csv, .xlsx) use npm run msel -- import.

  --out FILE   where to write the draft scenario (required)
  --from NAME  the format of FILE, when it should not be detected
  --json       print { format, notes, problems } as JSON
  -h, --help   show this help

Exit status: 0 converted, 1 the file cannot be read or converted, 2 usage error.`;

const OPTIONS = {
  options: {
    out: { type: 'string' },
    from: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
} as const;

const FORMATS: Readonly<Record<string, PeerFormat>> = { icebergttx: 'icebergttx', t3sf: 't3sf-msel', 't3sf-msel': 't3sf-msel' };

export function main(argv: readonly string[], out: Print = console.log, err: Print = console.error): number {
  const parsed = commandLine(argv, OPTIONS, USAGE, out, err);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals, usage } = parsed;
  if (positionals.length !== 1) return usage('Give exactly one file to convert.');
  if (values.out === undefined) return usage('Say where to write the draft with --out.');
  const format = values.from === undefined ? undefined : FORMATS[values.from];
  if (values.from !== undefined && format === undefined) return usage(`Unknown format "${values.from}" (icebergttx or t3sf).`);
  const file = positionals[0]!;

  let text: string;
  try {
    if (statSync(file).size > MAX_SCENARIO_BYTES) {
      err(`${file}: the file is larger than the ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB a scenario may have`);
      return 1;
    }
    text = readFileSync(file, 'utf8');
  } catch {
    err(`${file}: the file cannot be read`);
    return 1;
  }
  const json = parseJsonSafely(text);
  if (!json.ok) {
    for (const issue of json.issues) err(`${file}:${issue.pointer}: ${issue.message}`);
    return 1;
  }
  const conversion = convertPeerFormat(json.value, { ...(format ? { format } : {}), fileName: basename(file) });
  if (conversion === null) {
    err(`${file}: not a format this tool converts (an IcebergTTX scenario with schema_version "1.0", or a T3SF MSEL); a Sandtable scenario needs no conversion`);
    return 1;
  }
  const notes = conversion.notes ?? [];
  if (values.json) {
    out(JSON.stringify({ format: conversion.format, converted: conversion.ok, notes, problems: conversion.ok ? [] : conversion.problems }, null, 2));
  }
  if (!conversion.ok) {
    for (const p of conversion.problems) err(`${file}:${p.pointer}: ${p.message}`);
    return 1;
  }
  writeFileSync(values.out, `${JSON.stringify(conversion.draft, null, 2)}\n`, 'utf8');
  if (!values.json) {
    const d = conversion.draft;
    out(
      `${file}: ${PEER_FORMAT_NAMES[conversion.format]} converted into ${values.out} (${d.timeline.filter((n) => n.type === 'inject').length} injects, ${d.timeline.filter((n) => n.type === 'decision').length} decisions, ${d.contingencies.length} contingencies, ${d.evidence.length} evidence items)`,
    );
    if (notes.length > 0) out('Not carried over as it was:');
    for (const note of notes) out(`  - ${note}`);
  }
  return 0;
}

runIfMain(import.meta.url, (argv) => main(argv));
