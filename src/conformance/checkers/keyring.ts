// Checker of keyring_v1.json (SPEC.md §8): a keyring export protected by the in-process key
// wrapper (its key-encryption key and label given) -> the keys it holds (id, AEAD, status,
// creation time) and the primary key, or the import error. Exports protected by a passphrase
// appear only with a header that must be refused before any Argon2id work.
import { localKeyWrapper } from '../../storage/key-wrapper.js';
import { _openKeyringBody, _parseKeyringHeader } from '../../storage/keyring-export.js';
import { decryptFailed } from '../../storage/aead.js';
import { fromHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const keyringChecker: VectorChecker = {
  schema: 'keyring_v1.schema.json',
  outputKey: 'keyring',
  run(_group, test) {
    const parsed = _parseKeyringHeader(fromHex(str(test, 'export'), 'export'));
    if (parsed.kind !== 'wrapper') throw new Error('keyring vectors open only wrapper-protected exports; a passphrase header must fail before any work');
    const unwrapped = localKeyWrapper(fromHex(str(test, 'kek'), 'kek'), str(test, 'label')).unwrap(parsed.wrapped.slice(), parsed.prefix.slice());
    if (!(unwrapped instanceof Uint8Array) || unwrapped.length !== 32) throw decryptFailed();
    const ring = _openKeyringBody(parsed, unwrapped);
    return {
      primary: ring.primaryId,
      keys: ring.keys().map((k) => ({ id: k.id, algorithm: k.algorithm, status: k.status, createdAt: k.createdAt })),
    };
  },
};
