// Small byte helpers of the storage area: bounded UTF-8 fields (aUtf8, from the core's
// validators) and length-prefixed concatenation (SPEC.md §7.3).
export { aUtf8 } from '../validate.js';

/** label || (u8 length || bytes) for each field: an injective encoding of short fields. */
export function _lengthPrefixed(label: Uint8Array, fields: readonly Uint8Array[]): Uint8Array {
  let n = label.length;
  for (const f of fields) n += 1 + f.length;
  const out = new Uint8Array(n);
  out.set(label, 0);
  let o = label.length;
  for (const f of fields) {
    out[o++] = f.length;
    out.set(f, o);
    o += f.length;
  }
  return out;
}
