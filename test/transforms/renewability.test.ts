// Renewability (ISO/IEC 24745): the same embedding protected under two salts scores like two
// different people. Over 1,000 seeded random unit vectors, the mean cross-salt score lies within
// 0.02 of the mean impostor score, for every scheme at its default parameters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTemplates, protect } from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';
import { defaultsFor, mean } from './_fixtures.js';

const SUBJECTS = 1000;
const TOLERANCE = 0.02;
/** The smallest supported dimension keeps 2,000 transforms at the (large) default parameters fast. */
const dim = 32;
const rng = new Seeded('renewability');
const key = rng.bytes(32);
const saltA = rng.bytes(16);
const saltB = rng.bytes(16);
const people = Array.from({ length: SUBJECTS }, () => rng.unitVector(dim));

for (const params of defaultsFor(dim)) {
  test(`${params.scheme} ${JSON.stringify(params)}: cross-salt scores look like impostor scores`, () => {
    const underA = people.map((x) => protect(x, params, key, saltA));
    const underB = people.map((x) => protect(x, params, key, saltB));
    const crossSalt = underA.map((t, i) => compareTemplates(t, underB[i]!));
    const impostor = underA.map((t, i) => compareTemplates(t, underA[(i + 1) % SUBJECTS]!));
    const gap = Math.abs(mean(crossSalt) - mean(impostor));
    console.log(`  ${params.scheme}: mean cross-salt ${mean(crossSalt).toFixed(4)}, mean impostor ${mean(impostor).toFixed(4)}`);
    assert.ok(gap <= TOLERANCE, `${params.scheme}: |cross-salt - impostor| = ${gap.toFixed(4)} > ${TOLERANCE}`);
  });
}

test.run();
