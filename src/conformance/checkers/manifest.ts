// Checker of manifest_v1.json (SPEC.md §7.6): a storage key, a tenant and the entries of a store
// manifest -> the manifest key, each entry's hash, the digest, its mask and stored form, and the
// head MAC at the given generation; when a test also gives a stored head, it is checked against
// the entries first (INTEGRITY when its MAC or the entries' sum disagree).
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { _equalBytes } from '../../bytes.js';
import { TemplockError } from '../../errors.js';
import { _deriveSealKey } from '../../storage/key-material.js';
import { _addDigest, _EntryEncoder, _ManifestMac, _manifestKey, _xorDigest, MANIFEST_HASH_BYTES } from '../../storage/manifest-codec.js';
import { fromHex, toHex } from '../codec.js';
import { num, obj, str } from '../fields.js';
import type { JsonValue, VectorChecker } from '../types.js';

function entryBytes(encoder: _EntryEncoder, e: { readonly [k: string]: JsonValue }): Uint8Array {
  const kind = str(e, 'kind');
  if (kind === 'record') {
    if (typeof e.live !== 'boolean') throw new TypeError('"live" expected boolean');
    return encoder.record(str(e, 'subjectId'), str(e, 'purpose'), num(e, 'version'), e.live);
  }
  if (kind !== 'subject' && kind !== 'salt') throw new TypeError('"kind" expected one of record, subject, salt');
  return encoder.revocation(kind, str(e, 'value'), num(e, 'revokedAt'));
}

export const manifestChecker: VectorChecker = {
  schema: 'manifest_v1.schema.json',
  outputKey: 'manifest',
  run(group, test) {
    const storageKey = fromHex(str(group, 'storageKey'), 'storageKey');
    const encoder = new _EntryEncoder(utf8ToBytes(str(group, 'tenant')));
    const key = _manifestKey(storageKey);
    const mac = new _ManifestMac(key);
    const keyId = _deriveSealKey(storageKey, 'record', 'xchacha20-poly1305').keyId;
    const list = test.entries;
    if (!Array.isArray(list)) throw new TypeError('"entries" expected array');
    const hashes = (list as Array<{ readonly [k: string]: JsonValue }>).map((e) => mac.mac(entryBytes(encoder, e)));
    const digest = new Uint8Array(MANIFEST_HASH_BYTES);
    for (const h of hashes) _addDigest(digest, h);
    if (test.head !== undefined) {
      const head = obj(test, 'head');
      const generation = num(head, 'generation');
      const stored = _xorDigest(fromHex(str(head, 'storedDigest'), 'storedDigest'), mac.mask(generation));
      const expected = mac.mac(encoder.head(keyId, generation, num(head, 'count'), stored));
      if (!_equalBytes(expected, fromHex(str(head, 'mac'), 'mac'))) throw new TemplockError('INTEGRITY', 'manifest: the head fails its MAC');
      if (num(head, 'count') !== hashes.length || !_equalBytes(stored, digest)) throw new TemplockError('INTEGRITY', 'manifest: the entries do not match the head');
    }
    const generation = num(test, 'generation');
    const mask = mac.mask(generation);
    return {
      manifestKey: toHex(key),
      keyId: toHex(keyId),
      entryHashes: hashes.map(toHex),
      digest: toHex(digest),
      mask: toHex(mask),
      storedDigest: toHex(_xorDigest(digest, mask)),
      headMac: toHex(mac.mac(encoder.head(keyId, generation, hashes.length, digest))),
    };
  },
};
