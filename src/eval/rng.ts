// Seeded randomness of the evaluation (docs/EVALUATION.md "Reproducibility"): a ChaCha20
// keystream keyed by SHA-256("templock/eval/" || seed || "/" || purpose), so every sample, key
// and salt of a run is reproducible from (seed, purpose) and independent across purposes.
import { sha256 } from '@noble/hashes/sha2.js';
import { _KeyStream, _deriveStreamKey } from '../random/keystream.js';
import { _uniform } from '../random/samplers.js';

const enc = new TextEncoder();

/** A reproducible random source for one purpose of one evaluation run. */
export class _EvalRng {
  private readonly ks: _KeyStream;
  constructor(seed: number, purpose: string) {
    this.ks = new _KeyStream(sha256(enc.encode(`templock/eval/${seed}/${purpose}`)));
  }
  /** Uniform integer in [0, n), 1 <= n <= 2^32. */
  int(n: number): number {
    return _uniform(this.ks, n);
  }
  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    return (this.ks.u32() * 2 ** 21 + (this.ks.u32() >>> 11)) / 2 ** 53;
  }
  /** Standard normal deviate (Box–Muller, one of the pair). */
  gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.ks.fill(out);
    return out;
  }
}

/** A 32-byte key or a salt for evaluation use, derived from (seed, purpose, index). */
export function _evalSecret(seed: number, purpose: string, index: number, bytes: number): Uint8Array {
  return _deriveStreamKey(enc.encode(`templock/eval/${seed}`), enc.encode(purpose), enc.encode(String(index))).subarray(0, bytes);
}
