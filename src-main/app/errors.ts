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
