// Crash safety and two-process concurrency of the SQLite store (child processes, real files):
// a writer killed with SIGKILL in the middle of puts, and in the middle of a re-wrap, leaves a
// store that opens, passes verify() (PRAGMA integrity_check, a manifest whose entries sum to its
// head, every record at its manifest version and opening) and holds each record entirely old or
// entirely new. Two processes writing at once lose no write and no version.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, type ProtectedTemplate } from '../../src/index.js';
import { exportKeyring, Keyring, localKeyWrapper } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { bytesToHex, Templates } from './_support.js';

const CHILD = fileURLToPath(new URL('./_store-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'templock-crash-'));
const kek = new Uint8Array(32).map((_, i) => i * 7 + 1);
const SUBJECTS = 60;
let n = 0;

async function saveRing(ring: Keyring): Promise<string> {
  const path = join(dir, `ring${n++}.bin`);
  writeFileSync(path, await exportKeyring(ring, { wrapper: localKeyWrapper(kek) }));
  return path;
}

function child(ringPath: string, args: string[]): { proc: ChildProcess; lines: string[]; ready: Promise<void>; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, TEMPLOCK_TEST_KEYRING: ringPath, TEMPLOCK_TEST_KEK: bytesToHex(kek) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  let onReady: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stdout!.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) {
      lines.push(l);
      if (l === 'ready') onReady();
    }
  });
  const exit = new Promise<number | null>((r) => proc.on('close', (code) => {
    if (code !== 0 && code !== null) console.error(err);
    r(code);
  }));
  return { proc, lines, ready, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const enc = (t: ProtectedTemplate) => bytesToHex(encodeTemplate(t));

test('SIGKILL in the middle of puts: the store opens, verifies, and each record is entirely old or entirely new', async () => {
  const ring = Keyring.generate();
  const ringPath = await saveRing(ring);
  const db = join(dir, 'puts.db');
  const oldT = new Templates('crash-old'), newT = new Templates('crash-new');
  const olds = Array.from({ length: SUBJECTS }, () => enc(oldT.make()));
  const news = Array.from({ length: SUBJECTS }, () => enc(newT.make()));
  const seeded = openSqliteStore(db, { keyring: ring, tenant: 'crash' });
  const oldTemplates = new Templates('crash-old');
  seeded.putMany(Array.from({ length: SUBJECTS }, (_, i) => ({ subjectId: `s${i}`, template: oldTemplates.make() })));
  seeded.close();
  for (const delayMs of [150, 400, 900]) {
    const c = child(ringPath, ['put', db, 'crash-new', String(SUBJECTS), 's', '0']);
    await c.ready;
    await sleep(delayMs);
    c.proc.kill('SIGKILL');
    assert.is(await c.exit, null, 'killed, not finished');
    const store = openSqliteStore(db, { keyring: ring, tenant: 'crash' });
    const report = store.verify();
    assert.ok(report.ok, JSON.stringify(report));
    assert.is(report.manifest, 'ok');
    assert.is(report.records, SUBJECTS);
    let fresh = 0;
    for (const { subjectId, template } of store.entries()) {
      const i = Number(subjectId.slice(1));
      const e = enc(template);
      assert.ok(e === olds[i] || e === news[i], `record ${subjectId} is neither old nor new`);
      if (e === news[i]) fresh++;
    }
    assert.ok(fresh > 0, 'the writer got some puts in before it was killed');
    store.close();
  }
});

test('SIGKILL in the middle of a re-wrap: every record opens under the old or the new key, unchanged', async () => {
  const ring = Keyring.generate();
  const db = join(dir, 'rewrap.db');
  const T = new Templates('crash-rewrap');
  const templates = Array.from({ length: 2000 }, () => T.make());
  const store = openSqliteStore(db, { keyring: ring, tenant: 'crash' });
  store.putMany(templates.map((template, i) => ({ subjectId: `s${i}`, template })));
  store.close();
  const oldId = ring.primaryId;
  const newId = ring.rotate();
  const ringPath = await saveRing(ring);
  const c = child(ringPath, ['rewrap', db]);
  await c.ready;
  // Kill once the re-wrap has committed some records (polled through a read-only connection).
  const reader = new Database(db, { readonly: true });
  const underNew = reader.prepare('SELECT count(*) FROM records WHERE key_id = ?').pluck();
  for (let waited = 0; (underNew.get(newId) as number) < 20 && waited < 60_000; waited += 10) await sleep(10);
  reader.close();
  c.proc.kill('SIGKILL');
  assert.is(await c.exit, null, 'killed, not finished');
  const after = openSqliteStore(db, { keyring: ring, tenant: 'crash' });
  const report = after.verify();
  assert.ok(report.ok, JSON.stringify(report.failures.slice(0, 3)));
  assert.is(report.manifest, 'ok');
  const keys = after.list().map((r) => r.keyId);
  assert.ok(keys.every((k) => k === oldId || k === newId));
  assert.ok(keys.includes(oldId) && keys.includes(newId), 'killed in the middle of the re-wrap');
  [...after.entries()].forEach((e, i) => assert.is(enc(e.template), enc(templates[i]!)));
  // Resume: the re-wrap completes, then the old key can go.
  const resumed = after.rewrap();
  assert.is(resumed.rewrapped, keys.filter((k) => k === oldId).length);
  ring.disable(oldId);
  assert.ok(after.verify().ok);
  assert.ok(after.list().every((r) => r.keyId === newId));
  after.close();
});

test('two processes writing at once lose no write', async () => {
  const ring = Keyring.generate();
  const ringPath = await saveRing(ring);
  const db = join(dir, 'concurrent.db');
  openSqliteStore(db, { keyring: ring, tenant: 'crash' }).close();
  const a = child(ringPath, ['put', db, 'conc-a', '150', 'a', '2']);
  const b = child(ringPath, ['put', db, 'conc-b', '150', 'b', '2']);
  assert.equal(await Promise.all([a.exit, b.exit]), [0, 0]);
  assert.ok(a.lines.includes('done') && b.lines.includes('done'));
  const store = openSqliteStore(db, { keyring: ring, tenant: 'crash' });
  assert.is(store.count(), 300);
  const ta = new Templates('conc-a'), tb = new Templates('conc-b');
  const want = new Map<string, string>();
  for (let i = 0; i < 150; i++) want.set(`a${i}`, enc(ta.make()));
  for (let i = 0; i < 150; i++) want.set(`b${i}`, enc(tb.make()));
  for (const e of store.entries()) assert.is(enc(e.template), want.get(e.subjectId));
  const report = store.verify();
  assert.ok(report.ok);
  assert.is(report.manifest, 'ok');
  // Two rounds of a putMany and a put per subject: version 4 everywhere, no increment lost.
  const versions = new Database(db, { readonly: true }).prepare('SELECT DISTINCT version FROM manifest').pluck().all();
  assert.equal(versions, [4]);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test.run();
