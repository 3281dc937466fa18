// 1:N scans at gallery scale: hamming_u1 top-10 over 1,000,000 x 512-bit, equal_u8 (IoM) top-10
// over 100,000 x m=512, dot_i8 over 1,000,000 x 512, cosine_f32 (dot_f32 over unit rows) over
// 100,000 x 512 -- plain JS baseline, native ceiling and the templock/match kernels per backend.
// The exact top-10 by inner product (cosine_f32 and dot_i8: a full scan, then the ten best) is
// also measured against the peer libraries that compute the same exact result: usearch's
// exactSearch (f32 and i8, one thread) and faiss-node's IndexFlatIP (f32); where a peer offers no
// exact search of that kind (packed-bit Hamming) or did not install, its row says why.
import { dot_f32_scan } from './baseline/dot_f32.js';
import { dot_i8_scan } from './baseline/dot_i8.js';
import { equal_u8_topk } from './baseline/equal_u8.js';
import { hamming_u1_topk } from './baseline/hamming_u1.js';
import { sameTopK, topkOfScores, topkResult, type TopK } from './baseline/topk.js';
import { plantNearDuplicates, randomBytes, randomCodes, unitRows } from './harness/data.js';
import { kernelInstances, kernelTopK, place } from './harness/kernels.js';
import { native } from './harness/native.js';
import { peer, peerSkipped, type PeerName } from './harness/peers.js';
import { defineSuite, type Impl, type Unavailable, type Workload } from './harness/suite.js';
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
  /** Peers that offer no exact search of this kind, with what they lack. */
  readonly peersLacking?: Readonly<Partial<Record<PeerName, string>>>;
}

/** The row of a peer that cannot run this workload: not installed, else what it lacks. */
function lacking(name: PeerName, what: string): Unavailable {
  return { variant: name, unavailable: peerSkipped(name) ?? what };
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
      const impls: (Impl | Unavailable)[] = [{ variant: 'baseline', fn: () => spec.baseline(g32, p32, K), output: (t) => fromTop(t as TopK) }];
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
      for (const [name, what] of Object.entries(spec.peersLacking ?? {}) as [PeerName, string][]) impls.push(lacking(name, what));
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

/**
 * The exact top-10 by inner product over a full scan: the baseline, native and kernel scans each
 * followed by the same selection in JS (ties to the lower row), against the peers' exact searches,
 * which return their top-10 directly. Scores must agree within `tolerance`, ids exactly.
 */
function dotTopkWorkload<G extends Int8Array | Float32Array, O extends Int32Array | Float32Array>(spec: {
  readonly name: string; readonly count: number; readonly dim: number; readonly valueBytes: number;
  readonly make: (count: number, dim: number) => { gallery: G; probe: G };
  readonly out: (count: number) => O;
  readonly baseline: (gallery: G, probe: G, out: O) => O;
  readonly native: (gallery: G, probe: G, count: number, dim: number, out: O) => number;
  readonly kernel: (k: Kernels, probe: number, base: number, count: number, dim: number, out: number) => void;
  readonly view: (k: Kernels, out: number, count: number) => O;
  readonly tolerance: number;
  /** Whether faiss-node's IndexFlatIP (float32 only) can run it; otherwise what it lacks. */
  readonly faiss: true | string;
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
      const best = (scores: unknown) => topkOfScores(scores as O, K);
      const outBaseline = spec.out(spec.count), outNative = spec.out(spec.count);
      const impls: (Impl | Unavailable)[] = [{ variant: 'baseline', fn: () => best(spec.baseline(gallery, probe, outBaseline)) }];
      if (native()) impls.push({ variant: 'native', fn: () => (spec.native(gallery, probe, spec.count, spec.dim, outNative), best(outNative)) });
      for (const { backend, k } of await kernelInstances()) {
        const base = place(k, gallery), p = place(k, probe), out = k.alloc(spec.count * 4);
        impls.push({ variant: backend, fn: () => (spec.kernel(k, p, base, spec.count, spec.dim, out), best(spec.view(k, out, spec.count))) });
      }
      const usearch = peer('usearch');
      if (usearch)
        impls.push({
          variant: 'usearch',
          fn: () => usearch.exactSearch(gallery, probe, spec.dim, K, 'ip', 1),
          // usearch's inner-product distance is 1 - dot.
          output: (m) => {
            const { keys, distances } = m as { keys: BigUint64Array; distances: Float32Array };
            return { ids: Array.from(keys, Number), scores: Array.from(distances, (d) => 1 - d) };
          },
        });
      else impls.push(lacking('usearch', 'not loaded'));
      const faiss = spec.faiss === true ? peer('faiss-node') : undefined;
      if (faiss) {
        const index = new faiss.IndexFlatIP(spec.dim);
        const rows = 1000;
        for (let at = 0; at < spec.count; at += rows) index.add(Array.from(gallery.subarray(at * spec.dim, Math.min(spec.count, at + rows) * spec.dim)));
        const query = Array.from(probe);
        impls.push({
          variant: 'faiss-node',
          fn: () => index.search(query, K),
          output: (r) => ({ ids: (r as { labels: number[] }).labels, scores: (r as { distances: number[] }).distances }),
        });
      } else impls.push(lacking('faiss-node', spec.faiss === true ? 'not loaded' : spec.faiss));
      return impls;
    },
    equal: sameTopK(spec.tolerance),
  };
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
      peersLacking: {
        usearch: 'no exact search over packed bits: exactSearch takes f32, f64 and i8; b1 vectors only through the approximate HNSW index',
        'faiss-node': 'binds float indexes only (IndexFlatL2, IndexFlatIP, HNSW): no IndexBinaryFlat',
      },
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
      make: (count, dim) => unitRows(count, dim, 41, PLANTED),
      out: (count) => new Float32Array(count),
      baseline: dot_f32_scan,
      native: (g, p, count, dim, out) => native()!.dot_f32_scan(g, p, count, dim, out),
      kernel: (k, probe, base, count, dim, out) => k.scan_dot_f32(probe, base, count, dim, out),
      view: (k, out, count) => k.f32(out, count),
      tolerance: 1e-5,
    }),
    dotTopkWorkload({
      name: 'dot_i8 1:N top-10 (exact inner product), 1,000,000 x 512',
      count: 1_000_000, dim: 512, valueBytes: 1,
      make: (count, dim) => ({ gallery: new Int8Array(randomBytes(count * dim, 33).buffer), probe: new Int8Array(randomBytes(dim, 34).buffer) }),
      out: (count) => new Int32Array(count),
      baseline: dot_i8_scan,
      native: (g, p, count, dim, out) => native()!.dot_i8_scan(g, p, count, dim, out),
      kernel: (k, probe, base, count, dim, out) => k.scan_dot_i8(probe, base, count, dim, out),
      view: (k, out, count) => k.i32(out, count),
      tolerance: 0,
      faiss: 'binds float indexes only: no 8-bit integer index',
    }),
    dotTopkWorkload({
      name: 'cosine_f32 1:N top-10 (exact inner product of unit rows), 100,000 x 512',
      count: 100_000, dim: 512, valueBytes: 4,
      make: (count, dim) => unitRows(count, dim, 41, PLANTED),
      out: (count) => new Float32Array(count),
      baseline: dot_f32_scan,
      native: (g, p, count, dim, out) => native()!.dot_f32_scan(g, p, count, dim, out),
      kernel: (k, probe, base, count, dim, out) => k.scan_dot_f32(probe, base, count, dim, out),
      view: (k, out, count) => k.f32(out, count),
      tolerance: 1e-5,
      faiss: true,
    }),
  ],
});
