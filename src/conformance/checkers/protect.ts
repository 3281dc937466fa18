// Checker of the transform files iom_grp_v1.json, iom_urp_v1.json and sign_v1.json (SPEC.md §2–§5):
// embedding, parameters, key and salt -> the encoded protected template.
import { encodeTemplate } from '../../template.js';
import { protect } from '../../transforms/protect.js';
import { f32FromHex, fromHex, toHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';
import { groupParams } from './derivation.js';

export const protectChecker: VectorChecker = {
  schema: 'protect_v1.schema.json',
  outputKey: 'template',
  run(group, test) {
    const t = protect(f32FromHex(str(test, 'embedding')), groupParams(group), fromHex(str(test, 'key'), 'key'), fromHex(str(test, 'salt'), 'salt'));
    return toHex(encodeTemplate(t));
  },
};
