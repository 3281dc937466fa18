// What a store persists beside its records for access control (README "Attempt limits and audit
// log"): the attempt state of each subject and source, and the audit log of decisions. Entries
// hold times, ids and outcomes only: never a score, template, salt or embedding.

/** Who an attempt state belongs to: a claimed subject, or the source (terminal, camera) of attempts. */
export type AttemptKind = 'subject' | 'source';

/** Failed attempts of one subject or source. */
export interface AttemptState {
  /** Failures counted so far (forgotten when the policy's window passes without one). */
  readonly failures: number;
  /** Milliseconds since the Unix epoch of the last failure. */
  readonly lastFailureAt: number;
  /** No attempt before this time (milliseconds since the Unix epoch; 0: none). */
  readonly blockedUntil: number;
  /** Locked out until an operator clears it. */
  readonly locked: boolean;
}

/** The kinds of decision. */
export const AUDIT_ACTIONS = ['verify', 'identify'] as const;
/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The outcomes of a decision. 'tampered': the subject's record failed the store's checks
 * (ROLLBACK, INTEGRITY, DECRYPT_FAILED, MALFORMED: written back, edited or damaged behind the
 * store), so no decision was made on it.
 */
export const AUDIT_OUTCOMES = ['accepted', 'rejected', 'locked_out', 'revoked', 'not_found', 'tampered'] as const;
/** One of {@link AUDIT_OUTCOMES}. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One decision as the audit log keeps it. */
export interface AuditEntry {
  /** Increasing number of the entry in this store (never reused, also after pruning). */
  readonly seq: number;
  /** Milliseconds since the Unix epoch. */
  readonly at: number;
  readonly action: AuditAction;
  /** The claimed (verify) or identified (identify) subject; null when there is none. */
  readonly subjectId: string | null;
  /** The terminal or camera the attempt came from. */
  readonly source: string;
  readonly outcome: AuditOutcome;
}

/** A change of one attempt state: its next value from the current one (undefined: none). */
export interface _AttemptChange {
  readonly kind: AttemptKind;
  readonly id: string;
  readonly next: (current: AttemptState | undefined) => AttemptState | undefined;
}

/** The persistence of attempt states and the audit log, beside a store's records. */
export interface _AccessLedger {
  attempt(kind: AttemptKind, id: string): AttemptState | undefined;
  /**
   * In one transaction: applies the changes (each computed from the state as it is inside the
   * transaction, so concurrent writers lose no failure), appends the entry and drops the oldest
   * entries beyond `keepEntries`.
   */
  record(changes: readonly _AttemptChange[], entry: Omit<AuditEntry, 'seq'>, keepEntries: number): void;
  /** Deletes an attempt state; true when there was one. */
  clear(kind: AttemptKind, id: string): boolean;
  /** The newest `limit` entries at or after time `since`, oldest first. */
  audit(since: number, limit: number): AuditEntry[];
  /** Deletes the entries before time `before`; returns how many. */
  prune(before: number): number;
}
