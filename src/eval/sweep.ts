// The parameter grid of the sweep (docs/EVALUATION.md "Sweep"), as a function of the embedding
// dimension: sign projections of 4 to 32 bits per dimension, IoM-URP with m in {4, 8, 16} x dim
// hashes, windows k in {8, 16, 32} and p in {2, 3} permutations, IoM-GRP with m in {2, 4, 8} x dim
// hashes of q in {4, 8, 16} projections (cut to the weight budget of the scheme).
import { IOM_GRP_MAX_WEIGHTS } from '../transforms/iom-grp.js';
import { IOM_M_MAX } from '../transforms/index-of-max.js';
import { checkParams } from '../transforms/registry.js';
import type { SchemeName, TransformParams } from '../transforms/scheme.js';
import { SIGN_MAX_WEIGHTS } from '../transforms/sign-projection.js';

/**
 * The sweep's parameter sets of `scheme` for embeddings of dimension `dim`.
 * @example
 * import { sweepGrid } from 'templock/eval';
 * const grid = sweepGrid('sign', 128); // bits 512 .. 4096
 */
export function sweepGrid(scheme: SchemeName, dim: number): TransformParams[] {
  const out: unknown[] = [];
  if (scheme === 'sign')
    for (const perDim of [4, 8, 16, 32]) { const bits = Math.ceil((perDim * dim) / 64) * 64; if (bits <= 8192 && bits * dim <= SIGN_MAX_WEIGHTS) out.push({ scheme, dim, bits }); }
  if (scheme === 'iom-urp')
    for (const perDim of [4, 8, 16]) for (const k of [8, 16, 32]) for (const p of [2, 3]) { const m = perDim * dim; if (m <= IOM_M_MAX && k <= dim) out.push({ scheme, dim, m, k, p }); }
  if (scheme === 'iom-grp')
    for (const perDim of [2, 4, 8]) for (const q of [4, 8, 16]) { const m = perDim * dim; if (m <= IOM_M_MAX && m * q * dim <= IOM_GRP_MAX_WEIGHTS) out.push({ scheme, dim, m, q }); }
  return out.map((p) => checkParams(p));
}
