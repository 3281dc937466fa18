// What templock needs to know about the bundled recogniser: its dimension and its public centring
// mean (faceapi-mean.gen.ts, made by make-mean.ts), and the transform parameters recommended for
// it: the scheme defaults of templock (SPEC.md §4) at dim 128, centred by that mean (SPEC.md §2),
// and the decision thresholds of each scheme at false match rates 1e-3 and 1e-4 on LFW.
import type { ProtectParams } from '../transforms/protect.js';
import { defaultParams } from '../transforms/defaults.js';
import type { SchemeName } from '../transforms/scheme.js';
import { FACEAPI_MEAN_HEX, FACEAPI_THRESHOLDS } from './faceapi-mean.gen.js';

/** Dimension of the face-api recogniser's descriptors. */
export const FACEAPI_DIM = 128;

/**
 * A fresh copy of the public centring mean of the face-api recogniser (128 float32 values).
 * @example
 * import { faceapiMean } from 'templock/embed';
 * const mean = faceapiMean();
 */
export function faceapiMean(): Float32Array {
  const mean = new Float32Array(FACEAPI_DIM);
  const view = new DataView(mean.buffer);
  for (let i = 0; i < FACEAPI_DIM * 4; i++) view.setUint8(i, parseInt(FACEAPI_MEAN_HEX.slice(i * 2, i * 2 + 2), 16));
  for (let i = 0; i < FACEAPI_DIM; i++) mean[i] = view.getFloat32(i * 4, true);
  return mean;
}

/**
 * Recommended transform parameters for embeddings of the bundled recogniser: the scheme's
 * defaults at dim 128, centred by {@link faceapiMean}.
 * @example
 * import { faceapiParams } from 'templock/embed';
 * const params = faceapiParams(); // iom-grp, dim 128, m 512, q 16, with the face-api mean
 */
export function faceapiParams(scheme: SchemeName = 'iom-grp'): ProtectParams {
  return { ...defaultParams(scheme, FACEAPI_DIM), mean: faceapiMean() };
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
