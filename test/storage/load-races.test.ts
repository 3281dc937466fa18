// Loads racing with rotation and revocation, on both stores and in all four load modes
// (entries(), openEntries() on one and two threads): the README's rotation recipe run in the
// middle of a load loses no record; a subject or salt revoked while a load runs is not yielded
// after the revocation; syncRevocations() applies revocations that reach the store after a
// Gallery's load (subject, salt, revoked-then-reinstated, deleted) and costs nothing when there
// are none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Gallery, init } from '../../src/match/index.js';
import { Keyring, MemoryTemplateStore, syncRevocations, type TemplateStore, type StoredTemplate, type RecordFailure } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { assertNoSecretInMessages, newRing, secret, Templates, throwsCode } from './_support.js';

const T = new Templates('storage-load-races');
const dir = mkdtempSync(join(tmpdir(), 'templock-load-races-'));
let files = 0;
const RECORDS = 1000;



const KINDS: Record<string, (ring: Keyring) => TemplateStore> = {
  memory: (keyring) => new MemoryTemplateStore({ keyring, tenant: 'acme' }),
  sqlite: (keyring) => openSqliteStore(join(dir, `s${files++}.db`), { keyring, tenant: 'acme', durability: 'normal' }),
};

type Mode = 'entries' | 'openEntries/1' | 'openEntries/2';
const MODES: Mode[] = ['entries', 'openEntries/1', 'openEntries/2'];

/** Runs a load in `mode`, calling `during(i)` after the i-th yielded record; collects what came out. */
async function load(store: TemplateStore, mode: Mode, during: (i: number) => void): Promise<{ ids: string[]; failures: RecordFailure[] }> {
  const ids: string[] = [];
  const failures: RecordFailure[] = [];
  const onFailure = (f: RecordFailure) => failures.push(f);
  const take = (e: StoredTemplate) => { ids.push(e.subjectId); during(ids.length); };
  if (mode === 'entries') for (const e of store.entries({ onFailure })) take(e);
  else for await (const e of store.openEntries({ onFailure, threads: mode === 'openEntries/1' ? 1 : 2 })) take(e);
  return { ids, failures };
}

for (const [kind, make] of Object.entries(KINDS)) {
  for (const mode of MODES) {
    test(`${kind}, ${mode}: rotate + rewrap + disable of the old key during the load loses no record`, async () => {
      const ring = newRing();
      const store = make(ring);
      store.putMany(T.population(RECORDS).map((template, i) => ({ subjectId: `s${i}`, template })));
      const { ids, failures } = await load(store, mode, (i) => {
        if (i !== 10) return;
        const old = ring.primaryId;
        ring.rotate();
        for (const e of ring._entries()) if (e.material) secret(e.material);
        assert.is(store.rewrap().rewrapped, RECORDS);
        ring.disable(old);
      });
      assert.equal(failures, [], 'no record failed');
      assert.equal(ids, Array.from({ length: RECORDS }, (_, i) => `s${i}`));
      store.close();
    });

    test(`${kind}, ${mode}: subjects and a salt revoked during the load are not yielded after the revocation`, async () => {
      const store = make(newRing());
      store.putMany(T.population(RECORDS).map((template, i) => ({ subjectId: `s${i}`, template })));
      const other = T.make();
      store.putMany(Array.from({ length: 30 }, (_, i) => ({ subjectId: `o${i}`, template: { ...other, payload: T.rng.bytes(other.payload.length) } })));
      const revoked = Array.from({ length: 30 }, (_, i) => `s${900 + i}`);
      const { ids, failures } = await load(store, mode, (i) => {
        if (i !== 5) return;
        for (const id of revoked) store.revokeSubject(id);
        store.revokeSalt(other.salt);
      });
      assert.equal(failures, []);
      assert.is(ids.length, RECORDS - revoked.length);
      assert.not.ok(ids.some((id) => revoked.includes(id) || id.startsWith('o')), 'a revoked subject was yielded');
      store.close();
    });
  }

  test(`${kind}: a revocation made by another store object on the same data during a load wins too`, async () => {
    if (kind !== 'sqlite') return;
    const ring = newRing();
    const path = join(dir, `shared${files++}.db`);
    const store = openSqliteStore(path, { keyring: ring, tenant: 'acme', durability: 'normal' });
    const desk = openSqliteStore(path, { keyring: ring, tenant: 'acme', durability: 'normal' });
    store.putMany(T.population(RECORDS).map((template, i) => ({ subjectId: `s${i}`, template })));
    const { ids } = await load(store, 'openEntries/2', (i) => { if (i === 3) desk.revokeSubject('s999'); });
    assert.is(ids.length, RECORDS - 1);
    assert.not.ok(ids.includes('s999'));
    desk.close();
    store.close();
  });

  test(`${kind}: syncRevocations() keeps a loaded Gallery in step with the store`, async () => {
    await init();
    const store = make(newRing());
    const templates = T.population(50);
    store.putMany(templates.map((template, i) => ({ subjectId: `s${i}`, template })));
    let seq = store.revocationSeq();
    const gallery = new Gallery(templates[0]!);
    for (const { subjectId, template } of store.entries()) gallery.add(subjectId, template);
    // Nothing changed: one cheap read, nothing removed.
    assert.equal(syncRevocations(store, gallery, { since: seq }), { removed: [], seq });
    store.revokeSubject('s3');
    store.revokeSubject('s4');
    assert.ok(store.reinstateSubject('s4'), 'revoked then reinstated before the sync: its old template is gone all the same');
    store.delete('s5');
    ({ seq } = syncRevocations(store, gallery, { since: seq }));
    assert.not.ok(gallery.has('s3') || gallery.has('s4'));
    assert.is(gallery.size, 47, 'the deleted subject goes too once a sync runs');
    assert.not.ok(gallery.has('s5'));
    // A probe equal to s3's template no longer finds s3.
    assert.not.ok(gallery.identify(templates[3]!, { k: 5, threshold: 0.99 }).some((c) => c.id === 's3'));
    store.revokeSalt(templates[0]!.salt);
    const all = syncRevocations(store, gallery, { since: seq });
    assert.is(all.removed.length, 47);
    assert.is(gallery.size, 0);
    assert.ok(all.seq > seq);
    throwsCode(() => syncRevocations(store, gallery, { since: -1 }), RangeError);
    throwsCode(() => syncRevocations(store, gallery, { purpose: '' }), RangeError);
    throwsCode(() => syncRevocations(store, gallery, null as never), TypeError);
    gallery.close();
    store.close();
  });

  test(`${kind}: revocationSeq() grows on revocation and reinstatement only`, () => {
    const store = make(newRing());
    const s0 = store.revocationSeq();
    store.put('a', T.make());
    assert.is(store.revocationSeq(), s0, 'a put is not a revocation');
    store.revokeSubject('a');
    const s1 = store.revocationSeq();
    assert.ok(s1 > s0);
    store.revokeSubject('a');
    assert.is(store.revocationSeq(), s1, 'revoking again changes nothing');
    store.reinstateSubject('a');
    assert.ok(store.revocationSeq() > s1);
    store.close();
  });
}

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 0);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
