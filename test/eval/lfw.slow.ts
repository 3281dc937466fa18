// The evaluation on the real LFW embeddings (../shared/data/lfw-faceapi128): the counts of its
// README, the raw baseline, and what docs/EVALUATION.md states about the recommended defaults.
// Skips with a message when ../shared/data is absent. About 6 minutes on two cores.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init } from '../../src/match/index.js';
import { evaluate, readEmbeddings, type EvaluationResult } from '../../src/eval/index.js';
import { sharedPath } from '../_lib/shared.js';

const data = sharedPath('data/lfw-faceapi128', 'eval/lfw.slow');
let result: EvaluationResult | undefined;
if (data) {
  await init();
  result = await evaluate(readEmbeddings(data), { impostorPairs: 300_000, stolenPairs: 50_000, attackTargets: 20, attacks: 'cheapest' });
}
const sys = (scheme: string) => result!.systems.find((s) => s.params!.scheme === scheme)!;

test('counts of the data set README: rows, identities, genuine pairs, centring split', () => {
  if (!result) return;
  assert.is(result.dataset.rows, 13223);
  assert.is(result.dataset.identities, 5744);
  assert.is(result.dataset.evalIdentities, 1680);
  assert.is(result.dataset.fitRows, 4064);
  assert.is(result.protocol.genuinePairs, 242107);
});

test('raw cosine baseline close to the README (EER 1.53 %, FNMR 6.1 % at FMR 1e-3, on all rows)', () => {
  if (!result) return;
  const raw = result.raw.normalApplication!;
  assert.ok(Math.abs(raw.eer - 0.0153) < 0.002, `raw EER ${raw.eer}`);
  assert.ok(Math.abs(raw.atFmr[1]!.fnmr - 0.061) < 0.01, `raw FNMR ${raw.atFmr[1]!.fnmr}`);
  assert.ok(result.raw.unlinkability!.dSys > 0.9, 'unprotected embeddings are linkable');
});

test('every default: unlinkable (D<->sys <= 0.05) and renewable (FAR <= 1.5 x FMR)', () => {
  if (!result) return;
  for (const s of result.systems) {
    assert.ok(s.targets!.dSys!.ok, `${s.label} D<->sys ${s.unlinkability!.dSys}`);
    assert.ok(s.targets!.renewability!.ok, `${s.label} renewal FAR ${s.renewability!.acceptRate}`);
  }
});

test('sign projection default meets every accuracy target', () => {
  if (!result) return;
  assert.ok(sys('sign').targets!.ok, JSON.stringify(sys('sign').targets));
});

test('full disclosure inverts every scheme, IoM-URP included (the key must stay secret)', () => {
  if (!result) return;
  for (const scheme of ['sign', 'iom-grp', 'iom-urp']) {
    const a = sys(scheme).inversion![0]!;
    assert.is(a.attack, scheme === 'iom-urp' ? 'optimisation' : 'linear');
    assert.ok(a.rawOtherSamples > 0.5, `${scheme}: ${JSON.stringify(a)}`);
    assert.ok(a.rawOtherSamples > sys(scheme).inversionBaseline!.rawOtherSamples, `${scheme}: above the no-template baseline`);
  }
});

test('score feedback: exact scores reach every person, decisions alone few; the public mean is a wolf', () => {
  if (!result) return;
  for (const s of result.systems) {
    const f = s.scoreFeedback!;
    const by = (d: string) => f.attacks.find((a) => a.disclosure === d)!;
    assert.is(by('exact').acceptRate, 1, `${s.label} exact`);
    assert.ok(by('exact').queries.median! <= 404, `${s.label} median ${by('exact').queries.median}`);
    assert.ok(by('coarse').acceptRate >= 0.9, `${s.label} coarse ${by('coarse').acceptRate}`);
    assert.ok(by('none').acceptRate <= 0.3, `${s.label} decisions only ${by('none').acceptRate}`);
    assert.ok(f.baseline.acceptRate > 0.03, `${s.label} baseline ${f.baseline.acceptRate}`);
  }
  for (const scheme of ['sign', 'iom-grp']) {
    const exact = sys(scheme).scoreFeedback!.attacks.find((a) => a.disclosure === 'exact')!;
    assert.ok(exact.meanCosine > 0.85 && exact.renewedAcceptRate >= 0.6 && exact.otherKeyAcceptRate >= 0.6, `${scheme}: ${JSON.stringify({ ...exact, perTarget: undefined })}`);
  }
});

test.run();
