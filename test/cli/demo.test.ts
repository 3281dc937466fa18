// `templock demo` end to end (what `npm start` runs) on a temporary database: the scenario
// completes with every check passed, its figures are consistent, and the database it leaves
// holds sealed records only; with --fleet, terminals following a central store refuse a resident
// revoked at the desk; with --key-binding, door credentials bound to faces open 1:1 and 1:N for
// the resident only; its own temporary folder is removed unless --keep; an existing
// --db path is refused (exit 4).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { _demoDatabase } from '../../src/cli/commands/demo.js';
import { main } from '../../src/cli/main.js';
import { Keyring } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { postgresSkipReason } from '../../src/cli/local-postgres.js';

test('the demo enrols, verifies, identifies, rejects strangers, revokes, rotates and finds no raw embedding', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'templock-demo-test-')), 'demo.db');
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => {} };
  const code = await main(['demo', '--db', db, '--json'], io);
  const f = JSON.parse(out.join('\n'));
  console.log(`  ${f.residents} residents, genuine ${f.genuineAccepts}, rank-1 ${f.rank1}, impostor rejects ${f.impostorRejects}/${f.impostorTrials}, strangers ${f.strangerRejects}/${f.strangers}, ${f.msPerImage} ms per image`);
  assert.is(code, 0);
  assert.is(f.ok, true);
  assert.is(f.db, db);
  assert.is(f.kept, true, 'a --db path is kept');
  assert.is(f.detected, 22, 'the six sample photos show 22 faces');
  assert.ok(f.residents >= 10 && f.residents + f.failuresToEnrol === 13);
  assert.ok(f.genuineAccepts >= f.residents - 1, 'nearly every resident is accepted from another view');
  assert.ok(f.rank1 >= f.residents - 1);
  // Keys and salts are random on every run, so a few hard impostor pairs land on either side
  // of the threshold: at most 3 % may pass, a stranger at most once.
  assert.ok(f.impostorRejects >= Math.floor(f.impostorTrials * 0.97), 'impostors are rejected');
  assert.ok(f.strangerRejects >= f.strangers - 1, 'strangers match nobody');
  assert.is(f.revocation.refusedWith, 'REVOKED');
  assert.equal([f.revocation.newAccepted, f.revocation.oldMatchesNew, f.revocation.identifiedAfter], [true, false, true]);
  assert.equal([f.rotation.rewrapped, f.rotation.underOldKey, f.rotation.oldKeyDisabled], [f.residents, 0, true]);
  assert.equal([f.scan.selfCheck, f.scan.rawFound, f.scan.canonicalFound, f.scan.payloadFound], [true, 0, 0, 0]);
  assert.equal(f.steps.map((s: { step: string }) => s.step.split(' ')[0]), ['load', 'detect', 'enrol', 'verify', 'identify', 'revoke', 'rotate', 'scan']);
  // The records left behind are sealed: a store under another keyring opens none of them.
  const stranger = openSqliteStore(db, { keyring: Keyring.generate(), tenant: 'templock-demo' });
  try {
    assert.is(stranger.count(), f.residents);
    assert.is(stranger.verify().ok, false);
  } finally {
    stranger.close();
  }
});

test('demo --fleet: the residents in a throw-away PostgreSQL store, three terminals accepting one, then refusing it after its revocation at the desk', async () => {
  const skip = postgresSkipReason();
  if (skip) {
    console.log(`  SKIP demo --fleet: ${skip}`);
    return;
  }
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => {} };
  const code = await main(['demo', '--fleet', '--json'], io);
  const f = JSON.parse(out.join('\n'));
  assert.is(code, 0);
  assert.is(f.ok, true);
  assert.is(f.fleet.enrolled, f.residents);
  assert.equal([f.fleet.terminals, f.fleet.acceptedBefore, f.fleet.refusedAfter], [3, 3, 3]);
  assert.ok(f.fleet.refusalMs.every((ms: number) => ms < 5000), 'each terminal refused within the wait');
  console.log(`  fleet: refused after ${f.fleet.refusalMs.join(' / ')} ms`);
});

test('demo --key-binding: a door credential per resident that another view of the face opens 1:1 and 1:N; other faces rarely release one', async () => {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => {} };
  const code = await main(['demo', '--key-binding', '--json'], io);
  const f = JSON.parse(out.join('\n'));
  const k = f.keyBinding;
  console.log(`  key binding: ${k.bound} bound, opened ${k.opened}/${k.probes}, 1:N ${k.identified}/${k.probes}, released to others ${k.falseReleases}/${k.impostorTrials}, strangers ${k.strangersReleasing}/${k.strangers}`);
  assert.is(code, 0);
  assert.is(f.ok, true);
  assert.is(k.bound, f.residents, 'every enrolled resident has a bound credential');
  assert.ok(k.opened >= k.probes - 2, 'nearly every resident opens the credential from another view');
  assert.ok(k.identified >= k.probes - 2, 'and is the only one released 1:N');
  // As for the transforms: keys and salts are random on every run, so a hard pair can land on
  // either side of t; at most 3 % of the 1:1 trials may release, and a stranger at most once.
  assert.ok(k.falseReleases <= Math.floor(k.impostorTrials * 0.03), 'keys are rarely released to others');
  assert.ok(k.strangersReleasing <= 1, 'strangers release no key');
  // Revoking a subject deletes all its records: the re-issued resident has no bound record any more.
  assert.is(f.rotation.rewrapped, 2 * f.residents - 1, 'bound records are re-wrapped with the others');
});

test('the demo\'s temporary folder is removed at the end unless --keep; a --db path is kept', () => {
  const temporary = _demoDatabase(undefined, false);
  assert.ok(existsSync(dirname(temporary.path)));
  assert.is(temporary.kept, false);
  temporary.dispose();
  assert.not.ok(existsSync(dirname(temporary.path)), 'removed');
  const kept = _demoDatabase(undefined, true);
  kept.dispose();
  assert.ok(existsSync(dirname(kept.path)), 'kept with --keep');
  const given = _demoDatabase(join(dirname(kept.path), 'given.db'), false);
  assert.is(given.kept, true);
});

test('the demo refuses a database path that exists', async () => {
  const err: string[] = [];
  const io: Io = { out: () => {}, err: (l) => err.push(l), progress: () => {} };
  assert.is(await main(['demo', '--db', tmpdir()], io), 4);
  assert.match(err.join('\n'), /DUPLICATE_ID/);
});

test.run();
