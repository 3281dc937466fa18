// Salt ids (SPEC.md §7.4): a public fingerprint of a template's salt, named in sealed record
// headers and on revocation lists, that does not reveal the salt.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Bytes of a salt id. */
export const SALT_ID_BYTES = 16;

const SALT_ID_LABEL = utf8ToBytes('templock/v1/salt-id');

/** First 16 bytes of SHA-256("templock/v1/salt-id" || salt): names a salt without revealing it. */
export function _saltIdBytes(salt: Uint8Array): Uint8Array {
  const input = new Uint8Array(SALT_ID_LABEL.length + salt.length);
  input.set(SALT_ID_LABEL);
  input.set(salt, SALT_ID_LABEL.length);
  return sha256(input).subarray(0, SALT_ID_BYTES);
}
