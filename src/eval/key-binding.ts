// Evaluation of key binding by fuzzy commitment (docs/EVALUATION.md "Key binding"): on labelled
// embeddings, the codeword errors E of every genuine and impostor pair after the soft-majority
// vote (a pair releases the key exactly when E <= t, SPEC.md §4.5), hence FMR and FNMR for every
// t of one (m, r) in a single pass; the raw cosine baseline on the same pairs; the XOR
// decodability attack across salts and keys; the unlinkability of helper data (D<->sys); and the
// brute-force cost estimated from the measured entropy of the bits on real faces.
import { _bchCode, _bchDecode, _bchEncode } from '../transforms/bch.js';
import {
  _helperBits, _withProjections, checkBindingParams, DEFAULT_BINDING_CENTRING_STRENGTH, DEFAULT_BINDING_CODE, type FuzzyCommitmentParams,
} from '../transforms/fuzzy-commitment.js';
import { _normalise } from './attacks.js';
import { _canonicalRows } from './batch.js';
import { centringSplit, type CentringProtocol } from './centring.js';
import { checkEmbeddingSet, type EmbeddingSet } from './dataset.js';
import { balancedGenuinePairs, genuinePairs, impostorPairs, type PairList } from './pairs.js';
import { _EvalRng, _evalSecret } from './rng.js';
import { atFmr, summariseVerification } from './summary.js';
import { unlinkability, unlinkabilityFloor } from './unlinkability.js';

/** What to evaluate; every field has a default. */
export interface KeyBindingEvalOptions {
  /** BCH field degree and projections per codeword bit (defaults: DEFAULT_BINDING_CODE, m 10 and r 4). */
  readonly m?: number;
  readonly r?: number;
  readonly seed?: number;
  /** Impostor pairs to sample (default 1,000,000). */
  readonly impostorPairs?: number;
  readonly centring?: CentringProtocol;
  /** Fraction of the fitted mean subtracted (default DEFAULT_BINDING_CENTRING_STRENGTH = 1). */
  readonly centringStrength?: number;
  /** Mated pairs per identity for the linkage attacks (default 20) and non-mated pairs (default as many). */
  readonly matedPerIdentity?: number;
  readonly unlinkabilityBins?: number;
  /** Enrolments (of distinct people) the inversion attack targets (default 50). */
  readonly attackTargets?: number;
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/** FMR and FNMR of one correction capability t. */
export interface KeyBindingPoint { readonly t: number; readonly k: number; readonly fmr: number; readonly fnmr: number }

/** Everything one key-binding evaluation measured. */
export interface KeyBindingResult {
  readonly m: number; readonly r: number; readonly n: number; readonly bits: number;
  readonly centringStrength: number;
  readonly genuinePairs: number; readonly impostorPairs: number;
  /** Raw cosine (uncentred) and cosine after the centring used, on the same pairs: FNMR at FMR 1e-3. */
  readonly rawFnmrAtFmr1e3: number;
  readonly rawCentredFnmrAtFmr1e3: number;
  /** Every t whose code binds at least 32 message bits. */
  readonly curve: readonly KeyBindingPoint[];
  /** The largest t with FMR <= 1e-3 (the recommended operating point). */
  readonly chosen: KeyBindingPoint;
  /** Soft votes that were exactly 0 (counted as errors; a tie is an error only for a codeword bit 1). */
  readonly ties: number;
  /** Genuine and impostor codeword error fraction E/n: mean and sd. */
  readonly genuineErrors: { mean: number; sd: number };
  readonly impostorErrors: { mean: number; sd: number };
  /** XOR decodability: the fraction of pairs whose helper-data XOR BCH-decodes (hard majority over instance 1's layout). */
  readonly xorAttack: { readonly pairs: number; readonly sameSaltMated: number; readonly sameSaltNonMated: number; readonly newSaltMated: number; readonly otherKeyMated: number };
  /**
   * Inversion under full disclosure (helper data, salt, application key): the spectral attack
   * (see spectralInversion) on `targets` enrolments of distinct people. `released`: the fraction
   * whose bound key the reconstruction releases (presented with either sign, two presentations);
   * `meanAbsCosine`: |cosine| to the enrolled embedding after centring; `rawOtherPhotos`: the
   * fraction of the targets' other photos that the reconstruction (with the sign that released,
   * or the closer one) matches under raw centred cosine at its FMR 1e-3 threshold.
   */
  readonly inversion: { readonly targets: number; readonly released: number; readonly meanAbsCosine: number; readonly rawOtherPhotos: number };
  /** Unlinkability across two applications (independent keys): score = fraction of equal helper bits. */
  readonly unlinkability: { readonly dSys: number; readonly dSysFloor: number; readonly mated: number; readonly nonMated: number };
  /** Brute-force cost estimates, in bits. */
  readonly entropy: {
    /** Degrees of freedom of the projection bits (Daugman): p(1-p)/sd^2 of impostor fractional Hamming distances. */
    readonly bitDegreesOfFreedom: number;
    /** The same at the codeword level (impostor E/n after the soft vote). */
    readonly codewordDegreesOfFreedom: number;
    /** -log2 P(Binomial(N, mean) <= N * t/n) with the codeword degrees of freedom N: a random face releasing the key. */
    readonly binomialBits: number;
    /** -log2 of the measured FMR at the chosen t (the nearest-impostor attack with a face database). */
    readonly measuredBits: number;
  };
  readonly seconds: number;
}

function meanSd(x: Float64Array): { mean: number; sd: number } {
  let s = 0, q = 0;
  for (const v of x) { s += v; q += v * v; }
  const mean = s / x.length;
  return { mean, sd: Math.sqrt(Math.max(0, q / x.length - mean * mean)) };
}

/** log2 of P(Binomial(N, p) <= x) for integer N, summed in log space. */
function log2BinomialCdf(N: number, p: number, x: number): number {
  const lf = (n: number) => { let s = 0; for (let i = 2; i <= n; i++) s += Math.log(i); return s; };
  const lN = lf(N);
  let max = -Infinity;
  const terms: number[] = [];
  for (let i = 0; i <= Math.min(N, Math.floor(x)); i++) {
    const t = lN - lf(i) - lf(N - i) + i * Math.log(p) + (N - i) * Math.log(1 - p);
    terms.push(t);
    max = Math.max(max, t);
  }
  if (terms.length === 0) return -Infinity;
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return (max + Math.log(s)) / Math.LN2;
}

/**
 * One keyed instance over every row: for the accuracy pass the signs (-1 where the bit is 1) and
 * projections with columns grouped by codeword bit (`cols[j * r + i]` = the projection index of
 * copy i of bit j); for the attacks the helper bits in stored order (one per byte).
 */
interface Rows { readonly sign: Int8Array | undefined; readonly proj: Int32Array | undefined; readonly helper: Uint8Array; readonly cols: Uint16Array }

function instanceRows(p: FuzzyCommitmentParams, canon: Int16Array, rowCount: number, key: Uint8Array, salt: Uint8Array, messages: Uint8Array[] | undefined): Rows {
  const L = _helperBits(p), d = p.dim, code = _bchCode(p.m, p.t);
  const sign = messages ? undefined : new Int8Array(rowCount * L), proj = messages ? undefined : new Int32Array(rowCount * L);
  const helper = new Uint8Array(messages ? rowCount * L : 0);
  const cols = new Uint16Array(L);
  for (let row = 0; row < rowCount; row++) {
    const v = canon.subarray(row * d, (row + 1) * d);
    const c = messages ? _bchEncode(code, messages[row]!) : undefined;
    _withProjections(v, p, key, salt, (pr, slot) => {
      const fill = new Int32Array(code.n);
      for (let l = 0; l < L; l++) {
        const j = slot[l]!, g = j * p.r + fill[j]!++;
        if (row === 0) cols[g] = l;
        if (sign && proj) { sign[row * L + g] = pr[l]! > 0 ? -1 : 1; proj[row * L + g] = pr[l]!; }
        if (c) helper[row * L + l] = (pr[l]! > 0 ? 1 : 0) ^ c[j]!;
      }
    });
  }
  return { sign, proj, helper, cols };
}

/** Codeword errors E of each pair (a enrolled under `A`, b probing): soft votes > 0 (and ties) are errors. */
function errorCounts(A: Rows, pairs: PairList, n: number, r: number, ties: { count: number }): Int32Array {
  const L = n * r, out = new Int32Array(pairs.a.length), S = A.sign!, P = A.proj!;
  for (let k = 0; k < out.length; k++) {
    const oa = pairs.a[k]! * L, ob = pairs.b[k]! * L;
    let e = 0;
    for (let j = 0, o = 0; j < n; j++) {
      let q = 0;
      for (let i = 0; i < r; i++, o++) q += S[oa + o]! * P[ob + o]!;
      if (q > 0) e++; else if (q === 0) { e++; ties.count++; }
    }
    out[k] = e;
  }
  return out;
}

/**
 * The XOR decodability attack by a holder of the first template's key: XOR two stored helper
 * data position by position, take the hard majority of each codeword bit's copies under the
 * first template's layout, and BCH-decode. True when the XOR decodes (the templates are linked).
 */
function xorDecodes(X: Rows, Y: Rows, a: number, b: number, p: FuzzyCommitmentParams): boolean {
  const code = _bchCode(p.m, p.t), L = code.n * p.r, word = new Uint8Array(code.n);
  for (let j = 0, g = 0; j < code.n; j++) {
    let ones = 0;
    for (let i = 0; i < p.r; i++, g++) { const l = X.cols[g]!; ones += X.helper[a * L + l]! ^ Y.helper[b * L + l]!; }
    word[j] = 2 * ones > p.r ? 1 : 0;
  }
  return _bchDecode(code, word);
}

/** The L x dim projection weights of one instance (read through the projections of the basis vectors). */
function instanceWeights(p: FuzzyCommitmentParams, key: Uint8Array, salt: Uint8Array): Float64Array {
  const L = _helperBits(p), d = p.dim, W = new Float64Array(L * d), e = new Int16Array(d);
  for (let i = 0; i < d; i++) {
    e.fill(0);
    e[i] = 1;
    _withProjections(e, p, key, salt, (pr) => { for (let l = 0; l < L; l++) W[l * d + i] = pr[l]!; });
  }
  return W;
}

/**
 * The spectral attack on one helper data, by a holder of the application key: the r copies of
 * codeword bit j, signed by their helper bits, all project the enrolled vector to the same side
 * (the side is the unknown codeword bit), so a_j = sum of the signed weight rows of bit j has a
 * large |a_j . x| for the enrolled x and a small one for any other direction. The reconstruction
 * is the top eigenvector of sum_j a_j a_j^T (power iteration): the enrolled direction up to sign.
 */
export function spectralInversion(W: Float64Array, cols: Uint16Array, helper: Uint8Array, n: number, r: number, d: number, iterations = 100): Float64Array {
  const A = new Float64Array(n * d);
  for (let j = 0, g = 0; j < n; j++) {
    for (let i = 0; i < r; i++, g++) {
      const l = cols[g]!, s = helper[l] ? -1 : 1;
      for (let c = 0; c < d; c++) A[j * d + c]! += s * W[l * d + c]!;
    }
  }
  let v: Float64Array = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(d);
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += A[j * d + c]! * v[c]!;
      for (let c = 0; c < d; c++) next[c]! += dot * A[j * d + c]!;
    }
    v = _normalise(next);
  }
  return v;
}

/** Codeword errors of a presented canonical vector against helper data (as errorCounts, for one pair). */
function presentedErrors(W: Float64Array, cols: Uint16Array, helper: Uint8Array, codeword: Uint8Array, v: Int16Array, n: number, r: number, d: number): number {
  let e = 0;
  for (let j = 0, g = 0; j < n; j++) {
    let vote = 0;
    for (let i = 0; i < r; i++, g++) {
      const l = cols[g]!;
      let pr = 0;
      for (let c = 0; c < d; c++) pr += W[l * d + c]! * v[c]!;
      vote += helper[l] ? -pr : pr;
    }
    if ((vote > 0 ? 1 : 0) !== codeword[j]) e++;
  }
  return e;
}

/** The spectral attack on `targets` seeded enrolments of distinct people with two or more photos. */
function invert(
  p: FuzzyCommitmentParams, A1: Rows, messages: readonly Uint8Array[], W: Float64Array, labels: Int32Array,
  centred: { readonly threshold: number; readonly Z: Float64Array }, canon: Int16Array, targets: number, seed: number,
): KeyBindingResult['inversion'] {
  const code = _bchCode(p.m, p.t), n = code.n, r = p.r, d = p.dim, L = n * r;
  const rng = new _EvalRng(seed, 'key-binding/inversion');
  const byId = new Map<number, number[]>();
  labels.forEach((l, row) => { let rows = byId.get(l); if (!rows) byId.set(l, (rows = [])); rows.push(row); });
  const ids = [...byId.keys()].map((id) => ({ id, key: rng.float() })).sort((a, b) => a.key - b.key).slice(0, targets);
  let released = 0, cosSum = 0, other = 0, others = 0;
  for (const { id } of ids) {
    const rows = byId.get(id)!, row = rows[rng.int(rows.length)]!;
    const helper = A1.helper.subarray(row * L, (row + 1) * L);
    const u = spectralInversion(W, A1.cols, helper, n, r, d);
    const codeword = _bchEncode(code, messages[row]!);
    let cosine = 0, norm = 0;
    for (let c = 0; c < d; c++) { cosine += u[c]! * canon[row * d + c]!; norm += canon[row * d + c]! ** 2; }
    cosine /= Math.sqrt(norm);
    cosSum += Math.abs(cosine);
    const signs = cosine >= 0 ? [1, -1] : [-1, 1];
    let win = false;
    for (const sg of signs) {
      const v = Int16Array.from(u, (x) => Math.round(sg * x * 16384));
      if (presentedErrors(W, A1.cols, helper, codeword, v, n, r, d) <= p.t) { win = true; break; }
    }
    if (win) released++;
    // The raw centred matcher, with the sign nearer the person (an attacker tries both).
    for (const j of rows) {
      if (j === row) continue;
      let c = 0;
      for (let k = 0; k < d; k++) c += signs[0]! * u[k]! * centred.Z[j * d + k]!;
      others++;
      if (c >= centred.threshold) other++;
    }
  }
  return { targets: ids.length, released: released / ids.length, meanAbsCosine: cosSum / ids.length, rawOtherPhotos: others ? other / others : 0 };
}

/**
 * Evaluates fuzzy-commitment key binding on `set` (docs/EVALUATION.md "Key binding").
 * @example
 * import { readEmbeddings, evaluateKeyBinding } from 'templock/eval';
 * const r = evaluateKeyBinding(readEmbeddings('../shared/data/lfw-faceapi128'), { impostorPairs: 200_000 });
 * console.log(r.chosen); // { t, k, fmr, fnmr }
 */
export function evaluateKeyBinding(set: EmbeddingSet, options: KeyBindingEvalOptions = {}): KeyBindingResult {
  const started = performance.now();
  checkEmbeddingSet(set);
  const seed = options.seed ?? 1, m = options.m ?? DEFAULT_BINDING_CODE.m, r = options.r ?? DEFAULT_BINDING_CODE.r;
  const progress = options.onProgress ?? (() => undefined);
  const n = (1 << m) - 1;
  const base = checkBindingParams({ scheme: 'fuzzy-commitment', dim: set.dim, m, t: 1, r });
  const split = centringSplit(set, options.centring ?? 'auto', seed, false);
  const strength = split.mean ? options.centringStrength ?? DEFAULT_BINDING_CENTRING_STRENGTH : 0;
  const mean = strength > 0 ? split.mean!.map((v) => v * strength) : undefined;
  const d = set.dim, nE = split.evalRows.length;
  const X = new Float32Array(nE * d);
  split.evalRows.forEach((row, k) => X.set(set.vectors.subarray(row * d, (row + 1) * d), k * d));
  const labels = Int32Array.from(split.evalRows, (row) => set.labels[row]!);
  const G = genuinePairs(labels), I = impostorPairs(labels, options.impostorPairs ?? 1_000_000, seed);
  const M = balancedGenuinePairs(labels, options.matedPerIdentity ?? 20, seed);
  const N = impostorPairs(labels, M.a.length, seed + 1);

  const cos = (mu: Float32Array | undefined) => {
    const Z = new Float64Array(X.length);
    for (let row = 0; row < nE; row++) {
      let s = 0;
      for (let i = 0; i < d; i++) { const v = X[row * d + i]! - (mu ? mu[i]! : 0); Z[row * d + i] = v; s += v * v; }
      for (let i = 0; i < d; i++) Z[row * d + i]! /= Math.sqrt(s);
    }
    const score = (pl: PairList) => Float64Array.from(pl.a, (a, k) => { let s = 0; for (let i = 0; i < d; i++) s += Z[a * d + i]! * Z[pl.b[k]! * d + i]!; return s; });
    const at = atFmr(summariseVerification(score(G), score(I), I.exhaustive), 1e-3);
    return { fnmr: at.fnmr, threshold: at.threshold, Z };
  };
  const rawFnmr = cos(undefined).fnmr, centred = cos(mean), rawCentredFnmr = centred.fnmr;

  const canon = _canonicalRows(X, d, mean);
  const rng = new _EvalRng(seed, 'key-binding/messages');
  const key1 = _evalSecret(seed, 'application-key', 0, 32), key2 = _evalSecret(seed, 'application-key', 1, 32);
  progress(0, 4, 'instance 1 (projecting every row)');
  const p = base;
  const A = instanceRows(p, canon, nE, key1, _evalSecret(seed, 'salt', 1, 16), undefined);
  progress(1, 4, 'codeword errors of every pair');
  const ties = { count: 0 };
  const Eg = errorCounts(A, G, n, r, ties), Ei = errorCounts(A, I, n, r, ties);
  const hist = (E: Int32Array) => { const h = new Float64Array(n + 2); for (const e of E) h[e]!++; for (let i = 1; i < h.length; i++) h[i]! += h[i - 1]!; return h; };
  const Hg = hist(Eg), Hi = hist(Ei);
  const curve: KeyBindingPoint[] = [];
  for (let t = 1; t <= (n - 1) / 2; t++) {
    const k = _bchCode(m, t).k;
    if (k < 32) break;
    curve.push({ t, k, fmr: Hi[t]! / Ei.length, fnmr: 1 - Hg[t]! / Eg.length });
  }
  const ok = curve.filter((c) => c.fmr <= 1e-3);
  const chosen = ok.length > 0 ? ok[ok.length - 1]! : curve[0]!;

  progress(2, 4, 'instances 2 and 3 (helper data)');
  const pt = checkBindingParams({ ...p, t: chosen.t });
  const messages = () => Array.from({ length: nE }, () => Uint8Array.from({ length: _bchCode(m, chosen.t).k }, () => rng.int(2)));
  // A1 and A1b: two enrolments under one key and salt (what a renewal must avoid); B: a new salt; C: another application's key.
  const messages1 = messages();
  const A1 = instanceRows(pt, canon, nE, key1, _evalSecret(seed, 'salt', 1, 16), messages1);
  const A1b = instanceRows(pt, canon, nE, key1, _evalSecret(seed, 'salt', 1, 16), messages());
  const B = instanceRows(pt, canon, nE, key1, _evalSecret(seed, 'salt', 2, 16), messages());
  const C = instanceRows(pt, canon, nE, key2, _evalSecret(seed, 'salt', 3, 16), messages());
  progress(3, 4, 'linkage attacks');
  const rate = (Y: Rows, pl: PairList, limit: number) => {
    let hits = 0;
    const count = Math.min(limit, pl.a.length);
    for (let k = 0; k < count; k++) if (xorDecodes(A1, Y, pl.a[k]!, pl.b[k]!, pt)) hits++;
    return hits / count;
  };
  const attackPairs = Math.min(2000, M.a.length);
  const L = n * r;
  const agree = (Y: Rows, pl: PairList) => Float64Array.from(pl.a, (a, k) => {
    let s = 0;
    for (let o = 0; o < L; o++) s += A1.helper[a * L + o] === Y.helper[pl.b[k]! * L + o] ? 1 : 0;
    return s / L;
  });
  const mated = agree(C, M), nonMated = agree(C, N);
  progress(3, 4, 'inversion (spectral attack, key disclosed)');
  const inversion = invert(pt, A1, messages1, instanceWeights(pt, key1, _evalSecret(seed, 'salt', 1, 16)), labels, centred, canon, options.attackTargets ?? 50, seed);
  const u = unlinkability(mated, nonMated, options.unlinkabilityBins ?? 100);
  const gE = Float64Array.from(Eg, (e) => e / n), iE = Float64Array.from(Ei, (e) => e / n);
  const ge = meanSd(gE), ie = meanSd(iE);
  const cwDof = (ie.mean * (1 - ie.mean)) / (ie.sd * ie.sd);
  // Bit level: impostor fractional Hamming distance of the projection bits (signs) under instance 1.
  const hd = Float64Array.from({ length: Math.min(20000, I.a.length) }, (_, k) => {
    const oa = I.a[k]! * L, ob = I.b[k]! * L;
    let s = 0;
    for (let o = 0; o < L; o++) s += A.sign![oa + o] !== A.sign![ob + o] ? 1 : 0;
    return s / L;
  });
  const bh = meanSd(hd);
  const Nc = Math.max(1, Math.round(cwDof));
  const result: KeyBindingResult = {
    m, r, n, bits: L, centringStrength: strength, genuinePairs: G.a.length, impostorPairs: I.a.length,
    rawFnmrAtFmr1e3: rawFnmr, rawCentredFnmrAtFmr1e3: rawCentredFnmr, curve, chosen, ties: ties.count,
    genuineErrors: ge, impostorErrors: ie,
    xorAttack: {
      pairs: attackPairs, sameSaltMated: rate(A1b, M, attackPairs), sameSaltNonMated: rate(A1b, N, attackPairs),
      newSaltMated: rate(B, M, attackPairs), otherKeyMated: rate(C, M, attackPairs),
    },
    inversion,
    unlinkability: { dSys: u.dSys, dSysFloor: unlinkabilityFloor(nonMated, mated.length, options.unlinkabilityBins ?? 100), mated: mated.length, nonMated: nonMated.length },
    entropy: {
      bitDegreesOfFreedom: (bh.mean * (1 - bh.mean)) / (bh.sd * bh.sd),
      codewordDegreesOfFreedom: cwDof,
      binomialBits: -log2BinomialCdf(Nc, ie.mean, (Nc * chosen.t) / n),
      measuredBits: chosen.fmr > 0 ? -Math.log2(chosen.fmr) : Math.log2(I.a.length),
    },
    seconds: (performance.now() - started) / 1000,
  };
  for (const rows of [A, A1, A1b, B, C]) { rows.sign?.fill(0); rows.proj?.fill(0); rows.helper.fill(0); }
  canon.fill(0);
  progress(4, 4, 'done');
  return result;
}
