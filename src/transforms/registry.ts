// The scheme table and the public parameter validator (SPEC.md §4): wire ids, names, and the
// checks shared by every scheme (object shape, known scheme, dim in [32, 4096]).
import { aInt } from '../validate.js';
import { iomGrp } from './iom-grp.js';
import { iomUrp } from './iom-urp.js';
import type { _Scheme, TransformParams } from './scheme.js';
import { signProjection } from './sign-projection.js';

export const DIM_MIN = 32;
export const DIM_MAX = 4096;

type AnyScheme = _Scheme<any, any>;
const BY_NAME: Readonly<Record<string, AnyScheme>> = { 'iom-grp': iomGrp, 'iom-urp': iomUrp, sign: signProjection };
const BY_ID: readonly (AnyScheme | undefined)[] = [undefined, iomGrp, iomUrp, signProjection];

/** The names of all schemes. */
export const SCHEME_NAMES = Object.keys(BY_NAME) as readonly TransformParams['scheme'][];

/** The scheme with wire id `id`, if any. */
export function _schemeById(id: number): AnyScheme | undefined {
  return BY_ID[id];
}

/** The scheme of validated parameters. */
export function _schemeOf(p: TransformParams): AnyScheme {
  return BY_NAME[p.scheme]!;
}

/**
 * Validates transform parameters and returns a frozen copy holding only the scheme's fields.
 * @example
 * import { checkParams } from 'templock';
 * const p = checkParams({ scheme: 'iom-grp', dim: 512, m: 512, q: 16 });
 */
export function checkParams(params: unknown): TransformParams {
  if (typeof params !== 'object' || params === null) throw new TypeError(`"params" expected object, got ${params === null ? 'null' : typeof params}`);
  const { scheme } = params as { scheme?: unknown };
  if (typeof scheme !== 'string') throw new TypeError(`"params.scheme" expected string, got ${typeof scheme}`);
  const s = BY_NAME[scheme];
  if (!s || !Object.hasOwn(BY_NAME, scheme)) throw new RangeError(`"params.scheme" expected one of ${SCHEME_NAMES.join(', ')}`);
  const dim = aInt('dim', (params as { dim?: unknown }).dim, DIM_MIN, DIM_MAX);
  const raw = params as Record<string, unknown>;
  const copy =
    s === iomGrp ? { scheme, dim, m: raw.m, q: raw.q } :
    s === iomUrp ? { scheme, dim, m: raw.m, k: raw.k, p: raw.p } :
    { scheme, dim, bits: raw.bits };
  s.check(copy);
  return Object.freeze(copy) as TransformParams;
}
