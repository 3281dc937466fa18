// Credentials sealed under a released key (SPEC.md §4.5.5): the face that releases the key opens
// the credential, another person's face releases nothing; another key, label or any changed byte
// is DECRYPT_FAILED; the layout is the one SPEC.md states (recomputed here from its primitives).
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bindKey, openCredential, releaseKey, sealCredential, TemplockError, type FuzzyCommitmentParams } from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('credential');
const params: FuzzyCommitmentParams = { scheme: 'fuzzy-commitment', dim: 64, m: 8, t: 18, r: 4 };
const appKey = rng.bytes(32);
const x = rng.unitVector(64);
const token = rng.bytes(32);

const failsOpen = (fn: () => unknown, what: string) => {
  try { fn(); assert.unreachable(what); } catch (e) { assert.instance(e, TemplockError, what); assert.is((e as TemplockError).code, 'DECRYPT_FAILED', what); }
};

test('the enrolled face opens the credential; a stranger releases no key', () => {
  const { template, key } = bindKey(x, params, appKey, rng.bytes(16));
  const sealed = sealCredential(key, token, 'resident-42');
  const again = releaseKey(rng.perturbed(x, 0.95), template, appKey);
  assert.ok(again.accepted);
  assert.equal(openCredential(again.key, sealed, 'resident-42'), token);
  assert.not.ok(releaseKey(rng.unitVector(64), template, appKey).accepted);
});

test('layout: nonce || XChaCha20-Poly1305 under HKDF-SHA256(key, empty salt, "templock/v1/credential"), label as associated data', () => {
  const key = rng.bytes(32);
  const sealed = sealCredential(key, token, 'door');
  assert.is(sealed.length, 24 + token.length + 16);
  const k = hkdf(sha256, key, new Uint8Array(0), new TextEncoder().encode('templock/v1/credential'), 32);
  const opened = xchacha20poly1305(k, sealed.subarray(0, 24), new TextEncoder().encode('door')).decrypt(sealed.subarray(24));
  assert.equal(opened, token);
  assert.is.not(Buffer.from(sealCredential(key, token, 'door')).toString('hex'), Buffer.from(sealed).toString('hex'), 'a fresh nonce each time');
});

test('another key, another label or a changed byte: DECRYPT_FAILED; bad arguments are typed errors', () => {
  const key = rng.bytes(32);
  const sealed = sealCredential(key, token, 'resident-42');
  failsOpen(() => openCredential(rng.bytes(32), sealed, 'resident-42'), 'another key');
  failsOpen(() => openCredential(key, sealed, 'resident-43'), 'another label');
  for (const at of [0, 23, 24, sealed.length - 1]) {
    const bad = Uint8Array.from(sealed);
    bad[at]! ^= 1;
    failsOpen(() => openCredential(key, bad, 'resident-42'), `byte ${at} changed`);
  }
  assert.throws(() => sealCredential(new Uint8Array(16), token, 'a'), RangeError);
  assert.throws(() => sealCredential(key, new Uint8Array(0), 'a'), RangeError);
  assert.throws(() => sealCredential(key, token, ''), RangeError);
  // A lone surrogate would encode as U+FFFD: two labels, one associated data. Refused.
  assert.throws(() => sealCredential(key, token, 'resident-\ud800'), RangeError);
  assert.throws(() => openCredential(key, sealCredential(key, token, 'resident-\ufffd'), 'resident-\ud800'), RangeError);
  assert.throws(() => sealCredential(key, token, 7 as unknown as string), TypeError);
  assert.throws(() => openCredential(key, sealed.subarray(0, 30), 'resident-42'), RangeError);
});

test.run();
