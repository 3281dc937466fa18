// The public 1:N Gallery and 1:1 Matcher over sign-projection templates (512 bits): identify
// top-10 over 1,000,000 enrolled subjects on 1 and on 2 threads, and 1:1 verification of two
// templates already in the gallery. The Gallery's "first" figure is its first call after init().
import { compareTemplates, protect, type ProtectedTemplate } from '../src/index.js';
import { Gallery, Matcher, backend, init, type Candidate } from '../src/match/index.js';
import { hamming_u1, hamming_u1_topk } from './baseline/hamming_u1.js';
import { sameTopK, topkResult, type TopK } from './baseline/topk.js';
import { plantNearDuplicates, randomBytes } from './harness/data.js';
import { BENCH_KEY, BENCH_SALT, embeddings } from './harness/inputs.js';
import { native } from './harness/native.js';
import { defineSuite, type Impl, type Workload } from './harness/suite.js';

const COUNT = 1_000_000;
const BITS = 512;
const BYTES = BITS / 8;
const K = 10;
const CHUNK = 100_000;
/** Rows compared by the 1:1 workload. */
const ROW_A = 123_456, ROW_B = 654_321;
/** Repetitions per call of the native 1:1 compare (a Node-API call would dominate one compare). */
const PAIR_REPS = 1000;

let rows: Uint8Array = new Uint8Array(0);
let probeBytes: Uint8Array = new Uint8Array(0);
let reference: ProtectedTemplate | undefined;
let gallery: Gallery | undefined;

const idOf = (row: number) => `subject-${row}`;
const rowOf = (id: string) => Number(id.slice('subject-'.length));
const template = (payload: Uint8Array): ProtectedTemplate => ({ ...reference!, payload });
const fromCandidates = (c: unknown) => ({
  ids: (c as Candidate[]).map((x) => rowOf(x.id)),
  scores: (c as Candidate[]).map((x) => x.score! * BITS), // 1 - d / 512, times 512: exact
});

async function buildGallery(threads: number): Promise<void> {
  await init();
  rows = randomBytes(COUNT * BYTES, 51);
  probeBytes = randomBytes(BYTES, 52);
  plantNearDuplicates(rows, probeBytes, 4);
  reference = protect(embeddings(1, 512, 53).rows[0]!, { scheme: 'sign', dim: 512, bits: BITS }, BENCH_KEY, BENCH_SALT);
  gallery = new Gallery(reference, { threads, scores: 'exact' });
  for (let from = 0; from < COUNT; from += CHUNK)
    gallery.addPayloads(Array.from({ length: CHUNK }, (_, i) => idOf(from + i)), rows.subarray(from * BYTES, (from + CHUNK) * BYTES));
}

function release(): void {
  gallery?.close();
  gallery = undefined;
  rows = new Uint8Array(0);
}

function identifyWorkload(threads: number): Workload {
  return {
    name: `identify sign-512 top-10 over 1,000,000, ${threads} thread${threads > 1 ? 's' : ''}`,
    bytes: COUNT * BYTES,
    items: COUNT,
    itemUnit: 'templates',
    setup: () => buildGallery(threads),
    teardown: release,
    impls() {
      const g32 = new Uint32Array(rows.buffer), p32 = new Uint32Array(probeBytes.buffer);
      const ids = new Int32Array(K), scores = new Float64Array(K);
      const probe = template(probeBytes);
      const c = native();
      const impls: Impl[] = [{ variant: 'gallery', fn: () => gallery!.identify(probe, { k: K }), output: fromCandidates }];
      impls.push({ variant: 'baseline', fn: () => hamming_u1_topk(g32, p32, K), output: (t) => topkResult((t as TopK).ids, (t as TopK).scores, (t as TopK).filled) });
      if (c)
        impls.push({
          variant: 'native',
          fn: () => c.hamming_u1_topk_threads(rows, probeBytes, COUNT, BYTES / 8, K, ids, scores, threads),
          output: (filled) => topkResult(ids, scores, filled as number),
        });
      return impls;
    },
    equal: sameTopK(0),
  };
}

const verifyWorkload: Workload = {
  name: 'verify 1:1 of two sign-512 templates in the gallery',
  items: 1,
  itemUnit: 'compares',
  setup: () => buildGallery(1),
  teardown: release,
  impls() {
    const a = rows.slice(ROW_A * BYTES, (ROW_A + 1) * BYTES), b = rows.slice(ROW_B * BYTES, (ROW_B + 1) * BYTES);
    const a32 = new Uint32Array(a.buffer), b32 = new Uint32Array(b.buffer);
    const ta = template(a), tb = template(b);
    const matcher = new Matcher({ threshold: 0.5, scores: 'exact' });
    const c = native();
    const similarity = (v: unknown) => (v as { score: number }).score * BITS;
    return [
      { variant: 'baseline', fn: () => BITS - hamming_u1(a32, 0, b32, 0, BYTES / 4) },
      ...(c ? [{ variant: 'native', fn: () => c.hamming_u1_pair(a, b, BYTES / 8, PAIR_REPS), opsPerCall: PAIR_REPS, output: (h: unknown) => BITS - (h as number) }] : []),
      { variant: 'gallery', fn: () => gallery!.verify(idOf(ROW_A), tb, { threshold: 0.5 }), output: similarity },
      { variant: 'matcher', fn: () => matcher.verify(ta, tb), output: similarity },
      { variant: 'core', fn: () => compareTemplates(ta, tb), output: (s) => (s as number) * BITS },
    ];
  },
};

export default defineSuite({
  name: 'identify',
  workloads: [identifyWorkload(1), identifyWorkload(2), verifyWorkload],
  backend: () => {
    try { return backend(); } catch { return undefined; }
  },
});
