/** Severity levels shared by alerts and GuardDuty findings, with their words. */
export type SeverityLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_LABELS: Record<SeverityLevel, string> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
