// Gallery: identify equals a brute-force oracle (scores of compareTemplates, ties in enrolment
// order) on every backend, through add / addPayloads / update / remove; every error leaves the
// gallery unchanged; memory growth keeps earlier rows and views valid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTemplockError, protect, type ProtectedTemplate } from '../../src/index.js';
import { BACKENDS, Gallery, init, K_MAX } from '../../src/match/index.js';
import { Seeded } from '../_lib/seeded.js';
import { GALLERY_PARAMS, oracle, randomPayloads, referenceTemplate, withPayload } from './_gallery-data.js';

const rng = new Seeded('match-gallery');

function rows(payloads: Uint8Array, n: number): Uint8Array[] {
  return Array.from({ length: payloads.length / n }, (_, i) => payloads.slice(i * n, (i + 1) * n));
}

test('a Gallery needs init(); threads need a WASM backend', async () => {
  await init({ backend: 'js' });
  const ref = referenceTemplate(GALLERY_PARAMS[0]!, rng);
  try {
    new Gallery(ref, { threads: 2 });
    assert.unreachable();
  } catch (e) {
    assert.ok(isTemplockError(e, 'BACKEND_UNAVAILABLE'));
  }
  assert.throws(() => new Gallery(ref, { threads: 0 }), RangeError);
  assert.throws(() => new Gallery({} as never), TypeError);
});

for (const backend of BACKENDS) {
  for (const params of GALLERY_PARAMS) {
    test(`${backend} ${params.scheme}: identify equals the oracle through add, addPayloads, update and remove`, async () => {
      await init({ backend });
      const ref = referenceTemplate(params, rng);
      const n = ref.payload.length;
      const g = new Gallery(ref, { scores: 'exact' });
      const enrolled: [string, Uint8Array][] = [];
      rows(randomPayloads(ref, 40, rng), n).forEach((p, i) => { g.add(`a${i}`, withPayload(ref, p)); enrolled.push([`a${i}`, p]); });
      const bulk = randomPayloads(ref, 300, rng);
      const bulkIds = Array.from({ length: 300 }, (_, i) => `b${i}`);
      g.addPayloads(bulkIds, bulk);
      rows(bulk, n).forEach((p, i) => enrolled.push([bulkIds[i]!, p]));
      const check = (what: string) => {
        assert.is(g.size, enrolled.length);
        assert.equal(g.list(), enrolled.map(([id]) => id));
        for (let probeIndex = 0; probeIndex < 4; probeIndex++) {
          const probe = probeIndex === 0 ? enrolled[7]![1] : randomPayloads(ref, 1, rng);
          for (const [k, threshold] of [[1, 0], [10, 0], [25, 0.6], [K_MAX, 0], [5, 1]] as const) {
            const got = g.identify(withPayload(ref, probe), { k, threshold });
            assert.equal(got, oracle(ref, enrolled, probe, k, threshold), `${what}: k ${k} threshold ${threshold}`);
          }
        }
        const probes = [0, 1, 2].map(() => randomPayloads(ref, 1, rng));
        assert.equal(g.identifyMany(probes.map((p) => withPayload(ref, p)), { k: 3 }), probes.map((p) => oracle(ref, enrolled, p, 3, 0)));
      };
      check('after adding');
      const fresh = randomPayloads(ref, 1, rng);
      g.update('a3', withPayload(ref, fresh));
      enrolled[3] = ['a3', fresh];
      check('after update');
      for (const id of ['a0', 'b150', `b299`]) {
        g.remove(id);
        enrolled.splice(enrolled.findIndex(([e]) => e === id), 1);
      }
      check('after remove');
      // Several at once, in runs and alone, with ids that are not enrolled: one pass.
      const many = ['a1', 'a2', 'b10', 'b11', 'b12', 'b298', 'nobody', 'a0'];
      assert.is(g.removeMany(many), 6);
      for (const id of many) { const i = enrolled.findIndex(([e]) => e === id); if (i >= 0) enrolled.splice(i, 1); }
      check('after removeMany');
      assert.is(g.removeMany([]), 0);
      const v = g.verify('a3', withPayload(ref, fresh), { threshold: 1 });
      assert.equal(v, { match: true, score: 1 });
    });
  }
}

function snapshot(g: Gallery, probe: ProtectedTemplate): string {
  return JSON.stringify([g.size, g.list(), g.size ? g.identify(probe, { k: K_MAX }) : []]);
}

function expectError(g: Gallery, probe: ProtectedTemplate, run: () => unknown, check: (e: unknown) => boolean, what: string): void {
  const before = snapshot(g, probe);
  let caught: unknown;
  try { run(); } catch (e) { caught = e; }
  assert.ok(caught !== undefined && check(caught), `${what}: ${String(caught)}`);
  assert.is(snapshot(g, probe), before, `${what}: gallery changed`);
}

const code = (c: string) => (e: unknown) => isTemplockError(e, c as never);
const isRange = (e: unknown) => e instanceof RangeError;
const isType = (e: unknown) => e instanceof TypeError;

test('bad input raises a typed error and leaves the gallery unchanged', async () => {
  await init();
  const params = GALLERY_PARAMS[1]!;
  const ref = referenceTemplate(params, rng);
  const n = ref.payload.length;
  const g = new Gallery(ref, { maxMemoryBytes: 1 << 20, scores: 'exact' });
  const probe = withPayload(ref, randomPayloads(ref, 1, rng));
  try {
    g.identify(probe);
    assert.unreachable();
  } catch (e) {
    assert.ok(isTemplockError(e, 'EMPTY_GALLERY'));
  }
  g.addPayloads(['x', 'y', 'z'], randomPayloads(ref, 3, rng));
  const t = withPayload(ref, randomPayloads(ref, 1, rng));
  const cases: [string, () => unknown, (e: unknown) => boolean][] = [
    ['duplicate id', () => g.add('y', t), code('DUPLICATE_ID')],
    ['duplicate id in a batch', () => g.addPayloads(['p', 'p'], randomPayloads(ref, 2, rng)), code('DUPLICATE_ID')],
    ['enrolled id in a batch', () => g.addPayloads(['q', 'x'], randomPayloads(ref, 2, rng)), code('DUPLICATE_ID')],
    ['batch of a wrong length', () => g.addPayloads(['q'], randomPayloads(ref, 2, rng)), isRange],
    ['batch with an index out of range', () => g.addPayloads(['q'], new Uint8Array(n).fill(9)), isRange],
    ['batch over the memory limit', () => g.addPayloads(Array.from({ length: 30000 }, (_, i) => `m${i}`), new Uint8Array(30000 * n)), code('CAPACITY_EXCEEDED')],
    ['other key', () => g.add('q', protect(rng.unitVector(params.dim), params, rng.bytes(32), ref.salt)), code('INCOMPATIBLE')],
    ['other salt', () => g.add('q', { ...t, salt: rng.bytes(16) }), code('INCOMPATIBLE')],
    ['other parameters', () => g.add('q', referenceTemplate(GALLERY_PARAMS[0]!, rng, ref.salt)), code('INCOMPATIBLE')],
    ['short payload', () => g.add('q', { ...t, payload: t.payload.subarray(1) }), isRange],
    ['empty id', () => g.add('', t), isRange],
    ['non-string id', () => g.add(3 as never, t), isType],
    ['update of an unknown id', () => g.update('nobody', t), code('NOT_FOUND')],
    ['update with another salt', () => g.update('x', { ...t, salt: rng.bytes(16) }), code('INCOMPATIBLE')],
    ['remove of an unknown id', () => g.remove('nobody'), code('NOT_FOUND')],
    ['k = 0', () => g.identify(probe, { k: 0 }), isRange],
    ['k over the maximum', () => g.identify(probe, { k: K_MAX + 1 }), isRange],
    ['threshold over 1', () => g.identify(probe, { threshold: 1.5 }), isRange],
    ['probe of another salt', () => g.identify({ ...probe, salt: rng.bytes(16) }), code('INCOMPATIBLE')],
    ['probe of another size', () => g.identify({ ...probe, payload: new Uint8Array(n + 1) }), isRange],
    ['one bad probe in a batch', () => g.identifyMany([probe, { ...probe, salt: rng.bytes(16) }]), code('INCOMPATIBLE')],
    ['verify of an unknown id', () => g.verify('nobody', probe, { threshold: 0.5 }), code('NOT_FOUND')],
  ];
  for (const [what, run, check] of cases) expectError(g, probe, run, check, what);
  assert.ok(g.capacity < 30000 && g.capacity > 3, `capacity ${g.capacity}`);
});

for (const backend of BACKENDS) {
  test(`${backend}: rows and views stay valid while the memory grows`, async () => {
    await init({ backend });
    const ref = referenceTemplate(GALLERY_PARAMS[1]!, rng);
    const g = new Gallery(ref, { scores: 'exact' });
    const first = randomPayloads(ref, 1, rng);
    g.add('first', withPayload(ref, first));
    const start = g.memoryBytes;
    for (let round = 0; round < 6; round++) {
      const count = 2000 * (round + 1);
      g.addPayloads(Array.from({ length: count }, (_, i) => `r${round}-${i}`), randomPayloads(ref, count, rng));
      assert.equal(g.identify(withPayload(ref, first), { k: 1 }), [{ id: 'first', rank: 1, score: 1 }]);
      assert.equal(g.verify('first', withPayload(ref, first), { threshold: 1 }), { match: true, score: 1 });
    }
    assert.ok(g.memoryBytes >= 4 * start, `grew from ${start} to ${g.memoryBytes}`);
    assert.ok(g.memoryBytes >= g.size * ref.payload.length);
  });
}

test.run();
