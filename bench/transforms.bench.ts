// Transform throughput per scheme at dim 512, for the parameters of the matching benchmarks and
// for defaultParams(): protect() end to end (validation, canonical input, HKDF instance key,
// cached projection material, payload) in the JS implementation, and protectFast() with the
// projection in the fastest WASM backend. The first call of `js` also derives the material.
import { SCHEME_NAMES, defaultParams, protect, type TransformParams } from '../src/index.js';
import { backend, init, protectFast } from '../src/match/index.js';
import { BENCH_KEY, BENCH_SALT, embeddings } from './harness/inputs.js';
import { defineSuite, type Workload } from './harness/suite.js';

const DIM = 512;
/** The parameter sets of the matching benchmarks (512 codes or bits), then the current defaults. */
const FIXED: readonly TransformParams[] = [
  { scheme: 'iom-grp', dim: DIM, m: 512, q: 16 },
  { scheme: 'iom-urp', dim: DIM, m: 512, k: 16, p: 2 },
  { scheme: 'sign', dim: DIM, bits: 512 },
];

function describe(p: TransformParams): string {
  const { scheme, ...rest } = p;
  return `${scheme} ${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

function transformWorkload(params: TransformParams, label: string): Workload {
  const { rows } = embeddings(16, DIM, 201);
  let i = 0;
  return {
    name: `protect ${describe(params)}${label} (cached material)`,
    items: 1,
    itemUnit: 'embeddings',
    setup: async () => { await init(); },
    impls: () => [
      { variant: 'js', fn: () => protect(rows[i++ & 15]!, params, BENCH_KEY, BENCH_SALT).payload, output: () => protect(rows[0]!, params, BENCH_KEY, BENCH_SALT).payload },
      { variant: backend(), fn: () => protectFast(rows[i++ & 15]!, params, BENCH_KEY, BENCH_SALT).payload, output: () => protectFast(rows[0]!, params, BENCH_KEY, BENCH_SALT).payload },
    ],
  };
}

const DEFAULTS = SCHEME_NAMES.map((s) => defaultParams(s, DIM)).filter((d) => !FIXED.some((f) => describe(f) === describe(d)));

export default defineSuite({
  name: 'transforms',
  workloads: [...FIXED.map((p) => transformWorkload(p, '')), ...DEFAULTS.map((p) => transformWorkload(p, ', defaultParams'))],
});
