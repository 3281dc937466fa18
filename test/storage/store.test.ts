// TemplateStore semantics, the same battery against the in-memory and the SQLite store: put/get/
// delete/list, purposes, putMany atomicity, the revocation list (subjects and salts refused on
// put, get and load), iteration for a gallery, verify() and re-wrap to a rotated key with every
// record readable throughout. SQLite only: a real WAL file, schema migration from version 1, a
// newer schema, another tenant's file and a non-database file refused, integrity_check, tampered
// rows reported, and a scan of the database and WAL files for template and salt bytes (none).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, type ProtectedTemplate } from '../../src/index.js';
import { Keyring, MemoryTemplateStore, saltId, type TemplateStore } from '../../src/storage/index.js';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from '../../src/storage/sqlite/index.js';
import { _migrate } from '../../src/storage/sqlite/migrations.js';
import { assertNoSecretInMessages, newRing, PARAMS, secret, Templates, throwsCode } from './_support.js';

const T = new Templates('storage-store');
const dir = mkdtempSync(join(tmpdir(), 'templock-store-'));
let files = 0;
const dbPath = () => join(dir, `s${files++}.db`);


const KINDS: Record<string, (ring: Keyring, tenant?: string) => TemplateStore> = {
  memory: (keyring, tenant = 'acme') => new MemoryTemplateStore({ keyring, tenant }),
  sqlite: (keyring, tenant = 'acme') => openSqliteStore(dbPath(), { keyring, tenant, durability: 'normal' }),
};

const same = (a: ProtectedTemplate, b: ProtectedTemplate) => assert.equal(encodeTemplate(a), encodeTemplate(b));

for (const [kind, make] of Object.entries(KINDS)) {
  test(`${kind}: put / get / delete / list / count, purposes kept apart, replacement`, () => {
    const store = make(newRing());
    const a = T.make(), b = T.make(), c = T.make();
    store.put('alice', a);
    store.put('alice', b, 'verify');
    store.put('bob', c);
    same(store.get('alice'), a);
    same(store.get('alice', 'verify'), b);
    assert.is(store.count(), 3);
    const list = store.list();
    assert.equal(list.map((r) => [r.subjectId, r.purpose]), [['alice', 'access'], ['alice', 'verify'], ['bob', 'access']]);
    assert.ok(list.every((r) => r.keyId === store.keyring.primaryId));
    assert.is(list[0]!.saltId, saltId(a.salt));
    store.put('alice', c);
    same(store.get('alice'), c);
    assert.is(store.count(), 3);
    assert.ok(store.delete('alice', 'verify'));
    assert.not.ok(store.delete('alice', 'verify'));
    throwsCode(() => store.get('alice', 'verify'), 'NOT_FOUND');
    throwsCode(() => store.get('', 'verify'), RangeError);
    throwsCode(() => store.put('x', {} as ProtectedTemplate), TypeError);
    store.close();
  });

  test(`${kind}: putMany writes all or nothing; entries() yields every record for a gallery`, () => {
    const store = make(newRing());
    const items = Array.from({ length: 50 }, (_, i) => ({ subjectId: `s${i}`, template: T.make() }));
    store.putMany(items);
    const got = [...store.entries()];
    assert.is(got.length, 50);
    got.forEach((g, i) => { assert.is(g.subjectId, `s${i}`); same(g.template, items[i]!.template); });
    store.revokeSubject('late');
    throwsCode(() => store.putMany([{ subjectId: 'new1', template: T.make() }, { subjectId: 'late', template: T.make() }]), 'REVOKED');
    throwsCode(() => store.get('new1'), 'NOT_FOUND');
    assert.is(store.count(), 50);
    store.put('p', T.make(), 'verify');
    assert.equal([...store.entries({ purpose: 'verify' })].map((e) => e.subjectId), ['p']);
    store.close();
  });

  test(`${kind}: revocation list refuses revoked subjects and salts on put, get and load`, () => {
    const store = make(newRing());
    const a = T.make(), b = T.make(), leaked = T.make();
    store.putMany([{ subjectId: 'alice', template: a }, { subjectId: 'bob', template: b }, { subjectId: 'carol', template: leaked }]);
    assert.is(store.revokeSubject('alice'), 1);
    throwsCode(() => store.get('alice'), 'REVOKED', 'a revoked subject is REVOKED, not NOT_FOUND');
    throwsCode(() => store.put('alice', T.make()), 'REVOKED');
    assert.is(store.revokeSalt(leaked.salt), 1);
    throwsCode(() => store.put('carol', leaked), 'REVOKED');
    throwsCode(() => store.put('dave', leaked), 'REVOKED');
    throwsCode(() => store.get('carol'), 'NOT_FOUND', 'the revoked salt removed the record');
    const fresh = T.make();
    store.put('carol', fresh);
    assert.equal([...store.entries()].map((e) => e.subjectId), ['bob', 'carol']);
    assert.equal(store.revocations().map((r) => [r.kind, r.value]), [['subject', 'alice'], ['salt', saltId(leaked.salt)]]);
    assert.ok(store.reinstateSubject('alice'));
    store.put('alice', a);
    same(store.get('alice'), a);
    assert.is(store.revokeSalt(saltId(a.salt)), 1);
    throwsCode(() => store.revokeSalt('zz'), RangeError);
    throwsCode(() => store.revokeSalt(new Uint8Array(8)), RangeError);
    store.close();
  });

  test(`${kind}: rewrap moves every record to the new primary without a new capture; old key then disabled`, () => {
    const ring = newRing();
    const store = make(ring);
    const items = Array.from({ length: 40 }, (_, i) => ({ subjectId: `s${i}`, template: T.make(i % 2 ? PARAMS.sign : PARAMS['iom-grp']) }));
    store.putMany(items);
    const oldId = ring.primaryId;
    const newId = ring.rotate();
    for (const e of ring._entries()) if (e.material) secret(e.material);
    store.put('s0', items[0]!.template);
    const report = store.rewrap({ batchSize: 7 });
    assert.equal({ ...report, failures: report.failures.length }, { keyId: newId, rewrapped: 39, alreadyCurrent: 1, failures: 0 });
    assert.ok(store.list().every((r) => r.keyId === newId));
    ring.disable(oldId);
    [...store.entries()].forEach((e, i) => same(e.template, items[i]!.template));
    assert.ok(store.verify().ok);
    assert.is(store.rewrap().rewrapped, 0);
    store.close();
  });

  test(`${kind}: verify() and entries({ onFailure }) report records under a disabled key by code`, () => {
    const ring = newRing();
    const store = make(ring);
    store.put('a', T.make());
    const old = ring.primaryId;
    ring.rotate();
    store.put('b', T.make());
    ring.disable(old);
    const r = store.verify();
    assert.not.ok(r.ok);
    assert.equal(r.failures, [{ subjectId: 'a', purpose: 'access', code: 'KEY_DISABLED' }]);
    throwsCode(() => store.get('a'), 'KEY_DISABLED');
    throwsCode(() => [...store.entries()], 'KEY_DISABLED');
    const skipped: unknown[] = [];
    assert.equal([...store.entries({ onFailure: (f) => skipped.push(f) })].map((e) => e.subjectId), ['b']);
    assert.equal(skipped, [{ subjectId: 'a', purpose: 'access', code: 'KEY_DISABLED' }]);
    assert.equal(store.rewrap().failures, [{ subjectId: 'a', purpose: 'access', code: 'KEY_DISABLED' }]);
    store.close();
  });
}

test('sqlite: a real WAL file; reopened by another connection; nothing of the template in clear in the db or WAL', () => {
  const path = dbPath();
  const ring = newRing();
  const store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  const templates = Array.from({ length: 30 }, () => T.make(PARAMS['iom-grp'], 32));
  templates.forEach((t, i) => store.put(`resident-${i}`, t));
  assert.ok(existsSync(path) && existsSync(`${path}-wal`));
  const files = [readFileSync(path), readFileSync(`${path}-wal`)];
  assert.ok(files[1]!.length > 0, 'the WAL holds the writes');
  for (const t of templates) {
    for (const f of files) {
      for (const needle of [t.payload.subarray(0, 16), t.payload.subarray(t.payload.length - 16), t.salt.subarray(0, 12), encodeTemplate(t).subarray(0, 30)])
        assert.is(f.indexOf(Buffer.from(needle)), -1, 'template bytes found in the database file');
    }
  }
  for (const e of ring._entries()) for (const f of files) assert.is(f.indexOf(Buffer.from(e.material!)), -1, 'key bytes found in the database file');
  const other = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  same(other.get('resident-3'), templates[3]!);
  assert.ok(other.verify().ok);
  other.close();
  store.close();
});

test('sqlite: schema migrations from version 1; a newer schema and another tenant are refused', () => {
  const path = dbPath();
  const db = new Database(path);
  _migrate(db, 'acme', 1);
  assert.is(db.pragma('user_version', { simple: true }), 1);
  db.close();
  const ring = newRing();
  const store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  const t = T.make();
  store.put('a', t);
  store.close();
  const check = new Database(path, { readonly: true });
  assert.is(check.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
  assert.ok((check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'records_by_key'`).get()));
  check.close();
  throwsCode(() => openSqliteStore(path, { keyring: ring, tenant: 'other' }), 'INCOMPATIBLE');
  const bump = new Database(path);
  bump.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
  bump.close();
  throwsCode(() => openSqliteStore(path, { keyring: ring, tenant: 'acme' }), 'UNSUPPORTED_VERSION');
  const garbage = dbPath();
  writeFileSync(garbage, T.rng.bytes(8192));
  throwsCode(() => openSqliteStore(garbage, { keyring: ring, tenant: 'acme' }), 'INTEGRITY');
  throwsCode(() => openSqliteStore(dbPath(), { keyring: ring, tenant: '' }), RangeError);
  throwsCode(() => openSqliteStore(dbPath(), { keyring: {} as Keyring, tenant: 'a' }), TypeError);
  throwsCode(() => openSqliteStore(dbPath(), { keyring: ring, tenant: 'a', durability: 'none' as 'full' }), RangeError);
});

test('sqlite: rows edited behind the store are caught: moved record, swapped metadata, corrupted blob, forged revocation dodge', () => {
  const path = dbPath();
  const ring = newRing();
  const store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  const a = T.make(), b = T.make();
  store.putMany([{ subjectId: 'alice', template: a }, { subjectId: 'bob', template: b }]);
  const db = new Database(path);
  // Copy alice's record onto bob's row: it was sealed for alice.
  db.prepare(`UPDATE records SET (record, salt_id) = (SELECT record, salt_id FROM records WHERE subject = 'alice') WHERE subject = 'bob'`).run();
  throwsCode(() => store.get('bob'), 'DECRYPT_FAILED');
  // A salt_id column that disagrees with the authenticated header is an integrity failure.
  store.put('alice2', T.make());
  db.prepare(`UPDATE records SET salt_id = ? WHERE subject = 'alice2'`).run('00'.repeat(16));
  const sealedA = db.prepare(`SELECT record FROM records WHERE subject = 'alice2'`).pluck().get() as Buffer;
  assert.ok(sealedA.length > 0);
  const report = store.verify();
  assert.not.ok(report.ok);
  assert.equal(report.failures.map((f) => [f.subjectId, f.code]).sort(), [['alice2', 'INTEGRITY'], ['bob', 'DECRYPT_FAILED']]);
  // A record of a revoked salt inserted behind the store with a forged salt_id column is refused
  // by get and skipped by entries: revocation reads the authenticated header.
  store.revokeSalt(a.salt);
  const other = new MemoryTemplateStore({ keyring: ring, tenant: 'acme' });
  other.put('mallory', a);
  const rec = (other as unknown as { backend: { fetch(s: string, p: string): { record: Uint8Array } } }).backend.fetch('mallory', 'access').record;
  db.prepare(`INSERT INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES ('mallory', 'access', ?, ?, ?, 0)`).run(ring.primaryId, '11'.repeat(16), rec);
  throwsCode(() => store.get('mallory'), 'REVOKED');
  assert.not.ok([...store.entries()].some((e) => e.subjectId === 'mallory'));
  db.close();
  store.close();
});

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 5);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
