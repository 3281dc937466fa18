// Key binding by fuzzy commitment at the recommended parameters for dim 128 (n = 1023, r = 4, t = 150):
// bindKey (enrolment: projection, BCH encoding, commitment, key) and releaseKey for a probe that
// decodes (genuine) and one that does not (impostor), end to end in the JS core, with the
// projection material cached (one salt, as a 1:N epoch would have). Then 1:N: a BoundGallery of
// 10,000 residents of one salt epoch searched for a stranger (every template voted and decoded),
// on 1 and 2 threads, per template scanned, against the baseline of releaseKey tried template by
// template (the per-template cost of a search without the gallery), and the native C ceiling of
// the same vote and decoding (bench/native/bound_scan.c) over the same rows.
import { BoundGallery, bindKey, defaultBindingParams, messageBytes, releaseKey, type BoundTemplate } from '../src/index.js';
import { _canonicalise } from '../src/canonical.js';
import { _codewordOrder, _orderHelper } from '../src/transforms/bound-scan.js';
import { _helperBytes, _withProjections } from '../src/transforms/fuzzy-commitment.js';
import { BENCH_KEY, BENCH_SALT, embeddings } from './harness/inputs.js';
import { native } from './harness/native.js';
import { defineSuite, type Workload } from './harness/suite.js';

const DIM = 128;
const params = defaultBindingParams(DIM);
const { rows } = embeddings(2, DIM, 301);
const enrolled = rows[0]!;
const impostor = rows[1]!;
const secret = new Uint8Array(messageBytes(params));
secret[0] = 0x21;

function workload(name: string, fn: () => unknown): Workload {
  return { name, items: 1, itemUnit: 'templates', impls: () => [{ variant: 'js', fn, output: () => (fn() as { accepted?: boolean }).accepted ?? 'bound' }] };
}

const { template } = bindKey(enrolled, params, BENCH_KEY, BENCH_SALT, secret);

const RESIDENTS = 10_000;
const BASELINE_TEMPLATES = 50;
let residents: BoundTemplate[] = [];
const galleries: BoundGallery[] = [];

function gallery(threads: number): BoundGallery {
  const g = new BoundGallery({ key: BENCH_KEY, threads });
  residents.forEach((t, i) => g.add(`r${i}`, t));
  galleries.push(g);
  return g;
}

/** The C ceiling over the templates' helper bits and the probe's projections, both in codeword order. */
function nativeScan(): Array<{ variant: string; fn: () => unknown; opsPerCall: number; output: (v: unknown) => unknown }> {
  const c = native();
  if (!c) return [];
  const stride = _helperBytes(params);
  const helpers = new Uint8Array(RESIDENTS * stride);
  const proj = new Int32Array((2 ** params.m - 1) * params.r);
  const v = _canonicalise(impostor, undefined);
  _withProjections(v, params, BENCH_KEY, BENCH_SALT, (raw, slot) => {
    const order = _codewordOrder(slot, params.r);
    for (let l = 0; l < raw.length; l++) proj[order[l]!] = raw[l]!;
    residents.forEach((t, i) => _orderHelper(t.helper, order, helpers.subarray(i * stride, (i + 1) * stride)));
  });
  const out = new Int32Array(RESIDENTS);
  return [{
    variant: 'native',
    opsPerCall: RESIDENTS,
    fn: () => Array.from(out.subarray(0, c.bound_scan(helpers, proj, RESIDENTS, params.m, params.t, params.r, out)), (row) => ({ id: `r${row}` })),
    output: releasedIds,
  }];
}

/** Compared across variants: the ids released among the first BASELINE_TEMPLATES residents. */
const releasedIds = (v: unknown) => (v as Array<{ id: string }>).map((h) => h.id).filter((id) => Number(id.slice(1)) < BASELINE_TEMPLATES);

export default defineSuite({
  name: 'key-binding',
  workloads: [
    workload('bindKey fuzzy-commitment m=10 t=150 r=4 dim=128 (cached material)', () => bindKey(enrolled, params, BENCH_KEY, BENCH_SALT, secret).template),
    workload('releaseKey genuine (decodes)', () => releaseKey(enrolled, template, BENCH_KEY)),
    workload('releaseKey impostor (rejected)', () => releaseKey(impostor, template, BENCH_KEY)),
    {
      name: `1:N key release, stranger against ${RESIDENTS.toLocaleString('en-US')} residents (per template)`,
      items: 1,
      itemUnit: 'templates',
      maxTimeSeconds: 8,
      setup: () => {
        const { rows: faces } = embeddings(RESIDENTS, DIM, 302);
        residents = faces.map((x) => bindKey(x, params, BENCH_KEY, BENCH_SALT).template);
      },
      teardown: () => {
        for (const g of galleries.splice(0)) g.close();
        residents = [];
      },
      impls: () => [
        {
          variant: 'baseline',
          fn: () => residents.slice(0, BASELINE_TEMPLATES).flatMap((t, i) => (releaseKey(impostor, t, BENCH_KEY).accepted ? [{ id: `r${i}` }] : [])),
          opsPerCall: BASELINE_TEMPLATES,
          output: releasedIds,
        },
        ...nativeScan(),
        ...[1, 2].map((threads) => {
          let g: BoundGallery | undefined;
          return {
            variant: threads === 1 ? 'js' : `js-${threads}-threads`,
            async: true,
            opsPerCall: RESIDENTS,
            prepare: () => { g = gallery(threads); },
            fn: () => g!.release(impostor),
            output: releasedIds,
          };
        }),
      ],
    },
  ],
});
