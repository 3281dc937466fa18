// Subkeys of one 32-byte sealing key (SPEC.md §7.1, §8.3): a public key id, a key commitment
// and the AEAD key, each HKDF-SHA256 of the key under its own label, computed once per key.
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { AEADS, type AeadName } from './aead.js';
import { _hkdfSha256 } from './kdf.js';

/** Bytes of a storage key, a key-encryption key and a data-encryption key. */
export const SEALING_KEY_BYTES = 32;
/** Bytes of a key id and of a key commitment. */
export const KEY_ID_BYTES = 8;
export const COMMITMENT_BYTES = 32;

/** The domain a sealing key serves: records (§7), keyring export bodies (§8.3), in-process key wrapping (§8.2). */
export type SealDomain = 'record' | 'keyring' | 'wrap';

/** The derived, ready-to-use form of one sealing key. */
export interface _SealKey {
  readonly algorithm: AeadName;
  readonly keyId: Uint8Array;
  readonly commitment: Uint8Array;
  readonly aeadKey: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function info(domain: SealDomain, what: string, algId?: number): Uint8Array {
  const label = utf8ToBytes(`templock/v1/${domain}/${what}`);
  if (algId === undefined) return label;
  const out = new Uint8Array(label.length + 1);
  out.set(label);
  out[label.length] = algId;
  return out;
}

/** Derives id, commitment and AEAD key of `key` (32 bytes, trusted) for `domain`. */
export function _deriveSealKey(key: Uint8Array, domain: SealDomain, algorithm: AeadName): _SealKey {
  return {
    algorithm,
    keyId: _hkdfSha256(key, EMPTY, info(domain, 'key-id'), KEY_ID_BYTES),
    commitment: _hkdfSha256(key, EMPTY, info(domain, 'commit'), COMMITMENT_BYTES),
    aeadKey: _hkdfSha256(key, EMPTY, info(domain, 'aead', AEADS[algorithm].id), SEALING_KEY_BYTES),
  };
}

/** Zero-fills the derived secrets. */
export function _wipeSealKey(k: _SealKey): void {
  k.commitment.fill(0);
  k.aeadKey.fill(0);
}
