// The whole mutation check of the vectors (`npm run test:slow`; also `npm run vectors:mutants`):
// the unchanged source passes every vector and every mutant of the catalogue is killed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MUTANTS } from '../../vectors/mutants/catalogue.js';
import { runMutants, verifyUnchanged } from '../../vectors/mutants/run.js';

test('the unchanged source passes, every mutant of the catalogue is killed', async () => {
  const control = await verifyUnchanged();
  assert.equal([control.outcome, control.failures], ['survived', 0], 'the unchanged source passes every vector');
  const results = await runMutants(MUTANTS, 2);
  const survivors = results.filter((r) => r.outcome !== 'killed').map((r) => `${r.outcome}: ${r.name}`);
  assert.equal(survivors, []);
  console.log(`  ${results.length} mutants killed`);
});

test.run();
