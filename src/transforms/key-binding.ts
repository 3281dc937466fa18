// bindKey() / releaseKey(): the public key-binding API (SPEC.md §4.5). Enrolment binds a fresh
// random message to an embedding and returns the template (helper data and commitment) with the
// released key; verification decodes with a probe and releases the same key, or rejects. The
// outcome is a decision and a key, never a score.
import { randomBytes } from '@noble/hashes/utils.js';
import { _equalBytes } from '../bytes.js';
import { _canonicalise } from '../canonical.js';
import { TemplockError } from '../errors.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES, type BoundTemplate } from '../template.js';
import { aBytes, aEmbedding, type EmbeddingInput } from '../validate.js';
import {
  _commitment, _decodeMessage, _helperBytes, _helperData, _messageBits, _releasedKey, checkBindingParams,
  COMMITMENT_BYTES, type FuzzyCommitmentParams,
} from './fuzzy-commitment.js';
import { _keyId, _meanId } from './ids.js';
import { KEY_BYTES } from './protect.js';

/** Fuzzy-commitment parameters plus the optional public centring mean of the embedding model. */
export type BindingParams = FuzzyCommitmentParams & { readonly mean?: Float32Array | readonly number[] };

/** The outcome of enrolment: the template to store and the key it releases. */
export interface BoundKey { readonly template: BoundTemplate; readonly key: Uint8Array }

/** The outcome of verification: accepted with the released key, or rejected without one. */
export type KeyRelease = { readonly accepted: true; readonly key: Uint8Array } | { readonly accepted: false; readonly key?: undefined };

/**
 * Bytes of the message that fuzzy-commitment parameters bind: ceil(k / 8), k = the BCH code's
 * message bits (the last byte's bits beyond k are zero).
 * @example
 * import { messageBytes } from 'templock';
 * messageBytes({ scheme: 'fuzzy-commitment', dim: 128, m: 10, t: 150, r: 4 }); // 16
 */
export function messageBytes(params: FuzzyCommitmentParams): number {
  return Math.ceil(_messageBits(checkBindingParams(params)) / 8);
}

function canonical(embedding: EmbeddingInput, p: FuzzyCommitmentParams, mean: Float32Array | undefined): Int16Array {
  const x = aEmbedding('embedding', embedding, p.dim);
  try { return _canonicalise(x, mean); } finally { x.fill(0); }
}

function meanOf(params: BindingParams, dim: number): Float32Array | undefined {
  const raw = (params as { mean?: unknown }).mean;
  return raw === undefined ? undefined : aEmbedding('mean', raw, dim);
}

/**
 * Binds a key to an embedding. A fresh random message (or `secret`, ceil(k / 8) bytes with the
 * bits beyond k zero, for reproducible test vectors) is encoded by the BCH code and XORed with
 * the salted projection's sign bits; the template stores only that helper data and a commitment.
 * Returns the template and the 32-byte key it releases.
 * @example
 * import { bindKey, generateKey, generateSalt } from 'templock';
 * const { template, key } = bindKey(embedding, { scheme: 'fuzzy-commitment', dim: 128, m: 10, t: 150, r: 4, mean }, appKey, generateSalt());
 */
export function bindKey(embedding: EmbeddingInput, params: BindingParams, appKey: Uint8Array, salt: Uint8Array, secret?: Uint8Array): BoundKey {
  const p = checkBindingParams(params);
  aBytes('key', appKey, KEY_BYTES);
  const mean = meanOf(params, p.dim);
  aBytes('salt', salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
  const k = _messageBits(p);
  const message = secret === undefined ? randomBytes(Math.ceil(k / 8)) : Uint8Array.from(aBytes('secret', secret, Math.ceil(k / 8)));
  if (secret === undefined) { if (k & 7) message[message.length - 1]! &= (1 << (k & 7)) - 1; }
  else if (k & 7 && message[message.length - 1]! >> (k & 7)) {
    message.fill(0);
    throw new RangeError(`"secret" expected its bits beyond ${k} to be zero`);
  }
  const v = canonical(embedding, p, mean);
  try {
    const keyId = _keyId(appKey);
    const helper = _helperData(v, p, appKey, salt, message);
    const template: BoundTemplate = Object.freeze({
      params: p, salt: Uint8Array.from(salt), keyId, meanId: _meanId(mean), helper, commitment: _commitment(p, salt, message),
    });
    return { template, key: _releasedKey(p, salt, keyId, message) };
  } finally {
    v.fill(0);
    message.fill(0);
  }
}

/**
 * Releases the key bound in `template` when `embedding` is close enough to the enrolled one:
 * `{ accepted: true, key }` when the probe decodes to the message whose commitment the template
 * holds, `{ accepted: false }` otherwise. `mean` is the centring mean the template was made with.
 * @throws TemplockError INCOMPATIBLE when the template was made under another key or mean.
 * @example
 * import { releaseKey } from 'templock';
 * const r = releaseKey(probe, template, appKey, mean);
 * if (r.accepted) useKey(r.key);
 */
export function releaseKey(embedding: EmbeddingInput, template: BoundTemplate, appKey: Uint8Array, mean?: Float32Array | readonly number[]): KeyRelease {
  if (typeof template !== 'object' || template === null) throw new TypeError(`"template" expected BoundTemplate, got ${template === null ? 'null' : typeof template}`);
  const p = checkBindingParams(template.params);
  const salt = aBytes('template.salt', template.salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
  aBytes('template.keyId', template.keyId, 8);
  aBytes('template.meanId', template.meanId, 8);
  const helper = aBytes('template.helper', template.helper, _helperBytes(p));
  const commitment = aBytes('template.commitment', template.commitment, COMMITMENT_BYTES);
  aBytes('key', appKey, KEY_BYTES);
  const m = mean === undefined ? undefined : aEmbedding('mean', mean, p.dim);
  const keyId = _keyId(appKey);
  if (!_equalBytes(keyId, template.keyId)) throw new TemplockError('INCOMPATIBLE', 'template was made under a different key');
  if (!_equalBytes(_meanId(m), template.meanId)) throw new TemplockError('INCOMPATIBLE', 'template was centred by a different mean vector');
  const v = canonical(embedding, p, m);
  let message: Uint8Array | undefined;
  try {
    message = _decodeMessage(v, p, appKey, salt, helper);
    if (!message || !_equalBytes(_commitment(p, salt, message), commitment)) return { accepted: false };
    return { accepted: true, key: _releasedKey(p, salt, keyId, message) };
  } finally {
    v.fill(0);
    message?.fill(0);
  }
}
