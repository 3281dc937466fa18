// record_v1.json: sealed records (SPEC.md §7) made with injected nonces from labelled bytes, so a
// port can check both its sealing (same key, context, template and nonce -> same record) and its
// opening; then every rejection rule: wrong context, tampering in each header field and in the
// ciphertext, framing errors, and authenticated records whose header lies about the template.
import { recordChecker } from '../../src/conformance/checkers/record.js';
import { toHex } from '../../src/conformance/index.js';
import { _aeadEncrypt, AEADS, type AeadName } from '../../src/storage/aead.js';
import { _encodeContext, type RecordContext } from '../../src/storage/context.js';
import { _deriveSealKey, type _SealKey } from '../../src/storage/key-material.js';
import { _sealRecord, RECORD_FIXED_BYTES, RECORD_V2_FIXED_BYTES } from '../../src/storage/record.js';
import { decodeTemplate, encodeTemplate } from '../../src/template.js';
import { protect } from '../../src/transforms/protect.js';
import type { TransformParams } from '../../src/transforms/scheme.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { gaussianish, labelBytes } from './_inputs.js';

const NOTES = {
  Sealed: 'A record sealed from the given template, context and nonce; sealing them again must give the record byte for byte.',
  Utf8Context: 'Context strings with non-ASCII characters or at the 255-byte limit.',
  WrongContext: 'Opened with a context other than the one it was sealed for.',
  ModifiedHeader: 'One header byte changed after sealing.',
  ModifiedCiphertext: 'One bit of the nonce, ciphertext or tag changed.',
  Truncated: 'Shorter than the record it was made from.',
  Extended: 'Longer than the record it was made from.',
  Framing: 'Bad magic, unsupported version or unknown algorithm.',
  UnknownKey: 'Sealed under a key the keyring does not hold.',
  LyingHeader: 'Authenticated under the right key, but the header does not describe the sealed template.',
} as const;

const appKey = labelBytes('key/record/application', 32);
const CTX: RecordContext = { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' };
const SALT_ID_OFFSET = RECORD_FIXED_BYTES - 18;
const LENGTH_OFFSET = RECORD_FIXED_BYTES - 2;

export function template(params: TransformParams, saltBytes: number, label: string): Uint8Array {
  return encodeTemplate(protect(gaussianish(`record/${label}`, params.dim), params, appKey, labelBytes(`salt/record/${label}`, saltBytes)));
}

export function nonceFor(alg: AeadName, label: string): Uint8Array {
  return labelBytes(`nonce/record/${label}`, AEADS[alg].nonceBytes);
}

/** Seals `tpl` (template bytes) as the implementation does, with an injected nonce. */
function seal(key: _SealKey, tpl: Uint8Array, ctx: RecordContext, nonce: Uint8Array): Uint8Array {
  return _sealRecord(key, decodeTemplate(tpl), _encodeContext(ctx), nonce, 0);
}

/** Re-authenticates `plaintext` behind the header of `record` (format v1 or v2) after `patch` edits that header. */
export function forged(key: _SealKey, record: Uint8Array, plaintext: Uint8Array, patch: (head: Uint8Array) => void): Uint8Array {
  const headLen = (record[4] === 1 ? RECORD_FIXED_BYTES : RECORD_V2_FIXED_BYTES) + AEADS[key.algorithm].nonceBytes;
  const head = record.slice(0, headLen);
  patch(head);
  const ctx = _encodeContext(CTX);
  const aad = new Uint8Array(ctx.length + head.length);
  aad.set(ctx);
  aad.set(head, ctx.length);
  const sealed = _aeadEncrypt(key.algorithm, key.aeadKey, head.subarray(headLen - AEADS[key.algorithm].nonceBytes), plaintext, aad);
  const out = new Uint8Array(head.length + sealed.length);
  out.set(head);
  out.set(sealed, head.length);
  return out;
}

const flip = (r: Uint8Array, byte: number, mask = 1) => { const c = r.slice(); c[byte]! ^= mask; return c; };
const set = (r: Uint8Array, byte: number, value: number) => { const c = r.slice(); c[byte] = value; return c; };

const sealedTest = (comment: string, flags: string[], ctx: RecordContext, tpl: Uint8Array, nonce: Uint8Array, record: Uint8Array): TestSpec =>
  ({ comment, flags: ['Sealed', ...flags], context: { ...ctx }, template: toHex(tpl), nonce: toHex(nonce), record: toHex(record) });
const bad = (comment: string, flags: string[], record: Uint8Array, error: string, ctx: RecordContext = CTX): TestSpec =>
  ({ comment, flags, context: { ...ctx }, record: toHex(record), error });

function group(alg: AeadName, label: string, other: Uint8Array): GroupSpec {
  const keyBytes = labelBytes(`key/record/${label}`, 32);
  const key = _deriveSealKey(keyBytes, 'record', alg);
  const nonceEnd = RECORD_FIXED_BYTES + AEADS[alg].nonceBytes;
  const sgn = template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign');
  const grp = template({ scheme: 'iom-grp', dim: 128, m: 64, q: 8 }, 24, 'iom-grp');
  const urp = template({ scheme: 'iom-urp', dim: 128, m: 32, k: 16, p: 2 }, 32, 'iom-urp');
  const utf8: RecordContext = { tenant: 'Gebäude Süd 🏢', subjectId: 'Zoë Ünal', purpose: 'Zutritt' };
  const longest: RecordContext = { tenant: 't'.repeat(255), subjectId: 'é'.repeat(127) + 's', purpose: 'p'.repeat(255) };
  const n = (l: string) => nonceFor(alg, `${label}/${l}`);
  const rSgn = seal(key, sgn, CTX, n('sign'));
  const rGrp = seal(key, grp, CTX, n('iom-grp'));
  const last = rSgn.length - 1;
  const badPayload = grp.slice();
  badPayload[badPayload.length - 1] = 0xff;
  return {
    type: 'RecordOpen',
    aead: alg,
    key: toHex(keyBytes),
    tests: [
      sealedTest('sign 512 bits, 16-byte salt', [], CTX, sgn, n('sign'), rSgn),
      sealedTest('IoM-GRP m 64 q 8, 24-byte salt', [], CTX, grp, n('iom-grp'), rGrp),
      sealedTest('IoM-URP m 32 k 16 p 2, 32-byte salt', [], CTX, urp, n('iom-urp'), seal(key, urp, CTX, n('iom-urp'))),
      sealedTest('non-ASCII context', ['Utf8Context'], utf8, sgn, n('utf8'), seal(key, sgn, utf8, n('utf8'))),
      sealedTest('context strings of 255 UTF-8 bytes', ['Utf8Context'], longest, sgn, n('longest'), seal(key, sgn, longest, n('longest'))),
      bad('another subject', ['WrongContext'], rSgn, 'DECRYPT_FAILED', { ...CTX, subjectId: 'resident-43' }),
      bad('another tenant', ['WrongContext'], rSgn, 'DECRYPT_FAILED', { ...CTX, tenant: 'acme-gate-2' }),
      bad('another purpose', ['WrongContext'], rSgn, 'DECRYPT_FAILED', { ...CTX, purpose: 'verify' }),
      bad('one byte moved from subject to tenant', ['WrongContext'], rSgn, 'DECRYPT_FAILED', { ...CTX, tenant: 'acme-gate-1r', subjectId: 'esident-42' }),
      bad('bad magic', ['Framing'], flip(rSgn, 0), 'MALFORMED'),
      bad('version 2', ['Framing'], set(rSgn, 4, 2), 'UNSUPPORTED_VERSION'),
      bad('version 0', ['Framing'], set(rSgn, 4, 0), 'UNSUPPORTED_VERSION'),
      bad('unknown algorithm 3', ['Framing'], set(rSgn, 5, 3), 'MALFORMED'),
      bad('algorithm 0', ['Framing'], set(rSgn, 5, 0), 'MALFORMED'),
      bad('key id changed', ['ModifiedHeader', 'UnknownKey'], flip(rSgn, 6), 'UNKNOWN_KEY_ID'),
      bad('sealed under another key', ['UnknownKey'], other, 'UNKNOWN_KEY_ID'),
      bad('key commitment changed', ['ModifiedHeader'], flip(rSgn, 14), 'DECRYPT_FAILED'),
      bad('last commitment byte changed', ['ModifiedHeader'], flip(rSgn, 45, 0x80), 'DECRYPT_FAILED'),
      bad('unknown scheme in the parameter block', ['ModifiedHeader'], set(rSgn, 46, 9), 'MALFORMED'),
      bad('dimension 4097 in the parameter block', ['ModifiedHeader'], set(set(rSgn, 47, 0x01), 48, 0x10), 'MALFORMED'),
      bad('dimension 31 in the parameter block', ['ModifiedHeader'], set(set(rSgn, 47, 31), 48, 0), 'MALFORMED'),
      bad('parameters changed (sign bits 512 -> 256: lengths disagree)', ['ModifiedHeader'], set(set(rSgn, 49, 0), 50, 1), 'MALFORMED'),
      bad('parameters changed within range (IoM-GRP q 8 -> 9)', ['ModifiedHeader'], set(rGrp, 51, 9), 'DECRYPT_FAILED'),
      bad('template key id changed', ['ModifiedHeader'], flip(rSgn, 54), 'DECRYPT_FAILED'),
      bad('mean id changed', ['ModifiedHeader'], flip(rSgn, 62), 'DECRYPT_FAILED'),
      bad('salt id changed', ['ModifiedHeader'], flip(rSgn, SALT_ID_OFFSET), 'DECRYPT_FAILED'),
      bad('nonce bit flipped', ['ModifiedCiphertext'], flip(rSgn, RECORD_FIXED_BYTES), 'DECRYPT_FAILED'),
      bad('first ciphertext bit flipped', ['ModifiedCiphertext'], flip(rSgn, nonceEnd), 'DECRYPT_FAILED'),
      bad('last tag bit flipped', ['ModifiedCiphertext'], flip(rSgn, last, 0x80), 'DECRYPT_FAILED'),
      bad('empty', ['Truncated'], new Uint8Array(0), 'MALFORMED'),
      bad('magic and version only', ['Truncated'], rSgn.slice(0, 5), 'MALFORMED'),
      bad('header without nonce', ['Truncated'], rSgn.slice(0, RECORD_FIXED_BYTES), 'MALFORMED'),
      bad('one byte short', ['Truncated'], rSgn.slice(0, last), 'MALFORMED'),
      bad('one byte short, template length field lowered to match', ['Truncated', 'ModifiedHeader'], set(rGrp, LENGTH_OFFSET, rGrp[LENGTH_OFFSET]! - 1).slice(0, rGrp.length - 1), 'DECRYPT_FAILED'),
      bad('template length below the shortest template of its parameters', ['ModifiedHeader'], set(set(rSgn, LENGTH_OFFSET, 1), LENGTH_OFFSET + 1, 0), 'MALFORMED'),
      bad('one zero byte appended', ['Extended'], Uint8Array.of(...rSgn, 0), 'MALFORMED'),
      bad('one zero byte appended, template length field raised to match', ['Extended', 'ModifiedHeader'], Uint8Array.of(...set(rSgn, LENGTH_OFFSET, rSgn[LENGTH_OFFSET]! + 1), 0), 'DECRYPT_FAILED'),
      bad('authenticated, but the header salt id names another salt', ['LyingHeader'], forged(key, rSgn, sgn, (h) => { h[SALT_ID_OFFSET]! ^= 1; }), 'MALFORMED'),
      bad('authenticated, but the sealed bytes are not a valid template', ['LyingHeader'], forged(key, rGrp, badPayload, () => undefined), 'MALFORMED'),
    ],
  };
}

export const recordVectors: VectorGenerator = {
  file: 'record_v1.json',
  generate: () => {
    const otherKey = _deriveSealKey(labelBytes('key/record/other', 32), 'record', 'xchacha20-poly1305');
    const tpl = template({ scheme: 'sign', dim: 128, bits: 512 }, 16, 'sign');
    const other = seal(otherKey, tpl, CTX, nonceFor('xchacha20-poly1305', 'other'));
    return envelope(recordChecker, {
      algorithm: 'templock sealed record v1',
      notes: NOTES,
      testGroups: [group('xchacha20-poly1305', 'xchacha', other), group('aes-256-gcm-siv', 'gcm-siv', other)],
    });
  },
};
