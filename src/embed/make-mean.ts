// Generator of faceapi-mean.gen.ts: the public mean of the face-api 128-d recogniser, the
// float64 left-to-right mean of the LFW (deep-funneled) descriptors in
// ../shared/data/lfw-faceapi128/embeddings.f32 of the people with a single photo (kept in float64,
// so that strength x mean rounds to float32 exactly as centringVector() of templock/eval does);
// and per scheme the decision thresholds at false match rates of 1e-3 and 1e-4: the matching
// quantiles of the protected scores of 1,000,000 distinct seeded pairs of those same single-photo
// people (different people by construction), spread over four keys, each with its own salt
// (faceapiParams(scheme): the default parameters at dim 128 and the default centring strength),
// rounded up to 0.01. The people with two or more photos are the ones the evaluation measures
// (its "singletons" centring protocol): neither the mean nor the thresholds ever see them.
// Run from the repository root:
//   node --import tsx src/embed/make-mean.ts [--check] [path/to/lfw-faceapi128]
// --check exits 1 when the committed file differs from a fresh generation. Only this script reads
// the data set; the package itself never does.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _EvalRng } from '../eval/rng.js';
import { compareTemplates } from '../score.js';
import { DEFAULT_CENTRING_STRENGTH, defaultParams } from '../transforms/defaults.js';
import { protect } from '../transforms/protect.js';
import { SCHEME_NAMES } from '../transforms/registry.js';
import type { SchemeName } from '../transforms/scheme.js';
import type { ProtectParams } from '../transforms/protect.js';
import { _faceapiParamsFrom } from './model-params.js';

const DIM = 128;
const DEFAULT_SOURCE = '../shared/data/lfw-faceapi128';
const IMPOSTOR_PAIRS = 1_000_000;
/** Keys (each with its own salt) the impostor pairs are spread over. */
const KEYS = 4;
const TARGET_FMRS = ['1e-3', '1e-4'] as const;
type Fmr = (typeof TARGET_FMRS)[number];
const TARGET = fileURLToPath(new URL('./faceapi-mean.gen.ts', import.meta.url));

/** The rows (in order) of the identities that have exactly one row. */
function singletonRows(labels: readonly number[]): number[] {
  const count = new Map<number, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return labels.flatMap((l, r) => (count.get(l) === 1 ? [r] : []));
}

/** The mean of the given little-endian float32 rows of `dim` values, summed in float64 in row order. */
function rowMean(bytes: Uint8Array, dim: number, rows: readonly number[]): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength % (dim * 4) !== 0 || rows.length === 0) throw new RangeError(`"embeddings" expected a whole number of ${dim}-d float32 rows, got ${bytes.byteLength} bytes`);
  const sum = new Float64Array(dim);
  for (const r of rows) for (let i = 0; i < dim; i++) sum[i] += view.getFloat32((r * dim + i) * 4, true);
  return Float64Array.from(sum, (s) => s / rows.length);
}

/** Distinct unordered pairs of the given rows (each of one person), drawn by the evaluation's seeded generator. */
function impostorPairs(rows: readonly number[]): Array<[number, number]> {
  const rng = new _EvalRng(1, 'faceapi-thresholds');
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  while (pairs.length < IMPOSTOR_PAIRS) {
    const a = rows[rng.int(rows.length)]!, b = rows[rng.int(rows.length)]!;
    const [i, j] = a < b ? [a, b] : [b, a];
    if (i === j || seen.has(i * 65536 + j)) continue;
    seen.add(i * 65536 + j);
    pairs.push([i, j]);
  }
  return pairs;
}

/** The score of each scheme at which each target rate of the impostor pairs match, over KEYS keys. */
function thresholds(bytes: Uint8Array, people: readonly number[], paramsOf: (scheme: SchemeName) => ProtectParams): Record<SchemeName, Record<Fmr, number>> {
  const rows = new Float32Array(Uint8Array.from(bytes).buffer);
  const pairs = impostorPairs(people);
  const out = {} as Record<SchemeName, Record<Fmr, number>>;
  for (const scheme of SCHEME_NAMES) {
    const params = paramsOf(scheme);
    const scores: number[] = [];
    for (let k = 0; k < KEYS; k++) {
      // Each key (and salt) scores its own share of the pairs.
      const key = new Uint8Array(32).fill(k + 1);
      const salt = new Uint8Array(16).fill(k + 101);
      const cache = new Map<number, ReturnType<typeof protect>>();
      const t = (i: number) => {
        let v = cache.get(i);
        if (!v) cache.set(i, (v = protect(rows.subarray(i * DIM, (i + 1) * DIM), params, key, salt)));
        return v;
      };
      for (let p = k; p < pairs.length; p += KEYS) scores.push(compareTemplates(t(pairs[p]![0]), t(pairs[p]![1])));
    }
    scores.sort((a, b) => a - b);
    const at = (fmr: Fmr) => Math.ceil(scores[Math.ceil(scores.length * (1 - Number(fmr)))]! * 100) / 100;
    out[scheme] = { '1e-3': at('1e-3'), '1e-4': at('1e-4') };
  }
  return out;
}

/** What the thresholds depend on besides the data: every scheme's parameters and centring strength. */
export function thresholdParams(): string {
  return JSON.stringify(SCHEME_NAMES.map((scheme) => ({ ...defaultParams(scheme, DIM), strength: DEFAULT_CENTRING_STRENGTH[scheme] })));
}

function hexOf(v: Float64Array): string {
  const bytes = new Uint8Array(v.length * 8);
  const view = new DataView(bytes.buffer);
  v.forEach((x, i) => view.setFloat64(i * 8, x, true));
  return Buffer.from(bytes).toString('hex');
}

function render(source: Uint8Array, people: number, mean: Float64Array, threshold: Record<SchemeName, Record<Fmr, number>>): string {
  const sha = createHash('sha256').update(source).digest('hex');
  const hex = hexOf(mean);
  const lines = hex.match(/.{1,96}/g)!.map((l) => `  '${l}'`).join(' +\n');
  return `// Generated by src/embed/make-mean.ts; do not edit. The public centring mean of the face-api
// 128-d recogniser (@vladmandic/face-api 1.7.15, face_recognition_model): the float64 mean of the
// descriptors of the ${people} people of Labeled Faces in the Wild (deep-funneled) with a single photo,
// of ${source.byteLength / (DIM * 4)} descriptors (people with two or more photos are left to evaluation).
// Source embeddings.f32 SHA-256 ${sha}.
// It removes the component that all descriptors share (mean impostor cosine 0.84 before centring).

/** The mean as little-endian float64 hex, ${DIM} values. */
export const FACEAPI_MEAN_HEX =
${lines};

/** The parameters (without the mean) and centring strength the thresholds were measured with. */
export const FACEAPI_THRESHOLD_PARAMS = '${thresholdParams()}';

/** Decision thresholds per scheme at false match rates ${TARGET_FMRS.join(' and ')} on LFW single-photo people (see make-mean.ts). */
export const FACEAPI_THRESHOLDS = {
${SCHEME_NAMES.map((s) => `  '${s}': { ${TARGET_FMRS.map((f) => `'${f}': ${threshold[s][f]}`).join(', ')} },`).join('\n')}
} as const;
`;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const folder = argv.find((a) => !a.startsWith('--')) ?? DEFAULT_SOURCE;
  const bytes = readFileSync(join(folder, 'embeddings.f32'));
  const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as { rows: Array<[string, number]> };
  const people = singletonRows(meta.rows.map((r) => r[1]));
  const mean = rowMean(bytes, DIM, people);
  const text = render(bytes, people.length, mean, thresholds(bytes, people, (scheme) => _faceapiParamsFrom(mean, scheme)));
  if (check) {
    const same = readFileSync(TARGET, 'utf8') === text;
    console.log(same ? 'faceapi-mean.gen.ts matches its source' : 'faceapi-mean.gen.ts differs from a fresh generation');
    return same ? 0 : 1;
  }
  writeFileSync(TARGET, text);
  console.log(`wrote ${TARGET}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
