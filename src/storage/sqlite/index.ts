// templock/storage/sqlite: the SQLite TemplateStore, the only module that loads better-sqlite3.
export { openSqliteStore, SqliteTemplateStore, type SqliteStoreOptions } from './sqlite-store.js';
export { SQLITE_SCHEMA_VERSION } from './migrations.js';
