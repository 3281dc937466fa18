// Material derivation at the defaults for dim 512 (SPEC.md §3; README "Salt modes"): the cost of
// a salt not seen before. The ChaCha20 keystream and its sampler in the core's JS (`baseline`),
// in the WASM kernels (binomial_weights / partial_permutations) and in C (`native`, eight blocks
// per 256-bit vector; `native 128-bit`, four per 128-bit vector as in WASM SIMD), over the same
// stream key; then IoM-GRP end to end for one embedding under
// that salt: derive-then-project, the weights derived as they are used (`keyed`, never holding
// the 16 MiB matrix), protectFast with the material cache off, and the C ceiling.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { _canonicalise } from '../src/canonical.js';
import { defaultParams, materialCacheBytes, setMaterialCacheLimit, DEFAULT_CACHE_BYTES, type IomGrpParams, type TransformParams } from '../src/index.js';
import { protectFast } from '../src/match/index.js';
import { _deriveStreamKey } from '../src/random/keystream.js';
import { _deriveMaterial, _prepare } from '../src/transforms/protect.js';
import { BENCH_KEY, BENCH_SALT, embeddings } from './harness/inputs.js';
import { kernelInstances, place, type KernelInstance } from './harness/kernels.js';
import { native } from './harness/native.js';
import { defineSuite, type Impl, type Workload } from './harness/suite.js';

const DIM = 512;

/** The stream key of (params, BENCH_KEY, BENCH_SALT), as protect() derives it. */
function streamKeyOf(params: TransformParams): Uint8Array {
  const prep = _prepare(params, BENCH_KEY);
  try { return _deriveStreamKey(prep.key, BENCH_SALT, prep.info); } finally { prep.key.fill(0); }
}

const digest = (m: unknown) => bytesToHex(sha256(new Uint8Array((m as ArrayBufferView).buffer, (m as ArrayBufferView).byteOffset, (m as ArrayBufferView).byteLength)));

/** The count of weights or permutation entries of a scheme's material. */
function entries(p: TransformParams): number {
  return p.scheme === 'iom-grp' ? p.m * p.q * p.dim : p.scheme === 'sign' ? p.bits * p.dim : p.m * p.p * p.k;
}

let instances: KernelInstance[] = [];

function kernelDeriveImpl({ backend, k }: KernelInstance, streamKey: Uint8Array, p: TransformParams): Impl {
  const n = entries(p), keyPtr = place(k, streamKey);
  const scratch = k.alloc(256 + 2 * 256 + 2 * p.dim);
  const out = k.alloc(p.scheme === 'iom-urp' ? 2 * n : n);
  const fn = p.scheme === 'iom-urp'
    ? () => { k.partial_permutations(keyPtr, p.dim, p.k, p.m * p.p, out, scratch); return k.u8(out, 2 * n); }
    : () => { k.binomial_weights(keyPtr, 0, n, out, scratch); return k.i8(out, n); };
  return { variant: backend, fn, output: digest };
}

function deriveWorkload(p: TransformParams): Workload {
  const streamKey = streamKeyOf(p);
  const n = entries(p);
  const what = p.scheme === 'iom-urp' ? `${p.m * p.p} permutations (k=${p.k})` : `${(n / 2 ** 20).toFixed(0)} Mi weights`;
  return {
    name: `derive ${p.scheme} ${Object.entries(p).filter(([f]) => f !== 'scheme').map(([f, v]) => `${f}=${v}`).join(' ')}, defaultParams: ${what}`,
    items: n,
    itemUnit: p.scheme === 'iom-urp' ? 'entries' : 'weights',
    maxTimeSeconds: 6,
    setup: async () => { instances = await kernelInstances(); },
    teardown: () => { instances = []; },
    impls() {
      const c = native();
      const W8 = new Int8Array(p.scheme === 'iom-urp' ? 0 : n), P16 = new Uint16Array(p.scheme === 'iom-urp' ? n : 0);
      return [
        { variant: 'baseline', fn: () => _deriveMaterial(streamKey, p), output: digest },
        ...instances.filter((i) => i.backend !== 'js').map((i) => kernelDeriveImpl(i, streamKey, p)),
        ...(!c ? [] : p.scheme === 'iom-urp'
          ? [{ variant: 'native', fn: () => { c.partial_permutations(streamKey, p.dim, p.k, p.m * p.p, P16); return P16; }, output: digest }]
          : [
              { variant: 'native', fn: () => { c.binomial_weights(streamKey, n, W8, 8); return W8; }, output: digest },
              { variant: 'native 128-bit', fn: () => { c.binomial_weights(streamKey, n, W8, 4); return W8; }, output: digest },
            ]),
      ];
    },
  };
}

const GRP = defaultParams('iom-grp', DIM) as IomGrpParams;

/** IoM-GRP of one embedding under a salt not seen before: the material derived on every call. */
const freshSaltWorkload: Workload = {
  name: `protect iom-grp dim=${DIM} m=${GRP.m} q=${GRP.q} under a salt not seen before (derive + project)`,
  items: 1,
  itemUnit: 'embeddings',
  maxTimeSeconds: 6,
  setup: async () => {
    instances = await kernelInstances();
    setMaterialCacheLimit(0);
  },
  teardown: () => {
    instances = [];
    setMaterialCacheLimit(DEFAULT_CACHE_BYTES);
  },
  impls() {
    const streamKey = streamKeyOf(GRP);
    const x = embeddings(1, DIM, 401).rows[0]!;
    const v = _canonicalise(x, undefined);
    const n = entries(GRP);
    const impls: Impl[] = [];
    for (const { backend, k } of instances.filter((i) => i.backend !== 'js')) {
      const keyPtr = place(k, streamKey), vPtr = place(k, v);
      const scratch = k.alloc(256 + GRP.q * DIM), out = k.alloc(GRP.m), W = k.alloc(n);
      impls.push(
        { variant: `${backend} derive-then-project`, fn: () => { k.binomial_weights(keyPtr, 0, n, W, scratch); k.iomgrp_argmax(vPtr, W, DIM, GRP.m, GRP.q, out); return k.u8(out, GRP.m).slice(); } },
        { variant: `${backend} keyed`, fn: () => { k.iomgrp_argmax_keyed(keyPtr, vPtr, DIM, GRP.m, GRP.q, out, scratch); return k.u8(out, GRP.m).slice(); } },
      );
    }
    impls.push({
      variant: 'protectFast, cache off',
      fn: () => protectFast(x, GRP, BENCH_KEY, BENCH_SALT).payload,
      output: (payload) => { if (materialCacheBytes() !== 0) throw new Error('material cache in use'); return payload; },
    });
    const c = native();
    if (c) {
      const W8 = new Int8Array(n), out = new Uint8Array(GRP.m);
      impls.push({ variant: 'native', fn: () => { c.binomial_weights(streamKey, n, W8, 8); c.iom_grp_protect(x, 1, DIM, W8, GRP.m, GRP.q, out, 0); return out; } });
    }
    return impls;
  },
};

export default defineSuite({
  name: 'derive',
  workloads: [...(['iom-grp', 'sign', 'iom-urp'] as const).map((s) => deriveWorkload(defaultParams(s, DIM))), freshSaltWorkload],
});
