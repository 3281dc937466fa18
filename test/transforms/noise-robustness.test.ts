// Noise robustness: a perturbed capture (cosine 0.95 to the enrolled embedding) scores clearly
// above impostors for every scheme at its default parameters. "Clearly" is quantified on
// distributions computed here: over 200 subjects, the lowest genuine score exceeds the highest of
// the 19,900 impostor scores, and the genuine mean lies at least 8 impostor standard deviations
// above the impostor mean.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTemplates, protect } from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';
import { defaultsFor, mean, stdDev } from './_fixtures.js';

const SUBJECTS = 200;
const COSINE = 0.95;
const MIN_SEPARATION_SD = 8;
const dim = 128;
const rng = new Seeded('noise-robustness');
const key = rng.bytes(32);
const salt = rng.bytes(16);
const enrolled = Array.from({ length: SUBJECTS }, () => rng.unitVector(dim));
const probes = enrolled.map((x) => rng.perturbed(x, COSINE));

test('the perturbed probes have cosine 0.95 to their enrolment', () => {
  enrolled.forEach((x, i) => {
    const cos = x.reduce((a, v, j) => a + v * probes[i]![j]!, 0);
    assert.ok(Math.abs(cos - COSINE) < 1e-5, `subject ${i}: cosine ${cos}`);
  });
});

for (const params of defaultsFor(dim)) {
  test(`${params.scheme} ${JSON.stringify(params)}: genuine scores separate from impostor scores`, () => {
    const refs = enrolled.map((x) => protect(x, params, key, salt));
    const genuine = probes.map((y, i) => compareTemplates(refs[i]!, protect(y, params, key, salt)));
    const impostor: number[] = [];
    for (let i = 0; i < SUBJECTS; i++) for (let j = i + 1; j < SUBJECTS; j++) impostor.push(compareTemplates(refs[i]!, refs[j]!));
    const lowestGenuine = Math.min(...genuine), highestImpostor = Math.max(...impostor);
    const separation = (mean(genuine) - mean(impostor)) / stdDev(impostor);
    console.log(`  ${params.scheme}: genuine mean ${mean(genuine).toFixed(3)} min ${lowestGenuine.toFixed(3)}; ` +
      `impostor mean ${mean(impostor).toFixed(3)} sd ${stdDev(impostor).toFixed(4)} max ${highestImpostor.toFixed(3)}; ` +
      `separation ${separation.toFixed(1)} sd`);
    assert.ok(lowestGenuine > highestImpostor, `${params.scheme}: lowest genuine ${lowestGenuine} <= highest impostor ${highestImpostor}`);
    assert.ok(separation >= MIN_SEPARATION_SD, `${params.scheme}: separation ${separation.toFixed(1)} sd < ${MIN_SEPARATION_SD}`);
  });
}

test.run();
