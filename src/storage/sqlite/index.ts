// templock/storage/sqlite: the SQLite TemplateStore, the only module that loads better-sqlite3, and the
// terminal replica that keeps one in step with a central store's change feed.
export { openSqliteStore, SqliteTemplateStore, type SqliteStoreOptions } from './sqlite-store.js';
export { SQLITE_SCHEMA_VERSION } from './migrations.js';
export { openReplica, TerminalReplica, type ReplicaOptions, type ReplicaEvent, type ReplicaStatus, type ChangeFailure } from './replica.js';
