// A damaged SQLite file, once open, gives typed errors and an integrity report: get(), entries(),
// openEntries(), count() and list() throw TemplockError INTEGRITY (never a raw driver error),
// verify() reports instead of throwing, a file truncated under the store is INTEGRITY at open;
// engine failures that are not damage (a folder as the path, a read-only file) are
// STORAGE_FAILED. New database files are created 0600, and SQLite's -wal and -shm files follow.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Keyring } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, noteError, rejectsCode, secret, Templates, throwsCode } from './_support.js';

const T = new Templates('storage-damaged-file');
const dir = mkdtempSync(join(tmpdir(), 'templock-damaged-'));
let files = 0;
const PAGE = 4096;

function ring(): Keyring {
  const r = Keyring.generate();
  for (const e of r._entries()) secret(e.material!);
  return r;
}

/** A closed store file of 400 records (about 50 pages, checkpointed), and its keyring. */
function filled(): { path: string; keyring: Keyring } {
  const path = join(dir, `d${files++}.db`);
  const keyring = ring();
  const store = openSqliteStore(path, { keyring, tenant: 'acme' });
  store.putMany(Array.from({ length: 400 }, (_, i) => ({ subjectId: `s${i}`, template: T.make() })));
  store.close();
  return { path, keyring };
}

test('pages overwritten after the schema: every read is INTEGRITY, verify() reports', async () => {
  const { path, keyring } = filled();
  const bytes = readFileSync(path);
  assert.ok(bytes.length > 20 * PAGE);
  for (let i = 3 * PAGE; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  writeFileSync(path, bytes);
  const store = openSqliteStore(path, { keyring, tenant: 'acme' });
  throwsCode(() => store.get('s300'), 'INTEGRITY', 'get');
  throwsCode(() => [...store.entries()], 'INTEGRITY', 'entries');
  throwsCode(() => store.count(), 'INTEGRITY', 'count');
  throwsCode(() => store.list(), 'INTEGRITY', 'list');
  await rejectsCode(async () => { for await (const e of store.openEntries({ threads: 2 })) void e; }, 'INTEGRITY', 'openEntries');
  let report;
  try {
    report = store.verify();
  } catch (e) {
    noteError(e);
    assert.unreachable(`verify() threw ${String(e)}`);
  }
  assert.not.ok(report!.ok);
  assert.ok(report!.storage.length > 0, 'the damage is reported');
  assert.ok(report!.storage.every((m) => !/SqliteError/.test(m)));
  store.close();
});

test('a file truncated under the store: INTEGRITY at open', () => {
  const { path, keyring } = filled();
  truncateSync(path, 3 * PAGE);
  throwsCode(() => openSqliteStore(path, { keyring, tenant: 'acme' }), 'INTEGRITY');
});

test('an engine failure that is not damage is STORAGE_FAILED: a database path that is a folder', () => {
  throwsCode(() => openSqliteStore(dir, { keyring: ring(), tenant: 'acme' }), 'STORAGE_FAILED');
});

test('a read-only database file: STORAGE_FAILED at open (the store writes its journal mode and schema), not a driver error', () => {
  if (process.getuid?.() === 0) {
    console.log('  SKIP read-only file: root writes through file modes');
    return;
  }
  const { path, keyring } = filled();
  chmodSync(path, 0o400);
  throwsCode(() => openSqliteStore(path, { keyring, tenant: 'acme' }), 'STORAGE_FAILED');
});

test('a new database file and its WAL are readable by the owner only', () => {
  const path = join(dir, 'private.db');
  const store = openSqliteStore(path, { keyring: ring(), tenant: 'acme' });
  store.put('a', T.make());
  for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.is(statSync(f).mode & 0o777, 0o600, f);
  store.close();
});

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 0);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
