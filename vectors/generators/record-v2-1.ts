// record_v2_1.json (conformance v1.1): sealed records that single out rule 12 of SPEC.md §7.4. A
// record authenticated under the right key whose header names another key's commitment must be
// refused before decryption (key commitment: one ciphertext, one key), though its AEAD verifies.
import { recordV2Checker } from '../../src/conformance/checkers/record-v2.js';
import { toHex } from '../../src/conformance/index.js';
import type { AeadName } from '../../src/storage/aead.js';
import { _encodeContext, type RecordContext } from '../../src/storage/context.js';
import { _deriveSealKey } from '../../src/storage/key-material.js';
import { _sealRecord } from '../../src/storage/record.js';
import { decodeTemplate } from '../../src/template.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';
import { forged, nonceFor, template } from './record.js';

const NOTES = {
  Sealed: 'A v2 record sealed from the given template, context, record version and nonce.',
  ForeignCommitment: 'Authenticated under the key, but the header carries the commitment of another key: refused under rule 12.',
  InvalidContext: 'A context field that is empty, longer than 255 UTF-8 bytes or not well-formed UTF-16 (SPEC.md §7.3): refused before any record rule.',
  KeyDisabled: 'The group key is disabled in the keyring (keyStatus): rule 11.',
  CheckOrder: 'Two rules fail; the first in SPEC.md §7.3–§7.4 order decides the error.',
} as const;

const CTX: RecordContext = { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' };
const COMMITMENT_OFFSET = 14;

function group(alg: AeadName, label: string): GroupSpec {
  const keyBytes = labelBytes(`key/record-v2-1/${label}`, 32);
  const key = _deriveSealKey(keyBytes, 'record', alg);
  const other = _deriveSealKey(labelBytes(`key/record-v2-1/${label}/other`, 32), 'record', alg);
  const tpl = template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign');
  const nonce = nonceFor(alg, `v2-1/${label}`);
  const record = _sealRecord(key, decodeTemplate(tpl), _encodeContext(CTX), nonce, 1);
  // The same template re-authenticated behind a header that names the other key's commitment.
  const foreign = forged(key, record, tpl, (head) => head.set(other.commitment, COMMITMENT_OFFSET));
  return {
    type: 'RecordOpen',
    aead: alg,
    key: toHex(keyBytes),
    tests: [
      { comment: 'the record as sealed', flags: ['Sealed'], context: { ...CTX }, template: toHex(tpl), version: 1, nonce: toHex(nonce), record: toHex(record) },
      { comment: 'authenticated under this key, commitment field of another key', flags: ['ForeignCommitment'], context: { ...CTX }, record: toHex(foreign), error: 'DECRYPT_FAILED' },
      ...(alg === 'xchacha20-poly1305' ? orderTests(record, other) : []),
    ],
  };
}

/** Context validation and rule order around a valid record (XChaCha20-Poly1305 group). */
function orderTests(record: Uint8Array, other: ReturnType<typeof _deriveSealKey>): TestSpec[] {
  const hex = toHex(record);
  const ctxBad = (comment: string, context: RecordContext, r = hex): TestSpec => ({ comment, flags: ['InvalidContext'], context: { ...context }, record: r, error: 'RangeError' });
  const badVersion = record.slice(0, 10);
  badVersion[4] = 3;
  const unknown = _sealRecord(other, decodeTemplate(template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign')), _encodeContext(CTX), nonceFor('xchacha20-poly1305', 'v2-1/unknown'), 1);
  return [
    ctxBad('empty tenant', { ...CTX, tenant: '' }),
    ctxBad('purpose of 256 UTF-8 bytes', { ...CTX, purpose: 'é'.repeat(128) }),
    ctxBad('subject id with a lone surrogate', { ...CTX, subjectId: 'resident-\ud800' }),
    ctxBad('empty subject id and a truncated record: the context decides', { ...CTX, subjectId: '' }, hex.slice(0, 20)),
    { comment: '10 bytes with format byte 3: the version decides before the length', flags: ['CheckOrder'], context: { ...CTX }, record: toHex(badVersion), error: 'UNSUPPORTED_VERSION' },
    { comment: 'another key id and one byte short: framing decides before the key lookup', flags: ['CheckOrder'], context: { ...CTX }, record: toHex(unknown.subarray(0, unknown.length - 1)), error: 'MALFORMED' },
    { comment: 'another key id: UNKNOWN_KEY_ID', flags: ['CheckOrder'], context: { ...CTX }, record: toHex(unknown), error: 'UNKNOWN_KEY_ID' },
  ];
}

/** A group whose key is disabled in the keyring. */
function disabledGroup(): GroupSpec {
  const keyBytes = labelBytes('key/record-v2-1/disabled', 32);
  const key = _deriveSealKey(keyBytes, 'record', 'xchacha20-poly1305');
  const record = _sealRecord(key, decodeTemplate(template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign')), _encodeContext(CTX), nonceFor('xchacha20-poly1305', 'v2-1/disabled'), 1);
  return {
    type: 'RecordOpen', aead: 'xchacha20-poly1305', key: toHex(keyBytes), keyStatus: 'disabled',
    tests: [{ comment: 'a record under a disabled key', flags: ['KeyDisabled'], context: { ...CTX }, record: toHex(record), error: 'KEY_DISABLED' }],
  };
}

export const recordV21Vectors: VectorGenerator = {
  file: 'record_v2_1.json',
  generate: () => envelope(recordV2Checker, {
    algorithm: 'templock sealed record v2 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [group('xchacha20-poly1305', 'xchacha'), group('aes-256-gcm-siv', 'gcm-siv'), disabledGroup()],
  }),
};
