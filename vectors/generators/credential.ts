// credential_v1.json: credentials sealed under a released key (SPEC.md §4.5.5): sealed with
// injected nonces (short and long credentials, non-ASCII and 255-byte labels, the key a
// fuzzy_commitment_v1.json template releases), then the same bytes opened under another key,
// another label, with a changed nonce, ciphertext or tag byte, and truncated.
import { credentialChecker } from '../../src/conformance/checkers/credential.js';
import { toHex } from '../../src/conformance/index.js';
import { _sealCredential } from '../../src/transforms/credential.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Sealed: 'Sealed from the given key, label, credential and nonce; sealing them again must give the bytes exactly.',
  LongLabel: 'A label of 255 UTF-8 bytes, the longest allowed.',
  Unicode: 'A label with non-ASCII characters (UTF-8).',
  WrongKey: 'Opened with another key.',
  WrongLabel: 'Opened with another label.',
  Modified: 'A byte of the nonce, the ciphertext or the tag changed.',
  Truncated: 'Shorter than what was sealed.',
} as const;

const hexFlip = (b: Uint8Array, at: number) => { const c = Uint8Array.from(b); c[at]! ^= 1; return toHex(c); };

function sealed(label: string, keyLabel: string, credential: Uint8Array, flags: string[], comment: string): { spec: TestSpec; bytes: Uint8Array; key: Uint8Array } {
  const key = labelBytes(`key/credential/${keyLabel}`, 32);
  const nonce = labelBytes(`nonce/credential/${comment}`, 24);
  const bytes = _sealCredential(key, credential, label, nonce);
  return { key, bytes, spec: { comment, flags: ['Sealed', ...flags], key: toHex(key), label, credential: toHex(credential), nonce: toHex(nonce), sealed: toHex(bytes) } };
}

function tests(): TestSpec[] {
  const door = sealed('resident-42', 'a', new TextEncoder().encode('door 4, flat 42'), [], 'a 15-byte door token');
  const one = sealed('r', 'b', Uint8Array.of(0x5a), [], 'a 1-byte credential, 1-byte label');
  const long = sealed('x'.repeat(255), 'c', labelBytes('credential/long', 1000), ['LongLabel'], 'a 1000-byte credential, 255-byte label');
  const uni = sealed('résident-42 · 門', 'd', labelBytes('credential/unicode', 32), ['Unicode'], 'a 32-byte key, non-ASCII label');
  const bad = (comment: string, flags: string[], key: Uint8Array, label: string, bytes: string): TestSpec =>
    ({ comment, flags, key: toHex(key), label, sealed: bytes, error: 'DECRYPT_FAILED' });
  const n = door.bytes.length;
  return [
    door.spec, one.spec, long.spec, uni.spec,
    bad('another key', ['WrongKey'], labelBytes('key/credential/other', 32), 'resident-42', toHex(door.bytes)),
    bad('another label', ['WrongLabel'], door.key, 'resident-43', toHex(door.bytes)),
    bad('a label differing in case', ['WrongLabel'], door.key, 'Resident-42', toHex(door.bytes)),
    bad('nonce byte 0 changed', ['Modified'], door.key, 'resident-42', hexFlip(door.bytes, 0)),
    bad('nonce byte 23 changed', ['Modified'], door.key, 'resident-42', hexFlip(door.bytes, 23)),
    bad('first ciphertext byte changed', ['Modified'], door.key, 'resident-42', hexFlip(door.bytes, 24)),
    bad('last tag byte changed', ['Modified'], door.key, 'resident-42', hexFlip(door.bytes, n - 1)),
    bad('one byte short', ['Truncated'], door.key, 'resident-42', toHex(door.bytes.subarray(0, n - 1))),
  ];
}

export const credentialVectors: VectorGenerator = {
  file: 'credential_v1.json',
  generate: () => envelope(credentialChecker, {
    algorithm: 'templock credential sealed under a released key',
    notes: NOTES,
    testGroups: [{ type: 'CredentialOpen', tests: tests() }],
  }),
};
