// The PostgreSQL schema of templock/storage/postgres and its migrations: records, the revocation
// list, the change feed and its per-tenant head, all under row-level security so that a tenant's
// login role reads and writes its own rows only (the tenant is the role name, `current_user`).
// migratePostgres() and createTenant() run as the database owner; stores connect as tenants.
import { randomBytes } from '@noble/hashes/utils.js';
import { aUtf8 } from '../bytes.js';
import { _connect, _guard } from './driver.js';

/** Schema version this code writes and reads. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** The group role every tenant's login role belongs to: it holds the table privileges. */
export const TENANT_GROUP_ROLE = 'templock_tenant';

const TABLES = ['templock_records', 'templock_revocations', 'templock_changes', 'templock_heads'];

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE templock_records (
     tenant text NOT NULL DEFAULT current_user, subject_id text NOT NULL, purpose text NOT NULL,
     salt_id text NOT NULL, key_id text NOT NULL, record bytea NOT NULL, updated_at bigint NOT NULL,
     PRIMARY KEY (tenant, subject_id, purpose));
   CREATE TABLE templock_revocations (
     tenant text NOT NULL DEFAULT current_user, kind text NOT NULL CHECK (kind IN ('subject', 'salt')),
     value text NOT NULL, revoked_at bigint NOT NULL, PRIMARY KEY (tenant, kind, value));
   CREATE TABLE templock_changes (
     tenant text NOT NULL DEFAULT current_user, seq bigint NOT NULL, kind text NOT NULL,
     subject_id text, purpose text, salt_id text, record bytea, key_id text NOT NULL, mac bytea NOT NULL,
     PRIMARY KEY (tenant, seq));
   CREATE INDEX templock_changes_subject ON templock_changes (tenant, subject_id, seq);
   CREATE INDEX templock_changes_salt ON templock_changes (tenant, salt_id) WHERE kind = 'revoke-salt';
   CREATE TABLE templock_heads (tenant text PRIMARY KEY DEFAULT current_user, seq bigint NOT NULL);
   DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TENANT_GROUP_ROLE}') THEN CREATE ROLE ${TENANT_GROUP_ROLE} NOLOGIN; END IF;
   END $$;
   ${TABLES.map((t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
   CREATE POLICY tenant_rows ON ${t} USING (tenant = current_user) WITH CHECK (tenant = current_user);
   GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${TENANT_GROUP_ROLE};`).join('\n')}
   GRANT SELECT ON templock_schema TO ${TENANT_GROUP_ROLE};`,
];

/**
 * Creates or upgrades the schema (idempotent; one transaction per migration). Run it as the
 * database owner, e.g. at deployment.
 * @example
 * import { migratePostgres } from 'templock/storage/postgres';
 * await migratePostgres('postgres://owner@db/templock');
 */
export async function migratePostgres(ownerUrl: string): Promise<number> {
  const client = await _connect(ownerUrl);
  try {
    return await _guard(async () => {
      await client.query('CREATE TABLE IF NOT EXISTS templock_schema (version integer NOT NULL)');
      await client.query('BEGIN');
      try {
        await client.query('LOCK TABLE templock_schema IN EXCLUSIVE MODE');
        const row = (await client.query<{ version: number }>('SELECT max(version) AS version FROM templock_schema')).rows[0];
        let version = row?.version ?? 0;
        if (version > POSTGRES_SCHEMA_VERSION) throw new RangeError(`database schema ${version} is newer than this templock (${POSTGRES_SCHEMA_VERSION})`);
        for (; version < POSTGRES_SCHEMA_VERSION; version++) {
          await client.query(MIGRATIONS[version]!);
          await client.query('INSERT INTO templock_schema (version) VALUES ($1)', [version + 1]);
        }
        await client.query('COMMIT');
        return version;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a tenant: a login role of that name in the tenant group, with the given password (or a
 * random one, returned). Its stores see and write only rows of that tenant.
 * @example
 * import { createTenant } from 'templock/storage/postgres';
 * const password = await createTenant('postgres://owner@db/templock', 'acme_residence');
 */
export async function createTenant(ownerUrl: string, tenant: string, password?: string): Promise<string> {
  aTenant(tenant);
  const secret = password ?? Buffer.from(randomBytes(24)).toString('base64url');
  aUtf8('password', secret, 1024);
  const client = await _connect(ownerUrl);
  try {
    await _guard(async () => {
      const literal = (await client.query<{ q: string }>('SELECT quote_literal($1) AS q', [secret])).rows[0]!.q;
      await client.query(`CREATE ROLE "${tenant}" LOGIN PASSWORD ${literal} IN ROLE ${TENANT_GROUP_ROLE}`);
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  return secret;
}

/** Tenant names are role names: lowercase letters, digits and underscores, 1–63 characters, not `templock_*` or `pg_*`. */
export function aTenant(tenant: unknown): string {
  if (typeof tenant !== 'string') throw new TypeError(`"tenant" expected string, got ${tenant === null ? 'null' : typeof tenant}`);
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(tenant) || tenant.startsWith('templock_') || tenant.startsWith('pg_'))
    throw new RangeError('"tenant" expected 1-63 lowercase letters, digits or underscores, starting with a letter, not templock_* or pg_*');
  return tenant;
}

