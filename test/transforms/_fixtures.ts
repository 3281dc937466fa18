// Shared fixtures of the transform suites: the schemes at their default parameters, hex
// helpers and the small statistics the score-distribution suites need.
import { defaultParams, SCHEME_NAMES, type TransformParams } from '../../src/index.js';

/** Every scheme at its documented default parameters for embeddings of dimension `dim`. */
export function defaultsFor(dim: number): TransformParams[] {
  return SCHEME_NAMES.map((s) => defaultParams(s, dim));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation. */
export function stdDev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
