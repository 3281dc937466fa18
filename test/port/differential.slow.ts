// The differential test at ten times the size (about 30,000 cases, another seed): this
// implementation and the independent Python port must agree on every outcome. Slow suite
// (`npm run test:slow`); skipped when python3 is absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { differentialFiles, hasPython, outcomeCounts, runPortOn } from './_differential.js';

if (!hasPython) console.log('SKIP python-port differential (slow): python3 is not installed; the port did not run');

test('the Python port agrees on every case of the large differential run', () => {
  if (!hasPython) return;
  const files = differentialFiles('port-differential-large', 10);
  console.log(`  ${[...outcomeCounts(files)].map(([k, n]) => `${k}: ${n}`).join('; ')}`);
  const r = runPortOn(files, process.env.TEMPLOCK_DIFFERENTIAL_DIR);
  assert.is(r.failures.length, 0, r.failures.slice(0, 10).join('\n') + r.stderr);
  assert.is(r.summary, `${r.total} passed, 0 failed`, r.stderr);
  assert.is(r.status, 0);
});

test.run();
