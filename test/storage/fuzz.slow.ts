// Decoder fuzz, slow suite: 200,000 random and mutated records in two seeds; only typed errors,
// no hang, bounded memory, no secret in any message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoSecretInMessages } from './_support.js';
import { fuzzRecords } from './_fuzz.js';

for (const seed of ['fuzz-slow-1', 'fuzz-slow-2']) {
  test(`100,000 random and mutated records (${seed}): only typed errors, no hang, bounded memory`, () => {
    const r = fuzzRecords(100_000, seed);
    console.log(`fuzz ${seed}: ${JSON.stringify(r)}`);
    assert.is(r.inputs, 100_000);
  });
}

test('no key, salt or template byte in any error message of the fuzz', () => {
  assert.ok(assertNoSecretInMessages() > 5);
});

test.run();
