// Argument checking of the public API ('templock'): every exported function rejects wrong types
// with TypeError and wrong lengths, ranges and non-finite values with RangeError, and no error
// message carries an embedding value, the key or the salt.
import ndarray from 'ndarray';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as templock from '../../src/index.js';
import {
  assertComparable, checkParams, compareTemplates, decodeTemplate, defaultParams, encodeTemplate, generateSalt,
  protect, protectAll, setMaterialCacheLimit, DEFAULT_CACHE_BYTES, type ProtectedTemplate, type TransformParams,
} from '../../src/index.js';
import { hex } from './_fixtures.js';

const dim = 128;
const key = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const salt = Uint8Array.from({ length: 16 }, (_, i) => 0xd0 + i);
/** Distinctive values whose digits a leaking message would show. */
const embedding = Float32Array.from({ length: dim }, (_, i) => (i % 2 ? -1 : 1) * (0.0123456 + i * 0.000987654));
const grp: TransformParams = { scheme: 'iom-grp', dim, m: 16, q: 4 };
const template = protect(embedding, grp, key, salt);
const withEmbedding = (f: (x: Float32Array) => void) => () => { const x = Float32Array.from(embedding); f(x); protect(x, grp, key, salt); };
const withTemplate = (change: Partial<Record<keyof ProtectedTemplate, unknown>>) => ({ ...template, ...change }) as ProtectedTemplate;
const u8 = (n: number) => new Uint8Array(n);

type ErrorClass = typeof TypeError | typeof RangeError;
interface Case { fn: string; what: string; call: () => unknown; error: ErrorClass }
const cases: Case[] = [];
const add = (fn: string, error: ErrorClass, list: Record<string, () => unknown>) => {
  for (const [what, call] of Object.entries(list)) cases.push({ fn, what, call, error });
};

add('generateSalt', TypeError, { 'string': () => generateSalt('16' as never), 'null': () => generateSalt(null as never) });
add('generateSalt', RangeError, {
  '15': () => generateSalt(15), '33': () => generateSalt(33), '16.5': () => generateSalt(16.5),
  'NaN': () => generateSalt(NaN), 'Infinity': () => generateSalt(Infinity), '-16': () => generateSalt(-16),
});

const badParamTypes: Record<string, unknown> = {
  'undefined': undefined, 'null': null, 'string': 'iom-grp', 'number': 42,
  'scheme number': { scheme: 1, dim, m: 16, q: 4 }, 'scheme missing': { dim, m: 16, q: 4 },
  'dim string': { scheme: 'iom-grp', dim: '128', m: 16, q: 4 }, 'dim missing': { scheme: 'sign', bits: 64 },
  'q string': { scheme: 'iom-grp', dim, m: 16, q: '4' }, 'm missing': { scheme: 'iom-grp', dim, q: 4 },
  'k null': { scheme: 'iom-urp', dim, m: 16, k: null, p: 2 }, 'p bigint': { scheme: 'iom-urp', dim, m: 16, k: 4, p: 2n },
  'bits boolean': { scheme: 'sign', dim, bits: true },
};
const badParamRanges: Record<string, unknown> = {
  'unknown scheme': { scheme: 'biohash', dim, bits: 64 }, 'inherited name': { scheme: 'toString', dim, bits: 64 },
  'proto name': { scheme: '__proto__', dim, bits: 64 },
  'dim 31': { scheme: 'sign', dim: 31, bits: 64 }, 'dim 4097': { scheme: 'sign', dim: 4097, bits: 64 },
  'dim 128.5': { scheme: 'sign', dim: 128.5, bits: 64 }, 'dim NaN': { scheme: 'sign', dim: NaN, bits: 64 },
  'grp q 1': { scheme: 'iom-grp', dim, m: 16, q: 1 }, 'grp m 15': { scheme: 'iom-grp', dim, m: 15, q: 4 },
  'grp m 4097': { scheme: 'iom-grp', dim, m: 4097, q: 4 }, 'grp q Infinity': { scheme: 'iom-grp', dim, m: 16, q: Infinity },
  'grp q 257': { scheme: 'iom-grp', dim, m: 16, q: 257 }, 'grp m -16': { scheme: 'iom-grp', dim, m: -16, q: 4 },
  'urp k 1': { scheme: 'iom-urp', dim, m: 16, k: 1, p: 2 }, 'urp k > dim': { scheme: 'iom-urp', dim, m: 16, k: dim + 1, p: 2 },
  'urp p 0': { scheme: 'iom-urp', dim, m: 16, k: 4, p: 0 }, 'urp p 4': { scheme: 'iom-urp', dim, m: 16, k: 4, p: 4 },
  'urp m 15': { scheme: 'iom-urp', dim, m: 15, k: 4, p: 2 },
  'sign bits 0': { scheme: 'sign', dim, bits: 0 }, 'sign bits 63': { scheme: 'sign', dim, bits: 63 },
  'sign bits 65': { scheme: 'sign', dim, bits: 65 }, 'sign bits 8256': { scheme: 'sign', dim, bits: 8256 },
};
for (const [what, p] of Object.entries(badParamTypes)) {
  add('checkParams', TypeError, { [what]: () => checkParams(p) });
  add('protect', TypeError, { [`params ${what}`]: () => protect(embedding, p as never, key, salt) });
}
for (const [what, p] of Object.entries(badParamRanges)) {
  add('checkParams', RangeError, { [what]: () => checkParams(p) });
  add('protect', RangeError, { [`params ${what}`]: () => protect(embedding, p as never, key, salt) });
}

add('defaultParams', TypeError, {
  'scheme number': () => defaultParams(1 as never, dim), 'scheme null': () => defaultParams(null as never, dim),
  'dim string': () => defaultParams('sign', '128' as never),
});
add('defaultParams', RangeError, {
  'unknown scheme': () => defaultParams('biohash' as never, dim), 'dim 31': () => defaultParams('iom-grp', 31),
  'dim 4097': () => defaultParams('iom-urp', 4097),
});

add('protect', TypeError, {
  'embedding undefined': () => protect(undefined as never, grp, key, salt),
  'embedding null': () => protect(null as never, grp, key, salt),
  'embedding string': () => protect('0.5,0.5' as never, grp, key, salt),
  'embedding Float64Array': () => protect(new Float64Array(embedding) as never, grp, key, salt),
  'embedding Int16Array': () => protect(new Int16Array(dim).fill(1) as never, grp, key, salt),
  'embedding plain object': () => protect({ length: dim } as never, grp, key, salt),
  'embedding number[] with a string': () => protect([...Array.from(embedding).slice(1), '1'] as never, grp, key, salt),
  'embedding ndarray of strings': () => protect(ndarray(Array.from(embedding, String)) as never, grp, key, salt),
  'key undefined': () => protect(embedding, grp, undefined as never, salt),
  'key number[]': () => protect(embedding, grp, Array.from(key) as never, salt),
  'key hex string': () => protect(embedding, grp, hex(key) as never, salt),
  'salt string': () => protect(embedding, grp, key, hex(salt) as never),
  'salt ArrayBuffer': () => protect(embedding, grp, key, salt.slice().buffer as never),
  'mean string': () => protect(embedding, { ...grp, mean: 'zero' as never }, key, salt),
});
add('protect', RangeError, {
  'embedding Float32Array 127': () => protect(embedding.subarray(1), grp, key, salt),
  'embedding number[] 129': () => protect([...Array.from(embedding), 0.5], grp, key, salt),
  'embedding ndarray 127': () => protect(ndarray(embedding.slice(1)), grp, key, salt),
  'embedding 2-d ndarray': () => protect(ndarray(embedding, [2, dim / 2]), grp, key, salt),
  'embedding NaN': withEmbedding((x) => { x[7] = NaN; }),
  'embedding +Infinity': withEmbedding((x) => { x[0] = Infinity; }),
  'embedding -Infinity': withEmbedding((x) => { x[dim - 1] = -Infinity; }),
  'embedding number[] overflowing float32': () => protect(Array.from(embedding, (v, i) => (i === 3 ? 1e39 : v)), grp, key, salt),
  'embedding all zero': () => protect(new Float32Array(dim), grp, key, salt),
  'embedding all negative zero': () => protect(new Float32Array(dim).fill(-0), grp, key, salt),
  'embedding equal to the mean': () => protect(embedding, { ...grp, mean: embedding }, key, salt),
  'mean of the wrong length': () => protect(embedding, { ...grp, mean: embedding.subarray(1) }, key, salt),
  'mean with NaN': () => protect(embedding, { ...grp, mean: new Float32Array(dim).fill(NaN) }, key, salt),
  'key 31 bytes': () => protect(embedding, grp, key.subarray(1), salt),
  'key 33 bytes': () => protect(embedding, grp, Uint8Array.of(...key, 0), salt),
  'key empty': () => protect(embedding, grp, u8(0), salt),
  'salt 15 bytes': () => protect(embedding, grp, key, salt.subarray(1)),
  'salt 33 bytes': () => protect(embedding, grp, key, u8(33).fill(0xd0)),
  'salt empty': () => protect(embedding, grp, key, u8(0)),
});
add('protectAll', TypeError, {
  'salts undefined': () => protectAll(embedding, grp, key, undefined as never),
  'salts a single salt': () => protectAll(embedding, grp, key, salt as never),
  'salts with a string': () => protectAll(embedding, grp, key, [salt, 'salt'] as never),
  'embedding null': () => protectAll(null as never, grp, key, [salt]),
  'key string': () => protectAll(embedding, grp, 'key' as never, [salt]),
});
add('protectAll', RangeError, {
  'no salts': () => protectAll(embedding, grp, key, []),
  'a short salt': () => protectAll(embedding, grp, key, [salt, salt.subarray(2)]),
  'embedding all zero': () => protectAll(new Float32Array(dim), grp, key, [salt]),
  'key 16 bytes': () => protectAll(embedding, grp, key.subarray(16), [salt]),
});
add('setMaterialCacheLimit', TypeError, { 'string': () => setMaterialCacheLimit('1024' as never), 'undefined': () => setMaterialCacheLimit(undefined as never) });
add('setMaterialCacheLimit', RangeError, {
  '-1': () => setMaterialCacheLimit(-1), '1.5': () => setMaterialCacheLimit(1.5), 'NaN': () => setMaterialCacheLimit(NaN),
  'Infinity': () => setMaterialCacheLimit(Infinity), '2^53': () => setMaterialCacheLimit(2 ** 53),
});
add('encodeTemplate', TypeError, {
  'undefined': () => encodeTemplate(undefined as never), 'null': () => encodeTemplate(null as never),
  'bytes': () => encodeTemplate(encodeTemplate(template) as never),
  'salt string': () => encodeTemplate(withTemplate({ salt: hex(salt) })),
  'keyId number[]': () => encodeTemplate(withTemplate({ keyId: Array.from(template.keyId) })),
  'meanId missing': () => encodeTemplate(withTemplate({ meanId: undefined })),
  'payload Uint16Array': () => encodeTemplate(withTemplate({ payload: new Uint16Array(template.payload) })),
  'params null': () => encodeTemplate(withTemplate({ params: null })),
});
add('encodeTemplate', RangeError, {
  'salt 15 bytes': () => encodeTemplate(withTemplate({ salt: salt.subarray(1) })),
  'salt 33 bytes': () => encodeTemplate(withTemplate({ salt: u8(33) })),
  'keyId 7 bytes': () => encodeTemplate(withTemplate({ keyId: template.keyId.subarray(1) })),
  'meanId 9 bytes': () => encodeTemplate(withTemplate({ meanId: u8(9) })),
  'payload one byte short': () => encodeTemplate(withTemplate({ payload: template.payload.subarray(1) })),
  'payload index = q': () => encodeTemplate(withTemplate({ payload: template.payload.map((v, i) => (i === 5 ? 4 : v)) })),
  'params out of range': () => encodeTemplate(withTemplate({ params: { ...grp, q: 1 } })),
});
add('decodeTemplate', TypeError, {
  'undefined': () => decodeTemplate(undefined as never), 'null': () => decodeTemplate(null as never),
  'hex string': () => decodeTemplate(hex(encodeTemplate(template)) as never),
  'number[]': () => decodeTemplate(Array.from(encodeTemplate(template)) as never),
  'ArrayBuffer': () => decodeTemplate(encodeTemplate(template).buffer as never),
  'template object': () => decodeTemplate(template as never),
});
for (const fn of [compareTemplates, assertComparable]) {
  add(fn.name, TypeError, {
    'a null': () => fn(null as never, template), 'b undefined': () => fn(template, undefined as never),
    'a bytes': () => fn(encodeTemplate(template) as never, template), 'b string': () => fn(template, 'template' as never),
    'a keyId string': () => fn(withTemplate({ keyId: hex(template.keyId) }), template),
    'b params number': () => fn(template, withTemplate({ params: 7 })),
  });
  add(fn.name, RangeError, {
    'a keyId 9 bytes': () => fn(withTemplate({ keyId: Uint8Array.of(...template.keyId, 0) }), template),
    'b meanId empty': () => fn(template, withTemplate({ meanId: u8(0) })),
    'b params out of range': () => fn(template, withTemplate({ params: { ...grp, m: 8 } })),
  });
}
add('compareTemplates', TypeError, { 'a payload number[]': () => compareTemplates(withTemplate({ payload: Array.from(template.payload) }), template) });
add('compareTemplates', RangeError, { 'b payload too long': () => compareTemplates(template, withTemplate({ payload: u8(template.payload.length + 1) })) });

const fc = { scheme: 'fuzzy-commitment', dim, m: 8, t: 18, r: 4 } as const;
const bound = templock.bindKey(embedding, fc, key, salt).template;
const withBound = (change: Record<string, unknown>) => ({ ...bound, ...change }) as templock.BoundTemplate;
add('checkBindingParams', TypeError, { 'null': () => templock.checkBindingParams(null), 'm string': () => templock.checkBindingParams({ ...fc, m: '8' }), 'scheme missing': () => templock.checkBindingParams({ dim, m: 8, t: 18, r: 4 }) });
add('checkBindingParams', RangeError, {
  'scheme sign': () => templock.checkBindingParams({ ...fc, scheme: 'sign' }), 'm 11': () => templock.checkBindingParams({ ...fc, m: 11 }),
  'r 17': () => templock.checkBindingParams({ ...fc, r: 17 }), 't too large': () => templock.checkBindingParams({ ...fc, t: 60 }),
  'weights over budget': () => templock.checkBindingParams({ ...fc, dim: 4096, m: 10, r: 16 }),
});
add('defaultBindingParams', TypeError, { 'string': () => templock.defaultBindingParams('128' as never) });
add('defaultBindingParams', RangeError, { '31': () => templock.defaultBindingParams(31), '128.5': () => templock.defaultBindingParams(128.5) });
add('messageBytes', TypeError, { 'undefined': () => templock.messageBytes(undefined as never) });
add('messageBytes', RangeError, { 't 0': () => templock.messageBytes({ ...fc, t: 0 }) });
add('bindKey', TypeError, {
  'params null': () => templock.bindKey(embedding, null as never, key, salt), 'key array': () => templock.bindKey(embedding, fc, Array.from(key) as never, salt),
  'salt string': () => templock.bindKey(embedding, fc, key, 'salt' as never), 'secret array': () => templock.bindKey(embedding, fc, key, salt, [1] as never),
  'embedding string': () => templock.bindKey('x' as never, fc, key, salt),
});
add('bindKey', RangeError, {
  'key 31': () => templock.bindKey(embedding, fc, u8(31), salt), 'salt 15': () => templock.bindKey(embedding, fc, key, u8(15)),
  'secret length': () => templock.bindKey(embedding, fc, key, salt, u8(3)), 'secret high bits': () => templock.bindKey(embedding, fc, key, salt, u8(17).fill(0xff)),
  'embedding length': () => templock.bindKey(embedding.subarray(1), fc, key, salt), 'embedding NaN': () => templock.bindKey(Float32Array.from(embedding, (v, i) => (i ? v : NaN)), fc, key, salt),
});
add('releaseKey', TypeError, { 'template null': () => templock.releaseKey(embedding, null as never, key), 'helper array': () => templock.releaseKey(embedding, withBound({ helper: [1] }), key) });
add('releaseKey', RangeError, {
  'helper short': () => templock.releaseKey(embedding, withBound({ helper: u8(3) }), key), 'commitment short': () => templock.releaseKey(embedding, withBound({ commitment: u8(31) }), key),
  'key 33': () => templock.releaseKey(embedding, bound, u8(33)), 'embedding length': () => templock.releaseKey(embedding.subarray(1), bound, key),
});
add('encodeBoundTemplate', TypeError, { 'null': () => templock.encodeBoundTemplate(null as never), 'salt array': () => templock.encodeBoundTemplate(withBound({ salt: Array.from(salt) })) });
add('encodeBoundTemplate', RangeError, { 'commitment 33': () => templock.encodeBoundTemplate(withBound({ commitment: u8(33) })), 'padding set': () => templock.encodeBoundTemplate(withBound({ helper: Uint8Array.from(bound.helper, (v, i) => (i === bound.helper.length - 1 ? 0xf0 : v)) })) });
add('BoundGallery', TypeError, { 'options null': () => new templock.BoundGallery(null as never), 'key array': () => new templock.BoundGallery({ key: Array.from(key) as never }) });
add('BoundGallery', RangeError, { 'key 33': () => new templock.BoundGallery({ key: u8(33) }), 'threads 0': () => new templock.BoundGallery({ key, threads: 0 }), 'threads 17': () => new templock.BoundGallery({ key, threads: 17 }) });
add('sealCredential', TypeError, { 'label number': () => templock.sealCredential(key, salt, 7 as never), 'credential string': () => templock.sealCredential(key, 'x' as never, 'a') });
add('sealCredential', RangeError, { 'key 16': () => templock.sealCredential(u8(16), salt, 'a'), 'credential empty': () => templock.sealCredential(key, u8(0), 'a'), 'label empty': () => templock.sealCredential(key, salt, '') });
add('openCredential', TypeError, { 'label null': () => templock.openCredential(key, u8(60), null as never), 'sealed array': () => templock.openCredential(key, [1] as never, 'a') });
add('openCredential', RangeError, { 'sealed short': () => templock.openCredential(key, u8(40), 'a'), 'key 31': () => templock.openCredential(u8(31), u8(60), 'a') });
add('decodeBoundTemplate', TypeError, { 'string': () => templock.decodeBoundTemplate('x' as never), 'array': () => templock.decodeBoundTemplate([1] as never) });

/** Exports that take no argument or accept any value, so there is nothing to reject. */
const NOTHING_TO_REJECT = new Set(['generateKey', 'materialCacheBytes', 'isTemplockError', 'TemplockError']);

test('every exported function has rejection cases here', () => {
  const exported = Object.entries(templock).filter(([, v]) => typeof v === 'function').map(([name]) => name);
  const covered = new Set(cases.map((c) => c.fn));
  for (const name of exported) assert.ok(covered.has(name) || NOTHING_TO_REJECT.has(name), `no rejection cases for ${name}`);
});

/** Renderings of the secret and biometric inputs that a leaking message would contain. */
const forbidden = [
  hex(key), hex(salt), hex(key).toUpperCase(), hex(salt).toUpperCase(), String(key), String(salt),
  Buffer.from(key).toString('base64'), Buffer.from(salt).toString('base64'),
  ...Array.from(key.subarray(0, 30), (_, i) => Array.from(key.subarray(i, i + 3)).join(', ')),
  ...Array.from(salt.subarray(0, 14), (_, i) => Array.from(salt.subarray(i, i + 3)).join(', ')),
  ...Array.from(embedding, (v) => String(v).slice(0, 7)),
];

for (const c of cases) {
  test(`${c.fn}: ${c.what} -> ${c.error.name}`, () => {
    let thrown: unknown;
    try { c.call(); } catch (e) { thrown = e; }
    assert.ok(thrown instanceof Error, `${c.fn} (${c.what}) did not throw`);
    assert.is((thrown as Error).constructor, c.error, `${c.fn} (${c.what}) threw ${(thrown as Error).constructor.name}: ${(thrown as Error).message}`);
    const message = (thrown as Error).message;
    assert.match(message, /^"[\w.]+" /, `message names the argument: ${message}`);
    for (const f of forbidden) assert.not.ok(message.includes(f), `${c.fn} (${c.what}) message leaks input: ${message}`);
  });
}

test('valid calls still work after the rejected ones (no state left behind)', () => {
  setMaterialCacheLimit(DEFAULT_CACHE_BYTES);
  assert.is(compareTemplates(protect(embedding, grp, key, salt), template), 1);
  assert.is(generateSalt(32).length, 32);
  assert.is(generateSalt().length, 16);
});

test.run();
