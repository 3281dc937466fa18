// Checker of derivation_v1.json (SPEC.md §3.1–3.2, §4): key, salt and parameters -> transform
// info, stream key, identifiers, the first keystream bytes and the derived material.
import { sha256 } from '@noble/hashes/sha2.js';
import { _deriveStreamKey, _KeyStream } from '../../random/keystream.js';
import { _prepare, type ProtectParams } from '../../transforms/protect.js';
import { _schemeOf } from '../../transforms/registry.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES } from '../../template.js';
import { aBytes } from '../../validate.js';
import { f32FromHex, fromHex, toHex, u16leBytes } from '../codec.js';
import { obj, str } from '../fields.js';
import type { VectorChecker, VectorGroup } from '../types.js';

/** Keystream bytes and material bytes shown in full in each test. */
export const KEYSTREAM_HEAD_BYTES = 64;
export const MATERIAL_HEAD_BYTES = 64;

/** Transform parameters of a group, with its optional mean (hex of float32 LE). */
export function groupParams(group: VectorGroup): ProtectParams {
  // Passed as given, even when not an object: rejecting it is the implementation's rule to show.
  const params = group.params as unknown as ProtectParams;
  return group.mean === undefined ? params : { ...obj(group, 'params'), mean: f32FromHex(str(group, 'mean'), 'mean') } as unknown as ProtectParams;
}

/** Material as bytes: weights one int8 each, permutation entries uint16 little-endian. */
function materialBytes(m: Int8Array | Uint16Array): Uint8Array {
  return m instanceof Int8Array ? new Uint8Array(m.buffer, m.byteOffset, m.length) : u16leBytes(m);
}

export const derivationChecker: VectorChecker = {
  schema: 'derivation_v1.schema.json',
  outputKey: 'derived',
  run(group, test) {
    const prep = _prepare(groupParams(group), fromHex(str(test, 'key'), 'key'));
    const salt = aBytes('salt', fromHex(str(test, 'salt'), 'salt'), SALT_MIN_BYTES, SALT_MAX_BYTES);
    const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
    const head = new Uint8Array(KEYSTREAM_HEAD_BYTES);
    new _KeyStream(streamKey).fill(head);
    const material = materialBytes(_schemeOf(prep.params).derive(new _KeyStream(streamKey), prep.params));
    return {
      info: toHex(prep.info),
      streamKey: toHex(streamKey),
      keyId: toHex(prep.keyId),
      meanId: toHex(prep.meanId),
      keystream: toHex(head),
      materialHead: toHex(material.subarray(0, MATERIAL_HEAD_BYTES)),
      materialSha256: toHex(sha256(material)),
    };
  },
};
