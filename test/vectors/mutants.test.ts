// The mutation check of the vectors, fast subset (the whole catalogue: vectors/mutants.slow.ts,
// `npm run vectors:mutants`): the unchanged source passes every vector, each fast mutant of the
// catalogue is killed by some vector, and every replacement of the catalogue still applies to
// exactly one place of src/ (a mutant that no longer applies would test nothing).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MUTANTS } from '../../vectors/mutants/catalogue.js';
import { runMutants, verifyUnchanged } from '../../vectors/mutants/run.js';
import { PROJECT_ROOT } from '../_lib/shared.js';

test('every mutant of the catalogue applies to exactly one place of src/, and names a SPEC.md section', () => {
  for (const m of MUTANTS) {
    const text = readFileSync(join(PROJECT_ROOT, 'src', m.file), 'utf8');
    const at = text.indexOf(m.find);
    assert.ok(at >= 0 && text.indexOf(m.find, at + 1) < 0, `${m.name}: applies once`);
    assert.ok(m.replace !== m.find, `${m.name}: changes something`);
    assert.match(m.name, /^§\d/, `${m.name}: named by section`);
  }
  assert.equal(new Set(MUTANTS.map((m) => m.name)).size, MUTANTS.length, 'names are unique');
});

test('the unchanged source passes every vector (the check can tell)', async () => {
  const control = await verifyUnchanged();
  assert.equal([control.outcome, control.failures], ['survived', 0]);
});

test('the fast mutants are each killed by the vectors', async () => {
  const fast = MUTANTS.filter((m) => m.fast);
  assert.ok(fast.length >= 6);
  const results = await runMutants(fast, 2);
  for (const r of results) assert.is(r.outcome, 'killed', r.name);
  console.log(`  ${results.length} fast mutants killed in ${results.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s of runs`);
});

test.run();
