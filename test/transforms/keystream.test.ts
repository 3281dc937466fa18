// Keyed randomness (SPEC.md §3): the stream key is RFC 5869 HKDF-SHA256 (checked against the
// RFC and Wycheproof HKDF vectors in ../shared/vectors) and the keystream is the RFC 8439 ChaCha20
// keystream (zero nonce, counter from 0), checked through the ChaCha20 block function written
// below from RFC 8439 §2.3, itself checked against the RFC 8439 vectors; the samplers
// (SPEC.md §3.3–3.5) match straightforward re-implementations word for word and are unbiased
// (chi-square, fixed seeds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { _deriveStreamKey, _KeyStream } from '../../src/random/keystream.js';
import { _binomialWeights, _partialPermutation, _uniform } from '../../src/random/samplers.js';
import { Seeded } from '../_lib/seeded.js';
import { sharedPath } from '../_lib/shared.js';
import { hex, unhex } from './_fixtures.js';
import { binomialWeightsRef, partialPermutationRef, ReferenceReader, uniformRef } from './_reference.js';

const rfcDir = sharedPath('vectors/rfc', 'keystream RFC 8439 / RFC 5869 vectors');
const rng = new Seeded('keystream');

// ---- RFC 8439 §2.3 ChaCha20 block function, word by word ----
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array): Uint8Array {
  const kw = new DataView(key.buffer, key.byteOffset, 32), nw = new DataView(nonce.buffer, nonce.byteOffset, 12);
  const init = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
  for (let i = 0; i < 8; i++) init.push(kw.getUint32(4 * i, true));
  init.push(counter >>> 0, nw.getUint32(0, true), nw.getUint32(4, true), nw.getUint32(8, true));
  const s = [...init];
  const qr = (a: number, b: number, c: number, d: number) => {
    s[a] = (s[a]! + s[b]!) >>> 0; s[d] = rotl(s[d]! ^ s[a]!, 16);
    s[c] = (s[c]! + s[d]!) >>> 0; s[b] = rotl(s[b]! ^ s[c]!, 12);
    s[a] = (s[a]! + s[b]!) >>> 0; s[d] = rotl(s[d]! ^ s[a]!, 8);
    s[c] = (s[c]! + s[d]!) >>> 0; s[b] = rotl(s[b]! ^ s[c]!, 7);
  };
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(64), dv = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) dv.setUint32(4 * i, (s[i]! + init[i]!) >>> 0, true);
  return out;
}

function referenceStream(key: Uint8Array, bytes: number, nonce: Uint8Array = new Uint8Array(12), counter = 0): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes / 64) * 64);
  for (let b = 0; b * 64 < bytes; b++) out.set(chachaBlock(key, counter + b, nonce), b * 64);
  return out.subarray(0, bytes);
}

/** Upper 0.1 % point of chi-square with `df` degrees of freedom (Wilson–Hilferty). */
function chiSquareCritical(df: number): number {
  const z = 3.0902, h = 2 / (9 * df);
  return df * (1 - h + z * Math.sqrt(h)) ** 3;
}
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((a, o, i) => a + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

test('the test ChaCha20 block function reproduces RFC 8439 ciphertexts (keystream from counter 1)', () => {
  if (!rfcDir) return;
  const file = JSON.parse(readFileSync(join(rfcDir, 'rfc8439_chacha20_poly1305.json'), 'utf8')) as { tests: { key: string; iv: string; msg: string; ct: string }[] };
  assert.ok(file.tests.length >= 2);
  for (const t of file.tests) {
    const msg = unhex(t.msg);
    const ks = referenceStream(unhex(t.key), msg.length, unhex(t.iv), 1);
    assert.is(hex(msg.map((m, i) => m ^ ks[i]!)), t.ct);
  }
});

test('_deriveStreamKey is HKDF-SHA256 with L = 32 (RFC 5869 A.1–A.3, first 32 bytes of the OKM)', () => {
  if (!rfcDir) return;
  const file = JSON.parse(readFileSync(join(rfcDir, 'rfc5869_hkdf_sha256.json'), 'utf8')) as { tests: { ikm: string; salt: string; info: string; okm: string }[] };
  assert.is(file.tests.length, 3);
  for (const t of file.tests) assert.is(hex(_deriveStreamKey(unhex(t.ikm), unhex(t.salt), unhex(t.info))), t.okm.slice(0, 64));
});

test('_deriveStreamKey matches the Wycheproof HKDF-SHA256 cases of 32 bytes or more (first 32 bytes)', () => {
  const dir = sharedPath('vectors/wycheproof', 'keystream Wycheproof HKDF vectors');
  if (!dir) return;
  const file = JSON.parse(readFileSync(join(dir, 'hkdf_sha256_test.json'), 'utf8')) as { testGroups: { tests: { ikm: string; salt: string; info: string; size: number; okm: string; result: string }[] }[] };
  const cases = file.testGroups.flatMap((g) => g.tests).filter((t) => t.result === 'valid' && t.size >= 32);
  assert.ok(cases.length > 50);
  for (const t of cases) assert.is(hex(_deriveStreamKey(unhex(t.ikm), unhex(t.salt), unhex(t.info))), t.okm.slice(0, 64));
});

test('_KeyStream is the zero-nonce ChaCha20 keystream from counter 0, whatever the read sizes', () => {
  const sizes = [1, 63, 4, 4000, 5000, 8192, 3, 4160, 64, 12289, 2, 0, 7];
  for (let trial = 0; trial < 3; trial++) {
    const key = trial === 0 ? new Uint8Array(32) : rng.bytes(32);
    const total = sizes.reduce((a, b) => a + b, 0) + 4 * 40;
    const want = referenceStream(key, total);
    const ks = new _KeyStream(key);
    const got = new Uint8Array(total);
    let at = 0;
    sizes.forEach((n, i) => {
      ks.fill(got.subarray(at, at + n));
      at += n;
      for (let w = 0; w < (i % 5); w++) { new DataView(got.buffer).setUint32(at, ks.u32(), true); at += 4; }
    });
    while (at < total) { new DataView(got.buffer).setUint32(at, ks.u32(), true); at += 4; }
    assert.is(hex(got), hex(want), `key ${trial}`);
  }
});

test('_uniform matches the reference rejection sampler word for word, including rejections', () => {
  const key = rng.bytes(32);
  const ns = [1, 2, 3, 5, 7, 10, 255, 256, 4096, 3 * 2 ** 30, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32];
  const draws = 400;
  const ref = new ReferenceReader(referenceStream(key, 4 * draws * ns.length * 2));
  const ks = new _KeyStream(key);
  for (const n of ns) for (let i = 0; i < draws; i++) assert.is(_uniform(ks, n), uniformRef(ref, n), `n = ${n}`);
  assert.is(ks.u32(), ref.u32(), 'both consumed the same words');
});

test('_uniform is unbiased on small moduli and on n = 3·2^30 (25 % rejected; chi-square at 0.1 %)', () => {
  for (const n of [3, 5, 6, 7, 10, 3 * 2 ** 30]) {
    const ks = new _KeyStream(rng.bytes(32));
    const bins = Math.min(n, 3 * 4), draws = 60_000;
    const observed = new Array<number>(bins).fill(0);
    for (let i = 0; i < draws; i++) observed[Math.floor((_uniform(ks, n) * bins) / n)]!++;
    const stat = chiSquare(observed, new Array<number>(bins).fill(draws / bins));
    assert.ok(stat < chiSquareCritical(bins - 1), `n = ${n}: chi-square ${stat.toFixed(1)} over ${bins - 1} df`);
  }
  const skewed = new Array<number>(3).fill(0), reader = new ReferenceReader(referenceStream(rng.bytes(32), 4 * 30_000));
  for (let i = 0; i < 30_000; i++) skewed[Math.floor(((reader.u32() % (3 * 2 ** 30)) * 3) / (3 * 2 ** 30))]!++;
  assert.ok(chiSquare(skewed, [10_000, 10_000, 10_000]) > chiSquareCritical(2), 'the test detects the bias of a plain modulo');
});

test('_partialPermutation matches the reference Fisher–Yates and draws permutations uniformly', () => {
  const key = rng.bytes(32);
  const ref = new ReferenceReader(referenceStream(key, 1 << 16));
  const ks = new _KeyStream(key);
  for (const [n, k] of [[5, 5], [33, 7], [512, 16], [4096, 3], [2, 1]] as const) {
    const out = new Uint16Array(k + 2);
    _partialPermutation(ks, n, k, out, 2);
    assert.equal(Array.from(out.subarray(2)), partialPermutationRef(ref, n, k), `n ${n} k ${k}`);
    assert.is(new Set(out.subarray(2)).size, k, 'distinct entries');
  }
  const counts = new Map<string, number>(), draws = 48_000, perm = new Uint16Array(4), stream = new _KeyStream(rng.bytes(32));
  for (let i = 0; i < draws; i++) { _partialPermutation(stream, 4, 4, perm, 0); const id = perm.join(''); counts.set(id, (counts.get(id) ?? 0) + 1); }
  assert.is(counts.size, 24);
  const stat = chiSquare([...counts.values()], new Array<number>(24).fill(draws / 24));
  assert.ok(stat < chiSquareCritical(23), `all 24 permutations of 4: chi-square ${stat.toFixed(1)}`);
});

test('_binomialWeights match popcount differences and follow the centred binomial(16) law', () => {
  const key = rng.bytes(32), count = 120_000;
  const want = binomialWeightsRef(new ReferenceReader(referenceStream(key, 2 * count)), count);
  assert.equal(Array.from(_binomialWeights(new _KeyStream(key), count)), want);
  const tails = 6, observed = new Array<number>(2 * tails + 1).fill(0);
  for (const w of want) observed[Math.max(-tails, Math.min(tails, w)) + tails]!++;
  const pmf = (v: number) => { let c = 1; for (let i = 0; i < v + 8; i++) c = (c * (16 - i)) / (i + 1); return c / 65536; };
  const expected = observed.map((_, b) => {
    const v = b - tails;
    const values = v === -tails ? [-8, -7, -6] : v === tails ? [6, 7, 8] : [v];
    return count * values.reduce((a, x) => a + pmf(x), 0);
  });
  assert.ok(Math.abs(expected.reduce((a, b) => a + b, 0) - count) < 1e-6, 'the law sums to one');
  const stat = chiSquare(observed, expected);
  assert.ok(stat < chiSquareCritical(observed.length - 1), `chi-square ${stat.toFixed(1)}`);
});

test.run();
