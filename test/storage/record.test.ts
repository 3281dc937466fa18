// Sealed record format v1 (SPEC.md §7): round trip under both AEADs and every scheme; every
// single-bit flip, every truncation and an extension are rejected with a typed error (tampering
// with the authenticated body: DECRYPT_FAILED); a record moved to another subject, purpose or
// tenant fails; the key commitment refuses a key that would otherwise authenticate; 100,000
// seals draw no repeated nonce; no error message carries key, salt or template bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate, TemplockError, type ErrorCode } from '../../src/index.js';
import {
  Keyring, KEYRING_MAX_KEYS, openTemplate, readRecordHeader, saltId, sealTemplate, RECORD_MAGIC, type AeadName, type RecordContext,
} from '../../src/storage/index.js';
import { AEADS } from '../../src/storage/aead.js';
import { _deriveSealKey } from '../../src/storage/key-material.js';
import { _encodeContext } from '../../src/storage/context.js';
import { _openRecord, _parseRecord, RECORD_FIXED_BYTES, RECORD_V2_FIXED_BYTES } from '../../src/storage/record.js';
import { assertNoSecretInMessages, bytesToHex, noteError, PARAMS, secret, Templates, throwsCode } from './_support.js';

const T = new Templates('storage-record');
const ctx: RecordContext = { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' };
const ALGS = Object.keys(AEADS) as AeadName[];

function ringOf(algorithm: AeadName): Keyring {
  const ring = Keyring.generate({ algorithm });
  for (const e of ring._entries()) secret(e.material!);
  return ring;
}

function outcome(ring: Keyring, record: Uint8Array, c: RecordContext = ctx): ErrorCode | 'ok' {
  try {
    openTemplate(ring, record, c);
    return 'ok';
  } catch (e) {
    noteError(e);
    if (e instanceof TemplockError) return e.code;
    throw e;
  }
}

for (const algorithm of ALGS) {
  for (const [name, params] of Object.entries(PARAMS)) {
    test(`${algorithm} / ${name}: seal then open gives the same template bytes; header readable without a key`, () => {
      const ring = ringOf(algorithm);
      for (const saltBytes of [16, 24, 32]) {
        const t = T.make(params, saltBytes);
        const record = sealTemplate(ring, t, ctx);
        const back = openTemplate(ring, record, ctx);
        assert.equal(encodeTemplate(back), encodeTemplate(t));
        const h = readRecordHeader(record);
        assert.is(h.algorithm, algorithm);
        assert.is(h.keyId, ring.primaryId);
        assert.equal(h.params, t.params);
        assert.is(h.saltId, saltId(t.salt));
        assert.is(h.templateKeyId, bytesToHex(t.keyId));
        assert.is(h.meanId, bytesToHex(t.meanId));
        assert.is(h.version, 2);
        assert.is(h.recordVersion, 1);
        assert.is(record.length, RECORD_V2_FIXED_BYTES + AEADS[algorithm].nonceBytes + encodeTemplate(t).length + 16);
        assert.equal(record.subarray(0, 4), RECORD_MAGIC);
      }
    });
  }

  test(`${algorithm}: every single-bit flip is rejected with a typed error, DECRYPT_FAILED past the framing`, () => {
    const ring = ringOf(algorithm);
    const record = sealTemplate(ring, T.make(PARAMS['iom-grp']), ctx);
    const nonceStart = RECORD_V2_FIXED_BYTES;
    const counts: Record<string, number> = {};
    for (let bit = 0; bit < record.length * 8; bit++) {
      const r = record.slice();
      r[bit >> 3]! ^= 1 << (bit & 7);
      const code = outcome(ring, r);
      assert.is.not(code, 'ok', `bit ${bit}`);
      counts[code] = (counts[code] ?? 0) + 1;
      const byte = bit >> 3;
      // Commitment, nonce, ciphertext and tag: only the opaque error.
      if ((byte >= 14 && byte < 46) || byte >= nonceStart) assert.is(code, 'DECRYPT_FAILED', `bit ${bit}`);
      // The record version: another version in range fails authentication; 0 or past 2^53 - 1 is framing.
      if (byte >= RECORD_FIXED_BYTES && byte < nonceStart) assert.is(code, bit === RECORD_FIXED_BYTES * 8 || bit >= (nonceStart - 2) * 8 + 5 ? 'MALFORMED' : 'DECRYPT_FAILED', `bit ${bit}`);
      if (byte >= 6 && byte < 14) assert.is(code, 'UNKNOWN_KEY_ID', `bit ${bit}`);
      if (byte < 4) assert.is(code, 'MALFORMED', `bit ${bit}`);
      if (byte === 4) assert.is(code, 'UNSUPPORTED_VERSION', `bit ${bit}`);
    }
    assert.ok(counts.DECRYPT_FAILED! > record.length * 8 * 0.8);
  });

  test(`${algorithm}: every truncation and an extension are rejected`, () => {
    const ring = ringOf(algorithm);
    const record = sealTemplate(ring, T.make(PARAMS.sign), ctx);
    for (let n = 0; n < record.length; n++) {
      const code = outcome(ring, record.subarray(0, n));
      assert.ok(code === 'MALFORMED' || code === 'DECRYPT_FAILED', `length ${n}: ${code}`);
    }
    for (const extra of [1, 16, 17]) {
      const longer = new Uint8Array(record.length + extra);
      longer.set(record);
      assert.ok(['MALFORMED', 'DECRYPT_FAILED'].includes(outcome(ring, longer) as string), `+${extra}`);
    }
    assert.is(outcome(ring, record), 'ok');
  });

  test(`${algorithm}: a record moved to another subject, purpose or tenant does not open`, () => {
    const ring = ringOf(algorithm);
    const record = sealTemplate(ring, T.make(PARAMS.sign), ctx);
    assert.is(outcome(ring, record, { ...ctx, subjectId: 'resident-43' }), 'DECRYPT_FAILED');
    assert.is(outcome(ring, record, { ...ctx, purpose: 'verify' }), 'DECRYPT_FAILED');
    assert.is(outcome(ring, record, { ...ctx, tenant: 'acme-gate-2' }), 'DECRYPT_FAILED');
    // Length-prefixed fields: shifting bytes between fields is another context.
    assert.is(outcome(ring, record, { tenant: 'acme-gate-1r', subjectId: 'esident-42', purpose: 'access' }), 'DECRYPT_FAILED');
    assert.is(outcome(ring, record, ctx), 'ok');
  });
}

test('a record opens only under the keyring that holds its key: others give UNKNOWN_KEY_ID', () => {
  const a = ringOf('xchacha20-poly1305'), b = ringOf('xchacha20-poly1305');
  const record = sealTemplate(a, T.make(), ctx);
  assert.is(outcome(b, record), 'UNKNOWN_KEY_ID');
});

test('the key commitment: a key whose id matches but whose commitment differs never opens the record', () => {
  const ring = ringOf('xchacha20-poly1305');
  const record = sealTemplate(ring, T.make(), ctx);
  const parsed = _parseRecord(record);
  const right = ring._openKey(parsed.keyId);
  const context = _encodeContext(ctx);
  assert.ok(_openRecord(right, parsed, context));
  // Same AEAD key (so the AEAD alone would authenticate), another commitment: refused.
  const forged = { ...right, commitment: right.commitment.map((x, i) => (i === 0 ? x ^ 1 : x)) };
  throwsCode(() => _openRecord(forged, parsed, context), 'DECRYPT_FAILED', 'commitment mismatch');
  // Another key presented under the same id: refused before any decryption.
  const other = _deriveSealKey(secret(T.rng.bytes(32)), 'record', 'xchacha20-poly1305');
  throwsCode(() => _openRecord({ ...other, keyId: right.keyId }, parsed, context), 'DECRYPT_FAILED', 'other key');
});

test('rotation: old records keep opening; disabled keys refuse (KEY_DISABLED) until enabled; destroyed keys never open again', () => {
  const ring = ringOf('xchacha20-poly1305');
  const t = T.make();
  const old = sealTemplate(ring, t, ctx);
  const oldId = ring.primaryId;
  const newId = ring.rotate();
  for (const e of ring._entries()) if (e.material) secret(e.material);
  assert.is.not(newId, oldId);
  const fresh = sealTemplate(ring, t, ctx);
  assert.is(readRecordHeader(fresh).keyId, newId);
  assert.is(outcome(ring, old), 'ok');
  ring.disable(oldId);
  assert.is(outcome(ring, old), 'KEY_DISABLED');
  ring.enable(oldId);
  assert.is(outcome(ring, old), 'ok');
  ring.destroy(oldId);
  assert.is(outcome(ring, old), 'KEY_DISABLED');
  throwsCode(() => ring.enable(oldId), 'KEY_DISABLED');
  throwsCode(() => ring.destroy(newId), RangeError, 'primary cannot be destroyed');
  throwsCode(() => ring.disable(newId), RangeError, 'primary cannot be disabled');
  assert.equal(ring.keys().map((k) => [k.id, k.status, k.primary]), [[oldId, 'destroyed', false], [newId, 'enabled', true]]);
  assert.is(outcome(ring, fresh), 'ok');
});

test('importKey: same key -> same id, DUPLICATE_ID on re-import; setPrimary; typed argument errors', () => {
  const bytes = secret(T.rng.bytes(32));
  const a = Keyring.generate();
  const id = a.importKey(bytes);
  assert.is.not(a.primaryId, id);
  throwsCode(() => a.importKey(bytes), 'DUPLICATE_ID');
  const b = Keyring.generate();
  assert.is(b.importKey(bytes, { primary: true }), id);
  assert.is(b.primaryId, id);
  a.setPrimary(id);
  const r = sealTemplate(a, T.make(), ctx);
  assert.is(outcome(b, r), 'ok');
  throwsCode(() => a.importKey(bytes.subarray(0, 31)), RangeError);
  throwsCode(() => a.importKey('k' as unknown as Uint8Array), TypeError);
  throwsCode(() => a.setPrimary('0000000000000000'), 'UNKNOWN_KEY_ID');
  throwsCode(() => Keyring.generate({ algorithm: 'aes-128-gcm' as AeadName }), RangeError);
  throwsCode(() => sealTemplate(a, T.make(), { ...ctx, subjectId: '' }), RangeError, 'empty subject');
  throwsCode(() => sealTemplate(a, T.make(), { ...ctx, subjectId: 'x'.repeat(256) }), RangeError, 'long subject');
  throwsCode(() => sealTemplate(a, T.make(), { ...ctx, subjectId: 'a\uD800b' }), RangeError, 'lone surrogate');
  throwsCode(() => openTemplate(a, r, { ...ctx, tenant: 7 as unknown as string }), TypeError);
  throwsCode(() => openTemplate(a, 'r' as unknown as Uint8Array, ctx), TypeError);
  throwsCode(() => sealTemplate({} as Keyring, T.make(), ctx), TypeError);
});

test('a keyring holds at most 1024 keys (tombstones included); a disabled key cannot become primary', () => {
  const ring = Keyring.generate();
  const first = ring.primaryId;
  for (let i = 1; i < KEYRING_MAX_KEYS; i++) ring.rotate({ primary: false });
  throwsCode(() => ring.rotate(), 'CAPACITY_EXCEEDED');
  const second = ring.keys()[1]!.id;
  ring.disable(second);
  throwsCode(() => ring.setPrimary(second), 'KEY_DISABLED');
  assert.is(ring.primaryId, first);
  assert.is(ring.keys().length, KEYRING_MAX_KEYS);
});

test('100,000 seals draw 100,000 distinct nonces', () => {
  const ring = ringOf('xchacha20-poly1305');
  const t = T.make(PARAMS.sign);
  const nonceBytes = AEADS['xchacha20-poly1305'].nonceBytes;
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const r = sealTemplate(ring, t, ctx);
    seen.add(Buffer.from(r.buffer, r.byteOffset + RECORD_V2_FIXED_BYTES, nonceBytes).toString('latin1'));
  }
  assert.is(seen.size, 100_000);
});

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 5);
});

test.run();
