// Exit statuses of the `templock` command (README "Commands"): one per kind of outcome, so that a
// script can tell a face that was refused (1) from a set-up that is broken (2–6):
// `templock verify … && open-gate` opens only on 0, and `$?` says why it did not.
import { isTemplockError, type ErrorCode } from '../errors.js';

/** The exit statuses, by meaning. */
export const EXIT = Object.freeze({
  /** Accepted, or the command did what was asked. */
  OK: 0,
  /** Rejected: no match, not enrolled, revoked, locked out, or a check that found failures. */
  REJECTED: 1,
  /** Usage: unknown command or option, a missing or malformed argument, a path that cannot be read. */
  USAGE: 2,
  /** Keys: wrong passphrase or key file, unknown or disabled key. */
  KEY: 3,
  /** Store or data: damaged, rolled back or conflicting records, malformed or unsupported files. */
  STORE: 4,
  /** Image: unreadable or oversized, no face, several faces. */
  IMAGE: 5,
  /** Runtime: a backend or package missing, or an unexpected failure. */
  RUNTIME: 6,
} as const);

const BY_CODE: Readonly<Record<ErrorCode, number>> = {
  REVOKED: EXIT.REJECTED, NOT_FOUND: EXIT.REJECTED, LOCKED_OUT: EXIT.REJECTED, EMPTY_GALLERY: EXIT.REJECTED,
  DECRYPT_FAILED: EXIT.KEY, UNKNOWN_KEY_ID: EXIT.KEY, KEY_DISABLED: EXIT.KEY,
  MALFORMED: EXIT.STORE, UNSUPPORTED_VERSION: EXIT.STORE, INCOMPATIBLE: EXIT.STORE, DUPLICATE_ID: EXIT.STORE,
  CAPACITY_EXCEEDED: EXIT.STORE, INTEGRITY: EXIT.STORE, ROLLBACK: EXIT.STORE, STORAGE_FAILED: EXIT.STORE,
  NO_FACE: EXIT.IMAGE, MULTIPLE_FACES: EXIT.IMAGE, IMAGE_UNREADABLE: EXIT.IMAGE, IMAGE_TOO_LARGE: EXIT.IMAGE,
  BACKEND_UNAVAILABLE: EXIT.RUNTIME,
};

/** A file-system error of Node.js about a path given on the command line (missing, not a folder, no access). */
function isPathError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof (e as { path?: unknown }).path === 'string' && ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM'].includes(code as string);
}

/** The exit status and the machine-readable code of a failure. */
export function _failureOf(e: unknown): { readonly status: number; readonly code: ErrorCode | 'USAGE' | 'RUNTIME' } {
  if (isTemplockError(e)) return { status: BY_CODE[e.code], code: e.code };
  if (e instanceof TypeError || e instanceof RangeError || isPathError(e)) return { status: EXIT.USAGE, code: 'USAGE' };
  return { status: EXIT.RUNTIME, code: 'RUNTIME' };
}
