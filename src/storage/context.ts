// The context a sealed record is bound to (SPEC.md §7.3): tenant/application, subject id and
// purpose. It is not stored in the record; it enters the associated data, so a record copied to
// another subject, purpose or tenant fails to open.
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { aInt } from '../validate.js';
import { _lengthPrefixed, aUtf8 } from './bytes.js';

/** Where a record belongs. Each string is 1..255 UTF-8 bytes. */
export interface RecordContext {
  /** The tenant or application (e.g. one site or terminal fleet). */
  readonly tenant: string;
  /** The enrolled person's identifier in the vendor's system (not biometric). */
  readonly subjectId: string;
  /** What the template is for, e.g. "access"; records of one subject differ by purpose. */
  readonly purpose: string;
  /**
   * The record version (SPEC.md §7.4): sealTemplate writes it (default 1); openTemplate, when
   * given, refuses a record of another version as ROLLBACK (a v1 record is version 0).
   */
  readonly version?: number;
}

/** The purpose used when a store call names none. */
export const DEFAULT_PURPOSE = 'access';

const CONTEXT_LABEL = utf8ToBytes('templock/v1/record');

/** A validated tenant's encoder of contexts: (subjectId, purpose) -> canonical context bytes. */
export function _contextEncoder(tenant: unknown): (subjectId: unknown, purpose: unknown) => Uint8Array {
  const prefix = _lengthPrefixed(CONTEXT_LABEL, [aUtf8('context.tenant', tenant)]);
  return (subjectId, purpose) => _lengthPrefixed(prefix, [aUtf8('context.subjectId', subjectId), aUtf8('context.purpose', purpose)]);
}

/** Validates a context and returns its canonical encoding (the first part of the associated data). */
export function _encodeContext(ctx: unknown): Uint8Array {
  if (typeof ctx !== 'object' || ctx === null) throw new TypeError(`"context" expected object, got ${ctx === null ? 'null' : typeof ctx}`);
  const c = ctx as Partial<Record<keyof RecordContext, unknown>>;
  return _contextEncoder(c.tenant)(c.subjectId, c.purpose);
}

/** The record version a context names (`min`..2^53 - 1), or undefined. */
export function _contextVersion(ctx: RecordContext, min: number): number | undefined {
  return ctx.version === undefined ? undefined : aInt('context.version', ctx.version, min, Number.MAX_SAFE_INTEGER);
}
