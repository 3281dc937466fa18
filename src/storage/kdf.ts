// Key derivation for storage (SPEC.md §7.1, §8.2): HKDF-SHA256 (RFC 5869) for per-key subkeys,
// Argon2id (RFC 9106) for passphrases, with parameter bounds checked before any work:
// upper bounds against denial of service, lower bounds against downgrade. Argon2id runs on
// WebAssembly (argon2id-wasm.ts) where the engine allows, else on @noble/hashes; same bytes.
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { aInt } from '../validate.js';
import { _argon2idWasm } from './argon2id-wasm.js';

/** Largest HKDF-SHA256 output (255 blocks of 32 bytes). */
export const HKDF_MAX_BYTES = 255 * 32;

/** HKDF-SHA256(ikm, salt, info) of `length` bytes; RangeError above 8160 bytes. */
export function _hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  aInt('length', length, 1, HKDF_MAX_BYTES);
  return hkdf(sha256, ikm, salt, info, length);
}

/** Argon2id cost: memory in KiB, passes, lanes. */
export interface Argon2Params {
  readonly m: number;
  readonly t: number;
  readonly p: number;
}

/** Bounds every stored or requested Argon2id cost must satisfy (inclusive). */
export const ARGON2_BOUNDS = Object.freeze({
  m: Object.freeze({ min: 19456, max: 262144 }),
  t: Object.freeze({ min: 2, max: 16 }),
  p: Object.freeze({ min: 1, max: 8 }),
} as const);

/** The cost used when the caller names none: 64 MiB, 3 passes, 1 lane (RFC 9106 §4, second option). */
export const ARGON2_DEFAULTS: Argon2Params = Object.freeze({ m: 65536, t: 3, p: 1 });

/** True when every cost is inside {@link ARGON2_BOUNDS}. */
export function _argon2InBounds(a: Argon2Params): boolean {
  return (['m', 't', 'p'] as const).every((k) => a[k] >= ARGON2_BOUNDS[k].min && a[k] <= ARGON2_BOUNDS[k].max);
}

/** Asserts caller-chosen Argon2id costs (RangeError outside the bounds). */
export function aArgon2(name: string, value: unknown): Argon2Params {
  if (typeof value !== 'object' || value === null) throw new TypeError(`"${name}" expected object, got ${value === null ? 'null' : typeof value}`);
  const v = value as Partial<Record<'m' | 't' | 'p', unknown>>;
  const out: Record<'m' | 't' | 'p', number> = { ...ARGON2_DEFAULTS };
  for (const k of ['m', 't', 'p'] as const) {
    if (v[k] !== undefined) out[k] = aInt(`${name}.${k}`, v[k], ARGON2_BOUNDS[k].min, ARGON2_BOUNDS[k].max);
  }
  return Object.freeze(out);
}

/**
 * Argon2id v0x13 with a 32-byte output. `secret` is RFC 9106's K (an optional pepper, e.g. a
 * device-bound secret), `ad` its X (associated data). Costs are trusted here: callers check them.
 * WebAssembly where it runs (about 0.5 s at the defaults, holding the thread), else pure JavaScript.
 */
export async function _argon2id(password: Uint8Array, salt: Uint8Array, cost: Argon2Params, ad: Uint8Array, secret?: Uint8Array, dkLen = 32): Promise<Uint8Array<ArrayBuffer>> {
  return (await _argon2idWasm(password, salt, cost, ad, secret, dkLen)) ?? _argon2idJs(password, salt, cost, ad, secret, dkLen);
}

/** Argon2id v0x13 in pure JavaScript (@noble/hashes), yielding to the event loop as it runs. */
export function _argon2idJs(password: Uint8Array, salt: Uint8Array, cost: Argon2Params, ad: Uint8Array, secret?: Uint8Array, dkLen = 32): Promise<Uint8Array<ArrayBuffer>> {
  return argon2idAsync(password, salt, {
    m: cost.m, t: cost.t, p: cost.p, dkLen, version: 0x13, personalization: ad, maxmem: 2 ** 32 - 1,
    ...(secret && secret.length > 0 ? { key: secret } : {}),
  });
}
