// protect() with the material derivation and the projection step in the active kernel backend
// (README "Matching"): HKDF and canonicalisation are the core's (SPEC.md §2, §3.2); the material
// of a salt not seen before is derived by binomial_weights / partial_permutations straight into
// kernel memory (SPEC.md §3.3–§3.5), IoM-GRP argmax and the sign projection run as iomgrp_argmax /
// sign_project (a batch of IoM-GRP as iomgrp_argmax_batch, which reads the weights once per four
// embeddings), the IoM-URP evaluation stays in JS. The templates are byte-identical to
// `protect()` from 'templock'.
import { _deriveStreamKey } from '../random/keystream.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES, type ProtectedTemplate } from '../template.js';
import { _canonicalFor, _prepare, _protectAllWith, _transformMany, type _Apply, type _ApplyMany, type _Derive, type _Steps, type ProtectParams } from '../transforms/protect.js';
import { _schemeOf, DIM_MAX } from '../transforms/registry.js';
import type { TransformParams } from '../transforms/scheme.js';
import { aBytes, type EmbeddingInput } from '../validate.js';
import { _newInstance, _onInit, backend, type _Instance } from './loader.js';

/** Largest payload of a projected scheme: IoM m <= 4096 indices, sign <= 8192 bits. */
const OUT_MAX_BYTES = 4096;
/** Canonical vectors protectBatch hands to iomgrp_argmax_batch at once (a multiple of 4). */
const BATCH_VECTORS = 64;
/**
 * Bytes of weight space the projector pages in when `init()` creates it: the material of sign
 * 8192 bits and of IoM-GRP m 512 q 16 at dim 512. Copying material into memory that was never
 * touched costs a page fault per 4 KiB (milliseconds for 4 MiB), which would otherwise fall on the
 * first protectFast; larger material pages in the rest on its first use.
 */
const PREFAULT_BYTES = 4 * 1024 * 1024;

/** Scratch of the derivation kernels: a 4-block keystream buffer, k <= 256 swaps, n <= DIM_MAX entries. */
const DERIVE_SCRATCH_BYTES = 256 + 2 * 256 + 2 * DIM_MAX;

interface Projector {
  readonly inst: _Instance;
  /** The 32-byte stream key while a derivation runs (zero otherwise). */
  readonly keyPtr: number;
  /** DERIVE_SCRATCH_BYTES of derivation scratch (zero between derivations). */
  readonly scratchPtr: number;
  /** BATCH_VECTORS canonical vectors of up to DIM_MAX int16 each. */
  readonly vPtr: number;
  /** BATCH_VECTORS payloads of up to OUT_MAX_BYTES each. */
  readonly outPtr: number;
  readonly wPtr: number;
  /** The material whose copy is at wPtr (derived material is immutable while referenced). */
  material: Int8Array | undefined;
}

/** Zero-fills the projector's copy of secret material. */
function wipeMaterial(pr: Projector): void {
  if (pr.material) pr.inst.heap.i8.fill(0, pr.wPtr, pr.wPtr + pr.material.length);
  pr.material = undefined;
}

let projector: Projector | undefined;

function activeProjector(): Projector {
  const b = backend();
  if (!projector || projector.inst.backend !== b) {
    if (projector) wipeMaterial(projector);
    const inst = _newInstance(4 * 65536);
    const { heap } = inst;
    const keyPtr = heap.alloc(32), scratchPtr = heap.alloc(DERIVE_SCRATCH_BYTES);
    const vPtr = heap.alloc(BATCH_VECTORS * 2 * DIM_MAX), outPtr = heap.alloc(BATCH_VECTORS * OUT_MAX_BYTES), wPtr = heap.top;
    heap.ensure(wPtr + PREFAULT_BYTES);
    heap.u8.fill(0, keyPtr, wPtr + PREFAULT_BYTES);
    projector = { inst, keyPtr, scratchPtr, vPtr, outPtr, wPtr, material: undefined };
  }
  return projector;
}

/** Small fixed transforms whose steps init() runs (zero key, zero salt: nothing secret). */
const WARM_PARAMS: readonly TransformParams[] = [{ scheme: 'iom-grp', dim: 64, m: 16, q: 4 }, { scheme: 'sign', dim: 64, bits: 64 }];

/**
 * Runs each step of protectFast — parameter and key checks with the key id, canonicalisation,
 * HKDF, derivation and projection in the kernels — on WARM_PARAMS a few times, so that the first
 * real call does not run them cold. Nothing is cached; the derived material is wiped.
 */
function warmSteps(): void {
  const key = new Uint8Array(32), salt = new Uint8Array(16), x = new Float32Array(64).fill(0.125), out = new Uint8Array(16);
  for (let round = 0; round < 8; round++) {
    for (const params of WARM_PARAMS) {
      const prep = _prepare(params, key);
      const v = _canonicalFor(x, prep);
      const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
      const material = kernelDerive(streamKey, prep.params, true);
      kernelApply(v, material, prep.params, out);
      discardMaterial(material);
    }
  }
}

_onInit(() => {
  activeProjector();
  warmSteps();
});

/** The projector, with a copy of the weights W at wPtr (made on W's first use). */
function residentProjector(W: Int8Array): Projector {
  const pr = activeProjector();
  if (pr.material !== W) {
    wipeMaterial(pr);
    pr.inst.heap.ensure(pr.wPtr + W.length);
    pr.inst.heap.i8.set(W, pr.wPtr);
    pr.material = W;
  }
  return pr;
}

/**
 * The kernel-backed derivation; identical material to each scheme's own `derive`. Weights are
 * derived at wPtr, where the projection reads them: transient weights are returned as a view of
 * that memory (valid until the next derivation, wiped by discardMaterial), others copied out once
 * for the material cache. Permutations are derived at wPtr, copied out and wiped there.
 */
const kernelDerive: _Derive = (streamKey, p, transient = false) => {
  const pr = activeProjector();
  const { heap, kernels } = pr.inst;
  wipeMaterial(pr);
  heap.u8.set(streamKey, pr.keyPtr);
  try {
    if (p.scheme === 'iom-urp') {
      const count = p.m * p.p * p.k;
      heap.ensure(pr.wPtr + 2 * count);
      kernels.partial_permutations(pr.keyPtr, p.dim, p.k, p.m * p.p, pr.wPtr, pr.scratchPtr);
      const P = new Uint16Array(count);
      P.set(heap.i16.subarray(pr.wPtr >>> 1, (pr.wPtr >>> 1) + count));
      heap.u8.fill(0, pr.wPtr, pr.wPtr + 2 * count);
      return P;
    }
    const count = p.scheme === 'iom-grp' ? p.m * p.q * p.dim : p.bits * p.dim;
    heap.ensure(pr.wPtr + count);
    kernels.binomial_weights(pr.keyPtr, 0, count, pr.wPtr, pr.scratchPtr);
    const W = transient ? heap.i8.subarray(pr.wPtr, pr.wPtr + count) : heap.i8.slice(pr.wPtr, pr.wPtr + count);
    pr.material = W;
    return W;
  } finally {
    heap.u8.fill(0, pr.keyPtr, pr.keyPtr + 32);
    heap.u8.fill(0, pr.scratchPtr, pr.scratchPtr + DERIVE_SCRATCH_BYTES);
  }
};

/** Wipes material the cache does not keep: its copy (or itself) in the kernel heap, else the array. */
function discardMaterial(material: Int8Array | Uint16Array): void {
  if (!_forgetMaterial(material)) material.fill(0);
}

/** The kernel-backed evaluation step; identical bytes to each scheme's own `apply`. */
const kernelApply: _Apply = (v, material, p: TransformParams, out) => {
  if (p.scheme === 'iom-urp') {
    _schemeOf(p).apply(v, material, p, out);
    return;
  }
  const pr = residentProjector(material as Int8Array);
  const { heap, kernels } = pr.inst;
  heap.i16.set(v, pr.vPtr >>> 1);
  try {
    if (p.scheme === 'iom-grp') kernels.iomgrp_argmax(pr.vPtr, pr.wPtr, p.dim, p.m, p.q, pr.outPtr);
    else kernels.sign_project(pr.vPtr, pr.wPtr, p.dim, p.bits, pr.outPtr);
    out.set(heap.u8.subarray(pr.outPtr, pr.outPtr + out.length));
  } finally {
    heap.i16.fill(0, pr.vPtr >>> 1, (pr.vPtr >>> 1) + v.length);
  }
};

/** kernelApply over many vectors; IoM-GRP runs iomgrp_argmax_batch on BATCH_VECTORS at a time. */
const kernelApplyMany: _ApplyMany = (vs, material, p: TransformParams, outs) => {
  if (p.scheme !== 'iom-grp') {
    vs.forEach((v, i) => kernelApply(v, material, p, outs[i]!));
    return;
  }
  const pr = residentProjector(material as Int8Array);
  const { heap, kernels } = pr.inst;
  for (let at = 0; at < vs.length; at += BATCH_VECTORS) {
    const n = Math.min(BATCH_VECTORS, vs.length - at);
    const i16 = heap.i16;
    for (let e = 0; e < n; e++) i16.set(vs[at + e]!, (pr.vPtr >>> 1) + e * p.dim);
    try {
      kernels.iomgrp_argmax_batch(pr.vPtr, pr.wPtr, p.dim, p.m, p.q, n, pr.outPtr);
      const u8 = heap.u8;
      for (let e = 0; e < n; e++) outs[at + e]!.set(u8.subarray(pr.outPtr + e * p.m, pr.outPtr + (e + 1) * p.m));
    } finally {
      heap.i16.fill(0, pr.vPtr >>> 1, (pr.vPtr >>> 1) + n * p.dim);
    }
  }
};

/** kernelApplyMany for callers that hold canonical vectors and material themselves (the evaluation). */
export const _kernelApplyMany: _ApplyMany = kernelApplyMany;

/** kernelDerive for callers that hold material themselves (the evaluation); requires `init()`. */
export const _kernelDerive: _Derive = kernelDerive;

/** The steps protectFast and protectAllFast replace; protectBatch also evaluates many vectors at once. */
const FAST_STEPS: _Steps = { apply: kernelApply, derive: kernelDerive, discard: discardMaterial };
const BATCH_STEPS: _Steps = { ...FAST_STEPS, applyMany: kernelApplyMany };

/**
 * Zero-fills the kernel heap's copy of the weights W, if the projector holds them; true when it
 * did (W may be a view of that copy: it is then wiped too).
 */
export function _forgetMaterial(W: Int8Array | Uint16Array): boolean {
  if (!projector || projector.material !== W) return false;
  wipeMaterial(projector);
  return true;
}

/**
 * `protect()` with its projection step in WebAssembly: the same template, byte for byte, in a
 * fraction of the time. Requires `await init()`.
 * @example
 * import { init, protectFast } from 'templock/match';
 * await init();
 * const t = protectFast(embedding, { scheme: 'iom-grp', dim: 512, m: 512, q: 16 }, key, salt);
 */
export function protectFast(embedding: EmbeddingInput, params: ProtectParams, key: Uint8Array, salt: Uint8Array): ProtectedTemplate {
  return protectAllFast(embedding, params, key, [salt])[0]!;
}

/**
 * `protectAll()` with its projection step in WebAssembly: one embedding under several salts (one
 * per active salt epoch), canonicalised once; each template equals `protect()`'s.
 * @example
 * import { init, protectAllFast } from 'templock/match';
 * await init();
 * const [current, previous] = protectAllFast(embedding, params, key, [epoch2Salt, epoch1Salt]);
 */
export function protectAllFast(embedding: EmbeddingInput, params: ProtectParams, key: Uint8Array, salts: readonly Uint8Array[]): ProtectedTemplate[] {
  activeProjector();
  return _protectAllWith(embedding, params, key, salts, FAST_STEPS);
}

/**
 * Protects many embeddings under one key and one salt (an enrolment batch, a gallery epoch),
 * validating the parameters and key and deriving the transform once; all or nothing. Each
 * result equals `protect(embeddings[i], ...)`.
 * @example
 * import { init, protectBatch } from 'templock/match';
 * await init();
 * const templates = protectBatch(embeddings, params, key, salt);
 */
export function protectBatch(embeddings: readonly EmbeddingInput[], params: ProtectParams, key: Uint8Array, salt: Uint8Array): ProtectedTemplate[] {
  if (!Array.isArray(embeddings)) throw new TypeError(`"embeddings" expected array, got ${typeof embeddings}`);
  activeProjector();
  const prep = _prepare(params, key);
  const vs: Int16Array[] = [];
  try {
    aBytes('salt', salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
    for (const e of embeddings) vs.push(_canonicalFor(e, prep));
    return _transformMany(vs, prep, salt, BATCH_STEPS);
  } finally {
    for (const v of vs) v.fill(0);
    prep.key.fill(0);
  }
}
