// Access decisions at the store level (README "Attempt limits and audit log"): 1:1 verification
// against a subject's stored record and 1:N identification in a Gallery loaded from the store,
// decisions only (no score leaves), refused before any matching while the subject or the source
// is in back-off or locked out, and one audit entry per decision. Attempt states and the log live
// in the store, so a restart resets neither. Like the rest of templock/storage it depends on the
// core only: 1:1 decisions come from compareTemplates (the score never leaves this module), and a
// gallery is anything with Gallery's identify() from 'templock/match'.
import { isTemplockError } from '../errors.js';
import { compareTemplates } from '../score.js';
import type { ProtectedTemplate } from '../template.js';
import { _equalBytes } from '../bytes.js';
import { aInt, aNumber } from '../validate.js';
import type { _AttemptChange, AttemptKind, AttemptState, AuditAction, AuditEntry, AuditOutcome } from './access-ledger.js';
import { _afterFailure, _aAttemptPolicy, _refusal, type AttemptPolicy } from './attempt-policy.js';
import { aUtf8 } from './bytes.js';
import { DEFAULT_PURPOSE } from './context.js';
import { syncRevocations, type RevocableGallery } from './gallery-sync.js';
import type { TemplateStore } from './store.js';

/** A store error that means the record was written back, edited or damaged behind the store. */
function tampered(e: unknown): boolean {
  return isTemplockError(e) && (e.code === 'ROLLBACK' || e.code === 'INTEGRITY' || e.code === 'DECRYPT_FAILED' || e.code === 'MALFORMED');
}

/** Default bound of the audit log: the oldest entries beyond it are dropped as new ones come. */
export const DEFAULT_AUDIT_MAX_ENTRIES = 100_000;
/** Largest k of one identification through AccessControl. */
const K_MAX = 1000;

/** Options of an {@link AccessControl}. */
export interface AccessControlOptions {
  /** The store holding the records, the attempt states and the audit log. */
  readonly store: TemplateStore;
  /** Decision threshold in [0, 1] on the protected score. */
  readonly threshold: number;
  /** Limits per claimed or identified subject: changes to DEFAULT_ATTEMPT_POLICY. */
  readonly policy?: Partial<AttemptPolicy>;
  /** Limits per source (terminal, camera): changes to DEFAULT_ATTEMPT_POLICY; default as `policy`. */
  readonly sourcePolicy?: Partial<AttemptPolicy>;
  /** Purpose of the records compared (default DEFAULT_PURPOSE). */
  readonly purpose?: string;
  /** Audit entries kept, 1..10,000,000 (default 100,000); older ones are dropped. */
  readonly auditMaxEntries?: number;
  /** Milliseconds since the Unix epoch (default Date.now). */
  readonly clock?: () => number;
}

/**
 * What identify() needs of a Gallery from 'templock/match': decisions and ranks, and what
 * syncRevocations() needs to remove subjects revoked since the gallery's load.
 */
export interface RankingGallery extends RevocableGallery {
  readonly size: number;
  identify(probe: ProtectedTemplate, options: { readonly k: number; readonly threshold: number }): ReadonlyArray<{ readonly id: string; readonly rank: number }>;
}

/** Where an attempt comes from. */
export interface AttemptOptions {
  /** The terminal or camera (1..255 UTF-8 bytes); limited like a subject. */
  readonly source: string;
}

/** Options of {@link AccessControl.identify}. */
export interface AccessIdentifyOptions extends AttemptOptions {
  /**
   * The gallery loaded from the store, or one per salt epoch (then `probe` is one template per
   * gallery, in the same order).
   */
  readonly gallery: RankingGallery | readonly RankingGallery[];
  /** Candidates per gallery that may be confirmed against the store, 1..1000 (default 1). */
  readonly k?: number;
}

/** A 1:1 decision. */
export interface AccessDecision {
  readonly accepted: boolean;
}

/** A 1:N decision: the identified subject and its rank in its gallery when accepted. */
export interface IdentifyDecision {
  readonly accepted: boolean;
  readonly subjectId?: string;
  readonly rank?: number;
}

/** Options of {@link AccessControl.audit}. */
export interface AuditQuery {
  /** Only entries at or after this time, in milliseconds since the Unix epoch (default 0). */
  readonly since?: number;
  /** At most this many entries, the newest ones, 1..100,000 (default 1000). */
  readonly limit?: number;
}

/** The subject or source whose attempt state is asked for or cleared. */
export type AttemptTarget = { readonly subjectId: string } | { readonly source: string };

function aObject(name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`"${name}" expected object, got ${value === null ? 'null' : typeof value}`);
}

/** `value` as a list of `n` items (one item, when n is 1, may come alone). */
function aList<T>(name: string, value: T | readonly T[], n: number): readonly T[] {
  const list = Array.isArray(value) ? (value as readonly T[]) : [value as T];
  if (list.length !== n) throw new RangeError(`"${name}" expected ${n} item(s), one per gallery, got ${list.length}`);
  return list;
}

/**
 * Verification and identification with attempt limits and an audit log, over a TemplateStore.
 * It discloses decisions only; each subject and each source has its own failure count, back-off
 * and lock-out (AttemptPolicy), checked before any matching.
 * @example
 * import { AccessControl } from 'templock/storage';
 * const access = new AccessControl({ store, threshold: 0.3 });
 * const { accepted } = access.verify('resident-42', probe, { source: 'gate-1' }); // or LOCKED_OUT
 */
export class AccessControl {
  readonly store: TemplateStore;
  readonly threshold: number;
  /** Limits of subjects. */
  readonly policy: AttemptPolicy;
  /** Limits of sources. */
  readonly sourcePolicy: AttemptPolicy;
  readonly purpose: string;
  readonly auditMaxEntries: number;
  readonly #clock: () => number;
  /** The store's revocationSeq() at each gallery's last revocation sync. */
  readonly #synced = new WeakMap<RankingGallery, number>();

  constructor(options: AccessControlOptions) {
    aObject('options', options);
    if (typeof options.store !== 'object' || options.store === null || typeof options.store._ledger !== 'object')
      throw new TypeError('"options.store" expected TemplateStore');
    this.store = options.store;
    this.threshold = aNumber('options.threshold', options.threshold, 0, 1);
    this.policy = _aAttemptPolicy('options.policy', options.policy);
    this.sourcePolicy = options.sourcePolicy === undefined ? this.policy : _aAttemptPolicy('options.sourcePolicy', options.sourcePolicy);
    this.purpose = options.purpose ?? DEFAULT_PURPOSE;
    aUtf8('options.purpose', this.purpose);
    this.auditMaxEntries = aInt('options.auditMaxEntries', options.auditMaxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES, 1, 10_000_000);
    const clock = options.clock ?? Date.now;
    if (typeof clock !== 'function') throw new TypeError(`"options.clock" expected function, got ${typeof clock}`);
    this.#clock = clock;
  }

  /**
   * Compares the probe with the subject's stored record: `{ accepted }` and nothing else. With
   * one probe per salt epoch, the one under the record's salt is compared. A rejection counts
   * against the subject and the source; an acceptance clears the subject's failures; an unknown
   * or revoked subject counts against the source.
   * @throws TemplockError LOCKED_OUT (no matching done), NOT_FOUND, REVOKED, or the store's
   * errors opening the record; TypeError / RangeError for bad arguments.
   * @example
   * import { AccessControl } from 'templock/storage';
   * if (access.verify('resident-42', probe, { source: 'gate-1' }).accepted) openDoor();
   */
  verify(subjectId: string, probe: ProtectedTemplate | readonly ProtectedTemplate[], options: AttemptOptions): AccessDecision {
    aUtf8('subjectId', subjectId);
    const source = this.#source(options);
    const probes = Array.isArray(probe) ? (probe as readonly ProtectedTemplate[]) : [probe as ProtectedTemplate];
    if (probes.length === 0) throw new RangeError('"probe" expected at least one template');
    const now = this.#now();
    const entry = (outcome: AuditOutcome) => this.#entry(now, 'verify', subjectId, source, outcome);
    this.#refuseIfBlocked(entry, [['subject', subjectId], ['source', source]], now);
    let enrolled: ProtectedTemplate;
    try {
      enrolled = this.store.get(subjectId, this.purpose);
    } catch (e) {
      if (isTemplockError(e, 'NOT_FOUND') || isTemplockError(e, 'REVOKED'))
        this.#record([this.#failure('source', source, now)], entry(e.code === 'NOT_FOUND' ? 'not_found' : 'revoked'));
      else if (tampered(e)) this.#record([], entry('tampered'));
      throw e;
    }
    const compared = probes.find((p) => typeof p === 'object' && p !== null && p.salt instanceof Uint8Array && _equalBytes(p.salt, enrolled.salt)) ?? probes[0]!;
    const match = this.#matches(compared, enrolled);
    if (match) this.#record([{ kind: 'subject', id: subjectId, next: () => undefined }], entry('accepted'));
    else this.#record([this.#failure('subject', subjectId, now), this.#failure('source', source, now)], entry('rejected'));
    return { accepted: match };
  }

  /**
   * Identifies the probe in a gallery loaded from the store (or one per salt epoch). First the
   * revocations that reached the store since the gallery's last identify() (or, the first time,
   * all of them) are applied to it with syncRevocations(). Then candidates at or above the
   * threshold, best first (rank by rank across galleries, the earlier gallery first), are each
   * confirmed against their current stored record, which also skips subjects deleted or
   * re-issued under another salt since the load. The first confirmed one is accepted
   * (clearing its failures) unless that subject is in back-off or locked out (LOCKED_OUT); none
   * is a rejection counted against the source.
   * @throws TemplockError LOCKED_OUT (source refused before matching, or the identified subject
   * refused); TypeError / RangeError for bad arguments.
   * @example
   * import { AccessControl } from 'templock/storage';
   * const { accepted, subjectId } = access.identify(probe, { source: 'lobby-camera', gallery });
   */
  identify(probe: ProtectedTemplate | readonly ProtectedTemplate[], options: AccessIdentifyOptions): IdentifyDecision {
    const source = this.#source(options);
    const galleries = Array.isArray(options.gallery) ? (options.gallery as readonly RankingGallery[]) : [options.gallery as RankingGallery];
    if (galleries.length === 0) throw new RangeError('"options.gallery" expected at least one Gallery');
    for (const g of galleries) if (typeof g !== 'object' || g === null || typeof g.identify !== 'function') throw new TypeError('"options.gallery" expected Gallery');
    const probes = aList('probe', probe, galleries.length);
    const k = aInt('options.k', options.k ?? 1, 1, K_MAX);
    const now = this.#now();
    const entry = (outcome: AuditOutcome, subjectId: string | null = null) => this.#entry(now, 'identify', subjectId, source, outcome);
    this.#refuseIfBlocked(entry, [['source', source]], now);
    for (const g of galleries) this.#synced.set(g, syncRevocations(this.store, g, { since: this.#synced.get(g), purpose: this.purpose }).seq);
    const lists = galleries.map((g, i) => (g.size === 0 ? [] : g.identify(probes[i]!, { k, threshold: this.threshold })));
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < galleries.length; i++) {
        const c = lists[i]![r];
        if (!c || !this.#confirmed(c.id, probes[i]!, entry)) continue;
        this.#refuseIfBlocked((outcome) => entry(outcome, c.id), [['subject', c.id]], now);
        this.#record([{ kind: 'subject', id: c.id, next: () => undefined }], entry('accepted', c.id));
        return { accepted: true, subjectId: c.id, rank: c.rank };
      }
    }
    this.#record([this.#failure('source', source, now)], entry('rejected'));
    return { accepted: false };
  }

  /**
   * The audit log: the newest `limit` entries at or after `since`, oldest first. Entries carry
   * time, action, subject, source and outcome, never a score or template.
   * @example
   * import { AccessControl } from 'templock/storage';
   * for (const e of access.audit({ since: Date.now() - 86_400_000 })) console.log(e.at, e.source, e.outcome);
   */
  audit(query: AuditQuery = {}): AuditEntry[] {
    aObject('query', query);
    const since = aInt('query.since', query.since ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = aInt('query.limit', query.limit ?? 1000, 1, 100_000);
    return this.store._ledger.audit(since, limit);
  }

  /**
   * Deletes the audit entries older than `before` (milliseconds since the Unix epoch); returns
   * how many. The log is also bounded by `auditMaxEntries`.
   * @example
   * import { AccessControl } from 'templock/storage';
   * access.pruneAudit({ before: Date.now() - 90 * 86_400_000 }); // keep 90 days
   */
  pruneAudit(options: { readonly before: number }): number {
    aObject('options', options);
    return this.store._ledger.prune(aInt('options.before', options.before, 0, Number.MAX_SAFE_INTEGER));
  }

  /**
   * The failure count, back-off and lock-out of a subject or a source (undefined: none).
   * @example
   * import { AccessControl } from 'templock/storage';
   * access.attempts({ source: 'gate-1' })?.locked;
   */
  attempts(target: AttemptTarget): AttemptState | undefined {
    const [kind, id] = this.#target(target);
    return this.store._ledger.attempt(kind, id);
  }

  /**
   * Clears the failures, back-off and lock-out of a subject or a source (an operator's action);
   * true when there were any.
   * @example
   * import { AccessControl } from 'templock/storage';
   * access.unlock({ subjectId: 'resident-42' });
   */
  unlock(target: AttemptTarget): boolean {
    const [kind, id] = this.#target(target);
    return this.store._ledger.clear(kind, id);
  }

  #target(target: AttemptTarget): [AttemptKind, string] {
    aObject('target', target);
    const t = target as { subjectId?: unknown; source?: unknown };
    if ((t.subjectId === undefined) === (t.source === undefined)) throw new TypeError('"target" expected { subjectId } or { source }');
    if (t.subjectId !== undefined) return ['subject', (aUtf8('target.subjectId', t.subjectId), t.subjectId as string)];
    return ['source', (aUtf8('target.source', t.source), t.source as string)];
  }

  #source(options: AttemptOptions): string {
    aObject('options', options);
    aUtf8('options.source', options.source);
    return options.source;
  }

  #now(): number {
    const now = this.#clock();
    if (!Number.isSafeInteger(now) || now < 0) throw new RangeError('"options.clock" expected to return integer milliseconds >= 0');
    return now;
  }

  /** The decision on two templates (the score stays here). */
  #matches(probe: ProtectedTemplate, enrolled: ProtectedTemplate): boolean {
    return compareTemplates(probe, enrolled) >= this.threshold;
  }

  /** True when the subject's current, unrevoked record matches the probe. */
  /** Whether the candidate's current record matches the probe; a tampered record is logged and thrown. */
  #confirmed(subjectId: string, probe: ProtectedTemplate, entry: (outcome: AuditOutcome, subjectId: string) => Omit<AuditEntry, 'seq'>): boolean {
    try {
      return this.#matches(probe, this.store.get(subjectId, this.purpose));
    } catch (e) {
      if (isTemplockError(e, 'NOT_FOUND') || isTemplockError(e, 'REVOKED') || isTemplockError(e, 'INCOMPATIBLE')) return false;
      if (tampered(e)) this.#record([], entry('tampered', subjectId));
      throw e;
    }
  }

  #failure(kind: AttemptKind, id: string, now: number): _AttemptChange {
    const policy = kind === 'subject' ? this.policy : this.sourcePolicy;
    return { kind, id, next: (s) => _afterFailure(s, policy, now) };
  }

  #entry(at: number, action: AuditAction, subjectId: string | null, source: string, outcome: AuditOutcome): Omit<AuditEntry, 'seq'> {
    return { at, action, subjectId, source, outcome };
  }

  #record(changes: readonly _AttemptChange[], entry: Omit<AuditEntry, 'seq'>): void {
    this.store._ledger.record(changes, entry, this.auditMaxEntries);
  }

  /** Logs and throws LOCKED_OUT when any of the keys refuses an attempt at `now`. */
  #refuseIfBlocked(entry: (outcome: AuditOutcome) => Omit<AuditEntry, 'seq'>, keys: ReadonlyArray<readonly [AttemptKind, string]>, now: number): void {
    for (const [kind, id] of keys) {
      const refusal = _refusal(this.store._ledger.attempt(kind, id), now);
      if (refusal) {
        this.#record([], entry('locked_out'));
        throw refusal;
      }
    }
  }
}
