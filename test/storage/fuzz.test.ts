// Decoder fuzz, the sample run in `npm test` (20,000 inputs; the slow suite runs 200,000):
// only typed errors, no hang, bounded memory, no secret in any message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertNoSecretInMessages } from './_support.js';
import { fuzzRecords } from './_fuzz.js';

test('20,000 random and mutated records: only MALFORMED / UNSUPPORTED_VERSION / UNKNOWN_KEY_ID / DECRYPT_FAILED', () => {
  const r = fuzzRecords(20_000, 'fuzz-sample');
  console.log(`fuzz sample: ${JSON.stringify(r)}`);
  assert.ok(r.codes.DECRYPT_FAILED! > 1000 && r.codes.MALFORMED! > 1000);
});

test('no key, salt or template byte in any error message of the fuzz', () => {
  assert.ok(assertNoSecretInMessages() > 5);
});

test.run();
