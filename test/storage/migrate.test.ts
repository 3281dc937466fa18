// Record format v1 after the move to v2 (SPEC.md §7.4, README "Storage"): v1 records still open
// with openTemplate (as record version 0); a SQLite file from before the manifest (schema 2, v1
// records, a revocation list) refuses loads until migrate(), which builds its manifest and
// re-seals every v1 record as v2, after which the old v1 rows are ROLLBACK.
import { randomBytes } from '@noble/hashes/utils.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, type ProtectedTemplate } from '../../src/index.js';
import { _encodeContext } from '../../src/storage/context.js';
import { Keyring, openTemplate, readRecordHeader, saltId } from '../../src/storage/index.js';
import { _sealRecord } from '../../src/storage/record.js';
import { _migrate } from '../../src/storage/sqlite/migrations.js';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, bytesToHex, secret, Templates, throwsCode } from './_support.js';

const dir = mkdtempSync(join(tmpdir(), 'templock-migrate-'));
const T = new Templates('migrate');
const enc = (t: ProtectedTemplate) => bytesToHex(encodeTemplate(t));
const TENANT = 'gate';

function v1Record(ring: Keyring, template: ProtectedTemplate, subjectId: string, purpose = 'access'): Uint8Array {
  return _sealRecord(ring._sealKey(), template, _encodeContext({ tenant: TENANT, subjectId, purpose }), randomBytes(24), 0);
}

test('openTemplate opens a v1 record as record version 0; a named version must match', () => {
  const ring = Keyring.generate();
  const t = T.make();
  const ctx = { tenant: TENANT, subjectId: 'a', purpose: 'access' };
  const record = v1Record(ring, t, 'a');
  assert.is(record[4], 1);
  assert.is(enc(openTemplate(ring, record, ctx)), enc(t));
  assert.is(enc(openTemplate(ring, record, { ...ctx, version: 0 })), enc(t));
  throwsCode(() => openTemplate(ring, record, { ...ctx, version: 1 }), 'ROLLBACK');
  const h = readRecordHeader(record);
  assert.equal([h.version, h.recordVersion], [1, 0]);
  throwsCode(() => openTemplate(ring, record, { ...ctx, version: -1 }), RangeError);
  throwsCode(() => openTemplate(ring, record, { ...ctx, version: '1' as unknown as number }), TypeError);
});

test('a schema-2 file of v1 records: loads refuse until migrate(); then v2 records, a manifest, the old rows ROLLBACK', () => {
  const path = join(dir, 'old.db');
  const ring = Keyring.generate();
  for (const e of ring._entries()) secret(e.material!);
  const templates = Array.from({ length: 40 }, () => T.make());
  const revokedT = T.make();
  const db = new Database(path);
  _migrate(db, TENANT, 2);
  const insert = db.prepare('INSERT INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES (?, ?, ?, ?, ?, 0)');
  templates.forEach((t, i) => insert.run(`s${i}`, 'access', ring.primaryId, saltId(t.salt), v1Record(ring, t, `s${i}`)));
  db.prepare(`INSERT INTO revoked (kind, value, revoked_at) VALUES ('salt', ?, 5)`).run(saltId(revokedT.salt));
  db.close();

  const store = openSqliteStore(path, { keyring: ring, tenant: TENANT });
  assert.is(new Database(path).pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
  throwsCode(() => store.get('s0'), 'INTEGRITY', 'no manifest yet');
  throwsCode(() => [...store.entries()], 'INTEGRITY', 'no manifest yet');
  throwsCode(() => store.put('s0', templates[0]!), 'INTEGRITY', 'no manifest yet');
  assert.is(store.verify().manifest, 'INTEGRITY');
  const old = new Database(path).prepare(`SELECT * FROM records WHERE subject = 's3'`).get() as Record<string, unknown>;

  const report = store.migrate();
  assert.equal([report.rewrapped, report.alreadyCurrent, report.failures], [40, 0, []]);
  assert.ok(store.verify().ok);
  const got = [...store.entries()];
  assert.equal(got.map((e) => enc(e.template)), templates.map(enc));
  for (const r of store.list()) assert.equal(readRecordHeader(new Database(path).prepare('SELECT record FROM records WHERE subject = ?').pluck().get(r.subjectId) as Uint8Array).recordVersion, 1);
  throwsCode(() => store.put('x', revokedT), 'REVOKED', 'the revocation list carried over');
  assert.equal(store.migrate().rewrapped, 0, 'a second migrate() has nothing to do');

  const w = new Database(path);
  w.prepare('INSERT OR REPLACE INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES (@subject, @purpose, @key_id, @salt_id, @record, @updated_at)').run(old);
  w.close();
  throwsCode(() => store.get('s3'), 'ROLLBACK', 'the v1 row written back');
  store.close();
  assert.ok(assertNoSecretInMessages() > 0);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
