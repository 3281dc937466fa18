// Recommended parameters per scheme (README "Choosing parameters"), as chosen from the
// evaluation on real face embeddings; a vendor tunes them for its own model by the rule there.
import { checkParams } from './registry.js';
import type { SchemeName, TransformParams } from './scheme.js';

/**
 * The recommended parameters of `scheme` for embeddings of dimension `dim`.
 * @example
 * import { defaultParams } from 'templock';
 * const params = defaultParams('iom-grp', 512); // { scheme: 'iom-grp', dim: 512, m: 512, q: 16 }
 */
export function defaultParams(scheme: SchemeName, dim: number): TransformParams {
  if (typeof scheme !== 'string') throw new TypeError(`"scheme" expected string, got ${scheme === null ? 'null' : typeof scheme}`);
  switch (scheme) {
    case 'iom-grp': return checkParams({ scheme, dim, m: 512, q: 16 });
    case 'iom-urp': return checkParams({ scheme, dim, m: 512, k: 16, p: 2 });
    case 'sign': return checkParams({ scheme, dim, bits: 512 });
    default: throw new RangeError(`"scheme" expected one of iom-grp, iom-urp, sign`);
  }
}
