// Anti-rollback of the stores (SPEC.md §7.4, §7.6, §7.7), against someone who can write the
// SQLite file but holds no key: an older sealed record written back after revocation and
// re-enrolment is ROLLBACK through get(), entries(), openEntries() and verify(), never a
// template; a deleted revocation row, or any change to the manifest, is INTEGRITY; the whole file
// rolled back is undetected without a monotonic counter and ROLLBACK with one; two connections
// writing one file keep the manifest consistent.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, type ProtectedTemplate } from '../../src/index.js';
import { Keyring, memoryCounter, MemoryTemplateStore, readRecordHeader, type MonotonicCounter, type TemplateStore } from '../../src/storage/index.js';
import { openSqliteStore, type SqliteTemplateStore } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, bytesToHex, rejectsCode, secret, Templates, throwsCode } from './_support.js';

const dir = mkdtempSync(join(tmpdir(), 'templock-rollback-'));
const T = new Templates('rollback');
let n = 0;
const dbPath = () => join(dir, `s${n++}.db`);
const enc = (t: ProtectedTemplate) => bytesToHex(encodeTemplate(t));
const newRing = () => {
  const ring = Keyring.generate();
  for (const e of ring._entries()) secret(e.material!);
  return ring;
};
const open = (path: string, keyring: Keyring, counter?: MonotonicCounter): SqliteTemplateStore =>
  openSqliteStore(path, { keyring, tenant: 'gate', durability: 'normal', ...(counter ? { counter } : {}) });

/** What a writer without the key can do: raw SQL on the file. */
function raw<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
const rowOf = (path: string, subject: string) => raw(path, (db) => db.prepare('SELECT * FROM records WHERE subject = ?').get(subject) as Record<string, unknown>);
const writeBack = (path: string, row: Record<string, unknown>) => raw(path, (db) => db.prepare(
  `INSERT OR REPLACE INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES (@subject, @purpose, @key_id, @salt_id, @record, @updated_at)`).run(row));

async function loads(store: TemplateStore): Promise<{ entries: string[]; open: string[]; failures: string[] }> {
  const failures: string[] = [];
  const onFailure = (f: { subjectId: string; code: string }) => failures.push(`${f.subjectId}:${f.code}`);
  const entries = [...store.entries({ onFailure })].map((e) => `${e.subjectId}:${enc(e.template)}`);
  const opened: string[] = [];
  for await (const e of store.openEntries({ onFailure, threads: 2 })) opened.push(`${e.subjectId}:${enc(e.template)}`);
  return { entries, open: opened, failures };
}

test('the attack: enrol, copy the row, revoke, re-enrol from another photo, write the old row back -> ROLLBACK, never the old template', async () => {
  const path = dbPath();
  const ring = newRing();
  const store = open(path, ring);
  const oldFace = T.make(), newFace = T.make(), alice = T.make();
  store.put('alice', alice);
  store.put('bob', oldFace);
  const stolen = rowOf(path, 'bob');
  assert.is(store.revokeSubject('bob'), 1);
  assert.ok(store.reinstateSubject('bob'));
  store.put('bob', newFace);
  assert.is(enc(store.get('bob')), enc(newFace));
  assert.is(readRecordHeader(rowOf(path, 'bob').record as Uint8Array).recordVersion, 2);
  writeBack(path, stolen);

  throwsCode(() => store.get('bob'), 'ROLLBACK', 'get, same store');
  throwsCode(() => [...store.entries()], 'ROLLBACK', 'entries without onFailure');
  await rejectsCode(async () => { for await (const e of store.openEntries({ threads: 2 })) void e; }, 'ROLLBACK', 'openEntries without onFailure');
  const got = await loads(store);
  assert.equal(got.entries, [`alice:${enc(alice)}`]);
  assert.equal(got.open, got.entries);
  assert.equal(got.failures, ['bob:ROLLBACK', 'bob:ROLLBACK']);
  const report = store.verify();
  assert.not.ok(report.ok);
  assert.is(report.manifest, 'ok');
  assert.equal(report.failures, [{ subjectId: 'bob', purpose: 'access', code: 'ROLLBACK' }]);
  store.close();

  // A fresh process sees the same.
  const again = open(path, ring);
  throwsCode(() => again.get('bob'), 'ROLLBACK', 'get, fresh store');
  assert.equal((await loads(again)).failures, ['bob:ROLLBACK', 'bob:ROLLBACK']);
  // Re-enrolling bob supersedes the rolled-back row.
  again.put('bob', newFace);
  assert.is(enc(again.get('bob')), enc(newFace));
  assert.ok(again.verify().ok);
  again.close();
});

test('an older record of a subject never revoked, a deleted one written back, a row from another store: ROLLBACK', () => {
  const path = dbPath();
  const ring = newRing();
  const store = open(path, ring);
  store.put('carol', T.make());
  const v1 = rowOf(path, 'carol');
  const current = T.make();
  store.put('carol', current);
  store.put('dave', T.make());
  const dave = rowOf(path, 'dave');
  assert.ok(store.delete('dave'));
  writeBack(path, v1);
  writeBack(path, dave);
  throwsCode(() => store.get('carol'), 'ROLLBACK', 'older version');
  throwsCode(() => store.get('dave'), 'ROLLBACK', 'deleted, written back');
  // The salt-revocation path: the old salt is revoked, so its row is refused as REVOKED.
  store.put('erin', T.make());
  const erin = rowOf(path, 'erin');
  store.revokeSalt(erin.salt_id as string);
  store.put('erin', T.make());
  writeBack(path, erin);
  throwsCode(() => store.get('erin'), 'REVOKED', 'revoked salt');
  assert.equal(store.verify().failures.map((f) => `${f.subjectId}:${f.code}`).sort(), ['carol:ROLLBACK', 'dave:ROLLBACK', 'erin:REVOKED']);
  // A row copied from another store of the same tenant and key is not in this manifest.
  const other = open(dbPath(), ring);
  other.put('frank', T.make());
  writeBack(path, rowOf((other as SqliteTemplateStore).path, 'frank'));
  other.close();
  throwsCode(() => store.get('frank'), 'ROLLBACK', 'foreign row');
  // Such a row cannot block a revocation: it is deleted with the subject.
  assert.is(store.revokeSubject('frank'), 1);
  throwsCode(() => store.get('frank'), 'REVOKED', 'revoked after the foreign row');
  store.close();
});

test('a load after a verified one reuses the view in memory: a record and its manifest entry rolled back together behind an unchanged head are still ROLLBACK', async () => {
  const path = dbPath();
  const store = open(path, newRing());
  store.put('kim', T.make());
  const oldRow = rowOf(path, 'kim');
  const oldEntry = raw(path, (db) => db.prepare(`SELECT version, live FROM manifest WHERE subject = 'kim'`).get() as { version: number; live: number });
  store.put('kim', T.make());
  store.put('lee', T.make());
  const first = await loads(store);
  assert.equal(first.failures, []);
  // Both the record and its entry go back; the head (MAC'd, in the file) is left as it is.
  writeBack(path, oldRow);
  raw(path, (db) => db.prepare(`UPDATE manifest SET version = ?, live = ? WHERE subject = 'kim'`).run(oldEntry.version, oldEntry.live));
  const second = await loads(store);
  assert.equal(second.failures, ['kim:ROLLBACK', 'kim:ROLLBACK']);
  assert.not.ok([...second.entries, ...second.open].some((e) => e.startsWith('kim:')));
  // verify() always sums the entries again: the edited entry no longer matches the head.
  assert.is(store.verify().manifest, 'INTEGRITY');
  store.close();
});

test('deleting a revocation row, or a record row, or changing the manifest: INTEGRITY, never a template', async () => {
  const ring = newRing();
  const base = dbPath();
  const seed = open(base, ring);
  seed.put('gina', T.make());
  seed.put('hal', T.make());
  seed.revokeSubject('gina');
  seed.close();
  const cases: Array<[string, (db: Database.Database) => void]> = [
    ['revocation row deleted', (db) => db.prepare(`DELETE FROM revoked WHERE value = 'gina'`).run()],
    ['revocation time changed', (db) => db.prepare(`UPDATE revoked SET revoked_at = revoked_at + 1`).run()],
    ['manifest version lowered', (db) => db.prepare(`UPDATE manifest SET version = 0 WHERE subject = 'hal'`).run()],
    ['tombstone made live', (db) => db.prepare(`UPDATE manifest SET live = 1 WHERE subject = 'gina'`).run()],
    ['manifest entry deleted', (db) => db.prepare(`DELETE FROM manifest WHERE subject = 'gina'`).run()],
    ['manifest entry added', (db) => db.prepare(`INSERT INTO manifest VALUES ('ivy', 'access', 1, 1)`).run()],
  ];
  for (const [what, tamper] of cases) {
    const path = dbPath();
    copyFileSync(base, path);
    raw(path, tamper);
    const store = open(path, ring);
    throwsCode(() => store.get('hal'), 'INTEGRITY', what);
    throwsCode(() => [...store.entries({ onFailure: () => undefined })], 'INTEGRITY', what);
    await rejectsCode(async () => { for await (const e of store.openEntries({ onFailure: () => undefined })) void e; }, 'INTEGRITY', what);
    // A write updates the manifest in O(1) without re-summing it: it cannot launder the change.
    store.put('hal', T.make());
    throwsCode(() => [...store.entries({ onFailure: () => undefined })], 'INTEGRITY', `${what}, after a write`);
    const report = store.verify();
    assert.is(report.manifest, 'INTEGRITY', what);
    assert.not.ok(report.ok);
    store.close();
  }
  const heads: Array<[string, string]> = [
    ['generation', 'UPDATE manifest_head SET generation = generation + 1'],
    ['count', 'UPDATE manifest_head SET count = count - 1'],
    ['digest', `UPDATE manifest_head SET digest = zeroblob(32)`],
    ['mac', `UPDATE manifest_head SET mac = zeroblob(32)`],
  ];
  for (const [what, sql] of heads) {
    const path = dbPath();
    copyFileSync(base, path);
    raw(path, (db) => db.prepare(sql).run());
    throwsCode(() => open(path, ring), 'INTEGRITY', `head ${what}: checked on open`);
  }
  // A record row deleted behind the store: the manifest still lists it.
  const path = dbPath();
  copyFileSync(base, path);
  raw(path, (db) => db.prepare(`DELETE FROM records WHERE subject = 'hal'`).run());
  const store = open(path, ring);
  throwsCode(() => store.get('hal'), 'INTEGRITY', 'missing record');
  const failures: string[] = [];
  assert.equal([...store.entries({ onFailure: (f) => failures.push(`${f.subjectId}:${f.code}`) })], []);
  assert.equal(failures, ['hal:INTEGRITY']);
  assert.equal(store.verify().failures, [{ subjectId: 'hal', purpose: 'access', code: 'INTEGRITY' }]);
  store.close();
});

test('whole-file rollback: undetected without a counter, ROLLBACK with one; a write whose counter advance was lost is accepted', () => {
  const ring = newRing();
  const counter = memoryCounter();
  const path = dbPath(), copy = dbPath();
  const store = open(path, ring, counter);
  const first = T.make(), second = T.make();
  store.put('jo', first);
  store.close();
  copyFileSync(path, copy);
  const later = open(path, ring, counter);
  later.put('jo', second);
  later.revokeSubject('kim');
  later.close();
  const generation = counter.read();
  assert.is(generation, 3, 'head created at 0, then three writes');
  copyFileSync(copy, path);

  const blind = open(path, ring);
  assert.is(enc(blind.get('jo')), enc(first), 'without a counter the old file is accepted as it is');
  assert.ok(blind.verify().ok);
  blind.close();
  throwsCode(() => open(path, ring, counter), 'ROLLBACK', 'with the counter');
  assert.is(counter.read(), generation, 'a failed check does not move the counter');

  // The counter one behind (a crash between commit and advance) is accepted and caught up.
  const behind = memoryCounter(0);
  const crashed = open(copy, ring, behind);
  assert.is(behind.read(), 1);
  crashed.put('jo', second);
  assert.is(behind.read(), 2);
  crashed.close();
  // Two behind or ahead: ROLLBACK.
  throwsCode(() => open(copy, ring, memoryCounter(0)), 'ROLLBACK', 'counter two behind');
  throwsCode(() => open(copy, ring, memoryCounter(9)), 'ROLLBACK', 'counter ahead');
  // An advance that throws leaves the write committed; the next check catches the counter up.
  const failing = memoryCounter(2);
  let fail = true;
  const flaky: MonotonicCounter = { read: () => failing.read(), advance: (v) => { if (fail) throw new Error('counter unreachable'); return failing.advance(v); } };
  const s = open(copy, ring, flaky);
  assert.throws(() => s.put('jo', second), /counter unreachable/);
  fail = false;
  assert.is(enc(s.get('jo')), enc(second));
  assert.is(failing.read(), 3);
  s.close();
  throwsCode(() => open(copy, ring, { read: () => -1, advance: () => 0 } as MonotonicCounter), TypeError, 'a counter value that is not a safe non-negative integer');
  throwsCode(() => open(copy, ring, {} as MonotonicCounter), TypeError, 'not a counter');
});

test('two connections writing one file: versions advance without loss, cached views follow the other writer', () => {
  const path = dbPath();
  const ring = newRing();
  const a = open(path, ring), b = open(path, ring);
  const ts = Array.from({ length: 6 }, () => T.make());
  a.put('lee', ts[0]!);
  assert.is(enc(b.get('lee')), enc(ts[0]!));
  for (let i = 1; i < 6; i++) {
    (i % 2 ? b : a).put('lee', ts[i]!);
    // Each store's view was verified before the other's write: it re-verifies, no false ROLLBACK.
    assert.is(enc(a.get('lee')), enc(ts[i]!));
    assert.is(enc(b.get('lee')), enc(ts[i]!));
  }
  b.delete('lee');
  throwsCode(() => a.get('lee'), 'NOT_FOUND');
  a.put('lee', ts[0]!);
  assert.is(readRecordHeader(rowOf(path, 'lee').record as Uint8Array).recordVersion, 7, 'a tombstone keeps its version');
  assert.ok(a.verify().ok && b.verify().ok);
  a.close();
  b.close();
});

test('memory store: versions per (subject, purpose), putMany with a repeated subject, delete and revoke keep tombstones', () => {
  const counter = memoryCounter();
  const store = new MemoryTemplateStore({ keyring: newRing(), tenant: 'gate', counter });
  const backend = (store as unknown as { backend: { fetch(s: string, p: string): { record: Uint8Array } | undefined } }).backend;
  const version = (s: string, p = 'access') => readRecordHeader(backend.fetch(s, p)!.record).recordVersion;
  const t1 = T.make(), t2 = T.make();
  store.putMany([{ subjectId: 'm', template: t1 }, { subjectId: 'm', template: t2 }, { subjectId: 'm', template: t1, purpose: 'door' }]);
  assert.is(version('m'), 2);
  assert.is(version('m', 'door'), 1);
  assert.is(enc(store.get('m')), enc(t2));
  store.delete('m');
  store.put('m', t1);
  assert.is(version('m'), 3);
  store.revokeSubject('m');
  store.reinstateSubject('m');
  store.put('m', t2);
  assert.is(version('m'), 4);
  store.put('m', t1, 'door');
  assert.is(version('m', 'door'), 2, 'revoking the subject tombstoned every purpose');
  assert.is(store.revokeSalt(t2.salt), 1);
  throwsCode(() => store.putMany([{ subjectId: 'n', template: t1 }, { subjectId: 'o', template: t2 }]), 'REVOKED');
  assert.is(store.count(), 1, 'nothing of the refused batch was written');
  assert.is(version('m', 'door'), 2);
  assert.ok(store.verify().ok);
  const before = counter.read();
  store.put('n', t1);
  assert.is(counter.read(), before + 1);
  store.close();
});

test('rewrap moves the manifest to the new primary key: the old key can then be destroyed', () => {
  const path = dbPath();
  const ring = newRing();
  const store = open(path, ring);
  const t = T.make();
  store.put('pat', t);
  const old = ring.primaryId;
  const next = ring.rotate();
  const headKey = () => raw(path, (db) => db.prepare('SELECT key_id FROM manifest_head').pluck().get());
  assert.is(headKey(), old);
  store.put('quinn', T.make());
  assert.is(headKey(), old, 'ordinary writes keep the head key: O(1)');
  const stale = rowOf(path, 'pat');
  const report = store.rewrap();
  assert.is(report.rewrapped, 1);
  assert.is(headKey(), next);
  assert.is(readRecordHeader(rowOf(path, 'pat').record as Uint8Array).recordVersion, 2, 'a re-sealed record gets the next version');
  ring.disable(old);
  ring.destroy(old);
  store.close();
  const reopened = open(path, ring);
  assert.is(enc(reopened.get('pat')), enc(t));
  writeBack(path, stale);
  throwsCode(() => reopened.get('pat'), 'ROLLBACK', 'the copy under the old key');
  reopened.close();
  // A keyring without the manifest's key opens the file, but nothing that needs the manifest works.
  const foreign = open(path, newRing());
  assert.is(foreign.count(), 2);
  throwsCode(() => foreign.get('quinn'), 'UNKNOWN_KEY_ID');
  throwsCode(() => foreign.put('quinn', t), 'UNKNOWN_KEY_ID');
  assert.is(foreign.verify().manifest, 'UNKNOWN_KEY_ID');
  foreign.close();
});

test('no message carries a secret', () => {
  assert.ok(assertNoSecretInMessages() > 0);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
