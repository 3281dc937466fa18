// `templock vectors verify [dir] [--outputs FILE]`: passes on the shipped vectors, fails (exit 1)
// with one line per failing test on a tampered copy, checks a port's outputs file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { perfectOutputs, tempCopy, vectorFiles } from './_files.js';

function capture(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [], errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), progress() {} };
}

const SMALL = ['compare_v1.json', 'samplers_v1.json', 'template_v1.json'];

test('vectors verify passes every shipped vector', async () => {
  const io = capture();
  assert.is(await main(['vectors', 'verify'], io), 0, io.lines.join('\n'));
  const total = vectorFiles().reduce((s, f) => s + f.file.numberOfTests, 0);
  assert.equal(io.lines, [`${total} passed, 0 failed`]);
});

test('a tampered copy fails with exit 1 and one line per failing test', async () => {
  const dir = tempCopy(SMALL);
  try {
    const path = join(dir, 'template_v1.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const t1 = file.testGroups[0].tests[0];
    t1.decoded.payload = t1.decoded.payload.replace(/^../, 'ff'); // expected payload byte changed
    const lastGroup = file.testGroups.at(-1);
    lastGroup.tests[0].error = 'UNSUPPORTED_VERSION'; // an empty template is MALFORMED
    writeFileSync(path, JSON.stringify(file));
    const io = capture();
    assert.is(await main(['vectors', 'verify', dir], io), 1);
    const total = SMALL.reduce((s, n) => s + vectorFiles().find((f) => f.name === n)!.file.numberOfTests, 0);
    assert.equal(io.lines, [
      `FAIL template_v1.json tcId 1: ${t1.comment}: payload: 64 bytes expected, got 64 bytes, first difference at byte 0`,
      `FAIL template_v1.json tcId ${lastGroup.tests[0].tcId}: empty: expected error UNSUPPORTED_VERSION, got error MALFORMED`,
      `${total - 2} passed, 2 failed`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--outputs checks a port: a perfect outputs file passes, a wrong line fails, other files are skipped', async () => {
  const dir = tempCopy(SMALL);
  try {
    const picked = vectorFiles().filter((f) => f.name !== 'samplers_v1.json' && SMALL.includes(f.name));
    const lines = perfectOutputs(picked);
    const outputs = join(dir, 'port-outputs.jsonl');
    writeFileSync(outputs, lines.join('\n') + '\n');
    const ok = capture();
    assert.is(await main(['vectors', 'verify', dir, '--outputs', outputs], ok), 0, ok.lines.join('\n'));
    const n = picked.reduce((s, f) => s + f.file.numberOfTests, 0);
    assert.equal(ok.lines, ['SKIP samplers_v1.json: no outputs for this file', `${n} passed, 0 failed`]);

    const first = JSON.parse(lines[0]!);
    writeFileSync(outputs, [JSON.stringify({ ...first, output: 0 }), ...lines.slice(1)].join('\n'));
    const bad = capture();
    assert.is(await main(['vectors', 'verify', dir, '--outputs', outputs], bad), 1);
    assert.is(bad.lines.filter((l) => l.startsWith('FAIL ')).length, 1);
    assert.match(bad.lines[0]!, `FAIL ${first.file} tcId ${first.tcId}: `);
    assert.is(bad.lines.at(-1), `${n - 1} passed, 1 failed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty directory fails (exit 1); a missing directory, a bad outputs file and extra arguments are usage errors (exit 2)', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'templock-vectors-'));
  try {
    const io = capture();
    assert.is(await main(['vectors', 'verify', empty], io), 1);
    assert.match(io.lines.join('\n'), 'no vector files (*.json) in this directory');
    const missing = capture();
    assert.is(await main(['vectors', 'verify', join(empty, 'nope')], missing), 2);
    assert.match(missing.errors.join('\n'), 'templock vectors verify:');
    const outputs = join(empty, 'out.jsonl');
    writeFileSync(outputs, 'not json\n');
    const badOut = capture();
    assert.is(await main(['vectors', 'verify', '--outputs', outputs], badOut), 2);
    assert.match(badOut.errors.join('\n'), 'outputs line 1: not JSON');
    const two = capture();
    assert.is(await main(['vectors', 'verify', empty, empty], two), 2);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('vectors verify --help documents the outputs format', async () => {
  const io = capture();
  assert.is(await main(['vectors', 'verify', '--help'], io), 0);
  assert.match(io.lines.join('\n'), '{"file": "sign_v1.json", "tcId": 3, "output"');
});

test.run();
