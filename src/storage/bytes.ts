// Small byte helpers of the storage area: bounded UTF-8 fields and
// length-prefixed concatenation (SPEC.md §7.3).
import { utf8ToBytes } from '@noble/hashes/utils.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 bytes of a string, with a plain loop for ASCII (the common case of ids). */
function utf8(value: string): Uint8Array {
  const n = value.length;
  if (n <= 255) {
    const out = new Uint8Array(n);
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      out[i] = c;
    }
    if (i === n) return out;
  }
  return utf8ToBytes(value);
}

/**
 * Asserts a well-formed string of 1..maxBytes UTF-8 bytes and returns its bytes. Lone surrogates
 * are refused because UTF-8 encoding would silently replace them (two strings, one encoding).
 */
export function aUtf8(name: string, value: unknown, maxBytes = 255): Uint8Array {
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${value === null ? 'null' : typeof value}`);
  const bytes = utf8(value);
  if (bytes.length === 0 || bytes.length > maxBytes)
    throw new RangeError(`"${name}" expected 1..${maxBytes} UTF-8 bytes, got ${bytes.length}`);
  if (bytes.length !== value.length && LONE_SURROGATE.test(value))
    throw new RangeError(`"${name}" expected a well-formed string, got one with a lone surrogate`);
  return bytes;
}

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
