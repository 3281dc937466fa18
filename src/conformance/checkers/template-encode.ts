// Checker of template_encode_v1_1.json (SPEC.md §5 "Encoding"): template fields -> the encoded
// bytes, or the error encodeTemplate raises for parameters, lengths or payload values out of range.
import { encodeTemplate } from '../../template.js';
import { fromHex, toHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const templateEncodeChecker: VectorChecker = {
  schema: 'template_encode_v1.schema.json',
  outputKey: 'template',
  run(_group, test) {
    return toHex(encodeTemplate({
      params: test.params as never,
      salt: fromHex(str(test, 'salt'), 'salt'),
      keyId: fromHex(str(test, 'keyId'), 'keyId'),
      meanId: fromHex(str(test, 'meanId'), 'meanId'),
      payload: fromHex(str(test, 'payload'), 'payload'),
    }));
  },
};
