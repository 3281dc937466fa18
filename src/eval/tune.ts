// Tuning for another model (docs/EVALUATION.md "Tuning for another model", steps 2 and 3) as one
// run: the centring strength is the largest of 0.25, 0.5 and 1 whose raw FNMR at FMR 1e-3 stays
// within 1 point of the uncentred raw figure; the sweep of one scheme then runs at that strength,
// and the recommendation is the cheapest parameter set (smallest template, then least material)
// whose row meets every target. The tables it chose from are part of the result.
import { DEFAULT_CENTRING_STRENGTH } from '../transforms/defaults.js';
import { _schemeOf } from '../transforms/registry.js';
import type { SchemeName, TransformParams } from '../transforms/scheme.js';
import type { EmbeddingSet } from './dataset.js';
import { evaluate, type EvaluateOptions, type EvaluationResult, type SystemResult } from './evaluate.js';
import { atFmr } from './summary.js';
import { sweepGrid } from './sweep.js';

/** Centring strengths tried, and how far (FNMR points at FMR 1e-3) centring may cost against uncentred raw cosine. */
export const TUNE_STRENGTHS: readonly number[] = [0.25, 0.5, 1];
export const TUNE_CENTRING_TOLERANCE = 0.01;

/** Options of tune(): the scheme, and the sampling of evaluate(). */
export interface TuneOptions extends Pick<EvaluateOptions, 'seed' | 'impostorPairs' | 'attackTargets' | 'centring' | 'onProgress' | 'threads'> {
  readonly scheme: SchemeName;
}

/** One row of the sweep with what it costs. */
export interface TunedSet {
  readonly params: TransformParams;
  readonly label: string;
  /** Template payload bytes, and projection material bytes (what protect derives and reads). */
  readonly payloadBytes: number;
  readonly materialBytes: number;
  readonly ok: boolean;
}

/** What tune() measured and chose. */
export interface TuneResult {
  readonly scheme: SchemeName;
  /** Raw cosine FNMR at FMR 1e-3, uncentred. */
  readonly rawFnmr: number;
  /** Raw cosine FNMR at FMR 1e-3 after subtracting each strength of the mean. */
  readonly strengths: readonly { readonly strength: number; readonly fnmr: number }[];
  /** The strength chosen (the scheme's default when the set has no mean to fit). */
  readonly strength: number;
  /** Every set of the sweep, cheapest first, with whether it meets every target. */
  readonly sets: readonly TunedSet[];
  /** The recommendation: the first set of `sets` that meets every target, or undefined. */
  readonly choice?: TunedSet;
  /** The sweep's whole evaluation (its Markdown table: sweepTable). */
  readonly sweep: EvaluationResult;
}

/**
 * Runs the tuning procedure on a labelled embedding set.
 * @example
 * import { readEmbeddings, tune } from 'templock/eval';
 * const t = await tune(readEmbeddings('mine.npy', 'labels.txt'), { scheme: 'sign' });
 * console.log(t.strength, t.choice?.label);
 */
export async function tune(set: EmbeddingSet, options: TuneOptions): Promise<TuneResult> {
  const { scheme, onProgress, ...sampling } = options;
  const grid = sweepGrid(scheme, set.dim);
  if (grid.length === 0) throw new RangeError(`"scheme" ${scheme} has no sweep set for dimension ${set.dim}`);
  // Step 2: the cost of centring, on raw cosine alone (no parameter set is protected).
  const runs: EvaluationResult[] = [];
  for (const [i, strength] of TUNE_STRENGTHS.entries()) {
    runs.push(await evaluate(set, {
      ...sampling, params: [], scenarios: [], centringStrength: strength,
      onProgress: (d, t, label) => onProgress?.(d, t, `centring ${strength} (${i + 1}/${TUNE_STRENGTHS.length}): ${label}`),
    }));
  }
  const rawFnmr = atFmr(runs[0]!.raw.normalApplication!, 1e-3).fnmr;
  const strengths = runs.flatMap((r, i) => r.rawCentred.filter((c) => c.centringStrength === TUNE_STRENGTHS[i]).map((c) => ({ strength: c.centringStrength, fnmr: atFmr(c.normal, 1e-3).fnmr })));
  const within = strengths.filter((s) => s.fnmr <= rawFnmr + TUNE_CENTRING_TOLERANCE);
  const strength = strengths.length === 0 ? DEFAULT_CENTRING_STRENGTH[scheme] : within.length > 0 ? within[within.length - 1]!.strength : TUNE_STRENGTHS[0]!;
  // Step 3: the sweep at that strength; the cheapest set meeting every target.
  const sweep = await evaluate(set, {
    ...sampling, params: grid, scenarios: ['renewability', 'unlinkability', 'inversion'], centringStrength: strength, attacks: 'cheapest',
    impostorPairs: sampling.impostorPairs ?? 300_000, attackTargets: sampling.attackTargets ?? 20,
    onProgress: (d, t, label) => onProgress?.(d, t, `sweep at centring ${strength}: ${label}`),
  });
  const sets = sweep.systems.map((s: SystemResult): TunedSet => {
    const p = s.params!, sch = _schemeOf(p);
    return { params: p, label: s.label, payloadBytes: sch.payloadBytes(p), materialBytes: sch.materialBytes(p), ok: s.targets?.ok === true };
  }).sort((a, b) => a.payloadBytes - b.payloadBytes || a.materialBytes - b.materialBytes);
  const choice = sets.find((s) => s.ok);
  return { scheme, rawFnmr, strengths, strength, sets, ...(choice ? { choice } : {}), sweep };
}
