// The TemplateStore interface and the one implementation of its semantics over a raw row
// backend (README "Storage"): sealing on put, opening on get, the revocation list, iteration
// for loading a gallery (in this thread, or on worker threads through open-pool.ts), integrity
// verification and re-wrap to the primary key. Every write updates the manifest (manifest.ts,
// SPEC.md §7.6) in its transaction; every load checks records against it.
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { isTemplockError, TemplockError, type ErrorCode } from '../errors.js';
import type { BoundTemplate, ProtectedTemplate, SealableTemplate } from '../template.js';
import { aBytes } from '../validate.js';
import type { _AccessLedger } from './access-ledger.js';
import { AEADS } from './aead.js';
import { aUtf8 } from './bytes.js';
import { _equalBytes } from '../bytes.js';
import { _contextEncoder, DEFAULT_PURPOSE } from './context.js';
import { _aCounter, type MonotonicCounter } from './counter.js';
import { Keyring } from './keyring.js';
import type { _SealKey } from './key-material.js';
import { _entryKey, _Manifest, type _ManifestBackend, type _ManifestView, type _ManifestWriter } from './manifest.js';
import { _OpenPool, type _OpenOutcome } from './open-pool.js';
import { _saltIdBytes } from '../salt-id.js';
import {
  _decodeSealed, _decodeSealedAny, _decodeSealedBound, _expectVersion, _openRecord, _parseRecord, _recordSaltId, _SaltIdMemo, _sealRecord,
  type _ParsedRecord, type _SealedDecoder,
} from './record.js';

/** Public facts about one stored record (no decryption involved). */
export interface RecordInfo {
  readonly subjectId: string;
  readonly purpose: string;
  /** Storage key that sealed the record. */
  readonly keyId: string;
  /** Salt id of the sealed template (see saltId()). */
  readonly saltId: string;
  /** Milliseconds since the Unix epoch of the last write. */
  readonly updatedAt: number;
}

/** One opened record. */
export interface StoredTemplate {
  readonly subjectId: string;
  readonly purpose: string;
  readonly template: ProtectedTemplate;
}

/** One opened record holding a key-binding template (boundEntries()). */
export interface StoredBoundTemplate {
  readonly subjectId: string;
  readonly purpose: string;
  readonly template: BoundTemplate;
}

/** One entry of the revocation list: a subject id, or the salt id of a revoked template. */
export interface Revocation {
  readonly kind: 'subject' | 'salt';
  readonly value: string;
  readonly revokedAt: number;
}

/** A record that failed verification or re-wrap, with the error code (never its bytes). */
export interface RecordFailure {
  readonly subjectId: string;
  readonly purpose: string;
  readonly code: ErrorCode;
}

/** What verify() found. */
export interface IntegrityReport {
  readonly ok: boolean;
  /**
   * 'ok', or why the manifest failed: INTEGRITY (its MAC, or entries that do not sum to its
   * head), ROLLBACK (the monotonic counter), UNKNOWN_KEY_ID / KEY_DISABLED (its key).
   */
  readonly manifest: 'ok' | ErrorCode;
  readonly records: number;
  readonly failures: readonly RecordFailure[];
  /** Problems the storage engine itself reports (empty when sound). */
  readonly storage: readonly string[];
}

/** What rewrap() did. */
export interface RewrapReport {
  readonly keyId: string;
  readonly rewrapped: number;
  readonly alreadyCurrent: number;
  readonly failures: readonly RecordFailure[];
}

/** One item of putMany(). */
export interface PutItem {
  readonly subjectId: string;
  /** A protected template, or a key-binding template (bindKey): a record seals either. */
  readonly template: SealableTemplate;
  readonly purpose?: string;
}

/** Options of entries(). */
export interface EntriesOptions {
  /** Only records of this purpose. */
  readonly purpose?: string;
  /**
   * Called with each record that fails to open (by code, never by content), which is then
   * skipped; without it the first failure throws.
   */
  readonly onFailure?: (failure: RecordFailure) => void;
}

/** Options of openEntries(). */
export interface OpenEntriesOptions extends EntriesOptions {
  /**
   * Worker threads opening records (1..16, default 2); 1, or a runtime without worker threads,
   * opens on the calling thread.
   */
  readonly threads?: number;
}

/** Options common to every store. */
export interface StoreOptions {
  /** Opens and seals every record. */
  readonly keyring: Keyring;
  /** The tenant/application every record of this store is bound to (1..255 UTF-8 bytes). */
  readonly tenant: string;
  /**
   * A counter outside the store's file (TPM NV counter, server) that the manifest's generation
   * must match: detects the whole file rolled back to an older copy (SPEC.md §7.7).
   */
  readonly counter?: MonotonicCounter;
}

/**
 * Protected templates at rest, each inside a sealed record bound to (tenant, subject, purpose).
 * Implementations: MemoryTemplateStore ('templock/storage') and SqliteTemplateStore
 * ('templock/storage/sqlite').
 */
export interface TemplateStore {
  readonly tenant: string;
  readonly keyring: Keyring;
  put(subjectId: string, template: SealableTemplate, purpose?: string): void;
  putMany(items: readonly PutItem[]): void;
  get(subjectId: string, purpose?: string): ProtectedTemplate;
  getBound(subjectId: string, purpose?: string): BoundTemplate;
  delete(subjectId: string, purpose?: string): boolean;
  list(): RecordInfo[];
  count(): number;
  revokeSubject(subjectId: string): number;
  reinstateSubject(subjectId: string): boolean;
  revokeSalt(saltOrId: Uint8Array | string): number;
  revocations(): Revocation[];
  revocationSeq(): number;
  entries(options?: EntriesOptions): IterableIterator<StoredTemplate>;
  boundEntries(options?: EntriesOptions): IterableIterator<StoredBoundTemplate>;
  openEntries(options?: OpenEntriesOptions): AsyncIterableIterator<StoredTemplate>;
  verify(): IntegrityReport;
  rewrap(options?: { readonly batchSize?: number }): RewrapReport;
  migrate(): RewrapReport;
  close(): void;
  /** Attempt states and audit log, persisted beside the records; used through AccessControl. */
  readonly _ledger: _AccessLedger;
}

/** A stored row as a backend holds it. */
export interface _Row {
  readonly subjectId: string;
  readonly purpose: string;
  readonly keyId: string;
  readonly saltId: string;
  readonly record: Uint8Array;
  readonly updatedAt: number;
}

/**
 * Raw persistence under the store semantics. Every method is atomic on its own; the store wraps
 * writes and their manifest update in transaction().
 */
export interface _Backend extends _ManifestBackend {
  /** Inserts or replaces rows in one transaction; returns false (writing nothing) if any row is revoked. */
  upsert(rows: readonly _Row[]): boolean;
  fetch(subjectId: string, purpose: string): _Row | undefined;
  remove(subjectId: string, purpose: string): boolean;
  /** Every row, in insertion order, safe to interleave with writes. */
  rows(): Iterable<_Row>;
  /** (subject, purpose, record) of every row (of one purpose, if given), as rows() but lighter. */
  records(purpose?: string): Iterable<readonly [string, string, Uint8Array]>;
  /** (subject, purpose) of every row not sealed under keyId, or of record format v1. */
  toRewrap(keyId: string): Array<readonly [string, string]>;
  /** Replaces a row only if it still holds `expected`. */
  swap(expected: _Row, next: _Row): boolean;
  /**
   * Adds a revocation (unless present) and deletes the rows it covers; whether it was added and
   * the (subject, purpose) of the deleted rows.
   */
  revoke(kind: Revocation['kind'], value: string, at: number): { readonly added: boolean; readonly removed: Array<readonly [string, string]> };
  /** Lifts a subject revocation; its revokedAt, or undefined when there was none. */
  reinstate(subjectId: string): number | undefined;
  isRevoked(subjectId: string, saltId: string): boolean;
  revocations(): Revocation[];
  /** A number that changes (grows) whenever the revocation list changes, in this or another process. */
  revocationSeq(): number;
  count(): number;
  checkStorage(): string[];
  close(): void;
}

const SALT_ID_HEX = /^[0-9a-f]{32}$/;

function failureCode(e: unknown): ErrorCode {
  if (isTemplockError(e)) return e.code;
  throw e;
}

/** Records opened per worker message by openEntries(), and batches in flight per worker. */
const OPEN_BATCH = 512;
const BATCHES_PER_THREAD = 2;
const THREADS_MAX = 16;

/** A non-revoked record to open: parsed with its key resolved, or the error that stopped it. */
type Candidate =
  | { readonly subjectId: string; readonly purpose: string; readonly record: Uint8Array; readonly saltId: string; readonly parsed: _ParsedRecord; readonly key: _SealKey; readonly ok: true }
  | { readonly subjectId: string; readonly purpose: string; readonly record: Uint8Array; readonly saltId?: undefined; readonly ok: false; readonly error: unknown };

/** A record read by a load: who it belongs to, its bytes and its salt id (when it parsed). */
type LoadedRecord = Pick<Candidate, 'subjectId' | 'purpose' | 'record' | 'saltId'>;

/** A candidate's outcome: template bytes to decode (then wipe), or an error. */
interface Settled extends LoadedRecord {
  readonly outcome: _OpenOutcome | { readonly error: unknown };
}

/** A load asks the backend whether the revocation list changed at least every this many records. */
const REVOCATION_RECHECK = 64;

/**
 * The revocation list as a load sees it, read again whenever it changed: at once after a
 * revocation through this store (the caller's code runs between two yielded records), and within
 * REVOCATION_RECHECK records after one by another store object or process on the same data. So a
 * revocation made while a load runs wins.
 */
class LiveRevocations {
  readonly #backend: _Backend;
  readonly #localChanges: () => number;
  /**
   * The manifest as verified when the load began (summed again only when its head changed since
   * this store last verified it: the view in memory is what every check compares with, so rows
   * edited behind an unchanged head change nothing); its revocations always count (the list as
   * read later is not authenticated).
   */
  readonly view: _ManifestView;
  #local = -1;
  #seq: number;
  #sinceCheck = 0;
  #subjects: Set<string>;
  #salts: Set<string>;

  constructor(backend: _Backend, localChanges: () => number, manifest: _Manifest) {
    this.#backend = backend;
    this.#localChanges = localChanges;
    this.#seq = backend.revocationSeq();
    this.view = manifest.current();
    this.#subjects = this.view.subjects;
    this.#salts = this.view.salts;
  }

  /** True when the subject or the salt id is revoked now. */
  covers(subjectId: string, saltId: string | undefined): boolean {
    if (this.#local !== this.#localChanges() || ++this.#sinceCheck >= REVOCATION_RECHECK) {
      this.#local = this.#localChanges();
      this.#sinceCheck = 0;
      const seq = this.#backend.revocationSeq();
      if (seq !== this.#seq) {
        const revoked = this.#backend.revocations();
        this.#subjects = new Set([...this.view.subjects, ...revoked.filter((r) => r.kind === 'subject').map((r) => r.value)]);
        this.#salts = new Set([...this.view.salts, ...revoked.filter((r) => r.kind === 'salt').map((r) => r.value)]);
        this.#seq = seq;
      }
    }
    return this.#subjects.has(subjectId) || (saltId !== undefined && this.#salts.size > 0 && this.#salts.has(saltId));
  }
}

function aEntriesOptions(options: EntriesOptions | undefined): { purpose: string | undefined; onFailure: EntriesOptions['onFailure'] } {
  const purpose = options?.purpose === undefined ? undefined : (aUtf8('purpose', options.purpose), options.purpose);
  const onFailure = options?.onFailure;
  if (onFailure !== undefined && typeof onFailure !== 'function') throw new TypeError(`"options.onFailure" expected function, got ${typeof onFailure}`);
  return { purpose, onFailure };
}

/** Reports a failed record to onFailure, or throws its error when there is none. */
function reportFailure(e: unknown, subjectId: string, purpose: string, onFailure: EntriesOptions['onFailure']): void {
  if (!onFailure) throw e;
  onFailure({ subjectId, purpose, code: failureCode(e) });
}

/** Sends a batch's openable candidates to the pool; the outcomes of all of them, in order. */
async function openBatch(pool: _OpenPool, batch: readonly Candidate[]): Promise<Settled[]> {
  const jobs = [];
  for (const c of batch) if (c.ok) jobs.push({ record: c.record, subjectId: c.subjectId, purpose: c.purpose, key: c.key });
  const outcomes = await pool.open(jobs);
  let j = 0;
  return batch.map((c) => ({ subjectId: c.subjectId, purpose: c.purpose, record: c.record, saltId: c.saltId, outcome: c.ok ? outcomes[j++]! : { error: c.error } }));
}

/** Zero-fills the template bytes of outcomes that will not be delivered. */
function wipeSettled(settled: readonly Settled[]): void {
  for (const { outcome } of settled) if (outcome instanceof Uint8Array) outcome.fill(0);
}

/** Asserts store options (before any backend is opened). */
export function _aStoreOptions(options: unknown): StoreOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
  const o = options as Partial<StoreOptions>;
  if (!(o.keyring instanceof Keyring)) throw new TypeError('"options.keyring" expected Keyring');
  aUtf8('options.tenant', o.tenant);
  if (o.counter !== undefined) _aCounter('options.counter', o.counter);
  return o as StoreOptions;
}

/** The semantics of every TemplateStore, over a backend whose options were checked by _aStoreOptions. */
export abstract class _SealedTemplateStore implements TemplateStore {
  readonly tenant: string;
  readonly keyring: Keyring;
  protected readonly backend: _Backend;
  readonly #manifest: _Manifest;
  readonly _ledger: _AccessLedger;
  readonly #context: (subjectId: string, purpose: string) => Uint8Array;
  /** Workers of the last completed openEntries(), idle, holding no key. */
  #idlePool: _OpenPool | undefined;
  /** Revocation-list changes made through this store object (loads look at it on every record). */
  #revocationChanges = 0;

  protected constructor(options: StoreOptions, backend: _Backend, ledger: _AccessLedger) {
    this.tenant = options.tenant;
    this.keyring = options.keyring;
    this.backend = backend;
    this._ledger = ledger;
    this.#context = _contextEncoder(options.tenant);
    this.#manifest = new _Manifest(backend, options.keyring, options.tenant, options.counter);
    // A new store gets its manifest head; an existing one has its head checked (MAC, counter).
    // A file the engine cannot read, or a manifest under a key this keyring lacks, still opens:
    // every call that needs them then reports that, verify() too.
    let present = false;
    try {
      present = !this.#manifest.init() && this.#manifest.present;
    } catch (e) {
      if (!isTemplockError(e, 'INTEGRITY') && !isTemplockError(e, 'STORAGE_FAILED')) throw e;
    }
    try {
      if (present) this.#manifest.checkHead();
    } catch (e) {
      if (!isTemplockError(e, 'UNKNOWN_KEY_ID') && !isTemplockError(e, 'KEY_DISABLED')) throw e;
    }
  }

  #seal(subjectId: string, template: SealableTemplate, purpose: string, at: number, version: number): _Row {
    const context = this.#context(subjectId, purpose);
    const key = this.keyring._sealKey();
    const record = _sealRecord(key, template, context, randomBytes(AEADS[key.algorithm].nonceBytes), version);
    return { subjectId, purpose, keyId: bytesToHex(key.keyId), saltId: bytesToHex(_saltIdBytes(template.salt)), record, updatedAt: at };
  }

  #open<T extends SealableTemplate>(row: _Row, parsed: _ParsedRecord, decode: _SealedDecoder<T>): T {
    return _openRecord(this.keyring._openKey(parsed.keyId), parsed, this.#context(row.subjectId, row.purpose), undefined, decode);
  }

  /**
   * Seals and stores a template (replacing the subject's record of that purpose).
   * @throws TemplockError REVOKED when the subject or the template's salt is revoked.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.put('resident-42', template);
   */
  put(subjectId: string, template: SealableTemplate, purpose: string = DEFAULT_PURPOSE): void {
    this.putMany([{ subjectId, template, purpose }]);
  }

  /**
   * Seals and stores several templates in one transaction: all are written or none.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.putMany([{ subjectId: 'a', template: ta }, { subjectId: 'b', template: tb }]);
   */
  putMany(items: readonly PutItem[]): void {
    if (!Array.isArray(items)) throw new TypeError(`"items" expected array, got ${items === null ? 'null' : typeof items}`);
    const at = Date.now();
    items.forEach((it: PutItem, i) => {
      if (typeof it !== 'object' || it === null) throw new TypeError(`"items[${i}]" expected object`);
    });
    this.#manifest.write((w) => {
      // Each record gets the version after its entry's (a tombstone's too), so no older copy of
      // it, nor a deleted one, can be written back unnoticed.
      const next = new Map<string, number>();
      const rows = items.map((it) => {
        const purpose = it.purpose ?? DEFAULT_PURPOSE;
        const k = _entryKey(it.subjectId, purpose);
        const version = next.get(k) ?? w.nextVersion(it.subjectId, purpose);
        next.set(k, version + 1);
        return this.#seal(it.subjectId, it.template, purpose, at, version);
      });
      if (!this.backend.upsert(rows)) throw new TemplockError('REVOKED', 'store: the subject or the template salt is revoked');
      for (const r of rows) w.setRecord(r.subjectId, r.purpose, { version: next.get(_entryKey(r.subjectId, r.purpose))! - 1, live: true });
    });
  }

  /**
   * Opens the subject's record of `purpose`, after checking it against the manifest: the head's
   * MAC and counter on every call; the entries' sum when the head changed since this store last
   * verified it (once after another process's write).
   * @throws TemplockError REVOKED (the subject is revoked, or the record's salt is), NOT_FOUND (no
   *   record: never stored, deleted, or removed with a revoked salt), ROLLBACK (an older copy of
   *   the record, a deleted one written back, or the file rolled back under a counter), INTEGRITY
   *   (the manifest fails its MAC or sum, or lists a record that is missing), DECRYPT_FAILED, UNKNOWN_KEY_ID,
   *   KEY_DISABLED, MALFORMED.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const template = store.get('resident-42');
   */
  get(subjectId: string, purpose: string = DEFAULT_PURPOSE): ProtectedTemplate {
    return this.#get(subjectId, purpose, _decodeSealed);
  }

  /**
   * As get(), for a record holding a key-binding template (bindKey); INCOMPATIBLE when the record
   * holds a protected template (and get() is INCOMPATIBLE for a key-binding one).
   * @example
   * import { releaseKey } from 'templock';
   * const r = releaseKey(probe, store.getBound('resident-42', 'door-key'), appKey, mean);
   */
  getBound(subjectId: string, purpose: string = DEFAULT_PURPOSE): BoundTemplate {
    return this.#get(subjectId, purpose, _decodeSealedBound);
  }

  #get<T extends SealableTemplate>(subjectId: string, purpose: string, decode: _SealedDecoder<T>): T {
    aUtf8('subjectId', subjectId);
    aUtf8('purpose', purpose);
    const [view, row] = this.#currentRow(subjectId, purpose);
    const expected = view.versions.get(_entryKey(subjectId, purpose));
    if (!row) {
      if (view.subjects.has(subjectId)) throw new TemplockError('REVOKED', 'store: the subject is revoked');
      if (expected !== undefined && expected >= 0) throw new TemplockError('INTEGRITY', 'store: the manifest lists a record that is missing');
      throw new TemplockError('NOT_FOUND', 'store: no record for this subject and purpose');
    }
    const parsed = _parseRecord(row.record);
    if (view.subjects.has(subjectId) || view.salts.has(_recordSaltId(parsed))) throw new TemplockError('REVOKED', 'store: the subject or the template salt is revoked');
    _expectVersion(parsed, expected ?? -1);
    return this.#open(row, parsed, decode);
  }

  /**
   * Deletes a record; true when one existed.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.delete('resident-42');
   */
  delete(subjectId: string, purpose: string = DEFAULT_PURPOSE): boolean {
    aUtf8('subjectId', subjectId);
    aUtf8('purpose', purpose);
    return this.#manifest.write((w) => {
      const removed = this.backend.remove(subjectId, purpose);
      w.tombstone(subjectId, purpose);
      return removed;
    });
  }

  /**
   * Metadata of every record, without decrypting.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const underOldKey = store.list().filter((r) => r.keyId === oldId).length;
   */
  list(): RecordInfo[] {
    return [...this.backend.rows()].map(({ subjectId, purpose, keyId, saltId, updatedAt }) =>
      Object.freeze({ subjectId, purpose, keyId, saltId, updatedAt }));
  }

  /**
   * Number of stored records.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.count();
   */
  count(): number {
    return this.backend.count();
  }

  /**
   * Puts a subject on the revocation list and deletes its records; returns how many. Later puts,
   * gets and loads of the subject are refused until reinstateSubject().
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.revokeSubject('resident-42');
   */
  revokeSubject(subjectId: string): number {
    aUtf8('subjectId', subjectId);
    return this.#revoke('subject', subjectId);
  }

  #revoke(kind: Revocation['kind'], value: string): number {
    const at = Date.now();
    this.#revocationChanges++;
    return this.#manifest.write((w) => {
      const { added, removed } = this.backend.revoke(kind, value, at);
      if (added) w.addRevocation({ kind, value, revokedAt: at });
      for (const [s, p] of removed) w.tombstone(s, p);
      return removed.length;
    });
  }

  /**
   * Lifts a subject revocation (salt revocations are permanent); true when one existed.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.reinstateSubject('resident-42');
   */
  reinstateSubject(subjectId: string): boolean {
    aUtf8('subjectId', subjectId);
    this.#revocationChanges++;
    return this.#manifest.write((w) => {
      const revokedAt = this.backend.reinstate(subjectId);
      if (revokedAt !== undefined) w.removeRevocation({ kind: 'subject', value: subjectId, revokedAt });
      return revokedAt !== undefined;
    });
  }

  /**
   * Revokes a template salt (its bytes, or its 32-hex-character salt id) permanently and deletes
   * the records sealed with it; returns how many. Re-enrol with a new salt.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.revokeSalt(leakedTemplate.salt);
   */
  revokeSalt(saltOrId: Uint8Array | string): number {
    let id: string;
    if (typeof saltOrId === 'string') {
      if (!SALT_ID_HEX.test(saltOrId)) throw new RangeError('"saltOrId" expected 32 lowercase hex characters');
      id = saltOrId;
    } else {
      id = bytesToHex(_saltIdBytes(aBytes('saltOrId', saltOrId, 16, 32)));
    }
    return this.#revoke('salt', id);
  }

  /**
   * The revocation list (as stored; loads check it against the manifest).
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * for (const r of store.revocations()) console.log(r.kind, r.value);
   */
  revocations(): Revocation[] {
    return this.backend.revocations().map((r) => Object.freeze({ ...r }));
  }

  /**
   * A number that grows whenever the revocation list changes (a revocation added or a subject
   * reinstated, by this store or another process on the same file): compare it with an earlier
   * value to know, cheaply, whether a loaded Gallery must apply revocations (syncRevocations()).
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const seq = store.revocationSeq();
   */
  revocationSeq(): number {
    return this.backend.revocationSeq();
  }

  /**
   * Opens every record (of one purpose, if given) that is not revoked, e.g. to load a Gallery.
   * First the manifest is verified whole (INTEGRITY or ROLLBACK thrown before any template);
   * revoked records are refused (skipped); a record that fails to open, or whose version is not
   * the manifest's (ROLLBACK), throws, or is reported to `onFailure` and skipped.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * for (const { subjectId, template } of store.entries({ onFailure: (f) => log(f.subjectId, f.code) })) gallery.add(subjectId, template);
   */
  *entries(options?: EntriesOptions): IterableIterator<StoredTemplate> {
    const { purpose, onFailure } = aEntriesOptions(options);
    yield* this.#entries(purpose, onFailure, this.#liveRevocations(), _decodeSealed);
  }

  /**
   * As entries(), for the key-binding templates of a purpose (e.g. to identify with
   * identifyBound); a record holding a protected template is INCOMPATIBLE there.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const bound = [...store.boundEntries({ purpose: 'door-key' })].map((e) => e.template);
   */
  *boundEntries(options?: EntriesOptions): IterableIterator<StoredBoundTemplate> {
    const { purpose, onFailure } = aEntriesOptions(options);
    yield* this.#entries(purpose, onFailure, this.#liveRevocations(), _decodeSealedBound);
  }

  *#entries<T extends SealableTemplate>(purpose: string | undefined, onFailure: EntriesOptions['onFailure'], live: LiveRevocations, decode: _SealedDecoder<T>): Generator<{ subjectId: string; purpose: string; template: T }> {
    const saltIds = new _SaltIdMemo();
    try {
      for (const c of this.#candidates(purpose, live)) {
        const template = this.#settle(c, live, onFailure, decode, () => {
          if (!c.ok) throw c.error;
          return _openRecord(c.key, c.parsed, this.#context(c.subjectId, c.purpose), saltIds, decode);
        });
        if (template) yield { subjectId: c.subjectId, purpose: c.purpose, template };
      }
    } finally {
      saltIds.wipe();
    }
  }

  /**
   * The template a load delivers for a record it read, or undefined to skip it. Revocation wins:
   * a record revoked since it was read is skipped. A record that fails to open is read again,
   * since a re-wrap, a key rotation or a re-enrolment may have replaced it meanwhile (the load's
   * bytes are then stale, not damaged): it is skipped if gone, opened if replaced, and otherwise
   * thrown or reported to onFailure.
   */
  #settle<T extends SealableTemplate>(loaded: LoadedRecord, live: LiveRevocations, onFailure: EntriesOptions['onFailure'], decode: _SealedDecoder<T>, open: () => T): T | undefined {
    const { subjectId, purpose } = loaded;
    let template: T | undefined;
    try {
      template = open();
    } catch (e) {
      if (!isTemplockError(e)) throw e;
      try {
        if (e.code === 'INTEGRITY') throw e; // a record the manifest lists is missing: nothing to read again
        template = this.#reread(loaded, live, e, decode);
      } catch (failure) {
        reportFailure(failure, subjectId, purpose, onFailure);
        return undefined;
      }
      return template;
    }
    return live.covers(subjectId, loaded.saltId) ? undefined : template;
  }

  /** The current template of a record whose loaded bytes failed to open with `error` (see #settle). */
  #reread<T extends SealableTemplate>(loaded: LoadedRecord, live: LiveRevocations, error: TemplockError, decode: _SealedDecoder<T>): T | undefined {
    const [view, row] = this.#currentRow(loaded.subjectId, loaded.purpose);
    if (!row) return undefined;
    if (_equalBytes(row.record, loaded.record)) throw error;
    const parsed = _parseRecord(row.record);
    if (live.covers(row.subjectId, _recordSaltId(parsed))) return undefined;
    _expectVersion(parsed, view.versions.get(_entryKey(row.subjectId, row.purpose)) ?? -1);
    return this.#open(row, parsed, decode);
  }

  /** The verified manifest and the row of (subject, purpose), read from one consistent state. */
  #currentRow(subjectId: string, purpose: string): readonly [_ManifestView, _Row | undefined] {
    return this.backend.snapshot(() => [this.#manifest.current(), this.backend.fetch(subjectId, purpose)] as const);
  }

  /**
   * As entries() — the same templates in the same order, the same revocation refusals and the
   * same failure handling — but the records are opened on worker threads, which makes loading a
   * large gallery faster. After a complete pass the workers wipe the keys they received and stay
   * idle for the next load (without keeping the process alive) until close(); ending the
   * iteration early, or a failure, ends them.
   * @example
   * import { openSqliteStore } from 'templock/storage/sqlite';
   * for await (const { subjectId, template } of store.openEntries({ threads: 2 })) gallery.add(subjectId, template);
   */
  async *openEntries(options?: OpenEntriesOptions): AsyncIterableIterator<StoredTemplate> {
    const { purpose, onFailure } = aEntriesOptions(options);
    const threads = options?.threads ?? 2;
    if (typeof threads !== 'number') throw new TypeError(`"options.threads" expected number, got ${typeof threads}`);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > THREADS_MAX) throw new RangeError(`"options.threads" expected integer in [1, ${THREADS_MAX}]`);
    const live = this.#liveRevocations();
    const pool = threads > 1 ? this.#takePool(threads) : undefined;
    if (!pool) {
      yield* this.#entries(purpose, onFailure, live, _decodeSealed);
      return;
    }
    const inFlight: Array<Promise<Settled[]>> = [];
    const deliver = function* (this: _SealedTemplateStore, settled: readonly Settled[]): Generator<StoredTemplate> {
      for (const s of settled) {
        const { outcome } = s;
        const template = this.#settle(s, live, onFailure, _decodeSealed, () => {
          try {
            if (!(outcome instanceof Uint8Array)) throw outcome instanceof Error ? outcome : outcome.error;
            return _decodeSealed(outcome);
          } finally {
            if (outcome instanceof Uint8Array) outcome.fill(0);
          }
        });
        if (template) yield { subjectId: s.subjectId, purpose: s.purpose, template };
      }
    }.bind(this);
    const send = (batch: Candidate[]): void => {
      const settled = openBatch(pool, batch);
      settled.catch(() => undefined); // observed when its turn comes; no unhandled rejection meanwhile
      inFlight.push(settled);
    };
    let current: readonly Settled[] = [];
    let completed = false;
    try {
      let batch: Candidate[] = [];
      for (const c of this.#candidates(purpose, live)) {
        batch.push(c);
        if (batch.length < OPEN_BATCH) continue;
        send(batch);
        batch = [];
        if (inFlight.length >= threads * BATCHES_PER_THREAD) yield* deliver((current = await inFlight.shift()!));
      }
      if (batch.length > 0) send(batch);
      while (inFlight.length > 0) yield* deliver((current = await inFlight.shift()!));
      completed = true;
    } finally {
      if (completed && pool.usable && this.#idlePool === undefined) {
        pool.release();
        this.#idlePool = pool;
      } else {
        pool.close();
      }
      wipeSettled(current);
      for (const settled of inFlight) void settled.then(wipeSettled, () => undefined);
    }
  }

  #liveRevocations(): LiveRevocations {
    return new LiveRevocations(this.backend, () => this.#revocationChanges, this.#manifest);
  }

  /** The idle pool if it has `threads` workers, else a new one (undefined without worker threads). */
  #takePool(threads: number): _OpenPool | undefined {
    const idle = this.#idlePool;
    this.#idlePool = undefined;
    if (idle?.usable && idle.threads === threads) return idle;
    idle?.close();
    return _OpenPool.start(this.tenant, threads);
  }

  /**
   * Every record (of one purpose, if given) not revoked, parsed, checked against the verified
   * manifest, its key resolved; then a failure for each record the manifest lists as live that
   * is missing.
   */
  *#candidates(purpose: string | undefined, live: LiveRevocations): Generator<Candidate> {
    let view = live.view;
    let matched = 0;
    for (const [subjectId, rowPurpose, record] of this.backend.records(purpose)) {
      if (live.covers(subjectId, undefined)) continue;
      try {
        const parsed = _parseRecord(record);
        const saltId = _recordSaltId(parsed);
        if (live.covers(subjectId, saltId)) continue;
        const k = _entryKey(subjectId, rowPurpose);
        let expected = view.versions.get(k);
        // A version newer than the view's is a write made during this load: re-verify, compare again.
        if (expected !== parsed.version && this.#manifest.changedSince(view)) expected = (view = this.#manifest.verified()).versions.get(k);
        _expectVersion(parsed, expected ?? -1);
        matched++;
        yield { subjectId, purpose: rowPurpose, record, saltId, parsed, key: this.keyring._openKey(parsed.keyId), ok: true };
      } catch (e) {
        yield { subjectId, purpose: rowPurpose, record, ok: false, error: e };
      }
    }
    yield* this.#missing(view, purpose, matched);
  }

  /** A failure (INTEGRITY) for each live entry (of `purpose`) whose record is missing, when fewer than all were matched. */
  *#missing(view: _ManifestView, purpose: string | undefined, matched: number): Generator<Candidate> {
    let live = 0;
    if (purpose === undefined) for (const v of view.versions.values()) live += v >= 0 ? 1 : 0;
    else for (const [, p, , isLive] of this.backend.entryRows()) live += isLive && p === purpose ? 1 : 0;
    if (live === matched) return;
    for (const [subjectId, p] of this.#liveEntries(view, purpose)) {
      const [now, row] = this.#currentRow(subjectId, p);
      if (row !== undefined || (now.versions.get(_entryKey(subjectId, p)) ?? -1) < 0) continue; // present, or deleted since the view
      yield { subjectId, purpose: p, record: new Uint8Array(0), ok: false, error: new TemplockError('INTEGRITY', 'store: the manifest lists a record that is missing') };
    }
  }

  /** (subject, purpose) of the live entries of a view (of one purpose, if given). */
  *#liveEntries(view: _ManifestView, purpose: string | undefined): Generator<readonly [string, string]> {
    for (const [s, p, version, live] of this.backend.entryRows()) {
      if (live && (purpose === undefined || p === purpose) && view.versions.get(_entryKey(s, p)) === version) yield [s, p];
    }
  }

  /**
   * Checks the storage engine and the whole manifest, and opens every record; reports failures
   * by code, never by content: a record whose version is not the manifest's as ROLLBACK, a
   * revoked record still stored as REVOKED, a live manifest entry without its record as INTEGRITY.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const report = store.verify(); if (!report.ok) console.error(report.manifest, report.failures);
   */
  verify(): IntegrityReport {
    const storage: string[] = [];
    const failures: RecordFailure[] = [];
    let records = 0, matched = 0;
    // A damaged file makes the engine itself fail: that is a finding to report, not to throw.
    const engine = (e: unknown): void => {
      if (!isTemplockError(e, 'INTEGRITY') && !isTemplockError(e, 'STORAGE_FAILED')) throw e;
      storage.push(e.message);
    };
    try {
      storage.push(...this.backend.checkStorage());
    } catch (e) {
      engine(e);
    }
    let manifest: IntegrityReport['manifest'] = 'ok';
    let view: _ManifestView | undefined;
    try {
      view = this.#manifest.verified();
    } catch (e) {
      manifest = failureCode(e);
    }
    try {
      for (const row of this.backend.rows()) {
        records++;
        try {
          const parsed = _parseRecord(row.record);
          if (parsed.keyId !== row.keyId || _recordSaltId(parsed) !== row.saltId) throw new TemplockError('INTEGRITY', 'store: row metadata does not match its record');
          if (view) {
            if (view.subjects.has(row.subjectId) || view.salts.has(row.saltId)) throw new TemplockError('REVOKED', 'store: a revoked record is still stored');
            _expectVersion(parsed, view.versions.get(_entryKey(row.subjectId, row.purpose)) ?? -1);
            matched++;
          }
          this.#open(row, parsed, _decodeSealedAny);
        } catch (e) {
          failures.push({ subjectId: row.subjectId, purpose: row.purpose, code: failureCode(e) });
        }
      }
    } catch (e) {
      engine(e);
    }
    if (view) for (const c of this.#missing(view, undefined, matched)) failures.push({ subjectId: c.subjectId, purpose: c.purpose, code: 'INTEGRITY' });
    return { ok: storage.length === 0 && manifest === 'ok' && failures.length === 0, manifest, records, failures, storage };
  }

  /**
   * Re-seals every record not under the keyring's primary key, and every record of format v1, as
   * a v2 record under the primary key with the next record version, batch by batch, each record
   * and its manifest entry replaced atomically: at every moment each record is readable under its
   * old or its new key (keep both in the keyring until this returns). Then re-keys the manifest
   * to the primary key. No new capture is needed. A record whose version is not the manifest's
   * is not re-sealed (a ROLLBACK failure).
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * ring.rotate(); store.rewrap();
   */
  rewrap(options?: { readonly batchSize?: number }): RewrapReport {
    const batchSize = options?.batchSize ?? 256;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
      throw new RangeError('"options.batchSize" expected integer in [1, 100000]');
    const keyId = this.keyring.primaryId;
    const total = this.backend.count();
    const pending = this.backend.toRewrap(keyId);
    const failures: RecordFailure[] = [];
    let rewrapped = 0;
    for (let i = 0; i < pending.length; i += batchSize) {
      this.#manifest.write((w) => {
        for (const [subjectId, purpose] of pending.slice(i, i + batchSize)) {
          const row = this.backend.fetch(subjectId, purpose);
          if (!row) continue;
          try {
            if (this.#rewrapOne(w, row, keyId)) rewrapped++;
          } catch (e) {
            failures.push({ subjectId, purpose, code: failureCode(e) });
          }
        }
      });
    }
    this.#manifest.rekey();
    return { keyId, rewrapped, alreadyCurrent: total - pending.length, failures };
  }

  /** Re-seals one row under the primary key `keyId` with the next version; false when it no longer needs it or changed meanwhile. */
  #rewrapOne(w: _ManifestWriter, row: _Row, keyId: string): boolean {
    const parsed = _parseRecord(row.record);
    if (row.keyId === keyId && parsed.version > 0) return false;
    const entry = w.entry(row.subjectId, row.purpose);
    _expectVersion(parsed, entry?.live ? entry.version : -1);
    const version = w.nextVersion(row.subjectId, row.purpose);
    const next = this.#seal(row.subjectId, this.#open(row, parsed, _decodeSealedAny), row.purpose, row.updatedAt, version);
    if (!this.backend.swap(row, next)) return false;
    w.setRecord(row.subjectId, row.purpose, { version, live: true });
    return true;
  }

  /**
   * Brings a store written before record format v2 to it, once, after upgrading: builds the
   * manifest from the store's current contents (trusting them: run it on a file known to be
   * intact; v1 records enter as version 0), then rewrap() re-seals every v1 record as v2. Until
   * then loads of such a store fail with INTEGRITY. On a store that has a manifest it is rewrap().
   * @example
   * import { openSqliteStore } from 'templock/storage/sqlite';
   * const report = openSqliteStore('templates.db', { keyring, tenant: 'acme-gate-1' }).migrate();
   */
  migrate(): RewrapReport {
    if (!this.#manifest.present) {
      const versions: Array<readonly [string, string, number]> = [];
      for (const row of this.backend.rows()) {
        try {
          versions.push([row.subjectId, row.purpose, _parseRecord(row.record).version]);
        } catch {
          // a record that does not parse gets no entry; loads report it as they did before
        }
      }
      this.#manifest.adopt(versions);
    }
    return this.rewrap();
  }

  /** Releases the backend and ends the workers of openEntries(). */
  close(): void {
    this.#idlePool?.close();
    this.#idlePool = undefined;
    this.backend.close();
  }
}
