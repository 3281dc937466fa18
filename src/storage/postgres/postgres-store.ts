// The central store on PostgreSQL: records sealed by the desk (the server never sees a template
// in clear), the revocation list, and the change feed terminals follow (change-feed.ts). Every
// write appends its changes in the same transaction, numbered from the tenant's head row, whose
// lock is held to commit: sequence order is commit order, so a reader never skips a change that
// commits late. The tenant is the login role (`current_user`); row-level security confines it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { _equalBytes } from '../../bytes.js';
import { isTemplockError, TemplockError } from '../../errors.js';
import type { ProtectedTemplate } from '../../template.js';
import { aUtf8 } from '../bytes.js';
import type { Change, ChangeFeed, ChangeKind } from '../change-feed.js';
import { _authenticateChange, _checkChange } from '../change-mac.js';
import { DEFAULT_PURPOSE } from '../context.js';
import { Keyring } from '../keyring.js';
import { openTemplate, readRecordHeader, saltId as saltIdOf, sealTemplate } from '../seal.js';
import { _OpenPool } from '../open-pool.js';
import { _decodeSealed, _parseRecord, _recordSaltId } from '../record.js';
import type { PutItem, RecordFailure, RecordInfo, Revocation, RewrapReport, StoredTemplate } from '../store.js';
import { _copyRows, type _CopyRow } from './copy-binary.js';
import { _requirePeer } from '../../peers.js';
import { _connect, _guard, _pool, type _Client, type _Pool, type _PoolClient } from './driver.js';
import { aTenant, POSTGRES_SCHEMA_VERSION } from './schema.js';

/** Options of openPostgresStore(). */
export interface PostgresStoreOptions {
  /** Opens and seals the records: the storage keyring (the server never holds it). */
  readonly keyring: Keyring;
  /** Connections kept open (default 4). */
  readonly connections?: number;
}

/** Records opened per batch (and per message to a worker) by openEntries(). */
const OPEN_BATCH = 512;
/** Batches in flight per worker thread. */
const BATCHES_PER_THREAD = 2;

/** What PostgresTemplateStore.verify() found: records that do not open, and changes of the feed that fail their checks. */
export interface CentralIntegrityReport {
  readonly ok: boolean;
  readonly records: number;
  readonly failures: readonly RecordFailure[];
  readonly changes: number;
  /** Changes whose MAC fails or whose sequence number breaks the run 1, 2, 3, … (by sequence and code). */
  readonly changeFailures: ReadonlyArray<{ readonly seq: number; readonly code: string }>;
}

/** Options of PostgresTemplateStore.openEntries(). */
export interface PostgresEntriesOptions {
  /** Only records of this purpose (default: every purpose). */
  readonly purpose?: string;
  /** Worker threads opening records, 1..64 (default 2; 1: this thread). */
  readonly threads?: number;
}

/** Most changes changesSince() returns at once. */
export const FEED_PAGE_MAX = 10_000;

const SALT_ID_HEX = /^[0-9a-f]{32}$/;

type Pending = Omit<Change, 'seq'>;

const quieted = new WeakSet<object>();

/** A row of templock_changes as the driver returns it. */
interface ChangeRow {
  readonly seq: string; readonly kind: ChangeKind; readonly subject_id: string | null; readonly purpose: string | null;
  readonly salt_id: string | null; readonly record: Buffer | null; readonly key_id: string; readonly mac: Buffer;
}

/** A change row as the feed hands it out. */
function toChange(x: ChangeRow): Change {
  return Object.freeze({
    seq: Number(x.seq), kind: x.kind,
    ...(x.subject_id === null ? {} : { subjectId: x.subject_id }),
    ...(x.purpose === null ? {} : { purpose: x.purpose }),
    ...(x.salt_id === null ? {} : { saltId: x.salt_id }),
    ...(x.record === null ? {} : { record: new Uint8Array(x.record) }),
    keyId: x.key_id, mac: new Uint8Array(x.mac),
  });
}

/** The NOTIFY channel of a tenant: a digest of its name, so a channel name shows no tenant. */
export function _channel(tenant: string): string {
  return `templock_${bytesToHex(sha256(new TextEncoder().encode(tenant))).slice(0, 24)}`;
}

/**
 * Opens the central store of the tenant whose login role `url` connects as (see createTenant()).
 * @throws TemplockError STORAGE_FAILED (cannot connect; schema missing or of another version).
 * @example
 * import { openPostgresStore } from 'templock/storage/postgres';
 * const store = await openPostgresStore('postgres://acme_residence:…@db/templock', { keyring });
 * await store.put('resident-42', template);
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresTemplateStore> {
  if (typeof url !== 'string') throw new TypeError(`"url" expected string, got ${url === null ? 'null' : typeof url}`);
  if (typeof options !== 'object' || options === null) throw new TypeError('"options" expected object');
  if (!(options.keyring instanceof Keyring)) throw new TypeError('"options.keyring" expected Keyring');
  const connections = options.connections ?? 4;
  if (!Number.isInteger(connections) || connections < 1 || connections > 64) throw new RangeError('"connections" expected an integer in 1..64');
  const pool = _pool(url, connections);
  try {
    const { tenant, version } = await _guard(async () => {
      const r = await pool.query<{ tenant: string; version: number | null }>('SELECT current_user AS tenant, (SELECT max(version) FROM templock_schema) AS version');
      return r.rows[0]!;
    });
    if (version !== POSTGRES_SCHEMA_VERSION) throw new TemplockError('STORAGE_FAILED', `storage: PostgreSQL schema version ${version ?? 'none'}, expected ${POSTGRES_SCHEMA_VERSION}: run migratePostgres()`);
    return new PostgresTemplateStore(pool, url, aTenant(tenant), options.keyring);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/** A tenant's central store on PostgreSQL; every method is asynchronous. */
export class PostgresTemplateStore {
  readonly #pool: _Pool;
  readonly #url: string;
  readonly #keyring: Keyring;
  /** The tenant: the login role's name, also the records' sealing context. */
  readonly tenant: string;

  /** @internal use openPostgresStore(). */
  constructor(pool: _Pool, url: string, tenant: string, keyring: Keyring) {
    this.#pool = pool;
    this.#url = url;
    this.tenant = tenant;
    this.#keyring = keyring;
  }

  /**
   * A pooled connection for a transaction or a stream. A connection lost mid-use is reported by
   * the failing call; its 'error' event (e.g. a ROLLBACK written on a closed socket) must not
   * crash the process.
   */
  async #checkout(): Promise<_PoolClient> {
    const client = await this.#pool.connect();
    if (!quieted.has(client)) {
      client.on('error', () => undefined);
      quieted.add(client);
    }
    return client;
  }

  /** Runs `work` in one transaction that appends `changes` to the feed (numbered in commit order) and notifies. */
  async #write<T>(count: number, work: (c: _Client) => Promise<{ result: T; changes: Pending[] }>): Promise<T> {
    return _guard(async () => {
      const client = await this.#checkout();
      try {
        await client.query('BEGIN');
        // The head row's lock, held to COMMIT, orders this tenant's writers: numbers are commit order.
        const head = Number((await client.query<{ seq: string }>(
          'INSERT INTO templock_heads (seq) VALUES ($1) ON CONFLICT (tenant) DO UPDATE SET seq = templock_heads.seq + EXCLUDED.seq RETURNING seq', [count],
        )).rows[0]!.seq);
        const first = head - count + 1;
        const { result, changes } = await work(client);
        if (changes.length !== count) await client.query('UPDATE templock_heads SET seq = $1', [first + changes.length - 1]);
        if (changes.length > 0) {
          const numbered = changes.map((c, i): Change => ({ ...c, seq: first + i }));
          const auth = numbered.map((c) => _authenticateChange(this.#keyring, this.tenant, c));
          await client.query(
            `INSERT INTO templock_changes (seq, kind, subject_id, purpose, salt_id, record, key_id, mac)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[], $8::bytea[])`,
            [numbered.map((c) => c.seq), numbered.map((c) => c.kind), numbered.map((c) => c.subjectId ?? null), numbered.map((c) => c.purpose ?? null),
              numbered.map((c) => c.saltId ?? null), numbered.map((c) => (c.record ? Buffer.from(c.record) : null)),
              auth.map((a) => a.keyId), auth.map((a) => Buffer.from(a.mac))],
          );
          await client.query('SELECT pg_notify($1, $2)', [_channel(this.tenant), String(first + changes.length - 1)]);
        }
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    });
  }

  /**
   * Seals and stores a template (see putMany()).
   * @example
   * await store.put('resident-42', template);
   */
  async put(subjectId: string, template: ProtectedTemplate, purpose: string = DEFAULT_PURPOSE): Promise<void> {
    await this.putMany([{ subjectId, template, purpose }]);
  }

  /**
   * Seals and stores several templates in one transaction: all are written and fed to the
   * terminals, or none.
   * @throws TemplockError REVOKED (a subject or a template salt is revoked: nothing written), STORAGE_FAILED.
   * @example
   * await store.putMany([{ subjectId: 'a', template: ta }, { subjectId: 'b', template: tb }]);
   */
  async putMany(items: readonly PutItem[]): Promise<void> {
    if (!Array.isArray(items)) throw new TypeError(`"items" expected array, got ${items === null ? 'null' : typeof items}`);
    const at = Date.now();
    const rows = items.map((it: PutItem, i) => {
      if (typeof it !== 'object' || it === null) throw new TypeError(`"items[${i}]" expected object`);
      const purpose = it.purpose ?? DEFAULT_PURPOSE;
      aUtf8(`items[${i}].subjectId`, it.subjectId);
      aUtf8(`items[${i}].purpose`, purpose);
      const record = sealTemplate(this.#keyring, it.template, { tenant: this.tenant, subjectId: it.subjectId, purpose });
      const header = readRecordHeader(record);
      return { subjectId: it.subjectId, purpose, record, saltId: header.saltId, keyId: header.keyId };
    });
    if (rows.length === 0) return;
    // A subject and purpose given twice keeps its last template, as in the other stores.
    const latest = [...new Map(rows.map((r) => [`${r.subjectId}\u0000${r.purpose}`, r])).values()];
    await this.#write(rows.length, async (c) => {
      const revoked = await c.query(
        `SELECT 1 FROM templock_revocations WHERE (kind = 'subject' AND value = ANY($1)) OR (kind = 'salt' AND value = ANY($2)) LIMIT 1`,
        [rows.map((r) => r.subjectId), rows.map((r) => r.saltId)],
      );
      if (revoked.rowCount) throw new TemplockError('REVOKED', 'store: the subject or the template salt is revoked');
      await c.query(
        `INSERT INTO templock_records (subject_id, purpose, salt_id, key_id, record, updated_at)
         SELECT s, p, salt, k, rec, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS u(s, p, salt, k, rec)
         ON CONFLICT (tenant, subject_id, purpose) DO UPDATE SET salt_id = EXCLUDED.salt_id, key_id = EXCLUDED.key_id, record = EXCLUDED.record, updated_at = EXCLUDED.updated_at`,
        [latest.map((r) => r.subjectId), latest.map((r) => r.purpose), latest.map((r) => r.saltId), latest.map((r) => r.keyId), latest.map((r) => Buffer.from(r.record)), at],
      );
      return { result: undefined, changes: rows.map((r): Pending => ({ kind: 'put', subjectId: r.subjectId, purpose: r.purpose, record: r.record })) };
    });
  }

  /**
   * Opens the subject's record of `purpose`.
   * @throws TemplockError REVOKED, NOT_FOUND, DECRYPT_FAILED (a record the server altered or moved), UNKNOWN_KEY_ID, STORAGE_FAILED.
   * @example
   * const template = await store.get('resident-42');
   */
  async get(subjectId: string, purpose: string = DEFAULT_PURPOSE): Promise<ProtectedTemplate> {
    aUtf8('subjectId', subjectId);
    aUtf8('purpose', purpose);
    const r = await _guard(() => this.#pool.query<ChangeRow & { row: Buffer | null; revoked: boolean }>(
      `SELECT (SELECT record FROM templock_records WHERE subject_id = $1 AND purpose = $2) AS row,
              EXISTS (SELECT 1 FROM templock_revocations WHERE kind = 'subject' AND value = $1) AS revoked, c.*
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT seq, kind, subject_id, purpose, salt_id, record, key_id, mac FROM templock_changes
         WHERE subject_id = $1 AND (purpose = $2 OR purpose IS NULL) ORDER BY seq DESC LIMIT 1) AS c ON true`, [subjectId, purpose]));
    const x = r.rows[0]!;
    if (x.revoked) throw new TemplockError('REVOKED', 'store: the subject is revoked');
    // The row must be what the subject's last authenticated change says (SPEC.md §7.8).
    const last = x.seq === null ? undefined : this.#checked(x);
    if (last?.kind === 'revoke-subject') throw new TemplockError('REVOKED', 'store: the subject is revoked');
    if (last?.kind !== 'put') {
      if (x.row !== null) throw new TemplockError('INTEGRITY', 'store: a record that no change of the feed accounts for');
      throw new TemplockError('NOT_FOUND', 'store: no record for this subject and purpose');
    }
    if (x.row === null) throw new TemplockError('INTEGRITY', 'store: the feed lists a record that is missing');
    const bytes = new Uint8Array(x.row);
    if (!_equalBytes(bytes, last.record!)) throw new TemplockError('ROLLBACK', 'store: the record is not the one last written');
    const salt = readRecordHeader(bytes).saltId;
    const s = await _guard(() => this.#pool.query<ChangeRow>(
      `SELECT seq, kind, subject_id, purpose, salt_id, record, key_id, mac FROM templock_changes WHERE kind = 'revoke-salt' AND salt_id = $1 LIMIT 1`, [salt]));
    if (s.rows.length > 0 && this.#checked(s.rows[0]!)) throw new TemplockError('REVOKED', 'store: the template salt is revoked');
    return openTemplate(this.#keyring, bytes, { tenant: this.tenant, subjectId, purpose });
  }

  /** A change row as a Change, its MAC checked (INTEGRITY when it fails). */
  #checked(row: ChangeRow): Change {
    const change = toChange(row);
    _checkChange(this.#keyring, this.tenant, change);
    return change;
  }

  /**
   * Deletes a record; true when one existed.
   * @example
   * await store.delete('resident-42');
   */
  async delete(subjectId: string, purpose: string = DEFAULT_PURPOSE): Promise<boolean> {
    aUtf8('subjectId', subjectId);
    aUtf8('purpose', purpose);
    return this.#write(1, async (c) => {
      const n = (await c.query('DELETE FROM templock_records WHERE subject_id = $1 AND purpose = $2', [subjectId, purpose])).rowCount ?? 0;
      return { result: n > 0, changes: n > 0 ? [{ kind: 'delete', subjectId, purpose }] : [] };
    });
  }

  /**
   * Revokes a subject everywhere: its records are deleted and every terminal following the feed
   * refuses it once the change is applied. Returns how many records were deleted.
   * @example
   * await store.revokeSubject('resident-42');
   */
  async revokeSubject(subjectId: string): Promise<number> {
    aUtf8('subjectId', subjectId);
    return this.#revoke('subject', subjectId, 'subject_id', { kind: 'revoke-subject', subjectId });
  }

  /**
   * Revokes a template salt (its bytes or its 32-hex-character id) permanently, deleting the
   * records sealed with it. Returns how many.
   * @example
   * await store.revokeSalt(leakedTemplate.salt);
   */
  async revokeSalt(saltOrId: Uint8Array | string): Promise<number> {
    let id: string;
    if (typeof saltOrId === 'string') {
      if (!SALT_ID_HEX.test(saltOrId)) throw new RangeError('"saltOrId" expected 32 lowercase hex characters');
      id = saltOrId;
    } else {
      id = saltIdOf(saltOrId);
    }
    return this.#revoke('salt', id, 'salt_id', { kind: 'revoke-salt', saltId: id });
  }

  async #revoke(kind: Revocation['kind'], value: string, column: 'subject_id' | 'salt_id', change: Pending): Promise<number> {
    return this.#write(1, async (c) => {
      await c.query('INSERT INTO templock_revocations (kind, value, revoked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [kind, value, Date.now()]);
      const removed = (await c.query(`DELETE FROM templock_records WHERE ${column} = $1`, [value])).rowCount ?? 0;
      return { result: removed, changes: [change] };
    });
  }

  /**
   * Lifts a subject revocation; true when one existed.
   * @example
   * await store.reinstateSubject('resident-42');
   */
  async reinstateSubject(subjectId: string): Promise<boolean> {
    aUtf8('subjectId', subjectId);
    return this.#write(1, async (c) => {
      const n = (await c.query(`DELETE FROM templock_revocations WHERE kind = 'subject' AND value = $1`, [subjectId])).rowCount ?? 0;
      return { result: n > 0, changes: n > 0 ? [{ kind: 'reinstate-subject', subjectId }] : [] };
    });
  }

  /**
   * The revocation list.
   * @example
   * for (const r of await store.revocations()) console.log(r.kind, r.value);
   */
  async revocations(): Promise<Revocation[]> {
    const r = await _guard(() => this.#pool.query<{ kind: Revocation['kind']; value: string; revoked_at: string }>('SELECT kind, value, revoked_at FROM templock_revocations ORDER BY revoked_at, kind, value'));
    return r.rows.map((x) => Object.freeze({ kind: x.kind, value: x.value, revokedAt: Number(x.revoked_at) }));
  }

  /**
   * Metadata of every record of the tenant, without decrypting.
   * @example
   * const residents = (await store.list()).length;
   */
  async list(): Promise<RecordInfo[]> {
    const r = await _guard(() => this.#pool.query<{ subject_id: string; purpose: string; key_id: string; salt_id: string; updated_at: string }>(
      'SELECT subject_id, purpose, key_id, salt_id, updated_at FROM templock_records ORDER BY subject_id, purpose'));
    return r.rows.map((x) => Object.freeze({ subjectId: x.subject_id, purpose: x.purpose, keyId: x.key_id, saltId: x.salt_id, updatedAt: Number(x.updated_at) }));
  }

  /**
   * Number of records of the tenant.
   * @example
   * await store.count();
   */
  async count(): Promise<number> {
    const r = await _guard(() => this.#pool.query<{ n: string }>('SELECT count(*) AS n FROM templock_records'));
    return Number(r.rows[0]!.n);
  }

  /**
   * Opens every record of the tenant that is not revoked, e.g. to load a Gallery: the rows stream
   * from the server by binary COPY and are opened on worker threads. A record that does not open
   * (altered by the server, or sealed under a key this keyring lacks) throws its error.
   * @example
   * const gallery = new Gallery();
   * for await (const e of store.openEntries({ purpose: 'access' })) gallery.add(e.subjectId, e.template);
   */
  async *openEntries(options: PostgresEntriesOptions = {}): AsyncIterableIterator<StoredTemplate> {
    if (typeof options !== 'object' || options === null) throw new TypeError('"options" expected object');
    const purpose = options.purpose === undefined ? undefined : new TextDecoder().decode(aUtf8('options.purpose', options.purpose));
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError('"options.threads" expected an integer in 1..64');
    const revoked = await this.revocations();
    const subjects = new Set(revoked.filter((r) => r.kind === 'subject').map((r) => r.value));
    const salts = new Set(revoked.filter((r) => r.kind === 'salt').map((r) => r.value));
    const { to } = _requirePeer('pg-copy-streams') as typeof import('pg-copy-streams');
    const client = await _guard(() => this.#checkout());
    const pool = threads > 1 ? _OpenPool.start(this.tenant, threads) : undefined;
    const inFlight: Array<Promise<StoredTemplate[]>> = [];
    try {
      const stream = client.query(to('COPY (SELECT subject_id, purpose, record FROM templock_records) TO STDOUT (FORMAT binary)'));
      const rows = _copyRows(stream as AsyncIterable<Buffer>, OPEN_BATCH);
      for (;;) {
        const next = await _guard(() => rows.next());
        if (next.done) break;
        inFlight.push(this.#openRows(next.value, purpose, subjects, salts, pool));
        inFlight[inFlight.length - 1]!.catch(() => undefined);
        if (inFlight.length >= threads * BATCHES_PER_THREAD) yield* await inFlight.shift()!;
      }
      while (inFlight.length > 0) yield* await inFlight.shift()!;
    } finally {
      pool?.close();
      client.release();
    }
  }

  /** Opens one batch of COPY rows (skipping other purposes and revoked records), in order. */
  async #openRows(rows: readonly _CopyRow[], purpose: string | undefined, subjects: ReadonlySet<string>, salts: ReadonlySet<string>, pool: _OpenPool | undefined): Promise<StoredTemplate[]> {
    const jobs = [];
    for (const [s, p, r] of rows) {
      const subjectId = s!.toString('utf8'), rowPurpose = p!.toString('utf8');
      if ((purpose !== undefined && rowPurpose !== purpose) || subjects.has(subjectId)) continue;
      const record = new Uint8Array(r!.buffer, r!.byteOffset, r!.length);
      const parsed = _parseRecord(record);
      if (salts.has(_recordSaltId(parsed))) continue;
      jobs.push({ subjectId, purpose: rowPurpose, record, key: this.#keyring._openKey(parsed.keyId) });
    }
    if (!pool) return jobs.map((j) => ({ subjectId: j.subjectId, purpose: j.purpose, template: openTemplate(this.#keyring, j.record, { tenant: this.tenant, subjectId: j.subjectId, purpose: j.purpose }) }));
    const outcomes = await pool.open(jobs);
    try {
      return jobs.map((j, i) => {
        const o = outcomes[i]!;
        if (!(o instanceof Uint8Array)) throw o;
        return { subjectId: j.subjectId, purpose: j.purpose, template: _decodeSealed(o) };
      });
    } finally {
      for (const o of outcomes) if (o instanceof Uint8Array) o.fill(0);
    }
  }

  /**
   * Opens every record and checks every change of the feed as a terminal would (MAC, consecutive
   * numbers); reports failures by code, never by content.
   * @example
   * const report = await store.verify(); if (!report.ok) console.error(report.failures, report.changeFailures);
   */
  async verify(): Promise<CentralIntegrityReport> {
    const failures: RecordFailure[] = [];
    const rows = await _guard(() => this.#pool.query<{ subject_id: string; purpose: string; record: Buffer }>('SELECT subject_id, purpose, record FROM templock_records ORDER BY subject_id, purpose'));
    for (const r of rows.rows) {
      try {
        openTemplate(this.#keyring, new Uint8Array(r.record), { tenant: this.tenant, subjectId: r.subject_id, purpose: r.purpose });
      } catch (e) {
        if (!isTemplockError(e)) throw e;
        failures.push({ subjectId: r.subject_id, purpose: r.purpose, code: e.code });
      }
    }
    const changeFailures: Array<{ seq: number; code: string }> = [];
    let expected = 1, changes = 0;
    for (;;) {
      const page = await this.#changesSince(expected - 1, FEED_PAGE_MAX);
      for (const c of page) {
        changes++;
        if (c.seq !== expected) changeFailures.push({ seq: c.seq, code: 'MALFORMED' });
        try {
          _checkChange(this.#keyring, this.tenant, c);
        } catch (e) {
          if (!isTemplockError(e)) throw e;
          changeFailures.push({ seq: c.seq, code: e.code });
        }
        expected = c.seq + 1;
      }
      if (page.length < FEED_PAGE_MAX) break;
    }
    // The head counts every change committed: changes missing after the last one read are a gap too.
    const head = await this.feed().latestSeq();
    if (head !== expected - 1) changeFailures.push({ seq: head, code: 'MALFORMED' });
    return { ok: failures.length === 0 && changeFailures.length === 0, records: rows.rows.length, failures, changes, changeFailures };
  }

  /**
   * Re-seals every record not sealed under the keyring's primary key, in batches, each batch one
   * write fed to the terminals (so a disabled key is no longer needed by new records). Terminals
   * replaying the feed from its start still need the keys of its older changes: disable an old
   * key, destroy it only when no terminal will replay them.
   * @example
   * ring.rotate(); const report = await store.rewrap();
   */
  async rewrap(options: { readonly batchSize?: number } = {}): Promise<RewrapReport> {
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > FEED_PAGE_MAX) throw new RangeError(`"batchSize" expected an integer in 1..${FEED_PAGE_MAX}`);
    const keyId = this.#keyring.primaryId;
    const failures: RecordFailure[] = [];
    const failed = new Set<string>();
    let rewrapped = 0;
    for (;;) {
      const r = await _guard(() => this.#pool.query<{ subject_id: string; purpose: string; record: Buffer }>(
        'SELECT subject_id, purpose, record FROM templock_records WHERE key_id <> $1 ORDER BY subject_id, purpose LIMIT $2', [keyId, batchSize + failed.size]));
      const items: PutItem[] = [];
      for (const row of r.rows) {
        const k = `${row.subject_id}\u0000${row.purpose}`;
        if (failed.has(k)) continue;
        try {
          items.push({ subjectId: row.subject_id, purpose: row.purpose, template: openTemplate(this.#keyring, new Uint8Array(row.record), { tenant: this.tenant, subjectId: row.subject_id, purpose: row.purpose }) });
        } catch (e) {
          if (!isTemplockError(e)) throw e;
          failed.add(k);
          failures.push({ subjectId: row.subject_id, purpose: row.purpose, code: e.code });
        }
      }
      if (items.length === 0) break;
      await this.putMany(items);
      rewrapped += items.length;
    }
    const alreadyCurrent = (await this.count()) - rewrapped - failures.length;
    return { keyId, rewrapped, alreadyCurrent, failures };
  }

  /**
   * The tenant's change feed, for terminals (openReplica() in templock/storage/sqlite).
   * @example
   * const replica = await openReplica({ feed: store.feed(), store: local });
   */
  feed(): ChangeFeed {
    return {
      changesSince: (seq, options) => this.#changesSince(seq, options?.limit ?? 1000),
      latestSeq: async () => {
        const r = await _guard(() => this.#pool.query<{ seq: string }>('SELECT seq FROM templock_heads'));
        return r.rows.length === 0 ? 0 : Number(r.rows[0]!.seq);
      },
      subscribe: (onWake) => this.#subscribe(onWake),
    };
  }

  async #changesSince(seq: number, limit: number): Promise<Change[]> {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('"seq" expected a non-negative safe integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > FEED_PAGE_MAX) throw new RangeError(`"limit" expected an integer in 1..${FEED_PAGE_MAX}`);
    const r = await _guard(() => this.#pool.query<ChangeRow>(
      'SELECT seq, kind, subject_id, purpose, salt_id, record, key_id, mac FROM templock_changes WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]));
    return r.rows.map(toChange);
  }

  async #subscribe(onWake: (seq: number) => void): Promise<() => Promise<void>> {
    if (typeof onWake !== 'function') throw new TypeError('"onWake" expected function');
    const client = await _connect(this.#url);
    client.on('notification', (n) => {
      const seq = Number(n.payload);
      if (Number.isSafeInteger(seq)) onWake(seq);
    });
    try {
      await _guard(() => client.query(`LISTEN ${_channel(this.tenant)}`));
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    return async () => { await client.end().catch(() => undefined); };
  }

  /**
   * Closes the connections.
   * @example
   * await store.close();
   */
  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}
