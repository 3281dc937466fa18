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
import { _projectorOf } from './weight-projector.js';
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

/** Scales x to unit length in place (a zero vector stays zero); returns it. */
export function _normalise(x: Float64Array): Float64Array {
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

/**
 * The inequalities c . x > 0 that a leaked payload imposes on the input, each c a signed
 * combination of weight rows scaled to unit length: for sign bit l, c = s_l W_l / |W_l|; for
 * IoM-GRP symbol j with leaked index a, one per loser t: c = (W_{j,a} - W_{j,t}) / |W_{j,a} - W_{j,t}|.
 * Constraints come in blocks of weight rows (an IoM-GRP group; 16 sign bits), so a block's dots
 * are one projection.
 */
interface Constraints {
  readonly count: number;
  readonly blocks: number;
  /** The weight rows [from, from + rows) of block b. */
  block(b: number): { from: number; rows: number };
  /** Per constraint: c . x = sign * (W[win] . x - W[lose] . x) * inv (lose -1: no second row). */
  readonly win: Int32Array;
  readonly lose: Int32Array;
  readonly sign: Float64Array;
  readonly inv: Float64Array;
  /** The first constraint of block b (its constraints: first(b) .. first(b + 1) - 1). */
  first(b: number): number;
}

function constraints(inst: _Instance, leaked: Uint8Array): Constraints {
  const p = inst.params, d = p.dim, W = inst.material as Int8Array;
  const rowNormSq = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < d; i++) { const v = W[a * d + i]! - (b < 0 ? 0 : W[b * d + i]!); s += v * v; }
    return s;
  };
  if (p.scheme === 'sign') {
    const count = p.bits, win = new Int32Array(count), lose = new Int32Array(count).fill(-1), sign = new Float64Array(count), inv = new Float64Array(count);
    for (let l = 0; l < count; l++) {
      win[l] = l;
      sign[l] = (leaked[l >> 3]! >> (l & 7)) & 1 ? 1 : -1;
      inv[l] = 1 / (Math.sqrt(rowNormSq(l, -1)) || 1);
    }
    const blocks = Math.ceil(count / 16);
    return { count, blocks, block: (b) => ({ from: b * 16, rows: Math.min(16, count - b * 16) }), win, lose, sign, inv, first: (b) => Math.min(count, b * 16) };
  }
  if (p.scheme !== 'iom-grp') throw new RangeError(`linear attack expected scheme sign or iom-grp, got ${p.scheme}`);
  const perGroup = p.q - 1, count = p.m * perGroup;
  const win = new Int32Array(count), lose = new Int32Array(count), sign = new Float64Array(count).fill(1), inv = new Float64Array(count);
  let r = 0;
  for (let j = 0; j < p.m; j++) {
    for (let t = 0; t < p.q; t++) {
      if (t === leaked[j]) continue;
      win[r] = j * p.q + leaked[j]!;
      lose[r] = j * p.q + t;
      inv[r] = 1 / (Math.sqrt(rowNormSq(win[r]!, lose[r]!)) || 1);
      r++;
    }
  }
  return { count, blocks: p.m, block: (b) => ({ from: b * p.q, rows: p.q }), win, lose, sign, inv, first: (b) => b * perGroup };
}

/**
 * Linear reconstruction: the sum of the constraint vectors, then `passes` perceptron passes adding
 * each violated constraint vector to the estimate (projections in float32: weight-projector.ts).
 */
export function linearInversion(inst: _Instance, leaked: Uint8Array, passes = 30): Float64Array {
  const d = inst.params.dim, W = inst.material as Int8Array;
  const C = constraints(inst, leaked), proj = _projectorOf(inst);
  const rows = W.length / d, coef = proj.coefficients(rows);
  coef.fill(0);
  for (let r = 0; r < C.count; r++) {
    coef[C.win[r]!] += C.sign[r]! * C.inv[r]!;
    if (C.lose[r]! >= 0) coef[C.lose[r]!] -= C.sign[r]! * C.inv[r]!;
  }
  const x = _normalise(Float64Array.from(proj.backproject(rows)));
  /** x += step * (constraint r's vector). */
  const add = (r: number, step: number) => {
    const a = C.win[r]! * d, b = C.lose[r]!, s = step * C.sign[r]! * C.inv[r]!;
    if (b < 0) for (let i = 0; i < d; i++) x[i]! += s * W[a + i]!;
    else for (let i = 0; i < d; i++) x[i]! += s * (W[a + i]! - W[b * d + i]!);
  };
  for (let pass = 0; pass < passes; pass++) {
    const rate = 0.5 / Math.sqrt(C.count) / (1 + pass);
    let violated = 0;
    proj.setX(x);
    for (let blk = 0; blk < C.blocks; blk++) {
      const { from, rows: n } = C.block(blk);
      let f = proj.project(from, n);
      for (let r = C.first(blk), end = C.first(blk + 1); r < end; r++) {
        const lose = C.lose[r]!;
        const dot = C.sign[r]! * (f[C.win[r]! - from]! - (lose < 0 ? 0 : f[lose - from]!)) * C.inv[r]!;
        if (dot > 0) continue;
        violated++;
        add(r, rate);
        proj.setX(x);
        f = proj.project(from, n);
      }
    }
    _normalise(x);
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
  /** Fitness of each candidate: its protected score against the leaked template (one batch). */
  const withFitness = (us: Float64Array[]) => {
    const canon = new Int16Array(us.length * d);
    us.forEach((u, k) => canon.set(_toCanonical(u), k * d));
    const T = _applyRows(inst, canon, Uint32Array.from({ length: us.length }, (_, k) => k));
    return us.map((u, k) => ({ u, f: score(T, k, leaked, 0) }));
  };
  const random = (): Float64Array => _normalise(Float64Array.from({ length: d }, () => rng.gauss()));
  let pop = withFitness(Array.from({ length: opts.population }, random));
  const generations = Math.max(1, Math.floor((opts.evaluations - opts.population) / (opts.population - opts.elites)));
  const pick = () => {
    let best = pop[rng.int(pop.length)]!;
    for (let k = 0; k < 2; k++) { const c = pop[rng.int(pop.length)]!; if (c.f > best.f) best = c; }
    return best;
  };
  for (let g = 0; g < generations; g++) {
    const sigma = Math.pow(0.05, g / Math.max(1, generations - 1)) / Math.sqrt(d);
    pop.sort((a, b) => b.f - a.f);
    const children: Float64Array[] = [];
    while (children.length < opts.population - opts.elites) {
      const a = pick(), b = pick(), alpha = rng.float();
      const u = new Float64Array(d);
      for (let i = 0; i < d; i++) u[i] = alpha * a.u[i]! + (1 - alpha) * b.u[i]! + (rng.float() < 0.2 ? sigma * rng.gauss() : 0);
      children.push(_normalise(u));
    }
    pop = [...pop.slice(0, opts.elites), ...withFitness(children)];
  }
  pop.sort((a, b) => b.f - a.f);
  return pop[0]!.u;
}
