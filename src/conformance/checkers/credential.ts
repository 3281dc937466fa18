// Checker of credential_v1.json (SPEC.md §4.5.5): a released key, a label and a sealed credential
// -> the credential, or DECRYPT_FAILED; when a test gives the nonce and credential it was sealed
// from, sealing them again must give the sealed bytes exactly.
import { _sealCredential, openCredential } from '../../transforms/credential.js';
import { fromHex, toHex } from '../codec.js';
import { str } from '../fields.js';
import type { VectorChecker } from '../types.js';

export const credentialChecker: VectorChecker = {
  schema: 'credential_v1.schema.json',
  outputKey: 'opened',
  run(_group, test) {
    const key = fromHex(str(test, 'key'), 'key');
    const label = str(test, 'label');
    const sealed = fromHex(str(test, 'sealed'), 'sealed');
    if (test.nonce !== undefined) {
      const again = _sealCredential(key, fromHex(str(test, 'credential'), 'credential'), label, fromHex(str(test, 'nonce'), 'nonce'));
      if (toHex(again) !== toHex(sealed)) throw new Error('sealing the credential with the given nonce gives different bytes');
    }
    return { credential: toHex(openCredential(key, sealed, label)) };
  },
};
