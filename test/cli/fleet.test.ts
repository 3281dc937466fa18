// The command line of a fleet on a real PostgreSQL server (a throw-away cluster): a desk enrols
// and revokes with --store, a terminal follows with `templock sync --once` into its own database
// and decides from it (accepted, then REVOKED after the next sync); a terminal of another tenant
// is refused before it syncs; no output carries the database password.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { enrolmentCapture, probeCapture } from '../../src/cli/commands/demo-views.js';
import { main } from '../../src/cli/main.js';
import { createEmbedder, type RgbImage } from '../../src/embed/index.js';
import { createTenant, migratePostgres } from '../../src/storage/postgres/index.js';
import { postgresSkipReason, startCluster } from '../../src/cli/local-postgres.js';

const skip = postgresSkipReason();
if (skip) {
  console.log(`SKIP test/cli/fleet.test.ts: ${skip}`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as { PNG: { sync: { write(p: { width: number; height: number; data: Buffer }): Buffer } } };
const DEMO = join(require.resolve('@vladmandic/face-api/package.json'), '..', 'demo');
const dir = mkdtempSync(join(tmpdir(), 'templock-cli-fleet-'));
const kek = join(dir, 'fleet.kek');
const desk = join(dir, 'desk.db');
const gate = join(dir, 'gate.db');
const everything: string[] = [];
const cluster = startCluster();
const PASSWORD = 'fleet-password-7f3a9c';

async function run(...argv: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} };
  const code = await main([...argv, '--key-file', kek, '--json'], io);
  everything.push(...out, ...err);
  return { code, json: out.length ? (JSON.parse(out[out.length - 1]!) as Record<string, unknown>) : {}, err: err.join('\n') };
}

function writePng(name: string, img: RgbImage): string {
  const rgba = Buffer.alloc(img.width * img.height * 4, 255);
  for (let p = 0; p < img.width * img.height; p++) rgba.set(img.data.subarray(p * 3, p * 3 + 3), p * 4);
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write({ width: img.width, height: img.height, data: rgba }));
  return path;
}

const embedder = await createEmbedder();
const photo = embedder.decode(join(DEMO, 'sample1.jpg'));
const faces = await embedder.detectFaces(photo);
const alice = writePng('alice.png', enrolmentCapture(photo, faces[0]!));
const aliceAgain = writePng('alice-again.png', probeCapture(photo, faces[0]!, 0).image);
await migratePostgres(cluster.url);
await createTenant(cluster.url, 'acme', PASSWORD);
const url = cluster.urlFor('acme', PASSWORD);
delete process.env.TEMPLOCK_PASSPHRASE;
delete process.env.TEMPLOCK_KEY_FILE;
delete process.env.TEMPLOCK_STORE;

test.after(() => {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('desk enrols into the central store; a terminal syncs and accepts; a revocation at the desk reaches it', async () => {
  assert.is((await run('keys', 'create', '--db', desk, '--tenant', 'acme')).code, 0);
  copyFileSync(`${desk}.keyring`, `${gate}.keyring`);                 // the terminal's copy of the keys
  const enrolled = await run('enroll', '--id', 'alice', '--image', alice, '--db', desk, '--store', url);
  assert.is(enrolled.code, 0, enrolled.err);
  assert.is(enrolled.json.enrolled, 'alice');
  const duplicate = await run('enroll', '--id', 'alice', '--image', alice, '--db', desk, '--store', url);
  assert.is(duplicate.code, 4, 'the central store already holds alice');
  const synced = await run('sync', '--once', '--db', gate, '--store', url);
  assert.is(synced.code, 0, synced.err);
  assert.is(synced.json.event, 'synced');
  const accepted = await run('verify', '--id', 'alice', '--image', aliceAgain, '--db', gate);
  assert.is(accepted.code, 0, accepted.err);
  assert.is(accepted.json.accepted, true);

  const revoked = await run('revoke', '--id', 'alice', '--db', desk, '--store', url);
  assert.is(revoked.code, 0, revoked.err);
  assert.is((await run('sync', '--once', '--db', gate, '--store', url)).code, 0);
  const refused = await run('verify', '--id', 'alice', '--image', aliceAgain, '--db', gate);
  assert.is.not(refused.code, 0);
  assert.match(refused.err, /REVOKED/);
});

test('a terminal of another tenant is refused before it syncs; a bad URL is a usage error', async () => {
  const other = join(dir, 'other.db');
  assert.is((await run('keys', 'create', '--db', other, '--tenant', 'globex')).code, 0);
  const wrong = await run('sync', '--once', '--db', other, '--store', url);
  assert.is(wrong.code, 2);
  assert.match(wrong.err, /tenant "acme".*"globex"/);
  assert.is((await run('sync', '--once', '--db', gate, '--store', 'mysql://x')).code, 2);
});

test('no output carries the database password', () => {
  assert.ok(everything.length > 5);
  for (const line of everything) assert.not.ok(line.includes(PASSWORD), line.slice(0, 60));
});

test.run();
