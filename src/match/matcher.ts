// 1:1 verification (README "Matching"): the score of two comparable protected templates, by the
// active kernel backend, against a fixed threshold; the decision only, unless a score disclosure
// ('coarse' or 'exact', src/match/disclosure.ts) is asked for by name.
import type { ProtectedTemplate } from '../template.js';
import { aBytes, aNumber } from '../validate.js';
import { _aScoreDisclosure, _disclose, type ScoreDisclosure } from './disclosure.js';
import { _newInstance, type _Instance } from './loader.js';
import { checkParams } from '../transforms/registry.js';
import { _assertMatches, _metricOf, _paramsEqual, type _Metric, type _Reference } from './metric.js';

/**
 * The outcome of one comparison: `match` when the score in [0, 1] is >= the threshold; `score`
 * only when the matcher discloses scores ('coarse': rounded down to tenths, 'exact').
 */
export interface Verification {
  readonly match: boolean;
  readonly score?: number;
}

/** Options of a {@link Matcher}. */
export interface MatcherOptions {
  /** Decision threshold in [0, 1] on the score. */
  readonly threshold: number;
  /** What verify() returns beside the decision: 'none' (default), 'coarse' or 'exact'. */
  readonly scores?: ScoreDisclosure;
}

/** Largest payload of any scheme (IoM m <= 4096 bytes). */
const PAYLOAD_MAX_BYTES = 4096;

/**
 * A 1:1 matcher at a fixed threshold. It returns the decision only unless `scores` asks for
 * 'coarse' or 'exact' scores; exact scores equal compareTemplates() from 'templock'.
 * @example
 * import { init, Matcher } from 'templock/match';
 * await init();
 * const { match } = new Matcher({ threshold: 0.3 }).verify(probe, enrolled);
 * const { score } = new Matcher({ threshold: 0.3, scores: 'exact' }).verify(probe, enrolled); // evaluation only
 */
export class Matcher {
  readonly threshold: number;
  /** What verify() discloses beside the decision. */
  readonly scores: ScoreDisclosure;
  private readonly inst: _Instance;
  private readonly aPtr: number;
  private readonly bPtr: number;

  /** The metric of the last parameters seen (parameters are validated again only when they change). */
  private lastMetric: _Metric | undefined;

  private metricFor(params: unknown): _Metric {
    const last = this.lastMetric;
    if (last && _paramsEqual(params, last.params)) return last;
    return (this.lastMetric = _metricOf(checkParams(params)));
  }

  constructor(options: MatcherOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
    this.threshold = aNumber('threshold', options.threshold, 0, 1);
    this.scores = _aScoreDisclosure('scores', options.scores);
    this.inst = _newInstance();
    this.aPtr = this.inst.heap.alloc(PAYLOAD_MAX_BYTES);
    this.bPtr = this.inst.heap.alloc(PAYLOAD_MAX_BYTES);
  }

  /**
   * Compares a probe with an enrolled template (as compareTemplates: the probe should be made
   * under the enrolled template's salt; other salts score like impostors).
   * @throws TemplockError INCOMPATIBLE when they differ in scheme, parameters, key or mean.
   */
  verify(probe: ProtectedTemplate, enrolled: ProtectedTemplate): Verification {
    if (typeof enrolled !== 'object' || enrolled === null) throw new TypeError(`"enrolled" expected ProtectedTemplate, got ${enrolled === null ? 'null' : typeof enrolled}`);
    const metric = this.metricFor(enrolled.params);
    const ref: _Reference = {
      params: metric.params,
      keyId: aBytes('enrolled.keyId', enrolled.keyId, 8),
      meanId: aBytes('enrolled.meanId', enrolled.meanId, 8),
      salt: aBytes('enrolled.salt', enrolled.salt, 16, 32),
    };
    const e = _assertMatches(ref, 'enrolled', enrolled, false);
    const p = _assertMatches(ref, 'probe', probe, false);
    const u8 = this.inst.heap.u8;
    u8.set(p, this.aPtr);
    u8.set(e, this.bPtr);
    const score = metric.score(metric.distance(this.inst.kernels, this.aPtr, this.bPtr));
    return _verification(score >= this.threshold, score, this.scores);
  }
}

/** A verification as disclosed: `{ match }`, or `{ match, score }` with the score as disclosed. */
export function _verification(match: boolean, score: number, disclosure: ScoreDisclosure): Verification {
  const disclosed = _disclose(score, disclosure);
  return disclosed === undefined ? { match } : { match, score: disclosed };
}
