// Worker threads: a gallery identifying over 2 and 3 threads (shared WebAssembly memory) returns
// exactly the single-thread result, ties included, on both WASM backends, before and after
// mutations; closing the workers keeps the gallery working.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Gallery, init } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';
import { GALLERY_PARAMS, randomPayloads, referenceTemplate, withPayload } from './_gallery-data.js';

const rng = new Seeded('match-threads');
const COUNT = 20_000;

for (const backend of ['wasm-simd', 'wasm-scalar'] as const) {
  for (const params of GALLERY_PARAMS) {
    test(`${backend} ${params.scheme}: 2 and 3 threads give the single-thread result`, async () => {
      await init({ backend });
      const ref = referenceTemplate(params, rng);
      const ids = Array.from({ length: COUNT }, (_, i) => `s${i}`);
      const payloads = randomPayloads(ref, COUNT, rng);
      const one = new Gallery(ref, { scores: 'exact' });
      const many = [new Gallery(ref, { threads: 2, scores: 'exact' }), new Gallery(ref, { threads: 3, scores: 'exact' })];
      try {
        for (const g of [one, ...many]) g.addPayloads(ids, payloads);
        for (const g of many) {
          await g.ready();
          assert.is(g.threads, many.indexOf(g) + 2);
        }
        const compare = (what: string) => {
          for (let i = 0; i < 5; i++) {
            const probe = withPayload(ref, i === 0 ? payloads.slice(0, ref.payload.length) : randomPayloads(ref, 1, rng));
            const twentieth = one.identify(probe, { k: 20 })[19]!.score!;
            for (const opts of [{ k: 1 }, { k: 10 }, { k: 200 }, { k: 50, threshold: twentieth }]) {
              const expected = one.identify(probe, opts);
              assert.ok(expected.length > 0);
              for (const g of many) assert.equal(g.identify(probe, opts), expected, `${what}: ${g.threads} threads, k ${opts.k}`);
            }
          }
        };
        compare('loaded');
        for (const g of [one, ...many]) {
          g.remove('s5');
          g.update('s9', withPayload(ref, payloads.slice(0, ref.payload.length)));
        }
        compare('after remove and update');
        for (const g of many) g.close();
        compare('after close');
      } finally {
        for (const g of many) g.close();
      }
    });
  }
}

test('many identifications in a row, the gallery growing between them, stay equal to one thread', async () => {
  await init({ backend: 'wasm-simd' });
  const ref = referenceTemplate(GALLERY_PARAMS[0]!, rng);
  const one = new Gallery(ref, { scores: 'exact' }), two = new Gallery(ref, { threads: 2, scores: 'exact' });
  try {
    await two.ready();
    let next = 0;
    for (let round = 0; round < 12; round++) {
      // Row counts change the number of chunks from one identification to the next.
      const count = 1500 * (round + 1);
      const ids = Array.from({ length: count }, () => `g${next++}`);
      const payloads = randomPayloads(ref, count, rng);
      one.addPayloads(ids, payloads);
      two.addPayloads(ids, payloads);
      for (let i = 0; i < 15; i++) {
        const probe = withPayload(ref, randomPayloads(ref, 1, rng));
        const opts = { k: 1 + ((round * 15 + i) % 40) };
        assert.equal(two.identify(probe, opts), one.identify(probe, opts), `round ${round}, probe ${i}`);
      }
    }
  } finally {
    two.close();
  }
});

test.run();
