// Key-binding evaluation (docs/EVALUATION.md "Key binding"): the FMR and FNMR it derives from
// codeword error counts equal the acceptance rates of bindKey / releaseKey on the same pairs,
// the trade-off curve is monotone, the chosen t is the largest with FMR <= 1e-3, the XOR attack
// links two enrolments under one salt but not across salts or keys, the spectral attack inverts
// helper data once the application key is known (checked against releaseKey itself), and the
// CLI writes the report.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { centringSplit, evaluateKeyBinding, genuinePairs, impostorPairs } from '../../src/eval/index.js';
import { spectralInversion } from '../../src/eval/key-binding.js';
import { _helperBits, _withProjections, checkBindingParams } from '../../src/transforms/fuzzy-commitment.js';
import { _evalSecret } from '../../src/eval/rng.js';
import { bindKey, releaseKey } from '../../src/index.js';
import { syntheticSet, toCsv } from './_synthetic.js';

const set = syntheticSet({ dim: 48, identities: 24, perIdentity: 3, singletons: 120, noise: 0.09, seed: 'key-binding-eval' });
const options = { m: 7, r: 4, impostorPairs: 300, seed: 3 } as const;
const result = evaluateKeyBinding(set, options);

test('FMR and FNMR at every t are the acceptance rates of releaseKey on the same pairs', () => {
  const split = centringSplit(set, 'auto', options.seed, false);
  const mean = split.mean!.map((v) => v * result.centringStrength);
  const labels = Int32Array.from(split.evalRows, (r) => set.labels[r]!);
  const row = (k: number) => set.vectors.subarray(split.evalRows[k]! * set.dim, (split.evalRows[k]! + 1) * set.dim);
  const G = genuinePairs(labels), I = impostorPairs(labels, options.impostorPairs, options.seed);
  const key = _evalSecret(options.seed, 'application-key', 0, 32), salt = _evalSecret(options.seed, 'salt', 1, 16);
  for (const point of [result.chosen, result.curve[2]!, result.curve[result.curve.length - 1]!]) {
    const params = { scheme: 'fuzzy-commitment', dim: set.dim, m: options.m, t: point.t, r: options.r, mean } as const;
    const enrolled = new Map<number, ReturnType<typeof bindKey>['template']>();
    const templateOf = (k: number) => enrolled.get(k) ?? enrolled.set(k, bindKey(row(k), params, key, salt).template).get(k)!;
    let accepted = 0;
    for (let k = 0; k < G.a.length; k++) if (releaseKey(row(G.b[k]!), templateOf(G.a[k]!), key, mean).accepted) accepted++;
    assert.is(1 - accepted / G.a.length, point.fnmr, `FNMR at t = ${point.t}`);
    let false_ = 0;
    for (let k = 0; k < I.a.length; k++) if (releaseKey(row(I.b[k]!), templateOf(I.a[k]!), key, mean).accepted) false_++;
    assert.is(false_ / I.a.length, point.fmr, `FMR at t = ${point.t}`);
  }
});

test('the trade-off curve is monotone and the chosen t is the largest with FMR <= 1e-3', () => {
  for (let i = 1; i < result.curve.length; i++) {
    assert.ok(result.curve[i]!.fmr >= result.curve[i - 1]!.fmr);
    assert.ok(result.curve[i]!.fnmr <= result.curve[i - 1]!.fnmr);
    assert.ok(result.curve[i]!.k <= result.curve[i - 1]!.k);
  }
  assert.ok(result.curve.every((p) => p.k >= 32));
  assert.ok(result.chosen.fmr <= 1e-3);
  const next = result.curve.find((p) => p.t === result.chosen.t + 1);
  if (next) assert.ok(next.fmr > 1e-3);
});

test('the XOR attack links enrolments under one salt, not across salts or keys', () => {
  assert.ok(result.xorAttack.sameSaltMated > 0.2, `same salt: ${result.xorAttack.sameSaltMated}`);
  assert.is(result.xorAttack.sameSaltNonMated, 0);
  assert.is(result.xorAttack.newSaltMated, 0);
  assert.is(result.xorAttack.otherKeyMated, 0);
  assert.ok(result.unlinkability.dSys < result.unlinkability.dSysFloor + 0.1, `D<->sys ${result.unlinkability.dSys}`);
  assert.ok(result.entropy.codewordDegreesOfFreedom > 0 && result.entropy.measuredBits > 0);
});

test('inversion with the application key known: the spectral attack recovers the face and releases the bound key', () => {
  const inv = result.inversion;
  assert.ok(inv.targets > 5);
  assert.ok(inv.meanAbsCosine > 0.8, `|cosine| ${inv.meanAbsCosine}`);
  assert.ok(inv.released > 0.5, `released ${inv.released}`);
  // The same attack through the public API: bindKey's helper data in, releaseKey's answer out.
  const p = checkBindingParams({ scheme: 'fuzzy-commitment', dim: set.dim, m: 7, t: 10, r: 4 });
  const key = _evalSecret(9, 'kb-attack-key', 0, 32), salt = _evalSecret(9, 'kb-attack-salt', 0, 16);
  const L = _helperBits(p), d = p.dim, n = (1 << p.m) - 1;
  const W = new Float64Array(L * d);
  let slot = new Uint16Array(0);
  for (let i = 0; i < d; i++) {
    const e = new Int16Array(d);
    e[i] = 1;
    _withProjections(e, p, key, salt, (pr, s) => { for (let l = 0; l < L; l++) W[l * d + i] = pr[l]!; slot = Uint16Array.from(s); });
  }
  const cols = new Uint16Array(L), fill = new Int32Array(n);
  for (let l = 0; l < L; l++) cols[slot[l]! * p.r + fill[slot[l]!]!++] = l;
  let released = 0;
  const rows = [0, 5, 10, 15, 20, 25];
  for (const row of rows) {
    const x = set.vectors.subarray(row * d, (row + 1) * d);
    const { template } = bindKey(x, p, key, salt);
    const helper = Uint8Array.from({ length: L }, (_, l) => (template.helper[l >> 3]! >> (l & 7)) & 1);
    const u = spectralInversion(W, cols, helper, n, p.r, d);
    if ([1, -1].some((sg) => releaseKey(Float32Array.from(u, (v) => sg * v), template, key).accepted)) released++;
  }
  assert.ok(released >= rows.length - 1, `releaseKey accepted ${released} of ${rows.length} reconstructions`);
});

test('CLI: templock evaluate --scheme fuzzy-commitment writes key-binding.md and key-binding.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'templock-kb-'));
  const csv = join(dir, 'set.csv');
  writeFileSync(csv, toCsv(set));
  const outs: string[] = [], errs: string[] = [];
  const io: Io = { out: (l) => outs.push(l), err: (l) => errs.push(l), progress: () => undefined };
  const code = await main(['evaluate', csv, '--scheme', 'fuzzy-commitment', '--binding-m', '7', '--binding-r', '4', '--impostors', '300', '--seed', '3', '--out', join(dir, 'out')], io);
  assert.is(code, 0, errs.join('\n'));
  assert.equal(readdirSync(join(dir, 'out')).sort(), ['key-binding.json', 'key-binding.md']);
  const json = JSON.parse(readFileSync(join(dir, 'out', 'key-binding.json'), 'utf8'));
  assert.equal(json.chosen, result.chosen);
  assert.ok(outs.join('\n').includes('| key binding, t = '), outs.join('\n'));
});

test.run();
