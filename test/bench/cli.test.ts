// `templock bench` runs the benchmark runner of the package: --list names every suite file and
// its workloads, options are forwarded, unknown options are rejected.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

function capture(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [], errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), progress() {} };
}

test('bench --list lists every suite in bench/ with its workloads', async () => {
  const io = capture();
  assert.is(await main(['bench', '--list'], io), 0);
  const files = readdirSync(fileURLToPath(new URL('../../bench/', import.meta.url))).filter((f) => f.endsWith('.bench.ts'));
  assert.ok(files.length >= 4);
  for (const f of files) assert.ok(io.lines.some((l) => l.endsWith(`(${f})`)), f);
  assert.ok(io.lines.some((l) => l.includes('hamming_u1 1:N top-10')));
});

test('bench --help describes the columns; an unknown option is a usage error (exit 2)', async () => {
  const io = capture();
  assert.is(await main(['bench', '--help'], io), 0);
  assert.ok(io.lines.join('\n').includes('native C ceiling'));
  assert.ok(io.lines.join('\n').includes('--repeat N'));
  const bad = capture();
  assert.is(await main(['bench', '--bogus'], bad), 2);
  assert.ok(bad.errors.join('\n').includes('bogus'));
});

test.run();
