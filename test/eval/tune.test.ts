// tune() (docs/EVALUATION.md "Tuning for another model"): on a small synthetic set, the centring
// strength is the one the documented rule picks from raw FNMRs measured here by separate
// evaluate() runs; the recommendation is the cheapest set whose sweep row meets every target and
// no cheaper set does; the same seed gives the same result; `templock evaluate --tune` writes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate, sweepGrid, tune, TUNE_CENTRING_TOLERANCE, TUNE_STRENGTHS } from '../../src/eval/index.js';
import { atFmr } from '../../src/eval/summary.js';
import { init } from '../../src/match/loader.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { syntheticSet, toCsv } from './_synthetic.js';

const set = syntheticSet({ dim: 64, identities: 400, perIdentity: 4, singletons: 200, noise: 0.1, seed: 'tune' });
const options = { scheme: 'sign' as const, seed: 3, impostorPairs: 20_000, attackTargets: 5 };

test('the strength follows the documented rule, the choice is the cheapest set meeting every target; deterministic', async () => {
  await init();
  const t = await tune(set, options);
  // Raw FNMR at FMR 1e-3, uncentred and at each strength, measured here without tune().
  const fnmr = async (s: number) => {
    // With a parameter set (the largest of the grid), as an ordinary run measures raw centred cosine.
    const r = await evaluate(set, { seed: 3, impostorPairs: 20_000, params: [sweepGrid('sign', 64)[3]!], scenarios: [], centringStrength: s });
    return { raw: atFmr(r.raw.normalApplication!, 1e-3).fnmr, centred: r.rawCentred.find((c) => c.centringStrength === s)?.normal };
  };
  const measured = [];
  for (const s of TUNE_STRENGTHS) measured.push({ strength: s, ...(await fnmr(s)) });
  const raw = measured[0]!.raw;
  assert.is(t.rawFnmr, raw);
  const allowed = measured.filter((m) => m.centred && atFmr(m.centred, 1e-3).fnmr <= raw + TUNE_CENTRING_TOLERANCE).map((m) => m.strength);
  assert.is(t.strength, allowed.length > 0 ? Math.max(...allowed) : TUNE_STRENGTHS[0]);
  // Every sweep row is listed with its own verdict, cheapest first; the choice is the first that meets every target.
  assert.is(t.sets.length, t.sweep.systems.length);
  for (const s of t.sets) assert.is(s.ok, t.sweep.systems.find((x) => x.label === s.label)!.targets!.ok, s.label);
  for (let i = 1; i < t.sets.length; i++) assert.ok(t.sets[i - 1]!.payloadBytes <= t.sets[i]!.payloadBytes);
  const first = t.sets.findIndex((s) => s.ok);
  assert.ok(first >= 0, 'this set has a parameter set meeting every target');
  assert.equal(t.choice, t.sets[first]);
  console.log(`  strength ${t.strength} (raw FNMR ${(raw * 100).toFixed(2)} %), choice ${t.choice?.label ?? 'none'} of ${t.sets.length}`);
  const again = await tune(set, options);
  assert.equal([again.strength, again.choice?.label, again.sets.map((s) => s.ok)], [t.strength, t.choice?.label, t.sets.map((s) => s.ok)]);
});

test('CLI: templock evaluate --tune writes tune.md and tune.json with the recommendation; one scheme is required', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'templock-tune-'));
  const csv = join(dir, 'set.csv');
  writeFileSync(csv, toCsv(set));
  const outs: string[] = [], errs: string[] = [];
  const io: Io = { out: (l) => outs.push(l), err: (l) => errs.push(l), progress: () => {} };
  assert.is(await main(['evaluate', csv, '--tune', '--scheme', 'sign', '--seed', '3', '--impostors', '20000', '--attack-targets', '5', '--out', join(dir, 'out')], io), 0, errs.join('\n'));
  const json = JSON.parse(readFileSync(join(dir, 'out', 'tune.json'), 'utf8'));
  const direct = await tune(set, options);
  assert.equal([json.strength, json.choice.label], [direct.strength, direct.choice!.label]);
  assert.ok(readFileSync(join(dir, 'out', 'tune.md'), 'utf8').includes(`Recommended: **${direct.choice!.label}**`));
  assert.is(await main(['evaluate', csv, '--tune'], io), 2);
  assert.is(await main(['evaluate', csv, '--tune', '--scheme', 'sign', '--scheme', 'iom-grp'], io), 2);
  rmSync(dir, { recursive: true, force: true });
});

test('a scheme is required; an unknown one is refused', async () => {
  try { await tune(set, { ...options, scheme: 'nope' as never }); assert.unreachable('an unknown scheme'); } catch (e) { assert.instance(e, RangeError); }
});

test.run();
