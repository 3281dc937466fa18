// openEntries(): records opened on worker threads give exactly what entries() gives — the same
// templates in the same order, revoked subjects and salts refused, tampered records and records
// under unknown or disabled keys reported through onFailure (or thrown) at the same place —
// on both stores, with one and two threads; options checked; an early break ends the workers; the
// idle workers kept between loads open records of a key rotated in meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, TemplockError, type ProtectedTemplate } from '../../src/index.js';
import { Keyring, MemoryTemplateStore, type RecordFailure, type StoredTemplate, type TemplateStore } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, noteError, rejectsCode, secret, Templates } from './_support.js';

const T = new Templates('storage-open-entries');
const dir = mkdtempSync(join(tmpdir(), 'templock-open-entries-'));
let files = 0;
const dbPath = () => join(dir, `s${files++}.db`);
/** More than two worker batches, so results of several batches and workers interleave. */
const RECORDS = 1100;

function newRing(): Keyring {
  const ring = Keyring.generate();
  for (const e of ring._entries()) secret(e.material!);
  return ring;
}

/** One gallery's worth of templates: one salt and key, distinct payloads. */
function population(count: number): ProtectedTemplate[] {
  const base = T.make();
  return Array.from({ length: count }, () => ({ ...base, payload: secret(T.rng.bytes(base.payload.length)) }));
}

type Outcome = { yielded: Array<[string, string, string]>; failures: RecordFailure[]; thrown?: string };

const row = (e: StoredTemplate): [string, string, string] => [e.subjectId, e.purpose, Buffer.from(encodeTemplate(e.template)).toString('hex')];

function viaEntries(store: TemplateStore, onFailure: boolean, purpose?: string): Outcome {
  const out: Outcome = { yielded: [], failures: [] };
  try {
    for (const e of store.entries({ purpose, onFailure: onFailure ? (f) => out.failures.push(f) : undefined })) out.yielded.push(row(e));
  } catch (e) {
    noteError(e);
    out.thrown = (e as TemplockError).code;
  }
  return out;
}

async function viaOpenEntries(store: TemplateStore, onFailure: boolean, threads: number, purpose?: string): Promise<Outcome> {
  const out: Outcome = { yielded: [], failures: [] };
  try {
    for await (const e of store.openEntries({ purpose, threads, onFailure: onFailure ? (f) => out.failures.push(f) : undefined })) out.yielded.push(row(e));
  } catch (e) {
    noteError(e);
    assert.instance(e, TemplockError);
    out.thrown = (e as TemplockError).code;
  }
  return out;
}

async function assertSame(store: TemplateStore, what: string, purpose?: string): Promise<Outcome> {
  const expected = viaEntries(store, true, purpose);
  const expectedThrow = viaEntries(store, false, purpose);
  for (const threads of [1, 2]) {
    assert.equal(await viaOpenEntries(store, true, threads, purpose), expected, `${what}, threads ${threads}, onFailure`);
    // Without failures the throwing form is the same pass: check it only where something fails.
    if (expectedThrow.thrown !== undefined) assert.equal(await viaOpenEntries(store, false, threads, purpose), expectedThrow, `${what}, threads ${threads}, throwing`);
  }
  return expected;
}

const KINDS: Record<string, (ring: Keyring) => TemplateStore> = {
  memory: (keyring) => new MemoryTemplateStore({ keyring, tenant: 'acme' }),
  sqlite: (keyring) => openSqliteStore(dbPath(), { keyring, tenant: 'acme', durability: 'normal' }),
};

for (const [kind, make] of Object.entries(KINDS)) {
  test(`${kind}: the same templates in the same order as entries(), purposes and revocations honoured`, async () => {
    const store = make(newRing());
    const templates = population(RECORDS);
    store.putMany(templates.map((template, i) => ({ subjectId: `s${i}`, template, purpose: i % 10 === 3 ? 'verify' : 'access' })));
    const other = T.make();
    store.put('other-salt', other);
    const all = await assertSame(store, `${kind} all`);
    assert.is(all.yielded.length, RECORDS + 1);
    assert.equal(all.yielded.slice(0, RECORDS).map((r) => r[2]), templates.map((t) => Buffer.from(encodeTemplate(t)).toString('hex')));
    assert.is((await assertSame(store, `${kind} verify`, 'verify')).yielded.length, RECORDS / 10);
    store.revokeSubject('s5');
    store.revokeSalt(other.salt);
    const after = await assertSame(store, `${kind} after revocations`);
    assert.is(after.yielded.length, RECORDS - 1);
    assert.not.ok(after.yielded.some(([s]) => s === 's5' || s === 'other-salt'));
    store.close();
  });

  test(`${kind}: records under a disabled or an unknown key fail at the same place`, async () => {
    const ring = newRing();
    const store = make(ring);
    store.putMany(population(600).map((template, i) => ({ subjectId: `a${i}`, template })));
    const old = ring.primaryId;
    ring.rotate();
    for (const e of ring._entries()) if (e.material) secret(e.material);
    store.putMany(population(600).map((template, i) => ({ subjectId: `b${i}`, template })));
    ring.disable(old);
    const got = await assertSame(store, `${kind} disabled key`);
    assert.is(got.failures.length, 600);
    assert.ok(got.failures.every((f) => f.code === 'KEY_DISABLED'));
    assert.is(viaEntries(store, false).thrown, 'KEY_DISABLED');
    store.close();
  });
}

test('sqlite: tampered, moved and foreign-key records are reported by code in order', async () => {
  const path = dbPath();
  const store = openSqliteStore(path, { keyring: newRing(), tenant: 'acme', durability: 'normal' });
  store.putMany(population(RECORDS).map((template, i) => ({ subjectId: `s${i}`, template })));
  const foreign = new MemoryTemplateStore({ keyring: newRing(), tenant: 'acme' });
  foreign.put('intruder', T.make());
  const foreignRecord = (foreign as unknown as { backend: { fetch(s: string, p: string): { record: Uint8Array } } }).backend.fetch('intruder', 'access').record;
  const db = new Database(path);
  const flip = db.prepare(`UPDATE records SET record = ? WHERE subject = ?`);
  const recordOf = db.prepare(`SELECT record FROM records WHERE subject = ?`).pluck();
  for (const [subject, at] of [['s7', -3], ['s700', 100], ['s1099', 120]] as const) {
    const bytes = Uint8Array.from(recordOf.get(subject) as Buffer);
    bytes[(bytes.length + at) % bytes.length]! ^= 0x20;
    flip.run(bytes, subject);
  }
  db.prepare(`UPDATE records SET record = (SELECT record FROM records WHERE subject = 's1') WHERE subject = 's900'`).run();
  db.prepare(`INSERT INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES ('intruder', 'access', 'x', 'y', ?, 0)`).run(foreignRecord);
  db.prepare(`UPDATE records SET record = X'00' WHERE subject = 's3'`).run();
  db.close();
  const got = await assertSame(store, 'tampered');
  assert.equal(got.failures.map((f) => [f.subjectId, f.code]), [
    ['s3', 'MALFORMED'], ['s7', 'DECRYPT_FAILED'], ['s700', 'DECRYPT_FAILED'], ['s900', 'DECRYPT_FAILED'],
    ['s1099', 'DECRYPT_FAILED'], ['intruder', 'ROLLBACK'], // a record the manifest does not list, refused before its key is looked up
  ]);
  assert.is(got.yielded.length, RECORDS - 5);
  const thrown = viaEntries(store, false);
  assert.is(thrown.thrown, 'MALFORMED');
  assert.is(thrown.yielded.length, 3);
  store.close();
});

test('options are checked; breaking out early ends the workers; the templates are usable', async () => {
  const store = new MemoryTemplateStore({ keyring: newRing(), tenant: 'acme' });
  const templates = population(RECORDS);
  store.putMany(templates.map((template, i) => ({ subjectId: `s${i}`, template })));
  const drain = async (options: unknown) => { for await (const e of store.openEntries(options as never)) void e; };
  await rejectsCode(() => drain({ threads: 0 }), RangeError, 'threads 0');
  await rejectsCode(() => drain({ threads: 17 }), RangeError, 'threads 17');
  await rejectsCode(() => drain({ threads: 1.5 }), RangeError, 'threads 1.5');
  await rejectsCode(() => drain({ threads: '2' }), TypeError, 'threads string');
  await rejectsCode(() => drain({ onFailure: 1 }), TypeError, 'onFailure');
  await rejectsCode(() => drain({ purpose: '' }), RangeError, 'purpose');
  let n = 0;
  for await (const e of store.openEntries({ threads: 2 })) {
    assert.equal(e.template.payload, templates[n]!.payload);
    if (++n === 10) break;
  }
  assert.is(n, 10);
  // A full pass after the early break (a fresh pool); then, on the pool kept idle by that pass,
  // a pass after rotating and re-wrapping: the workers received the new key.
  const pass = async () => {
    const got: Uint8Array[] = [];
    for await (const e of store.openEntries()) got.push(e.template.payload);
    assert.equal(got, templates.map((t) => t.payload));
  };
  await pass();
  const old = store.keyring.primaryId;
  store.keyring.rotate();
  for (const e of store.keyring._entries()) if (e.material) secret(e.material);
  assert.is(store.rewrap().rewrapped, RECORDS);
  store.keyring.destroy(old);
  await pass();
  store.close();
});

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 5);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
