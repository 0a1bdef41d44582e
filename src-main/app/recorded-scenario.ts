/**
 * The one loader of the scenario a recorded session ran, for every reader:
 * the session runner (reopening a session), exports, the debrief and
 * reports, the session's MSEL, session archives out and in. The scenario
 * must be the one the session's log records (its SHA-256: `session.created`
 * is covered by the hash chain, the sessions row and an archive's files are
 * not), then a valid scenario: safe JSON and the format's schema always;
 * the whole-document rules only for a scenario from outside (an archive from
 * another machine: the log is replayed against it, so a graph the engine
 * cannot run must not get that far). A session in this data folder passed
 * every rule when it was created (its SHA-256 proves it is that scenario),
 * so a rule added later does not make it unreadable.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../core/scenario/schema.ts';
import { parseScenarioText } from '../core/scenario/validate.ts';

export type RecordedScenario = { ok: true; scenario: Scenario } | { ok: false; reason: 'sha256' | 'invalid'; message: string };

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * `json` as stored with the session; `recordedSha256` as the session's log
 * records it; `from`: this data folder, or an archive from elsewhere.
 */
export function readRecordedScenario(json: string, recordedSha256: string, from: 'store' | 'archive'): RecordedScenario {
  if (sha256Hex(json) !== recordedSha256) return { ok: false, reason: 'sha256', message: 'it is not the scenario the session ran (its SHA-256 differs from the one recorded)' };
  const result = parseScenarioText(json, { rules: from === 'store' ? 'schema' : 'all' });
  if (!result.ok) {
    const first = result.errors[0];
    return { ok: false, reason: 'invalid', message: `${first?.pointer || '(root)'}: ${first?.message ?? 'not a scenario'}` };
  }
  return { ok: true, scenario: result.scenario };
}
