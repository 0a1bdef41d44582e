import { migration001 } from './001_app_meta.ts';
import type { Migration } from './types.ts';

/** Every migration, in order. Append only: a landed migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001];
