// A credential sealed under the key that a key-binding template releases (SPEC.md §4.5.5): what
// a terminal keeps beside the template so that only the resident's face opens it (a door token,
// a card secret, a wrapped private key). XChaCha20-Poly1305 under HKDF of the released key, with
// a fresh nonce and the caller's label as associated data.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { TemplockError } from '../errors.js';
import { aBytes, aUtf8 } from '../validate.js';
import { RELEASED_KEY_BYTES } from './fuzzy-commitment.js';

const INFO = new TextEncoder().encode('templock/v1/credential');
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** Largest credential (bytes). */
export const CREDENTIAL_MAX_BYTES = 1 << 16;

function aeadKey(key: Uint8Array): Uint8Array {
  return hkdf(sha256, aBytes('key', key, RELEASED_KEY_BYTES), new Uint8Array(0), INFO, 32);
}

/**
 * Seals `credential` under a key released by bindKey / releaseKey / BoundGallery: nonce (24 bytes)
 * || XChaCha20-Poly1305 ciphertext and tag, with `label` (e.g. the resident's id) authenticated.
 * @example
 * import { bindKey, sealCredential } from 'templock';
 * const { template, key } = bindKey(embedding, params, appKey, salt);
 * const sealed = sealCredential(key, doorToken, 'resident-42');
 */
export function sealCredential(key: Uint8Array, credential: Uint8Array, label: string): Uint8Array<ArrayBuffer> {
  return _sealCredential(key, credential, label, randomBytes(NONCE_BYTES));
}

/** sealCredential with a given 24-byte nonce (published test vectors only: a nonce is never reused). */
export function _sealCredential(key: Uint8Array, credential: Uint8Array, label: string, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const plaintext = aBytes('credential', credential, 1, CREDENTIAL_MAX_BYTES);
  const aad = aUtf8('label', label);
  aBytes('nonce', nonce, NONCE_BYTES);
  const k = aeadKey(key);
  try {
    const sealed = xchacha20poly1305(k, nonce, aad).encrypt(plaintext);
    const out = new Uint8Array(NONCE_BYTES + sealed.length);
    out.set(nonce, 0);
    out.set(sealed, NONCE_BYTES);
    return out;
  } finally {
    k.fill(0);
  }
}

/**
 * Opens a credential sealed by sealCredential with the released key and the same label.
 * @throws TemplockError DECRYPT_FAILED (another key or label, or any changed byte: one opaque error).
 * @example
 * import { openCredential, releaseKey } from 'templock';
 * const r = releaseKey(probe, template, appKey, mean);
 * if (r.accepted) useToken(openCredential(r.key, sealed, 'resident-42'));
 */
export function openCredential(key: Uint8Array, sealed: Uint8Array, label: string): Uint8Array {
  const bytes = aBytes('sealed', sealed, NONCE_BYTES + TAG_BYTES + 1, NONCE_BYTES + TAG_BYTES + CREDENTIAL_MAX_BYTES);
  const aad = aUtf8('label', label);
  const k = aeadKey(key);
  try {
    return xchacha20poly1305(k, bytes.subarray(0, NONCE_BYTES), aad).decrypt(bytes.subarray(NONCE_BYTES));
  } catch {
    throw new TemplockError('DECRYPT_FAILED', 'credential: could not be opened with this key and label');
  } finally {
    k.fill(0);
  }
}
