// Template format v1 decoding (SPEC.md §5): strict and total. Truncation at every length,
// trailing bytes, bad magic, unknown version or scheme, parameters out of range, a wrong salt
// length and out-of-range payload indices are rejected with the code of the first failing check;
// a seeded fuzz of random and mutated byte strings only ever yields a template (whose encoding is
// the input) or a TemplockError whose message carries no template bytes. Comparing incompatible
// templates is INCOMPATIBLE; a template holds the key identifier of SPEC.md §3.1, never the key.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  compareTemplates, decodeTemplate, encodeTemplate, isTemplockError, protect, TemplockError,
  type ErrorCode, type IomGrpParams, type ProtectedTemplate, type TransformParams,
} from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';
import { hex } from './_fixtures.js';

const rng = new Seeded('template-decode');
const key = rng.bytes(32);
const dim = 64;
const PARAMS: TransformParams[] = [
  { scheme: 'iom-grp', dim, m: 16, q: 5 },
  { scheme: 'iom-urp', dim, m: 20, k: 7, p: 3 },
  { scheme: 'sign', dim, bits: 128 },
];
const valid = PARAMS.flatMap((params) => [16, 23, 32].map((saltBytes) => encodeTemplate(protect(rng.unitVector(dim), params, key, rng.bytes(saltBytes)))));

function codeOf(bytes: Uint8Array): ErrorCode | 'ok' {
  try {
    decodeTemplate(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof TemplockError) return e.code;
    throw e;
  }
}

interface HeaderFields { scheme?: number; dim?: number; a?: number; b?: number; c?: number; saltBytes?: number }

/**
 * `base` rebuilt with some header fields changed (offset 5: u8 scheme, u16le d, a, b, u8 c; 13:
 * salt length) and with the salt and zero payload lengths those fields imply, so that a decoder
 * skipping the check of a changed field would accept the result.
 */
function rebuilt(base: Uint8Array, f: HeaderFields): Uint8Array {
  const dvBase = new DataView(base.buffer, base.byteOffset);
  const scheme = f.scheme ?? base[5]!, a = f.a ?? dvBase.getUint16(8, true), saltBytes = f.saltBytes ?? base[13]!;
  const payloadBytes = scheme === 3 ? a >> 3 : a;
  const out = new Uint8Array(30 + saltBytes + payloadBytes);
  out.set(base.subarray(0, 30));
  out.set(base.subarray(30, 30 + Math.min(saltBytes, base[13]!)), 30);
  const dv = new DataView(out.buffer);
  out[5] = scheme;
  if (f.dim !== undefined) dv.setUint16(6, f.dim, true);
  dv.setUint16(8, a, true);
  if (f.b !== undefined) dv.setUint16(10, f.b, true);
  if (f.c !== undefined) out[12] = f.c;
  out[13] = saltBytes;
  return out;
}

const bySchemeId = (id: number) => valid.filter((t) => t[5] === id);

test('every valid template decodes to what was encoded, byte fields copied', () => {
  for (const bytes of valid) {
    const input = bytes.slice();
    const t = decodeTemplate(input);
    assert.is(hex(encodeTemplate(t)), hex(bytes));
    assert.is(compareTemplates(t, t), 1);
    input.fill(0);
    assert.is(hex(encodeTemplate(t)), hex(bytes), 'decoded fields must not alias the input');
  }
});

test('a template carries the key identifier, never the key; the identifiers are as specified', () => {
  const keyWindows = Array.from({ length: 29 }, (_, i) => hex(key.subarray(i, i + 4)));
  const keyId = hex(hmac(sha256, key, new TextEncoder().encode('templock/v1/key-id')).subarray(0, 8));
  for (const bytes of valid) {
    for (const w of keyWindows) assert.not.ok(hex(bytes).includes(w), 'no 4-byte run of the key');
    assert.is(hex(decodeTemplate(bytes).keyId), keyId);
    assert.is(hex(decodeTemplate(bytes).meanId), '0000000000000000');
  }
  const mean = Float32Array.from({ length: dim }, (_, i) => (i % 2 ? -0 : i / 64));
  const t = protect(rng.unitVector(dim), { ...PARAMS[0]!, mean }, key, rng.bytes(16));
  const label = new TextEncoder().encode('templock/v1/mean');
  assert.is(hex(t.meanId), hex(sha256(new Uint8Array([...label, ...new Uint8Array(mean.buffer)])).subarray(0, 8)));
});

test('a view into a larger buffer and a Node Buffer decode like the plain bytes', () => {
  for (const bytes of valid) {
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 7);
    assert.is(hex(encodeTemplate(decodeTemplate(big.subarray(7, 7 + bytes.length)))), hex(bytes));
    assert.is(hex(encodeTemplate(decodeTemplate(Buffer.from(bytes)))), hex(bytes));
  }
});

test('truncation at every length is MALFORMED', () => {
  for (const bytes of valid)
    for (let n = 0; n < bytes.length; n++) assert.is(codeOf(bytes.subarray(0, n)), 'MALFORMED', `length ${n} of ${bytes.length}`);
});

test('trailing bytes are MALFORMED', () => {
  for (const bytes of valid)
    for (const extra of [1, 7, 64, 4096]) assert.is(codeOf(Uint8Array.of(...bytes, ...new Uint8Array(extra))), 'MALFORMED', `+${extra}`);
});

test('a bad magic is MALFORMED', () => {
  for (let i = 0; i < 4; i++) for (const delta of [1, 0x80]) {
    const b = valid[0]!.slice();
    b[i] ^= delta;
    assert.is(codeOf(b), 'MALFORMED', `byte ${i} ^ ${delta}`);
  }
  assert.is(codeOf(new TextEncoder().encode('TLPU\x01')), 'MALFORMED');
});

test('an unknown version is UNSUPPORTED_VERSION whatever follows (at least 5 bytes)', () => {
  for (const version of [0, 2, 3, 0x7f, 0xff]) {
    for (const bytes of valid) {
      const b = bytes.slice();
      b[4] = version;
      assert.is(codeOf(b), 'UNSUPPORTED_VERSION', `version ${version}`);
      assert.is(codeOf(b.subarray(0, 5)), 'UNSUPPORTED_VERSION', `version ${version}, header only`);
      assert.is(codeOf(Uint8Array.of(...b, 1, 2, 3)), 'UNSUPPORTED_VERSION', `version ${version}, trailing bytes`);
    }
    assert.is(codeOf(Uint8Array.of(0x54, 0x4c, 0x50, 0x54)), 'MALFORMED', 'four bytes are a truncated header');
  }
});

test('an unknown scheme is MALFORMED', () => {
  for (const scheme of [0, 4, 5, 0x80, 0xff]) assert.is(codeOf(rebuilt(valid[0]!, { scheme })), 'MALFORMED', `scheme ${scheme}`);
});

test('parameters out of range are MALFORMED; the same rebuild in range decodes', () => {
  const [grp, urp, sign] = [bySchemeId(1)[0]!, bySchemeId(2)[0]!, bySchemeId(3)[0]!];
  const accepted: [string, Uint8Array][] = [
    ['unchanged grp', rebuilt(grp, {})], ['unchanged urp', rebuilt(urp, {})], ['unchanged sign', rebuilt(sign, {})],
    ['dim 32', rebuilt(grp, { dim: 32 })], ['dim 4096', rebuilt(sign, { dim: 4096 })], ['grp m 4096 q 2', rebuilt(grp, { a: 4096, b: 2 })],
    ['grp q 256', rebuilt(grp, { b: 256 })], ['grp m*q*d = 2^26', rebuilt(grp, { dim: 4096, a: 64, b: 256 })],
    ['urp k = d', rebuilt(urp, { b: dim })], ['urp k 256 at d 4096', rebuilt(urp, { dim: 4096, b: 256 })], ['urp p 1', rebuilt(urp, { c: 1 })],
    ['sign bits 8192 at d 4096', rebuilt(sign, { dim: 4096, a: 8192 })], ['sign bits 64', rebuilt(sign, { a: 64 })],
  ];
  for (const [what, bytes] of accepted) assert.is(codeOf(bytes), 'ok', what);
  const rejected: [string, Uint8Array][] = [
    ['dim 0', rebuilt(grp, { dim: 0 })], ['dim 31', rebuilt(grp, { dim: 31 })], ['dim 4097', rebuilt(sign, { dim: 4097 })],
    ['dim 65535', rebuilt(urp, { dim: 65535 })],
    ['grp m 15', rebuilt(grp, { a: 15 })], ['grp m 4097', rebuilt(grp, { a: 4097 })], ['grp q 0', rebuilt(grp, { b: 0 })],
    ['grp q 1', rebuilt(grp, { b: 1 })], ['grp q 257', rebuilt(grp, { b: 257 })], ['grp c 1', rebuilt(grp, { c: 1 })],
    ['grp m*q*d > 2^26', rebuilt(grp, { dim: 4096, a: 4096, b: 5 })], ['grp m*q*d = 2^26 + 2^20', rebuilt(grp, { dim: 4096, a: 65, b: 256 })],
    ['urp m 15', rebuilt(urp, { a: 15 })], ['urp k 1', rebuilt(urp, { b: 1 })], ['urp k > d', rebuilt(urp, { b: dim + 1 })],
    ['urp k 257 at d 4096', rebuilt(urp, { dim: 4096, b: 257 })], ['urp p 0', rebuilt(urp, { c: 0 })], ['urp p 4', rebuilt(urp, { c: 4 })],
    ['sign bits 0', rebuilt(sign, { a: 0 })], ['sign bits 63', rebuilt(sign, { a: 63 })], ['sign bits 65', rebuilt(sign, { a: 65 })],
    ['sign bits 8256', rebuilt(sign, { a: 8256 })], ['sign b 1', rebuilt(sign, { b: 1 })], ['sign c 1', rebuilt(sign, { c: 1 })],
  ];
  for (const [what, bytes] of rejected) assert.is(codeOf(bytes), 'MALFORMED', what);
});

test('a salt length outside 16..32 is MALFORMED (16 and 32 decode)', () => {
  for (const bytes of valid) {
    for (const saltBytes of [0, 1, 15, 33, 64, 255]) assert.is(codeOf(rebuilt(bytes, { saltBytes })), 'MALFORMED', `salt ${saltBytes}`);
    for (const saltBytes of [16, 32]) assert.is(codeOf(rebuilt(bytes, { saltBytes })), 'ok', `salt ${saltBytes}`);
  }
});

test('an IoM payload index >= q (IoM-GRP) or >= k (IoM-URP) is MALFORMED; q-1 and k-1 are valid', () => {
  for (const [id, limit] of [[1, 5], [2, 7]] as const) {
    for (const bytes of bySchemeId(id)) {
      const at = bytes.length - 1 - rng.int(16);
      for (const value of [limit, limit + 1, 0xff]) {
        const b = bytes.slice();
        b[at] = value;
        assert.is(codeOf(b), 'MALFORMED', `scheme ${id} value ${value}`);
      }
      const b = bytes.slice();
      b[at] = limit - 1;
      assert.is(codeOf(b), 'ok');
    }
  }
});

test('sign payloads accept every byte value', () => {
  for (const bytes of bySchemeId(3)) {
    const b = bytes.slice();
    b.fill(0xff, b.length - 16);
    assert.is(codeOf(b), 'ok');
  }
});

test('fuzz: random and mutated byte strings give a template or a TemplockError, nothing else', () => {
  const counts = { ok: 0, MALFORMED: 0, UNSUPPORTED_VERSION: 0 } as Record<string, number>;
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < 1000; i++) inputs.push(rng.bytes(rng.int(200)));
  for (let i = 0; i < 1000; i++) {
    const b = rng.bytes(rng.int(200));
    b.set(valid[0]!.subarray(0, Math.min(5, b.length)));
    inputs.push(b);
  }
  for (let i = 0; i < 3000; i++) {
    const b = valid[rng.int(valid.length)]!.slice();
    const flips = 1 + rng.int(3);
    for (let f = 0; f < flips; f++) {
      const at = rng.int(rng.int(2) ? 30 : b.length);
      b[at] = rng.int(4) === 0 ? rng.u32() & 0xff : b[at]! ^ (1 << rng.int(8));
    }
    const cut = rng.int(8) === 0 ? rng.int(b.length) : b.length;
    inputs.push(rng.int(8) === 0 ? Uint8Array.of(...b, ...rng.bytes(1 + rng.int(4))) : b.subarray(0, cut));
  }
  for (const input of inputs) {
    let t: ProtectedTemplate;
    try {
      t = decodeTemplate(input);
    } catch (e) {
      assert.ok(isTemplockError(e, 'MALFORMED') || isTemplockError(e, 'UNSUPPORTED_VERSION'), `threw ${String(e)} on ${hex(input)}`);
      const message = (e as TemplockError).message;
      assert.not.match(message, /[0-9a-f]{6,}|\d+,\s*\d+,/, `the message carries no template bytes: ${message}`);
      counts[(e as TemplockError).code]!++;
      continue;
    }
    assert.is(hex(encodeTemplate(t)), hex(input), 'a decoded template re-encodes to its input');
    counts.ok!++;
  }
  console.log(`  fuzz: ${inputs.length} inputs -> ${JSON.stringify(counts)}`);
  assert.ok(counts.ok! > 100 && counts.MALFORMED! > 100 && counts.UNSUPPORTED_VERSION! > 10, 'the fuzz reaches every outcome');
});

test('templates of another key, parameters or mean are INCOMPATIBLE; another salt is comparable', () => {
  const params: IomGrpParams = { scheme: 'iom-grp', dim, m: 16, q: 5 };
  const x = rng.unitVector(dim), salt = rng.bytes(16);
  const mean = Float32Array.from({ length: dim }, () => rng.gauss() * 0.01);
  const base = protect(x, params, key, salt);
  const others: [string, ProtectedTemplate][] = [
    ['another key', protect(x, params, rng.bytes(32), salt)],
    ['another m', protect(x, { ...params, m: 17 }, key, salt)],
    ['another q', protect(x, { ...params, q: 6 }, key, salt)],
    ['another scheme', protect(x, PARAMS[2]!, key, salt)],
    ['another dim', protect(rng.unitVector(dim + 1), { ...params, dim: dim + 1 }, key, salt)],
    ['a mean', protect(x, { ...params, mean }, key, salt)],
    ['another mean', protect(x, { ...params, mean: mean.map((v) => v * 2) }, key, salt)],
  ];
  for (const [what, other] of others) {
    for (const [a, b] of [[base, other], [other, base]] as const) {
      try {
        compareTemplates(a, b);
        assert.unreachable(`${what}: compared`);
      } catch (e) {
        assert.ok(isTemplockError(e, 'INCOMPATIBLE'), `${what}: ${String(e)}`);
      }
    }
  }
  const s = compareTemplates(base, protect(x, params, key, rng.bytes(32)));
  assert.ok(s >= 0 && s < 1, `another salt: score ${s}`);
});

test.run();
