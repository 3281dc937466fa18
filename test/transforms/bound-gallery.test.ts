// BoundGallery (1:N key release): for every probe its releases equal those of releaseKey tried
// against each template one by one (the oracle), on the calling thread and with worker threads;
// several salt epochs; removal; keys equal to the enrolment's; incompatible templates refused; a
// stranger releases nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BoundGallery, bindKey, releaseKey, TemplockError, type BoundTemplate, type FuzzyCommitmentParams } from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';

const rng = new Seeded('bound-gallery');
const params: FuzzyCommitmentParams = { scheme: 'fuzzy-commitment', dim: 64, m: 8, t: 18, r: 4 };
const appKey = rng.bytes(32);
const epochSalts = [rng.bytes(16), rng.bytes(24)];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');


const people = Array.from({ length: 60 }, (_, i) => {
  const x = rng.unitVector(params.dim);
  const { template, key } = bindKey(x, params, appKey, epochSalts[i % 2]!);
  return { id: `resident-${i}`, x, template, key };
});

/** What releaseKey, tried template by template, releases for `probe`. */
function oracle(probe: Float32Array, enrolled: ReadonlyArray<{ id: string; template: BoundTemplate }>): string[] {
  return enrolled.filter((p) => releaseKey(probe, p.template, appKey).accepted).map((p) => p.id).sort();
}

for (const threads of [1, 3]) {
  test(`${threads} thread(s): releases equal releaseKey over every template; keys equal the enrolment's`, async () => {
    const g = new BoundGallery({ key: appKey, threads });
    for (const p of people) g.add(p.id, p.template);
    assert.is(g.size, people.length);
    let released = 0;
    for (const [i, p] of people.entries()) {
      const probe = i % 3 === 0 ? p.x : rng.perturbed(p.x, i % 3 === 1 ? 0.95 : 0.6);
      const hits = await g.release(probe);
      assert.equal(hits.map((h) => h.id).sort(), oracle(probe, people), `probe ${i}`);
      for (const h of hits) assert.is(hex(h.key), hex(people.find((q) => q.id === h.id)!.key));
      if (hits.some((h) => h.id === p.id)) released++;
    }
    assert.ok(released >= 40, `most probes of enrolled residents release their own key (${released} of 60)`);
    const stranger = rng.unitVector(params.dim);
    assert.equal((await g.release(stranger)).map((h) => h.id), oracle(stranger, people));
    g.close();
  });

  test(`${threads} thread(s): removal, re-adding and adding after a release are seen by the next release`, async () => {
    const g = new BoundGallery({ key: appKey, threads });
    for (const p of people.slice(0, 20)) g.add(p.id, p.template);
    assert.equal((await g.release(people[4]!.x)).map((h) => h.id), ['resident-4']);
    assert.is(g.removeMany(['resident-4', 'resident-7', 'nobody']), 2);
    assert.equal(await g.release(people[4]!.x), []);
    assert.equal((await g.release(people[19]!.x)).map((h) => h.id), ['resident-19'], 'the row moved into a freed place still releases');
    // resident-18 (the last row of its epoch) moved into resident-4's place: removing it must find it there.
    assert.is(g.removeMany(['resident-18']), 1);
    assert.equal(await g.release(people[18]!.x), []);
    assert.equal((await g.release(people[16]!.x)).map((h) => h.id), ['resident-16']);
    g.add('resident-18', people[18]!.template);
    for (const p of people.slice(20, 30)) g.add(p.id, p.template);
    g.add('resident-4', people[4]!.template);
    assert.equal((await g.release(people[25]!.x)).map((h) => h.id), ['resident-25']);
    assert.equal((await g.release(people[4]!.x)).map((h) => h.id), ['resident-4']);
    assert.is(g.size, 29);
    g.close();
  });
}

test('templates of another key, mean or dimension are INCOMPATIBLE; duplicates and bad input refused', () => {
  const g = new BoundGallery({ key: appKey });
  g.add('a', people[0]!.template);
  const otherKey = bindKey(people[1]!.x, params, rng.bytes(32), epochSalts[0]!).template;
  const centred = bindKey(people[1]!.x, { ...params, mean: new Float32Array(64).fill(0.01) }, appKey, epochSalts[0]!).template;
  const wider = bindKey(rng.unitVector(128), { ...params, dim: 128 }, appKey, epochSalts[0]!).template;
  for (const [what, t] of [['key', otherKey], ['mean', centred], ['dimension', wider]] as const) {
    try { g.add('b', t); assert.unreachable(what); } catch (e) { assert.instance(e, TemplockError); assert.is((e as TemplockError).code, 'INCOMPATIBLE', what); }
  }
  try { g.add('a', people[2]!.template); assert.unreachable(); } catch (e) { assert.is((e as TemplockError).code, 'DUPLICATE_ID'); }
  assert.throws(() => g.add('', people[2]!.template), RangeError);
  assert.throws(() => g.add('c', { ...people[2]!.template, helper: new Uint8Array(3) }), RangeError);
  assert.throws(() => new BoundGallery({ key: new Uint8Array(5) }), RangeError);
  assert.throws(() => new BoundGallery({ key: appKey, threads: 0 }), RangeError);
  g.close();
  try { g.add('z', people[3]!.template); assert.unreachable(); } catch (e) { assert.is((e as TemplockError).code, 'BACKEND_UNAVAILABLE'); }
});

test('an empty gallery releases nothing; a probe of the wrong length is a RangeError', async () => {
  const g = new BoundGallery({ key: appKey });
  assert.equal(await g.release(new Float32Array(64).fill(0.1)), []);
  g.add('a', people[0]!.template);
  try { await g.release(new Float32Array(63)); assert.unreachable(); } catch (e) { assert.instance(e, RangeError); }
  g.close();
});

test.run();
