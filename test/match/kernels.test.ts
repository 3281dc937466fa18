// Kernels: the WASM SIMD, WASM scalar and JS backends agree with each other and with direct
// computations on seeded random inputs (lengths with and without SIMD tails, ties in top-k).
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, type KernelSet } from '../../src/match/kernel-set.js';
import { _newInstance, init, type _Instance } from '../../src/match/loader.js';
import { createKernels } from '../../src/match/index.js';
import { _KeyStream } from '../../src/random/keystream.js';
import { _partialPermutation } from '../../src/random/samplers.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('match-kernels');
const instances: _Instance[] = [];
for (const b of BACKENDS) {
  await init({ backend: b });
  instances.push(_newInstance());
}

/** Runs `run` on every backend with the same input bytes and returns the results. */
function everywhere<T>(input: Uint8Array, run: (k: KernelSet, at: number, inst: _Instance) => T): T[] {
  return instances.map((inst) => {
    const at = inst.heap.alloc(input.length);
    inst.heap.u8.set(input, at);
    return run(inst.kernels, at, inst);
  });
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

test('hamming_u1, equal_u8, dot_i8 match direct computations on every backend', () => {
  for (const n of [8, 16, 37, 64, 72, 128, 1000, 1003, 4096]) {
    const bytes = rng.bytes(2 * n);
    if (n === 72) bytes.copyWithin(n, 0, n); // identical strings
    const a = bytes.subarray(0, n), b = bytes.subarray(n);
    let ham = 0, eq = 0, dot = 0;
    for (let i = 0; i < n; i++) {
      ham += popcount(a[i]! ^ b[i]!);
      if (a[i] === b[i]) eq++;
      dot += ((a[i]! << 24) >> 24) * ((b[i]! << 24) >> 24);
    }
    // hamming_u1 takes whole 64-bit words; the other two any length.
    const got = everywhere(bytes, (k, at) => [n % 8 === 0 ? k.hamming_u1(at, at + n, n) : ham, k.equal_u8(at, at + n, n), k.dot_i8(at, at + n, n)]);
    for (const g of got) assert.equal(g, [ham, eq, dot], `n = ${n}`);
  }
});

test('equal_u8 on low-entropy codes (many equal bytes) matches direct counting', () => {
  for (const n of [16, 512, 513, 4095]) {
    const bytes = rng.bytes(2 * n).map((x) => x & 3);
    let eq = 0;
    for (let i = 0; i < n; i++) if (bytes[i] === bytes[n + i]) eq++;
    for (const g of everywhere(bytes, (k, at) => k.equal_u8(at, at + n, n))) assert.is(g, eq);
  }
});

test('dot_f32 and cosine_f32 are bit-identical across backends and close to float64', () => {
  for (const n of [16, 32, 100, 128, 512, 1023]) {
    const x = new Float32Array(2 * n);
    for (let i = 0; i < x.length; i++) x[i] = rng.gauss();
    const bytes = new Uint8Array(x.buffer);
    let exact = 0, na = 0, nb = 0;
    for (let i = 0; i < n; i++) { exact += x[i]! * x[n + i]!; na += x[i]! ** 2; nb += x[n + i]! ** 2; }
    const got = everywhere(bytes, (k, at) => [k.dot_f32(at, at + 4 * n, n), k.cosine_f32(at, at + 4 * n, n)]);
    for (const g of got) assert.equal(g, got[0], `n = ${n}`);
    assert.ok(Math.abs(got[0]![0]! - exact) < 1e-4 * Math.sqrt(na * nb), `n = ${n}: dot ${got[0]![0]} vs ${exact}`);
    assert.ok(Math.abs(got[0]![1]! - exact / Math.sqrt(na * nb)) < 1e-5, `n = ${n}: cosine`);
  }
});

test('scan kernels write the pairwise result of every row', () => {
  for (const [n, count] of [[64, 300], [24, 50], [512, 40]] as const) {
    const bytes = rng.bytes(n + n * count);
    const results = everywhere(bytes, (k, at, inst) => {
      const out = inst.heap.alloc(4 * count), base = at + n;
      const rows = (f: (row: number) => number) => Array.from({ length: count }, (_, r) => f(base + r * n));
      k.scan_hamming_u1(at, base, count, n, out);
      const ham = Array.from(inst.heap.u32.subarray(out >>> 2, (out >>> 2) + count));
      assert.equal(ham, rows((r) => k.hamming_u1(at, r, n)));
      k.scan_equal_u8(at, base, count, n, out);
      const eq = Array.from(inst.heap.u32.subarray(out >>> 2, (out >>> 2) + count));
      assert.equal(eq, rows((r) => k.equal_u8(at, r, n)));
      k.scan_dot_i8(at, base, count, n, out);
      const dot = Array.from(inst.heap.i32.subarray(out >>> 2, (out >>> 2) + count));
      assert.equal(dot, rows((r) => k.dot_i8(at, r, n)));
      return [ham, eq, dot];
    });
    for (const r of results) assert.equal(r, results[0]);
  }
  const n = 48, count = 30;
  const x = new Float32Array(n + n * count).map(() => rng.gauss());
  const results = everywhere(new Uint8Array(x.buffer), (k, at, inst) => {
    const out = inst.heap.alloc(4 * count);
    k.scan_dot_f32(at, at + 4 * n, count, n, out);
    const got = Array.from(inst.heap.f32.subarray(out >>> 2, (out >>> 2) + count));
    assert.equal(got, Array.from({ length: count }, (_, r) => k.dot_f32(at, at + 4 * n * (r + 1), n)));
    return got;
  });
  for (const r of results) assert.equal(r, results[0]);
});

/** Expected top-k by sorting every (distance, row), the independent definition. */
function expectedTopk(dists: number[], from: number, to: number, k: number, maxDist: number): number[][] {
  const all: number[][] = [];
  for (let r = from; r < to; r++) if (dists[r]! <= maxDist) all.push([r, dists[r]!]);
  all.sort((p, q) => p[1]! - q[1]! || p[0]! - q[0]!);
  return all.slice(0, k);
}

test('topk_hamming_u1 and topk_equal_u8 select by (distance, row) with ties, thresholds and ranges', () => {
  for (const [n, count] of [[64, 2000], [16, 500], [40, 300]] as const) {
    // Low-entropy rows so that many distances tie.
    const bytes = rng.bytes(n + n * count).map((x) => x & 0x11);
    for (const [k, maxDist, from, to] of [[10, 1e6, 0, count], [1, 1e6, 0, count], [25, n, 7, count - 3], [2000, n * 2, 0, count], [5, 0, 0, count], [3, 1e6, 5, 5]]) {
      const results = everywhere(bytes, (kern, at, inst) => {
        const base = at + n, out = inst.heap.alloc(8 * k);
        const dh = Array.from({ length: count }, (_, r) => kern.hamming_u1(at, base + r * n, n));
        const du = Array.from({ length: count }, (_, r) => n - kern.equal_u8(at, base + r * n, n));
        const read = (c: number) => Array.from({ length: c }, (_, i) => [inst.heap.u32[(out >>> 2) + 2 * i]!, inst.heap.u32[(out >>> 2) + 2 * i + 1]!]);
        const h = read(kern.topk_hamming_u1(at, base, from!, to!, n, k!, maxDist!, out));
        assert.equal(h, expectedTopk(dh, from!, to!, k!, maxDist!), `hamming n=${n} k=${k}`);
        const u = read(kern.topk_equal_u8(at, base, from!, to!, n, k!, maxDist!, out));
        assert.equal(u, expectedTopk(du, from!, to!, k!, maxDist!), `equal n=${n} k=${k}`);
        return [h, u];
      });
      for (const r of results) assert.equal(r, results[0]);
    }
  }
});

test('iomgrp_argmax and sign_project match direct integer projections', () => {
  for (const [dim, m, q] of [[32, 16, 4], [100, 20, 16], [88, 12, 8], [45, 9, 7], [512, 8, 16]] as const) {
    const v = new Int16Array(dim).map(() => rng.int(32769) - 16384);
    const W = new Int8Array(m * q * dim).map(() => rng.int(17) - 8);
    // A row equal to its predecessor forces a tie: the smaller index must win.
    W.copyWithin(dim, 0, dim);
    const input = new Uint8Array(2 * dim + W.length);
    input.set(new Uint8Array(v.buffer));
    input.set(new Uint8Array(W.buffer), 2 * dim);
    const proj = (row: number) => { let s = 0; for (let i = 0; i < dim; i++) s += W[row * dim + i]! * v[i]!; return s; };
    const argmax = Array.from({ length: m }, (_, j) => {
      let arg = 0;
      for (let t = 1; t < q; t++) if (proj(j * q + t) > proj(j * q + arg)) arg = t;
      return arg;
    });
    const bits = Math.floor((m * q) / 8) * 8;
    const signs = Array.from({ length: bits / 8 }, (_, byte) => {
      let b = 0;
      for (let l = 0; l < 8; l++) if (proj(byte * 8 + l) > 0) b |= 1 << l;
      return b;
    });
    const got = everywhere(input, (k, at, inst) => {
      const out = inst.heap.alloc(m + bits / 8);
      k.iomgrp_argmax(at, at + 2 * dim, dim, m, q, out);
      k.sign_project(at, at + 2 * dim, dim, bits, out + m);
      const u8 = inst.heap.u8;
      return [Array.from(u8.subarray(out, out + m)), Array.from(u8.subarray(out + m, out + m + bits / 8))];
    });
    for (const g of got) assert.equal(g, [argmax, signs], `dim ${dim}`);
  }
});

test('iomgrp_argmax_batch equals iomgrp_argmax of each vector, for batch sizes around the four-vector pass and weights over several blocks', () => {
  // [512, 40, 16] and [100, 23, 256] span two and three 256 KiB weight blocks (the last one partial).
  for (const [dim, m, q] of [[512, 6, 16], [37, 5, 5], [100, 4, 1], [24, 3, 7], [512, 40, 16], [100, 23, 256]] as const) {
    const count = 9;
    const W = new Int8Array(m * q * dim).map(() => rng.int(17) - 8);
    W.copyWithin(dim, 0, dim); // a tie between rows 0 and 1 of the first group
    const vs = new Int16Array(count * dim).map(() => rng.int(32769) - 16384);
    const input = new Uint8Array(vs.byteLength + W.length);
    input.set(new Uint8Array(vs.buffer));
    input.set(new Uint8Array(W.buffer), vs.byteLength);
    const got = everywhere(input, (k, at, inst) => {
      const w = at + vs.byteLength, single = inst.heap.alloc(count * m), batch = inst.heap.alloc(count * m);
      for (let e = 0; e < count; e++) k.iomgrp_argmax(at + e * 2 * dim, w, dim, m, q, single + e * m);
      const u8 = () => inst.heap.u8;
      const each = Array.from(u8().subarray(single, single + count * m));
      for (const n of [1, 3, 4, 5, 8, 9]) {
        u8().fill(255, batch, batch + count * m);
        k.iomgrp_argmax_batch(at, w, dim, m, q, n, batch);
        assert.equal(Array.from(u8().subarray(batch, batch + count * m)), [...each.slice(0, n * m), ...new Array((count - n) * m).fill(255)], `dim ${dim} q ${q} count ${n}`);
      }
      return each;
    });
    for (const g of got) assert.equal(g, got[0], `dim ${dim}`);
  }
});

/** Centred-binomial weights straight from the definition (SPEC.md §3.5) over noble's keystream. */
function weightsOf(key: Uint8Array, first: number, count: number): number[] {
  const ks = new Uint8Array(2 * (first + count));
  chacha20(key, new Uint8Array(12), ks, ks, 0);
  return Array.from({ length: count }, (_, t) => popcount(ks[2 * (first + t)]!) - popcount(ks[2 * (first + t) + 1]!));
}

test('binomial_weights: RFC 8439 A.1 keystream #1 (zero key, block 0) gives its weights on every backend', () => {
  const block0 = [0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28];
  const want = Array.from({ length: 8 }, (_, t) => popcount(block0[2 * t]!) - popcount(block0[2 * t + 1]!));
  const got = everywhere(new Uint8Array(32), (k, at, inst) => {
    const out = inst.heap.alloc(8), scratch = inst.heap.alloc(256);
    k.binomial_weights(at, 0, 8, out, scratch);
    return Array.from(inst.heap.i8.subarray(out, out + 8));
  });
  for (const g of got) assert.equal(g, want);
});

test('binomial_weights equals the definition for starts and lengths around the 4-block and 16-weight steps', () => {
  const key = rng.bytes(32);
  const cases = [[0, 1], [0, 15], [0, 16], [0, 17], [0, 127], [0, 128], [0, 129], [0, 1000], [1, 200], [31, 33], [32, 96], [127, 2], [128, 128], [200, 777], [5000, 3001]] as const;
  for (const [first, count] of cases) {
    const want = weightsOf(key, first, count);
    const got = everywhere(key, (k, at, inst) => {
      const out = inst.heap.alloc(count + 32), scratch = inst.heap.alloc(256);
      inst.heap.i8.fill(99, out, out + count + 32);
      k.binomial_weights(at, first, count, out, scratch);
      const i8 = inst.heap.i8;
      assert.ok(i8.subarray(out + count, out + count + 32).every((x) => x === 99), `writes past count (first ${first}, count ${count})`);
      return Array.from(i8.subarray(out, out + count));
    });
    for (const g of got) assert.equal(g, want, `first ${first}, count ${count}`);
  }
});

test('partial_permutations equals the Fisher–Yates sampler over the same keystream, with rejections', () => {
  // Rejections are rare (under 2^-20 per word for n <= 4096): under this key, with n = 3277 and
  // k = 1, keystream word 28 is at or above the limit and must be skipped.
  const rejecting = hexToBytes('dd6edd763781d427092e49d55f1166162ecc0b48df9b92bebdd59a94286c2d64');
  const limit = 2 ** 32 - (2 ** 32 % 3277);
  const ks0 = new Uint8Array(256);
  chacha20(rejecting, new Uint8Array(12), ks0, ks0, 0);
  assert.ok(new Uint32Array(ks0.buffer)[28]! >= limit);
  for (const [n, k, count, key] of [[512, 16, 40], [33, 33, 7], [3, 2, 50], [4095, 256, 3], [4096, 1, 9], [100, 7, 300], [3277, 1, 40, rejecting]] as const) {
    const streamKey = key ?? rng.bytes(32);
    const ks = new _KeyStream(streamKey);
    const want = new Uint16Array(count * k);
    for (let r = 0; r < count; r++) _partialPermutation(ks, n, k, want, r * k);
    const got = everywhere(streamKey, (kern, at, inst) => {
      const out = inst.heap.alloc(2 * count * k), scratch = inst.heap.alloc(256 + 2 * k + 2 * n);
      kern.partial_permutations(at, n, k, count, out, scratch);
      return Array.from(inst.heap.i16.subarray(out >>> 1, (out >>> 1) + count * k));
    });
    for (const g of got) assert.equal(g, Array.from(want), `n ${n}, k ${k}`);
  }
});

test('iomgrp_argmax_keyed equals iomgrp_argmax over the derived weights', () => {
  for (const [dim, m, q] of [[512, 9, 16], [33, 7, 5], [100, 3, 256]] as const) {
    const key = rng.bytes(32);
    const v = new Int16Array(dim).map(() => rng.int(32769) - 16384);
    const input = new Uint8Array(32 + 2 * dim);
    input.set(key);
    input.set(new Uint8Array(v.buffer), 32);
    const got = everywhere(input, (kern, at, inst) => {
      const W = inst.heap.alloc(m * q * dim), scratch = inst.heap.alloc(256 + q * dim), out = inst.heap.alloc(2 * m);
      kern.binomial_weights(at, 0, m * q * dim, W, scratch);
      kern.iomgrp_argmax(at + 32, W, dim, m, q, out);
      kern.iomgrp_argmax_keyed(at, at + 32, dim, m, q, out + m, scratch);
      const u8 = inst.heap.u8;
      assert.equal(Array.from(u8.subarray(out + m, out + 2 * m)), Array.from(u8.subarray(out, out + m)), `dim ${dim}`);
      return Array.from(u8.subarray(out, out + m));
    });
    for (const g of got) assert.equal(g, got[0]);
  }
});

test('project_i8_f32 and backproject_i8_f32 are bit-identical across backends and close to float64', () => {
  for (const [dim, rows] of [[16, 3], [100, 7], [512, 33], [1023, 5]] as const) {
    const x = new Float32Array(dim).map(() => rng.gauss()), c = new Float32Array(rows).map(() => rng.gauss());
    const g0 = new Float32Array(dim).map(() => rng.gauss());
    const W = new Int8Array(rows * dim).map(() => rng.int(17) - 8);
    const input = new Uint8Array(4 * dim + 4 * rows + 4 * dim + rows * dim);
    input.set(new Uint8Array(x.buffer));
    input.set(new Uint8Array(c.buffer), 4 * dim);
    input.set(new Uint8Array(g0.buffer), 4 * dim + 4 * rows);
    input.set(new Uint8Array(W.buffer), 8 * dim + 4 * rows);
    const got = everywhere(input, (k, at, inst) => {
      const pc = at + 4 * dim, pg = pc + 4 * rows, pw = pg + 4 * dim, out = inst.heap.alloc(4 * rows);
      k.project_i8_f32(at, pw, dim, rows, out);
      k.backproject_i8_f32(pc, pw, dim, rows, pg);
      const f = inst.heap.f32;
      return [Array.from(f.subarray(out >>> 2, (out >>> 2) + rows)), Array.from(f.subarray(pg >>> 2, (pg >>> 2) + dim))];
    });
    for (const g of got) assert.equal(g, got[0], `dim ${dim}`);
    const [proj, back] = got[0]!;
    for (let r = 0; r < rows; r++) {
      let e = 0, mag = 0;
      for (let i = 0; i < dim; i++) { e += x[i]! * W[r * dim + i]!; mag += Math.abs(x[i]! * W[r * dim + i]!); }
      assert.ok(Math.abs(proj![r]! - e) <= 1e-5 * mag + 1e-6, `dim ${dim} row ${r}: ${proj![r]} vs ${e}`);
    }
    for (let i = 0; i < dim; i++) {
      let e = g0[i]!, mag = Math.abs(g0[i]!);
      for (let r = 0; r < rows; r++) { e += c[r]! * W[r * dim + i]!; mag += Math.abs(c[r]! * W[r * dim + i]!); }
      assert.ok(Math.abs(back![i]! - e) <= 1e-5 * mag + 1e-6, `dim ${dim} column ${i}: ${back![i]} vs ${e}`);
    }
  }
});

test('createKernels: views taken after the memory grows see the earlier data, on every backend', async () => {
  for (const b of BACKENDS) {
    await init({ backend: b });
    const k = createKernels();
    assert.is(k.backend, b);
    const a = k.alloc(64), c = k.alloc(64);
    const bytes = rng.bytes(128);
    k.u8(a, 64).set(bytes.subarray(0, 64));
    k.u8(c, 64).set(bytes.subarray(64));
    const before = k.memoryBytes, distance = k.hamming_u1(a, c, 64);
    const big = k.alloc(8 << 20); // forces growth: the old buffer may be detached
    assert.ok(k.memoryBytes > before + (8 << 20) - 65536, `${b}: grew from ${before} to ${k.memoryBytes}`);
    assert.equal(k.u8(a, 64), bytes.subarray(0, 64));
    assert.is(k.hamming_u1(a, c, 64), distance);
    k.u8(big + (8 << 20) - 64, 64).set(bytes.subarray(0, 64));
    assert.is(k.equal_u8(a, big + (8 << 20) - 64, 64), 64);
  }
});

test.run();
