/**
 * Former name of ./scenario-files.ts (reading and validating scenario files
 * on disk), kept only so that branches written against it still build; import
 * ./scenario-files.ts. The scenario library itself is ./scenario-library.ts.
 */
export * from './scenario-files.ts';
