// The SQLite TemplateStore (README "Storage"): a real file through better-sqlite3 (driver.ts), WAL
// journal, IMMEDIATE transactions with a busy timeout (several processes may write), secure
// delete, schema migrations and PRAGMA integrity_check. Rows hold only sealed records and public
// ids: no template, salt or key byte is stored in clear. The manifest (SPEC.md §7.6) lives in
// two tables beside them and is written in the same transactions.
import { closeSync, constants, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { TemplockError } from '../../errors.js';
import type { _EntryState, _ManifestHead } from '../manifest.js';
import { _aStoreOptions, _SealedTemplateStore, type _Backend, type _Row, type Revocation, type StoreOptions } from '../store.js';
import { aString } from '../../validate.js';
import { _migrate } from './migrations.js';
import { _driver } from './driver.js';
import { _SqliteLedger } from './sqlite-ledger.js';

/** Options of openSqliteStore(). */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * 'full' (default) syncs the WAL on every commit: a committed write survives power loss.
   * 'normal' syncs at checkpoints only: still safe against a killed process, faster.
   */
  readonly durability?: 'full' | 'normal';
  /** How long a writer waits for another process's transaction, in milliseconds (default 10000). */
  readonly busyTimeoutMs?: number;
}

const PAGE_ROWS = 1000;

/** Result codes of SQLite that mean the file itself is damaged. */
const DAMAGED = /^SQLITE_(CORRUPT|NOTADB|IOERR_SHORT_READ)/;

/**
 * A driver error as a TemplockError: INTEGRITY when the file is damaged, STORAGE_FAILED for every
 * other engine failure (busy, full, read-only, I/O); the message names only the result code.
 * Anything that is not a driver error passes unchanged.
 */
function driverError(e: unknown): unknown {
  if (!(e instanceof _driver().SqliteError)) return e;
  return DAMAGED.test(e.code)
    ? new TemplockError('INTEGRITY', `store: the database file is damaged (${e.code})`)
    : new TemplockError('STORAGE_FAILED', `store: the storage engine failed (${e.code})`);
}

/**
 * Creates a missing database file readable and writable by its owner only (0600): subject ids and
 * the revocation list are nobody else's business. SQLite gives its -wal and -shm files the
 * database file's permissions. An existing file keeps the mode its owner gave it.
 */
function createPrivately(path: string): void {
  if (path === ':memory:' || path === '') return;
  try {
    closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new TemplockError('STORAGE_FAILED', `store: cannot create the database file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Runs a driver call, mapping its errors with driverError(). */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw driverError(e);
  }
}

interface DbRow {
  rowid: number;
  subject: string;
  purpose: string;
  key_id: string;
  salt_id: string;
  record: Uint8Array;
  updated_at: number;
}

/**
 * A blob as a plain Uint8Array view of the same memory: better-sqlite3 returns Node Buffers, whose
 * subarray() (used on every field of a record) is slower than a Uint8Array's.
 */
function plain(blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.length);
}

function toRow(r: DbRow): _Row {
  return { subjectId: r.subject, purpose: r.purpose, keyId: r.key_id, saltId: r.salt_id, record: plain(r.record), updatedAt: r.updated_at };
}

class SqliteBackend implements _Backend {
  readonly #db: Database.Database;
  readonly #q;

  constructor(db: Database.Database) {
    this.#db = db;
    const cols = 'rowid, subject, purpose, key_id, salt_id, record, updated_at';
    this.#q = {
      revokedPair: db.prepare(`SELECT 1 FROM revoked WHERE (kind = 'subject' AND value = ?) OR (kind = 'salt' AND value = ?) LIMIT 1`).pluck(),
      upsert: db.prepare(`INSERT INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (subject, purpose) DO UPDATE SET key_id = excluded.key_id, salt_id = excluded.salt_id,
        record = excluded.record, updated_at = excluded.updated_at`),
      fetch: db.prepare(`SELECT ${cols} FROM records WHERE subject = ? AND purpose = ?`),
      remove: db.prepare(`DELETE FROM records WHERE subject = ? AND purpose = ?`),
      page: db.prepare(`SELECT ${cols} FROM records WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`),
      light: db.prepare(`SELECT rowid, subject, purpose, record FROM records WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`).raw(),
      lightOf: db.prepare(`SELECT rowid, subject, purpose, record FROM records WHERE rowid > ? AND purpose = ? ORDER BY rowid LIMIT ${PAGE_ROWS}`).raw(),
      toRewrap: db.prepare(`SELECT subject, purpose FROM records WHERE key_id <> ? OR substr(record, 5, 1) = x'01' ORDER BY rowid`).raw(),
      swap: db.prepare(`UPDATE records SET key_id = ?, salt_id = ?, record = ?, updated_at = ? WHERE subject = ? AND purpose = ? AND record = ?`),
      addRevocation: db.prepare(`INSERT OR IGNORE INTO revoked (kind, value, revoked_at) VALUES (?, ?, ?)`),
      removeSubject: db.prepare(`DELETE FROM records WHERE subject = ? RETURNING subject, purpose`).raw(),
      removeSalt: db.prepare(`DELETE FROM records WHERE salt_id = ? RETURNING subject, purpose`).raw(),
      reinstate: db.prepare(`DELETE FROM revoked WHERE kind = 'subject' AND value = ? RETURNING revoked_at`).pluck(),
      head: db.prepare(`SELECT key_id AS keyId, generation, count, digest, mac FROM manifest_head WHERE id = 1`),
      setHead: db.prepare(`INSERT INTO manifest_head (id, key_id, generation, count, digest, mac) VALUES (1, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, generation = excluded.generation, count = excluded.count,
        digest = excluded.digest, mac = excluded.mac`),
      entry: db.prepare(`SELECT version, live FROM manifest WHERE subject = ? AND purpose = ?`).raw(),
      setEntry: db.prepare(`INSERT INTO manifest (subject, purpose, version, live) VALUES (?, ?, ?, ?)
        ON CONFLICT (subject, purpose) DO UPDATE SET version = excluded.version, live = excluded.live`),
      entries: db.prepare(`SELECT subject, purpose, version, live FROM manifest`).raw(),
      anyContent: db.prepare(`SELECT EXISTS (SELECT 1 FROM records) OR EXISTS (SELECT 1 FROM revoked) OR EXISTS (SELECT 1 FROM manifest)`).pluck(),
      revocations: db.prepare(`SELECT kind, value, revoked_at AS revokedAt FROM revoked ORDER BY rowid`),
      count: db.prepare(`SELECT count(*) FROM records`).pluck(),
      revocationSeq: db.prepare(`SELECT value FROM meta WHERE name = 'revocation_seq'`).pluck(),
      bumpRevocationSeq: db.prepare(`INSERT INTO meta (name, value) VALUES ('revocation_seq', '1')
        ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`),
      mark: db.prepare(`SELECT value FROM meta WHERE name = ?`).pluck(),
      setMark: db.prepare(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
    };
  }

  upsert(rows: readonly _Row[]): boolean {
    return this.transaction(() => {
      if (rows.some((r) => this.isRevoked(r.subjectId, r.saltId))) return false;
      for (const r of rows) this.#q.upsert.run(r.subjectId, r.purpose, r.keyId, r.saltId, r.record, r.updatedAt);
      return true;
    });
  }

  fetch(subjectId: string, purpose: string): _Row | undefined {
    const r = guard(() => this.#q.fetch.get(subjectId, purpose) as DbRow | undefined);
    return r && toRow(r);
  }

  remove(subjectId: string, purpose: string): boolean {
    return guard(() => this.#q.remove.run(subjectId, purpose).changes > 0);
  }

  *rows(): Iterable<_Row> {
    let after = 0;
    for (;;) {
      const page = guard(() => this.#q.page.all(after) as DbRow[]);
      for (const r of page) yield toRow(r);
      if (page.length < PAGE_ROWS) return;
      after = page[page.length - 1]!.rowid;
    }
  }

  *records(purpose?: string): Iterable<readonly [string, string, Uint8Array]> {
    let after = 0;
    for (;;) {
      const page = guard(() => (purpose === undefined ? this.#q.light.all(after) : this.#q.lightOf.all(after, purpose)) as Array<[number, string, string, Uint8Array]>);
      for (const r of page) yield [r[1], r[2], plain(r[3])] as const;
      if (page.length < PAGE_ROWS) return;
      after = page[page.length - 1]![0];
    }
  }

  toRewrap(keyId: string): Array<readonly [string, string]> {
    return guard(() => this.#q.toRewrap.all(keyId) as Array<[string, string]>);
  }

  swap(expected: _Row, next: _Row): boolean {
    return guard(() => this.#q.swap.run(next.keyId, next.saltId, next.record, next.updatedAt, expected.subjectId, expected.purpose, expected.record).changes === 1);
  }

  transaction<T>(fn: () => T): T {
    return guard(() => this.#db.transaction(fn).immediate());
  }

  snapshot<T>(fn: () => T): T {
    return guard(() => this.#db.transaction(fn).deferred());
  }

  revoke(kind: Revocation['kind'], value: string, at: number): { added: boolean; removed: Array<readonly [string, string]> } {
    return this.transaction(() => {
      const added = this.#q.addRevocation.run(kind, value, at).changes > 0;
      if (added) this.#q.bumpRevocationSeq.run();
      const removed = (kind === 'subject' ? this.#q.removeSubject : this.#q.removeSalt).all(value) as Array<[string, string]>;
      return { added, removed };
    });
  }

  reinstate(subjectId: string): number | undefined {
    return this.transaction(() => {
      const revokedAt = this.#q.reinstate.get(subjectId) as number | undefined;
      if (revokedAt !== undefined) this.#q.bumpRevocationSeq.run();
      return revokedAt;
    });
  }

  head(): _ManifestHead | undefined {
    const h = guard(() => this.#q.head.get()) as (Omit<_ManifestHead, 'digest' | 'mac'> & { digest: Uint8Array; mac: Uint8Array }) | undefined;
    return h && { keyId: h.keyId, generation: h.generation, count: h.count, digest: plain(h.digest), mac: plain(h.mac) };
  }

  setHead(h: _ManifestHead): void {
    guard(() => this.#q.setHead.run(h.keyId, h.generation, h.count, h.digest, h.mac));
  }

  entry(subjectId: string, purpose: string): _EntryState | undefined {
    const e = guard(() => this.#q.entry.get(subjectId, purpose)) as [number, number] | undefined;
    return e && { version: e[0], live: e[1] === 1 };
  }

  setEntry(subjectId: string, purpose: string, state: _EntryState): void {
    guard(() => this.#q.setEntry.run(subjectId, purpose, state.version, state.live ? 1 : 0));
  }

  *entryRows(): Iterable<readonly [string, string, number, boolean]> {
    for (const [s, p, v, live] of guard(() => this.#q.entries.all()) as Array<[string, string, number, number]>) yield [s, p, v, live === 1];
  }

  isEmpty(): boolean {
    return guard(() => this.#q.anyContent.get()) === 0;
  }

  isRevoked(subjectId: string, saltId: string): boolean {
    return guard(() => this.#q.revokedPair.get(subjectId, saltId) !== undefined);
  }

  revocations(): Revocation[] {
    return guard(() => this.#q.revocations.all() as Revocation[]).map((r) => Object.freeze({ ...r }));
  }

  revocationSeq(): number {
    return Number(guard(() => this.#q.revocationSeq.get()) ?? 0);
  }

  count(): number {
    return guard(() => this.#q.count.get() as number);
  }

  mark(name: string): number | undefined {
    const v = guard(() => this.#q.mark.get(`mark:${name}`)) as string | undefined;
    return v === undefined ? undefined : Number(v);
  }

  setMark(name: string, value: number): void {
    guard(() => this.#q.setMark.run(`mark:${name}`, String(value)));
  }

  checkStorage(): string[] {
    const rows = guard(() => this.#db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>);
    return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  }

  close(): void {
    this.#db.close();
  }
}

/**
 * A TemplateStore in one SQLite file. Open it with openSqliteStore().
 * @example
 * import { openSqliteStore } from 'templock/storage/sqlite';
 * const store = openSqliteStore('/var/lib/gate/templates.db', { keyring, tenant: 'acme-gate-1' });
 */
export class SqliteTemplateStore extends _SealedTemplateStore {
  /** The database file. */
  readonly path: string;
  readonly #sqlite: SqliteBackend;
  readonly #counted: boolean;

  /** Use openSqliteStore(). */
  constructor(path: string, options: SqliteStoreOptions) {
    aString('path', path, 4096);
    _aStoreOptions(options);
    const durability = options.durability ?? 'full';
    if (durability !== 'full' && durability !== 'normal') throw new RangeError('"options.durability" expected one of full, normal');
    const busy = options.busyTimeoutMs ?? 10_000;
    if (!Number.isSafeInteger(busy) || busy < 0 || busy > 600_000) throw new RangeError('"options.busyTimeoutMs" expected integer in [0, 600000]');
    createPrivately(path);
    const Driver = _driver();
    const db = guard(() => new Driver(path, { timeout: busy }));
    let backend: SqliteBackend;
    let ledger: _SqliteLedger;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('secure_delete = ON');
      _migrate(db, options.tenant);
      backend = new SqliteBackend(db);
      ledger = new _SqliteLedger(db);
    } catch (e) {
      db.close();
      throw driverError(e);
    }
    super(options, backend, ledger);
    this.path = path;
    this.#sqlite = backend;
    this.#counted = options.counter !== undefined;
  }

  /**
   * Runs `fn`, which calls this store's methods, as one transaction: every write it makes commits
   * together, or (when it throws, or the process dies) none does. A write that throws inside
   * `fn` and is caught there is undone alone. Not offered on a store with a monotonic counter,
   * which advances as each write commits.
   * @throws TemplockError INCOMPATIBLE on a store opened with `counter`.
   * @example
   * import { openSqliteStore } from 'templock/storage/sqlite';
   * store.transaction(() => { store.revokeSubject('resident-7'); store.put('resident-8', template); });
   */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError(`"fn" expected function, got ${typeof fn}`);
    if (this.#counted) throw new TemplockError('INCOMPATIBLE', 'store: transaction() is not offered on a store with a monotonic counter');
    return this.backend.transaction(fn);
  }

  /**
   * A named integer kept in the store file beside the records (undefined until set); written
   * inside transaction() it commits with the writes it describes. Used by the replica for the
   * last change applied.
   */
  _mark(name: string): number | undefined {
    return this.#sqlite.mark(name);
  }

  /** Sets a named integer of _mark(). */
  _setMark(name: string, value: number): void {
    this.#sqlite.setMark(name, value);
  }
}

/**
 * Opens (creating or migrating as needed) the SQLite template store at `path`.
 * @throws TemplockError UNSUPPORTED_VERSION (file from a newer schema), INCOMPATIBLE (another
 *   tenant's file), INTEGRITY (not a database, or damaged).
 * @example
 * import { Keyring } from 'templock/storage';
 * import { openSqliteStore } from 'templock/storage/sqlite';
 * const store = openSqliteStore('templates.db', { keyring: Keyring.generate(), tenant: 'acme-gate-1' });
 * for (const { subjectId, template } of store.entries()) gallery.add(subjectId, template);
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions): SqliteTemplateStore {
  return new SqliteTemplateStore(path, options);
}
