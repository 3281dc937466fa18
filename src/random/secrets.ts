// Fresh secrets and salts from the platform CSPRNG (crypto.getRandomValues via @noble/hashes).
import { randomBytes } from '@noble/hashes/utils.js';
import { aInt } from '../validate.js';

/**
 * A new random salt (public, stored with the template); 16 bytes unless asked otherwise (16–32).
 * @example
 * import { generateSalt } from 'templock';
 * const salt = generateSalt();
 */
export function generateSalt(bytes = 16): Uint8Array<ArrayBuffer> {
  return randomBytes(aInt('bytes', bytes, 16, 32));
}

/**
 * A new random 32-byte application key. Keep it secret (in a keyring, KMS or secure element).
 * @example
 * import { generateKey } from 'templock';
 * const key = generateKey();
 */
export function generateKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(32);
}
