// better-sqlite3, the SQLite driver of templock/storage/sqlite (an optional peer), loaded on first
// use. Versions 12 and 13 are supported; 13 needs Node 22 or later (on Node 20 its native part
// crashes the process on first use), so that pair is refused with a clear error before loading.
import type Database from 'better-sqlite3';
import { TemplockError } from '../../errors.js';
import { _requirePeer } from '../../peers.js';

/** The better-sqlite3 module: the Database constructor with SqliteError beside it. */
export type _Driver = typeof Database;

/** Least Node major version of each supported better-sqlite3 major version. */
const NODE_MAJOR_OF: Readonly<Record<number, number>> = { 12: 20, 13: 22 };

const major = (version: string) => Number.parseInt(version, 10);

/**
 * Throws BACKEND_UNAVAILABLE unless better-sqlite3 version `driver` is a supported major version
 * that runs on Node version `node` (both "major.minor.patch").
 */
export function _checkDriver(driver: string, node: string): void {
  const least = NODE_MAJOR_OF[major(driver)];
  if (least === undefined)
    throw new TemplockError('BACKEND_UNAVAILABLE', `storage: better-sqlite3 ${driver} is not supported; install better-sqlite3 12 or 13`);
  if (major(node) < least)
    throw new TemplockError('BACKEND_UNAVAILABLE', `storage: better-sqlite3 ${driver} needs Node ${least} or later (this is Node ${node}); on Node ${major(node)} install better-sqlite3@12`);
}

let loaded: _Driver | undefined;

/** better-sqlite3, checked and loaded on first call. */
export function _driver(): _Driver {
  if (loaded) return loaded;
  let version: string;
  try {
    version = (_requirePeer('better-sqlite3/package.json') as { version: string }).version;
  } catch {
    throw new TemplockError('BACKEND_UNAVAILABLE', 'templock/storage/sqlite needs the package better-sqlite3: npm install better-sqlite3');
  }
  _checkDriver(version, process.versions.node);
  loaded = _requirePeer('better-sqlite3') as _Driver;
  return loaded;
}
