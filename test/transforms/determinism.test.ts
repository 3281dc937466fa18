// Determinism: the same embedding, key, salt and parameters give the same template bytes on
// every call, with or without the derived-material cache (which stays within its limit), through
// protect and protectAll, and in a separate Node process; protect never alters its inputs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_CACHE_BYTES, encodeTemplate, materialCacheBytes, protect, protectAll, setMaterialCacheLimit, type ProtectParams,
} from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';
import { defaultsFor, hex } from './_fixtures.js';

const rng = new Seeded('determinism');
const key = rng.bytes(32);
const dim = 128;
const meanVector = Float32Array.from({ length: dim }, () => rng.gauss() * 0.1);
const PARAMS: ProtectParams[] = [
  ...defaultsFor(dim),
  { scheme: 'iom-grp', dim, m: 16, q: 2 },
  { scheme: 'iom-urp', dim, m: 64, k: 7, p: 3 },
  { scheme: 'iom-urp', dim, m: 64, k: 2, p: 1 },
  { scheme: 'sign', dim, bits: 64 },
  ...defaultsFor(dim).map((p) => ({ ...p, mean: meanVector })),
];

interface Case { embedding: Float32Array; params: ProtectParams; salt: Uint8Array }
const cases: Case[] = PARAMS.flatMap((params) => [16, 32].map((saltBytes) => ({
  embedding: rng.unitVector(dim), params, salt: rng.bytes(saltBytes),
})));
const bytesOf = (c: Case) => hex(encodeTemplate(protect(c.embedding, c.params, key, c.salt)));
const first = cases.map(bytesOf);
const label = (c: Case) => `${c.params.scheme} ${JSON.stringify({ ...c.params, mean: c.params.mean ? 'yes' : 'no' })} salt ${c.salt.length}`;

test('a second call gives the same bytes', () => {
  cases.forEach((c, i) => assert.is(bytesOf(c), first[i], label(c)));
});

test('the same bytes without the material cache and with a small one that evicts, within its limit', () => {
  try {
    for (const limit of [0, 300_000]) {
      setMaterialCacheLimit(limit);
      cases.forEach((c, i) => {
        assert.is(bytesOf(c), first[i], label(c));
        assert.ok(materialCacheBytes() <= limit, `${materialCacheBytes()} cached bytes over the limit ${limit}`);
      });
    }
    assert.ok(materialCacheBytes() > 0, 'the small limit still caches the small material');
    assert.is(setMaterialCacheLimit(0), 0, 'a zero limit empties the cache');
  } finally {
    setMaterialCacheLimit(DEFAULT_CACHE_BYTES);
  }
});

test('protect leaves the caller\'s embedding, mean, key and salt untouched', () => {
  for (const c of cases) {
    const inputs = [c.embedding, c.salt, key, ...(c.params.mean instanceof Float32Array ? [c.params.mean] : [])];
    const before = inputs.map((a) => hex(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
    protectAll(c.embedding, c.params, key, [c.salt, c.salt]);
    assert.equal(inputs.map((a) => hex(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))), before, label(c));
  }
});

test('protectAll over several salts equals protect under each salt', () => {
  for (const params of PARAMS) {
    const group = cases.filter((c) => c.params === params);
    const x = group[0]!.embedding;
    const all = protectAll(x, params, key, group.map((c) => c.salt)).map((t) => hex(encodeTemplate(t)));
    assert.equal(all, group.map((c) => hex(encodeTemplate(protect(x, params, key, c.salt)))));
  }
});

test('the inputs matter: another salt or another key changes the payload', () => {
  const otherKey = rng.bytes(32);
  for (const c of cases) {
    const t = protect(c.embedding, c.params, key, c.salt);
    const bySalt = protect(c.embedding, c.params, key, rng.bytes(c.salt.length));
    const byKey = protect(c.embedding, c.params, otherKey, c.salt);
    assert.is.not(hex(bySalt.payload), hex(t.payload), label(c));
    assert.is.not(hex(byKey.payload), hex(t.payload), label(c));
  }
});

test('a separate Node process produces the same bytes', () => {
  const child = fileURLToPath(new URL('./_protect-child.ts', import.meta.url));
  const input = cases.map((c) => JSON.stringify({
    embedding: hex(new Uint8Array(c.embedding.buffer)), key: hex(key), salt: hex(c.salt),
    params: c.params.mean ? { ...c.params, mean: Array.from(c.params.mean) } : c.params,
  })).join('\n') + '\n';
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { input, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), first);
});

test.run();
