// SPEC.md Appendix A: the worked example printed there is exactly what the implementation
// computes step by step, and its templates are what protect() returns for the same inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { workedExample, workedExampleBlock } from './_worked-example.js';

const spec = readFileSync(join(PROJECT_ROOT, 'SPEC.md'), 'utf8');
const appendix = spec.slice(spec.indexOf('## Appendix A. Worked example'));
const block = /```text\n([\s\S]*?)\n```/.exec(appendix)?.[1];

test('SPEC.md has the worked-example block in Appendix A', () => {
  assert.ok(block, 'no ```text block after "## Appendix A. Worked example"');
});

test('every value of the worked example matches the implementation', () => {
  const printed = new Map(block!.split('\n').map((l) => [l.slice(0, l.indexOf(' = ')), l.slice(l.indexOf(' = ') + 3)]));
  for (const [name, value] of workedExample()) assert.is(printed.get(name), value, name);
  assert.is(block, workedExampleBlock());
});

test('the example canonical vector is x / ||x|| times 2^14, rounded (no halfway cases in it)', () => {
  const get = (name: string) => workedExample().find(([k]) => k === name)![1];
  const x = get('x').split(' ').map(Number);
  const n = Math.sqrt(x.reduce((s, c) => s + c * c, 0));
  assert.equal(get('v').split(' ').map(Number), x.map((c) => Math.round((c / n) * 16384)));
});

test.run();
