// 1:N scans at gallery scale: hamming_u1 top-10 over 1,000,000 x 512-bit, equal_u8 (IoM) top-10
// over 100,000 x m=512, dot_i8 over 1,000,000 x 512, cosine_f32 (dot_f32 over unit rows) over
// 100,000 x 512 -- plain JS baseline, native ceiling and the templock/match kernels per backend.
import { dot_f32_scan } from './baseline/dot_f32.js';
import { dot_i8_scan } from './baseline/dot_i8.js';
import { equal_u8_topk } from './baseline/equal_u8.js';
import { hamming_u1_topk } from './baseline/hamming_u1.js';
import { sameTopK, topkResult, type TopK } from './baseline/topk.js';
import { plantNearDuplicates, randomBytes, randomCodes, randomFloats } from './harness/data.js';
import { kernelInstances, kernelTopK, place } from './harness/kernels.js';
import { native } from './harness/native.js';
import { defineSuite, type Impl, type Workload } from './harness/suite.js';
import type { Kernels } from '../src/match/index.js';

const K = 10;
const PLANTED = 4;
const fromTop = (t: TopK) => topkResult(t.ids, t.scores, t.filled);

/** A top-k workload over byte rows: JS baseline on 32-bit words, native on the same bytes, the
 * topk_* kernel of each backend on its own copy; scores are maxScore - distance for the kernels. */
interface TopKScan {
  readonly name: string;
  readonly count: number;
  readonly rowBytes: number;
  readonly make: (count: number, rowBytes: number) => { gallery: Uint8Array; probe: Uint8Array };
  readonly baseline: (gallery: Uint32Array, probe: Uint32Array, k: number) => TopK;
  readonly native: (gallery: Uint8Array, probe: Uint8Array, count: number, rowBytes: number, ids: Int32Array, scores: Float64Array) => number;
  readonly kernel: (k: Kernels, probe: number, base: number, count: number, rowBytes: number, out: number) => number;
  readonly maxScore: number;
}

function topkWorkload(spec: TopKScan): Workload {
  let data: { gallery: Uint8Array; probe: Uint8Array } = { gallery: new Uint8Array(0), probe: new Uint8Array(0) };
  return {
    name: spec.name,
    bytes: spec.count * spec.rowBytes,
    items: spec.count,
    itemUnit: 'templates',
    setup() {
      data = spec.make(spec.count, spec.rowBytes);
      plantNearDuplicates(data.gallery, data.probe, PLANTED);
    },
    teardown() { data = { gallery: new Uint8Array(0), probe: new Uint8Array(0) }; },
    async impls() {
      const g32 = new Uint32Array(data.gallery.buffer), p32 = new Uint32Array(data.probe.buffer);
      const ids = new Int32Array(K), scores = new Float64Array(K);
      const impls: Impl[] = [{ variant: 'baseline', fn: () => spec.baseline(g32, p32, K), output: (t) => fromTop(t as TopK) }];
      if (native())
        impls.push({
          variant: 'native',
          fn: () => spec.native(data.gallery, data.probe, spec.count, spec.rowBytes, ids, scores),
          output: (filled) => topkResult(ids, scores, filled as number),
        });
      for (const { backend, k } of await kernelInstances()) {
        const base = place(k, data.gallery), probe = place(k, data.probe), out = k.alloc(8 * K);
        impls.push({
          variant: backend,
          fn: () => spec.kernel(k, probe, base, spec.count, spec.rowBytes, out),
          output: (c) => kernelTopK(k, out, c as number, spec.maxScore),
        });
      }
      return impls;
    },
    equal: sameTopK(0),
  };
}

/** A full scan workload (one score per row): JS baseline and native write their own out arrays. */
function scanWorkload<G extends Int8Array | Float32Array, O extends Int32Array | Float32Array>(spec: {
  readonly name: string; readonly count: number; readonly dim: number; readonly valueBytes: number;
  readonly make: (count: number, dim: number) => { gallery: G; probe: G };
  readonly out: (count: number) => O;
  readonly baseline: (gallery: G, probe: G, out: O) => O;
  readonly native: (gallery: G, probe: G, count: number, dim: number, out: O) => number;
  /** The scan_* kernel, and its out array as a view. */
  readonly kernel: (k: Kernels, probe: number, base: number, count: number, dim: number, out: number) => void;
  readonly view: (k: Kernels, out: number, count: number) => O;
  readonly tolerance: number;
}): Workload {
  let data: { gallery: G; probe: G } | undefined;
  return {
    name: spec.name,
    bytes: spec.count * spec.dim * spec.valueBytes,
    items: spec.count,
    itemUnit: 'templates',
    setup() { data = spec.make(spec.count, spec.dim); },
    teardown() { data = undefined; },
    async impls() {
      const { gallery, probe } = data!;
      const copy = (v: unknown) => (v as O).slice();
      const outBaseline = spec.out(spec.count), outNative = spec.out(spec.count);
      const impls: Impl[] = [{ variant: 'baseline', fn: () => spec.baseline(gallery, probe, outBaseline), output: copy }];
      if (native()) impls.push({ variant: 'native', fn: () => (spec.native(gallery, probe, spec.count, spec.dim, outNative), outNative), output: copy });
      for (const { backend, k } of await kernelInstances()) {
        const base = place(k, gallery), p = place(k, probe), out = k.alloc(spec.count * 4);
        impls.push({
          variant: backend,
          fn: () => spec.kernel(k, p, base, spec.count, spec.dim, out),
          output: () => spec.view(k, out, spec.count).slice(),
        });
      }
      return impls;
    },
    equal: (a, b) => {
      const x = a as O, y = b as O;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i]! - y[i]!) <= spec.tolerance)) return false;
      return true;
    },
  };
}

/** Float32 rows of unit length and a unit probe (cosine = dot), uniform directions. */
function makeUnitRows(count: number, dim: number): { gallery: Float32Array; probe: Float32Array } {
  const gallery = randomFloats(count * dim, 41), probe = randomFloats(dim, 42);
  plantNearDuplicates(gallery, probe, PLANTED);
  for (const v of [probe, ...Array.from({ length: count }, (_, i) => gallery.subarray(i * dim, (i + 1) * dim))]) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[j]! * v[j]!;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[j]! *= inv;
  }
  return { gallery, probe };
}

export default defineSuite({
  name: 'scan',
  workloads: [
    topkWorkload({
      name: 'hamming_u1 1:N top-10, 1,000,000 x 512 bit',
      count: 1_000_000, rowBytes: 64,
      make: (count, row) => ({ gallery: randomBytes(count * row, 11), probe: randomBytes(row, 12) }),
      baseline: hamming_u1_topk,
      native: (g, p, count, row, ids, scores) => native()!.hamming_u1_topk(g, p, count, row / 8, K, ids, scores),
      kernel: (k, probe, base, count, row, out) => k.topk_hamming_u1(probe, base, 0, count, row, K, row * 8, out),
      maxScore: 512,
    }),
    topkWorkload({
      name: 'equal_u8 (IoM) 1:N top-10, 100,000 x m=512 q=16',
      count: 100_000, rowBytes: 512,
      make: (count, row) => ({ gallery: randomCodes(count * row, 16, 21), probe: randomCodes(row, 16, 22) }),
      baseline: equal_u8_topk,
      native: (g, p, count, row, ids, scores) => native()!.equal_u8_topk(g, p, count, row, K, ids, scores),
      kernel: (k, probe, base, count, row, out) => k.topk_equal_u8(probe, base, 0, count, row, K, row, out),
      maxScore: 512,
    }),
    scanWorkload({
      name: 'dot_i8 1:N scan, 1,000,000 x 512',
      count: 1_000_000, dim: 512, valueBytes: 1,
      make: (count, dim) => ({ gallery: new Int8Array(randomBytes(count * dim, 31).buffer), probe: new Int8Array(randomBytes(dim, 32).buffer) }),
      out: (count) => new Int32Array(count),
      baseline: dot_i8_scan,
      native: (g, p, count, dim, out) => native()!.dot_i8_scan(g, p, count, dim, out),
      kernel: (k, probe, base, count, dim, out) => k.scan_dot_i8(probe, base, count, dim, out),
      view: (k, out, count) => k.i32(out, count),
      tolerance: 0,
    }),
    scanWorkload({
      name: 'cosine_f32 1:N scan (dot_f32 of unit rows), 100,000 x 512',
      count: 100_000, dim: 512, valueBytes: 4,
      make: makeUnitRows,
      out: (count) => new Float32Array(count),
      baseline: dot_f32_scan,
      native: (g, p, count, dim, out) => native()!.dot_f32_scan(g, p, count, dim, out),
      kernel: (k, probe, base, count, dim, out) => k.scan_dot_f32(probe, base, count, dim, out),
      view: (k, out, count) => k.f32(out, count),
      tolerance: 1e-5,
    }),
  ],
});
