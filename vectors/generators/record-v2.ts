// record_v2.json: sealed records of format v2 (SPEC.md §7.4) with injected nonces and record
// versions (1, 2, 2^32, 2^53 - 1), opened with and without an expected version; a v1 record that
// still opens as version 0; and the rejections v2 adds: a version other than the one expected
// (ROLLBACK), a changed version field (DECRYPT_FAILED), a version out of range, a header cut
// inside the version field, and format bytes that do not fit the layout; records holding a
// key-binding template (scheme id 4), and one whose length field does not fit its helper data.
import { recordV2Checker } from '../../src/conformance/checkers/record-v2.js';
import { toHex } from '../../src/conformance/index.js';
import type { AeadName } from '../../src/storage/aead.js';
import { _encodeContext, type RecordContext } from '../../src/storage/context.js';
import { _deriveSealKey, type _SealKey } from '../../src/storage/key-material.js';
import { _sealRecord, RECORD_FIXED_BYTES, RECORD_V2_FIXED_BYTES } from '../../src/storage/record.js';
import { gaussianish } from './_inputs.js';
import { _decodeSealedAny } from '../../src/storage/record.js';
import { bindKey } from '../../src/transforms/key-binding.js';
import { encodeBoundTemplate } from '../../src/template.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';
import { nonceFor, template } from './record.js';

const NOTES = {
  Sealed: 'A v2 record sealed from the given template, context, record version and nonce; sealing them again must give the record byte for byte.',
  ExpectedVersion: 'The context names the record version its opener expects.',
  LargeVersion: 'A record version using the high 32 bits of its field.',
  FormatV1: 'A record of format v1: it opens as record version 0.',
  WrongVersion: 'The record is not of the version the opener expects: refused before any key is used.',
  ModifiedVersion: 'The record version field changed after sealing.',
  VersionRange: 'A record version of 0 or above 2^53 - 1.',
  Truncated: 'Shorter than the record it was made from.',
  Framing: 'A format byte that does not fit the record.',
  WrongContext: 'Opened with a context other than the one it was sealed for.',
  ModifiedHeader: 'A header field changed after sealing.',
  KeyBinding: 'The sealed template is a key-binding template (scheme id 4, SPEC.md §4.5).',
} as const;

const CTX: RecordContext = { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' };
const V = RECORD_FIXED_BYTES; // offset of the record version field

function seal(key: _SealKey, tpl: Uint8Array, version: number, nonce: Uint8Array): Uint8Array {
  return _sealRecord(key, _decodeSealedAny(tpl), _encodeContext(CTX), nonce, version);
}

/** A key-binding template (dim 64, BCH n 63, r 3: 24 helper bytes) with an injected message. */
function boundTemplate(saltBytes: number, label: string): Uint8Array {
  const x = gaussianish(`record/bound/${label}`, 64);
  const params = { scheme: 'fuzzy-commitment', dim: 64, m: 6, t: 5, r: 3 } as const;
  const secret = labelBytes(`secret/record/bound/${label}`, 5);
  secret[4]! &= 0x0f; // k = 36 message bits
  return encodeBoundTemplate(bindKey(x, params, labelBytes('key/record/application', 32), labelBytes(`salt/record/bound/${label}`, saltBytes), secret).template);
}

const set = (r: Uint8Array, byte: number, value: number) => { const c = r.slice(); c[byte] = value; return c; };
const withVersionBytes = (r: Uint8Array, bytes: readonly number[]) => { const c = r.slice(); c.set(bytes, V); return c; };
const expect = (version: number): RecordContext => ({ ...CTX, version });

const sealedTest = (comment: string, flags: string[], tpl: Uint8Array, version: number, nonce: Uint8Array, record: Uint8Array, ctx: RecordContext = CTX): TestSpec =>
  ({ comment, flags: ['Sealed', ...flags], context: { ...ctx }, template: toHex(tpl), version, nonce: toHex(nonce), record: toHex(record) });
const opens = (comment: string, flags: string[], record: Uint8Array, ctx: RecordContext = CTX): TestSpec =>
  ({ comment, flags, context: { ...ctx }, record: toHex(record) });
const bad = (comment: string, flags: string[], record: Uint8Array, error: string, ctx: RecordContext = CTX): TestSpec =>
  ({ comment, flags, context: { ...ctx }, record: toHex(record), error });

function group(alg: AeadName, label: string): GroupSpec {
  const keyBytes = labelBytes(`key/record-v2/${label}`, 32);
  const key = _deriveSealKey(keyBytes, 'record', alg);
  const n = (l: string) => nonceFor(alg, `v2/${label}/${l}`);
  const sgn = template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign');
  const grp = template({ scheme: 'iom-grp', dim: 128, m: 64, q: 8 }, 24, 'iom-grp');
  const r1 = seal(key, sgn, 1, n('v1'));
  const r2 = seal(key, grp, 2, n('v2'));
  const big = 2 ** 32, max = Number.MAX_SAFE_INTEGER;
  const rBig = seal(key, sgn, big, n('big'));
  const rMax = seal(key, sgn, max, n('max'));
  const old = seal(key, sgn, 0, n('format-v1'));
  const last = r1.length - 1;
  return {
    type: 'RecordOpen',
    aead: alg,
    key: toHex(keyBytes),
    tests: [
      sealedTest('sign 512 bits, version 1', [], sgn, 1, n('v1'), r1),
      sealedTest('IoM-GRP m 64 q 8, version 2, opened expecting version 2', ['ExpectedVersion'], grp, 2, n('v2'), r2, expect(2)),
      sealedTest('version 2^32', ['LargeVersion'], sgn, big, n('big'), rBig, expect(big)),
      sealedTest('version 2^53 - 1', ['LargeVersion'], sgn, max, n('max'), rMax),
      opens('format v1, no version expected', ['FormatV1'], old),
      opens('format v1, version 0 expected', ['FormatV1', 'ExpectedVersion'], old, expect(0)),
      bad('version 1, version 2 expected (an older copy)', ['WrongVersion', 'ExpectedVersion'], r1, 'ROLLBACK', expect(2)),
      bad('version 2, version 1 expected', ['WrongVersion', 'ExpectedVersion'], r2, 'ROLLBACK', expect(1)),
      bad('format v1, version 1 expected', ['WrongVersion', 'ExpectedVersion', 'FormatV1'], old, 'ROLLBACK', expect(1)),
      bad('version 1 expected, sealed under another context', ['WrongContext', 'ExpectedVersion'], r1, 'DECRYPT_FAILED', { ...expect(1), subjectId: 'resident-43' }),
      bad('version field 1 -> 2', ['ModifiedVersion'], set(r1, V, 2), 'DECRYPT_FAILED'),
      bad('version field 1 -> 2, version 2 expected', ['ModifiedVersion', 'ExpectedVersion'], set(r1, V, 2), 'DECRYPT_FAILED', expect(2)),
      bad('version field high word changed', ['ModifiedVersion', 'LargeVersion'], set(rBig, V + 4, 2), 'DECRYPT_FAILED'),
      bad('version 0', ['VersionRange'], set(r1, V, 0), 'MALFORMED'),
      bad('version 2^53', ['VersionRange'], withVersionBytes(r1, [0, 0, 0, 0, 0, 0, 0x20, 0]), 'MALFORMED'),
      bad('version 2^64 - 1', ['VersionRange'], withVersionBytes(r1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'MALFORMED'),
      bad('header cut inside the version field', ['Truncated'], r1.slice(0, V + 4), 'MALFORMED'),
      bad('header without nonce', ['Truncated'], r1.slice(0, RECORD_V2_FIXED_BYTES), 'MALFORMED'),
      bad('one byte short', ['Truncated'], r1.slice(0, last), 'MALFORMED'),
      bad('format byte 1 on a v2 record', ['Framing'], set(r1, 4, 1), 'MALFORMED'),
      bad('format byte 2 on a v1 record', ['Framing', 'FormatV1'], set(old, 4, 2), 'MALFORMED'),
      bad('format byte 3', ['Framing'], set(r1, 4, 3), 'UNSUPPORTED_VERSION'),
    ],
  };
}

/** Records holding a key-binding template, in a group of their own after the first two. */
function boundGroup(alg: AeadName, label: string): GroupSpec {
  const keyBytes = labelBytes(`key/record-v2/${label}`, 32);
  const key = _deriveSealKey(keyBytes, 'record', alg);
  const n = (l: string) => nonceFor(alg, `v2/${label}/${l}`);
  const fc = boundTemplate(16, 'short-salt'), fcLong = boundTemplate(32, 'long-salt');
  const rFc = seal(key, fc, 1, n('bound')), rFcLong = seal(key, fcLong, 3, n('bound-long'));
  return {
    type: 'RecordOpen',
    aead: alg,
    key: toHex(keyBytes),
    tests: [
      sealedTest('key binding n 63 r 3, 16-byte salt, version 1', ['KeyBinding'], fc, 1, n('bound'), rFc),
      sealedTest('key binding n 63 r 3, 32-byte salt, version 3 expected', ['KeyBinding', 'ExpectedVersion'], fcLong, 3, n('bound-long'), rFcLong, expect(3)),
      bad('key binding, sealed under another context', ['KeyBinding', 'WrongContext'], rFc, 'DECRYPT_FAILED', { ...CTX, purpose: 'door-key' }),
      bad('key binding, template length field one above its longest template', ['KeyBinding', 'ModifiedHeader'], set(rFcLong, V - 2, rFcLong[V - 2]! + 1), 'MALFORMED'),
      bad('key binding, t field 5 -> 4 (valid parameters of the same size: authentication fails)', ['KeyBinding', 'ModifiedHeader'], set(rFc, 49, 4), 'DECRYPT_FAILED'),
      bad('key binding with a 32-byte salt, r field 3 -> 2 (the length field no longer fits the helper data)', ['KeyBinding', 'ModifiedHeader'], set(rFcLong, 51, 2), 'MALFORMED'),
      bad('key binding, t field 5 -> 0 (out of range)', ['KeyBinding', 'ModifiedHeader'], set(rFc, 49, 0), 'MALFORMED'),
    ],
  };
}

export const recordV2Vectors: VectorGenerator = {
  file: 'record_v2.json',
  generate: () => envelope(recordV2Checker, {
    algorithm: 'templock sealed record v2',
    notes: NOTES,
    testGroups: [group('xchacha20-poly1305', 'xchacha'), group('aes-256-gcm-siv', 'gcm-siv'), boundGroup('xchacha20-poly1305', 'bound')],
  }),
};
