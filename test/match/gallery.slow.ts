// A 1,000,000-template gallery of 512-bit sign templates: loads in chunks, identifies on one and
// on two threads with the brute-force result (every distance computed in plain JS), and reports
// its memory per template.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { POPCOUNT8 } from '../../src/bits.js';
import { Gallery, init } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';
import { oracle, randomPayloads, referenceTemplate, withPayload } from './_gallery-data.js';

const rng = new Seeded('match-gallery-1m');
const COUNT = 1_000_000, CHUNK = 100_000;

test('1M x 512-bit gallery: identify on 1 and 2 threads equals brute force', async () => {
  await init();
  const ref = referenceTemplate({ scheme: 'sign', dim: 64, bits: 512 }, rng);
  const n = ref.payload.length;
  const payloads = new Uint8Array(COUNT * n);
  for (let c = 0; c < COUNT; c += CHUNK) payloads.set(rng.bytes(CHUNK * n), c * n);
  const ids = Array.from({ length: COUNT }, (_, i) => `subject-${i}`);
  const galleries = [new Gallery(ref, { scores: 'exact' }), new Gallery(ref, { threads: 2, scores: 'exact' })];
  try {
    for (const g of galleries) {
      for (let c = 0; c < COUNT; c += CHUNK) g.addPayloads(ids.slice(c, c + CHUNK), payloads.subarray(c * n, (c + CHUNK) * n));
      assert.is(g.size, COUNT);
      assert.ok(g.memoryBytes < COUNT * n * 1.6, `memory ${g.memoryBytes}`);
    }
    await galleries[1]!.ready();
    console.log(`1M gallery: ${(galleries[0]!.memoryBytes / COUNT).toFixed(1)} bytes of kernel memory per template`);
    for (let i = 0; i < 3; i++) {
      const probe = i === 0 ? payloads.slice(123_456 * n, 123_457 * n) : randomPayloads(ref, 1, rng);
      // Brute force: the distance of every row, the 10 smallest in row order.
      const dist = new Uint16Array(COUNT);
      for (let r = 0; r < COUNT; r++) {
        let d = 0;
        for (let j = 0; j < n; j++) d += POPCOUNT8[payloads[r * n + j]! ^ probe[j]!]!;
        dist[r] = d;
      }
      const order = Array.from(dist.keys()).sort((a, b) => dist[a]! - dist[b]! || a - b).slice(0, 10);
      const expected = order.map((r, i) => ({ id: ids[r]!, rank: i + 1, score: 1 - dist[r]! / (8 * n) }));
      for (const g of galleries) assert.equal(g.identify(withPayload(ref, probe), { k: 10 }), expected, `${g.threads} threads`);
      if (i === 0) assert.equal(expected[0], { id: 'subject-123456', rank: 1, score: 1 });
    }
    // The oracle helper agrees on a slice (the same rule as compareTemplates).
    const head: [string, Uint8Array][] = ids.slice(0, 2000).map((id, r) => [id, payloads.subarray(r * n, (r + 1) * n)]);
    const small = new Gallery(ref, { scores: 'exact' });
    small.addPayloads(ids.slice(0, 2000), payloads.subarray(0, 2000 * n));
    const probe = randomPayloads(ref, 1, rng);
    assert.equal(small.identify(withPayload(ref, probe), { k: 20 }), oracle(ref, head, probe, 20, 0));
  } finally {
    for (const g of galleries) g.close();
  }
});

test.run();
