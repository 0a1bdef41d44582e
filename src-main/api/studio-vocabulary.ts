/**
 * The closed lists of the scenario format as the studio's pickers offer them:
 * every AWS incident-response playbook, ATT&CK cloud technique and CSF 2.0
 * category (./vocabulary.ts shares their sources and names), the inject
 * channels, the query languages of evidence on request, the VPC flow log
 * fields and the format versions — from the definitions the validator uses.
 */
export { ATTACK_TECHNIQUES, CSF_CATEGORIES, PLAYBOOKS } from '../core/frameworks/index.ts';
export { CHANNELS, FORMAT_VERSIONS, QUERY_LANGUAGES, REQUIRED_MILESTONES } from '../core/scenario/schema.ts';
export { VPC_FLOW_LOG_FIELDS } from '../core/scenario/aws-records.ts';
