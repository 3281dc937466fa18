// The score-feedback attack (docs/EVALUATION.md "Score feedback"): someone who holds no key, salt
// or template, but can present embeddings to the verification of one enrolled person, climbs what
// the matcher discloses -- the exact score, the coarsened score (coarsenScore) or the decision
// alone -- by natural evolution strategies: antithetic Gaussian perturbations of the current
// embedding estimate the gradient of the feedback from paired differences, and the estimate moves
// a fixed distance along it. It starts from the public mean (the no-template baseline) and stops
// at the first accepted presentation or at the query budget. Each query is one protection and
// one comparison, run through the evaluation's batch kernels.
import { _canonicalise, CANONICAL_SCALE } from '../canonical.js';
import { _disclose, type ScoreDisclosure } from '../match/disclosure.js';
import { _applyRows, type _Instance } from './batch.js';
import type { FnmrAtFmr } from './metrics.js';
import { _EvalRng } from './rng.js';
import type { _ClimbJob } from './eval-jobs.js';
import type { _EvalPool } from './eval-pool.js';
import type { TransformParams } from '../transforms/scheme.js';

/** Shape of the climb: antithetic pairs per gradient estimate, perturbation and step sizes. */
export interface ScoreFeedbackShape {
  /** Antithetic pairs per gradient estimate (2 x pairs queries, plus one for the moved estimate). */
  readonly pairs: number;
  /** Length of a perturbation, as a fraction of the typical centred radius. */
  readonly sigma: number;
  /** Length of a step along the estimated gradient, as a fraction of the typical centred radius. */
  readonly step: number;
}

/** The shape the evaluation uses, the same for every scheme, disclosure and data set (docs/EVALUATION.md "Scenarios"). */
export const DEFAULT_SCORE_FEEDBACK_SHAPE: ScoreFeedbackShape = { pairs: 50, sigma: 0.3, step: 0.15 };

/** What one presentation returns: the decision, and the feedback the attacker climbs. */
interface Presentation {
  readonly accepted: boolean;
  /** The disclosed score, or under 'none' the decision as 0 or 1. */
  readonly feedback: number;
}

/**
 * The verification of one enrolled template as the attacker sees it: embeddings in, decisions and
 * disclosed scores out. An embedding that the system refuses to protect (the centring vector
 * itself) is a rejection with feedback 0.
 */
export class _FeedbackOracle {
  constructor(
    private readonly inst: _Instance, private readonly centring: Float32Array | undefined, private readonly enrolled: Uint8Array,
    private readonly enrolledRow: number, private readonly threshold: number, private readonly disclosure: ScoreDisclosure,
    private readonly score: (A: Uint8Array, ia: number, B: Uint8Array, ib: number) => number,
  ) {}

  /** Presents `rows` in order and answers each, up to and including the first accepted one. */
  present(rows: readonly Float32Array[]): Presentation[] {
    const d = this.inst.params.dim;
    const canon = new Int16Array(rows.length * d), valid: number[] = [];
    rows.forEach((x, k) => {
      try { canon.set(_canonicalise(x, this.centring), k * d); valid.push(k); } catch { /* refused: the centring vector itself */ }
    });
    const P = _applyRows(this.inst, canon, valid);
    const out: Presentation[] = [];
    for (let k = 0, v = 0; k < rows.length; k++) {
      if (valid[v] !== k) { out.push({ accepted: false, feedback: 0 }); continue; }
      const s = this.score(P, v++, this.enrolled, this.enrolledRow), accepted = s >= this.threshold;
      out.push({ accepted, feedback: this.disclosure === 'none' ? (accepted ? 1 : 0) : _disclose(s, this.disclosure)! });
      if (accepted) break;
    }
    canon.fill(0);
    return out;
  }
}

/** Outcome of one climb. */
export interface _ClimbResult {
  /** Queries up to and including the first accepted one, or every query made when none was. */
  readonly queries: number;
  readonly accepted: boolean;
  /** The accepted presentation, or the final estimate when none was accepted. */
  readonly embedding: Float32Array;
}

/**
 * Natural evolution strategies against `oracle` from `start` (query 1 presents `start` itself).
 * Perturbations are sigma x radius x N(0, I/dim) in pairs (+e, -e); the gradient estimate is
 * sum_i (f(x + e_i) - f(x - e_i)) e_i, and x moves step x radius along its direction, then is
 * presented. A zero estimate (every pair tied, as under decisions only before an accept) leaves
 * x in place and the next pairs are drawn around it.
 */
export function _climb(oracle: _FeedbackOracle, start: Float32Array, radius: number, budget: number, rng: _EvalRng, shape: ScoreFeedbackShape): _ClimbResult {
  const d = start.length;
  let used = 0;
  const ask = (rows: Float32Array[]): { answers: Presentation[]; hit: Float32Array | undefined } => {
    const answers = oracle.present(rows.slice(0, budget - used));
    used += answers.length;
    const last = answers[answers.length - 1];
    return { answers, hit: last?.accepted ? rows[answers.length - 1] : undefined };
  };
  const first = ask([start]);
  if (first.hit) return { queries: used, accepted: true, embedding: first.hit };
  const x = Float64Array.from(start);
  const scale = (shape.sigma * radius) / Math.sqrt(d);
  const g = new Float64Array(d), eps = new Float64Array(shape.pairs * d);
  while (used < budget) {
    const rows: Float32Array[] = [];
    for (let i = 0; i < shape.pairs; i++) {
      for (let j = 0; j < d; j++) eps[i * d + j] = rng.gauss();
      rows.push(Float32Array.from(x, (v, j) => v + scale * eps[i * d + j]!), Float32Array.from(x, (v, j) => v - scale * eps[i * d + j]!));
    }
    const { answers, hit } = ask(rows);
    if (hit) return { queries: used, accepted: true, embedding: hit };
    if (answers.length < rows.length) break;
    g.fill(0);
    for (let i = 0; i < shape.pairs; i++) {
      const diff = answers[2 * i]!.feedback - answers[2 * i + 1]!.feedback;
      if (diff !== 0) for (let j = 0; j < d; j++) g[j]! += diff * eps[i * d + j]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += g[j]! * g[j]!;
    if (norm === 0) continue;
    const move = (shape.step * radius) / Math.sqrt(norm);
    for (let j = 0; j < d; j++) x[j]! += move * g[j]!;
    const moved = ask([Float32Array.from(x)]);
    if (moved.hit) return { queries: used, accepted: true, embedding: moved.hit };
  }
  return { queries: used, accepted: false, embedding: Float32Array.from(x) };
}

/** One attacked person under one disclosure. */
export interface ScoreFeedbackTarget {
  /** Identity name, and the row (of the input set) of the enrolled photo. */
  readonly identity: string;
  readonly row: number;
  /** Queries to the first accept (the public mean itself is query 1); null: none within the budget. */
  readonly queries: number | null;
  /** Cosine of the reconstruction to the enrolled embedding, both centred by the centring vector. */
  readonly cosine: number;
  /** The reconstruction accepted after renewal (same key, new salt, same photo re-enrolled). */
  readonly renewed: boolean;
  /** The reconstruction accepted by another application (another key and salt, same photo). */
  readonly otherKey: boolean;
  /** The person's other photos, and how many of their templates accept the reconstruction. */
  readonly otherPhotos: number;
  readonly otherPhotosAccepted: number;
}

/** The attack on every target under one disclosure; rates are over targets (persons). */
export interface ScoreFeedbackSummary {
  readonly disclosure: ScoreDisclosure;
  readonly targets: number;
  readonly acceptRate: number;
  /** Quartiles of queries to the first accept over all targets (nearest rank); null: beyond the budget. */
  readonly queries: { readonly q1: number | null; readonly median: number | null; readonly q3: number | null };
  readonly meanCosine: number;
  readonly renewedAcceptRate: number;
  readonly otherKeyAcceptRate: number;
  /** Mean over persons of the share of their other photos that accept the reconstruction. */
  readonly otherPhotosAcceptRate: number;
  /** Share of persons with at least one other photo accepting the reconstruction. */
  readonly personsOtherPhotoAccepted: number;
  readonly perTarget: readonly ScoreFeedbackTarget[];
}

/** The no-template baseline: the public mean presented to every evaluated template. */
export interface ScoreFeedbackBaseline {
  readonly templates: number;
  readonly acceptRate: number;
  readonly identities: number;
  /** Share of identities with at least one template accepting the public mean. */
  readonly identitiesAccepted: number;
}

/** The score-feedback scenario of one system. */
export interface ScoreFeedbackResult {
  /** The operating point of the normal scenario the attack must reach: target FMR, achieved FMR, threshold, measurable. */
  readonly fmr: number;
  readonly achievedFmr: number;
  readonly threshold: number;
  readonly measurable: boolean;
  readonly queryBudget: number;
  readonly shape: ScoreFeedbackShape;
  readonly baseline: ScoreFeedbackBaseline;
  readonly attacks: readonly ScoreFeedbackSummary[];
}

/** What the scenario needs from the evaluation run: three application instances and their templates. */
export interface _FeedbackSetting {
  /** Instances A (enrolment), B (A renewed: same key, new salt), C (another key and salt) and their payloads of every evaluated row. */
  readonly instances: readonly [_Instance, _Instance, _Instance];
  /** A's parameter set and secrets, for the climb jobs (eval-jobs.ts). */
  readonly params: TransformParams;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly templates: readonly [Uint8Array, Uint8Array, Uint8Array];
  readonly score: (A: Uint8Array, ia: number, B: Uint8Array, ib: number) => number;
  /** The operating point (of the normal scenario) whose threshold decides every presentation. */
  readonly operatingPoint: FnmrAtFmr;
  /** Canonical rows of the evaluated embeddings (centred), the centring vector and the typical centred radius. */
  readonly canon: Int16Array;
  readonly centring: Float32Array | undefined;
  readonly radius: number;
  /** The public mean the attack starts from (undefined: no centring, the attack starts at the origin). */
  readonly publicMean: Float32Array | undefined;
  readonly byId: Map<number, number[]>;
  readonly ids: readonly number[];
  /** Identity name and input-set row of an evaluated row. */
  readonly identityOf: (row: number) => string;
  readonly inputRow: (row: number) => number;
}

/** Nearest-rank quantile of queries (null = beyond the budget, sorted last). */
function quantile(sorted: readonly (number | null)[], p: number): number | null {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/**
 * Runs the score-feedback attack on `targets` seeded persons (one enrolled photo each) under each
 * disclosure, with the same perturbations for every disclosure of a person, and the baseline. The
 * climbs run as jobs on the pool (one per person and disclosure).
 */
export async function _scoreFeedback(
  pool: _EvalPool, s: _FeedbackSetting, seed: number, targets: number, budget: number, disclosures: readonly ScoreDisclosure[], shape: ScoreFeedbackShape,
  tick: (label: string) => void,
): Promise<ScoreFeedbackResult> {
  const [inst1, inst2, inst3] = s.instances, [T1, T2, T3] = s.templates, threshold = s.operatingPoint.threshold;
  const d = inst1.params.dim, nRows = s.canon.length / d, nb = inst1.payloadBytes;
  const start = s.publicMean ?? new Float32Array(d);
  const accepts = (x: Float32Array): ((inst: _Instance, T: Uint8Array, row: number) => boolean) => {
    let c: Int16Array | undefined;
    try { c = _canonicalise(x, s.centring); } catch { return () => false; }
    const cache = new Map<_Instance, Uint8Array>();
    return (inst, T, row) => {
      let P = cache.get(inst);
      if (!P) { P = _applyRows(inst, c, [0]); cache.set(inst, P); }
      return s.score(P, 0, T, row) >= threshold;
    };
  };
  const atMean = accepts(start);
  let baseAccepted = 0, baseIds = 0;
  for (const id of s.ids) {
    let any = false;
    for (const r of s.byId.get(id)!) if (atMean(inst1, T1, r)) { baseAccepted++; any = true; }
    if (any) baseIds++;
  }
  const baseline = { templates: nRows, acceptRate: baseAccepted / nRows, identities: s.ids.length, identitiesAccepted: baseIds / s.ids.length };

  const rng = new _EvalRng(seed, 'score-feedback/targets');
  const chosen = s.ids.map((id) => ({ id, key: rng.float() })).sort((a, b) => a.key - b.key).slice(0, Math.min(targets, s.ids.length))
    .map(({ id }) => { const rows = s.byId.get(id)!; return { id, rows, row: rows[rng.int(rows.length)]! }; });
  const jobs = disclosures.flatMap((disclosure) => chosen.map(({ id, row }): _ClimbJob => ({
    kind: 'climb', params: s.params, key: s.key, salt: s.salt, centring: s.centring, enrolled: T1.slice(row * nb, (row + 1) * nb),
    threshold, disclosure, start, radius: s.radius, budget, shape, seed, identity: id,
  })));
  const climbs = await pool.run(jobs, (done) => tick(`score feedback ${done}/${jobs.length}`)) as _ClimbResult[];
  const attacks = disclosures.map((disclosure, di): ScoreFeedbackSummary => {
    const perTarget = chosen.map(({ rows, row }, k): ScoreFeedbackTarget => {
      const out = climbs[di * chosen.length + k]!;
      const ok = accepts(out.embedding);
      let cosine = 0;
      try {
        const c = _canonicalise(out.embedding, s.centring);
        for (let i = 0; i < d; i++) cosine += (c[i]! * s.canon[row * d + i]!) / CANONICAL_SCALE ** 2;
      } catch { /* the centring vector itself: cosine 0 */ }
      const others = rows.filter((r) => r !== row);
      return {
        identity: s.identityOf(row), row: s.inputRow(row), queries: out.accepted ? out.queries : null, cosine,
        renewed: ok(inst2, T2, row), otherKey: ok(inst3, T3, row), otherPhotos: others.length, otherPhotosAccepted: others.filter((r) => ok(inst1, T1, r)).length,
      };
    });
    const n = perTarget.length, rate = (f: (t: ScoreFeedbackTarget) => boolean) => perTarget.filter(f).length / n;
    const sorted = perTarget.map((t) => t.queries).sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b));
    return {
      disclosure, targets: n, acceptRate: rate((t) => t.queries !== null),
      queries: { q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75) },
      meanCosine: perTarget.reduce((a, t) => a + t.cosine, 0) / n,
      renewedAcceptRate: rate((t) => t.renewed), otherKeyAcceptRate: rate((t) => t.otherKey),
      otherPhotosAcceptRate: perTarget.reduce((a, t) => a + t.otherPhotosAccepted / t.otherPhotos, 0) / n,
      personsOtherPhotoAccepted: rate((t) => t.otherPhotosAccepted > 0), perTarget,
    };
  });
  const op = s.operatingPoint;
  return { fmr: op.targetFmr, achievedFmr: op.fmr, threshold, measurable: op.measurable, queryBudget: budget, shape, baseline, attacks };
}
