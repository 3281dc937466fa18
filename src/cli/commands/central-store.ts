// The central store of the command line (README "Central store and fleet"): `--store
// postgres://…` (or TEMPLOCK_STORE) names the PostgreSQL server a desk writes to and terminals
// follow. The PostgreSQL store (and so its driver, an optional peer) is loaded here, on first use.
// A password in the URL never appears in output: redactedUrl() drops it (PGPASSWORD or ~/.pgpass
// keep it off the command line altogether).
import { isTemplockError } from '../../errors.js';
import type { ChangeFeed } from '../../storage/change-feed.js';
import type { Keyring } from '../../storage/keyring.js';
import type { ProtectedTemplate } from '../../template.js';
import type { OptionSpec, OptionValues } from '../command.js';

/** The option naming the central store. */
export const STORE_OPTIONS: OptionSpec = { store: { type: 'string' } };

/** Help line of --store. */
export const STORE_HELP = `  --store URL       the central store, postgres://user@host:port/database (default: the
                    TEMPLOCK_STORE variable); keep the password in PGPASSWORD or ~/.pgpass`;

/** A libpq connection URI: scheme, user information, the rest, query. */
const PG_URL = /^(postgres(?:ql)?:\/\/)(?:([^@/?]*)@)?([^?]*)(?:\?(.*))?$/;

/** The central store's URL from --store or TEMPLOCK_STORE, or undefined when neither is set. */
export function storeUrlOption(values: OptionValues, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = typeof values.store === 'string' ? values.store : env.TEMPLOCK_STORE;
  if (v === undefined || v === '') return undefined;
  if (!PG_URL.test(v)) throw new RangeError('--store expected a URL postgres://user@host:port/database');
  return v;
}

/** The central store's URL; a RangeError when none is given. */
export function centralStoreUrl(values: OptionValues, env: NodeJS.ProcessEnv = process.env): string {
  const url = storeUrlOption(values, env);
  if (url === undefined) throw new RangeError('--store is required (or set TEMPLOCK_STORE): postgres://user@host:port/database');
  return url;
}

/**
 * The URL without its password (in the user information or a `password` parameter), for output.
 * @example
 * redactedUrl('postgres://desk:secret@db.example/templock') // 'postgres://desk@db.example/templock'
 */
export function redactedUrl(url: string): string {
  const [, scheme, user, rest, query] = PG_URL.exec(url) ?? [];
  if (scheme === undefined) return 'postgres://…';
  const params = new URLSearchParams(query ?? '');
  params.delete('password');
  const q = params.toString();
  return `${scheme}${user === undefined ? '' : `${user.split(':')[0]}@`}${rest}${q ? `?${decodeURIComponent(q)}` : ''}`;
}

/** A central store's change feed of one tenant, with its connections. */
export interface CentralFeed {
  readonly feed: ChangeFeed;
  close(): Promise<void>;
}

/** The central store of `tenant` (the PostgreSQL login role of the URL must be that tenant). */
async function openCentral(url: string, keyring: Keyring, tenant: string) {
  const { openPostgresStore } = await import('../../storage/postgres/index.js');
  const store = await openPostgresStore(url, { keyring });
  if (store.tenant !== tenant) {
    await store.close();
    throw new RangeError(`--store connects as tenant "${store.tenant}", but this terminal's tenant is "${tenant}": they must be the same`);
  }
  return store;
}

/** Connects to the central store's change feed of `tenant`. */
export async function openCentralFeed(url: string, keyring: Keyring, tenant: string): Promise<CentralFeed> {
  const store = await openCentral(url, keyring, tenant);
  return { feed: store.feed(), close: () => store.close() };
}

/** What a desk does to the central store. */
export interface CentralDesk {
  /** True when the subject has a record (of the default purpose). */
  has(subjectId: string): Promise<boolean>;
  put(subjectId: string, template: ProtectedTemplate): Promise<void>;
  revokeSubject(subjectId: string): Promise<number>;
  close(): Promise<void>;
}

/** Connects a desk to the central store of `tenant`, sealing with `keyring`. */
export async function openCentralDesk(url: string, keyring: Keyring, tenant: string): Promise<CentralDesk> {
  const store = await openCentral(url, keyring, tenant);
  return {
    async has(subjectId) {
      try {
        await store.get(subjectId);
        return true;
      } catch (e) {
        if (isTemplockError(e, 'NOT_FOUND') || isTemplockError(e, 'REVOKED')) return false;
        throw e;
      }
    },
    put: (subjectId, template) => store.put(subjectId, template),
    revokeSubject: (subjectId) => store.revokeSubject(subjectId),
    close: () => store.close(),
  };
}
