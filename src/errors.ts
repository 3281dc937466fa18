// Domain errors: one TemplockError class with a closed code union (DESIGN.md "Conventions").
// Argument errors stay TypeError / RangeError; messages never carry secrets, salts,
// embedding values or the score of a failed match.

/** Every domain failure code templock can raise. */
export const ERROR_CODES = [
  'MALFORMED',
  'UNSUPPORTED_VERSION',
  'INCOMPATIBLE',
  'DECRYPT_FAILED',
  'UNKNOWN_KEY_ID',
  'KEY_DISABLED',
  'REVOKED',
  'NOT_FOUND',
  'DUPLICATE_ID',
  'EMPTY_GALLERY',
  'CAPACITY_EXCEEDED',
  'NO_FACE',
  'MULTIPLE_FACES',
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'BACKEND_UNAVAILABLE',
  'INTEGRITY',
  'ROLLBACK',
  'LOCKED_OUT',
  'STORAGE_FAILED',
] as const;

/** A domain failure code; see {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one domain error of templock. `code` is stable and machine-readable; `message` is for people
 * and never contains key, salt, template or embedding bytes.
 * @example
 * import { TemplockError } from 'templock';
 * try { decodeTemplate(bytes); } catch (e) { if (e instanceof TemplockError && e.code === 'MALFORMED') {} }
 */
export class TemplockError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'TemplockError';
    this.code = code;
  }
}

/** True when `e` is a TemplockError, optionally with the given code. */
export function isTemplockError(e: unknown, code?: ErrorCode): e is TemplockError {
  return e instanceof TemplockError && (code === undefined || e.code === code);
}
