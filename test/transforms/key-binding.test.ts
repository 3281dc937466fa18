// Key binding by fuzzy commitment (SPEC.md §4.5): enrolment and release round trip, acceptance of
// a noisy probe and rejection of another person's, determinism with an injected message,
// renewability under a new salt, the XOR decodability attack across salts, the BCH code's
// dimensions and correction radius, the template encoding, and argument checking.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bindKey, checkBindingParams, decodeBoundTemplate, encodeBoundTemplate, messageBytes, releaseKey, TemplockError,
  type BoundTemplate, type FuzzyCommitmentParams,
} from '../../src/index.js';
import { _bchCode, _bchDecode, _bchEncode } from '../../src/transforms/bch.js';
import { _decodeMessage, _withProjections } from '../../src/transforms/fuzzy-commitment.js';
import { _canonicalise } from '../../src/canonical.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('key-binding');
const dim = 64;
const params: FuzzyCommitmentParams = { scheme: 'fuzzy-commitment', dim, m: 8, t: 18, r: 4 };
const appKey = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const salt = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i);
const x = rng.unitVector(dim);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('the BCH codes have the textbook dimensions; g(alpha^i) = 0 for i = 1..2t', () => {
  for (const [m, t, k] of [[6, 5, 36], [7, 10, 64], [8, 18, 131], [9, 40, 211], [9, 41, 211], [10, 66, 443]] as const) {
    const code = _bchCode(m, t);
    assert.is(code.k, k, `BCH(${code.n}, t=${t})`);
    for (let i = 1; i <= 2 * t; i++) {
      let v = 0;
      for (let j = 0; j < code.gen.length; j++) if (code.gen[j]) v ^= code.exp[(i * j) % code.n]!;
      assert.is(v, 0, `g(alpha^${i}) = 0`);
    }
  }
});

test('BCH decoding corrects up to t errors and never returns a codeword farther than t', () => {
  const code = _bchCode(8, 18);
  for (let trial = 0; trial < 60; trial++) {
    const msg = Uint8Array.from({ length: code.k }, () => rng.int(2));
    const cw = _bchEncode(code, msg);
    const errors = trial % 40;
    const word = cw.slice();
    const flipped = new Set<number>();
    while (flipped.size < errors) flipped.add(rng.int(code.n));
    for (const p of flipped) word[p]! ^= 1;
    const received = word.slice();
    const ok = _bchDecode(code, word);
    if (errors <= code.t) {
      assert.ok(ok, `${errors} errors decode`);
      assert.is(hex(word), hex(cw));
    } else if (ok) {
      let d = 0;
      for (let i = 0; i < code.n; i++) d += word[i]! ^ received[i]!;
      assert.ok(d <= code.t, 'a decoded word lies within t of the received word');
    }
  }
});

test('BCH decoding agrees with a search over every codeword (small codes, every field size with n factored or prime)', () => {
  // n = 63 = 3·3·7 and n = 127 (prime) exercise both root-finding paths; k is small enough to list the code.
  for (const [m, t] of [[6, 15], [6, 13], [7, 27], [7, 31]] as const) {
    const code = _bchCode(m, t);
    const codewords = Array.from({ length: 2 ** code.k }, (_, v) => _bchEncode(code, Uint8Array.from({ length: code.k }, (_, i) => (v >> i) & 1)));
    for (let trial = 0; trial < 150; trial++) {
      const base = codewords[rng.int(codewords.length)]!;
      const flips = trial < 75 ? t - 3 + rng.int(7) : rng.int(code.n);
      const word = base.slice();
      for (let e = 0; e < flips; e++) word[rng.int(code.n)]! ^= 1;
      let nearest: Uint8Array | undefined;
      for (const c of codewords) {
        let d = 0;
        for (let i = 0; i < code.n; i++) d += c[i]! ^ word[i]!;
        if (d <= t) nearest = c;
      }
      const decoded = word.slice();
      assert.is(_bchDecode(code, decoded), nearest !== undefined, `BCH(${code.n}, t=${t}) trial ${trial}: decodes exactly when a codeword lies within t`);
      if (nearest) assert.is(hex(decoded), hex(nearest));
    }
  }
});

test('enrolment and release with the same embedding give the same key', () => {
  const { template, key } = bindKey(x, params, appKey, salt);
  assert.is(key.length, 32);
  const r = releaseKey(x, template, appKey);
  assert.ok(r.accepted);
  assert.is(hex(r.key!), hex(key));
});

test('a noisy probe releases the key; another person is rejected without a key', () => {
  const { template, key } = bindKey(x, params, appKey, salt);
  for (let i = 0; i < 5; i++) {
    const r = releaseKey(rng.perturbed(x, 0.95), template, appKey);
    assert.ok(r.accepted, 'cosine 0.95 probe accepted');
    assert.is(hex(r.key!), hex(key));
    const other = releaseKey(rng.unitVector(dim), template, appKey);
    assert.equal(other, { accepted: false });
  }
});

test('an injected message gives reproducible templates; the commitment and key depend on it', () => {
  const secret = new Uint8Array(messageBytes(params)).fill(0x5a);
  secret[secret.length - 1] = 0x05; // 131 bits: 3 used bits in the last byte
  const a = bindKey(x, params, appKey, salt, secret), b = bindKey(x, params, appKey, salt, secret);
  assert.is(hex(encodeBoundTemplate(a.template)), hex(encodeBoundTemplate(b.template)));
  assert.is(hex(a.key), hex(b.key));
  const other = Uint8Array.from(secret);
  other[0]! ^= 1;
  const c = bindKey(x, params, appKey, salt, other);
  assert.is.not(hex(c.template.commitment), hex(a.template.commitment));
  assert.is.not(hex(c.key), hex(a.key));
  const fresh = bindKey(x, params, appKey, salt);
  assert.is.not(hex(fresh.key), hex(a.key), 'the default message is random');
});

test('a new salt gives a new projection and message; XOR of two helper data does not decode', () => {
  const salt2 = Uint8Array.from(salt, (v) => v ^ 0xff);
  const a = bindKey(x, params, appKey, salt), b = bindKey(x, params, appKey, salt2);
  assert.is.not(hex(a.key), hex(b.key));
  assert.ok(releaseKey(x, b.template, appKey).accepted);
  // The attacker's view of the XOR: a helper data that binds c1 ^ c2 only if both used one projection.
  const xor = Uint8Array.from(a.template.helper, (v, i) => v ^ b.template.helper[i]!);
  let differing = 0;
  for (const v of xor) for (let bit = 0; bit < 8; bit++) differing += (v >> bit) & 1;
  const L = 255 * 4;
  assert.ok(differing > L * 0.35 && differing < L * 0.65, `XOR has about half its bits set (${differing} of ${L})`);
  // Even the key holder cannot decode the XOR as a helper data of this person under either salt.
  const v = _canonicalise(x);
  assert.is(_decodeMessage(v, params, appKey, salt, xor), undefined);
  assert.is(_decodeMessage(v, params, appKey, salt2, xor), undefined);
});

test('the projection depends on key, salt, m and r, not on t', () => {
  const v = _canonicalise(x);
  const of = (q: FuzzyCommitmentParams, k = appKey, s = salt) => _withProjections(v, q, k, s, (proj, slot) => [Array.from(proj), Array.from(slot)]);
  assert.equal(of({ ...params, t: 10 }), of(params));
  assert.not.equal(of({ ...params, r: 3 })[0]!.slice(0, 20), of(params)[0]!.slice(0, 20));
  assert.not.equal(of(params, appKey, Uint8Array.from(salt, (b) => b ^ 1))[0]!.slice(0, 20), of(params)[0]!.slice(0, 20));
});

test('templates encode and decode exactly; decoding is strict', () => {
  const { template } = bindKey(x, params, appKey, salt);
  const bytes = encodeBoundTemplate(template);
  assert.is(bytes.length, 30 + 16 + Math.ceil(1020 / 8) + 32);
  assert.is(bytes[5], 4);
  const back = decodeBoundTemplate(bytes);
  assert.equal(back.params, checkBindingParams(params));
  assert.is(hex(back.helper), hex(template.helper));
  assert.is(hex(back.commitment), hex(template.commitment));
  const code = (f: () => unknown) => { try { f(); } catch (e) { return e instanceof TemplockError ? e.code : (e as Error).name; } return 'none'; };
  assert.is(code(() => decodeBoundTemplate(bytes.subarray(0, bytes.length - 1))), 'MALFORMED');
  assert.is(code(() => decodeBoundTemplate(Uint8Array.of(...bytes, 0))), 'MALFORMED');
  const padded = bytes.slice(); padded[30 + 16 + 127]! |= 0x80; // L = 1020: the last 4 bits are padding
  assert.is(code(() => decodeBoundTemplate(padded)), 'MALFORMED');
  const grp = bytes.slice(); grp[5] = 1;
  assert.is(code(() => decodeBoundTemplate(grp)), 'MALFORMED');
  const badM = bytes.slice(); badM[12] = 11;
  assert.is(code(() => decodeBoundTemplate(badM)), 'MALFORMED');
  const version = bytes.slice(); version[4] = 2;
  assert.is(code(() => decodeBoundTemplate(version)), 'UNSUPPORTED_VERSION');
  assert.is(code(() => decodeBoundTemplate('x' as never)), 'TypeError');
});

test('release under another key or mean is INCOMPATIBLE', () => {
  const mean = rng.unitVector(dim).map((v) => v * 0.1);
  const { template } = bindKey(x, { ...params, mean }, appKey, salt);
  assert.ok(releaseKey(x, template, appKey, mean).accepted);
  const code = (f: () => unknown) => { try { f(); } catch (e) { return (e as TemplockError).code; } return 'none'; };
  assert.is(code(() => releaseKey(x, template, appKey)), 'INCOMPATIBLE');
  assert.is(code(() => releaseKey(x, template, new Uint8Array(32), mean)), 'INCOMPATIBLE');
});

test('bad arguments are TypeError / RangeError and messages carry no values', () => {
  const { template } = bindKey(x, params, appKey, salt);
  const cases: [() => unknown, typeof TypeError | typeof RangeError][] = [
    [() => bindKey(x, null as never, appKey, salt), TypeError],
    [() => bindKey(x, { ...params, scheme: 'sign' } as never, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, m: '8' } as never, appKey, salt), TypeError],
    [() => bindKey(x, { ...params, m: 5 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, m: 11 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, r: 0 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, r: 17 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, t: 0 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, t: 50 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, t: 1.5 }, appKey, salt), RangeError],
    [() => bindKey(x, { ...params, dim: 4096, m: 10, r: 16 }, appKey, salt), RangeError],
    [() => bindKey(x, params, appKey.subarray(1), salt), RangeError],
    [() => bindKey(x, params, appKey, salt.subarray(1)), RangeError],
    [() => bindKey(x, params, appKey, salt, new Uint8Array(3)), RangeError],
    [() => bindKey(x, params, appKey, salt, new Uint8Array(messageBytes(params)).fill(0xff)), RangeError],
    [() => bindKey(x, params, appKey, salt, [1] as never), TypeError],
    [() => bindKey(x.subarray(1), params, appKey, salt), RangeError],
    [() => bindKey(Float32Array.from(x, (v, i) => (i === 3 ? NaN : v)), params, appKey, salt), RangeError],
    [() => releaseKey(x, null as never, appKey), TypeError],
    [() => releaseKey(x, { ...template, helper: template.helper.subarray(1) } as BoundTemplate, appKey), RangeError],
    [() => releaseKey(x, { ...template, commitment: new Uint8Array(31) } as BoundTemplate, appKey), RangeError],
    [() => releaseKey(x, template, 'key' as never), TypeError],
    [() => releaseKey(x.subarray(2), template, appKey), RangeError],
    [() => encodeBoundTemplate({ ...template, helper: Uint8Array.from(template.helper, (v, i) => (i === template.helper.length - 1 ? 0xff : v)) }), RangeError],
  ];
  for (const [f, cls] of cases) {
    try { f(); assert.unreachable('threw'); } catch (e) {
      assert.instance(e, cls);
      const msg = (e as Error).message;
      assert.not.match(msg, /0\.\d{4}/, 'no embedding digits');
      assert.not.match(msg, hex(appKey).slice(0, 8));
    }
  }
});

test.run();
