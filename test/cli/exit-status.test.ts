// Exit statuses a script can trust, without loading the face model: 0 done, 1 rejected, 2 usage,
// 3 keys, 4 store or data, 5 image, 6 runtime; with --json every failure is also one JSON object
// on stdout; --version; `templock keys --help`; a missing image is refused before the keys are
// unlocked or the model loaded; progress while keys open and records re-wrap; `keys create`
// refuses a weak passphrase without repeating it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { _failureOf, EXIT } from '../../src/cli/exit-status.js';
import { main } from '../../src/cli/main.js';
import { ERROR_CODES, TemplockError } from '../../src/index.js';
import { PROJECT_ROOT } from '../_lib/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'templock-exit-'));
const db = join(dir, 'gate.db');
const kek = join(dir, 'gate.kek');
delete process.env.TEMPLOCK_PASSPHRASE;
delete process.env.TEMPLOCK_KEY_FILE;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string; progress: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), progress: (done, total, label) => progress.push(`${label} ${done}/${total}`) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), progress };
}

test('every error code has an exit status; argument errors are usage, anything else runtime', () => {
  for (const code of ERROR_CODES) assert.ok(Object.values(EXIT).includes(_failureOf(new TemplockError(code, 'x')).status as never), code);
  assert.equal(_failureOf(new TemplockError('DECRYPT_FAILED', 'x')), { status: 3, code: 'DECRYPT_FAILED' });
  assert.equal(_failureOf(new TemplockError('INTEGRITY', 'x')), { status: 4, code: 'INTEGRITY' });
  assert.equal(_failureOf(new TemplockError('NO_FACE', 'x')), { status: 5, code: 'NO_FACE' });
  assert.equal(_failureOf(new TemplockError('LOCKED_OUT', 'x')), { status: 1, code: 'LOCKED_OUT' });
  assert.equal(_failureOf(new RangeError('x')), { status: 2, code: 'USAGE' });
  assert.equal(_failureOf(new Error('x')), { status: 6, code: 'RUNTIME' });
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(await run('--version'), { code: 0, out: `templock ${version}`, err: '', progress: [] });
  assert.equal(JSON.parse((await run('--version', '--json')).out), { version });
});

test('keys --help lists the keys commands; keys alone is a usage error', async () => {
  const help = await run('keys', '--help');
  assert.is(help.code, 0);
  for (const c of ['keys create', 'keys rotate', 'keys rewrap']) assert.match(help.out, `templock ${c}`);
  assert.not.match(help.out, 'templock verify');
  assert.is((await run('keys')).code, 2);
});

test('usage errors are exit 2, and with --json one JSON object on stdout', async () => {
  const unknown = await run('frobnicate', '--json');
  assert.is(unknown.code, 2);
  assert.equal(JSON.parse(unknown.out), { error: { code: 'USAGE', message: 'unknown command "frobnicate" (templock --help lists them)' }, exit: 2 });
  const flag = await run('verify', '--id', 'x', '--imgae', 'a.jpg', '--json');
  assert.is(flag.code, 2);
  assert.is((JSON.parse(flag.out) as { error: { code: string } }).error.code, 'USAGE');
  assert.match(flag.err, /--imgae/);
  assert.is((await run('verify', '--image', 'a.jpg')).code, 2, 'a missing --id');
  assert.is((await run()).code, 2);
});

test('a missing image is exit 5 before the terminal is opened or the face model loaded', async () => {
  // The database does not exist either: the image is checked first.
  const r = await run('verify', '--id', 'alice', '--image', join(dir, 'missing.jpg'), '--db', join(dir, 'none.db'), '--json');
  assert.is(r.code, 5);
  assert.is((JSON.parse(r.out) as { error: { code: string } }).error.code, 'IMAGE_UNREADABLE');
  assert.is((await run('identify', '--image', dir, '--db', join(dir, 'none.db'))).code, 5, 'a folder is not an image');
});

test('keys: a wrong key file is exit 3, a missing one or a missing terminal exit 2', async () => {
  assert.is((await run('keys', 'create', '--db', db, '--key-file', kek)).code, 0);
  const other = join(dir, 'other.kek');
  assert.is((await run('keys', 'create', '--db', join(dir, 'other.db'), '--key-file', other)).code, 0);
  const wrong = await run('revoke', '--id', 'x', '--db', db, '--key-file', other, '--json');
  assert.equal([wrong.code, (JSON.parse(wrong.out) as { error: { code: string } }).error.code], [3, 'DECRYPT_FAILED']);
  assert.is((await run('revoke', '--id', 'x', '--db', db, '--key-file', join(dir, 'nope.kek'))).code, 2);
  assert.is((await run('revoke', '--id', 'x', '--db', join(dir, 'none.db'), '--key-file', kek)).code, 2);
  assert.is((await run('keys', 'create', '--db', db, '--key-file', kek)).code, 4, 'an existing terminal');
});

test('keys rotate reports progress while it opens the keys and re-wraps the records', async () => {
  const r = await run('keys', 'rotate', '--db', db, '--key-file', kek);
  assert.is(r.code, 0, r.err);
  assert.equal(r.progress, ['opening the terminal keys 0/1', 'opening the terminal keys 1/1', 'rewrapping records 0/1', 'rewrapping records 1/1']);
});

test('keys create refuses a passphrase too weak to protect anything, without repeating it', async () => {
  for (const weak of ['a', 'password', 'aaaaaaaaaaaaaaaa']) {
    process.env.TEMPLOCK_PASSPHRASE = weak;
    try {
      const path = join(dir, `weak-${weak.length}.db`);
      const r = await run('keys', 'create', '--db', path, '--json');
      assert.is(r.code, 2, weak);
      assert.match(r.err, /too weak/);
      assert.not.ok(`${r.out}${r.err}`.includes(`${weak}"`) || r.err.includes(`: ${weak}`), 'the passphrase is not repeated');
      assert.not.ok(existsSync(`${path}.keyring`), 'nothing was created');
    } finally {
      delete process.env.TEMPLOCK_PASSPHRASE;
    }
  }
});

test.run();
