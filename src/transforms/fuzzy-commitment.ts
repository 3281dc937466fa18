// Fuzzy commitment (Juels–Wattenberg) over a binarised, salted, centred projection (SPEC.md
// §4.5): L = n * r sign bits of keyed integer projections of the canonical vector, each XORed
// with one bit of a BCH codeword (r bits per codeword bit, placed by a keyed permutation). The
// helper data and a hash commitment of the message are stored; a probe's soft majority votes
// are decoded back to the message, which releases a key when its commitment matches.
import { sha256 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { _deriveStreamKey, _KeyStream } from '../random/keystream.js';
import { _binomialWeights, _partialPermutation } from '../random/samplers.js';
import { aInt } from '../validate.js';
import { _bchCode, _bchDecode, _bchEncode, BCH_M_MAX, BCH_M_MIN, type _Bch } from './bch.js';
import { _withMaterial } from './material-cache.js';
import { _projectRow } from './projection.js';
import { DIM_MAX, DIM_MIN } from './registry.js';

/** Fuzzy-commitment key binding: BCH field degree m (n = 2^m - 1), t errors corrected, r projections per codeword bit. */
export interface FuzzyCommitmentParams { readonly scheme: 'fuzzy-commitment'; readonly dim: number; readonly m: number; readonly t: number; readonly r: number }

/** Wire id of the fuzzy-commitment scheme in the parameter block and template format. */
export const FUZZY_COMMITMENT_ID = 4;
/** Fewest message bits a parameter set may bind. */
export const FUZZY_MIN_MESSAGE_BITS = 32;
/** Largest projection matrix (n * r * dim weights), as for sign projection. */
export const FUZZY_MAX_WEIGHTS = 1 << 25;
/**
 * Fraction of the model's mean embedding to subtract for key binding (`params.mean = strength *
 * mean`): full centring, so that the sign bits are balanced (docs/EVALUATION.md "Key binding").
 */
export const DEFAULT_BINDING_CENTRING_STRENGTH = 1;
/** Bytes of the commitment and of the released key. */
export const COMMITMENT_BYTES = 32;
export const RELEASED_KEY_BYTES = 32;

const enc = new TextEncoder();
const INFO_LABEL = enc.encode('templock/v1/transform');
const COMMIT_LABEL = enc.encode('templock/v1/fuzzy-commitment/commit');
const KEY_LABEL = enc.encode('templock/v1/fuzzy-commitment/key');

/** Projection bits L = n * r. */
export const _helperBits = (p: FuzzyCommitmentParams): number => ((1 << p.m) - 1) * p.r;
/** Bytes of the helper data: ceil(L / 8). */
export const _helperBytes = (p: FuzzyCommitmentParams): number => Math.ceil(_helperBits(p) / 8);

/**
 * Validates fuzzy-commitment parameters and returns a frozen copy holding only their fields.
 * @example
 * import { checkBindingParams } from 'templock';
 * const p = checkBindingParams({ scheme: 'fuzzy-commitment', dim: 128, m: 10, t: 150, r: 4 });
 */
export function checkBindingParams(params: unknown): FuzzyCommitmentParams {
  if (typeof params !== 'object' || params === null) throw new TypeError(`"params" expected object, got ${params === null ? 'null' : typeof params}`);
  const raw = params as Record<string, unknown>;
  if (typeof raw.scheme !== 'string') throw new TypeError(`"params.scheme" expected string, got ${typeof raw.scheme}`);
  if (raw.scheme !== 'fuzzy-commitment') throw new RangeError('"params.scheme" expected fuzzy-commitment');
  const dim = aInt('dim', raw.dim, DIM_MIN, DIM_MAX);
  const m = aInt('m', raw.m, BCH_M_MIN, BCH_M_MAX);
  const n = (1 << m) - 1;
  const t = aInt('t', raw.t, 1, (n - 1) / 2);
  const r = aInt('r', raw.r, 1, 16);
  if (n * r * dim > FUZZY_MAX_WEIGHTS) throw new RangeError(`"params" expected n * r * dim at most ${FUZZY_MAX_WEIGHTS}, got ${n * r * dim}`);
  const k = _bchCode(m, t).k;
  if (k < FUZZY_MIN_MESSAGE_BITS) throw new RangeError(`"t" leaves ${k} message bits, expected at least ${FUZZY_MIN_MESSAGE_BITS}`);
  return Object.freeze({ scheme: 'fuzzy-commitment', dim, m, t, r });
}

/** Recommended key-binding code: BCH n = 1023 (m = 10) correcting t = 150 errors (k = 123), r = 4 projections per bit (docs/EVALUATION.md "Key binding"). */
export const DEFAULT_BINDING_CODE = Object.freeze({ m: 10, t: 150, r: 4 });

/**
 * The recommended key-binding parameters for embeddings of dimension `dim` (32..4096), chosen on
 * real face embeddings at FMR 1e-3; use them with DEFAULT_BINDING_CENTRING_STRENGTH x the model mean.
 * @example
 * import { defaultBindingParams } from 'templock';
 * const params = defaultBindingParams(128); // { scheme: 'fuzzy-commitment', dim: 128, m: 10, t: 150, r: 4 }
 */
export function defaultBindingParams(dim: number): FuzzyCommitmentParams {
  return checkBindingParams({ scheme: 'fuzzy-commitment', dim, ...DEFAULT_BINDING_CODE });
}

/** Parameters from a parameter block's fields (a, b, c) = (t, r, m), or undefined when out of range. */
export function _bindingParamsFromHeader(dim: number, a: number, b: number, c: number): FuzzyCommitmentParams | undefined {
  try { return checkBindingParams({ scheme: 'fuzzy-commitment', dim, m: c, t: a, r: b }); } catch { return undefined; }
}

/** The 8-byte parameter block: u8(4) || u16le(dim) || u16le(t) || u16le(r) || u8(m). */
export function _bindingParamBlock(p: FuzzyCommitmentParams): Uint8Array {
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  out[0] = FUZZY_COMMITMENT_ID;
  dv.setUint16(1, p.dim, true);
  dv.setUint16(3, p.t, true);
  dv.setUint16(5, p.r, true);
  out[7] = p.m;
  return out;
}

/** Message bits k of the parameters' BCH code. */
export function _messageBits(p: FuzzyCommitmentParams): number {
  return _bchCode(p.m, p.t).k;
}

/**
 * The keyed instance: the permutation pi of [0, L) (drawn first), then the L x dim weights, both
 * from the keystream of (key, salt, parameter block with t = 0), so that every t of one (m, r)
 * shares the projection; the weights go through the material cache.
 * Runs `use` with the projections proj(0..L) of `v` and the codeword bit of each projection.
 */
export function _withProjections<T>(v: Int16Array, p: FuzzyCommitmentParams, key: Uint8Array, salt: Uint8Array, use: (proj: Float64Array, slot: Uint16Array) => T): T {
  const L = _helperBits(p);
  const block = _bindingParamBlock(p);
  block[3] = 0; // the projection does not depend on t: bytes 3–4 (t) are zero in the instance's info
  block[4] = 0;
  const info = new Uint8Array(INFO_LABEL.length + block.length);
  info.set(INFO_LABEL);
  info.set(block, INFO_LABEL.length);
  const streamKey = _deriveStreamKey(key, salt, info);
  const ks = new _KeyStream(streamKey);
  const slot = new Uint16Array(L);
  const proj = new Float64Array(L);
  try {
    _partialPermutation(ks, L, L, slot, 0);
    for (let l = 0; l < L; l++) slot[l] = Math.floor(slot[l]! / p.r);
    _withMaterial(streamKey, L * p.dim, () => _binomialWeights(ks, L * p.dim), (W) => {
      for (let l = 0; l < L; l++) proj[l] = _projectRow(W as Int8Array, l, v);
    });
    return use(proj, slot);
  } finally {
    ks.wipe();
    streamKey.fill(0);
    proj.fill(0);
  }
}

/**
 * BCH decoding of a voted word (n bits, one per byte; overwritten): the message bits of the
 * codeword within t, packed LSB first into ceil(k / 8) bytes, or undefined when there is none.
 */
export function _decodedMessage(code: _Bch, word: Uint8Array): Uint8Array | undefined {
  if (!_bchDecode(code, word)) return undefined;
  const out = new Uint8Array(Math.ceil(code.k / 8));
  for (let i = 0; i < code.k; i++) out[i >> 3]! |= word[code.n - code.k + i]! << (i & 7);
  return out;
}

/** SHA-256("templock/v1/fuzzy-commitment/commit" || param block || salt || message bytes). */
export function _commitment(p: FuzzyCommitmentParams, salt: Uint8Array, message: Uint8Array): Uint8Array {
  return sha256.create().update(COMMIT_LABEL).update(_bindingParamBlock(p)).update(salt).update(message).digest();
}

/** HKDF-SHA256(IKM = message bytes, salt = salt, info = "templock/v1/fuzzy-commitment/key" || param block || key id, 32). */
export function _releasedKey(p: FuzzyCommitmentParams, salt: Uint8Array, keyId: Uint8Array, message: Uint8Array): Uint8Array {
  const block = _bindingParamBlock(p);
  const info = new Uint8Array(KEY_LABEL.length + block.length + keyId.length);
  info.set(KEY_LABEL);
  info.set(block, KEY_LABEL.length);
  info.set(keyId, KEY_LABEL.length + block.length);
  return hkdf(sha256, message, salt, info, RELEASED_KEY_BYTES);
}

/** Helper data of canonical vector v binding message bytes `message`: bit l = [proj(l) > 0] XOR c[slot(l)]. */
export function _helperData(v: Int16Array, p: FuzzyCommitmentParams, key: Uint8Array, salt: Uint8Array, message: Uint8Array): Uint8Array {
  const code = _bchCode(p.m, p.t);
  const bits = new Uint8Array(code.k);
  for (let i = 0; i < code.k; i++) bits[i] = (message[i >> 3]! >> (i & 7)) & 1;
  const c = _bchEncode(code, bits);
  const helper = new Uint8Array(_helperBytes(p));
  try {
    _withProjections(v, p, key, salt, (proj, slot) => {
      for (let l = 0; l < proj.length; l++) if (((proj[l]! > 0 ? 1 : 0) ^ c[slot[l]!]!) === 1) helper[l >> 3]! |= 1 << (l & 7);
    });
    return helper;
  } finally {
    bits.fill(0);
    c.fill(0);
  }
}

/**
 * Soft-majority decoding of a probe: S[j] = sum over projections l of codeword bit j of
 * (helper bit l = 0 ? proj(l) : -proj(l)); y[j] = [S[j] > 0]; then BCH bounded-distance decoding.
 * Returns the message bytes, or undefined when the word is farther than t from every codeword.
 */
export function _decodeMessage(v: Int16Array, p: FuzzyCommitmentParams, key: Uint8Array, salt: Uint8Array, helper: Uint8Array): Uint8Array | undefined {
  const code: _Bch = _bchCode(p.m, p.t);
  const soft = new Float64Array(code.n);
  const word = new Uint8Array(code.n);
  try {
    _withProjections(v, p, key, salt, (proj, slot) => {
      for (let l = 0; l < proj.length; l++) soft[slot[l]!]! += (helper[l >> 3]! >> (l & 7)) & 1 ? -proj[l]! : proj[l]!;
    });
    for (let j = 0; j < code.n; j++) word[j] = soft[j]! > 0 ? 1 : 0;
    return _decodedMessage(code, word);
  } finally {
    soft.fill(0);
    word.fill(0);
  }
}
