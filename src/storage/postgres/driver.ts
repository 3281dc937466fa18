// node-postgres (`pg`), the PostgreSQL client of templock/storage/postgres (an optional peer:
// pure JavaScript, no native build, LISTEN/NOTIFY and pooling), loaded on first use; every driver
// or server error becomes a TemplockError STORAGE_FAILED naming only its SQLSTATE class.
import type pg from 'pg';
import { isTemplockError, TemplockError } from '../../errors.js';
import { _requirePeer } from '../../peers.js';

export type _Client = pg.Client;
export type _Pool = pg.Pool;
export type _PoolClient = pg.PoolClient;

let loaded: typeof pg | undefined;

function driver(): typeof pg {
  if (loaded) return loaded;
  try {
    loaded = _requirePeer('pg') as typeof pg;
  } catch {
    throw new TemplockError('BACKEND_UNAVAILABLE', 'templock/storage/postgres needs the package pg: npm install pg');
  }
  return loaded;
}

/** The error a failed driver call becomes: SQLSTATE only, never a value of the statement. */
export function _driverError(e: unknown): TemplockError {
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
  const what = code && /^[0-9A-Z]{5}$/.test(code) ? `SQLSTATE ${code}` : 'connection failed or lost';
  return new TemplockError('STORAGE_FAILED', `storage: PostgreSQL ${what}`);
}

/** Runs `work`, mapping every error that is not a TemplockError or an argument error. */
export async function _guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isTemplockError(e) || e instanceof TypeError || e instanceof RangeError) throw e;
    throw _driverError(e);
  }
}

/** A connected client (errors after connecting are reported by the next query). */
export async function _connect(url: string): Promise<_Client> {
  const client = new (driver().Client)({ connectionString: url });
  client.on('error', () => undefined);
  await _guard(() => client.connect());
  return client;
}

/** A pool of up to `max` connections. */
export function _pool(url: string, max: number): _Pool {
  const pool = new (driver().Pool)({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
