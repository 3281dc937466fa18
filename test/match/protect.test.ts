// protectFast / protectBatch: byte-identical to protect() for every scheme on seeded random
// embeddings (dimensions with and without SIMD tails, centred and not), on every backend, and
// the same errors for bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CACHE_BYTES, defaultParams, encodeTemplate, materialCacheBytes, protect, protectAll, setMaterialCacheLimit, type ProtectParams } from '../../src/index.js';
import { BACKENDS, backend, init, protectAllFast, protectBatch, protectFast } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('match-protect');
const key = rng.bytes(32);
const PARAMS: ProtectParams[] = [
  { scheme: 'iom-grp', dim: 512, m: 96, q: 16 },
  { scheme: 'iom-grp', dim: 37, m: 19, q: 5 },
  { scheme: 'iom-grp', dim: 100, m: 64, q: 256 },
  { scheme: 'iom-urp', dim: 128, m: 64, k: 16, p: 2 },
  { scheme: 'sign', dim: 512, bits: 512 },
  { scheme: 'sign', dim: 33, bits: 192 },
];

const hex = (t: Parameters<typeof encodeTemplate>[0]) => Buffer.from(encodeTemplate(t)).toString('hex');

for (const b of BACKENDS) {
  test(`${b}: protectFast equals protect for every scheme, centred or not`, async () => {
    await init({ backend: b });
    assert.is(backend(), b);
    for (const base of PARAMS) {
      const mean = rng.unitVector(base.dim).map((x) => x * 0.1);
      for (const params of [base, { ...base, mean }]) {
        for (let i = 0; i < 2; i++) {
          const x = rng.unitVector(params.dim), salt = rng.bytes(16 + i * 8);
          assert.is(hex(protectFast(x, params, key, salt)), hex(protect(x, params, key, salt)), `${params.scheme} dim ${params.dim}`);
        }
      }
    }
  });

  test(`${b}: with the material cache off, protectFast and protectBatch derive the material themselves and equal protect`, async () => {
    await init({ backend: b });
    setMaterialCacheLimit(0);
    try {
      for (const params of [...PARAMS, defaultParams('iom-urp', 128), { scheme: 'iom-urp', dim: 33, m: 20, k: 33, p: 3 } as const]) {
        const x = rng.unitVector(params.dim), salt = rng.bytes(16);
        const fast = hex(protectFast(x, params, key, salt));
        assert.is(materialCacheBytes(), 0);
        assert.is(fast, hex(protect(x, params, key, salt)), `${params.scheme} dim ${params.dim}`);
        assert.is(hex(protectBatch([x], params, key, salt)[0]!), fast);
      }
    } finally {
      setMaterialCacheLimit(DEFAULT_CACHE_BYTES);
    }
  });

  test(`${b}: protectAllFast equals protectAll`, async () => {
    await init({ backend: b });
    for (const params of PARAMS.slice(1)) {
      const x = rng.unitVector(params.dim), salts = [rng.bytes(16), rng.bytes(20), rng.bytes(32)];
      assert.equal(protectAllFast(x, params, key, salts).map(hex), protectAll(x, params, key, salts).map(hex));
    }
  });

  test(`${b}: protectBatch equals protect one by one`, async () => {
    await init({ backend: b });
    for (const params of PARAMS.slice(1)) {
      const xs = Array.from({ length: 5 }, () => rng.unitVector(params.dim));
      const salt = rng.bytes(16);
      assert.equal(protectBatch(xs, params, key, salt).map(hex), xs.map((x) => hex(protect(x, params, key, salt))));
    }
    assert.equal(protectBatch([], PARAMS[1]!, key, rng.bytes(16)), []);
    // More embeddings than one kernel call takes (64), with a remainder of the four-vector pass.
    const many = Array.from({ length: 70 }, () => rng.unitVector(PARAMS[1]!.dim)), salt = rng.bytes(16);
    assert.equal(protectBatch(many, PARAMS[1]!, key, salt).map(hex), many.map((x) => hex(protect(x, PARAMS[1]!, key, salt))));
  });
}

test('bad input gives the same errors as protect()', async () => {
  await init();
  const p = PARAMS[1]!, salt = rng.bytes(16), x = rng.unitVector(p.dim);
  const badParams: ProtectParams = { scheme: 'iom-grp', dim: p.dim, m: 1, q: 4 };
  const cases: [string, () => unknown, () => unknown][] = [
    ['short embedding', () => protect(x.subarray(1), p, key, salt), () => protectFast(x.subarray(1), p, key, salt)],
    ['short key', () => protect(x, p, key.subarray(1), salt), () => protectFast(x, p, key.subarray(1), salt)],
    ['short salt', () => protect(x, p, key, salt.subarray(1)), () => protectFast(x, p, key, salt.subarray(1))],
    ['zero embedding', () => protect(new Float32Array(p.dim), p, key, salt), () => protectBatch([x, new Float32Array(p.dim)], p, key, salt)],
    ['bad params', () => protect(x, badParams, key, salt), () => protectBatch([x], badParams, key, salt)],
  ];
  for (const [what, ref, fast] of cases) {
    const caught = (f: () => unknown) => { try { f(); return 'none'; } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; } };
    const expected = caught(ref);
    assert.is.not(expected, 'none', what);
    assert.is(caught(fast), expected, what);
  }
  assert.throws(() => protectBatch('x' as never, p, key, salt), TypeError);
});

test.run();
