// A sealed blob (SPEC.md §8.3): commitment (32) || nonce (24) || XChaCha20-Poly1305 ciphertext,
// with associated data prefix || commitment || nonce. It seals a keyring body and, in the
// in-process key wrapper, a data-encryption key.
import { _aeadDecrypt, _aeadEncrypt, AEADS, decryptFailed } from './aead.js';
import { _equalBytes } from '../bytes.js';
import { COMMITMENT_BYTES, type _SealKey } from './key-material.js';

/** Bytes a blob adds to its plaintext: commitment, nonce and tag. */
export const BLOB_OVERHEAD_BYTES = COMMITMENT_BYTES + AEADS['xchacha20-poly1305'].nonceBytes + 16;

function aadOf(prefix: Uint8Array, head: Uint8Array): Uint8Array {
  const aad = new Uint8Array(prefix.length + head.length);
  aad.set(prefix, 0);
  aad.set(head, prefix.length);
  return aad;
}

/** Seals `plaintext` under an XChaCha20-Poly1305 seal key with the given 24-byte nonce. */
export function _sealBlob(key: _SealKey, plaintext: Uint8Array, prefix: Uint8Array, nonce: Uint8Array): Uint8Array {
  const head = new Uint8Array(COMMITMENT_BYTES + nonce.length);
  head.set(key.commitment, 0);
  head.set(nonce, COMMITMENT_BYTES);
  const sealed = _aeadEncrypt(key.algorithm, key.aeadKey, nonce, plaintext, aadOf(prefix, head));
  const out = new Uint8Array(head.length + sealed.length);
  out.set(head, 0);
  out.set(sealed, head.length);
  return out;
}

/** Opens a blob, or throws DECRYPT_FAILED (too short, wrong key, tampered). */
export function _openBlob(key: _SealKey, blob: Uint8Array, prefix: Uint8Array): Uint8Array {
  const nonceBytes = AEADS[key.algorithm].nonceBytes;
  if (blob.length < BLOB_OVERHEAD_BYTES) throw decryptFailed();
  const head = blob.subarray(0, COMMITMENT_BYTES + nonceBytes);
  if (!_equalBytes(head.subarray(0, COMMITMENT_BYTES), key.commitment)) throw decryptFailed();
  return _aeadDecrypt(key.algorithm, key.aeadKey, head.subarray(COMMITMENT_BYTES), blob.subarray(head.length), aadOf(prefix, head));
}
