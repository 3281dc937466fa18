// Schema of the SQLite template store and its migrations (README "Storage"). The schema version
// is PRAGMA user_version; each migration moves it up by one inside an IMMEDIATE transaction, so
// concurrent openers of a fresh or older file migrate it exactly once.
import type Database from 'better-sqlite3';
import { TemplockError } from '../../errors.js';

/** The migrations, in order: MIGRATIONS[i] takes user_version i to i + 1. */
export const MIGRATIONS: readonly string[] = [
  // 1: metadata, sealed records keyed by (subject, purpose), revocation list.
  `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
   CREATE TABLE records (
     subject TEXT NOT NULL, purpose TEXT NOT NULL, key_id TEXT NOT NULL, salt_id TEXT NOT NULL,
     record BLOB NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (subject, purpose)) STRICT;
   CREATE TABLE revoked (
     kind TEXT NOT NULL CHECK (kind IN ('subject', 'salt')), value TEXT NOT NULL,
     revoked_at INTEGER NOT NULL, PRIMARY KEY (kind, value)) STRICT;`,
  // 2: indexes for re-wrap (records by storage key) and salt revocation (records by salt id).
  `CREATE INDEX records_by_key ON records (key_id);
   CREATE INDEX records_by_salt ON records (salt_id);`,
  // 3: attempt limits and the audit log of decisions (ids, times and outcomes only, no score).
  `CREATE TABLE access_attempts (
     kind TEXT NOT NULL CHECK (kind IN ('subject', 'source')), id TEXT NOT NULL,
     failures INTEGER NOT NULL, last_failure_at INTEGER NOT NULL, blocked_until INTEGER NOT NULL,
     locked INTEGER NOT NULL CHECK (locked IN (0, 1)), PRIMARY KEY (kind, id)) STRICT;
   CREATE TABLE access_audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('verify', 'identify')), subject TEXT, source TEXT NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'locked_out', 'revoked', 'not_found', 'tampered'))) STRICT;
   CREATE INDEX access_audit_by_time ON access_audit (at);`,
  // 4: the manifest (SPEC.md §7.6): each (subject, purpose)'s current record version or tombstone,
  // and its head; the store writes the head (a file from before has none until migrate()).
  `CREATE TABLE manifest (
     subject TEXT NOT NULL, purpose TEXT NOT NULL, version INTEGER NOT NULL CHECK (version >= 0),
     live INTEGER NOT NULL CHECK (live IN (0, 1)), PRIMARY KEY (subject, purpose)) STRICT, WITHOUT ROWID;
   CREATE TABLE manifest_head (
     id INTEGER PRIMARY KEY CHECK (id = 1), key_id TEXT NOT NULL, generation INTEGER NOT NULL,
     count INTEGER NOT NULL, digest BLOB NOT NULL, mac BLOB NOT NULL) STRICT;`,
];

/** The schema version this code writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

/** Current schema version of an open database. @internal */
export function _schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target` (default: the latest) and records `tenant` on creation.
 * @throws TemplockError UNSUPPORTED_VERSION for a file written by a newer schema; INCOMPATIBLE
 *   when the file belongs to another tenant.
 * @internal
 */
export function _migrate(db: Database.Database, tenant: string, target = SQLITE_SCHEMA_VERSION): void {
  db.transaction(() => {
    const from = _schemaVersion(db);
    if (from > SQLITE_SCHEMA_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `store: schema version ${from} is newer than ${SQLITE_SCHEMA_VERSION}`);
    for (let v = from; v < target; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.prepare(`INSERT OR IGNORE INTO meta (name, value) VALUES ('tenant', ?)`).run(tenant);
    const stored = db.prepare(`SELECT value FROM meta WHERE name = 'tenant'`).pluck().get();
    if (stored !== tenant) throw new TemplockError('INCOMPATIBLE', 'store: the database belongs to another tenant');
  }).immediate();
}
