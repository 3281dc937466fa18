// AccessControl over both stores: decisions only; N failures lock a subject or a source out
// before any matching (no record opened, no gallery searched); back-off doubles, then lock-out
// until unlock(); a success clears the subject; failures are forgotten after the window; a
// source is limited across subjects; identify confirms candidates against the store (revoked
// ones are not accepted); the audit log has the right outcomes, no score, and is bounded and
// prunable; lock-outs and the log survive closing and reopening a SQLite file; bad options are
// typed errors.
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTemplockError, protect, type ProtectedTemplate } from '../../src/index.js';
import { Gallery, init } from '../../src/match/index.js';
import {
  AccessControl, DEFAULT_ATTEMPT_POLICY, Keyring, MemoryTemplateStore, type AccessControlOptions, type RankingGallery, type TemplateStore,
} from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { PARAMS } from './_support.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('storage-access-control');
const dir = mkdtempSync(join(tmpdir(), 'templock-access-'));
let files = 0;
const dbPath = () => join(dir, `a${files++}.db`);
const appKey = rng.bytes(32), salt = rng.bytes(16);
const params = PARAMS.sign;
const THRESHOLD = 0.8;

/** A subject's face: its enrolled template and a template of somebody else (same salt). */
function face(): { enrolled: ProtectedTemplate; impostor: ProtectedTemplate } {
  return { enrolled: protect(rng.unitVector(params.dim), params, appKey, salt), impostor: protect(rng.unitVector(params.dim), params, appKey, salt) };
}

/** A store that counts the records it opens (to prove that a refusal matches nothing). */
function counting(store: TemplateStore): { store: TemplateStore; gets: () => number } {
  let gets = 0;
  const proxy = new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (prop === 'get') return (...args: unknown[]) => { gets++; return (v as (...a: unknown[]) => unknown).apply(target, args); };
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: proxy, gets: () => gets };
}

class Clock {
  now = 1_700_000_000_000;
  readonly fn = () => this.now;
}

const KINDS: Record<string, (ring: Keyring, path?: string) => TemplateStore> = {
  memory: (keyring) => new MemoryTemplateStore({ keyring, tenant: 'acme' }),
  sqlite: (keyring, path = dbPath()) => openSqliteStore(path, { keyring, tenant: 'acme', durability: 'normal' }),
};

function lockedOut(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(isTemplockError(e, 'LOCKED_OUT'), String(e));
    return (e as Error).message;
  }
  assert.unreachable('expected LOCKED_OUT');
  return '';
}

for (const [kind, make] of Object.entries(KINDS)) {
  test(`${kind}: decisions only; 5 failures put the subject in back-off, no record opened while refused`, () => {
    const clock = new Clock();
    const { store, gets } = counting(make(Keyring.generate()));
    const a = face();
    store.put('alice', a.enrolled);
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn });
    const ok = access.verify('alice', a.enrolled, { source: 'gate-1' });
    assert.equal(ok, { accepted: true });
    assert.equal(Object.keys(ok), ['accepted']);
    for (let i = 0; i < 5; i++) assert.equal(access.verify('alice', a.impostor, { source: `gate-${i}` }), { accepted: false });
    const before = gets();
    assert.match(lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate-9' })), /try again in 1 s$/);
    assert.is(gets(), before, 'no record opened while in back-off');
    clock.now += 1000;
    assert.equal(access.verify('alice', a.enrolled, { source: 'gate-9' }), { accepted: true });
    assert.is(access.attempts({ subjectId: 'alice' }), undefined, 'a success clears the subject');
    store.close();
  });

  test(`${kind}: back-off doubles per failure, then lock-out until unlock()`, () => {
    const clock = new Clock();
    const store = make(Keyring.generate());
    const a = face();
    store.put('alice', a.enrolled);
    const policy = { maxFailures: 3, backoffBaseMs: 1000, backoffMaxMs: 5000, lockoutAfter: 4 };
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn, policy, sourcePolicy: { maxFailures: 1000 } });
    for (let i = 0; i < 2; i++) access.verify('alice', a.impostor, { source: 'gate' });
    assert.is(access.attempts({ subjectId: 'alice' })!.blockedUntil, 0);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      access.verify('alice', a.impostor, { source: 'gate' });
      const s = access.attempts({ subjectId: 'alice' })!;
      waits.push(s.blockedUntil - clock.now);
      lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate' }));
      clock.now = s.blockedUntil;
    }
    assert.equal(waits, [1000, 2000, 4000, 5000]);
    access.verify('alice', a.impostor, { source: 'gate' });
    assert.ok(access.attempts({ subjectId: 'alice' })!.locked);
    clock.now += 365 * 86_400_000;
    assert.match(lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate' })), /operator/);
    assert.is(access.unlock({ subjectId: 'alice' }), true);
    assert.is(access.unlock({ subjectId: 'alice' }), false);
    assert.equal(access.verify('alice', a.enrolled, { source: 'gate' }), { accepted: true });
    store.close();
  });

  test(`${kind}: a success resets the subject; failures are forgotten after the window`, () => {
    const clock = new Clock();
    const store = make(Keyring.generate());
    const a = face();
    store.put('alice', a.enrolled);
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn, sourcePolicy: { maxFailures: 1000 } });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) access.verify('alice', a.impostor, { source: 'gate' });
      assert.equal(access.verify('alice', a.enrolled, { source: 'gate' }), { accepted: true });
    }
    for (let i = 0; i < 4; i++) access.verify('alice', a.impostor, { source: 'gate' });
    clock.now += DEFAULT_ATTEMPT_POLICY.windowMs + 1;
    access.verify('alice', a.impostor, { source: 'gate' });
    assert.is(access.attempts({ subjectId: 'alice' })!.failures, 1, 'the window passed: counting starts again');
    store.close();
  });

  test(`${kind}: a source is limited across subjects, other sources are not`, () => {
    const clock = new Clock();
    const { store, gets } = counting(make(Keyring.generate()));
    const faces = Array.from({ length: 6 }, face);
    faces.forEach((f, i) => store.put(`s${i}`, f.enrolled));
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn });
    for (let i = 0; i < 4; i++) access.verify(`s${i}`, faces[i]!.impostor, { source: 'camera-7' });
    assert.throws(() => access.verify('nobody', faces[0]!.enrolled, { source: 'camera-7' }), (e: unknown) => isTemplockError(e, 'NOT_FOUND'));
    const before = gets();
    lockedOut(() => access.verify('s5', faces[5]!.enrolled, { source: 'camera-7' }));
    assert.is(gets(), before);
    assert.equal(access.verify('s5', faces[5]!.enrolled, { source: 'camera-8' }), { accepted: true });
    for (let i = 0; i < 4; i++) assert.is(access.attempts({ subjectId: `s${i}` })!.failures, 1);
    assert.is(access.attempts({ source: 'camera-7' })!.failures, 5);
    store.close();
  });

  test(`${kind}: identify accepts a confirmed candidate, counts rejections against the source, skips revoked subjects`, async () => {
    await init();
    const clock = new Clock();
    const store = make(Keyring.generate());
    const faces = Array.from({ length: 5 }, face);
    faces.forEach((f, i) => store.put(`s${i}`, f.enrolled));
    const gallery = new Gallery(faces[0]!.enrolled);
    for (const { subjectId, template } of store.entries()) gallery.add(subjectId, template);
    let searches = 0;
    const counted: RankingGallery = {
      get size() { return gallery.size; }, saltId: gallery.saltId, list: () => gallery.list(), removeMany: (ids) => gallery.removeMany(ids),
      identify: (p, o) => { searches++; return gallery.identify(p, o); },
    };
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn, sourcePolicy: { maxFailures: 3 } });
    const hit = access.identify(faces[2]!.enrolled, { source: 'lobby', gallery: counted });
    assert.equal(hit, { accepted: true, subjectId: 's2', rank: 1 });
    assert.equal(Object.keys(access.identify(faces[4]!.impostor, { source: 'lobby', gallery: counted })), ['accepted']);
    store.revokeSubject('s3');
    assert.equal(access.identify(faces[3]!.enrolled, { source: 'lobby', gallery: counted, k: 5 }), { accepted: false }, 'revoked after the load');
    assert.not.ok(gallery.list().includes('s3'), 'the revocation reached the gallery');
    access.identify(faces[1]!.impostor, { source: 'lobby', gallery: counted });
    const before = searches;
    lockedOut(() => access.identify(faces[0]!.enrolled, { source: 'lobby', gallery: counted }));
    assert.is(searches, before, 'no search while the source is refused');
    assert.equal(access.identify(faces[0]!.enrolled, { source: 'door', gallery: [counted] }), { accepted: true, subjectId: 's0', rank: 1 });
    // A subject locked out through verify is not let in through identify either.
    for (let i = 0; i < 30 && !access.attempts({ subjectId: 's1' })?.locked; i++) {
      try { access.verify('s1', faces[1]!.impostor, { source: `v${i}` }); } catch (e) { assert.ok(isTemplockError(e, 'LOCKED_OUT')); clock.now += 60_000; }
    }
    assert.ok(access.attempts({ subjectId: 's1' })!.locked);
    lockedOut(() => access.identify(faces[1]!.enrolled, { source: 'door', gallery: counted }));
    assert.is(access.audit().at(-1)!.subjectId, 's1');
    store.revokeSalt(salt);
    assert.equal(access.identify(faces[0]!.enrolled, { source: 'door', gallery: counted }), { accepted: false });
    assert.is(gallery.size, 0, 'a revoked salt empties its gallery');
    gallery.close();
    store.close();
  });

  test(`${kind}: the audit log has one entry per decision, the right outcomes and no score; bounded and prunable`, () => {
    const clock = new Clock();
    const store = make(Keyring.generate());
    const a = face();
    store.put('alice', a.enrolled);
    store.put('bob', face().enrolled);
    store.revokeSubject('bob');
    const access = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn, policy: { maxFailures: 1 }, sourcePolicy: {} });
    const t0 = clock.now;
    access.verify('alice', a.enrolled, { source: 'gate' }); clock.now++;
    access.verify('alice', a.impostor, { source: 'gate' }); clock.now++;
    lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate' })); clock.now++;
    assert.throws(() => access.verify('bob', a.enrolled, { source: 'gate' }), (e: unknown) => isTemplockError(e, 'REVOKED')); clock.now++;
    assert.throws(() => access.verify('carol', a.enrolled, { source: 'gate' }), (e: unknown) => isTemplockError(e, 'NOT_FOUND'));
    const log = access.audit();
    assert.equal(log.map((e) => [e.action, e.subjectId, e.source, e.outcome, e.at - t0]), [
      ['verify', 'alice', 'gate', 'accepted', 0],
      ['verify', 'alice', 'gate', 'rejected', 1],
      ['verify', 'alice', 'gate', 'locked_out', 2],
      ['verify', 'bob', 'gate', 'revoked', 3],
      ['verify', 'carol', 'gate', 'not_found', 4],
    ]);
    for (const e of log) assert.equal(Object.keys(e).sort(), ['action', 'at', 'seq', 'source', 'subjectId', 'outcome'].sort());
    assert.equal(log.map((e) => e.seq), [...log.map((e) => e.seq)].sort((x, y) => x - y));
    assert.equal(access.audit({ limit: 2 }), log.slice(3));
    assert.equal(access.audit({ since: t0 + 3 }), log.slice(3));
    assert.is(access.pruneAudit({ before: t0 + 2 }), 2);
    assert.equal(access.audit(), log.slice(2));
    const bounded = new AccessControl({ store, threshold: THRESHOLD, clock: clock.fn, auditMaxEntries: 2 });
    clock.now += 2000;
    bounded.verify('alice', a.enrolled, { source: 'other' });
    assert.equal(bounded.audit().map((e) => [e.seq, e.source, e.outcome]), [[log.at(-1)!.seq, 'gate', 'not_found'], [log.at(-1)!.seq + 1, 'other', 'accepted']]);
    store.close();
  });
}

test('sqlite: back-off, lock-out and the audit log survive closing and reopening the file', () => {
  const clock = new Clock();
  const path = dbPath();
  const ring = Keyring.generate();
  const a = face();
  let store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  store.put('alice', a.enrolled);
  const options = (s: TemplateStore): AccessControlOptions => ({ store: s, threshold: THRESHOLD, clock: clock.fn, policy: { maxFailures: 2, lockoutAfter: 1 } });
  let access = new AccessControl(options(store));
  access.verify('alice', a.impostor, { source: 'gate' });
  access.verify('alice', a.impostor, { source: 'gate' });
  store.close();
  store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  access = new AccessControl(options(store));
  lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate' }));
  clock.now += 1000;
  access.verify('alice', a.impostor, { source: 'gate' });
  store.close();
  store = openSqliteStore(path, { keyring: ring, tenant: 'acme' });
  access = new AccessControl(options(store));
  assert.ok(access.attempts({ subjectId: 'alice' })!.locked);
  clock.now += 86_400_000;
  lockedOut(() => access.verify('alice', a.enrolled, { source: 'gate' }));
  assert.equal(access.audit().map((e) => e.outcome), ['rejected', 'rejected', 'locked_out', 'rejected', 'locked_out']);
  store.close();
});

test('sqlite: a record written back behind the store is refused, logged as tampered, and no decision is made', async () => {
  await init();
  const path = dbPath();
  const store = openSqliteStore(path, { keyring: Keyring.generate(), tenant: 'acme', durability: 'normal' });
  const old = face(), current = face();
  store.put('bob', old.enrolled);
  const db = new Database(path);
  const stolen = db.prepare(`SELECT * FROM records WHERE subject = 'bob'`).get() as Record<string, unknown>;
  store.put('bob', current.enrolled);
  const gallery = new Gallery(current.enrolled);
  gallery.add('bob', current.enrolled);
  db.prepare(`INSERT OR REPLACE INTO records (subject, purpose, key_id, salt_id, record, updated_at)
    VALUES (@subject, @purpose, @key_id, @salt_id, @record, @updated_at)`).run(stolen);
  db.close();
  const access = new AccessControl({ store, threshold: THRESHOLD });
  for (const run of [() => access.verify('bob', old.enrolled, { source: 'gate' }), () => access.identify(current.enrolled, { source: 'gate', gallery })]) {
    try {
      run();
      assert.unreachable('a written-back record must not give a decision');
    } catch (e) {
      assert.ok(isTemplockError(e, 'ROLLBACK'), String(e));
    }
  }
  assert.equal(access.audit().map((e) => [e.action, e.subjectId, e.outcome]), [['verify', 'bob', 'tampered'], ['identify', 'bob', 'tampered']]);
  assert.is(access.attempts({ source: 'gate' }), undefined, 'tampering by a file writer is not charged to the source');
  gallery.close();
  store.close();
});

test('bad options and arguments are typed errors', () => {
  const store = new MemoryTemplateStore({ keyring: Keyring.generate(), tenant: 'acme' });
  const a = face();
  store.put('alice', a.enrolled);
  const make = (o: Partial<AccessControlOptions>) => () => new AccessControl({ store, threshold: 0.5, ...o } as AccessControlOptions);
  for (const policy of [
    { maxFailures: 0 }, { maxFailures: 1.5 }, { windowMs: 10 }, { backoffBaseMs: 0 }, { backoffMaxMs: 500 },
    { backoffMaxMs: DEFAULT_ATTEMPT_POLICY.windowMs + 1 }, { lockoutAfter: -1 }, { windowMs: Number.NaN },
  ]) {
    assert.throws(make({ policy }), RangeError, JSON.stringify(policy));
    assert.throws(make({ sourcePolicy: policy }), RangeError, JSON.stringify(policy));
  }
  assert.throws(make({ policy: 'strict' as never }), TypeError);
  assert.throws(make({ policy: { maxFailures: '5' } as never }), TypeError);
  assert.throws(make({ threshold: 1.5 }), RangeError);
  assert.throws(make({ store: {} as never }), TypeError);
  assert.throws(make({ auditMaxEntries: 0 }), RangeError);
  assert.throws(make({ clock: 5 as never }), TypeError);
  const access = new AccessControl({ store, threshold: 0.5 });
  assert.throws(() => access.verify('alice', a.enrolled, {} as never), TypeError);
  assert.throws(() => access.verify('alice', a.enrolled, { source: '' }), RangeError);
  assert.throws(() => access.verify('', a.enrolled, { source: 'gate' }), RangeError);
  assert.throws(() => access.identify(a.enrolled, { source: 'gate', gallery: [] }), RangeError);
  assert.throws(() => access.identify([a.enrolled, a.enrolled], { source: 'gate', gallery: { size: 0, saltId: '', list: () => [], removeMany: () => 0, identify: () => [] } }), RangeError);
  assert.throws(() => access.audit({ limit: 0 }), RangeError);
  assert.throws(() => access.unlock({} as never), TypeError);
  assert.throws(() => access.unlock({ subjectId: 'a', source: 'b' } as never), TypeError);
  assert.equal(access.audit(), [], 'argument errors are not decisions');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
