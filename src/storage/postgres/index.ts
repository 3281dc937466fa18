// templock/storage/postgres: the central store on PostgreSQL (records sealed by the desk, the
// revocation list, tenants under row-level security) and the change feed terminals follow.
// Needs the optional peer `pg`.
export { openPostgresStore, PostgresTemplateStore, FEED_PAGE_MAX, type PostgresStoreOptions, type PostgresEntriesOptions, type CentralIntegrityReport } from './postgres-store.js';
export { migratePostgres, createTenant, POSTGRES_SCHEMA_VERSION, TENANT_GROUP_ROLE } from './schema.js';
