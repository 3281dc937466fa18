// Differential test of the two implementations beyond the published vectors (the cases of
// _differential.ts at scale 1: about 3,000): this implementation and the independent Python port
// must agree on every outcome. TEMPLOCK_DIFFERENTIAL_DIR=dir keeps the generated files there (to
// rerun the port on them). A ten times larger run is differential.slow.ts. Skipped when python3
// is absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { differentialFiles, hasPython, outcomeCounts, runPortOn } from './_differential.js';

if (!hasPython) console.log('SKIP python-port differential: python3 is not installed; the port did not run');
const files = differentialFiles('port-differential', 1);

test('the generated cases reach valid and invalid outcomes of every kind', () => {
  const outcomes = outcomeCounts(files);
  console.log(`  ${[...outcomes].map(([k, n]) => `${k}: ${n}`).join('; ')}`);
  for (const k of ['protect_v1.schema.json valid', 'protect_v1.schema.json RangeError', 'template_v1.schema.json valid',
    'template_v1.schema.json MALFORMED', 'template_v1.schema.json UNSUPPORTED_VERSION', 'compare_v1.schema.json valid',
    'compare_v1.schema.json INCOMPATIBLE', 'compare_v1.schema.json MALFORMED', 'protect_v1.schema.json TypeError',
    'record_v1.schema.json valid', 'record_v1.schema.json DECRYPT_FAILED', 'record_v1.schema.json MALFORMED',
    'fuzzy_commitment_v1.schema.json valid', 'fuzzy_commitment_v1.schema.json RangeError', 'fuzzy_commitment_v1.schema.json MALFORMED'])
    assert.ok((outcomes.get(k) ?? 0) > 0, `no case of ${k}`);
});

test('a record whose parameter block has a dimension outside [32, 4096] is MALFORMED (SPEC.md §7.4 rule 5)', () => {
  const cases = files.find((f) => f.schema === 'record_v1.schema.json')!.testGroups.flatMap((g) => g.tests).filter((t) => t.comment.startsWith('parameter block dimension'));
  assert.is(cases.length, 8);
  for (const t of cases) assert.is(t.error, 'MALFORMED', t.comment);
});

test('the Python port agrees on every case', () => {
  if (!hasPython) return;
  const r = runPortOn(files, process.env.TEMPLOCK_DIFFERENTIAL_DIR);
  assert.is(r.failures.length, 0, r.failures.slice(0, 10).join('\n') + r.stderr);
  assert.is(r.summary, `${r.total} passed, 0 failed`, r.stderr);
  assert.is(r.status, 0);
});

test.run();
