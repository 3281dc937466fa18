// The parameter grid of the sweep (docs/EVALUATION.md "Sweep"). The angular resolution of these
// transforms is set by the number of bits or hashes, not by the embedding dimension, so the grid
// is the same for every dim (cost grows with dim); sets over a scheme's weight budget are left out:
// sign bits in {1024, 2048, 4096, 8192}; IoM-GRP m in {512, 1024, 2048} x q in {8, 16};
// IoM-URP m in {1024, 2048, 4096} x k = 16 (at most dim) x p in {2, 3}.
import { IOM_GRP_MAX_WEIGHTS } from '../transforms/iom-grp.js';
import { checkParams } from '../transforms/registry.js';
import type { SchemeName, TransformParams } from '../transforms/scheme.js';

/**
 * The sweep's parameter sets of `scheme` for embeddings of dimension `dim`.
 * @example
 * import { sweepGrid } from 'templock/eval';
 * const grid = sweepGrid('sign', 128); // bits 1024 .. 8192
 */
export function sweepGrid(scheme: SchemeName, dim: number): TransformParams[] {
  const out: unknown[] = [];
  if (scheme === 'sign')
    for (const bits of [1024, 2048, 4096, 8192]) out.push({ scheme, dim, bits });
  if (scheme === 'iom-grp')
    for (const m of [512, 1024, 2048]) for (const q of [8, 16]) if (m * q * dim <= IOM_GRP_MAX_WEIGHTS) out.push({ scheme, dim, m, q });
  if (scheme === 'iom-urp')
    for (const m of [1024, 2048, 4096]) for (const p of [2, 3]) out.push({ scheme, dim, m, k: Math.min(16, dim), p });
  return out.map((p) => checkParams(p));
}
