// The contract every cancelable transform implements (SPEC.md §4): its parameters, how its
// secret material is drawn from the keystream, how it maps a canonical vector to a payload,
// and how two payloads score in [0, 1].
import type { _KeyStream } from '../random/keystream.js';

/** Index-of-Max with Gaussian random projections (Jin et al., IEEE TIFS 2018). */
export interface IomGrpParams { readonly scheme: 'iom-grp'; readonly dim: number; readonly m: number; readonly q: number }
/** Index-of-Max with uniformly random permutations (Jin et al., IEEE TIFS 2018). */
export interface IomUrpParams { readonly scheme: 'iom-urp'; readonly dim: number; readonly m: number; readonly k: number; readonly p: number }
/** BioHashing-style sign of random projections, packed bits. */
export interface SignParams { readonly scheme: 'sign'; readonly dim: number; readonly bits: number }

/** The parameters of one transform; together with key and salt they determine it fully. */
export type TransformParams = IomGrpParams | IomUrpParams | SignParams;
/** The name of a scheme. */
export type SchemeName = TransformParams['scheme'];

/** Parameters as the template header stores them: three small integers after scheme and dim. */
export interface HeaderFields { readonly a: number; readonly b: number; readonly c: number }

/** One scheme: wire id, validation, material and evaluation. Internal; inputs are trusted. */
export interface _Scheme<P extends TransformParams, M> {
  readonly name: P['scheme'];
  readonly id: number;
  /** Throws TypeError/RangeError for parameters outside the scheme's domain. */
  check(p: P): void;
  toHeader(p: P): HeaderFields;
  /** Parameters from header fields, or undefined when they are out of range. `dim` is not checked here: callers check it against DIM_MIN..DIM_MAX first. */
  fromHeader(dim: number, h: HeaderFields): P | undefined;
  payloadBytes(p: P): number;
  /** True when every payload byte is valid (e.g. indices below q). */
  payloadValid(p: P, payload: Uint8Array): boolean;
  /** Bytes of derived secret material, as held in the cache. */
  materialBytes(p: P): number;
  derive(ks: _KeyStream, p: P): M;
  apply(v: Int16Array, material: M, p: P, out: Uint8Array): void;
  /** Similarity in [0, 1] of two payloads of the same parameters. */
  score(a: Uint8Array, b: Uint8Array, p: P): number;
}
