import { migration001 } from './001_app_meta.ts';
import { migration002 } from './002_sessions_event_log.ts';
import { migration003 } from './003_improvement_plan.ts';
import { migration004 } from './004_room_display.ts';
import { migration005 } from './005_report_alternatives.ts';
import { migration006 } from './006_studio_drafts.ts';
import { migration007 } from './007_participant_grants.ts';
import type { Migration } from './types.ts';

/** Every migration, in order. Append only: a landed migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];
