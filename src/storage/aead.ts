// The two AEADs of sealed records and keyring exports (SPEC.md §7.2): XChaCha20-Poly1305
// (default) and AES-256-GCM-SIV, from @noble/ciphers. Any authentication failure, whatever its
// cause, is the one opaque TemplockError DECRYPT_FAILED.
import { gcmsiv } from '@noble/ciphers/aes.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { TemplockError } from '../errors.js';

/** The name of a record AEAD. */
export type AeadName = 'xchacha20-poly1305' | 'aes-256-gcm-siv';

/** Every record AEAD with its wire id and nonce length. */
export const AEADS = Object.freeze({
  'xchacha20-poly1305': Object.freeze({ id: 1, nonceBytes: 24 }),
  'aes-256-gcm-siv': Object.freeze({ id: 2, nonceBytes: 12 }),
} as const);

/** The AEAD used when none is named. */
export const DEFAULT_AEAD: AeadName = 'xchacha20-poly1305';
/** Bytes of the authentication tag of both AEADs. */
export const TAG_BYTES = 16;

const NAMES = Object.keys(AEADS) as AeadName[];

/** The AEAD name of a wire id, or undefined. */
export function _aeadById(id: number): AeadName | undefined {
  return NAMES.find((n) => AEADS[n].id === id);
}

/** Asserts an AEAD name at a public boundary. */
export function aAead(name: string, value: unknown): AeadName {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${typeof value}`);
  if (!(NAMES as string[]).includes(value)) throw new RangeError(`"${name}" expected one of ${NAMES.join(', ')}`);
  return value as AeadName;
}

function cipher(alg: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  if (nonce.length !== AEADS[alg].nonceBytes) throw new RangeError(`"nonce" expected Uint8Array of length ${AEADS[alg].nonceBytes}, got length ${nonce.length}`);
  return alg === 'xchacha20-poly1305' ? xchacha20poly1305(key, nonce, aad) : gcmsiv(key, nonce, aad);
}

/** Encrypts: ciphertext || 16-byte tag. */
export function _aeadEncrypt(alg: AeadName, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  return cipher(alg, key, nonce, aad).encrypt(plaintext);
}

/** Decrypts ciphertext || tag, or throws DECRYPT_FAILED. */
export function _aeadDecrypt(alg: AeadName, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  const c = cipher(alg, key, nonce, aad);
  if (sealed.length < TAG_BYTES) throw decryptFailed();
  try {
    return c.decrypt(sealed);
  } catch {
    throw decryptFailed();
  }
}

/** The one opaque authentication failure. */
export function decryptFailed(): TemplockError {
  return new TemplockError('DECRYPT_FAILED', 'sealed data could not be authenticated');
}
