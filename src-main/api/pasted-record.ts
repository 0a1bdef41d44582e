/**
 * The studio's "paste a record" box: real CloudTrail / GuardDuty / Security
 * Hub JSON as AWS publishes it, turned into one evidence item of the scenario
 * format (src-main/core/scenario/pasted-record.ts). Pure; the renderer calls
 * it directly, nothing crosses to main.
 */
export { parsePastedRecord, PASTED_RECORD_MAX_BYTES, type PastedRecord, type PastedRecordKind, type PastedRecordOptions } from '../core/scenario/pasted-record.ts';
