// What templock needs to know about the bundled recogniser: its dimension and its public mean
// (faceapi-mean.gen.ts, made by make-mean.ts), and the transform parameters recommended for it:
// the scheme defaults of templock (SPEC.md §4) at dim 128, centred (SPEC.md §2) by the default
// centring strength of the scheme (docs/EVALUATION.md "Defaults") times that mean,
// and the decision thresholds of each scheme at false match rates 1e-3 and 1e-4 on LFW.
import type { ProtectParams } from '../transforms/protect.js';
import { DEFAULT_CENTRING_STRENGTH, defaultParams } from '../transforms/defaults.js';
import { DEFAULT_BINDING_CENTRING_STRENGTH, defaultBindingParams, type FuzzyCommitmentParams } from '../transforms/fuzzy-commitment.js';
import { aNumber } from '../validate.js';
import type { SchemeName } from '../transforms/scheme.js';
import { FACEAPI_MEAN_HEX, FACEAPI_THRESHOLDS } from './faceapi-mean.gen.js';

/** Dimension of the face-api recogniser's descriptors. */
export const FACEAPI_DIM = 128;

/** The LFW mean of the recogniser in float64. */
function mean64(): Float64Array {
  const bytes = new Uint8Array(FACEAPI_DIM * 8);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(FACEAPI_MEAN_HEX.slice(i * 2, i * 2 + 2), 16);
  const view = new DataView(bytes.buffer);
  return Float64Array.from({ length: FACEAPI_DIM }, (_, i) => view.getFloat64(i * 8, true));
}

/**
 * The public centring vector of the face-api recogniser: `strength` (in (0, 1], default 1) times
 * its mean over the 13,223 LFW descriptors, rounded to float32 as centringVector() of
 * templock/eval rounds it. A fresh copy.
 * @example
 * import { faceapiMean } from 'templock/embed';
 * const mean = faceapiMean(0.25);
 */
export function faceapiMean(strength = 1): Float32Array {
  aNumber('strength', strength, Number.MIN_VALUE, 1);
  return Float32Array.from(mean64(), (v) => v * strength);
}

/** Parameters of `scheme` at dim 128 centred by `strength(scheme)` x `mean` (trusted inputs). */
export function _faceapiParamsFrom(mean: Float64Array, scheme: SchemeName): ProtectParams {
  const strength = DEFAULT_CENTRING_STRENGTH[scheme];
  return { ...defaultParams(scheme, FACEAPI_DIM), mean: Float32Array.from(mean, (v) => v * strength) };
}

/**
 * Recommended transform parameters for embeddings of the bundled recogniser: the scheme's
 * defaults at dim 128, centred by its mean at the scheme's default centring strength
 * (DEFAULT_CENTRING_STRENGTH of 'templock').
 * @example
 * import { faceapiParams } from 'templock/embed';
 * const params = faceapiParams('iom-grp');
 */
export function faceapiParams(scheme: SchemeName = 'iom-grp'): ProtectParams {
  if (!Object.hasOwn(DEFAULT_CENTRING_STRENGTH, scheme)) throw new RangeError(`"scheme" expected one of ${Object.keys(DEFAULT_CENTRING_STRENGTH).join(', ')}`);
  return _faceapiParamsFrom(mean64(), scheme);
}

/** False match rates with a measured threshold. */
export type FalseMatchRate = '1e-3' | '1e-4';

/**
 * The decision threshold of `scheme` for {@link faceapiParams} templates: the score that a
 * fraction `fmr` of different-person pairs of LFW reach (default 1e-4, an access-control
 * operating point), measured by make-mean.ts.
 * @example
 * import { faceapiThreshold } from 'templock/embed';
 * import { Matcher } from 'templock/match';
 * const matcher = new Matcher({ threshold: faceapiThreshold('iom-grp', '1e-4') });
 */
export function faceapiThreshold(scheme: SchemeName = 'iom-grp', fmr: FalseMatchRate = '1e-4'): number {
  if (!Object.hasOwn(FACEAPI_THRESHOLDS, scheme)) throw new RangeError(`"scheme" expected one of ${Object.keys(FACEAPI_THRESHOLDS).join(', ')}`);
  const byRate = FACEAPI_THRESHOLDS[scheme] as Record<string, number>;
  if (!Object.hasOwn(byRate, fmr)) throw new RangeError(`"fmr" expected one of ${Object.keys(byRate).join(', ')}`);
  return byRate[fmr]!;
}

/**
 * BCH error budget t of key binding (n = 1023, r = 4) for the bundled recogniser at each false
 * release rate: the largest t whose rate of releasing a key to another person's face on LFW is
 * at most `fmr` (docs/EVALUATION.md "Key binding": 9.9e-4 at t = 150, 9.7e-5 at t = 91). Measured
 * on the evaluation's impostor pairs, not on people held out as the thresholds above are.
 */
const FACEAPI_BINDING_T: Readonly<Record<FalseMatchRate, number>> = Object.freeze({ '1e-3': 150, '1e-4': 91 });

/**
 * Key-binding parameters for embeddings of the bundled recogniser at a false release rate:
 * BCH n = 1023, r = 4, the t of that rate, centred by the full mean (DEFAULT_BINDING_CENTRING_STRENGTH).
 * At 1e-4 (an access-control operating point) a genuine capture fails more often (LFW: 38 % vs 11 %).
 * @example
 * import { bindKey, generateSalt } from 'templock';
 * import { faceapiBindingParams } from 'templock/embed';
 * const { template, key } = bindKey(embedding, faceapiBindingParams('1e-4'), appKey, generateSalt());
 */
export function faceapiBindingParams(fmr: FalseMatchRate = '1e-4'): FuzzyCommitmentParams & { readonly mean: Float32Array } {
  if (!Object.hasOwn(FACEAPI_BINDING_T, fmr)) throw new RangeError(`"fmr" expected one of ${Object.keys(FACEAPI_BINDING_T).join(', ')}`);
  return { ...defaultBindingParams(FACEAPI_DIM), t: FACEAPI_BINDING_T[fmr], mean: faceapiMean(DEFAULT_BINDING_CENTRING_STRENGTH) };
}
