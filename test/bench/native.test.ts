// The native C ceiling computes exactly what the JS baselines compute (a wrong ceiling is worse
// than none): every kernel of bench/native on small seeded inputs. Skipped without a compiler.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dot_f32_scan } from '../../bench/baseline/dot_f32.js';
import { dot_i8_scan } from '../../bench/baseline/dot_i8.js';
import { equal_u8_topk } from '../../bench/baseline/equal_u8.js';
import { hamming_u1, hamming_u1_topk } from '../../bench/baseline/hamming_u1.js';
import { read_f64 } from '../../bench/baseline/read_f64.js';
import { topkResult } from '../../bench/baseline/topk.js';
import { fillWords, plantNearDuplicates, randomBytes, randomCodes, randomFloats } from '../../bench/harness/data.js';
import { iomGrpWeights } from '../../bench/harness/material.js';
import { loadNative, nativeSkipped, type NativeKernels } from '../../bench/harness/native.js';
import { protect } from '../../src/index.js';
import { createKernels, init } from '../../src/match/index.js';
import { _KeyStream } from '../../src/random/keystream.js';
import { _binomialWeights, _partialPermutation } from '../../src/random/samplers.js';
import type { IomGrpParams } from '../../src/transforms/scheme.js';

const c = loadNative();
if (!c) console.log(`SKIP native ceiling: ${nativeSkipped()}`);
const K = 10;

function nativeTop(run: (n: NativeKernels, ids: Int32Array, scores: Float64Array) => number) {
  const ids = new Int32Array(K), scores = new Float64Array(K);
  return topkResult(ids, scores, run(c!, ids, scores));
}

if (c) {
  test('read_f64: same sum as the JS bandwidth loop', () => {
    const buf = Float64Array.from(fillWords(new Uint32Array(1003), 3), (w) => w & 0xffff);
    assert.is(c.read_f64(buf), read_f64(buf));
  });

  test('hamming_u1: top-k (1 and 3 threads) and the 1:1 distance equal the JS baseline', () => {
    for (const bytes of [64, 32]) {
      const count = 5000;
      const gallery = randomBytes(count * bytes, 5), probe = randomBytes(bytes, 6);
      plantNearDuplicates(gallery, probe, 4);
      const planted = Math.floor((1.5 * count) / 4); // the second planted row: a top-k entry
      gallery.copyWithin(7 * bytes, planted * bytes, (planted + 1) * bytes); // an exact tie inside the top-k
      const js = hamming_u1_topk(new Uint32Array(gallery.buffer), new Uint32Array(probe.buffer), K);
      const expected = topkResult(js.ids, js.scores, js.filled);
      assert.equal(nativeTop((n, ids, s) => n.hamming_u1_topk(gallery, probe, count, bytes / 8, K, ids, s)), expected);
      for (const threads of [1, 2, 3])
        assert.equal(nativeTop((n, ids, s) => n.hamming_u1_topk_threads(gallery, probe, count, bytes / 8, K, ids, s, threads)), expected);
      const a = gallery.subarray(0, bytes), b = gallery.subarray(bytes * 9, bytes * 10);
      assert.is(c.hamming_u1_pair(a.slice(), b.slice(), bytes / 8, 3), hamming_u1(new Uint32Array(a.slice().buffer), 0, new Uint32Array(b.slice().buffer), 0, bytes / 4));
    }
  });

  test('equal_u8: top-k equals the JS baseline (m = 512 and a lane-tail length)', () => {
    for (const m of [512, 80]) {
      const count = 3000;
      const gallery = randomCodes(count * m, 16, 7), probe = randomCodes(m, 16, 8);
      plantNearDuplicates(gallery, probe, 3);
      const js = equal_u8_topk(new Uint32Array(gallery.buffer, 0, gallery.length / 4), new Uint32Array(probe.slice().buffer), K);
      assert.equal(nativeTop((n, ids, s) => n.equal_u8_topk(gallery, probe, count, m, K, ids, s)), topkResult(js.ids, js.scores, js.filled));
    }
  });

  test('dot_i8: scan equals the JS baseline exactly (dim 512 and 96)', () => {
    for (const dim of [512, 96]) {
      const count = 2000;
      const gallery = new Int8Array(randomBytes(count * dim, 9).buffer), probe = new Int8Array(randomBytes(dim, 10).buffer);
      gallery.fill(-128, 0, dim); // extremes: -128 * -128 products
      probe.fill(-128, 0, 8);
      const out = new Int32Array(count);
      c.dot_i8_scan(gallery, probe, count, dim, out);
      assert.equal(out, dot_i8_scan(gallery, probe, new Int32Array(count)));
    }
  });

  test('dot_f32: scan bit-exact with the kernels\' fixed order (JS reference backend), near the float64 baseline', async () => {
    await init({ backend: 'js' });
    for (const dim of [512, 100]) {
      const count = 2000;
      const gallery = randomFloats(count * dim, 11), probe = randomFloats(dim, 12);
      const out = new Float32Array(count);
      c.dot_f32_scan(gallery, probe, count, dim, out);
      const k = createKernels();
      const base = k.alloc(gallery.byteLength), p = k.alloc(probe.byteLength), o = k.alloc(4 * count);
      k.f32(base, gallery.length).set(gallery);
      k.f32(p, dim).set(probe);
      k.scan_dot_f32(p, base, count, dim, o);
      assert.equal(out, k.f32(o, count).slice());
      const js = dot_f32_scan(gallery, probe, new Float32Array(count));
      for (let i = 0; i < count; i++) assert.ok(Math.abs(out[i]! - js[i]!) <= 1e-4 * (1 + Math.abs(js[i]!)), `row ${i}`);
    }
  });

  test('iom_grp_protect, at either vector width: the payloads of protect() byte for byte', () => {
    for (const params of [{ scheme: 'iom-grp', dim: 128, m: 64, q: 16 }, { scheme: 'iom-grp', dim: 512, m: 16, q: 16 }] as IomGrpParams[]) {
      const key = randomBytes(32, 13), salt = randomBytes(16, 14);
      const n = 20;
      const embeddings = randomFloats(n * params.dim, 15);
      embeddings.set(new Float32Array(params.dim).fill(0.25), 0); // every projection of a constant vector ties often
      const W = iomGrpWeights(params, key, salt);
      for (const narrow of [0, 1] as const) {
        const out = new Uint8Array(n * params.m);
        c.iom_grp_protect(embeddings, n, params.dim, W, params.m, params.q, out, narrow);
        for (let e = 0; e < n; e++) {
          const t = protect(embeddings.subarray(e * params.dim, (e + 1) * params.dim), params, key, salt);
          assert.equal(out.subarray(e * params.m, (e + 1) * params.m), t.payload, `dim ${params.dim}, narrow ${narrow}, embedding ${e}`);
        }
      }
    }
  });

  test('binomial_weights and partial_permutations: the material of the JS samplers, byte for byte', () => {
    const key = randomBytes(32, 16);
    for (const count of [1, 31, 32, 255, 2048, 2049, 70_001]) {
      for (const lanes of [4, 8] as const) {
        const out = new Int8Array(count);
        c.binomial_weights(key, count, out, lanes);
        assert.equal(out, _binomialWeights(new _KeyStream(key), count), `count ${count}, ${lanes} lanes`);
      }
    }
    for (const [n, k, count] of [[512, 16, 300], [33, 33, 9], [4096, 256, 3], [3, 2, 5000]] as const) {
      const out = new Uint16Array(count * k), want = new Uint16Array(count * k);
      c.partial_permutations(key, n, k, count, out);
      const ks = new _KeyStream(key);
      for (let r = 0; r < count; r++) _partialPermutation(ks, n, k, want, r * k);
      assert.equal(out, want, `n ${n} k ${k}`);
    }
  });
} else {
  test('native ceiling skipped', () => {
    assert.type(nativeSkipped(), 'string');
  });
}

test.run();
