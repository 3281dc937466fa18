// Recommended parameters per scheme and the recommended centring (docs/EVALUATION.md "Defaults"),
// chosen from the evaluation on real face embeddings; a vendor tunes them for its own model by
// the rule in docs/EVALUATION.md "Tuning for another model". Published test vectors use explicit
// parameters, so changing these values changes no vector.
import { IOM_GRP_MAX_WEIGHTS } from './iom-grp.js';
import { checkParams } from './registry.js';
import type { SchemeName, TransformParams } from './scheme.js';

/**
 * Fraction of the model's mean embedding to subtract (`params.mean = strength * mean`), per
 * scheme. The mean is fitted once per model on embeddings of people who are not enrolled.
 */
export const DEFAULT_CENTRING_STRENGTH: Readonly<Record<SchemeName, number>> = Object.freeze({ 'iom-grp': 0.25, 'iom-urp': 0.5, sign: 0.25 });

/**
 * The recommended parameters of `scheme` for embeddings of dimension `dim`. Accuracy is set by the
 * number of bits or hashes, not by dim; IoM-GRP's m shrinks only where m * q * dim would exceed
 * the scheme's weight budget.
 * @example
 * import { defaultParams } from 'templock';
 * const params = defaultParams('sign', 512); // { scheme: 'sign', dim: 512, bits: 8192 }
 */
export function defaultParams(scheme: SchemeName, dim: number): TransformParams {
  if (typeof scheme !== 'string') throw new TypeError(`"scheme" expected string, got ${scheme === null ? 'null' : typeof scheme}`);
  switch (scheme) {
    case 'iom-grp': {
      const q = 16;
      let m = 2048;
      while (m * q * dim > IOM_GRP_MAX_WEIGHTS && m > 16) m /= 2;
      return checkParams({ scheme, dim, m, q });
    }
    case 'iom-urp': return checkParams({ scheme, dim, m: 2048, k: Math.min(16, dim), p: 2 });
    case 'sign': return checkParams({ scheme, dim, bits: 8192 });
    default: throw new RangeError(`"scheme" expected one of iom-grp, iom-urp, sign`);
  }
}
