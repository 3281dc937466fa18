// Checker of template_v1.json (SPEC.md §5): template bytes -> the decoded fields, or the decode
// error; a decoded template must re-encode to exactly the same bytes.
import { decodeTemplate, encodeTemplate } from '../../template.js';
import { fromHex, toHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const templateChecker: VectorChecker = {
  schema: 'template_v1.schema.json',
  outputKey: 'decoded',
  run(_group, test) {
    const bytes = fromHex(str(test, 'template'), 'template');
    const t = decodeTemplate(bytes);
    const again = toHex(encodeTemplate(t));
    if (again !== toHex(bytes)) throw new Error('decoded template re-encodes to different bytes');
    return { params: { ...t.params }, salt: toHex(t.salt), keyId: toHex(t.keyId), meanId: toHex(t.meanId), payload: toHex(t.payload) };
  },
};
