/**
 * GuardDuty findings in the bundled library carry the severity GuardDuty
 * documents for their type. A room that knows GuardDuty reads the band
 * (Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0) before the
 * title; a Discovery anomaly at Medium is a detail that loses it.
 *
 * The bands are the "Default severity" of each type in the GuardDuty User
 * Guide's finding-type pages (IAM, EC2, S3, attack sequences). Types whose
 * severity the guide says varies list every band it can take. A type that is
 * not in the table fails: look it up before using it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';

type Band = 'low' | 'medium' | 'high' | 'critical';

const DOCUMENTED: Record<string, readonly Band[]> = {
  'AttackSequence:IAM/CompromisedCredentials': ['critical'],
  'CredentialAccess:IAMUser/AnomalousBehavior': ['medium'],
  'CryptoCurrency:EC2/BitcoinTool.B!DNS': ['high'],
  'DefenseEvasion:IAMUser/AnomalousBehavior': ['medium'],
  'Discovery:IAMUser/AnomalousBehavior': ['low'],
  // "Varies depending on the detected threat."
  'Execution:EC2/MaliciousFile': ['low', 'medium', 'high', 'critical'],
  'Exfiltration:S3/AnomalousBehavior': ['high'],
  'Impact:S3/AnomalousBehavior.Delete': ['high'],
  'InitialAccess:IAMUser/AnomalousBehavior': ['medium'],
  'Persistence:IAMUser/AnomalousBehavior': ['medium'],
  'Policy:IAMUser/RootCredentialUsage': ['low'],
  'Policy:S3/BucketAnonymousAccessGranted': ['high'],
  'Policy:S3/BucketBlockPublicAccessDisabled': ['low'],
  'PrivilegeEscalation:IAMUser/AnomalousBehavior': ['medium'],
  'Stealth:IAMUser/CloudTrailLoggingDisabled': ['low'],
  // Low while the instance is the target; High when it is the one brute-forcing.
  'UnauthorizedAccess:EC2/SSHBruteForce': ['low', 'high'],
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS': ['high'],
  'UnauthorizedAccess:IAMUser/MaliciousIPCaller': ['medium'],
  'UnauthorizedAccess:IAMUser/TorIPCaller': ['medium'],
};

function band(severity: number): Band {
  if (severity >= 9) return 'critical';
  if (severity >= 7) return 'high';
  if (severity >= 4) return 'medium';
  return 'low';
}

const dir = join(process.cwd(), 'scenarios');
const findings = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json')
  .sort()
  .flatMap((file) => {
    const loaded = readScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    return loaded.scenario.evidence.flatMap((e) => (e.kind === 'guardduty' ? [{ file, id: e.id, type: e.finding.type, severity: e.finding.severity }] : []));
  });

describe('GuardDuty findings in the bundled library', () => {
  it('are there to check (the library shows GuardDuty in most scenarios)', () => {
    expect(new Set(findings.map((f) => f.file)).size).toBeGreaterThanOrEqual(10);
  });

  it('are of documented types and in the severity band GuardDuty documents for the type', () => {
    const wrong = findings.flatMap((f) => {
      const bands = DOCUMENTED[f.type];
      if (!bands) return [`${f.file} ${f.id}: ${f.type} is not in the table of documented severities`];
      return bands.includes(band(f.severity)) ? [] : [`${f.file} ${f.id}: ${f.type} at ${f.severity} (${band(f.severity)}); GuardDuty documents ${bands.join(' or ')}`];
    });
    expect(wrong).toEqual([]);
  });
});
