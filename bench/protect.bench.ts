// protect() with IoM-GRP (dim 512, m 512, q 16) for one embedding and for a batch of 1,000, with
// the projection matrix cached: the JS reference, protectFast / protectBatch on each WASM backend,
// and the native ceiling doing the same canonicalise + project + argmax over the same weights (at
// the compiler's vector width for this CPU, and at WASM SIMD's 128 bits).
import { protect, type IomGrpParams } from '../src/index.js';
import { BACKENDS, init, protectBatch, protectFast } from '../src/match/index.js';
import { BENCH_KEY, BENCH_SALT, embeddings, payloads } from './harness/inputs.js';
import { iomGrpWeights } from './harness/material.js';
import { native } from './harness/native.js';
import { defineSuite } from './harness/suite.js';

const PARAMS: IomGrpParams = { scheme: 'iom-grp', dim: 512, m: 512, q: 16 };
const BATCH = 1000;
/** The JS reference takes tens of ms per embedding: its batch figure is per embedding over this many. */
const JS_BATCH = 50;

let W: Int8Array = new Int8Array(0);
let batch = embeddings(0, PARAMS.dim, 0);

const protectJs = (rows: readonly Float32Array[]) => payloads(rows.map((x) => protect(x, PARAMS, BENCH_KEY, BENCH_SALT)));

function protectNative(n: number, narrow: 0 | 1): () => Uint8Array {
  const c = native()!;
  const out = new Uint8Array(n * PARAMS.m);
  return () => {
    c.iom_grp_protect(batch.flat, n, PARAMS.dim, W, PARAMS.m, PARAMS.q, out, narrow);
    return out;
  };
}

/** The C ceiling at the compiler's width (`native`, the ratios' reference) and at WASM SIMD's 128 bits. */
function nativeVariants(n: number, output: (v: unknown) => unknown, opsPerCall = 1) {
  if (!native()) return [];
  return [
    { variant: 'native', fn: protectNative(n, 0), opsPerCall, output },
    { variant: 'native 128-bit', fn: protectNative(n, 1), opsPerCall, output },
  ];
}

const firstPayloads = (n: number) => (v: unknown) => (v as Uint8Array).slice(0, n * PARAMS.m);

/** One variant per WASM backend; each selects its backend before it is timed. */
function wasmVariants(run: () => Uint8Array, opsPerCall: number, output: (v: unknown) => unknown) {
  return BACKENDS.filter((b) => b !== 'js').map((b) => ({ variant: b, prepare: async () => { await init({ backend: b }); }, fn: run, opsPerCall, output }));
}

async function setup(): Promise<void> {
  await init();
  batch = embeddings(BATCH, PARAMS.dim, 301);
  W = iomGrpWeights(PARAMS, BENCH_KEY, BENCH_SALT);
  protect(batch.rows[0]!, PARAMS, BENCH_KEY, BENCH_SALT); // the material is cached before timing
}

function teardown(): void {
  W = new Int8Array(0);
  batch = embeddings(0, PARAMS.dim, 0);
}

export default defineSuite({
  name: 'protect',
  workloads: [
    {
      name: 'protect iom-grp dim=512 m=512 q=16, one embedding',
      items: 1,
      itemUnit: 'embeddings',
      setup,
      teardown,
      impls: () => [
        ...wasmVariants(() => protectFast(batch.rows[0]!, PARAMS, BENCH_KEY, BENCH_SALT).payload, 1, firstPayloads(1)),
        { variant: 'baseline', fn: () => protectJs(batch.rows.slice(0, 1)) },
        ...nativeVariants(1, firstPayloads(1)),
      ],
    },
    {
      name: `protect iom-grp dim=512 m=512 q=16, batch of ${BATCH.toLocaleString('en')} (per embedding; JS over ${JS_BATCH})`,
      items: 1,
      itemUnit: 'embeddings',
      setup,
      teardown,
      impls: () => [
        ...wasmVariants(() => payloads(protectBatch(batch.rows, PARAMS, BENCH_KEY, BENCH_SALT)), BATCH, firstPayloads(JS_BATCH)),
        { variant: 'baseline', fn: () => protectJs(batch.rows.slice(0, JS_BATCH)), opsPerCall: JS_BATCH, output: firstPayloads(JS_BATCH) },
        ...nativeVariants(BATCH, firstPayloads(JS_BATCH), BATCH),
      ],
    },
  ],
});
