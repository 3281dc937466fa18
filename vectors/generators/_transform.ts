// Builds one transform vector file (iom_grp_v1.json, iom_urp_v1.json, sign_v1.json): groups of
// embeddings under several parameter sets (dimensions 128 and 512, with and without a centring
// mean), then invalid inputs and invalid parameters with the error each must raise.
import { protectChecker } from '../../src/conformance/checkers/protect.js';
import { f32ToHex, type JsonValue, type VectorFile } from '../../src/conformance/index.js';
import { caseHex, centredCases, centringMean, EMBEDDING_NOTES, embeddingCases, embeddingCasesShort, type EmbeddingCase } from './_embeddings.js';
import { envelope, type GroupSpec, type TestSpec } from './_envelope.js';
import { gaussianish, vectorKey, vectorSalt } from './_inputs.js';

type Params = { readonly scheme: string; readonly dim: number; readonly [k: string]: JsonValue };

/** The parameter sets of one scheme file. */
export interface TransformSets {
  /** dim 128, ordinary (two sets), dim 128 centred, dim 512 (the default), dim 512 centred, an odd small dim. */
  readonly small: readonly [Params, Params];
  readonly smallCentred: Params;
  readonly large: Params;
  readonly largeCentred: Params;
  readonly odd: Params;
  /** Parameter sets each rejected with the given error (the scheme's own ranges). */
  readonly invalid: readonly { readonly comment: string; readonly params: JsonValue; readonly error: string }[];
}

const NOTES = {
  ...EMBEDDING_NOTES,
  LongSalt: 'A 32-byte salt (the longest allowed).',
  EdgeParameters: 'Parameters at an edge of their range, or an odd dimension.',
  InvalidEmbedding: 'The embedding has the wrong length, a non-finite value, or is zero after centring.',
  InvalidMean: 'The centring mean has the wrong length or a non-finite value.',
  InvalidKey: 'The application key is not 32 bytes.',
  InvalidSalt: 'The salt is not 16 to 32 bytes.',
  InvalidParameters: 'A transform parameter is outside its range or of the wrong type.',
} as const;

const F32_NAN = Float32Array.of(NaN)[0]!;

function tests(cases: readonly EmbeddingCase[], key: string, salt: string, extraFlags: string[] = []): TestSpec[] {
  return cases.map((e) => ({ comment: e.comment, flags: [...extraFlags, ...e.flags], key, salt, embedding: caseHex(e) }));
}

function withEntry(x: Float32Array, i: number, v: number): string {
  const y = Float32Array.from(x);
  y[i] = v;
  return f32ToHex(y);
}

/** The transform file of one scheme. */
export function transformFile(algorithm: string, sets: TransformSets): VectorFile {
  const name = sets.large.scheme;
  const key = vectorKey(`${name}/1`);
  const salt = vectorSalt(`${name}/1`);
  const [a, b] = sets.small;
  const x = gaussianish(`valid/${a.dim}`, a.dim);
  const valid: GroupSpec[] = [
    { type: 'ProtectTest', params: a, tests: [
      ...tests(embeddingCases(a.dim), key, salt),
      { comment: 'random embedding 1 under a 32-byte salt', flags: ['Random', 'LongSalt'], key, salt: vectorSalt(`${name}/long`, 32), embedding: caseHex(embeddingCases(a.dim)[0]!) },
    ] },
    { type: 'ProtectTest', params: b, tests: tests(embeddingCases(b.dim), vectorKey(`${name}/2`), vectorSalt(`${name}/2`)) },
    { type: 'ProtectTest', params: sets.smallCentred, mean: f32ToHex(centringMean(sets.smallCentred.dim)), tests: [
      ...tests(centredCases(sets.smallCentred.dim), key, salt),
      ...tests(embeddingCasesShort(sets.smallCentred.dim).slice(0, 4), key, salt, ['Centred']),
    ] },
    { type: 'ProtectTest', params: sets.large, tests: tests(embeddingCasesShort(sets.large.dim), key, salt) },
    { type: 'ProtectTest', params: sets.largeCentred, mean: f32ToHex(centringMean(sets.largeCentred.dim)), tests: tests(centredCases(sets.largeCentred.dim), vectorKey(`${name}/3`), vectorSalt(`${name}/3`, 24)) },
    { type: 'ProtectTest', params: sets.odd, tests: tests(embeddingCasesShort(sets.odd.dim).slice(0, 3), key, salt, ['EdgeParameters']) },
  ];
  const bad = (comment: string, flags: string[], fields: Record<string, string>): TestSpec =>
    ({ comment, flags, key, salt, embedding: f32ToHex(x), ...fields, error: 'RangeError' });
  const mean = centringMean(sets.smallCentred.dim);
  const invalid: GroupSpec[] = [
    { type: 'ProtectTest', params: a, tests: [
      bad('embedding one entry short', ['InvalidEmbedding'], { embedding: f32ToHex(x.subarray(1)) }),
      bad('embedding one entry long', ['InvalidEmbedding'], { embedding: f32ToHex(Float32Array.of(...x, 1)) }),
      bad('embedding with a NaN', ['InvalidEmbedding'], { embedding: withEntry(x, 7, F32_NAN) }),
      bad('embedding with +Infinity', ['InvalidEmbedding'], { embedding: withEntry(x, 0, Infinity) }),
      bad('embedding with -Infinity', ['InvalidEmbedding'], { embedding: withEntry(x, a.dim - 1, -Infinity) }),
      bad('all-zero embedding', ['InvalidEmbedding'], { embedding: f32ToHex(new Float32Array(a.dim)) }),
      bad('embedding of -0.0 only', ['InvalidEmbedding', 'NegativeZero'], { embedding: f32ToHex(new Float32Array(a.dim).fill(-0)) }),
      bad('key of 31 bytes', ['InvalidKey'], { key: key.slice(0, 62) }),
      bad('key of 33 bytes', ['InvalidKey'], { key: key + '00' }),
      bad('empty key', ['InvalidKey'], { key: '' }),
      bad('salt of 15 bytes', ['InvalidSalt'], { salt: salt.slice(0, 30) }),
      bad('salt of 33 bytes', ['InvalidSalt'], { salt: vectorSalt(`${name}/33`, 33) }),
      bad('empty salt', ['InvalidSalt'], { salt: '' }),
    ] },
    { type: 'ProtectTest', params: sets.smallCentred, mean: f32ToHex(mean), tests: [
      { comment: 'embedding equal to the mean', flags: ['InvalidEmbedding', 'Centred'], key, salt, embedding: f32ToHex(mean), error: 'RangeError' },
    ] },
    { type: 'ProtectTest', params: sets.smallCentred, mean: f32ToHex(mean.subarray(1)), tests: [
      { comment: 'mean one entry short', flags: ['InvalidMean'], key, salt, embedding: f32ToHex(mean), error: 'RangeError' },
    ] },
    { type: 'ProtectTest', params: sets.smallCentred, mean: withEntry(mean, 3, F32_NAN), tests: [
      { comment: 'mean with a NaN', flags: ['InvalidMean'], key, salt, embedding: f32ToHex(x), error: 'RangeError' },
    ] },
    ...sets.invalid.map((c): GroupSpec => ({ type: 'ProtectTest', params: c.params, tests: [
      { comment: c.comment, flags: ['InvalidParameters'], key, salt, embedding: f32ToHex(x), error: c.error },
    ] })),
  ];
  return envelope(protectChecker, { algorithm, notes: NOTES, testGroups: [...valid, ...invalid] });
}
