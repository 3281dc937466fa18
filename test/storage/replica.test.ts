// The terminal replica (src/storage/sqlite/replica.ts) against an in-memory change feed, on real
// SQLite files: changes applied in order to the local store and the galleries (incrementally,
// the same Gallery objects), a revocation refused through AccessControl as soon as it is
// applied, records that do not open refused rather than kept, a feed breaking its contract
// refused, the server down (stale after the configured time, still answering, caught up and
// subscribed again on its return), wake-ups without polling, and a terminal killed with SIGKILL
// mid-sync resuming with no gap and nothing applied twice.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, protect, type ProtectedTemplate } from '../../src/index.js';
import { AccessControl, exportKeyring, Keyring, localKeyWrapper, readRecordHeader, saltId, sealTemplate } from '../../src/storage/index.js';
import { openReplica, openSqliteStore, type ReplicaEvent, type SqliteTemplateStore, type TerminalReplica } from '../../src/storage/sqlite/index.js';
import { MemoryChangeFeed } from '../_lib/memory-feed.js';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { deskWrites, isRevoked, REVOKED_AFTER_ROUND, ROUNDS, SUBJECTS, TENANT } from './_replica-desk.js';
import { assertNoSecretInMessages, bytesToHex, newRing, PARAMS, noteError, rejectsCode, Templates, throwsCode } from './_support.js';

const dir = mkdtempSync(join(tmpdir(), 'templock-replica-'));
const THRESHOLD = 0.9;
let n = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const enc = (t: ProtectedTemplate) => bytesToHex(encodeTemplate(t));

interface Terminal {
  feed: MemoryChangeFeed;
  store: SqliteTemplateStore;
  replica: TerminalReplica;
  events: ReplicaEvent[];
  access: AccessControl;
  ring: Keyring;
  path: string;
}

async function terminal(options: { feed?: MemoryChangeFeed; ring?: Keyring; staleAfterMs?: number; pollIntervalMs?: number; batchSize?: number; path?: string } = {}): Promise<Terminal> {
  const ring = options.ring ?? options.feed?.keyring ?? newRing();
  const feed = options.feed ?? new MemoryChangeFeed(ring, TENANT);
  const path = options.path ?? join(dir, `t${n++}.db`);
  const store = openSqliteStore(path, { keyring: ring, tenant: TENANT });
  const events: ReplicaEvent[] = [];
  const replica = await openReplica({ feed, store, staleAfterMs: options.staleAfterMs, pollIntervalMs: options.pollIntervalMs, batchSize: options.batchSize, onEvent: (e) => events.push(e) });
  return { feed, store, replica, events, access: new AccessControl({ store, threshold: THRESHOLD }), ring, path };
}

async function close(t: Terminal): Promise<void> {
  await t.replica.stop();
  t.replica.close();
  t.store.close();
}

/** The subject identified for `probe` by the terminal (undefined: refused). */
function identified(t: Terminal, probe: ProtectedTemplate): string | undefined {
  const galleries = t.replica.galleries().filter((g) => g.saltId === saltId(probe.salt) && JSON.stringify(g.params) === JSON.stringify(probe.params));
  if (galleries.length === 0) return undefined;
  return t.access.identify(probe, { source: 'gate', gallery: galleries }).subjectId;
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.unreachable(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

test('changes are applied in order to the local store and the galleries; the seq survives a reopen', async () => {
  const T = new Templates('replica-order');
  const [a, b, c, a2] = T.population(4);
  const t = await terminal();
  t.feed.put('a', a!);
  t.feed.put('b', b!);
  t.feed.put('c', c!);
  t.feed.put('a', a2!); // re-enrolment
  t.feed.put('b', b!, 'door'); // another purpose: replicated, not in the access gallery
  t.feed.delete('c');
  assert.is(await t.replica.syncOnce(), 6);
  assert.is(t.replica.seq, 6);
  assert.equal(t.store.list().map((r) => `${r.subjectId}/${r.purpose}`).sort(), ['a/access', 'b/access', 'b/door']);
  assert.is(enc(t.store.get('a')), enc(a2!));
  assert.equal(t.replica.galleries().flatMap((g) => g.list()).sort(), ['a', 'b']);
  assert.is(identified(t, a2!), 'a');
  assert.is(identified(t, c!), undefined);
  assert.ok(t.store.verify().ok);
  const last = t.events.at(-1)!;
  assert.equal(last.type === 'applied' && { seq: last.seq, changes: last.changes, added: [...last.added].sort(), removed: last.removed }, { seq: 6, changes: 6, added: ['a', 'b'], removed: [] });
  assert.is(await t.replica.syncOnce(), 0);
  await close(t);
  const again = await terminal({ feed: t.feed, path: t.path });
  assert.is(again.replica.seq, 6, 'the last sequence applied is read back');
  assert.equal(again.replica.galleries().flatMap((g) => g.list()).sort(), ['a', 'b'], 'the galleries are loaded from the replica');
  assert.is(await again.replica.syncOnce(), 0, 'nothing is applied twice');
  await close(again);
});

test('a revocation is refused through AccessControl as soon as it is applied, in the same galleries (no reload)', async () => {
  const T = new Templates('replica-revoke');
  const people = T.population(20);
  const t = await terminal();
  people.forEach((p, i) => t.feed.put(`p${i}`, p));
  await t.replica.syncOnce();
  const [gallery] = t.replica.galleries();
  assert.is(identified(t, people[7]!), 'p7');
  t.feed.revokeSubject('p7');
  assert.is(identified(t, people[7]!), 'p7', 'not applied yet: the replica still answers as before');
  await t.replica.syncOnce();
  assert.is(identified(t, people[7]!), undefined, 'refused once applied');
  throwsCode(() => t.access.verify('p7', people[7]!, { source: 'gate' }), 'REVOKED');
  assert.is(t.replica.galleries()[0], gallery, 'the same gallery, changed in place');
  assert.is(gallery!.size, 19);
  assert.is(identified(t, people[8]!), 'p8');
  // Reinstated and re-enrolled at the desk: accepted again.
  t.feed.reinstateSubject('p7');
  t.feed.put('p7', people[7]!);
  await t.replica.syncOnce();
  assert.is(identified(t, people[7]!), 'p7');
  assert.is(t.replica.galleries()[0], gallery);
  await close(t);
});

test('a salt revocation drops its gallery; the other epoch stays', async () => {
  const T = new Templates('replica-salt');
  const [old1, old2] = T.population(2);
  const [new1] = T.population(1);
  const t = await terminal();
  t.feed.put('x', old1!);
  t.feed.put('y', old2!);
  t.feed.put('z', new1!);
  await t.replica.syncOnce();
  assert.is(t.replica.galleries().length, 2);
  t.feed.revokeSalt(old1!.salt);
  await t.replica.syncOnce();
  assert.equal(t.replica.galleries().map((g) => g.list()), [['z']]);
  assert.equal(t.store.list().map((r) => r.subjectId), ['z']);
  const last = t.events.at(-1)!;
  assert.equal(last.type === 'applied' && [...last.removed].sort(), ['x', 'y']);
  await close(t);
});

test('templates of one salt but other parameters go to a gallery of their own', async () => {
  const T = new Templates('replica-params');
  const [a] = T.population(1);
  const b = protect(T.rng.unitVector(PARAMS['iom-grp'].dim), PARAMS['iom-grp'], T.appKey, a!.salt);
  const t = await terminal();
  t.feed.put('a', a!);
  t.feed.put('b', b);
  await t.replica.syncOnce();
  assert.equal(t.replica.galleries().map((g) => g.list()), [['a'], ['b']]);
  assert.is(identified(t, b), 'b');
  t.feed.revokeSalt(a!.salt);
  await t.replica.syncOnce();
  assert.is(t.replica.galleries().length, 0, 'a salt revocation drops every gallery of that salt');
  await close(t);
});

test('a put whose record does not open is refused: the subject\'s local record goes, later changes still apply', async () => {
  const T = new Templates('replica-tamper');
  const [a, a2, b] = T.population(3);
  const t = await terminal();
  t.feed.put('a', a!);
  await t.replica.syncOnce();
  const foreign = sealTemplate(newRing(), a2!, { tenant: TENANT, subjectId: 'a', purpose: 'access' });
  const otherSubject = sealTemplate(t.ring, a2!, { tenant: TENANT, subjectId: 'b', purpose: 'access' });
  t.feed.putRecord('a', foreign);
  t.feed.putRecord('a', otherSubject); // a record of b moved to a: its context does not match
  t.feed.put('b', b!);
  await t.replica.syncOnce();
  assert.is(t.replica.seq, 4);
  const applied = t.events.at(-1)!;
  assert.equal(applied.type === 'applied' && applied.failures.map((f) => [f.seq, f.subjectId, f.code]), [[2, 'a', 'UNKNOWN_KEY_ID'], [3, 'a', 'DECRYPT_FAILED']]);
  assert.equal(t.store.list().map((r) => r.subjectId), ['b']);
  assert.is(identified(t, a!), undefined);
  assert.is(identified(t, b!), 'b');
  assert.ok(t.store.verify().ok);
  await close(t);
});

test('a feed that breaks its contract is refused with MALFORMED and nothing of the batch is applied', async () => {
  const T = new Templates('replica-malformed');
  const [a] = T.population(1);
  const t = await terminal();
  t.feed.put('a', a!);
  t.feed.changes.push({ ...t.feed.changes[0]!, seq: 1 }); // a sequence repeated
  await rejectsCode(() => t.replica.syncOnce(), 'MALFORMED');
  assert.is(t.replica.seq, 0);
  assert.is(t.store.count(), 0);
  t.feed.changes.pop();
  t.feed.changes.push({ seq: 2, kind: 'put', subjectId: 'b', purpose: 'access' }); // a put without a record
  await rejectsCode(() => t.replica.syncOnce(), 'MALFORMED');
  assert.is(t.store.count(), 0);
  t.feed.changes.pop();
  t.feed.changes.push({ seq: 2, kind: 'revoke-salt', saltId: 'not hex' });
  await rejectsCode(() => t.replica.syncOnce(), 'MALFORMED');
  t.feed.changes.pop();
  await t.replica.syncOnce();
  assert.is(t.replica.seq, 1);
  await close(t);
});

test('bad options: TypeError / RangeError', async () => {
  const ring = newRing();
  const store = openSqliteStore(join(dir, `t${n++}.db`), { keyring: ring, tenant: TENANT });
  const feed = new MemoryChangeFeed(ring, TENANT);
  await rejectsCode(() => openReplica(null as never), TypeError);
  await rejectsCode(() => openReplica({ feed: {} as never, store }), TypeError);
  await rejectsCode(() => openReplica({ feed, store: {} as never }), TypeError);
  await rejectsCode(() => openReplica({ feed, store, staleAfterMs: 0 }), RangeError);
  await rejectsCode(() => openReplica({ feed, store, pollIntervalMs: 1 }), RangeError);
  await rejectsCode(() => openReplica({ feed, store, batchSize: 0 }), RangeError);
  await rejectsCode(() => openReplica({ feed, store, purpose: '' }), RangeError);
  store.close();
});

test('server down: the terminal keeps answering, reports itself stale after staleAfterMs, catches up and subscribes again on its return', async () => {
  const T = new Templates('replica-outage');
  const people = T.population(30);
  const t = await terminal({ staleAfterMs: 150, pollIntervalMs: 20 });
  people.slice(0, 10).forEach((p, i) => t.feed.put(`p${i}`, p));
  t.replica.start();
  await until('the first pull', () => t.replica.seq === 10);
  assert.is(t.feed.subscribers, 1);
  t.feed.down = true;
  const downAt = Date.now();
  // Changes committed while the terminal cannot reach the server.
  t.feed.down = false;
  t.feed.revokeSubject('p3');
  people.slice(10).forEach((p, i) => t.feed.put(`p${i + 10}`, p));
  t.feed.down = true;
  await sleep(60);
  assert.not.ok(t.replica.status().stale, 'not stale before staleAfterMs');
  assert.ok(t.events.some((e) => e.type === 'error' && e.code === 'STORAGE_FAILED'), 'the failed pulls are reported');
  await until('stale', () => t.events.some((e) => e.type === 'stale'));
  assert.ok(Date.now() - downAt >= 150);
  assert.ok(t.replica.status().stale);
  assert.is(identified(t, people[5]!), 'p5', 'still answering from the replica');
  assert.is(identified(t, people[3]!), 'p3', 'the revocation has not reached it');
  assert.is(identified(t, people[15]!), undefined);
  t.feed.down = false;
  await until('caught up', () => t.replica.seq === t.feed.changes.length);
  await until('fresh', () => t.events.some((e) => e.type === 'fresh'));
  assert.not.ok(t.replica.status().stale);
  assert.is(identified(t, people[3]!), undefined, 'revoked once back');
  assert.is(identified(t, people[15]!), 'p15');
  await until('subscribed again', () => t.feed.subscribers === 1);
  await close(t);
  assert.is(t.feed.subscribers, 0, 'stop() unsubscribes');
});

test('a wake-up from the feed pulls at once, without waiting for the poll', async () => {
  const T = new Templates('replica-wake');
  const [a] = T.population(1);
  const t = await terminal({ pollIntervalMs: 60_000 });
  t.replica.start();
  await until('subscribed', () => t.feed.subscribers === 1);
  const pulls = t.feed.pulls;
  const t0 = Date.now();
  t.feed.put('a', a!);
  await until('applied', () => t.replica.seq === 1, 2000);
  assert.ok(Date.now() - t0 < 2000);
  assert.ok(t.feed.pulls > pulls);
  assert.is(identified(t, a!), 'a');
  await close(t);
});

test('a wake-up naming a sequence the read did not reach (a lagging standby) pulls again until it does', async () => {
  const T = new Templates('replica-lag');
  const [a] = T.population(1);
  const t = await terminal({ pollIntervalMs: 60_000 });
  t.replica.start();
  await until('subscribed', () => t.feed.subscribers === 1);
  t.feed.visibleSeq = 0;
  t.feed.put('a', a!);
  await sleep(80);
  assert.is(t.replica.seq, 0);
  const pulls = t.feed.pulls;
  assert.ok(pulls >= 3, `pulled again while behind (${pulls})`);
  t.feed.visibleSeq = undefined; // replayed
  await until('applied', () => t.replica.seq === 1, 1000);
  await sleep(60);
  const settled = t.feed.pulls;
  await sleep(60);
  assert.is(t.feed.pulls, settled, 'no more pulls once it reached the sequence');
  await close(t);
});

test('a terminal killed (SIGKILL) mid-sync resumes with no gap and nothing applied twice', async () => {
  const kek = new Uint8Array(32).map((_, i) => i * 5 + 3);
  const ring = Keyring.generate();
  const ringPath = join(dir, 'ring.bin');
  writeFileSync(ringPath, await exportKeyring(ring, { wrapper: localKeyWrapper(kek) }));
  const db = join(dir, 'killed.db');
  const child = (onLine: (line: string, kill: () => void) => void) => new Promise<string[]>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./_replica-child.ts', import.meta.url)), db], {
      cwd: PROJECT_ROOT, env: { ...process.env, TEMPLOCK_TEST_KEYRING: ringPath, TEMPLOCK_TEST_KEK: bytesToHex(kek) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n').filter(Boolean)) {
        lines.push(l);
        onLine(l, () => proc.kill('SIGKILL'));
      }
    });
    proc.on('close', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`child failed: ${err}`))));
  });
  const total = (() => { const f = new MemoryChangeFeed(ring, TENANT); deskWrites(f); return f.changes.length; })();
  let batches = 0;
  const first = await child((l, kill) => { if (l.startsWith('applied') && ++batches === 8) kill(); });
  assert.not.ok(first.some((l) => l.startsWith('done')), 'killed before it caught up');
  const second = await child(() => {});
  const resumedAt = Number(second.find((l) => l.startsWith('start'))!.split(' ')[1]);
  const appliedFirst = first.filter((l) => l.startsWith('applied')).map((l) => Number(l.split(' ')[1]));
  assert.ok(resumedAt > 0 && resumedAt < total, `resumed mid-way (${resumedAt} of ${total})`);
  assert.ok(resumedAt >= appliedFirst.at(-1)!, 'every batch reported applied was kept');
  assert.is(second.at(-1), `done ${total}`);
  // Nothing applied twice: each record's local version is the number of puts of its resident.
  const raw = new Database(db, { readonly: true });
  const rows = raw.prepare('SELECT subject, record FROM records').all() as Array<{ subject: string; record: Uint8Array }>;
  raw.close();
  const expected = Array.from({ length: SUBJECTS }, (_, i) => i).filter((i) => !isRevoked(i));
  assert.equal(rows.map((r) => r.subject).sort(), expected.map((i) => `r${i}`).sort(), 'no gap: every live resident, no revoked one');
  for (const r of rows) assert.is(readRecordHeader(r.record).recordVersion, ROUNDS, `version of ${r.subject}`);
  const store = openSqliteStore(db, { keyring: ring, tenant: TENANT });
  assert.ok(store.verify().ok);
  const replica = await openReplica({ feed: (() => { const f = new MemoryChangeFeed(ring, TENANT); deskWrites(f); return f; })(), store });
  const templates = deskWrites(new MemoryChangeFeed(ring, TENANT));
  assert.is(replica.seq, total);
  const access = new AccessControl({ store, threshold: THRESHOLD });
  assert.is(access.identify(templates[ROUNDS - 1]![1]!, { source: 'gate', gallery: replica.galleries() }).subjectId, 'r1');
  assert.not.ok(access.identify(templates[REVOKED_AFTER_ROUND]![10]!, { source: 'gate', gallery: replica.galleries() }).accepted);
  replica.close();
  store.close();
});

test('transaction(): writes commit together or not at all; refused on a store with a counter', async () => {
  const T = new Templates('replica-txn');
  const [a, b] = T.population(2);
  const ring = newRing();
  const store = openSqliteStore(join(dir, `t${n++}.db`), { keyring: ring, tenant: TENANT });
  try {
    store.transaction(() => {
      store.put('a', a!);
      store._setMark('x', 7);
      throw new RangeError('abandoned');
    });
  } catch (e) {
    noteError(e);
  }
  assert.is(store.count(), 0);
  assert.is(store._mark('x'), undefined);
  store.transaction(() => {
    store.put('a', a!);
    store.put('b', b!);
    store._setMark('x', 7);
  });
  assert.is(store.count(), 2);
  assert.is(store._mark('x'), 7);
  assert.ok(store.verify().ok);
  store.close();
  const { memoryCounter } = await import('../../src/storage/index.js');
  const counted = openSqliteStore(join(dir, `t${n++}.db`), { keyring: ring, tenant: TENANT, counter: memoryCounter() });
  throwsCode(() => counted.transaction(() => 0), 'INCOMPATIBLE');
  counted.close();
});

test('no error message of the suite carries a key, salt or template byte', () => {
  assert.ok(assertNoSecretInMessages() > 0);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
