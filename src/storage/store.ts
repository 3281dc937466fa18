// The TemplateStore interface and the one implementation of its semantics over a raw row
// backend (README "Storage"): sealing on put, opening on get, the revocation list, iteration
// for loading a gallery (in this thread, or on worker threads through open-pool.ts), integrity
// verification and re-wrap to the primary key.
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { isTemplockError, TemplockError, type ErrorCode } from '../errors.js';
import type { ProtectedTemplate } from '../template.js';
import { aBytes } from '../validate.js';
import type { _AccessLedger } from './access-ledger.js';
import { AEADS } from './aead.js';
import { aUtf8 } from './bytes.js';
import { _equalBytes } from '../bytes.js';
import { _contextEncoder, DEFAULT_PURPOSE } from './context.js';
import { Keyring } from './keyring.js';
import type { _SealKey } from './key-material.js';
import { _OpenPool, type _OpenOutcome } from './open-pool.js';
import { _saltIdBytes } from '../salt-id.js';
import { _decodeSealed, _openRecord, _parseRecord, _recordSaltId, _SaltIdMemo, _sealRecord, type _ParsedRecord } from './record.js';

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
  readonly template: ProtectedTemplate;
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
}

/**
 * Protected templates at rest, each inside a sealed record bound to (tenant, subject, purpose).
 * Implementations: MemoryTemplateStore ('templock/storage') and SqliteTemplateStore
 * ('templock/storage/sqlite').
 */
export interface TemplateStore {
  readonly tenant: string;
  readonly keyring: Keyring;
  put(subjectId: string, template: ProtectedTemplate, purpose?: string): void;
  putMany(items: readonly PutItem[]): void;
  get(subjectId: string, purpose?: string): ProtectedTemplate;
  delete(subjectId: string, purpose?: string): boolean;
  list(): RecordInfo[];
  count(): number;
  revokeSubject(subjectId: string): number;
  reinstateSubject(subjectId: string): boolean;
  revokeSalt(saltOrId: Uint8Array | string): number;
  revocations(): Revocation[];
  revocationSeq(): number;
  entries(options?: EntriesOptions): IterableIterator<StoredTemplate>;
  openEntries(options?: OpenEntriesOptions): AsyncIterableIterator<StoredTemplate>;
  verify(): IntegrityReport;
  rewrap(options?: { readonly batchSize?: number }): RewrapReport;
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

/** Raw persistence under the store semantics. Every method is atomic on its own. */
export interface _Backend {
  /** Inserts or replaces rows in one transaction; returns false (writing nothing) if any row is revoked. */
  upsert(rows: readonly _Row[]): boolean;
  fetch(subjectId: string, purpose: string): _Row | undefined;
  remove(subjectId: string, purpose: string): boolean;
  /** Every row, in insertion order, safe to interleave with writes. */
  rows(): Iterable<_Row>;
  /** (subject, purpose, record) of every row (of one purpose, if given), as rows() but lighter. */
  records(purpose?: string): Iterable<readonly [string, string, Uint8Array]>;
  /** (subject, purpose) of every row not sealed under keyId. */
  keysNotUnder(keyId: string): Array<readonly [string, string]>;
  /** Replaces a row only if it still holds `expected`. */
  swap(expected: _Row, next: _Row): boolean;
  transaction<T>(fn: () => T): T;
  /** Adds a revocation and deletes the rows it covers; returns how many. */
  revoke(kind: Revocation['kind'], value: string, at: number): number;
  reinstate(subjectId: string): boolean;
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
  #local = -1;
  #seq = Number.NaN;
  #sinceCheck = 0;
  #subjects = new Set<string>();
  #salts = new Set<string>();

  constructor(backend: _Backend, localChanges: () => number) {
    this.#backend = backend;
    this.#localChanges = localChanges;
  }

  /** True when the subject or the salt id is revoked now. */
  covers(subjectId: string, saltId: string | undefined): boolean {
    if (this.#local !== this.#localChanges() || ++this.#sinceCheck >= REVOCATION_RECHECK) {
      this.#local = this.#localChanges();
      this.#sinceCheck = 0;
      const seq = this.#backend.revocationSeq();
      if (seq !== this.#seq) {
        const revoked = this.#backend.revocations();
        this.#subjects = new Set(revoked.filter((r) => r.kind === 'subject').map((r) => r.value));
        this.#salts = new Set(revoked.filter((r) => r.kind === 'salt').map((r) => r.value));
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
  return o as StoreOptions;
}

/** The semantics of every TemplateStore, over a backend whose options were checked by _aStoreOptions. */
export abstract class _SealedTemplateStore implements TemplateStore {
  readonly tenant: string;
  readonly keyring: Keyring;
  protected readonly backend: _Backend;
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
  }

  #seal(subjectId: string, template: ProtectedTemplate, purpose: string, at: number): _Row {
    const context = this.#context(subjectId, purpose);
    const key = this.keyring._sealKey();
    const record = _sealRecord(key, template, context, randomBytes(AEADS[key.algorithm].nonceBytes));
    return { subjectId, purpose, keyId: bytesToHex(key.keyId), saltId: bytesToHex(_saltIdBytes(template.salt)), record, updatedAt: at };
  }

  #open(row: _Row, parsed = _parseRecord(row.record)): ProtectedTemplate {
    return _openRecord(this.keyring._openKey(parsed.keyId), parsed, this.#context(row.subjectId, row.purpose));
  }

  /**
   * Seals and stores a template (replacing the subject's record of that purpose).
   * @throws TemplockError REVOKED when the subject or the template's salt is revoked.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * store.put('resident-42', template);
   */
  put(subjectId: string, template: ProtectedTemplate, purpose: string = DEFAULT_PURPOSE): void {
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
    const rows = items.map((it: PutItem, i) => {
      if (typeof it !== 'object' || it === null) throw new TypeError(`"items[${i}]" expected object`);
      return this.#seal(it.subjectId, it.template, it.purpose ?? DEFAULT_PURPOSE, at);
    });
    if (!this.backend.upsert(rows)) throw new TemplockError('REVOKED', 'store: the subject or the template salt is revoked');
  }

  /**
   * Opens the subject's record of `purpose`.
   * @throws TemplockError REVOKED (the subject is revoked, or the record's salt is), NOT_FOUND (no
   *   record: never stored, deleted, or removed with a revoked salt), DECRYPT_FAILED, UNKNOWN_KEY_ID,
   *   KEY_DISABLED, MALFORMED.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const template = store.get('resident-42');
   */
  get(subjectId: string, purpose: string = DEFAULT_PURPOSE): ProtectedTemplate {
    aUtf8('subjectId', subjectId);
    aUtf8('purpose', purpose);
    const row = this.backend.fetch(subjectId, purpose);
    if (!row) {
      if (this.backend.isRevoked(subjectId, '')) throw new TemplockError('REVOKED', 'store: the subject is revoked');
      throw new TemplockError('NOT_FOUND', 'store: no record for this subject and purpose');
    }
    const parsed = _parseRecord(row.record);
    if (this.backend.isRevoked(subjectId, _recordSaltId(parsed))) throw new TemplockError('REVOKED', 'store: the subject or the template salt is revoked');
    return this.#open(row, parsed);
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
    return this.backend.remove(subjectId, purpose);
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
    this.#revocationChanges++;
    return this.backend.revoke('subject', subjectId, Date.now());
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
    return this.backend.reinstate(subjectId);
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
    this.#revocationChanges++;
    return this.backend.revoke('salt', id, Date.now());
  }

  /**
   * The revocation list.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * for (const r of store.revocations()) console.log(r.kind, r.value);
   */
  revocations(): Revocation[] {
    return this.backend.revocations();
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
   * Revoked records are refused (skipped); a record that fails to open throws, or is reported to
   * `onFailure` and skipped.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * for (const { subjectId, template } of store.entries({ onFailure: (f) => log(f.subjectId, f.code) })) gallery.add(subjectId, template);
   */
  *entries(options?: EntriesOptions): IterableIterator<StoredTemplate> {
    const { purpose, onFailure } = aEntriesOptions(options);
    const saltIds = new _SaltIdMemo();
    const live = this.#liveRevocations();
    try {
      for (const c of this.#candidates(purpose, live)) {
        const template = this.#settle(c, live, onFailure, () => {
          if (!c.ok) throw c.error;
          return _openRecord(c.key, c.parsed, this.#context(c.subjectId, c.purpose), saltIds);
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
  #settle(loaded: LoadedRecord, live: LiveRevocations, onFailure: EntriesOptions['onFailure'], open: () => ProtectedTemplate): ProtectedTemplate | undefined {
    const { subjectId, purpose } = loaded;
    let template: ProtectedTemplate | undefined;
    try {
      template = open();
    } catch (e) {
      if (!isTemplockError(e)) throw e;
      try {
        template = this.#reread(loaded, live, e);
      } catch (failure) {
        reportFailure(failure, subjectId, purpose, onFailure);
        return undefined;
      }
      return template;
    }
    return live.covers(subjectId, loaded.saltId) ? undefined : template;
  }

  /** The current template of a record whose loaded bytes failed to open with `error` (see #settle). */
  #reread(loaded: LoadedRecord, live: LiveRevocations, error: TemplockError): ProtectedTemplate | undefined {
    const row = this.backend.fetch(loaded.subjectId, loaded.purpose);
    if (!row) return undefined;
    if (_equalBytes(row.record, loaded.record)) throw error;
    const parsed = _parseRecord(row.record);
    return live.covers(row.subjectId, _recordSaltId(parsed)) ? undefined : this.#open(row, parsed);
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
    const pool = threads > 1 ? this.#takePool(threads) : undefined;
    if (!pool) {
      yield* this.entries({ purpose, onFailure });
      return;
    }
    const live = this.#liveRevocations();
    const inFlight: Array<Promise<Settled[]>> = [];
    const deliver = function* (this: _SealedTemplateStore, settled: readonly Settled[]): Generator<StoredTemplate> {
      for (const s of settled) {
        const { outcome } = s;
        const template = this.#settle(s, live, onFailure, () => {
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
    return new LiveRevocations(this.backend, () => this.#revocationChanges);
  }

  /** The idle pool if it has `threads` workers, else a new one (undefined without worker threads). */
  #takePool(threads: number): _OpenPool | undefined {
    const idle = this.#idlePool;
    this.#idlePool = undefined;
    if (idle?.usable && idle.threads === threads) return idle;
    idle?.close();
    return _OpenPool.start(this.tenant, threads);
  }

  /** Every record (of one purpose, if given) not on the revocation list, parsed, its key resolved. */
  *#candidates(purpose: string | undefined, live: LiveRevocations): Generator<Candidate> {
    for (const [subjectId, rowPurpose, record] of this.backend.records(purpose)) {
      if (live.covers(subjectId, undefined)) continue;
      try {
        const parsed = _parseRecord(record);
        const saltId = _recordSaltId(parsed);
        if (live.covers(subjectId, saltId)) continue;
        yield { subjectId, purpose: rowPurpose, record, saltId, parsed, key: this.keyring._openKey(parsed.keyId), ok: true };
      } catch (e) {
        yield { subjectId, purpose: rowPurpose, record, ok: false, error: e };
      }
    }
  }

  /**
   * Checks the storage engine and opens every record; reports failures by code, never by content.
   * @example
   * import { MemoryTemplateStore } from 'templock/storage';
   * const report = store.verify(); if (!report.ok) console.error(report.failures);
   */
  verify(): IntegrityReport {
    const storage: string[] = [];
    const failures: RecordFailure[] = [];
    let records = 0;
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
    try {
      for (const row of this.backend.rows()) {
        records++;
        try {
          const parsed = _parseRecord(row.record);
          if (parsed.keyId !== row.keyId || _recordSaltId(parsed) !== row.saltId) throw new TemplockError('INTEGRITY', 'store: row metadata does not match its record');
          this.#open(row, parsed);
        } catch (e) {
          failures.push({ subjectId: row.subjectId, purpose: row.purpose, code: failureCode(e) });
        }
      }
    } catch (e) {
      engine(e);
    }
    return { ok: storage.length === 0 && failures.length === 0, records, failures, storage };
  }

  /**
   * Re-seals every record under the keyring's primary key, batch by batch, each record replaced
   * atomically: at every moment each record is readable under its old or its new key (keep both
   * in the keyring until this returns). No new capture is needed.
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
    const pending = this.backend.keysNotUnder(keyId);
    const failures: RecordFailure[] = [];
    let rewrapped = 0;
    for (let i = 0; i < pending.length; i += batchSize) {
      this.backend.transaction(() => {
        for (const [subjectId, purpose] of pending.slice(i, i + batchSize)) {
          const row = this.backend.fetch(subjectId, purpose);
          if (!row || row.keyId === keyId) continue;
          try {
            const next = this.#seal(subjectId, this.#open(row), purpose, row.updatedAt);
            if (this.backend.swap(row, next)) rewrapped++;
          } catch (e) {
            failures.push({ subjectId, purpose, code: failureCode(e) });
          }
        }
      });
    }
    return { keyId, rewrapped, alreadyCurrent: total - pending.length, failures };
  }

  /** Releases the backend and ends the workers of openEntries(). */
  close(): void {
    this.#idlePool?.close();
    this.#idlePool = undefined;
    this.backend.close();
  }
}
