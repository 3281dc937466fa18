// The primitives under sealed records and keyring exports, through templock's own wrappers
// (src/storage/aead.ts, kdf.ts): every Wycheproof case of XChaCha20-Poly1305, AES-GCM-SIV and
// HKDF-SHA256 in ../shared/vectors/wycheproof, the XChaCha draft and RFC 5869 vectors, and the
// RFC 9106 Argon2id vector. Skipped with a SKIP line when ../shared is absent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplockError } from '../../src/index.js';
import { _aeadDecrypt, _aeadEncrypt, type AeadName } from '../../src/storage/aead.js';
import { _argon2id, _hkdfSha256 } from '../../src/storage/kdf.js';
import { sharedPath } from '../_lib/shared.js';
import { bytesToHex } from './_support.js';

const SUITE = 'storage primitives';
const wycheproof = sharedPath('vectors/wycheproof', SUITE);
const rfc = sharedPath('vectors/rfc', SUITE);

interface AeadCase { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[] }
interface Groups<T> { testGroups: Array<{ tests: T[] }>; numberOfTests: number }

const load = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;

/** Runs one AEAD case through our wrappers; returns the number of checks made. */
function runAead(alg: AeadName, c: AeadCase): void {
  const key = hexToBytes(c.key), nonce = hexToBytes(c.iv), aad = hexToBytes(c.aad), msg = hexToBytes(c.msg);
  const sealed = hexToBytes(c.ct + c.tag);
  const where = `${alg} tcId ${c.tcId}`;
  let enc: Uint8Array | undefined;
  let encError: unknown;
  try {
    enc = _aeadEncrypt(alg, key, nonce, msg, aad);
  } catch (e) {
    encError = e;
  }
  let dec: Uint8Array | undefined;
  let decError: unknown;
  try {
    dec = _aeadDecrypt(alg, key, nonce, sealed, aad);
  } catch (e) {
    decError = e;
  }
  if (c.result === 'valid') {
    assert.is(encError, undefined, where);
    assert.is(bytesToHex(enc!), c.ct + c.tag, where);
    assert.is(decError, undefined, where);
    assert.is(bytesToHex(dec!), c.msg, where);
  } else {
    assert.is(dec, undefined, `${where} must not open`);
    if (c.flags.includes('InvalidNonceSize')) {
      assert.instance(decError, RangeError, where);
      assert.instance(encError, RangeError, where);
    } else {
      assert.instance(decError, TemplockError, where);
      assert.is((decError as TemplockError).code, 'DECRYPT_FAILED', where);
    }
  }
}

function aeadFile(alg: AeadName, file: string, expectedCount: number): void {
  test(`Wycheproof ${file}: every case through our ${alg} wrapper`, () => {
    if (!wycheproof) return;
    const doc = load<Groups<AeadCase>>(wycheproof, file);
    let n = 0;
    for (const g of doc.testGroups) for (const c of g.tests) { runAead(alg, c); n++; }
    assert.is(n, doc.numberOfTests);
    assert.is(n, expectedCount);
  });
}

aeadFile('xchacha20-poly1305', 'xchacha20_poly1305_test.json', 315);
aeadFile('aes-256-gcm-siv', 'aes_gcm_siv_test.json', 202);

test('draft-irtf-cfrg-xchacha-03 AEAD vector through our wrapper', () => {
  if (!rfc) return;
  const doc = load<{ aead: Array<{ key: string; iv: string; aad: string; msg?: string; plaintext?: string; ct?: string; ciphertext?: string; tag: string }> }>(rfc, 'draft_irtf_cfrg_xchacha_03.json');
  assert.ok(doc.aead.length >= 1);
  for (const v of doc.aead) {
    const msg = v.msg ?? v.plaintext!, ct = v.ct ?? v.ciphertext!;
    assert.is(bytesToHex(_aeadEncrypt('xchacha20-poly1305', hexToBytes(v.key), hexToBytes(v.iv), hexToBytes(msg), hexToBytes(v.aad))), ct + v.tag);
    assert.is(bytesToHex(_aeadDecrypt('xchacha20-poly1305', hexToBytes(v.key), hexToBytes(v.iv), hexToBytes(ct + v.tag), hexToBytes(v.aad))), msg);
  }
});

interface HkdfCase { tcId: number; ikm: string; salt: string; info: string; size: number; okm: string; result: string }

test('Wycheproof hkdf_sha256_test.json: every case through our HKDF wrapper', () => {
  if (!wycheproof) return;
  const doc = load<Groups<HkdfCase>>(wycheproof, 'hkdf_sha256_test.json');
  let n = 0, invalid = 0;
  for (const g of doc.testGroups) {
    for (const c of g.tests) {
      n++;
      const run = () => _hkdfSha256(hexToBytes(c.ikm), hexToBytes(c.salt), hexToBytes(c.info), c.size);
      if (c.result === 'valid') assert.is(bytesToHex(run()), c.okm, `tcId ${c.tcId}`);
      else {
        invalid++;
        assert.throws(run, (e: unknown) => e instanceof RangeError, `tcId ${c.tcId}`);
      }
    }
  }
  assert.is(n, doc.numberOfTests);
  assert.is(invalid, 3);
});

test('RFC 5869 A.1–A.3 through our HKDF wrapper', () => {
  if (!rfc) return;
  const doc = load<{ tests: Array<{ ikm: string; salt: string; info: string; size: number; okm: string }> }>(rfc, 'rfc5869_hkdf_sha256.json');
  assert.is(doc.tests.length, 3);
  for (const c of doc.tests) assert.is(bytesToHex(_hkdfSha256(hexToBytes(c.ikm), hexToBytes(c.salt), hexToBytes(c.info), c.size)), c.okm);
});

test('RFC 9106 §5.3 Argon2id through our wrapper (secret K and associated data X)', async () => {
  if (!rfc) return;
  const doc = load<{ tests: Array<{ type: string; password: string; salt: string; secret: string; ad: string; m: number; t: number; p: number; tagLength: number; tag: string }> }>(rfc, 'rfc9106_argon2.json');
  const cases = doc.tests.filter((c) => c.type === 'argon2id');
  assert.is(cases.length, 1);
  for (const c of cases) {
    const tag = await _argon2id(hexToBytes(c.password), hexToBytes(c.salt), { m: c.m, t: c.t, p: c.p }, hexToBytes(c.ad), hexToBytes(c.secret), c.tagLength);
    assert.is(bytesToHex(tag), c.tag);
  }
});

test.run();
