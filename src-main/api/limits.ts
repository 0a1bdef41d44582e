/**
 * The size limits (src-main/core/limits.ts), shared with the hosts and the
 * renderer so that the hosts' bodies, the renderer's file pickers and the
 * contract refuse the same sizes in the same words.
 */
export {
  formatBytes,
  IMPORT_FILES_MAX,
  IMPORT_FILES_TOTAL,
  IMPORT_PATH_MAX_CHARS,
  MSEL_TEXT,
  PARTICIPANT_JOIN_BODY,
  PARTICIPANT_REQUEST_BODY,
  REQUEST_BODY,
  SCENARIO_FILE,
  tooLarge,
  UPLOAD,
  type SizeLimit,
} from '../core/limits.ts';
