// The peer libraries of the benchmarks compute the same exact result as templock on data shaped
// like the bench's (the scan suite checks it again at full size before timing): usearch's
// exactSearch and faiss-node's IndexFlatIP give the same top-10 ids as a templock kernel scan
// followed by the top-10 selection, with scores equal within float tolerance (exactly for int8).
// A peer that is not in bench/peers/ (`npm run bench` installs it there) is skipped with a SKIP line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sameTopK, topkOfScores, type TopKResult } from '../../bench/baseline/topk.js';
import { plantNearDuplicates, randomBytes, unitRows } from '../../bench/harness/data.js';
import { place } from '../../bench/harness/kernels.js';
import { peer, peerSkipped } from '../../bench/harness/peers.js';
import { createKernels, init } from '../../src/match/index.js';

const K = 10, DIM = 512;
const usearch = peer('usearch');
const faiss = peer('faiss-node');
if (!usearch) console.log(`SKIP bench peers usearch: ${peerSkipped('usearch')}`);
if (!faiss) console.log(`SKIP bench peers faiss-node: ${peerSkipped('faiss-node')}`);

await init();
const k = createKernels();
const f32 = unitRows(20_000, DIM, 61, 4);
const i8 = { gallery: new Int8Array(randomBytes(50_000 * DIM, 63).buffer), probe: new Int8Array(randomBytes(DIM, 64).buffer) };
plantNearDuplicates(i8.gallery, i8.probe, 4);

/** templock's exact top-10: the WASM scan, then the selection the bench uses. */
function templockTop(scan: 'f32' | 'i8'): TopKResult {
  const { gallery, probe } = scan === 'f32' ? f32 : i8;
  const count = gallery.length / DIM;
  const base = place(k, gallery), p = place(k, probe), out = k.alloc(count * 4);
  if (scan === 'f32') k.scan_dot_f32(p, base, count, DIM, out);
  else k.scan_dot_i8(p, base, count, DIM, out);
  return topkOfScores(scan === 'f32' ? k.f32(out, count) : k.i32(out, count), K);
}

if (usearch) {
  test('usearch exactSearch (inner product, one thread): the same top-10 as templock over float32 unit rows and int8 rows', () => {
    for (const [scan, data, tolerance] of [['f32', f32, 1e-5], ['i8', i8, 0]] as const) {
      const m = usearch.exactSearch(data.gallery, data.probe, DIM, K, 'ip', 1);
      const theirs = { ids: Array.from(m.keys, Number), scores: Array.from(m.distances, (d) => 1 - d) };
      const ours = templockTop(scan);
      assert.is(ours.ids.length, K);
      assert.ok(sameTopK(tolerance)(ours, theirs), `${scan}: ${JSON.stringify(ours.ids)} vs ${JSON.stringify(theirs.ids)}`);
    }
  });
}

if (faiss) {
  test('faiss-node IndexFlatIP: the same top-10 as templock over float32 unit rows', () => {
    const index = new faiss.IndexFlatIP(DIM);
    index.add(Array.from(f32.gallery));
    const r = index.search(Array.from(f32.probe), K);
    assert.ok(sameTopK(1e-5)(templockTop('f32'), { ids: r.labels, scores: r.distances }));
  });
}

test('float top-k agree when only entries within rounding of each other change places, never otherwise', () => {
  const ours = { ids: [5, 7, 1], scores: [0.9999999, 0.9999998, 0.5] };
  assert.ok(sameTopK(1e-5)(ours, { ids: [7, 5, 1], scores: [0.9999999, 0.9999998, 0.5] }));
  assert.not.ok(sameTopK(1e-5)(ours, { ids: [5, 7, 2], scores: [0.9999999, 0.9999998, 0.5] }));
  assert.not.ok(sameTopK(1e-5)({ ids: [5, 1], scores: [0.9, 0.5] }, { ids: [1, 5], scores: [0.9, 0.5] }));
  assert.not.ok(sameTopK(0)({ ids: [5, 7], scores: [3, 3] }, { ids: [7, 5], scores: [3, 3] }));
});

test('the selection the bench applies to full scans: the k largest, ties to the lower row', () => {
  assert.equal(topkOfScores([3, 9, 1, 9, 7], 3), { ids: [1, 3, 4], scores: [9, 9, 7] });
  assert.equal(topkOfScores([2, 1], 5), { ids: [0, 1], scores: [2, 1] });
});

test.run();
