// The evaluation's parallel work (docs/EVALUATION.md "Speed"), as jobs that run the same on this
// thread or on a worker (eval-pool.ts): protecting a block of rows under one application
// instance, protecting the rows of a group of identities under per-subject secrets, one
// inversion attack on one target, and one score-feedback climb against one person. A job's result depends only on the
// job (every random choice is seeded by the target or identity it serves), so an evaluation gives
// the same figures on any number of threads.
import { geneticInversion, linearInversion, DEFAULT_GENETIC, _normalise, type AttackName } from './attacks.js';
import { _applyRows, _instance, _payloadScorer, _wipeInstance, type _Instance } from './batch.js';
import { optimisationInversion } from './optimisation-attack.js';
import { _climb, _FeedbackOracle, type _ClimbResult, type ScoreFeedbackShape } from './score-feedback.js';
import type { ScoreDisclosure } from '../match/disclosure.js';
import { _EvalRng, _evalSecret } from './rng.js';
import type { TransformParams } from '../transforms/scheme.js';

/** Protect the rows of identities ids[k] (counts[k] canonical rows each, in order in canon) under each one's own key and salt. */
export interface _SubjectsJob {
  readonly kind: 'subjects';
  readonly params: TransformParams;
  readonly seed: number;
  readonly ids: readonly number[];
  readonly counts: readonly number[];
  readonly canon: Int16Array;
}

/** Protect the canonical rows of `canon` under the instance (params, key, salt). */
export interface _RowsJob {
  readonly kind: 'rows';
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly canon: Int16Array;
}

/** Reconstruct an input from one leaked payload under the instance (params, key, salt) with `attack`. */
export interface _InversionJob {
  readonly kind: 'inversion';
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly attack: AttackName;
  readonly leaked: Uint8Array;
  /** The target's index: its attack's random choices are seeded by (seed, attack, target). */
  readonly target: number;
  readonly seed: number;
  /** Where the optimisation starts when the system has a public point; else seeded random starts. */
  readonly publicStart: Float64Array | undefined;
  readonly geneticEvaluations: number;
}

/** Climb the feedback of one enrolled payload under the instance (params, key, salt), as _climb does. */
export interface _ClimbJob {
  readonly kind: 'climb';
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly centring: Float32Array | undefined;
  readonly enrolled: Uint8Array;
  readonly threshold: number;
  readonly disclosure: ScoreDisclosure;
  readonly start: Float32Array;
  readonly radius: number;
  readonly budget: number;
  readonly shape: ScoreFeedbackShape;
  /** The climb's perturbations are seeded by (seed, identity): the same for every disclosure. */
  readonly seed: number;
  readonly identity: number;
}

export type _EvalJob = _RowsJob | _SubjectsJob | _InversionJob | _ClimbJob;
/** Payloads (rows, subjects), a reconstruction (inversion) or a climb's outcome. */
export type _EvalResult = Uint8Array | Float64Array | _ClimbResult;

/** Random starts of the optimisation attack where there is no public point to start from. */
export const OPTIMISATION_RESTARTS = 4;

/** The instance a runner last derived, kept for the next job of the same secrets (an evaluation goes instance by instance). */
export class _InstanceCache {
  private held: { id: string; inst: _Instance } | undefined;

  get(params: TransformParams, key: Uint8Array, salt: Uint8Array): _Instance {
    const id = JSON.stringify([params, Array.from(key), Array.from(salt)]);
    if (this.held?.id !== id) {
      this.clear();
      this.held = { id, inst: _instance(params, key, salt) };
    }
    return this.held.inst;
  }

  /** Wipes the held instance's material. */
  clear(): void {
    if (this.held) _wipeInstance(this.held.inst);
    this.held = undefined;
  }
}

/** Runs one job. */
export function _runEvalJob(job: _EvalJob, cache: _InstanceCache): _EvalResult {
  if (job.kind === 'subjects') return protectSubjects(job);
  const inst = cache.get(job.params, job.key, job.salt);
  if (job.kind === 'rows') return _applyRows(inst, job.canon, Uint32Array.from({ length: job.canon.length / job.params.dim }, (_, i) => i));
  if (job.kind === 'inversion') return reconstruct(job, inst);
  const oracle = new _FeedbackOracle(inst, job.centring, job.enrolled, 0, job.threshold, job.disclosure, _payloadScorer(job.params));
  return _climb(oracle, job.start, job.radius, job.budget, new _EvalRng(job.seed, `score-feedback/${job.identity}`), job.shape);
}

function protectSubjects(job: _SubjectsJob): Uint8Array {
  const { params, seed, ids, counts, canon } = job;
  let out: Uint8Array | undefined, at = 0, row = 0;
  ids.forEach((id, k) => {
    const inst = _instance(params, _evalSecret(seed, 'subject-key', id, 32), _evalSecret(seed, 'subject-salt', id, 16));
    out ??= new Uint8Array(canon.length / params.dim * inst.payloadBytes);
    const P = _applyRows(inst, canon, Uint32Array.from({ length: counts[k]! }, (_, i) => row + i));
    out.set(P, at);
    at += P.length;
    row += counts[k]!;
    _wipeInstance(inst);
  });
  return out ?? new Uint8Array(0);
}

function reconstruct(job: _InversionJob, inst: _Instance): Float64Array {
  const rng = new _EvalRng(job.seed, `inversion/${job.attack}/${job.target}`);
  if (job.attack === 'linear') return linearInversion(inst, job.leaked);
  if (job.attack === 'genetic') return geneticInversion(inst, job.leaked, rng, { ...DEFAULT_GENETIC, evaluations: job.geneticEvaluations });
  const d = inst.params.dim;
  const starts = job.publicStart ? [job.publicStart] : Array.from({ length: OPTIMISATION_RESTARTS }, () => _normalise(Float64Array.from({ length: d }, () => rng.gauss())));
  let best: { u: Float64Array; reproduced: number } | undefined;
  for (const start of starts) {
    const r = optimisationInversion(inst, job.leaked, start);
    if (!best || r.reproduced > best.reproduced) best = r;
  }
  return best!.u;
}
