// Checker of record_v1.json (SPEC.md §7): a storage key, a context and a sealed record -> the
// opened template with the record's key id and salt id, or the error, as a v1-only opener gives
// them (format versions above 1 are UNSUPPORTED_VERSION there; record_v2.json covers v2). When a
// test also gives the nonce and the template it was sealed from, sealing them again as format v1
// must give the record exactly.
import { encodeTemplate, decodeTemplate } from '../../template.js';
import { aAead } from '../../storage/aead.js';
import { _encodeContext } from '../../storage/context.js';
import { Keyring } from '../../storage/keyring.js';
import { _openRecord, _parseRecord, _recordHeader, _sealRecord } from '../../storage/record.js';
import { fromHex, toHex } from '../codec.js';
import { obj, str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const recordChecker: VectorChecker = {
  schema: 'record_v1.schema.json',
  outputKey: 'opened',
  run(group, test) {
    const ring = Keyring.fromKey(fromHex(str(group, 'key'), 'key'), { algorithm: aAead('aead', str(group, 'aead')) });
    const c = obj(test, 'context');
    const context = { tenant: str(c, 'tenant'), subjectId: str(c, 'subjectId'), purpose: str(c, 'purpose') };
    const record = fromHex(str(test, 'record'), 'record');
    if (test.nonce !== undefined) {
      const again = _sealRecord(ring._sealKey(), decodeTemplate(fromHex(str(test, 'template'), 'template')), _encodeContext(context), fromHex(str(test, 'nonce'), 'nonce'), 0);
      if (toHex(again) !== toHex(record)) throw new Error('sealing the template with the given nonce gives different bytes');
    }
    const parsed = _parseRecord(record, 1);
    const t = _openRecord(ring._openKey(parsed.keyId), parsed, _encodeContext(context));
    const h = _recordHeader(parsed);
    return { keyId: h.keyId, saltId: h.saltId, template: toHex(encodeTemplate(t)) };
  },
};
