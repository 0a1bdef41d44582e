/**
 * The tag vocabulary (design principles, responsibility sides, phases,
 * best-practice titles), shared with the renderer so that it labels tags
 * from the same source the validator checks them against.
 */
export { DESIGN_PRINCIPLES, PHASE_ALIASES, PHASE_LABELS, PHASES, RESPONSIBILITY_SIDES, WAF_BEST_PRACTICE_TITLES, WAF_TAG_PATTERN } from '../core/scenario/tags.ts';

/** The framework vocabularies (AWS IR playbooks, ATT&CK cloud techniques, CSF 2.0 categories), with their sources and versions. */
export { ATTACK_VOCABULARY, attackFullName, CSF_VOCABULARY, csfFullName, PLAYBOOK_VOCABULARY, PLAYBOOKS_BY_ID } from '../core/frameworks/index.ts';

/** VPC Flow Logs record formats, so that the renderer reads records as the validator does. */
export { splitFlowLogRecord, VPC_FLOW_LOG_DEFAULT_FIELDS } from '../core/scenario/flow-log-format.ts';
