// The score-feedback attack: what the oracle discloses, that the climb on exact scores reaches
// an accept where decisions alone do not, the scenario in evaluate() and the CLI, seeded
// reproducibility and option validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransformParams } from '../../src/index.js';
import { _canonicalise } from '../../src/canonical.js';
import { evaluate, markdownReport, type EvaluateOptions } from '../../src/eval/index.js';
import { _applyRows, _instance, _payloadScorer } from '../../src/eval/batch.js';
import { _EvalRng } from '../../src/eval/rng.js';
import { _climb, _FeedbackOracle, DEFAULT_SCORE_FEEDBACK_SHAPE } from '../../src/eval/score-feedback.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { Seeded } from '../_lib/seeded.js';
import { syntheticSet, toCsv } from './_synthetic.js';

const dim = 32;
const params: TransformParams = { scheme: 'sign', dim, bits: 256 };
const inst = _instance(params, new Uint8Array(32).fill(5), new Uint8Array(16).fill(6));
const score = _payloadScorer(params);
const rng = new Seeded('score-feedback');
const targets = Array.from({ length: 4 }, () => rng.unitVector(dim));
const start = rng.unitVector(dim);
/** The enrolled payload of a target (no centring). */
const enrol = (x: Float32Array) => _applyRows(inst, _canonicalise(x), [0]);
/** A loose threshold: sign score 0.8 is an angle of 36 degrees (cosine 0.81). */
const loose = 0.8;

function climb(target: Float32Array, disclosure: 'none' | 'coarse' | 'exact', budget: number, seed = 1) {
  const oracle = new _FeedbackOracle(inst, undefined, enrol(target), 0, loose, disclosure, score);
  return _climb(oracle, start, 1, budget, new _EvalRng(seed, 'test'), DEFAULT_SCORE_FEEDBACK_SHAPE);
}

test('the oracle answers up to the first accept, with the decision, the coarse or the exact score', () => {
  const T = enrol(targets[0]!);
  const near = Float32Array.from(targets[0]!, (v, i) => v + 0.01 * Math.cos(i)), far = start;
  const exact = new _FeedbackOracle(inst, undefined, T, 0, loose, 'exact', score).present([far, near, far]);
  assert.is(exact.length, 2, 'stops at the first accept');
  assert.equal(exact.map((a) => a.accepted), [false, true]);
  const farScore = score(enrol(far), 0, T, 0);
  assert.is(exact[0]!.feedback, farScore);
  const coarse = new _FeedbackOracle(inst, undefined, T, 0, loose, 'coarse', score).present([far]);
  assert.is(coarse[0]!.feedback, Math.floor(farScore * 10) / 10);
  const none = new _FeedbackOracle(inst, undefined, T, 0, loose, 'none', score).present([far, far, near]);
  assert.equal(none.map((a) => a.feedback), [0, 0, 1]);
  // The centring vector itself is refused by protection: a rejection that tells nothing.
  const centring = targets[1]!;
  const refused = new _FeedbackOracle(inst, centring, T, 0, 0, 'exact', score).present([centring]);
  assert.equal(refused, [{ accepted: false, feedback: 0 }]);
});

test('exact scores climb to an accept within the budget; decisions alone reach none on the same targets', () => {
  const budget = 1500;
  for (const [k, t] of targets.entries()) {
    const e = climb(t, 'exact', budget);
    assert.ok(e.accepted, `target ${k}: exact scores reach an accept`);
    assert.ok(e.queries <= 1200, `target ${k}: ${e.queries} queries`);
    assert.ok(score(enrol(e.embedding), 0, enrol(t), 0) >= loose, 'the returned embedding is the accepted one');
    const n = climb(t, 'none', budget);
    assert.not.ok(n.accepted, `target ${k}: no accept from decisions alone`);
    assert.is(n.queries, budget, 'the whole budget is spent');
  }
  assert.ok(climb(targets[0]!, 'coarse', budget).accepted, 'coarse scores climb too');
});

test('the climb is reproducible from its seed, and the budget caps the queries', () => {
  const a = climb(targets[2]!, 'exact', 1500, 7), b = climb(targets[2]!, 'exact', 1500, 7), c = climb(targets[2]!, 'exact', 1500, 8);
  assert.equal([a.queries, [...a.embedding]], [b.queries, [...b.embedding]]);
  assert.not.equal([...a.embedding], [...c.embedding]);
  const short = climb(targets[2]!, 'exact', 37);
  assert.is(short.queries, 37);
  assert.not.ok(short.accepted);
});

const set = syntheticSet({ dim, identities: 24, perIdentity: 4, singletons: 70, noise: 0.12, seed: 'eval-e2e' });
const opts: EvaluateOptions = { params: [params], scenarios: ['score-feedback'], seed: 3, feedbackTargets: 5, feedbackQueries: 400, feedbackFmr: 1e-2 };

test('evaluate: the score-feedback scenario per disclosure, per person, with the baseline', async () => {
  const r = await evaluate(set, opts);
  const f = r.systems[0]!.scoreFeedback!;
  assert.equal(r.protocol.feedbackDisclosures, ['none', 'coarse', 'exact']);
  assert.is(r.protocol.feedbackFmr, 1e-2);
  assert.is(f.fmr, 1e-2);
  assert.ok(f.measurable);
  assert.is(f.queryBudget, 400);
  assert.is(f.baseline.templates, r.dataset.evalRows);
  assert.is(f.baseline.identities, r.dataset.evalIdentities);
  assert.equal(f.attacks.map((a) => a.disclosure), ['none', 'coarse', 'exact']);
  const [none, , exact] = f.attacks as [typeof f.attacks[0], typeof f.attacks[0], typeof f.attacks[0]];
  for (const a of f.attacks) {
    assert.is(a.targets, 5);
    assert.is(a.perTarget.length, 5);
    assert.equal(a.perTarget.map((t) => t.row), exact.perTarget.map((t) => t.row), 'the same persons under every disclosure');
    for (const t of a.perTarget) {
      assert.ok(t.queries === null || (t.queries >= 1 && t.queries <= 400));
      assert.is(t.otherPhotos, 3);
      assert.ok(t.otherPhotosAccepted >= 0 && t.otherPhotosAccepted <= 3);
      assert.ok(set.identities.includes(t.identity));
    }
    assert.is(a.acceptRate, a.perTarget.filter((t) => t.queries !== null).length / 5);
  }
  assert.is(exact.acceptRate, 1, JSON.stringify(exact.perTarget));
  assert.ok(exact.meanCosine > 0.6, `cosine ${exact.meanCosine}`);
  assert.ok(exact.queries.median! < 400);
  assert.ok(none.acceptRate < exact.acceptRate);
  assert.is(none.queries.median, null, 'most decision-only attacks run out of budget');
  const md = markdownReport(r);
  assert.ok(md.includes('## Score feedback (no key, salt or template)'));
  assert.ok(md.includes(`| sign bits=256 | ${exact.perTarget[0]!.identity} (${exact.perTarget[0]!.row}) |`), md);
  assert.ok(md.includes('> 400'), 'queries beyond the budget are shown as such');
});

test('evaluate: same seed, same figures; another seed, other persons', async () => {
  const a = (await evaluate(set, opts)).systems[0]!.scoreFeedback, b = (await evaluate(set, opts)).systems[0]!.scoreFeedback;
  assert.equal(a, b);
  const c = (await evaluate(set, { ...opts, seed: 4 })).systems[0]!.scoreFeedback!;
  assert.not.equal(c.attacks[0]!.perTarget.map((t) => t.row), a!.attacks[0]!.perTarget.map((t) => t.row));
});

test('evaluate: option validation', async () => {
  const bad: [Partial<EvaluateOptions>, RegExp, typeof Error][] = [
    [{ feedbackTargets: 0 }, /"feedbackTargets" expected a positive integer, got 0/, RangeError],
    [{ feedbackQueries: 2.5 }, /"feedbackQueries" expected a positive integer, got 2.5/, RangeError],
    [{ feedbackQueries: '100' as unknown as number }, /"feedbackQueries" expected number, got string/, TypeError],
    [{ feedbackDisclosures: [] }, /"feedbackDisclosures" expected a non-empty list from none, coarse, exact/, RangeError],
    [{ feedbackDisclosures: ['all' as 'none'] }, /"feedbackDisclosures" expected/, RangeError],
    [{ feedbackFmr: 0.05 }, /"feedbackFmr" expected one of 0.01, 0.001, 0.0001, got 0.05/, RangeError],
  ];
  for (const [o, message, type] of bad) {
    try { await evaluate(set, { ...opts, ...o }); assert.unreachable(JSON.stringify(o)); } catch (e) {
      assert.instance(e, type, String(e));
      assert.match((e as Error).message, message);
    }
  }
});

function capture(): Io & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), progress: () => undefined };
}

test('CLI: --scenarios score-feedback with its options, in the JSON; bad options are usage errors (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'templock-feedback-'));
  const csv = join(dir, 'set.csv');
  writeFileSync(csv, toCsv(set));
  const io = capture();
  const args = ['evaluate', csv, '--params', '{"scheme":"sign","bits":256}', '--scenarios', 'score-feedback', '--seed', '3', '--impostors', '2000'];
  assert.is(await main([...args, '--feedback-targets', '2', '--feedback-queries', '150', '--feedback-disclosures', 'exact,none', '--feedback-fmr', '0.01', '--out', join(dir, 'out')], io), 0, io.errs.join('\n'));
  const json = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8'));
  assert.equal([json.protocol.feedbackTargets, json.protocol.feedbackQueries, json.protocol.feedbackDisclosures, json.protocol.feedbackFmr], [2, 150, ['exact', 'none'], 0.01]);
  assert.equal(json.systems[0].scoreFeedback.attacks.map((a: { disclosure: string; targets: number }) => [a.disclosure, a.targets]), [['exact', 2], ['none', 2]]);
  assert.ok(readFileSync(join(dir, 'out', 'report.md'), 'utf8').includes('--feedback-disclosures exact,none'));
  for (const [flag, value, message] of [
    ['--feedback-fmr', '0.5', /"--feedback-fmr" expected one of 0.01, 0.001, 0.0001, got 0.5/],
    ['--feedback-disclosures', 'scores', /"--feedback-disclosures" expected one of none, coarse, exact, got scores/],
    ['--feedback-queries', '0', /"--feedback-queries" expected an integer >= 1, got 0/],
  ] as const) {
    const bad = capture();
    assert.is(await main([...args, flag, value], bad), 2, 'a usage error');
    assert.match(bad.errs.join('\n'), message);
  }
});

test.run();
