// A small synthetic evaluation end to end: batch protection equals protect(), every scenario runs
// and behaves as it must, the CLI writes the report, JSON and SVG plots.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTemplates, protect, type TransformParams } from '../../src/index.js';
import { DEFAULT_CENTRING_STRENGTH } from '../../src/transforms/defaults.js';
import { centringSplit, evaluate, markdownReport, detSvg, scoreSvgs, sweepGrid, genuinePairs, impostorPairs, impostorPairTotal, type EvaluationResult } from '../../src/eval/index.js';
import { _applyRows, _canonicalRows, _instance, _payloadScorer } from '../../src/eval/batch.js';
import { main } from '../../src/cli/main.js';
import { init } from '../../src/match/index.js';
import type { Io } from '../../src/cli/command.js';
import { syntheticSet, toCsv } from './_synthetic.js';

const dim = 32;
const set = syntheticSet({ dim, identities: 24, perIdentity: 4, singletons: 70, noise: 0.12, seed: 'eval-e2e' });
const small: TransformParams[] = [
  { scheme: 'sign', dim, bits: 256 },
  { scheme: 'iom-urp', dim, m: 128, k: 8, p: 2 },
  { scheme: 'iom-grp', dim, m: 128, q: 8 },
];

test('batch protection gives exactly the payload of protect() (partial groups of four included)', () => {
  const split = centringSplit(set, 'singletons', 1);
  const canon = _canonicalRows(set.vectors, dim, split.mean);
  const key = new Uint8Array(32).fill(7), salt = new Uint8Array(16).fill(9);
  const rows = [0, 5, 6, 11, 17, 30, 31];
  for (const p of small) {
    const out = _applyRows(_instance(p, key, salt), canon, rows);
    rows.forEach((r, k) => {
      const t = protect(set.vectors.subarray(r * dim, (r + 1) * dim), { ...p, mean: split.mean! }, key, salt);
      assert.equal([...out.subarray(k * t.payload.length, (k + 1) * t.payload.length)], [...t.payload], `${p.scheme} row ${r}`);
    });
  }
});

test('the batch scorer equals compareTemplates() (word-wise and byte-wise payload lengths)', () => {
  const split = centringSplit(set, 'singletons', 1);
  const canon = _canonicalRows(set.vectors, dim, split.mean);
  const key = new Uint8Array(32).fill(1), salt = new Uint8Array(16).fill(2);
  const rows = [0, 1, 2, 3, 4, 40, 41];
  for (const p of [...small, { scheme: 'iom-grp', dim, m: 18, q: 4 } as TransformParams]) {
    const T = _applyRows(_instance(p, key, salt), canon, rows);
    const templates = rows.map((r) => protect(set.vectors.subarray(r * dim, (r + 1) * dim), { ...p, mean: split.mean! }, key, salt));
    const score = _payloadScorer(p);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < rows.length; j++)
      assert.is(score(T, i, T, j), compareTemplates(templates[i]!, templates[j]!), `${p.scheme} ${i} ${j}`);
  }
});

test('pairs: all genuine pairs, impostors exhaustive when few, seeded sample otherwise', () => {
  const labels = set.labels.subarray(0, 96);
  assert.is(genuinePairs(labels).a.length, 24 * 6);
  const total = impostorPairTotal(labels);
  assert.is(total, (96 * 95) / 2 - 24 * 6);
  const all = impostorPairs(labels, total, 1);
  assert.ok(all.exhaustive); assert.is(all.a.length, total);
  const s1 = impostorPairs(labels, 500, 3), s2 = impostorPairs(labels, 500, 3), s3 = impostorPairs(labels, 500, 4);
  assert.not.ok(s1.exhaustive);
  assert.equal([...s1.a], [...s2.a], 'same seed, same sample');
  assert.not.equal([...s1.a], [...s3.a], 'another seed, another sample');
  for (let k = 0; k < 500; k++) assert.ok(labels[s1.a[k]!] !== labels[s1.b[k]!]);
});

const result = await evaluate(set, { params: small, centringStrength: 1, seed: 5, stolenPairs: 240, attackTargets: 6, geneticEvaluations: 400, feedbackTargets: 3, feedbackQueries: 300 });

test('the same figures on one thread and on three worker threads (only the timings differ)', async () => {
  const opts = { params: small, centringStrength: 1, seed: 5, stolenPairs: 240, attackTargets: 6, geneticEvaluations: 400, feedbackTargets: 3, feedbackQueries: 300 };
  const figures = (r: EvaluationResult) => JSON.stringify(r, (k, v) => (k === 'seconds' || k === 'scenarioSeconds' ? undefined : v));
  const one = await evaluate(set, { ...opts, threads: 1 }), three = await evaluate(set, { ...opts, threads: 3 });
  assert.is(figures(three), figures(one));
  assert.is(figures(one), figures(result), 'the default (every core) gives them too');
  assert.ok(one.systems.every((s) => s.inversion!.length > 0 && s.stolenToken !== undefined));
});

test('protocol: singletons fit the mean, multi-sample identities are evaluated, counts reported', () => {
  assert.is(result.protocol.centring, 'singletons');
  assert.is(result.dataset.evalRows, 96);
  assert.is(result.dataset.fitRows, 70);
  assert.is(result.protocol.genuinePairs, 144);
  assert.ok(result.protocol.impostorPairsExhaustive);
  assert.is(result.systems.length, 3);
});

test('centring protocols none and split: no centring at all, or a seeded quarter of the identities fits the mean', async () => {
  const opts = { params: [small[0]!], scenarios: ['inversion'] as const, attackTargets: 3 };
  const none = await evaluate(set, { ...opts, centring: 'none' });
  assert.is(none.dataset.fitRows, 0);
  assert.is(none.systems[0]!.centringStrength, 0);
  assert.equal(none.rawCentred.map((c) => c.centringStrength), [0]);
  assert.ok(none.systems[0]!.inversion![0]!.meanCosine > 0.8);
  const split = await evaluate(set, { ...opts, centring: 'split' });
  assert.is(split.dataset.fitIdentities, 6);
  assert.is(split.dataset.fitRows, 24);
  assert.is(split.dataset.evalRows, 72);
  assert.is(split.systems[0]!.centringStrength, DEFAULT_CENTRING_STRENGTH.sign);
});

test('raw baseline separates the synthetic identities and is fully linkable', () => {
  const raw = result.raw.normalApplication!;
  assert.ok(raw.eer < 0.02, `raw EER ${raw.eer}`);
  assert.ok(result.raw.unlinkability!.dSys > 0.8, `raw D<->sys ${result.raw.unlinkability!.dSys}`);
});

test('every scheme: accurate when normal, unlinkable across keys, renewable', () => {
  for (const s of result.systems) {
    assert.ok(s.normalApplication!.eer < 0.05, `${s.label} EER ${s.normalApplication!.eer}`);
    assert.is(s.instances!.length, 3);
    assert.ok(s.unlinkability!.dSys < 0.3, `${s.label} D<->sys ${s.unlinkability!.dSys}`);
    assert.ok(s.renewability!.acceptRate <= 0.02, `${s.label} renewal FAR ${s.renewability!.acceptRate}`);
    assert.ok(s.normalSubject!.impostor.mean < s.normalApplication!.genuine.mean);
    assert.is(s.stolenToken!.impostorCount, 240);
    assert.equal(s.stolenToken!.impostorCount, result.raw.stolenToken!.impostorCount, 'the raw figure is measured on the same impostors');
    assert.ok(s.targets !== undefined);
    assert.is(s.scoreFeedback!.baseline.acceptRate, 0, 'at centring strength 1 the public mean is the centring vector, which protection refuses');
    assert.equal(s.scoreFeedback!.attacks.map((a) => a.targets), [3, 3, 3]);
  }
});

test('inversion under full disclosure: the linear attack reconstructs sign and IoM-GRP inputs', () => {
  const sign = result.systems[0]!.inversion!, grp = result.systems[2]!.inversion!;
  assert.equal(sign.map((a) => a.attack), ['linear', 'optimisation']);
  assert.equal(grp.map((a) => a.attack), ['linear', 'optimisation', 'genetic']);
  assert.equal(result.systems[1]!.inversion!.map((a) => a.attack), ['optimisation', 'genetic']);
  for (const a of [sign[0]!, grp[0]!]) {
    assert.ok(a.meanCosine > 0.8, `${a.attack} mean cosine ${a.meanCosine}`);
    assert.ok(a.rawSameSample >= 0.8 && a.protectedSameSample >= 0.8, JSON.stringify(a));
  }
  const genetic = grp[2]!;
  assert.ok(genetic.meanCosine > 0.2, `genetic search moves toward the target: ${genetic.meanCosine}`);
});

test('inversion: the known-material optimisation attack reconstructs every scheme, IoM-URP included', () => {
  for (const s of result.systems) {
    const a = s.inversion!.find((x) => x.attack === 'optimisation')!;
    // IoM-URP with p = 2 cannot tell x from -x (products of two coordinates): fully centred, with
    // no public point to start from, the reconstruction is the target or its opposite.
    if (s.params!.scheme !== 'iom-urp') assert.ok(a.meanCosine > 0.9, `${s.label}: mean cosine ${a.meanCosine}`);
    assert.ok(a.meanLeakedScore > 0.9, `${s.label}: leaked symbols reproduced ${a.meanLeakedScore}`);
    assert.ok(a.protectedSameSample >= 0.8, `${s.label}: ${JSON.stringify(a)}`);
    if (s.params!.scheme !== 'iom-urp') assert.ok(a.rawSameSample >= 0.8, `${s.label}: ${JSON.stringify(a)}`);
    for (const k of ['rawOtherSamplesPerPerson', 'protectedOtherSamplesPerPerson', 'renewedOtherSamplesPerPerson'] as const)
      assert.ok(a[k] >= 0 && a[k] <= 1, `${s.label} ${k}`);
  }
});

test('inversion: a no-template baseline (the public mean presented) beside the attacks, on the same targets', async () => {
  // Fully centred, the public mean maps to the zero vector: nothing can be presented.
  for (const s of result.systems) {
    const b = s.inversionBaseline!;
    assert.is(b.targets, 6);
    assert.equal([b.rawSameSample, b.rawOtherSamples, b.protectedSameSample, b.protectedOtherSamples], [0, 0, 0, 0]);
  }
  // Partly centred (strength 0.25), the mean is a point the attacker can present; it is scored
  // against the same targets as the attacks, and the attacks beat it.
  const partial = await evaluate(set, { params: [small[0]!], scenarios: ['inversion'], attackTargets: 6, centring: 'split', attacks: ['optimisation'] });
  const sys = partial.systems[0]!, b = sys.inversionBaseline!, a = sys.inversion![0]!;
  assert.is(sys.centringStrength, DEFAULT_CENTRING_STRENGTH.sign);
  assert.is(b.targets, a.targets);
  for (const v of Object.values(b)) assert.ok(Number.isFinite(v) && v >= 0);
  assert.ok(a.protectedSameSample > b.protectedSameSample, `attack ${a.protectedSameSample} vs baseline ${b.protectedSameSample}`);
});

test('report, DET and score plots', () => {
  const md = markdownReport(result, 'templock evaluate x');
  for (const h of ['## Accuracy', '## Renewability', '## Unlinkability', '## Irreversibility', '## Score feedback', '## Targets', 'stolen token', 'per-subject secrets'])
    assert.ok(md.includes(h), h);
  const det = detSvg(result);
  assert.ok(det.startsWith('<svg') && det.trimEnd().endsWith('</svg>'));
  // raw cosine: normal and on the stolen-token impostors; each scheme: normal and stolen token.
  assert.is((det.match(/<polyline/g) ?? []).length, 2 + 3 * 2);
  assert.ok(md.includes('stolen-token impostors'), 'the raw figure under the stolen-token sampling');
  assert.equal(Object.keys(scoreSvgs(result.systems[0]!)), ['normal', 'renewability', 'unlinkability']);
});

test('sweep grid scales with dim', () => {
  assert.equal(sweepGrid('sign', 128).map((p) => (p as { bits: number }).bits), [1024, 2048, 4096, 8192]);
  assert.equal(sweepGrid('iom-grp', 4096).map((p) => (p as { m: number }).m), [512, 512, 1024, 1024, 2048]);
  assert.ok(sweepGrid('iom-grp', 512).every((p) => p.dim === 512));
});

test('with the templock/match kernels initialised, batch protection is unchanged', async () => {
  const split = centringSplit(set, 'singletons', 1);
  const canon = _canonicalRows(set.vectors, dim, split.mean);
  const key = new Uint8Array(32).fill(3), salt = new Uint8Array(16).fill(4);
  const rows = Array.from({ length: 41 }, (_, i) => i);
  const js = small.map((p) => _applyRows(_instance(p, key, salt), canon, rows));
  await init();
  small.forEach((p, i) => assert.equal([...(_applyRows(_instance(p, key, salt), canon, rows))], [...js[i]!], p.scheme));
});

function capture(): Io & { outs: string[]; errs: string[] } {
  const outs: string[] = [], errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), progress: () => undefined };
}

test('CLI: templock evaluate on a CSV writes report.md, result.json and SVG plots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'templock-eval-'));
  const csv = join(dir, 'set.csv');
  writeFileSync(csv, toCsv(set));
  const io = capture();
  const code = await main(['evaluate', csv, '--params', '{"scheme":"sign","bits":128}', '--params', '{"scheme":"iom-urp","m":64,"k":8,"p":2}',
    '--scenarios', 'renewability,unlinkability', '--impostors', '1500', '--out', join(dir, 'out')], io);
  assert.is(code, 0, io.errs.join('\n'));
  const files = readdirSync(join(dir, 'out'));
  for (const f of ['report.md', 'result.json', 'det.svg']) assert.ok(files.includes(f), f);
  assert.ok(files.some((f) => f.startsWith('scores-sign-bits-128') && f.endsWith('-unlinkability.svg')), files.join(' '));
  const json = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8'));
  assert.is(json.dataset.name, 'set');
  assert.is(json.protocol.impostorPairs, 1500);
  assert.equal(json.systems.map((s: { label: string }) => s.label), ['sign bits=128', 'iom-urp m=64 k=8 p=2']);
  assert.ok(readFileSync(join(dir, 'out', 'report.md'), 'utf8').includes("--params '{\"scheme\":\"sign\",\"bits\":128}'"));
  // Time per system and scenario, in the JSON and the report.
  for (const sys of json.systems) assert.equal(Object.keys(sys.scenarioSeconds), ['normal', 'renewability', 'unlinkability']);
  assert.ok(json.systems.every((sys: { seconds: number; scenarioSeconds: Record<string, number> }) => Object.values(sys.scenarioSeconds).reduce((a, b) => a + b, 0) <= sys.seconds + 1e-6));
  assert.match(readFileSync(join(dir, 'out', 'report.md'), 'utf8'), /## Time\n\n\| system \| normal \| renewability \| unlinkability \| total \|/);
  assert.ok(io.outs.join('\n').includes(`| sign bits=128, centred x ${DEFAULT_CENTRING_STRENGTH.sign} |`), io.outs.join('\n'));
  assert.equal(json.systems.map((s: { centringStrength: number }) => s.centringStrength), [DEFAULT_CENTRING_STRENGTH.sign, DEFAULT_CENTRING_STRENGTH['iom-urp']]);
  assert.equal(json.rawCentred.map((c: { centringStrength: number }) => c.centringStrength), [...new Set([DEFAULT_CENTRING_STRENGTH.sign, DEFAULT_CENTRING_STRENGTH['iom-urp']])]);
});

test('CLI: --json on stdout; a bad option or a missing file is exit 2 with a message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'templock-eval-'));
  const csv = join(dir, 'set.csv');
  writeFileSync(csv, toCsv(set));
  const io = capture();
  assert.is(await main(['evaluate', csv, '--params', '{"scheme":"sign","bits":64}', '--scenarios', 'renewability', '--json'], io), 0);
  assert.is(JSON.parse(io.outs.join('')).systems[0].label, 'sign bits=64');
  const bad = capture();
  assert.is(await main(['evaluate', csv, '--scenarios', 'nope'], bad), 2);
  assert.match(bad.errs.join('\n'), /--scenarios" expected one of/);
  const threads = (n: string) => { const c = capture(); return main(['evaluate', csv, '--params', '{"scheme":"sign","bits":64}', '--scenarios', 'stolen-token,inversion', '--attack-targets', '3', '--threads', n, '--json'], c).then((code) => ({ code, c })); };
  const [one, two] = [await threads('1'), await threads('2')];
  assert.is(one.code, 0);
  const figures = (c: ReturnType<typeof capture>) => JSON.stringify(JSON.parse(c.outs.join('')), (k, v) => (k === 'seconds' || k === 'scenarioSeconds' ? undefined : v));
  assert.is(figures(two.c), figures(one.c), '--threads changes no figure');
  const zero = await threads('0');
  assert.is(zero.code, 2);
  assert.match(zero.c.errs.join('\n'), /threads/);
  const none = capture();
  assert.is(await main(['evaluate', join(dir, 'absent.csv')], none), 2);
  assert.not.ok(existsSync(join(dir, 'out')));
});

test.run();
