/**
 * GuardDuty finding types the bundled library may use, each with the bands its
 * "Default severity" in the GuardDuty User Guide's finding-type pages (IAM,
 * EC2, S3, Malware Protection, attack sequences) allows: Low 1.0–3.9, Medium
 * 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0. A type not listed here is one
 * nobody has looked up yet: look it up before adding it.
 */
export type Band = 'low' | 'medium' | 'high' | 'critical';

export const DOCUMENTED: Record<string, readonly Band[]> = {
  'AttackSequence:IAM/CompromisedCredentials': ['critical'],
  'CredentialAccess:IAMUser/AnomalousBehavior': ['medium'],
  'CryptoCurrency:EC2/BitcoinTool.B!DNS': ['high'],
  'DefenseEvasion:IAMUser/AnomalousBehavior': ['medium'],
  'Discovery:IAMUser/AnomalousBehavior': ['low'],
  // "Varies depending on the detected threat."
  'Execution:EC2/MaliciousFile': ['low', 'medium', 'high', 'critical'],
  'Exfiltration:IAMUser/AnomalousBehavior': ['high'],
  'Exfiltration:S3/AnomalousBehavior': ['high'],
  'Impact:IAMUser/AnomalousBehavior': ['high'],
  'Impact:S3/AnomalousBehavior.Delete': ['high'],
  'InitialAccess:IAMUser/AnomalousBehavior': ['medium'],
  'Persistence:IAMUser/AnomalousBehavior': ['medium'],
  'Policy:IAMUser/RootCredentialUsage': ['low'],
  'Policy:S3/BucketAnonymousAccessGranted': ['high'],
  'Policy:S3/BucketBlockPublicAccessDisabled': ['low'],
  'PrivilegeEscalation:IAMUser/AnomalousBehavior': ['medium'],
  'Recon:IAMUser/MaliciousIPCaller': ['medium'],
  'Stealth:IAMUser/CloudTrailLoggingDisabled': ['low'],
  // Low while the instance is the target; High when it is the one brute-forcing.
  'UnauthorizedAccess:EC2/SSHBruteForce': ['low', 'high'],
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS': ['high'],
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS': ['high'],
  'UnauthorizedAccess:IAMUser/MaliciousIPCaller': ['medium'],
  'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom': ['medium'],
  'UnauthorizedAccess:IAMUser/TorIPCaller': ['medium'],
};

export function band(severity: number): Band {
  if (severity >= 9) return 'critical';
  if (severity >= 7) return 'high';
  if (severity >= 4) return 'medium';
  return 'low';
}
