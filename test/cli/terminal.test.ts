// The terminal subcommands on a temporary database, through main() with a capturing Io: keys
// create/rotate/rewrap (key file and passphrase), enroll, verify, identify (decisions only, a
// score only when asked for and only of an accept), LOCKED_OUT after repeated failures, unlock,
// the audit log, revoke and reissue on faces cut from the shipped sample photos, --help and
// --json, the error paths (exit status by kind, with the error code), and an old record written
// back into the database file after a reissue (refused as ROLLBACK). No output ever contains a passphrase
// or a key.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { enrolmentCapture, probeCapture } from '../../src/cli/commands/demo-views.js';
import { openSession } from '../../src/cli/commands/terminal-session.js';
import { main } from '../../src/cli/main.js';
import { AccessControl } from '../../src/storage/index.js';
import { createEmbedder, faceapiThreshold, type RgbImage } from '../../src/embed/index.js';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as { PNG: { sync: { write(p: { width: number; height: number; data: Buffer }): Buffer } } };
const DEMO = join(require.resolve('@vladmandic/face-api/package.json'), '..', 'demo');
const dir = mkdtempSync(join(tmpdir(), 'templock-cli-'));
const db = join(dir, 'gate.db');
const kek = join(dir, 'gate.kek');
const everything: string[] = [];

/** Runs the CLI; returns exit code, stdout and stderr lines. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} };
  const code = await main(argv, io);
  everything.push(...out, ...err);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs with --json on the test database and key file; returns the parsed object too. */
async function runJson(...argv: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string }> {
  const r = await run(...argv, '--db', db, '--key-file', kek, '--json');
  return { code: r.code, json: r.out ? (JSON.parse(r.out) as Record<string, unknown>) : {}, err: r.err };
}

function writePng(name: string, img: RgbImage): string {
  const rgba = Buffer.alloc(img.width * img.height * 4, 255);
  for (let p = 0; p < img.width * img.height; p++) rgba.set(img.data.subarray(p * 3, p * 3 + 3), p * 4);
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write({ width: img.width, height: img.height, data: rgba }));
  return path;
}

// Captures: one person in view each, cut from the sample photos.
const embedder = await createEmbedder();
const group = join(DEMO, 'sample1.jpg');
const photo = embedder.decode(group);
const faces = await embedder.detectFaces(photo);
const stranger = embedder.decode(join(DEMO, 'sample6.jpg'));
const strangerFace = (await embedder.detectFaces(stranger))[1]!;
const img = {
  alice: writePng('alice.png', enrolmentCapture(photo, faces[0]!)),
  aliceMirrored: writePng('alice-mirrored.png', probeCapture(photo, faces[0]!, 0).image),
  bob: writePng('bob.png', enrolmentCapture(photo, faces[1]!)),
  bobDarker: writePng('bob-darker.png', probeCapture(photo, faces[1]!, 1).image),
  stranger: writePng('stranger.png', enrolmentCapture(stranger, strangerFace)),
  garbage: join(dir, 'garbage.jpg'),
};
writeFileSync(img.garbage, 'this is not a photo');
delete process.env.TEMPLOCK_PASSPHRASE;
delete process.env.TEMPLOCK_KEY_FILE;

test('every terminal subcommand answers --help', async () => {
  for (const name of [['demo'], ['enroll'], ['verify'], ['identify'], ['revoke'], ['reissue'], ['sync'], ['audit'], ['unlock'], ['keys', 'create'], ['keys', 'rotate'], ['keys', 'rewrap']]) {
    const r = await run(...name, '--help');
    assert.is(r.code, 0);
    assert.ok(r.out.startsWith(`Usage: templock ${name.join(' ')} `), name.join(' '));
  }
  const all = await run('--help');
  for (const w of ['demo', 'enroll', 'verify', 'identify', 'revoke', 'reissue', 'audit', 'unlock', 'keys rotate']) assert.ok(all.out.includes(`templock ${w}`));
});

test('keys create: a key file is made (mode 0600) and the keys are sealed; no key is exit 2, twice exit 4', async () => {
  const none = await run('keys', 'create', '--db', db);
  assert.is(none.code, 2);
  assert.match(none.err, /TEMPLOCK_PASSPHRASE/);
  const r = await runJson('keys', 'create');
  assert.is(r.code, 0, r.err);
  assert.is(r.json.protection, 'key-file');
  assert.is(r.json.keyFileCreated, true);
  assert.is(r.json.scheme, 'iom-grp');
  assert.is(statSync(kek).mode & 0o777, 0o600);
  const keyHex = readFileSync(kek, 'utf8').trim();
  assert.not.ok(readFileSync(`${db}.keyring`, 'utf8').includes(keyHex), 'the key-encryption key is not in the terminal file');
  const again = await runJson('keys', 'create');
  assert.is(again.code, 4);
  assert.match(again.err, /DUPLICATE_ID/);
});

test('enroll: faces are enrolled; duplicates, group photos, unreadable files and missing options fail', async () => {
  assert.is((await runJson('enroll', '--id', 'alice', '--image', img.alice)).code, 0);
  const bob = await runJson('enroll', '--id', 'bob', '--image', img.bob);
  assert.is(bob.code, 0, bob.err);
  assert.equal([bob.json.enrolled, bob.json.epoch], ['bob', 0]);
  assert.ok(bob.json.runtime === 'tfjs-wasm' || bob.json.runtime === 'tfjs-node', 'the runtime is reported');
  const dup = await runJson('enroll', '--id', 'alice', '--image', img.alice);
  assert.is(dup.code, 4);
  assert.match(dup.err, /DUPLICATE_ID/);
  const many = await runJson('enroll', '--id', 'crowd', '--image', group);
  assert.is(many.code, 5);
  assert.match(many.err, /MULTIPLE_FACES/);
  assert.match((await runJson('enroll', '--id', 'x', '--image', img.garbage)).err, /IMAGE_UNREADABLE/);
  assert.match((await runJson('enroll', '--id', 'x', '--image', join(dir, 'missing.jpg'))).err, /IMAGE_UNREADABLE/);
  assert.match((await runJson('enroll', '--image', img.alice)).err, /--id is required/);
  assert.match((await runJson('enroll', '--id', 'x', '--image', img.alice, '--face', 'left')).err, /--face expected/);
  assert.is((await runJson('enroll', '--id', 'x', '--image', img.alice, '--bogus')).code, 2);
});

test('verify: another view of the same face is accepted without a score unless asked; another person is rejected, never with a score', async () => {
  const ok = await runJson('verify', '--id', 'alice', '--image', img.aliceMirrored, '--source', 'gate-v');
  assert.is(ok.code, 0, ok.err);
  assert.is(ok.json.accepted, true);
  assert.is(ok.json.source, 'gate-v');
  assert.not.ok('score' in ok.json, 'no score by default');
  const exact = await runJson('verify', '--id', 'alice', '--image', img.aliceMirrored, '--score', 'exact', '--source', 'gate-v');
  assert.ok((exact.json.score as number) >= faceapiThreshold('iom-grp'));
  const coarse = await runJson('verify', '--id', 'alice', '--image', img.aliceMirrored, '--score', 'coarse', '--source', 'gate-v');
  assert.is(coarse.json.score, Math.floor((exact.json.score as number) * 10) / 10);
  const plain = await run('verify', '--id', 'alice', '--image', img.aliceMirrored, '--db', db, '--key-file', kek, '--source', 'gate-v');
  assert.match(plain.out, /^accepted "alice" in/);
  const no = await runJson('verify', '--id', 'bob', '--image', img.aliceMirrored, '--score', 'exact', '--source', 'gate-v');
  assert.is(no.code, 1);
  assert.is(no.json.accepted, false);
  assert.not.ok('score' in no.json, 'a failed match has no score in the output');
  const text = await run('verify', '--id', 'bob', '--image', img.aliceMirrored, '--db', db, '--key-file', kek, '--score', 'exact', '--source', 'gate-v');
  assert.match(text.out, /^rejected "bob"/);
  assert.not.match(text.out, /score/);
  const nobody = await runJson('verify', '--id', 'nobody', '--image', img.alice, '--source', 'gate-v');
  assert.equal([nobody.code, nobody.json.error], [1, { code: 'NOT_FOUND', message: (nobody.json.error as { message: string }).message }]);
  assert.match(nobody.err, /NOT_FOUND/);
  assert.match((await runJson('verify', '--id', 'alice', '--image', img.alice, '--score', 'full')).err, /--score expected one of coarse, exact/);
});

test('identify: a resident is accepted at rank 1 without a score; a stranger matches nobody (exit 1); bad --k', async () => {
  const found = await runJson('identify', '--image', img.bobDarker, '--k', '3', '--source', 'lobby');
  assert.is(found.code, 0, found.err);
  assert.equal([found.json.accepted, found.json.id, found.json.rank, found.json.searched], [true, 'bob', 1, 2]);
  assert.not.ok('score' in found.json);
  const scored = await runJson('identify', '--image', img.bobDarker, '--score', 'exact', '--source', 'lobby');
  assert.ok((scored.json.score as number) >= faceapiThreshold('iom-grp'));
  const none = await runJson('identify', '--image', img.stranger, '--score', 'exact', '--source', 'lobby');
  assert.is(none.code, 1);
  assert.equal(none.json.accepted, false);
  assert.not.ok('score' in none.json);
  assert.match((await runJson('identify', '--image', img.stranger, '--k', '0')).err, /"k" expected integer in \[1, 1000\]/);
});

test('LOCKED_OUT is reported clearly and before any decision, until an operator unlocks', async () => {
  for (let i = 0; i < 2; i++) assert.is((await runJson('verify', '--id', 'bob', '--image', img.aliceMirrored, '--source', 'gate-l')).json.accepted, false);
  // Lock bob out for good through the store's own access control, with a strict policy.
  const s = await openSession({ db, 'key-file': kek });
  try {
    const strict = new AccessControl({ store: s.store, threshold: s.terminal.settings.threshold, policy: { maxFailures: 1, lockoutAfter: 0 } });
    assert.equal(strict.verify('bob', s.store.get('alice'), { source: 'gate-l' }), { accepted: false });
    assert.is(strict.attempts({ subjectId: 'bob' })!.failures, 3, 'the failures through the command line were counted');
    assert.ok(strict.attempts({ subjectId: 'bob' })!.locked);
  } finally {
    s.close();
  }
  const locked = await runJson('verify', '--id', 'bob', '--image', img.bobDarker, '--source', 'gate-l2');
  assert.is(locked.code, 1);
  assert.equal([locked.json.accepted, locked.json.lockedOut, locked.json.id], [false, true, 'bob']);
  assert.match(locked.json.reason as string, /an operator must clear it/);
  const text = await run('verify', '--id', 'bob', '--image', img.bobDarker, '--db', db, '--key-file', kek, '--source', 'gate-l2');
  assert.is(text.code, 1);
  assert.match(text.out, /^LOCKED_OUT: /);
  assert.not.match(text.out, /score/);
  const cleared = await runJson('unlock', '--id', 'bob');
  assert.equal([cleared.code, cleared.json.cleared], [0, true]);
  assert.is((await runJson('unlock', '--source', 'gate-l')).code, 0);
  assert.is((await runJson('verify', '--id', 'bob', '--image', img.bobDarker, '--source', 'gate-l')).code, 0);
  assert.match((await runJson('unlock')).err, /exactly one of --id, --source/);
});

test('audit: every decision is logged with its outcome, never a score', async () => {
  const r = await runJson('audit');
  assert.is(r.code, 0, r.err);
  const entries = r.json.entries as Array<Record<string, unknown>>;
  const outcomes = new Set(entries.map((e) => e.outcome));
  for (const o of ['accepted', 'rejected', 'locked_out', 'not_found']) assert.ok(outcomes.has(o), o);
  for (const e of entries) assert.equal(Object.keys(e).sort(), ['action', 'at', 'seq', 'source', 'subjectId', 'outcome'].sort());
  assert.ok(entries.some((e) => e.action === 'identify' && e.subjectId === 'bob' && e.source === 'lobby'));
  const text = await run('audit', '--limit', '2', '--db', db, '--key-file', kek);
  assert.is(text.out.split('\n').length, 2);
  assert.match(text.out, /verify\s+bob\s+gate-l\s+accepted$/);
  const later = await runJson('audit', '--since', new Date(Date.now() + 60_000).toISOString());
  assert.equal(later.json.entries, []);
  assert.match((await runJson('audit', '--since', 'yesterday')).err, /--since expected/);
});

test('revoke then reissue: the revoked resident is refused until re-issued under a new salt epoch', async () => {
  const r = await runJson('revoke', '--id', 'alice');
  assert.is(r.code, 0);
  assert.is(r.json.deleted, 1);
  const refused = await runJson('verify', '--id', 'alice', '--image', img.aliceMirrored);
  assert.is(refused.code, 1);
  assert.match(refused.err, /REVOKED: "alice" is revoked/);
  assert.match((await runJson('enroll', '--id', 'alice', '--image', img.alice)).err, /REVOKED/);
  const re = await runJson('reissue', '--id', 'alice', '--image', img.alice);
  assert.is(re.code, 0, re.err);
  assert.is(re.json.epoch, 1);
  assert.is((await runJson('verify', '--id', 'alice', '--image', img.aliceMirrored)).code, 0);
  const who = await runJson('identify', '--image', img.aliceMirrored, '--k', '1');
  assert.equal([who.json.accepted, who.json.id], [true, 'alice']);
  const log = (await runJson('audit')).json.entries as Array<Record<string, unknown>>;
  assert.ok(log.some((e) => e.subjectId === 'alice' && e.outcome === 'revoked'));
});

test('keys rotate re-wraps every record and disables the old key; verification still works', async () => {
  const r = await runJson('keys', 'rotate');
  assert.is(r.code, 0, r.err);
  assert.is(r.json.rewrapped, 2);
  assert.equal(r.json.disabled, [r.json.previousKeyId]);
  assert.is.not(r.json.primaryKeyId, r.json.previousKeyId);
  assert.is((await runJson('verify', '--id', 'bob', '--image', img.bobDarker)).code, 0);
  const again = await runJson('keys', 'rewrap');
  assert.is(again.code, 0);
  assert.is(again.json.rewrapped, 0);
  assert.is(again.json.alreadyCurrent, 2);
});

test('an old record written back into the file after revoke and reissue is refused as ROLLBACK', async () => {
  const file = new Database(db);
  const stolen = file.prepare(`SELECT * FROM records WHERE subject = 'bob'`).get() as Record<string, unknown>;
  file.close();
  assert.is((await runJson('revoke', '--id', 'bob')).code, 0);
  const re = await runJson('reissue', '--id', 'bob', '--image', img.bobDarker);
  assert.is(re.code, 0, re.err);
  const writer = new Database(db);
  writer.prepare(`INSERT OR REPLACE INTO records (subject, purpose, key_id, salt_id, record, updated_at)
    VALUES (@subject, @purpose, @key_id, @salt_id, @record, @updated_at)`).run(stolen);
  writer.close();
  const old = await runJson('verify', '--id', 'bob', '--image', img.bob);
  assert.is(old.code, 4, 'a store error, not a rejection');
  assert.match(old.err, /ROLLBACK/);
  assert.not.ok(old.json.match, 'no decision is made on the old record');
  const re2 = await runJson('reissue', '--id', 'bob', '--image', img.bobDarker);
  assert.is(re2.code, 0, re2.err);
  assert.is((await runJson('verify', '--id', 'bob', '--image', img.bob)).code, 0);
});

test('keys rewrap --new-key-file re-seals the terminal file: the old key file no longer opens it', async () => {
  const next = join(dir, 'next.kek');
  const r = await runJson('keys', 'rewrap', '--new-key-file', next);
  assert.is(r.code, 0, r.err);
  assert.is(r.json.resealed, 'key-file');
  const old = await runJson('revoke', '--id', 'nobody');
  assert.is(old.code, 3);
  assert.match(old.err, /DECRYPT_FAILED/);
  const ok = await run('revoke', '--id', 'nobody', '--db', db, '--key-file', next);
  assert.is(ok.code, 0, ok.err);
});

test('passphrase: Argon2id-sealed keys, a wrong passphrase and an altered setting are DECRYPT_FAILED', async () => {
  const pdb = join(dir, 'pass.db');
  process.env.TEMPLOCK_PASSPHRASE = 'correct horse battery staple';
  try {
    const c = await run('keys', 'create', '--db', pdb, '--argon2-memory', '19456', '--json');
    assert.is(c.code, 0, c.err);
    assert.is(JSON.parse(c.out).protection, 'passphrase');
    assert.is((await run('revoke', '--id', 'x', '--db', pdb)).code, 0);
    process.env.TEMPLOCK_PASSPHRASE = 'wrong horse';
    assert.match((await run('revoke', '--id', 'x', '--db', pdb)).err, /DECRYPT_FAILED/);
    process.env.TEMPLOCK_PASSPHRASE = 'correct horse battery staple';
    process.env.TEMPLOCK_NEW_PASSPHRASE = 'a new passphrase';
    assert.is((await run('keys', 'rewrap', '--db', pdb)).code, 0);
    delete process.env.TEMPLOCK_NEW_PASSPHRASE;
    assert.match((await run('revoke', '--id', 'x', '--db', pdb)).err, /DECRYPT_FAILED/);
    process.env.TEMPLOCK_PASSPHRASE = 'a new passphrase';
    assert.is((await run('revoke', '--id', 'x', '--db', pdb)).code, 0);
    const file = `${pdb}.keyring`;
    const body = JSON.parse(readFileSync(file, 'utf8')) as { settings: { threshold: number } };
    body.settings.threshold = 0;
    writeFileSync(file, JSON.stringify(body));
    assert.match((await run('revoke', '--id', 'x', '--db', pdb)).err, /DECRYPT_FAILED/);
    const none = await run('revoke', '--id', 'x', '--db', join(dir, 'none.db'));
    assert.equal([none.code, /no terminal key file/.test(none.err)], [2, true]);
  } finally {
    delete process.env.TEMPLOCK_PASSPHRASE;
    delete process.env.TEMPLOCK_NEW_PASSPHRASE;
  }
});

test('a terminal key file sealed under a passphrase by the pure-JavaScript Argon2id (fixture) opens through the default path', async () => {
  const fixtureDb = join(dir, 'fixture.db');
  writeFileSync(`${fixtureDb}.keyring`, readFileSync(new URL('fixtures/passphrase-v1-keyring.json', import.meta.url)));
  process.env.TEMPLOCK_PASSPHRASE = 'correct horse battery staple';
  try {
    const r = await run('revoke', '--id', 'x', '--db', fixtureDb, '--json');
    assert.is(r.code, 0, r.err);
    process.env.TEMPLOCK_PASSPHRASE = 'correct horse battery stapler';
    assert.match((await run('revoke', '--id', 'x', '--db', fixtureDb)).err, /DECRYPT_FAILED/);
  } finally {
    delete process.env.TEMPLOCK_PASSPHRASE;
  }
});

test('no output ever carried a passphrase or a key-encryption key', () => {
  const secrets = ['correct horse', 'a new passphrase', readFileSync(kek, 'utf8').trim(), readFileSync(join(dir, 'next.kek'), 'utf8').trim()];
  const text = everything.join('\n');
  for (const s of secrets) assert.not.ok(text.includes(s));
});

test.run();
