// Checker of canonical_v1.json (SPEC.md §2): embedding (and optional mean) -> canonical int16 vector.
import { _canonicalise } from '../../canonical.js';
import { aEmbedding, aInt } from '../../validate.js';
import { DIM_MAX, DIM_MIN } from '../../transforms/registry.js';
import { f32FromHex, toHex, u16leBytes } from '../codec.js';
import { num, str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const canonicalChecker: VectorChecker = {
  schema: 'canonical_v1.schema.json',
  outputKey: 'canonical',
  run(group, test) {
    const dim = aInt('dim', num(group, 'dim'), DIM_MIN, DIM_MAX);
    const mean = group.mean === undefined ? undefined : aEmbedding('mean', f32FromHex(str(group, 'mean'), 'mean'), dim);
    const x = aEmbedding('embedding', f32FromHex(str(test, 'embedding')), dim);
    return toHex(u16leBytes(_canonicalise(x, mean)));
  },
};
