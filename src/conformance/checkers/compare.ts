// Checker of compare_v1.json (SPEC.md §4.4, §5): two encoded templates -> their score, or the
// error of decoding (A first) or of an incompatible pair.
import { compareTemplates } from '../../score.js';
import { decodeTemplate } from '../../template.js';
import { fromHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const compareChecker: VectorChecker = {
  schema: 'compare_v1.schema.json',
  outputKey: 'score',
  run(_group, test) {
    const a = decodeTemplate(fromHex(str(test, 'a'), 'a'));
    const b = decodeTemplate(fromHex(str(test, 'b'), 'b'));
    return compareTemplates(a, b);
  },
};
