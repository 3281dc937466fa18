// Bytes of a WebAssembly module embedded in a generated `*.gen.ts` file (base64 with its
// SHA-256), decoded and checked before the module is compiled.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { TemplockError } from './errors.js';

/** An embedded module as the generators write it. */
export interface _EmbeddedModule {
  readonly sha256: string;
  readonly base64: string;
}

/**
 * The bytes of an embedded module, checked against its SHA-256.
 * @throws TemplockError INTEGRITY when the bytes do not match (`label` names the module).
 */
export function _embeddedBytes(label: string, m: _EmbeddedModule): Uint8Array<ArrayBuffer> {
  const bin = atob(m.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (bytesToHex(sha256(bytes)) !== m.sha256) throw new TemplockError('INTEGRITY', `${label} does not match its SHA-256`);
  return bytes;
}
