// Straightforward re-implementations of the SPEC.md §3.3–3.5 samplers over a given keystream
// byte array, written for the suites that derive expected values independently of src/random.

export function popcount(byte: number): number {
  let c = 0;
  for (let b = byte; b; b >>= 1) c += b & 1;
  return c;
}

/** A sequential reader over keystream bytes: little-endian u32 words and single bytes. */
export class ReferenceReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  u32(): number {
    const b = this.bytes, p = this.pos;
    if (p + 4 > b.length) throw new RangeError('the reference keystream is exhausted');
    this.pos += 4;
    return b[p]! + b[p + 1]! * 256 + b[p + 2]! * 65536 + b[p + 3]! * 16777216;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('the reference keystream is exhausted');
    return this.bytes[this.pos++]!;
  }
}

/** SPEC.md §3.3: uniform integer in [0, n) by rejection of words >= 2^32 - (2^32 mod n). */
export function uniformRef(r: ReferenceReader, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const w = r.u32();
    if (w < limit) return w % n;
  }
}

/** SPEC.md §3.4: the first k entries of a forward Fisher–Yates shuffle of [0, n). */
export function partialPermutationRef(r: ReferenceReader, n: number, k: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + uniformRef(r, n - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** SPEC.md §3.5: popcount(b[2t]) - popcount(b[2t+1]) for t = 0..count-1. */
export function binomialWeightsRef(r: ReferenceReader, count: number): number[] {
  return Array.from({ length: count }, () => popcount(r.byte()) - popcount(r.byte()));
}
