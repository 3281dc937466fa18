// Key-binding templates at rest: a record seals either kind of template (SPEC.md §7.4), and the
// opener that expects one kind refuses the other (INCOMPATIBLE). Against the memory and the
// SQLite store: put/getBound round trip (the stored template still releases the same key),
// boundEntries, revocation, rollback of an old bound record, verify() and re-wrap; sealing and
// opening a single record; the header read without a key; a flipped bit (DECRYPT_FAILED).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bindKey, encodeBoundTemplate, releaseKey, type BoundTemplate, type FuzzyCommitmentParams } from '../../src/index.js';
import {
  Keyring, MemoryTemplateStore, openBoundTemplate, openTemplate, readRecordHeader, sealTemplate, type RecordFailure, type TemplateStore,
} from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, newRing, secret, Templates, throwsCode } from './_support.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('bound-records');
const T = new Templates('bound-records');
const params: FuzzyCommitmentParams = { scheme: 'fuzzy-commitment', dim: 64, m: 8, t: 18, r: 4 };
const appKey = secret(rng.bytes(32));
const dir = mkdtempSync(join(tmpdir(), 'templock-bound-'));
let files = 0;

/** A resident: an embedding, its bound template and the key it released. */
function resident(): { x: Float32Array; template: BoundTemplate; key: Uint8Array } {
  const x = rng.unitVector(params.dim);
  const { template, key } = bindKey(x, params, appKey, secret(rng.bytes(16)));
  secret(template.helper);
  secret(key);
  return { x, template, key };
}

const sameBound = (a: BoundTemplate, b: BoundTemplate) => assert.equal(encodeBoundTemplate(a), encodeBoundTemplate(b));

const KINDS: Record<string, (ring: Keyring) => TemplateStore> = {
  memory: (keyring) => new MemoryTemplateStore({ keyring, tenant: 'acme' }),
  sqlite: (keyring) => openSqliteStore(join(dir, `b${files++}.db`), { keyring, tenant: 'acme', durability: 'normal' }),
};

for (const [kind, make] of Object.entries(KINDS)) {
  test(`${kind}: a bound template is stored, read back and still releases its key; the kinds are kept apart`, () => {
    const store = make(newRing());
    const alice = resident();
    const protectedOne = T.make();
    store.put('alice', alice.template, 'door-key');
    store.put('alice', protectedOne);
    const back = store.getBound('alice', 'door-key');
    sameBound(back, alice.template);
    const released = releaseKey(alice.x, back, appKey);
    assert.ok(released.accepted);
    assert.equal(released.key, alice.key);
    throwsCode(() => store.get('alice', 'door-key'), 'INCOMPATIBLE', 'get of a bound record');
    throwsCode(() => store.getBound('alice'), 'INCOMPATIBLE', 'getBound of a protected record');
    store.close();
  });

  test(`${kind}: boundEntries yields the bound records of a purpose; entries() reports them INCOMPATIBLE`, () => {
    const store = make(newRing());
    const people = Array.from({ length: 5 }, resident);
    store.putMany(people.map((p, i) => ({ subjectId: `r${i}`, template: p.template, purpose: 'door-key' })));
    store.put('r0', T.make());
    const got = [...store.boundEntries({ purpose: 'door-key' })];
    assert.equal(got.map((e) => e.subjectId).sort(), ['r0', 'r1', 'r2', 'r3', 'r4']);
    for (const e of got) sameBound(e.template, people[Number(e.subjectId.slice(1))]!.template);
    const failures: RecordFailure[] = [];
    assert.is([...store.entries({ purpose: 'door-key', onFailure: (f) => failures.push(f) })].length, 0);
    assert.equal(failures.map((f) => f.code), Array(5).fill('INCOMPATIBLE'));
    throwsCode(() => [...store.boundEntries()], 'INCOMPATIBLE', 'boundEntries over every purpose meets the protected record');
    store.close();
  });

  test(`${kind}: revocation, verify() and re-wrap cover bound records`, () => {
    const ring = newRing();
    const store = make(ring);
    const a = resident(), b = resident();
    store.put('a', a.template, 'door-key');
    store.put('b', b.template, 'door-key');
    assert.ok(store.verify().ok);
    ring.rotate();
    const report = store.rewrap();
    assert.is(report.failures.length, 0);
    assert.is(report.rewrapped, 2);
    sameBound(store.getBound('b', 'door-key'), b.template);
    store.revokeSubject('b');
    throwsCode(() => store.getBound('b', 'door-key'), 'REVOKED', 'revoked subject');
    assert.equal([...store.boundEntries({ purpose: 'door-key' })].map((e) => e.subjectId), ['a']);
    store.close();
  });
}

test('sqlite: an old bound record written back by a writer without the key is ROLLBACK', () => {
  const path = join(dir, 'rollback.db');
  const store = openSqliteStore(path, { keyring: newRing(), tenant: 'acme', durability: 'normal' });
  const a = resident();
  store.put('a', a.template, 'door-key');
  const raw = new Database(path);
  const old = raw.prepare('SELECT * FROM records WHERE subject = ?').get('a');
  store.put('a', resident().template, 'door-key');
  raw.prepare('INSERT OR REPLACE INTO records (subject, purpose, key_id, salt_id, record, updated_at) VALUES (@subject, @purpose, @key_id, @salt_id, @record, @updated_at)').run(old);
  raw.close();
  throwsCode(() => store.getBound('a', 'door-key'), 'ROLLBACK', 'old record written back');
  const failures: RecordFailure[] = [];
  assert.is([...store.boundEntries({ purpose: 'door-key', onFailure: (f) => failures.push(f) })].length, 0);
  assert.equal(failures.map((f) => f.code), ['ROLLBACK']);
  store.close();
});

test('sealTemplate / openBoundTemplate: round trip, header without a key, kinds refused, tampering', () => {
  const ring = newRing();
  const { x, template, key } = resident();
  const context = { tenant: 'acme', subjectId: 'alice', purpose: 'door-key' };
  const record = sealTemplate(ring, template, context);
  const header = readRecordHeader(record);
  assert.equal(header.params, params);
  sameBound(openBoundTemplate(ring, record, context), template);
  assert.equal(releaseKey(x, openBoundTemplate(ring, record, context), appKey).key, key);
  throwsCode(() => openTemplate(ring, record, context), 'INCOMPATIBLE', 'openTemplate of a bound record');
  throwsCode(() => openBoundTemplate(ring, sealTemplate(ring, T.make(), context), context), 'INCOMPATIBLE', 'openBoundTemplate of a protected record');
  throwsCode(() => openBoundTemplate(ring, record, { ...context, subjectId: 'bob' }), 'DECRYPT_FAILED', 'another context');
  for (const at of [100, record.length - 40, record.length - 1]) {
    const bad = Uint8Array.from(record);
    bad[at]! ^= 1;
    throwsCode(() => openBoundTemplate(ring, bad, context), 'DECRYPT_FAILED', `bit flipped at ${at}`);
  }
});

test('no error message carries a key, salt, helper byte or released key', () => {
  assertNoSecretInMessages();
  rmSync(dir, { recursive: true, force: true });
});

test.run();
