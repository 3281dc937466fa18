// The bytes of the store manifest (SPEC.md §7.6): its key, the encoding and keyed hash of each
// entry (a record's current version or tombstone, a revocation), the 256-bit sum of those hashes,
// the digest mask and the head MAC. Pure functions over trusted inputs; manifest.ts uses them.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { _lengthPrefixed } from './bytes.js';
import { _hkdfSha256 } from './kdf.js';

/** Bytes of the manifest key, of an entry hash, of the digest and of the head MAC. */
export const MANIFEST_HASH_BYTES = 32;

const EMPTY = new Uint8Array(0);
const KEY_INFO = utf8ToBytes('templock/v1/manifest/mac');
const RECORD_LABEL = utf8ToBytes('templock/v1/manifest/record');
const REVOKED_LABEL = utf8ToBytes('templock/v1/manifest/revoked');
const HEAD_LABEL = utf8ToBytes('templock/v1/manifest/head');
const MASK_LABEL = utf8ToBytes('templock/v1/manifest/mask');

/** The manifest key of a 32-byte storage key: HKDF-SHA256(K, empty, "templock/v1/manifest/mac", 32). */
export function _manifestKey(storageKey: Uint8Array): Uint8Array {
  return _hkdfSha256(storageKey, EMPTY, KEY_INFO, MANIFEST_HASH_BYTES);
}

function u64le(out: Uint8Array, at: number, value: number): void {
  const lo = value % 2 ** 32, hi = Math.floor(value / 2 ** 32);
  out[at] = lo & 0xff;
  out[at + 1] = (lo >>> 8) & 0xff;
  out[at + 2] = (lo >>> 16) & 0xff;
  out[at + 3] = lo >>> 24;
  out[at + 4] = hi & 0xff;
  out[at + 5] = (hi >>> 8) & 0xff;
  out[at + 6] = (hi >>> 16) & 0xff;
  out[at + 7] = hi >>> 24;
}

const utf8 = new TextEncoder();

/**
 * The entry encodings of one tenant's manifest, written into one scratch buffer (a load encodes
 * every entry): each result is a view valid until the next call.
 *   record entry     = "templock/v1/manifest/record"  || lp(T) || lp(S) || lp(P) || u64le(V) || u8(live)
 *   revocation entry = "templock/v1/manifest/revoked" || lp(T) || lp(kind) || lp(value) || u64le(revokedAt)
 *   head MAC input   = "templock/v1/manifest/head"    || lp(T) || key_id (8) || u64le(G) || u64le(C) || D (32)
 * lp(x) = u8(len(x)) || x over UTF-8 bytes; every string is 1..255 bytes (checked by the store).
 */
export class _EntryEncoder {
  readonly #record: Uint8Array;
  readonly #revoked: Uint8Array;
  readonly #head: Uint8Array;
  readonly #buf = new Uint8Array(1024);

  constructor(tenant: Uint8Array) {
    this.#record = _lengthPrefixed(RECORD_LABEL, [tenant]);
    this.#revoked = _lengthPrefixed(REVOKED_LABEL, [tenant]);
    this.#head = _lengthPrefixed(HEAD_LABEL, [tenant]);
  }

  /** Writes lp(text) at `at`; the offset after it. */
  #lp(text: string, at: number): number {
    const { written } = utf8.encodeInto(text, this.#buf.subarray(at + 1, at + 256));
    this.#buf[at] = written;
    return at + 1 + written;
  }

  record(subjectId: string, purpose: string, version: number, live: boolean): Uint8Array {
    const b = this.#buf;
    b.set(this.#record, 0);
    let o = this.#lp(purpose, this.#lp(subjectId, this.#record.length));
    u64le(b, o, version);
    b[o + 8] = live ? 1 : 0;
    o += 9;
    return b.subarray(0, o);
  }

  revocation(kind: string, value: string, revokedAt: number): Uint8Array {
    const b = this.#buf;
    b.set(this.#revoked, 0);
    const o = this.#lp(value, this.#lp(kind, this.#revoked.length));
    u64le(b, o, revokedAt);
    return b.subarray(0, o + 8);
  }

  head(keyId: Uint8Array, generation: number, count: number, digest: Uint8Array): Uint8Array {
    const b = this.#buf;
    const o = this.#head.length;
    b.set(this.#head, 0);
    b.set(keyId, o);
    u64le(b, o + 8, generation);
    u64le(b, o + 16, count);
    b.set(digest, o + 24);
    return b.subarray(0, o + 24 + MANIFEST_HASH_BYTES);
  }

  /** The mask input at `generation`: "templock/v1/manifest/mask" || u64le(generation). */
  static mask(generation: number): Uint8Array {
    const out = new Uint8Array(MASK_LABEL.length + 8);
    out.set(MASK_LABEL, 0);
    u64le(out, MASK_LABEL.length, generation);
    return out;
  }
}

/**
 * HMAC-SHA256 under one manifest key, keyed once: each call copies the keyed state into one
 * scratch instance (a load hashes every entry, so no per-call hash objects).
 */
export class _ManifestMac {
  readonly #keyed;
  readonly #scratch;

  constructor(key: Uint8Array) {
    this.#keyed = hmac.create(sha256, key);
    this.#scratch = hmac.create(sha256, key);
  }

  /** HMAC-SHA256(key, message). */
  mac(message: Uint8Array): Uint8Array {
    const out = new Uint8Array(MANIFEST_HASH_BYTES);
    this.#keyed._cloneInto(this.#scratch).update(message).digestInto(out);
    return out;
  }

  /** The mask of the stored digest at `generation`: HMAC(key, "templock/v1/manifest/mask" || u64le(generation)). */
  mask(generation: number): Uint8Array {
    return this.mac(_EntryEncoder.mask(generation));
  }

  /** Zero-fills the keyed state. */
  destroy(): void {
    this.#keyed.destroy();
    this.#scratch.destroy();
  }
}

/** acc = acc + h mod 2^256, both little-endian 32-byte integers. */
export function _addDigest(acc: Uint8Array, h: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < MANIFEST_HASH_BYTES; i++) {
    const s = acc[i]! + h[i]! + carry;
    acc[i] = s & 0xff;
    carry = s >>> 8;
  }
}

/** acc = acc - h mod 2^256. */
export function _subDigest(acc: Uint8Array, h: Uint8Array): void {
  let borrow = 0;
  for (let i = 0; i < MANIFEST_HASH_BYTES; i++) {
    const d = acc[i]! - h[i]! - borrow;
    acc[i] = d & 0xff;
    borrow = d < 0 ? 1 : 0;
  }
}

/** a XOR b (32 bytes each), a new array. */
export function _xorDigest(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(MANIFEST_HASH_BYTES);
  for (let i = 0; i < MANIFEST_HASH_BYTES; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
