// Seeded test data: a ChaCha20-based generator of uniform and Gaussian floats, unit vectors and
// perturbed copies at a chosen cosine, so every suite is reproducible.
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';

export class Seeded {
  private readonly words: Uint32Array;
  private pos = 0;
  private block = 0;
  private readonly key: Uint8Array;
  constructor(seed: string | number) {
    this.key = sha256(new TextEncoder().encode(`templock-test/${seed}`));
    this.words = new Uint32Array(1024);
    this.pos = this.words.length;
  }
  /** Uniform u32. */
  u32(): number {
    if (this.pos === this.words.length) {
      const bytes = new Uint8Array(this.words.buffer);
      bytes.fill(0);
      chacha20(this.key, new Uint8Array(12), bytes, bytes, this.block);
      this.block += bytes.length / 64;
      this.pos = 0;
    }
    return this.words[this.pos++]!;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return (this.u32() * 2 ** 21 + (this.u32() >>> 11)) / 2 ** 53;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  /** Standard normal (Box–Muller). */
  gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** A random direction in R^dim, unit length. */
  unitVector(dim: number): Float32Array {
    const x = new Float64Array(dim);
    let s = 0;
    for (let i = 0; i < dim; i++) { x[i] = this.gauss(); s += x[i]! * x[i]!; }
    const n = Math.sqrt(s);
    return Float32Array.from(x, (v) => v / n);
  }
  /** A unit vector whose cosine with the unit vector `x` is `cos`. */
  perturbed(x: Float32Array, cos: number): Float32Array {
    const d = x.length;
    const r = this.unitVector(d);
    let dot = 0;
    for (let i = 0; i < d; i++) dot += r[i]! * x[i]!;
    const o = new Float64Array(d);
    let s = 0;
    for (let i = 0; i < d; i++) { o[i] = r[i]! - dot * x[i]!; s += o[i]! * o[i]!; }
    const n = Math.sqrt(s), sin = Math.sqrt(1 - cos * cos);
    return Float32Array.from(x, (v, i) => cos * v + (sin * o[i]!) / n);
  }
}
