// The central store on a real PostgreSQL server (a throw-away cluster, test/_lib/postgres.ts):
// store semantics, the bulk load by binary COPY, the change feed (gap-free, commit order under two concurrent desks), tenants
// isolated by row-level security, a terminal replica following the real feed until it refuses a
// revoked resident, a database writer's forged or replayed changes refused by the terminal, the
// server killed during a putMany (no acknowledged write lost, no partial
// batch), connections terminated (typed error, then a retry succeeds; also mid-load), verify and
// rewrap, and error messages that carry no secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, type ProtectedTemplate } from '../../src/index.js';
import { AccessControl, type Change, type PutItem } from '../../src/storage/index.js';
import { createTenant, migratePostgres, openPostgresStore, type PostgresTemplateStore } from '../../src/storage/postgres/index.js';
import { openReplica, openSqliteStore } from '../../src/storage/sqlite/index.js';
import { postgresSkipReason, startCluster, type Cluster } from '../../src/cli/local-postgres.js';
import { assertNoSecretInMessages, bytesToHex, newRing, noteError, rejectsCode, Templates } from './_support.js';

const skip = postgresSkipReason();
if (skip) {
  console.log(`SKIP test/storage/postgres.test.ts: ${skip}`);
  process.exit(0);
}

const cluster: Cluster = startCluster();
const dir = mkdtempSync(join(tmpdir(), 'templock-pgterm-'));
const ring = newRing();
const make = new Templates('postgres');
const enc = (t: ProtectedTemplate) => bytesToHex(encodeTemplate(t));
const passwords: Record<string, string> = {};
let desk: PostgresTemplateStore;
let other: PostgresTemplateStore;

const superuser = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try { return await work(c); } finally { await c.end(); }
};

test.before(async () => {
  assert.is(await migratePostgres(cluster.url), 1, 'the first migration brings the schema to version 1');
  assert.is(await migratePostgres(cluster.url), 1, 'migrating again changes nothing');
  for (const t of ['acme', 'globex']) passwords[t] = await createTenant(cluster.url, t);
  desk = await openPostgresStore(cluster.urlFor('acme', passwords.acme!), { keyring: ring });
  other = await openPostgresStore(cluster.urlFor('globex', passwords.globex!), { keyring: ring });
});

test.after(async () => {
  await desk?.close();
  await other?.close();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('put, get, list, delete, revoke and reinstate keep the store semantics; the feed numbers each change', async () => {
  const [a, b, c] = make.population(3);
  const before = await desk.feed().latestSeq();
  await desk.putMany([{ subjectId: 'a', template: a! }, { subjectId: 'b', template: b! }]);
  await desk.put('c', c!);
  assert.is(enc(await desk.get('a')), enc(a!));
  assert.equal((await desk.list()).map((r) => r.subjectId), ['a', 'b', 'c']);
  assert.is(await desk.count(), 3);
  assert.is(await desk.delete('c'), true);
  assert.is(await desk.delete('c'), false, 'a second delete finds nothing and adds no change');
  await rejectsCode(() => desk.get('c'), 'NOT_FOUND');
  assert.is(await desk.revokeSubject('b'), 1);
  await rejectsCode(() => desk.get('b'), 'REVOKED');
  await rejectsCode(() => desk.put('b', b!), 'REVOKED', 'a revoked subject cannot be written back');
  assert.is(await desk.reinstateSubject('b'), true);
  await desk.put('b', b!);
  assert.is(enc(await desk.get('b')), enc(b!));
  assert.is(await desk.revokeSalt(a!.salt), 2, 'the salt of the population removes both records');
  await rejectsCode(() => desk.put('z', a!), 'REVOKED', 'a template under a revoked salt is refused');
  const changes = await desk.feed().changesSince(before);
  assert.equal(changes.map((x) => x.kind), ['put', 'put', 'put', 'delete', 'revoke-subject', 'reinstate-subject', 'put', 'revoke-salt']);
  assert.equal(changes.map((x) => x.seq), changes.map((_, i) => before + 1 + i), 'sequence numbers without gaps');
  assert.is(await desk.feed().latestSeq(), before + changes.length);
  assert.ok(changes[0]!.record instanceof Uint8Array && changes[0]!.record.length > 0, 'a put carries the sealed record');
});

test('the server stores sealed records only: no payload bytes in any table', async () => {
  const [t] = make.population(1);
  await desk.put('sealed', t!);
  const dump = await superuser(async (c) => {
    const rows = await c.query(`SELECT string_agg(encode(record, 'hex'), '') AS hex FROM (SELECT record FROM templock_records UNION ALL SELECT record FROM templock_changes WHERE record IS NOT NULL) r`);
    return rows.rows[0].hex as string;
  });
  assert.not.ok(dump.includes(bytesToHex(t!.payload)), 'the template payload appears nowhere in clear');
});

test('row-level security: a tenant neither reads nor writes another tenant\'s rows', async () => {
  const [t] = make.population(1);
  await desk.put('resident', t!);
  assert.is(await other.count(), 0, 'globex sees no acme record');
  assert.equal(await other.feed().changesSince(0), [], 'nor any acme change');
  await rejectsCode(() => other.get('resident'), 'NOT_FOUND');
  const c = new pg.Client({ connectionString: cluster.urlFor('globex', passwords.globex!) });
  await c.connect();
  try {
    const seen = await c.query('SELECT count(*)::int AS n FROM templock_records');
    assert.is(seen.rows[0].n, 0);
    let refused = false;
    try {
      await c.query(`INSERT INTO templock_records (tenant, subject_id, purpose, salt_id, key_id, record, updated_at) VALUES ('acme', 'x', 'access', 's', 'k', '\\x00', 0)`);
    } catch (e) {
      refused = (e as { code?: string }).code === '42501';
    }
    assert.ok(refused, 'an insert into the other tenant is refused by the policy');
    const updated = await c.query(`UPDATE templock_records SET record = '\\x00' WHERE tenant = 'acme'`);
    assert.is(updated.rowCount, 0, 'an update reaches no row of the other tenant');
    const deleted = await c.query(`DELETE FROM templock_changes WHERE tenant = 'acme'`);
    assert.is(deleted.rowCount, 0, 'nor does a delete');
  } finally {
    await c.end();
  }
  assert.is(enc(await desk.get('resident')), enc(t!), 'acme\'s record is intact');
});

test('two desks writing at once: every write kept, the feed gap-free and in commit order', async () => {
  const second = await openPostgresStore(cluster.urlFor('acme', passwords.acme!), { keyring: ring });
  try {
    const before = await desk.feed().latestSeq();
    const people = make.population(40);
    const write = (s: PostgresTemplateStore, from: number) => Promise.all(people.slice(from, from + 20).map((t, i) => s.put(`desk-${from + i}`, t)));
    await Promise.all([write(desk, 0), write(second, 20)]);
    const changes = await desk.feed().changesSince(before);
    assert.is(changes.length, 40);
    assert.equal(changes.map((x) => x.seq), changes.map((_, i) => before + 1 + i));
    assert.equal(new Set(changes.map((x) => x.subjectId)).size, 40, 'no write lost');
    for (let i = 0; i < 40; i++) assert.is(enc(await desk.get(`desk-${i}`)), enc(people[i]!));
  } finally {
    await second.close();
  }
});

test('a terminal replica follows the real feed: enrolled residents identified, a revoked one refused once applied', async () => {
  const people = make.population(5);
  await desk.putMany(people.map((template, i): PutItem => ({ subjectId: `gate-${i}`, template })));
  const store = openSqliteStore(join(dir, 'gate.db'), { keyring: ring, tenant: 'acme' });
  const replica = await openReplica({ feed: desk.feed(), store, pollIntervalMs: 60_000 });
  try {
    replica.start();
    const access = new AccessControl({ store, threshold: 0.9 });
    const deadline = Date.now() + 10_000;
    while (replica.status().seq < (await desk.feed().latestSeq()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.is(access.verify('gate-3', people[3]!, { source: 'gate' }).accepted, true);
    await desk.revokeSubject('gate-3');
    const target = await desk.feed().latestSeq();
    // Woken by NOTIFY: the poll interval is a minute, so only the wake-up can apply it in time.
    while (replica.status().seq < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(replica.status().seq >= target, 'the wake-up brought the revocation');
    let refused = '';
    try { access.verify('gate-3', people[3]!, { source: 'gate' }); } catch (e) { refused = (e as { code?: string }).code ?? ''; }
    assert.is(refused, 'REVOKED');
  } finally {
    await replica.stop();
    replica.close();
    store.close();
  }
});

test('openEntries streams the records by binary COPY and opens them on worker threads, as on this thread; revoked ones are skipped', async () => {
  const people = make.population(1500);
  await desk.putMany(people.map((template, i): PutItem => ({ subjectId: `load-${i}`, template, purpose: 'load' })));
  await desk.revokeSubject('load-7');
  const expected = new Map(people.map((t, i) => [`load-${i}`, enc(t)]));
  expected.delete('load-7');
  for (const threads of [1, 2]) {
    const got = new Map<string, string>();
    for await (const e of desk.openEntries({ purpose: 'load', threads })) got.set(e.subjectId, enc(e.template));
    assert.equal(got, expected, `${threads} thread(s)`);
  }
  let all = 0;
  for await (const e of desk.openEntries()) all += e.purpose === 'load' ? 0 : 1;
  assert.ok(all > 0, 'without a purpose, records of every purpose');
  await superuser((c) => c.query(`UPDATE templock_records SET record = overlay(record placing '\\x00'::bytea from 60 for 1) WHERE subject_id = 'load-3'`));
  await rejectsCode(async () => { for await (const e of desk.openEntries({ purpose: 'load' })) void e; }, 'DECRYPT_FAILED');
  await desk.delete('load-3', 'load');
});

test('a database writer without the key cannot undo a revocation: forged and replayed changes are refused, nothing applied', async () => {
  const [victim] = make.population(1);
  await desk.put('victim', victim!);
  const store = openSqliteStore(join(dir, 'guarded.db'), { keyring: ring, tenant: 'acme' });
  const replica = await openReplica({ feed: desk.feed(), store, pollIntervalMs: 60_000 });
  try {
    await replica.syncOnce();
    const putSeq = (await desk.feed().changesSince(0, { limit: 10_000 })).filter((c) => c.subjectId === 'victim' && c.kind === 'put').pop()!.seq;
    await desk.revokeSubject('victim');
    await replica.syncOnce();
    const access = new AccessControl({ store, threshold: 0.9 });
    let code = '';
    try { access.verify('victim', victim!, { source: 'gate' }); } catch (e) { code = (e as { code?: string }).code ?? ''; }
    assert.is(code, 'REVOKED');
    const before = replica.status().seq;
    // The database owner appends a reinstatement (its MAC guessed) and replays the old put (its MAC copied).
    await superuser(async (c) => {
      const head = Number((await c.query(`SELECT seq FROM templock_heads WHERE tenant = 'acme'`)).rows[0].seq);
      await c.query(`INSERT INTO templock_changes (tenant, seq, kind, subject_id, key_id, mac) VALUES ('acme', $1, 'reinstate-subject', 'victim', $2, $3)`, [head + 1, ring.primaryId, Buffer.alloc(32, 7)]);
      await c.query(`INSERT INTO templock_changes (tenant, seq, kind, subject_id, purpose, salt_id, record, key_id, mac)
                     SELECT tenant, $1, kind, subject_id, purpose, salt_id, record, key_id, mac FROM templock_changes WHERE tenant = 'acme' AND seq = $2`, [head + 2, putSeq]);
      await c.query(`UPDATE templock_heads SET seq = $1 WHERE tenant = 'acme'`, [head + 2]);
    });
    let refused: unknown;
    try { await replica.syncOnce(); } catch (e) { refused = e; noteError(e); }
    assert.is((refused as { code?: string })?.code, 'INTEGRITY', 'the forged batch is refused');
    assert.is(replica.status().seq, before, 'nothing of it applied');
    code = '';
    try { access.verify('victim', victim!, { source: 'gate' }); } catch (e) { code = (e as { code?: string }).code ?? ''; }
    assert.is(code, 'REVOKED', 'the resident stays revoked at the terminal');
    // Only the forged reinstatement: the replayed put alone is refused too.
    await superuser(async (c) => {
      await c.query(`DELETE FROM templock_changes WHERE tenant = 'acme' AND seq > $1`, [before]);
      await c.query(`INSERT INTO templock_changes (tenant, seq, kind, subject_id, purpose, salt_id, record, key_id, mac)
                     SELECT tenant, $1, kind, subject_id, purpose, salt_id, record, key_id, mac FROM templock_changes WHERE tenant = 'acme' AND seq = $2`, [before + 1, putSeq]);
      await c.query(`UPDATE templock_heads SET seq = $1 WHERE tenant = 'acme'`, [before + 1]);
    });
    refused = undefined;
    try { await replica.syncOnce(); } catch (e) { refused = e; }
    assert.is((refused as { code?: string })?.code, 'INTEGRITY', 'an old change replayed at a new sequence is refused');
    await superuser(async (c) => {
      await c.query(`DELETE FROM templock_changes WHERE tenant = 'acme' AND seq > $1`, [before]);
      await c.query(`UPDATE templock_heads SET seq = $1 WHERE tenant = 'acme'`, [before]);
    });
  } finally {
    await replica.stop();
    replica.close();
    store.close();
  }
});

test('at the desk too, rows are checked against the authenticated feed: an old record written back is ROLLBACK, a deleted revocation row still REVOKED, a deleted change a gap verify() reports', async () => {
  const third = await openPostgresStore(cluster.urlFor('initech', await createTenant(cluster.url, 'initech')), { keyring: ring });
  const desk = third;
  const [first, second] = make.population(2);
  await desk.put('rolled', first!);
  const oldRow = await superuser(async (c) => (await c.query(`SELECT record FROM templock_records WHERE tenant = 'initech' AND subject_id = 'rolled'`)).rows[0].record as Buffer);
  await desk.put('rolled', second!);
  await superuser((c) => c.query(`UPDATE templock_records SET record = $1 WHERE tenant = 'initech' AND subject_id = 'rolled'`, [oldRow]));
  await rejectsCode(() => desk.get('rolled'), 'ROLLBACK', 'the older record written back');
  await superuser((c) => c.query(`DELETE FROM templock_records WHERE tenant = 'initech' AND subject_id = 'rolled'`));
  await rejectsCode(() => desk.get('rolled'), 'INTEGRITY', 'the record the feed lists, deleted');
  await desk.revokeSubject('rolled');
  await superuser((c) => c.query(`DELETE FROM templock_revocations WHERE tenant = 'initech' AND value = 'rolled'`));
  await rejectsCode(() => desk.get('rolled'), 'REVOKED', 'the revocation row deleted: the feed still says revoked');
  await superuser(async (c) => {
    await c.query(`DELETE FROM templock_changes WHERE tenant = 'initech' AND subject_id = 'rolled' AND kind = 'revoke-subject'`);
    await c.query(`INSERT INTO templock_records (tenant, subject_id, purpose, salt_id, key_id, record, updated_at) SELECT 'initech', 'rolled', 'access', 'x', 'x', record, 0 FROM templock_changes WHERE tenant = 'initech' AND subject_id = 'rolled' AND kind = 'put' ORDER BY seq DESC LIMIT 1`);
  });
  const report = await desk.verify();
  assert.not.ok(report.ok, 'the deleted revocation leaves a gap in the feed');
  assert.ok(report.changeFailures.some((f) => f.code === 'MALFORMED'));
  await third.close();
});

test('server killed during a putMany: acknowledged writes kept, no partial batch; a lost connection is a typed error and a retry succeeds', async () => {
  const people = make.population(2001);
  await desk.put('acked', people[2000]!);
  const batch = people.slice(0, 2000).map((template, i): PutItem => ({ subjectId: `batch-${i}`, template }));
  const pending = desk.putMany(batch).then(() => 'committed', (e) => { noteError(e); return (e as { code?: string }).code; });
  await new Promise((r) => setTimeout(r, 30));
  cluster.kill();
  const outcome = await pending;
  cluster.restart();
  let stored = -1;
  for (let i = 0; i < 50 && stored < 0; i++) {
    try { stored = (await desk.list()).filter((r) => r.subjectId.startsWith('batch-')).length; } catch (e) { noteError(e); await new Promise((r) => setTimeout(r, 100)); }
  }
  if (outcome === 'committed') assert.is(stored, 2000, 'a committed batch is whole');
  else {
    assert.is(outcome, 'STORAGE_FAILED');
    assert.is(stored, 0, 'a failed batch left nothing');
  }
  assert.is(enc(await desk.get('acked')), enc(people[2000]!), 'the acknowledged write survived the crash');

  await superuser((c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'acme'`));
  let first: string | undefined;
  try { await desk.count(); } catch (e) { noteError(e); first = (e as { code?: string }).code; }
  if (first !== undefined) assert.is(first, 'STORAGE_FAILED', 'a terminated connection is a typed error');
  assert.is(await desk.get('acked').then(enc), enc(people[2000]!), 'the next call reconnects');
  const feedPage: Change[] = await desk.feed().changesSince(0, { limit: 5 });
  assert.is(feedPage.length, 5);
});

test('a connection dropped mid-load is a typed error, and the load retried succeeds', async () => {
  // Enough rows (about 5 MB) that the server is still sending when the connection is cut.
  const bulk = make.population(25_000);
  for (let i = 0; i < bulk.length; i += 5000) await desk.putMany(bulk.slice(i, i + 5000).map((template, j): PutItem => ({ subjectId: `bulk-${i + j}`, template, purpose: 'bulk' })));
  let seen = 0, code = '';
  try {
    for await (const e of desk.openEntries({ purpose: 'bulk', threads: 2 })) {
      void e;
      if (++seen === 1) await superuser((c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'acme'`));
    }
  } catch (e) {
    noteError(e);
    code = (e as { code?: string }).code ?? '';
  }
  assert.is(code, 'STORAGE_FAILED', `a load cut after ${seen} record(s)`);
  assert.ok(seen < bulk.length);
  let again = 0;
  for await (const e of desk.openEntries({ purpose: 'bulk' })) again += e.subjectId.startsWith('bulk-') ? 1 : 0;
  assert.is(again, bulk.length, 'the retry loads every record');
});

test('verify opens every record and checks the feed; rewrap re-seals under a new primary key and feeds it', async () => {
  const clean = await desk.verify();
  assert.ok(clean.ok, JSON.stringify(clean.changeFailures.slice(0, 3)));
  assert.ok(clean.records > 1000 && clean.changes > clean.records / 2);
  const old = ring.primaryId;
  const fresh = ring.rotate();
  const before = await desk.feed().latestSeq();
  const report = await desk.rewrap({ batchSize: 700 });
  assert.is(report.keyId, fresh);
  assert.is(report.rewrapped, clean.records);
  assert.equal(report.failures, []);
  assert.ok((await desk.list()).every((r) => r.keyId === fresh), 'every record under the new key');
  assert.is((await desk.feed().latestSeq()) - before, clean.records, 'each re-sealed record fed to the terminals');
  ring.disable(old);
  assert.is((await desk.get('acked').then(enc)).length > 0, true, 'records open without the old key');
  await superuser((c) => c.query(`UPDATE templock_changes SET kind = 'delete' WHERE tenant = 'acme' AND seq = (SELECT max(seq) FROM templock_changes WHERE tenant = 'acme')`));
  const tampered = await desk.verify();
  assert.not.ok(tampered.ok);
  assert.is(tampered.changeFailures.length, 1);
  assert.is(tampered.changeFailures[0]!.code, 'INTEGRITY');
});

test('bad input: typed errors, and no secret in any message', async () => {
  await rejectsCode(() => desk.get(''), RangeError);
  await rejectsCode(() => desk.feed().changesSince(-1), RangeError);
  await rejectsCode(() => desk.feed().changesSince(0, { limit: 0 }), RangeError);
  await rejectsCode(() => desk.revokeSalt('XYZ'), RangeError);
  await rejectsCode(() => createTenant(cluster.url, 'Bad-Name'), RangeError);
  await rejectsCode(() => openPostgresStore(cluster.urlFor('acme', 'wrong password'), { keyring: ring }), 'STORAGE_FAILED');
  await rejectsCode(() => openPostgresStore(cluster.urlFor('acme', passwords.acme!), { keyring: {} as never }), TypeError);
  assert.ok(assertNoSecretInMessages() > 0);
});

test.run();
