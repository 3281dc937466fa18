// Inversion attacks under full disclosure (docs/EVALUATION.md "Irreversibility"): the attacker
// holds a template, the key and the salt, hence the transform's material, and reconstructs a
// unit vector in the centred embedding space. Two attacks here, a third in optimisation-attack.ts:
//   linear (sign, IoM-GRP): every payload symbol is a set of linear inequalities on the input
//     (sign: s_l <w_l, x> > 0; IoM-GRP: <w_{j,a_j} - w_{j,t}, x> >= 0). Start from the sum of the
//     normalised constraint vectors (the back-projection) and correct it with perceptron passes
//     over the violated inequalities;
//   genetic (any scheme, a similarity-based search in the manner of Dong et al., BTAS 2019):
//     a population of unit vectors evolves by tournament selection, blend crossover and Gaussian
//     mutation, the fitness being the protected score of a candidate against the leaked template.
import { CANONICAL_SCALE } from '../canonical.js';
import type { _Instance } from './batch.js';
import { _applyRows, _payloadScorer } from './batch.js';
import type { _EvalRng } from './rng.js';

export const ATTACK_NAMES = ['linear', 'optimisation', 'genetic'] as const;
export type AttackName = (typeof ATTACK_NAMES)[number];

/**
 * The attacks that apply to a scheme, cheapest first.
 * @example
 * import { attacksFor } from 'templock/eval';
 * attacksFor('iom-grp'); // ['linear', 'optimisation', 'genetic']
 */
export function attacksFor(scheme: _Instance['params']['scheme']): readonly AttackName[] {
  return scheme === 'iom-urp' ? ['optimisation', 'genetic'] : scheme === 'iom-grp' ? ['linear', 'optimisation', 'genetic'] : ['linear', 'optimisation'];
}

function normalise(x: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < x.length; i++) x[i]! /= n;
  return x;
}

/** Canonical int16 vector of a direction (scaled, rounded; the attack needs no exact rounding). */
export function _toCanonical(u: Float64Array): Int16Array {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * u[i]!;
  const n = Math.sqrt(s) || 1;
  return Int16Array.from(u, (v) => Math.round((v / n) * CANONICAL_SCALE));
}

/** The inequality rows c (c . x >= 0 must hold) that a leaked payload imposes on the input. */
function constraintRows(inst: _Instance, leaked: Uint8Array): { rows: Float64Array; count: number } {
  const p = inst.params, d = p.dim, W = inst.material as Int8Array;
  if (p.scheme === 'sign') {
    const rows = new Float64Array(p.bits * d);
    for (let l = 0; l < p.bits; l++) {
      const s = (leaked[l >> 3]! >> (l & 7)) & 1 ? 1 : -1;
      for (let i = 0; i < d; i++) rows[l * d + i] = s * W[l * d + i]!;
    }
    return { rows, count: p.bits };
  }
  if (p.scheme !== 'iom-grp') throw new RangeError(`linear attack expected scheme sign or iom-grp, got ${p.scheme}`);
  const count = p.m * (p.q - 1), rows = new Float64Array(count * d);
  let r = 0;
  for (let j = 0; j < p.m; j++) {
    const win = (j * p.q + leaked[j]!) * d;
    for (let t = 0; t < p.q; t++) {
      if (t === leaked[j]) continue;
      const lose = (j * p.q + t) * d;
      for (let i = 0; i < d; i++) rows[r * d + i] = W[win + i]! - W[lose + i]!;
      r++;
    }
  }
  return { rows, count };
}

/**
 * Linear reconstruction: back-projection of the constraint rows, then `passes` perceptron passes
 * adding each violated row (normalised) to the estimate.
 */
export function linearInversion(inst: _Instance, leaked: Uint8Array, passes = 30): Float64Array {
  const d = inst.params.dim;
  const { rows, count } = constraintRows(inst, leaked);
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += rows[r * d + i]! ** 2;
    const n = Math.sqrt(s) || 1;
    for (let i = 0; i < d; i++) rows[r * d + i]! /= n;
  }
  const x = new Float64Array(d);
  for (let r = 0; r < count; r++) for (let i = 0; i < d; i++) x[i]! += rows[r * d + i]!;
  normalise(x);
  for (let pass = 0; pass < passes; pass++) {
    const rate = 0.5 / Math.sqrt(count) / (1 + pass);
    let violated = 0;
    for (let r = 0; r < count; r++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += rows[r * d + i]! * x[i]!;
      if (dot > 0) continue;
      violated++;
      for (let i = 0; i < d; i++) x[i]! += rate * rows[r * d + i]!;
    }
    normalise(x);
    if (violated === 0) break;
  }
  return x;
}

/** Budget and shape of the genetic search. */
export interface GeneticOptions {
  /** Fitness evaluations (protections of a candidate), population included. */
  readonly evaluations: number;
  readonly population: number;
  readonly elites: number;
}

export const DEFAULT_GENETIC: GeneticOptions = { evaluations: 3000, population: 30, elites: 3 };

/**
 * Genetic search for an input whose protected template scores high against `leaked`.
 * Mutation strength falls geometrically from 1 to 0.05 (in units of 1/sqrt(dim) per coordinate).
 */
export function geneticInversion(inst: _Instance, leaked: Uint8Array, rng: _EvalRng, opts: GeneticOptions = DEFAULT_GENETIC): Float64Array {
  const p = inst.params, d = p.dim;
  const score = _payloadScorer(p);
  const fitness = (u: Float64Array): number => score(_applyRows(inst, _toCanonical(u), [0]), 0, leaked, 0);
  const random = (): Float64Array => normalise(Float64Array.from({ length: d }, () => rng.gauss()));
  let pop = Array.from({ length: opts.population }, () => { const u = random(); return { u, f: fitness(u) }; });
  const generations = Math.max(1, Math.floor((opts.evaluations - opts.population) / (opts.population - opts.elites)));
  const pick = () => {
    let best = pop[rng.int(pop.length)]!;
    for (let k = 0; k < 2; k++) { const c = pop[rng.int(pop.length)]!; if (c.f > best.f) best = c; }
    return best;
  };
  for (let g = 0; g < generations; g++) {
    const sigma = Math.pow(0.05, g / Math.max(1, generations - 1)) / Math.sqrt(d);
    pop.sort((a, b) => b.f - a.f);
    const next = pop.slice(0, opts.elites);
    while (next.length < opts.population) {
      const a = pick(), b = pick(), alpha = rng.float();
      const u = new Float64Array(d);
      for (let i = 0; i < d; i++) u[i] = alpha * a.u[i]! + (1 - alpha) * b.u[i]! + (rng.float() < 0.2 ? sigma * rng.gauss() : 0);
      normalise(u);
      next.push({ u, f: fitness(u) });
    }
    pop = next;
  }
  pop.sort((a, b) => b.f - a.f);
  return pop[0]!.u;
}
