// equal_u8 baseline in plain JS (IoM): index bytes compared four at a time (32-bit words); the
// equal bytes of a word are its zero bytes after XOR, counted exactly without a branch.
import { TopK } from './topk.js';

/** Number of zero bytes in the 32-bit word x. */
export function zeroBytes32(x: number): number {
  const nonzero = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080; // high bit set per non-zero byte
  return 4 - (Math.imul(nonzero >>> 7, 0x01010101) >>> 24);
}

/** Top-k rows of `gallery` (rows of probe.length words, 4 indices each) by equal indices. */
export function equal_u8_topk(gallery: Uint32Array, probe: Uint32Array, k: number): TopK {
  const words = probe.length;
  const count = gallery.length / words;
  const top = new TopK(k);
  for (let i = 0, at = 0; i < count; i++, at += words) {
    let e = 0;
    for (let j = 0; j < words; j++) e += zeroBytes32(gallery[at + j]! ^ probe[j]!);
    if (e > top.floor) top.insert(i, e);
  }
  return top;
}
