// Key-encryption keys for keyring exports (SPEC.md §8.2): the KeyWrapper callback interface a
// terminal implements over its KMS, TPM or secure element, and the in-process default.
import { randomBytes } from '@noble/hashes/utils.js';
import { aBytes } from '../validate.js';
import { AEADS } from './aead.js';
import { aUtf8 } from './bytes.js';
import { _openBlob, _sealBlob } from './blob.js';
import { _deriveSealKey, SEALING_KEY_BYTES } from './key-material.js';

/**
 * Wraps and unwraps a 32-byte data-encryption key under a key-encryption key held elsewhere.
 * `aad` must be bound to the wrapping (as associated data of the KMS/TPM operation); `label`
 * (1..255 UTF-8 bytes) is stored in the export to name the key-encryption key. Errors a wrapper
 * throws reach the caller unchanged.
 */
export interface KeyWrapper {
  readonly label: string;
  wrap(dek: Uint8Array, aad: Uint8Array): Uint8Array | Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/**
 * The in-process KeyWrapper: a 32-byte key-encryption key held in memory (a copy is kept).
 * Wrapped keys are sealed blobs (commitment, nonce, XChaCha20-Poly1305); a wrong key-encryption
 * key gives DECRYPT_FAILED.
 * @example
 * import { exportKeyring, localKeyWrapper } from 'templock/storage';
 * const bytes = await exportKeyring(ring, { wrapper: localKeyWrapper(kek, 'device-kek') });
 */
export function localKeyWrapper(kek: Uint8Array, label = 'local'): KeyWrapper {
  aUtf8('label', label);
  const key = _deriveSealKey(aBytes('kek', kek, SEALING_KEY_BYTES), 'wrap', 'xchacha20-poly1305');
  return Object.freeze({
    label,
    wrap: (dek: Uint8Array, aad: Uint8Array) =>
      _sealBlob(key, aBytes('dek', dek, SEALING_KEY_BYTES), aad, randomBytes(AEADS['xchacha20-poly1305'].nonceBytes)),
    unwrap: (wrapped: Uint8Array, aad: Uint8Array) => _openBlob(key, aBytes('wrapped', wrapped, 0, 4096), aad),
  });
}
