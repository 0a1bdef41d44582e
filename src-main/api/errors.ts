/**
 * The one error shape that crosses the contract. Hosts never send stack traces:
 * a caller gets a stable `code`, a plain-language `message`, and the JSON
 * pointer of the input at fault (`""` when the error is not about one field).
 */
export const API_ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_scenario',
  /** The disk holding the data folder (or an export's folder) is full: nothing was written; free space and try again. */
  'disk_full',
  'rate_limited',
  'internal',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  path: string;
}

export type ApiResponse<T> = { ok: true; result: T } | { ok: false; error: ApiError };

export function apiError(code: ApiErrorCode, message: string, path = ''): ApiError {
  return { code, message, path };
}
