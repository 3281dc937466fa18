// `npm run vectors:check`: the committed vector files are byte-identical to a fresh generation,
// and the check names a file that differs (exit status 1).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { differingFiles } from '../../vectors/generate.js';
import { GENERATORS } from '../../vectors/generators/index.js';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { tempCopy, vectorFiles } from './_files.js';

test('every committed vector file is identical to a fresh generation', () => {
  assert.equal(differingFiles(), []);
});

test('every vector file in vectors/ has a generator, and every generator a distinct file', () => {
  const names = GENERATORS.map((g) => g.file);
  assert.is(new Set(names).size, names.length);
  assert.equal(vectorFiles().map((f) => f.name).sort(), [...names].sort());
});

test('the check names a tampered file and exits 1; an untouched copy passes', () => {
  const dir = tempCopy(['compare_v1.json', 'template_v1.json']);
  try {
    const path = join(dir, 'template_v1.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"tcId": 3,', '"tcId": 3, '));
    const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', 'vectors/generate.ts', '--check', '--dir', dir, file], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    const bad = run('template_v1.json');
    assert.is(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, `${path} differs from a fresh generation`);
    const good = run('compare_v1.json');
    assert.is(good.status, 0, good.stderr);
    assert.match(good.stdout, 'identical to a fresh generation (1 checked)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
