import { apiError, type ApiError, type ApiErrorCode } from '../api/errors.ts';

/**
 * An error a service raises on purpose: it reaches the caller as a typed
 * contract error. Anything else thrown is treated as a bug and reported as
 * `internal` without details.
 */
export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly path = '',
  ) {
    super(message);
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    return apiError(this.code, this.message, this.path);
  }
}

/** True when a write failed because the disk is full (SQLite's SQLITE_FULL, or ENOSPC from the file system). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** The `disk_full` error for a write into `folder` that failed because the disk is full, or null for any other failure. */
export function diskFullError(error: unknown, folder: string): AppError | null {
  if (error instanceof AppError) return error.code === 'disk_full' ? error : null;
  if (!isDiskFull(error)) return null;
  return new AppError(
    'disk_full',
    `The disk is full: Sandtable could not save to ${folder}. Nothing was lost and nothing half-written was kept; free some space on that disk and try again.`,
  );
}
