/**
 * The VPC Flow Logs record format, without zod, so that the renderer can read
 * records exactly as the validator does (src-main/api/vocabulary.ts) without
 * pulling the schema library into the page.
 */

/** The fields of the default flow log format (version 2), in order. */
export const VPC_FLOW_LOG_DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** The values of one flow log record (space-separated, as flow logs write them). */
export function splitFlowLogRecord(record: string): string[] {
  const trimmed = record.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}
