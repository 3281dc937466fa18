// Checker of feed_v1.json (SPEC.md §7.8): a storage key, a tenant and one change of a central
// store's feed -> the manifest key, the authenticated message and its MAC; when a test also gives
// a stored MAC, it is checked first (INTEGRITY when it differs).
import { _equalBytes } from '../../bytes.js';
import { TemplockError } from '../../errors.js';
import type { Change, ChangeKind } from '../../storage/change-feed.js';
import { _changeMessage } from '../../storage/change-mac.js';
import { _ManifestMac, _manifestKey } from '../../storage/manifest-codec.js';
import { fromHex, toHex } from '../codec.js';
import { num, obj, str } from '../fields.js';
import type { VectorChecker } from '../types.js';

const KINDS: readonly ChangeKind[] = ['put', 'delete', 'revoke-subject', 'reinstate-subject', 'revoke-salt'];

export const feedChecker: VectorChecker = {
  schema: 'feed_v1.schema.json',
  outputKey: 'authenticated',
  run(group, test) {
    const key = _manifestKey(fromHex(str(group, 'storageKey'), 'storageKey'));
    const tenant = str(group, 'tenant');
    const c = obj(test, 'change');
    const kind = str(c, 'kind') as ChangeKind;
    if (!KINDS.includes(kind)) throw new RangeError('"kind" expected one of put, delete, revoke-subject, reinstate-subject, revoke-salt');
    const change: Change = {
      seq: num(c, 'seq'), kind,
      ...(c.subjectId === undefined ? {} : { subjectId: str(c, 'subjectId') }),
      ...(c.purpose === undefined ? {} : { purpose: str(c, 'purpose') }),
      ...(c.saltId === undefined ? {} : { saltId: str(c, 'saltId') }),
      ...(c.record === undefined ? {} : { record: fromHex(str(c, 'record'), 'record') }),
    };
    const message = _changeMessage(tenant, change);
    const mac = new _ManifestMac(key).mac(message);
    if (test.mac !== undefined && !_equalBytes(mac, fromHex(str(test, 'mac'), 'mac')))
      throw new TemplockError('INTEGRITY', 'feed: a change that was not written by a holder of the storage key');
    return { manifestKey: toHex(key), message: toHex(message), mac: toHex(mac) };
  },
};
