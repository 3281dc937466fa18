// The evaluation run (docs/EVALUATION.md): centring split, comparison pairs, the raw cosine
// baseline and, per parameter set, the scenarios normal (per application and per subject),
// stolen token, renewability, unlinkability, irreversibility and score feedback, all seeded and
// reproducible.
import { DEFAULT_CENTRING_STRENGTH, defaultParams } from '../transforms/defaults.js';
import { _schemeOf, checkParams, SCHEME_NAMES } from '../transforms/registry.js';
import type { TransformParams } from '../transforms/scheme.js';
import { _canonicalise, CANONICAL_SCALE } from '../canonical.js';
import { attacksFor, DEFAULT_GENETIC, type AttackName, _normalise, _toCanonical } from './attacks.js';
import type { _InversionJob, _RowsJob, _SubjectsJob } from './eval-jobs.js';
import { _cores, _EvalPool } from './eval-pool.js';
import { _applyRows, _canonicalRows, _instance, _payloadScorer, _wipeInstance, type _Instance } from './batch.js';
import { centringSplit, type CentringProtocol } from './centring.js';
import { checkEmbeddingSet, type EmbeddingSet } from './dataset.js';
import { acceptRate } from './metrics.js';
import { SCORE_DISCLOSURES, type ScoreDisclosure } from '../match/disclosure.js';
import { _scoreFeedback, DEFAULT_SCORE_FEEDBACK_SHAPE, type ScoreFeedbackResult } from './score-feedback.js';
import { _rowsByIdentity, balancedGenuinePairs, genuinePairs, impostorPairs, type PairList } from './pairs.js';
import { _EvalRng, _evalSecret } from './rng.js';
import { atFmr, FMR_TARGETS, scoreHistogram, summariseVerification, type ScoreHistogram, type VerificationSummary } from './summary.js';
import { unlinkability, unlinkabilityFloor } from './unlinkability.js';

export const SCENARIOS = ['normal-subject', 'stolen-token', 'renewability', 'unlinkability', 'inversion', 'score-feedback'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
// The normal scenario per application is always measured: every other figure uses its threshold.

/** The FMR at which the system threshold is set (renewability, inversion and the targets use it). */
export const SYSTEM_FMR = 1e-3;

/** What to evaluate and how; every field has a default. */
export interface EvaluateOptions {
  /** Parameter sets to evaluate (default: defaultParams of every scheme at the set's dim). */
  readonly params?: readonly TransformParams[];
  readonly scenarios?: readonly ScenarioName[];
  /** Seed of every sample, key and salt of the run (default 1). */
  readonly seed?: number;
  /** Impostor pairs to sample (default 1,000,000; all of them when there are fewer). */
  readonly impostorPairs?: number;
  readonly centring?: CentringProtocol;
  /**
   * Fraction of the fitted mean subtracted, for every scheme (default: DEFAULT_CENTRING_STRENGTH of
   * each scheme); when given, raw cosine after that centring is measured even without parameter sets.
   */
  readonly centringStrength?: number;
  /** Reject identities with a single sample instead of setting them aside. */
  readonly strict?: boolean;
  /**
   * Stolen token: how many of the normal scenario's impostor pairs are replayed with the victim's
   * own key and salt (default 200,000; the first ones of the same seeded sample, so both scenarios
   * and the raw figure beside them see the same impostors).
   */
  readonly stolenPairs?: number;
  /** Inversion: targets (one row of distinct identities; default 50), attacks (default all that apply) and genetic budget. */
  readonly attackTargets?: number;
  readonly attacks?: readonly AttackName[] | 'cheapest';
  readonly geneticEvaluations?: number;
  /** Score feedback: persons attacked (one enrolled photo each; default 20), query budget per attack (default 10,000), disclosures (default all). */
  readonly feedbackTargets?: number;
  readonly feedbackQueries?: number;
  readonly feedbackDisclosures?: readonly ScoreDisclosure[];
  /** FMR of the normal scenario whose threshold the score-feedback attack must reach (one of FMR_TARGETS; default SYSTEM_FMR). */
  readonly feedbackFmr?: number;
  /** Histogram bins of the unlinkability estimate (default 100). */
  readonly unlinkabilityBins?: number;
  /** Mated pairs per identity in the unlinkability scenario (default 20; a seeded sample). */
  readonly matedPerIdentity?: number;
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /**
   * Worker threads for the per-subject scenarios and the inversion attacks (default: the cores of
   * the machine; 1 runs everything on the calling thread). The result is the same for any number.
   */
  readonly threads?: number;
}

/** Renewability: same subjects, same key, two salts, scored at the system threshold. */
export interface RenewabilitySummary {
  readonly pairs: number;
  readonly sameSamplePairs: number;
  readonly threshold: number;
  /** FMR of the normal scenario at the threshold, and the limit 1.5 x that FMR. */
  readonly systemFmr: number;
  readonly acceptRate: number;
  readonly sameSampleAcceptRate: number;
  readonly otherSampleAcceptRate: number;
  readonly histogram: ScoreHistogram;
}

/** Unlinkability (Gomez-Barrero et al. 2018) across two applications with independent keys. */
export interface UnlinkabilitySummary {
  readonly matedCount: number;
  readonly nonMatedCount: number;
  readonly dSys: number;
  /** D<->sys of two parts of the non-mated scores: the estimator's floor (true value 0). */
  readonly dSysFloor: number;
  readonly dMax: number;
  readonly bins: number;
  readonly binLow: number;
  readonly binWidth: number;
  readonly local: number[];
  readonly matedHist: number[];
  readonly nonMatedHist: number[];
}

/**
 * Acceptance of one presented embedding per target, at the raw (cosine, FMR 1e-3) and protected
 * system thresholds. "Other samples" rates are pooled over every other sample of the targets and,
 * per person, averaged over targets (so one person with many photos cannot carry the figure).
 */
export interface AcceptanceRates {
  /** Accepted by the raw (cosine) system at its FMR 1e-3 threshold: against the leaked sample, against the subject's other samples. */
  readonly rawSameSample: number;
  readonly rawOtherSamples: number;
  readonly rawOtherSamplesPerPerson: number;
  /** Accepted by the protected system (same key and salt) at its threshold. */
  readonly protectedSameSample: number;
  readonly protectedOtherSamples: number;
  readonly protectedOtherSamplesPerPerson: number;
}

/** Success of one inversion attack under full disclosure. */
export interface InversionSummary extends AcceptanceRates {
  readonly attack: AttackName;
  readonly targets: number;
  /** Mean cosine between the reconstruction and the target's centred embedding (the space the transform sees). */
  readonly meanCosine: number;
  /** Mean protected score of the reconstruction against the leaked template (1: every symbol reproduced). */
  readonly meanLeakedScore: number;
  /** Accepted after renewal (same key, new salt) against the subject's other samples. */
  readonly renewedOtherSamples: number;
  readonly renewedOtherSamplesPerPerson: number;
  readonly geneticEvaluations?: number;
}

/**
 * The no-template baseline of the inversion scenario: the public mean embedding of the model
 * presented as it is (no template, no key), on the same targets as the attacks.
 */
export interface InversionBaseline extends AcceptanceRates {
  readonly targets: number;
}

/** Targets for the recommended defaults, measured against the raw baseline. */
export interface TargetCheck {
  readonly eer: { value: number; limit: number; ok: boolean };
  readonly fnmrAtFmr1e3: { value: number; limit: number; ok: boolean };
  readonly dSys?: { value: number; limit: number; ok: boolean };
  readonly renewability?: { value: number; limit: number; ok: boolean };
  readonly ok: boolean;
}

/** Figures of one system: the raw baseline or one parameter set. */
export interface SystemResult {
  readonly label: string;
  readonly params?: TransformParams;
  /** Fraction of the fitted mean that the protected system subtracts (0: not centred). */
  readonly centringStrength?: number;
  /** Normal scenario, one key and salt per application: scores pooled over three application instances. */
  readonly normalApplication?: VerificationSummary;
  /** EER and FNMR at FMR 1e-3 of each application instance alone (how much they vary with the key). */
  readonly instances?: readonly { eer: number; fnmrAtFmr1e3: number }[];
  readonly normalSubject?: VerificationSummary;
  readonly stolenToken?: VerificationSummary;
  readonly renewability?: RenewabilitySummary;
  readonly unlinkability?: UnlinkabilitySummary;
  readonly inversion?: readonly InversionSummary[];
  readonly inversionBaseline?: InversionBaseline;
  readonly scoreFeedback?: ScoreFeedbackResult;
  readonly targets?: TargetCheck;
  readonly seconds: number;
  /** Seconds spent on each part of this system's run: 'normal' (protecting every row and scoring), then each scenario run. */
  readonly scenarioSeconds?: Readonly<Record<string, number>>;
}

/** Everything a run measured, with what is needed to reproduce it. */
export interface EvaluationResult {
  readonly dataset: {
    readonly name: string; readonly dim: number; readonly rows: number; readonly identities: number;
    readonly evalRows: number; readonly evalIdentities: number; readonly fitRows: number; readonly fitIdentities: number;
    readonly singletonIdentities: number;
  };
  readonly protocol: {
    readonly seed: number; readonly centring: string; readonly scenarios: readonly ScenarioName[];
    readonly genuinePairs: number; readonly impostorPairs: number; readonly impostorPairsExhaustive: boolean;
    readonly systemFmr: number; readonly stolenPairs: number;
    readonly attackTargets: number; readonly geneticEvaluations: number; readonly unlinkabilityBins: number; readonly matedPerIdentity: number;
    readonly feedbackTargets: number; readonly feedbackQueries: number; readonly feedbackDisclosures: readonly ScoreDisclosure[]; readonly feedbackFmr: number;
  };
  /** The unprotected baseline: cosine of the embeddings as the model gives them. */
  readonly raw: SystemResult;
  /** Cosine after the centring each protected system uses: the accuracy ceiling of an angular transform there. */
  readonly rawCentred: readonly { readonly centringStrength: number; readonly normal: VerificationSummary }[];
  readonly systems: readonly SystemResult[];
  readonly seconds: number;
}

/**
 * A short label of a parameter set.
 * @example
 * import { paramsLabel } from 'templock/eval';
 * paramsLabel({ scheme: 'iom-grp', dim: 128, m: 512, q: 16 }); // 'iom-grp m=512 q=16'
 */
export function paramsLabel(p: TransformParams): string {
  return p.scheme === 'iom-grp' ? `iom-grp m=${p.m} q=${p.q}` : p.scheme === 'iom-urp' ? `iom-urp m=${p.m} k=${p.k} p=${p.p}` : `sign bits=${p.bits}`;
}

function unitRows(X: Float32Array, dim: number, mean: Float32Array | undefined): Float64Array {
  const n = X.length / dim, Z = new Float64Array(X.length);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) { const v = X[r * dim + i]! - (mean ? mean[i]! : 0); Z[r * dim + i] = v; s += v * v; }
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < dim; i++) Z[r * dim + i]! *= inv;
  }
  return Z;
}

function cosineScores(Z: Float64Array, dim: number, pairs: PairList): Float64Array {
  const out = new Float64Array(pairs.a.length);
  for (let k = 0; k < out.length; k++) {
    const oa = pairs.a[k]! * dim, ob = pairs.b[k]! * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += Z[oa + i]! * Z[ob + i]!;
    out[k] = s;
  }
  return out;
}

function payloadScores(score: ReturnType<typeof _payloadScorer>, A: Uint8Array, B: Uint8Array, pairs: PairList): Float64Array {
  const out = new Float64Array(pairs.a.length);
  for (let k = 0; k < out.length; k++) out[k] = score(A, pairs.a[k]!, B, pairs.b[k]!);
  return out;
}

/** `value` (default `fallback`) checked to be a positive integer. */
function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`"${name}" expected number, got ${value === null ? 'null' : typeof value}`);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`"${name}" expected a positive integer, got ${value}`);
  return value;
}

function check(value: number, limit: number): { value: number; limit: number; ok: boolean } {
  return { value, limit, ok: value <= limit };
}

/**
 * Runs the evaluation of `set` (see docs/EVALUATION.md for every convention).
 * @example
 * import { readEmbeddings, evaluate } from 'templock/eval';
 * const result = await evaluate(readEmbeddings('../shared/data/lfw-faceapi128'), { impostorPairs: 100_000 });
 * console.log(result.systems.map((s) => [s.label, s.normalApplication?.eer]));
 */
export async function evaluate(set: EmbeddingSet, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const started = performance.now();
  checkEmbeddingSet(set);
  const seed = options.seed ?? 1;
  const scenarios = options.scenarios ?? SCENARIOS;
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new RangeError(`"scenarios" expected names from ${SCENARIOS.join(', ')}, got ${s}`);
  const paramSets = (options.params ?? SCHEME_NAMES.map((s) => defaultParams(s, set.dim))).map((p) => checkParams(p));
  for (const p of paramSets) if (p.dim !== set.dim) throw new RangeError(`"params.dim" expected ${set.dim} (the embeddings' dim), got ${p.dim}`);
  const stolenPairs = options.stolenPairs ?? 200_000;
  if (!Number.isSafeInteger(stolenPairs) || stolenPairs < 1) throw new RangeError('"stolenPairs" expected a positive integer');
  const attackTargets = options.attackTargets ?? 50, geneticEvaluations = options.geneticEvaluations ?? DEFAULT_GENETIC.evaluations;
  const bins = options.unlinkabilityBins ?? 100;
  const matedPerIdentity = options.matedPerIdentity ?? 20;
  const feedbackTargets = positiveInt('feedbackTargets', options.feedbackTargets, 20), feedbackQueries = positiveInt('feedbackQueries', options.feedbackQueries, 10_000);
  const feedbackDisclosures = options.feedbackDisclosures ?? SCORE_DISCLOSURES;
  if (!Array.isArray(feedbackDisclosures) || feedbackDisclosures.length === 0 || feedbackDisclosures.some((x) => !SCORE_DISCLOSURES.includes(x)))
    throw new RangeError(`"feedbackDisclosures" expected a non-empty list from ${SCORE_DISCLOSURES.join(', ')}`);
  const feedbackFmr = options.feedbackFmr ?? SYSTEM_FMR;
  if (!(FMR_TARGETS as readonly number[]).includes(feedbackFmr)) throw new RangeError(`"feedbackFmr" expected one of ${FMR_TARGETS.join(', ')}, got ${feedbackFmr}`);
  const progress = options.onProgress ?? (() => undefined);
  const threads = positiveInt('threads', options.threads, _cores());

  const split = centringSplit(set, options.centring ?? 'auto', seed, options.strict ?? false);
  const d = set.dim, nE = split.evalRows.length;
  const X = new Float32Array(nE * d);
  split.evalRows.forEach((r, k) => X.set(set.vectors.subarray(r * d, (r + 1) * d), k * d));
  const labels = Int32Array.from(split.evalRows, (r) => set.labels[r]!);
  const byId = _rowsByIdentity(labels);
  const ids = [...byId.keys()];
  const G = genuinePairs(labels);
  const I = impostorPairs(labels, options.impostorPairs ?? 1_000_000, seed);
  const M = balancedGenuinePairs(labels, matedPerIdentity, seed);

  // Raw baseline: cosine of the embeddings as they are.
  const t0 = performance.now();
  const U = unitRows(X, d, undefined);
  const rawG = cosineScores(U, d, G), rawI = cosineScores(U, d, I);
  const rawNormal = summariseVerification(rawG, rawI, I.exhaustive);
  const stolen = subsample(I, stolenPairs), stolenSample = stolen.pairs;
  const rawStolen = scenarios.includes('stolen-token') ? summariseVerification(rawG, Float64Array.from(stolen.index, (k) => rawI[k]!), stolenSample.exhaustive) : undefined;
  const rawThreshold = atFmr(rawNormal, SYSTEM_FMR).threshold;
  const rawUnlink = scenarios.includes('unlinkability') ? unlinkabilitySummary(cosineScores(U, d, M), rawI, bins) : undefined;
  const raw: SystemResult = {
    label: 'raw cosine', normalApplication: rawNormal, ...(rawStolen ? { stolenToken: rawStolen } : {}), ...(rawUnlink ? { unlinkability: rawUnlink } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
  progress(1, paramSets.length + 1, 'raw cosine');

  // One centring per strength in use: the public vector, the canonical rows, the typical radius.
  const centrings = new Map<number, Centring>();
  const centringAt = (strength: number): Centring => {
    let c = centrings.get(strength);
    if (!c) {
      const mean = strength > 0 ? split.mean!.map((v) => v * strength) : undefined;
      const Zc = unitRows(X, d, mean);
      c = { strength, mean, canon: _canonicalRows(X, d, mean), radius: centredRadius(set, split.fitRows.length > 0 ? split.fitRows : split.evalRows, mean),
        normal: summariseVerification(cosineScores(Zc, d, G), cosineScores(Zc, d, I), I.exhaustive) };
      centrings.set(strength, c);
    }
    return c;
  };
  const centringFor = (p: TransformParams): Centring => centringAt(split.mean ? options.centringStrength ?? DEFAULT_CENTRING_STRENGTH[p.scheme] : 0);
  // A strength given for every scheme is measured on raw cosine even when no parameter set is evaluated.
  if (split.mean && options.centringStrength !== undefined) centringAt(options.centringStrength);

  const allRows = Uint32Array.from({ length: nE }, (_, i) => i);
  const systems: SystemResult[] = [];
  const pool = new _EvalPool(threads);
  try {
    for (const [ip, p] of paramSets.entries()) {
      const ts = performance.now();
      const timing: Record<string, number> = {};
      let lap = ts;
      /** Charges the time since the last lap to `part`. */
      const charge = (part: string) => { const now = performance.now(); timing[part] = (timing[part] ?? 0) + (now - lap) / 1000; lap = now; };
      const label = paramsLabel(p);
      const step = (what: string) => progress(ip + 1, paramSets.length + 1, `${label}: ${what}`);
      const score = _payloadScorer(p);
      const centring = centringFor(p), canon = centring.canon;
      // Three application instances: A (key 1, salt 1), B (key 1, salt 2: A renewed), C (key 2, salt 3: another application).
      const key1 = _evalSecret(seed, 'application-key', 0, 32), key2 = _evalSecret(seed, 'application-key', 1, 32), salt1 = _evalSecret(seed, 'salt', 1, 16);
      const secrets = [[key1, salt1], [key1, _evalSecret(seed, 'salt', 2, 16)], [key2, _evalSecret(seed, 'salt', 3, 16)]] as const;
      const instances = secrets.map(([key, salt]) => _instance(p, key, salt));
      const [inst1, inst2] = instances as [_Instance, _Instance, _Instance];
      const T = await protectRows(pool, p, secrets, canon, (k, n) => step(`protecting every row, three instances ${k}/${n}`));
      const [T1, T2, T3] = T as [Uint8Array, Uint8Array, Uint8Array];
      const perInstance = T.map((Tk) => ({ g: payloadScores(score, Tk, Tk, G), i: payloadScores(score, Tk, Tk, I) }));
      const normalApplication = summariseVerification(concat(perInstance.map((x) => x.g)), concat(perInstance.map((x) => x.i)), I.exhaustive);
      const spread = perInstance.map((x) => summariseVerification(x.g, x.i, I.exhaustive)).map((v) => ({ eer: v.eer, fnmrAtFmr1e3: atFmr(v, SYSTEM_FMR).fnmr }));
      const sys = atFmr(normalApplication, SYSTEM_FMR);
      const out: { -readonly [K in keyof SystemResult]?: SystemResult[K] } = { label, params: p, centringStrength: centring.strength, normalApplication, instances: spread };
      charge('normal');
      if (scenarios.includes('renewability')) {
        const other = payloadScores(score, T1, T2, G), same = payloadScores(score, T1, T2, { a: allRows, b: allRows, exhaustive: true });
        const both = concat([other, same]);
        out.renewability = {
          pairs: both.length, sameSamplePairs: same.length, threshold: sys.threshold, systemFmr: sys.fmr,
          acceptRate: acceptRate(both, sys.threshold), sameSampleAcceptRate: acceptRate(same, sys.threshold), otherSampleAcceptRate: acceptRate(other, sys.threshold),
          histogram: scoreHistogram({ renewed: both, impostor: perInstance[0]!.i }),
        };
        charge('renewability');
      }
      if (scenarios.includes('unlinkability')) {
        out.unlinkability = unlinkabilitySummary(payloadScores(score, T1, T3, M), payloadScores(score, T1, T3, I), bins);
        charge('unlinkability');
      }
      if (scenarios.includes('normal-subject') || scenarios.includes('stolen-token')) {
        Object.assign(out, await perSubject(pool, p, seed, canon, labels, byId, ids, G, stolenSample, I, score, scenarios, (k, n) => step(`per-subject secrets ${k}/${n}`)));
        charge('normal-subject, stolen-token');
      }
      if (scenarios.includes('inversion')) {
        const applicable = attacksFor(p.scheme);
        const chosen = options.attacks === 'cheapest' ? applicable.slice(0, 1) : (options.attacks ?? applicable).filter((a) => applicable.includes(a));
        const setting: InversionSetting = {
          params: p, key: key1, salt: salt1, inst1, inst2, T1, T2, U, d, centring, fittedMean: split.mean, targets: inversionTargets(byId, ids, attackTargets, seed), seed, rawThreshold, sysThreshold: sys.threshold, score,
        };
        step('inversion (no-template baseline)');
        out.inversionBaseline = inversionBaseline(setting);
        const results: InversionSummary[] = [];
        for (const attack of chosen) results.push(await inversion(pool, attack, setting, geneticEvaluations, (k, n) => step(`inversion (${attack}) ${k}/${n}`)));
        out.inversion = results;
        charge('inversion');
      }
      if (scenarios.includes('score-feedback')) {
        out.scoreFeedback = await _scoreFeedback(pool, {
          instances: instances as [_Instance, _Instance, _Instance], params: p, key: key1, salt: salt1, templates: [T1, T2, T3], score, operatingPoint: atFmr(normalApplication, feedbackFmr), canon, centring: centring.mean, radius: centring.radius,
          publicMean: split.mean, byId, ids, identityOf: (r) => set.identities[labels[r]!]!, inputRow: (r) => split.evalRows[r]!,
        }, seed, feedbackTargets, feedbackQueries, feedbackDisclosures, DEFAULT_SCORE_FEEDBACK_SHAPE, step);
        charge('score-feedback');
      }
      if (out.unlinkability && out.renewability) {
        const eerLimit = rawNormal.eer + 0.005, fnmrLimit = atFmr(rawNormal, SYSTEM_FMR).fnmr + 0.02;
        const t = {
          eer: check(normalApplication.eer, eerLimit), fnmrAtFmr1e3: check(sys.fnmr, fnmrLimit),
          dSys: check(out.unlinkability.dSys, 0.05), renewability: check(out.renewability.acceptRate, 1.5 * sys.fmr),
        };
        out.targets = { ...t, ok: t.eer.ok && t.fnmrAtFmr1e3.ok && t.dSys.ok && t.renewability.ok };
      }
      out.seconds = (performance.now() - ts) / 1000;
      out.scenarioSeconds = timing;
      systems.push(out as SystemResult);
      for (const inst of instances) _wipeInstance(inst);
    }
  } finally {
    await pool.close();
  }
  progress(paramSets.length + 1, paramSets.length + 1, 'done');
  return {
    dataset: {
      name: set.name, dim: d, rows: set.count, identities: set.identities.length, evalRows: nE, evalIdentities: split.evalIdentities,
      fitRows: split.fitRows.length, fitIdentities: split.fitIdentities, singletonIdentities: split.singletonIdentities,
    },
    protocol: {
      seed, centring: split.protocol, scenarios: [...scenarios], genuinePairs: G.a.length, impostorPairs: I.a.length, impostorPairsExhaustive: I.exhaustive,
      systemFmr: SYSTEM_FMR, stolenPairs: stolenSample.a.length, attackTargets, geneticEvaluations, unlinkabilityBins: bins, matedPerIdentity,
      feedbackTargets, feedbackQueries, feedbackDisclosures: [...feedbackDisclosures], feedbackFmr,
    },
    raw, rawCentred: [...centrings.values()].map((c) => ({ centringStrength: c.strength, normal: c.normal })), systems, seconds: (performance.now() - started) / 1000,
  };
}

/**
 * `n` pairs of a pair list (all of it when shorter), and their indices in it: the first n of a
 * seeded sample (itself a uniform sample), or n evenly spaced pairs of an exhaustive enumeration.
 */
function subsample(pairs: PairList, n: number): { pairs: PairList; index: Uint32Array } {
  const total = pairs.a.length;
  if (n >= total) return { pairs, index: Uint32Array.from({ length: total }, (_, k) => k) };
  const index = pairs.exhaustive ? Uint32Array.from({ length: n }, (_, k) => Math.floor((k * total) / n)) : Uint32Array.from({ length: n }, (_, k) => k);
  return { pairs: { a: index.map((k) => pairs.a[k]!), b: index.map((k) => pairs.b[k]!), exhaustive: false }, index };
}

/** A centring in use: strength, public vector, canonical rows, radius and the raw cosine after it. */
interface Centring {
  readonly strength: number;
  readonly mean: Float32Array | undefined;
  readonly canon: Int16Array;
  readonly radius: number;
  readonly normal: VerificationSummary;
}

/** Mean L2 norm of the rows minus `mean`. */
function centredRadius(set: EmbeddingSet, rows: ArrayLike<number>, mean: Float32Array | undefined): number {
  let total = 0;
  for (let k = 0; k < rows.length; k++) {
    let s = 0;
    for (let i = 0; i < set.dim; i++) s += (set.vectors[rows[k]! * set.dim + i]! - (mean ? mean[i]! : 0)) ** 2;
    total += Math.sqrt(s);
  }
  return total / rows.length;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}

function unlinkabilitySummary(mated: Float64Array, nonMated: Float64Array, bins: number): UnlinkabilitySummary {
  const u = unlinkability(mated, nonMated, bins);
  return {
    matedCount: u.matedCount, nonMatedCount: u.nonMatedCount, dSys: u.dSys, dSysFloor: unlinkabilityFloor(nonMated, mated.length, bins), dMax: u.dMax, bins: u.bins, binLow: u.binLow, binWidth: u.binWidth,
    local: [...u.local], matedHist: [...u.matedHist], nonMatedHist: [...u.nonMatedHist],
  };
}

/** Rows per job when every row is protected under an application instance. */
const ROWS_PER_JOB = 2048;

/**
 * Every canonical row protected under each instance (key, salt) of `secrets`: jobs of
 * ROWS_PER_JOB rows, instance by instance, so a worker derives each instance's material once.
 */
async function protectRows(
  pool: _EvalPool, p: TransformParams, secrets: readonly (readonly [Uint8Array, Uint8Array])[], canon: Int16Array, tick: (k: number, n: number) => void,
): Promise<Uint8Array[]> {
  const d = p.dim, n = canon.length / d;
  const jobs: _RowsJob[] = secrets.flatMap(([key, salt]) => Array.from({ length: Math.ceil(n / ROWS_PER_JOB) }, (_, c): _RowsJob =>
    ({ kind: 'rows', params: p, key, salt, canon: canon.slice(c * ROWS_PER_JOB * d, Math.min(n, (c + 1) * ROWS_PER_JOB) * d) })));
  const parts = await pool.run(jobs, (done) => tick(done, jobs.length));
  const per = parts.length / secrets.length;
  return secrets.map((_, k) => {
    const mine = parts.slice(k * per, (k + 1) * per) as Uint8Array[];
    const out = new Uint8Array(mine.reduce((t, x) => t + x.length, 0));
    let at = 0;
    for (const x of mine) { out.set(x, at); at += x.length; }
    return out;
  });
}

/** Identities per job of the per-subject scenarios (each derives its own material). */
const SUBJECTS_PER_JOB = 32;

/**
 * Per-subject secrets: every identity has its own key and salt. Normal: an impostor presents his
 * own sample under his own secrets. Stolen token: an impostor's sample under the victim's secrets
 * against one of the victim's templates (victims and probes seeded). The protection runs as jobs
 * of SUBJECTS_PER_JOB identities on the pool.
 */
async function perSubject(
  pool: _EvalPool, p: TransformParams, seed: number, canon: Int16Array, labels: Int32Array, byId: Map<number, number[]>, ids: number[],
  G: PairList, stolenSample: PairList, I: PairList, score: ReturnType<typeof _payloadScorer>,
  scenarios: readonly ScenarioName[], tick: (k: number, n: number) => void,
): Promise<Pick<SystemResult, 'normalSubject' | 'stolenToken'>> {
  const d = p.dim, nb = _schemeOf(p).payloadBytes(p);
  // Stolen token: impostor pair k (a, b) presents b protected with a's key and salt against a's
  // template. Pairs grouped by a's identity, so each identity's material is derived once.
  const replay = new Map<number, number[]>();
  if (scenarios.includes('stolen-token')) {
    for (let k = 0; k < stolenSample.a.length; k++) {
      const id = labels[stolenSample.a[k]!]!;
      let list = replay.get(id);
      if (!list) replay.set(id, (list = []));
      list.push(k);
    }
  }
  // Each identity's rows: its own, then the probes replayed against it.
  const rowsOf = (id: number) => [...byId.get(id)!, ...(replay.get(id) ?? []).map((q) => stolenSample.b[q]!)];
  const jobs: _SubjectsJob[] = [];
  for (let k = 0; k < ids.length; k += SUBJECTS_PER_JOB) {
    const group = ids.slice(k, k + SUBJECTS_PER_JOB), lists = group.map(rowsOf), rows = lists.flat();
    const sub = new Int16Array(rows.length * d);
    rows.forEach((r, i) => sub.set(canon.subarray(r * d, (r + 1) * d), i * d));
    jobs.push({ kind: 'subjects', params: p, seed, ids: group, counts: lists.map((l) => l.length), canon: sub });
  }
  const results = await pool.run(jobs, (done) => tick(done, jobs.length));
  const TS = new Uint8Array(labels.length * nb);
  const stolen = new Float64Array(stolenSample.a.length);
  jobs.forEach((job, j) => {
    const P = results[j] as Uint8Array;
    let at = 0;
    for (const id of job.ids) {
      for (const r of byId.get(id)!) TS.set(P.subarray(at * nb, ++at * nb), r * nb);
      for (const q of replay.get(id) ?? []) stolen[q] = score(TS, stolenSample.a[q]!, P, at++);
    }
  });
  const genuine = payloadScores(score, TS, TS, G);
  return {
    ...(scenarios.includes('normal-subject') ? { normalSubject: summariseVerification(genuine, payloadScores(score, TS, TS, I), I.exhaustive) } : {}),
    ...(scenarios.includes('stolen-token') ? { stolenToken: summariseVerification(genuine, stolen, stolenSample.exhaustive) } : {}),
  };
}

/** What every inversion attack of one parameter set works with. */
interface InversionSetting {
  /** Instance 1's parameter set and secrets (what the attacker holds), for the attack jobs. */
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly inst1: _Instance;
  readonly inst2: _Instance;
  readonly T1: Uint8Array;
  readonly T2: Uint8Array;
  readonly U: Float64Array;
  readonly d: number;
  readonly centring: Centring;
  /** The model's public mean as fitted (the system subtracts centring.strength times it). */
  readonly fittedMean: Float32Array | undefined;
  /** The same targets for every attack and the baseline (inversionTargets). */
  readonly targets: readonly InversionTarget[];
  readonly seed: number;
  readonly rawThreshold: number;
  readonly sysThreshold: number;
  readonly score: ReturnType<typeof _payloadScorer>;
}

/** One target of the inversion scenario: a person's rows and the one whose template leaked. */
interface InversionTarget { readonly rows: number[]; readonly leakedRow: number }

/** The targets of the inversion scenario: one leaked row of each of `count` seeded identities. */
function inversionTargets(byId: Map<number, number[]>, ids: number[], count: number, seed: number): InversionTarget[] {
  const rng = new _EvalRng(seed, 'inversion/targets');
  const chosen = ids.map((id) => ({ id, key: rng.float() })).sort((a, b) => a.key - b.key).slice(0, Math.min(count, ids.length));
  return chosen.map(({ id }) => { const rows = byId.get(id)!; return { rows, leakedRow: rows[rng.int(rows.length)]! }; });
}

/** Tallies acceptance of presented embeddings per target. */
class AcceptanceTally {
  n = 0; rawSame = 0; protSame = 0; renewSame = 0;
  rawOther = 0; protOther = 0; renewOther = 0; others = 0;
  rawPerson = 0; protPerson = 0; renewPerson = 0; persons = 0;

  /** One target: accepted against the leaked row (raw, protected) and per other row (raw, protected, renewed). */
  add(same: { raw: boolean; prot: boolean }, other: ReadonlyArray<{ raw: boolean; prot: boolean; renewed: boolean }>): void {
    this.n++;
    if (same.raw) this.rawSame++;
    if (same.prot) this.protSame++;
    if (other.length === 0) return;
    const raw = other.filter((o) => o.raw).length, prot = other.filter((o) => o.prot).length, renewed = other.filter((o) => o.renewed).length;
    this.rawOther += raw; this.protOther += prot; this.renewOther += renewed; this.others += other.length;
    this.rawPerson += raw / other.length; this.protPerson += prot / other.length; this.renewPerson += renewed / other.length; this.persons++;
  }

  rates(): AcceptanceRates {
    const per = (x: number) => (this.persons ? x / this.persons : 0), pooled = (x: number) => (this.others ? x / this.others : 0);
    return {
      rawSameSample: this.rawSame / this.n, rawOtherSamples: pooled(this.rawOther), rawOtherSamplesPerPerson: per(this.rawPerson),
      protectedSameSample: this.protSame / this.n, protectedOtherSamples: pooled(this.protOther), protectedOtherSamplesPerPerson: per(this.protPerson),
    };
  }
}

/**
 * Scores one presented embedding (model space) against a target's rows: raw cosine at the raw
 * threshold, protected (instance 1) and renewed (instance 2) payloads at the system threshold.
 */
function present(s: InversionSetting, presented: Float32Array, canon: Int16Array, target: { rows: number[]; leakedRow: number }, tally: AcceptanceTally): number {
  const { d, U, T1, T2, score } = s;
  let pn = 0;
  for (let i = 0; i < d; i++) pn += presented[i]! ** 2;
  const unit = Float64Array.from(presented, (v) => v / Math.sqrt(pn));
  const P1 = _applyRows(s.inst1, canon, [0]), P2 = _applyRows(s.inst2, canon, [0]);
  const cosTo = (row: number) => { let c = 0; for (let i = 0; i < d; i++) c += unit[i]! * U[row * d + i]!; return c; };
  const r = target.leakedRow;
  const leakedScore = score(P1, 0, T1, r);
  tally.add(
    { raw: cosTo(r) >= s.rawThreshold, prot: leakedScore >= s.sysThreshold },
    target.rows.filter((j) => j !== r).map((j) => ({ raw: cosTo(j) >= s.rawThreshold, prot: score(P1, 0, T1, j) >= s.sysThreshold, renewed: score(P2, 0, T2, j) >= s.sysThreshold })),
  );
  return leakedScore;
}

/** The model's public mean presented to every target (undefined rates when the system centres it away entirely). */
function inversionBaseline(s: InversionSetting): InversionBaseline {
  const tally = new AcceptanceTally();
  const { fittedMean, centring } = s;
  const { targets } = s;
  if (!fittedMean || centring.strength >= 1) {
    // Nothing to present: without a mean there is no public point; fully centred, the mean maps
    // to the zero vector, which no protect() accepts. The baseline is then "never accepted".
    for (const t of targets) tally.add({ raw: false, prot: false }, t.rows.filter((j) => j !== t.leakedRow).map(() => ({ raw: false, prot: false, renewed: false })));
  } else {
    const canon = _canonicalise(fittedMean, centring.mean);
    for (const t of targets) present(s, fittedMean, canon, t, tally);
  }
  return { targets: targets.length, ...tally.rates() };
}

/**
 * Where the optimisation attack starts when the system has a public point: the unit direction,
 * in the transform's input space, of presenting the model's public mean (without one — no
 * centring, or full centring — the attack makes seeded random starts).
 */
function publicStart(s: InversionSetting): Float64Array | undefined {
  const { fittedMean, centring } = s;
  return fittedMean && centring.strength < 1 ? _normalise(Float64Array.from(fittedMean, (v, i) => v - (centring.mean ? centring.mean[i]! : 0))) : undefined;
}

/** One attack on the scenario's targets (one leaked row of each of distinct, seeded identities), one job per target. */
async function inversion(pool: _EvalPool, attack: AttackName, s: InversionSetting, evaluations: number, tick: (k: number, n: number) => void): Promise<InversionSummary> {
  const { inst1, T1, d, centring } = s;
  const nb = inst1.payloadBytes;
  const tally = new AcceptanceTally();
  let cosSum = 0, leakedSum = 0;
  const { targets } = s;
  const start = attack === 'optimisation' ? publicStart(s) : undefined;
  const jobs = targets.map((t, k): _InversionJob => ({
    kind: 'inversion', params: s.params, key: s.key, salt: s.salt, attack, leaked: T1.slice(t.leakedRow * nb, (t.leakedRow + 1) * nb),
    target: k, seed: s.seed, publicStart: start, geneticEvaluations: evaluations,
  }));
  const reconstructions = await pool.run(jobs, (done) => tick(done, jobs.length));
  targets.forEach((target, k) => {
    const r = target.leakedRow, u = reconstructions[k] as Float64Array;
    // What the attacker presents: an embedding in the model's space, the public centring vector
    // plus the direction at the typical radius of centred embeddings (estimated on other people).
    const { mean, radius } = centring;
    const presented = Float32Array.from(u, (v, i) => radius * v + (mean ? mean[i]! : 0));
    const c = mean ? _canonicalise(presented, mean) : _toCanonical(u);
    let own = 0;
    for (let i = 0; i < d; i++) own += (u[i]! * centring.canon[r * d + i]!) / CANONICAL_SCALE;
    cosSum += own;
    leakedSum += present(s, presented, c, target, tally);
  });
  const n = targets.length;
  return {
    attack, targets: n, meanCosine: cosSum / n, meanLeakedScore: leakedSum / n, ...tally.rates(),
    renewedOtherSamples: tally.others ? tally.renewOther / tally.others : 0, renewedOtherSamplesPerPerson: tally.persons ? tally.renewPerson / tally.persons : 0,
    ...(attack === 'genetic' ? { geneticEvaluations: evaluations } : {}),
  };
}
