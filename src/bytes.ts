// Byte-string equality shared by the core, the matcher and the storage area.

/** Equality of two byte strings, in time that depends only on their (public) lengths. */
export function _equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
