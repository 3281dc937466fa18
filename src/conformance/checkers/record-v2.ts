// Checker of record_v2.json (SPEC.md §7.4): a storage key, a context (optionally naming the
// record version its opener expects) and a sealed record of format v1 or v2 -> the opened template
// with the record's key id, salt id, format and record version, or the error. When a test also
// gives the nonce, the record version and the template it was sealed from, sealing them again
// must give the record exactly. A record may hold either kind of template (§7.4); the output is
// its encoding. A group's `keyStatus: "disabled"` disables its key first (rule 11).
import { _encodeSealable } from '../../template.js';
import { aAead } from '../../storage/aead.js';
import { _encodeContext, type RecordContext } from '../../storage/context.js';
import { Keyring } from '../../storage/keyring.js';
import { _decodeSealedAny, _expectVersion, _openRecord, _parseRecord, _recordHeader, _sealRecord } from '../../storage/record.js';
import { fromHex, toHex } from '../codec.js';
import { num, obj, str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const recordV2Checker: VectorChecker = {
  schema: 'record_v2.schema.json',
  outputKey: 'opened',
  run(group, test) {
    const ring = Keyring.fromKey(fromHex(str(group, 'key'), 'key'), { algorithm: aAead('aead', str(group, 'aead')) });
    const c = obj(test, 'context');
    const context: RecordContext = {
      tenant: str(c, 'tenant'), subjectId: str(c, 'subjectId'), purpose: str(c, 'purpose'),
      ...(c.version === undefined ? {} : { version: num(c, 'version') }),
    };
    const ctx = _encodeContext(context);
    const record = fromHex(str(test, 'record'), 'record');
    if (group.keyStatus === 'disabled') {
      // The group's key becomes an old, disabled key of the ring: a new primary takes its place.
      const old = ring.primaryId;
      ring.rotate();
      ring.disable(old);
    }
    if (test.nonce !== undefined) {
      const template = _decodeSealedAny(fromHex(str(test, 'template'), 'template'));
      const again = _sealRecord(ring._sealKey(), template, ctx, fromHex(str(test, 'nonce'), 'nonce'), num(test, 'version'));
      if (toHex(again) !== toHex(record)) throw new Error('sealing the template with the given nonce and version gives different bytes');
    }
    const parsed = _parseRecord(record);
    if (context.version !== undefined) _expectVersion(parsed, context.version);
    const t = _openRecord(ring._openKey(parsed.keyId), parsed, ctx, undefined, _decodeSealedAny);
    const h = _recordHeader(parsed);
    return { keyId: h.keyId, saltId: h.saltId, format: h.version, recordVersion: h.recordVersion, template: toHex(_encodeSealable(t)) };
  },
};
