// Known-material optimisation attack (docs/EVALUATION.md "Irreversibility"): under full
// disclosure the attacker holds the transform's material, so every payload symbol is a known
// function of the input. Replace each hard choice by a smooth surrogate and optimise a unit vector
// until the leaked symbols are reproduced:
//   IoM-GRP, IoM-URP: symbol j is the argmax over candidates t of f_{j,t}(x) (a projection
//     w_{j,t}.x, or a product of p permuted coordinates); the surrogate is the softmax
//     cross-entropy of the candidates' standardised values with the leaked index as the label;
//   sign: bit l is the sign of w_l.x; the surrogate is the logistic loss of s_l w_l.x.
// Gradient steps with Adam on the sphere (renormalised after each step), a temperature that
// rises over the run, starting from a given direction (the public mean, when it has one). The
// projections onto weight rows run in float32 in the matching kernels (weight-projector.ts).
import { _normalise } from './attacks.js';
import type { _Instance } from './batch.js';
import { _projectorOf } from './weight-projector.js';

/** Iterations and step of the optimisation; it also stops once `patience` iterations brought no gain. */
export interface OptimisationOptions {
  readonly iterations: number;
  readonly learningRate: number;
  readonly patience: number;
}

/** On LFW face-api embeddings the reproduced fraction stops growing before 100 iterations at the defaults of every scheme. */
export const DEFAULT_OPTIMISATION: OptimisationOptions = { iterations: 150, learningRate: 0.02, patience: 25 };

/** Loss gradient (accumulated into g) at x for one transform; returns the fraction of symbols x reproduces. */
type Gradient = (x: Float64Array, leaked: Uint8Array, temperature: number, g: Float64Array) => number;

/**
 * Softmax cross-entropy over the candidate values f[0..n) with label `a`, standardised by their
 * spread: writes d loss / d f into df and returns whether `a` is the argmax (smallest index on ties).
 */
function softmaxStep(f: Float64Array, n: number, a: number, temperature: number, df: Float64Array): boolean {
  let mean = 0, best = 0;
  for (let t = 0; t < n; t++) { mean += f[t]!; if (f[t]! > f[best]!) best = t; }
  mean /= n;
  let v = 0;
  for (let t = 0; t < n; t++) v += (f[t]! - mean) ** 2;
  const scale = temperature / (Math.sqrt(v / n) || 1);
  let z = 0;
  for (let t = 0; t < n; t++) { df[t] = Math.exp((f[t]! - f[best]!) * scale); z += df[t]!; }
  for (let t = 0; t < n; t++) df[t] = (df[t]! / z - (t === a ? 1 : 0)) * scale;
  return best === a;
}

function grpGradient(inst: _Instance): Gradient {
  const p = inst.params as { m: number; q: number };
  const proj = _projectorOf(inst), rows = p.m * p.q;
  const f = new Float64Array(p.q), df = new Float64Array(p.q);
  return (x, leaked, temperature, g) => {
    let hit = 0;
    proj.setX(x);
    const all = proj.project(0, rows), c = proj.coefficients(rows);
    for (let j = 0; j < p.m; j++) {
      for (let t = 0; t < p.q; t++) f[t] = all[j * p.q + t]!;
      if (softmaxStep(f, p.q, leaked[j]!, temperature, df)) hit++;
      for (let t = 0; t < p.q; t++) c[j * p.q + t] = df[t]!;
    }
    const back = proj.backproject(rows);
    for (let i = 0; i < g.length; i++) g[i]! += back[i]!;
    return hit / p.m;
  };
}

function urpGradient(inst: _Instance): Gradient {
  const p = inst.params as { m: number; k: number; p: number };
  const P = inst.material as Uint16Array;
  const f = new Float64Array(p.k), df = new Float64Array(p.k);
  return (x, leaked, temperature, g) => {
    let hit = 0;
    for (let j = 0; j < p.m; j++) {
      const base = j * p.p * p.k;
      for (let i = 0; i < p.k; i++) {
        let z = 1;
        for (let r = 0; r < p.p; r++) z *= x[P[base + r * p.k + i]!]!;
        f[i] = z;
      }
      if (softmaxStep(f, p.k, leaked[j]!, temperature, df)) hit++;
      for (let i = 0; i < p.k; i++) {
        const c = df[i]!;
        if (Math.abs(c) < 1e-12) continue;
        for (let r = 0; r < p.p; r++) {
          let others = 1;
          for (let s = 0; s < p.p; s++) if (s !== r) others *= x[P[base + s * p.k + i]!]!;
          g[P[base + r * p.k + i]!]! += c * others;
        }
      }
    }
    return hit / p.m;
  };
}

function signGradient(inst: _Instance): Gradient {
  const p = inst.params as { bits: number };
  const proj = _projectorOf(inst);
  return (x, leaked, temperature, g) => {
    let hit = 0, v = 0;
    proj.setX(x);
    const f = proj.project(0, p.bits), c = proj.coefficients(p.bits);
    for (let l = 0; l < p.bits; l++) v += f[l]! * f[l]!;
    const scale = temperature / (Math.sqrt(v / p.bits) || 1);
    for (let l = 0; l < p.bits; l++) {
      const sign = (leaked[l >> 3]! >> (l & 7)) & 1 ? 1 : -1;
      const margin = sign * f[l]! * scale;
      if (margin > 0) hit++;
      c[l] = (-sign * scale) / (1 + Math.exp(margin));
    }
    const back = proj.backproject(p.bits);
    for (let i = 0; i < g.length; i++) g[i]! += back[i]!;
    return hit / p.bits;
  };
}

/**
 * Reconstructs a unit vector in the transform's input space whose payload under `inst` matches
 * `leaked` as closely as the optimisation gets, starting from `start` (a unit vector).
 * @returns the reconstruction and the fraction of leaked symbols its float image reproduces.
 */
export function optimisationInversion(inst: _Instance, leaked: Uint8Array, start: Float64Array, opts: OptimisationOptions = DEFAULT_OPTIMISATION): { u: Float64Array; reproduced: number } {
  const scheme = inst.params.scheme;
  const gradient = scheme === 'iom-grp' ? grpGradient(inst) : scheme === 'iom-urp' ? urpGradient(inst) : signGradient(inst);
  const d = inst.params.dim;
  const x = _normalise(Float64Array.from(start));
  const g = new Float64Array(d), m1 = new Float64Array(d), m2 = new Float64Array(d);
  let best = Float64Array.from(x), bestHit = -1, bestAt = 0;
  for (let it = 1; it <= opts.iterations; it++) {
    g.fill(0);
    const temperature = 1 + (7 * it) / opts.iterations;
    const hit = gradient(x, leaked, temperature, g);
    if (hit > bestHit) { bestHit = hit; best = Float64Array.from(x); bestAt = it; }
    if (hit === 1 || it - bestAt >= opts.patience) break;
    // Adam, then back onto the sphere.
    for (let i = 0; i < d; i++) {
      m1[i] = 0.9 * m1[i]! + 0.1 * g[i]!;
      m2[i] = 0.999 * m2[i]! + 0.001 * g[i]! * g[i]!;
      const mh = m1[i]! / (1 - 0.9 ** it), vh = m2[i]! / (1 - 0.999 ** it);
      x[i]! -= (opts.learningRate * mh) / (Math.sqrt(vh) + 1e-12);
    }
    _normalise(x);
  }
  return { u: best, reproduced: bestHit };
}
