// The IoM-GRP projection matrix of one (params, key, salt), derived exactly as protect() derives
// and caches it (SPEC.md §3, §4.1), so the native ceiling projects with the very same weights.
import { _deriveStreamKey, _KeyStream } from '../../src/random/keystream.js';
import { iomGrp } from '../../src/transforms/iom-grp.js';
import { _prepare } from '../../src/transforms/protect.js';
import type { IomGrpParams } from '../../src/transforms/scheme.js';

/** The m*q*dim int8 weights of IoM-GRP under `key` and `salt`. */
export function iomGrpWeights(params: IomGrpParams, key: Uint8Array, salt: Uint8Array): Int8Array {
  const prep = _prepare(params, key);
  const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
  const ks = new _KeyStream(streamKey);
  try {
    return iomGrp.derive(ks, prep.params as IomGrpParams);
  } finally {
    ks.wipe();
    streamKey.fill(0);
    prep.key.fill(0);
  }
}
