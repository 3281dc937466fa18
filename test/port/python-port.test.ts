// The independent Python port (test/port/templock_port.py, written from SPEC.md alone) must
// reproduce every published vector: template bytes, scores, canonical vectors, derivations,
// sampler outputs, decodings and opened sealed records, and reject every invalid case with its
// error. Also checks the port's ChaCha20, HKDF and AEADs against the RFC and Wycheproof files of
// ../shared, that it recomputes the SPEC.md worked example, that it reports a corrupted
// expectation as a failure, and that its outputs file passes `templock vectors verify --outputs`
// (the check a vendor runs on a port). Skipped when python3 is absent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { PROJECT_ROOT, sharedPath } from '../_lib/shared.js';

const PORT = join(PROJECT_ROOT, 'test', 'port', 'templock_port.py');
const VECTORS = join(PROJECT_ROOT, 'vectors');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = python.status === 0;
if (!hasPython) console.log('SKIP python-port: python3 is not installed; the independent port did not run');

function runPort(args: string[]): { status: number | null; stdout: string; passed: number; failed: number } {
  const r = spawnSync('python3', [PORT, ...args], { encoding: 'utf8', timeout: 300_000 });
  const last = /(\d+) passed, (\d+) failed\s*$/.exec(r.stdout);
  assert.ok(last, `no summary line; stderr: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, passed: Number(last[1]), failed: Number(last[2]) };
}

const vectorFiles = readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
const scratch = mkdtempSync(join(tmpdir(), 'templock-port-'));
const outputsFile = join(scratch, 'port-outputs.jsonl');
const totalTests = vectorFiles.reduce((a, f) => a + (JSON.parse(readFileSync(join(VECTORS, f), 'utf8')) as { numberOfTests: number }).numberOfTests, 0);

test('the port reproduces every published vector', () => {
  if (!hasPython) return;
  assert.ok(vectorFiles.length > 0, 'vectors/ holds vector files');
  const r = runPort([VECTORS, '--outputs', outputsFile]);
  const failures = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
  assert.is(r.failed, 0, failures.slice(0, 20).join('\n'));
  assert.is(r.status, 0);
  assert.is(r.passed, totalTests, 'every test of every file was run');
  for (const f of vectorFiles) assert.ok(r.stdout.includes(`${f}: `), `${f} was read`);
  console.log(`  python port: ${r.passed} vector tests passed in ${vectorFiles.length} files`);
});

test('the port\'s outputs file passes templock vectors verify --outputs', async () => {
  if (!hasPython) return;
  const lines: string[] = [];
  const io: Io = { out: (l) => lines.push(l), err: (l) => lines.push(l), progress: () => {} };
  const code = await main(['vectors', 'verify', VECTORS, '--outputs', outputsFile], io);
  assert.is(lines.at(-1), `${totalTests} passed, 0 failed`, lines.slice(0, 20).join('\n'));
  assert.is(code, 0);
  assert.not.ok(lines.some((l) => l.startsWith('SKIP')), 'every file had outputs');
});

test('the port checks its ChaCha20, HKDF and AEADs against the RFC and Wycheproof files', () => {
  const rfc = sharedPath('vectors/rfc', 'python-port RFC self-check');
  const wycheproof = sharedPath('vectors/wycheproof', 'python-port Wycheproof AEAD self-check');
  if (!hasPython || !rfc || !wycheproof) return;
  const dir = mkdtempSync(join(tmpdir(), 'templock-port-'));
  try {
    writeFileSync(join(dir, 'samplers_v1.json'), readFileSync(join(VECTORS, 'samplers_v1.json')));
    const r = runPort([dir, '--rfc', rfc, '--wycheproof', wycheproof]);
    const count = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { testGroups: { tests: unknown[] }[] }).testGroups.reduce((a, g) => a + g.tests.length, 0);
    const aeadCases = ['chacha20_poly1305_test.json', 'xchacha20_poly1305_test.json', 'aes_gcm_siv_test.json'].reduce((a, f) => a + count(join(wycheproof, f)), 0);
    assert.is(r.failed, 0, r.stdout);
    assert.is(r.passed, count(join(VECTORS, 'samplers_v1.json')) + 5 + aeadCases, 'two RFC 8439 and three RFC 5869 cases, every Wycheproof AEAD case');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('the port recomputes every line of the SPEC.md Appendix A worked example', () => {
  if (!hasPython) return;
  const spec = readFileSync(join(PROJECT_ROOT, 'SPEC.md'), 'utf8');
  const block = /```text\n([\s\S]*?)\n```/.exec(spec.slice(spec.indexOf('## Appendix A')))?.[1];
  assert.ok(block, 'SPEC.md has the worked-example block');
  const dir = mkdtempSync(join(tmpdir(), 'templock-port-'));
  try {
    writeFileSync(join(dir, 'samplers_v1.json'), readFileSync(join(VECTORS, 'samplers_v1.json')));
    const r = runPort([dir, '--spec', join(PROJECT_ROOT, 'SPEC.md')]);
    assert.is(r.failed, 0, r.stdout);
    assert.ok(r.stdout.includes(`SPEC.md Appendix A: ${block.split('\n').length} passed, 0 failed`), r.stdout);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a corrupted expectation is reported as a failure', () => {
  if (!hasPython) return;
  const dir = mkdtempSync(join(tmpdir(), 'templock-port-'));
  try {
    const file = JSON.parse(readFileSync(join(VECTORS, 'canonical_v1.json'), 'utf8')) as { testGroups: { tests: { result: string; canonical?: string }[] }[] };
    const victim = file.testGroups[0]!.tests.find((t) => t.result === 'valid')!;
    victim.canonical = victim.canonical!.slice(0, -4) + (victim.canonical!.endsWith('0000') ? '0100' : '0000');
    writeFileSync(join(dir, 'canonical_v1.json'), JSON.stringify(file));
    const r = runPort([dir]);
    assert.is(r.failed, 1, r.stdout);
    assert.is(r.status, 1);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test.run();
