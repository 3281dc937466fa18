// protect(): embedding -> canonical integers -> keyed transform -> protected template
// (SPEC.md §2–§4). Validates at the boundary, derives the instance key by HKDF, draws or reuses
// the instance material, and zero-fills every copy of the embedding it made.
import { _canonicalise } from '../canonical.js';
import { _deriveStreamKey, _KeyStream } from '../random/keystream.js';
import type { ProtectedTemplate } from '../template.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES } from '../template.js';
import { aBytes, aEmbedding, type EmbeddingInput } from '../validate.js';
import { _keyId, _meanId, _paramBlock } from './ids.js';
import { _withMaterial } from './material-cache.js';
import { _schemeOf, checkParams } from './registry.js';
import type { TransformParams } from './scheme.js';

/** Bytes of an application key. */
export const KEY_BYTES = 32;

/** Transform parameters plus the optional public centring mean of the embedding model. */
export type ProtectParams = TransformParams & { readonly mean?: Float32Array | readonly number[] };

const INFO_LABEL = new TextEncoder().encode('templock/v1/transform');

/** A validated transform, ready to apply to canonical vectors under one key. */
export interface _Prepared {
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly keyId: Uint8Array;
  readonly meanId: Uint8Array;
  readonly mean: Float32Array | undefined;
  readonly info: Uint8Array;
}

/** Validates params (with mean) and key once; the result serves many embeddings and salts. */
export function _prepare(params: ProtectParams, key: Uint8Array): _Prepared {
  const p = checkParams(params);
  aBytes('key', key, KEY_BYTES);
  const rawMean = (params as { mean?: unknown }).mean;
  const mean = rawMean === undefined ? undefined : aEmbedding('mean', rawMean, p.dim);
  const block = _paramBlock(p);
  const info = new Uint8Array(INFO_LABEL.length + block.length);
  info.set(INFO_LABEL);
  info.set(block, INFO_LABEL.length);
  return { params: p, key: Uint8Array.from(key), keyId: _keyId(key), meanId: _meanId(mean), mean, info };
}

/** A scheme's evaluation step (`_Scheme.apply`), or an equivalent one giving the same bytes. */
export type _Apply = (v: Int16Array, material: Int8Array | Uint16Array, p: TransformParams, out: Uint8Array) => void;

/** An evaluation step over several canonical vectors at once: outs[i] receives vs[i]'s payload, as `_Apply` would write it. */
export type _ApplyMany = (vs: readonly Int16Array[], material: Int8Array | Uint16Array, p: TransformParams, outs: readonly Uint8Array[]) => void;

/**
 * A scheme's material derivation (`_Scheme.derive` over the stream key's keystream), or an
 * equivalent one giving the same material. `transient`: the material is used once and then
 * discarded (not cached), so it may stay in memory the deriver owns.
 */
export type _Derive = (streamKey: Uint8Array, p: TransformParams, transient?: boolean) => Int8Array | Uint16Array;

/**
 * Replacements for the steps of a transform, each giving exactly the core's result: the
 * evaluation of one vector (`apply`) or of many (`applyMany`), the material derivation (`derive`),
 * and how material that is not cached is wiped after use (`discard`; default zero-fill).
 */
export interface _Steps {
  readonly apply?: _Apply;
  readonly applyMany?: _ApplyMany;
  readonly derive?: _Derive;
  readonly discard?: (material: Int8Array | Uint16Array) => void;
}

/** Applies a prepared transform under `salt` to a canonical vector (by `steps` when given). */
export function _transformCanonical(v: Int16Array, prep: _Prepared, salt: Uint8Array, steps: _Steps = {}): ProtectedTemplate {
  return _transformMany([v], prep, salt, steps)[0]!;
}

/** The core's derivation: the scheme's samplers over the keystream of `streamKey` (SPEC.md §3). */
export const _deriveMaterial: _Derive = (streamKey, p) => {
  const ks = new _KeyStream(streamKey);
  try { return _schemeOf(p).derive(ks, p); } finally { ks.wipe(); }
};

/**
 * Applies a prepared transform under one salt to several canonical vectors, deriving its key and
 * material once; `steps.applyMany`, when given, evaluates all of them in one call.
 */
export function _transformMany(vs: readonly Int16Array[], prep: _Prepared, salt: Uint8Array, steps: _Steps = {}): ProtectedTemplate[] {
  const p = prep.params;
  const scheme = _schemeOf(p);
  const { apply = scheme.apply, applyMany, derive = _deriveMaterial } = steps;
  const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
  const payloads = vs.map(() => new Uint8Array(scheme.payloadBytes(p)));
  try {
    _withMaterial(streamKey, scheme.materialBytes(p), (transient) => derive(streamKey, p, transient),
      (material) => applyMany ? applyMany(vs, material, p, payloads) : vs.forEach((v, i) => apply(v, material, p, payloads[i]!)),
      steps.discard);
  } finally {
    streamKey.fill(0);
  }
  return payloads.map((payload) => Object.freeze({ params: p, salt: Uint8Array.from(salt), keyId: prep.keyId.slice(), meanId: prep.meanId.slice(), payload }));
}

/** Validates an embedding for a prepared transform and returns its canonical vector. */
export function _canonicalFor(embedding: EmbeddingInput, prep: _Prepared): Int16Array {
  const x = aEmbedding('embedding', embedding, prep.params.dim);
  try { return _canonicalise(x, prep.mean); } finally { x.fill(0); }
}

/**
 * Protects one embedding: the template is revocable (new salt), unlinkable across keys and salts,
 * and holds no reusable embedding. `key` is the 32-byte secret application key; `salt` 16–32
 * public random bytes stored with the template.
 * @example
 * import { protect, generateSalt } from 'templock';
 * const t = protect(embedding, { scheme: 'iom-grp', dim: 512, m: 512, q: 16 }, key, generateSalt());
 */
export function protect(embedding: EmbeddingInput, params: ProtectParams, key: Uint8Array, salt: Uint8Array): ProtectedTemplate {
  return protectAll(embedding, params, key, [salt])[0]!;
}

/**
 * Protects one embedding under several salts (e.g. one per active salt epoch of a 1:N gallery),
 * canonicalising it once.
 * @example
 * import { protectAll } from 'templock';
 * const [current, previous] = protectAll(embedding, params, key, [epoch2Salt, epoch1Salt]);
 */
export function protectAll(embedding: EmbeddingInput, params: ProtectParams, key: Uint8Array, salts: readonly Uint8Array[]): ProtectedTemplate[] {
  return _protectAllWith(embedding, params, key, salts);
}

/** protectAll with the transform's steps replaced by `steps` where given. */
export function _protectAllWith(embedding: EmbeddingInput, params: ProtectParams, key: Uint8Array, salts: readonly Uint8Array[], steps: _Steps = {}): ProtectedTemplate[] {
  if (!Array.isArray(salts)) throw new TypeError(`"salts" expected Uint8Array[], got ${typeof salts}`);
  if (salts.length === 0) throw new RangeError('"salts" expected at least one salt, got 0');
  const prep = _prepare(params, key);
  for (const s of salts) aBytes('salt', s, SALT_MIN_BYTES, SALT_MAX_BYTES);
  const v = _canonicalFor(embedding, prep);
  try {
    return salts.map((s) => _transformCanonical(v, prep, s, steps));
  } finally {
    v.fill(0);
    prep.key.fill(0);
  }
}
