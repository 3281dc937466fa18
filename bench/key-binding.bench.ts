// Key binding by fuzzy commitment at the recommended parameters for dim 128 (n = 1023, r = 4, t = 150):
// bindKey (enrolment: projection, BCH encoding, commitment, key) and releaseKey for a probe that
// decodes (genuine) and one that does not (impostor), end to end in the JS core, with the
// projection material cached (one salt, as a 1:N epoch would have). A 1:N search by key binding
// is one releaseKey per record, so releases/s is its records/s on one thread.
import { bindKey, defaultBindingParams, messageBytes, releaseKey } from '../src/index.js';
import { BENCH_KEY, BENCH_SALT, embeddings } from './harness/inputs.js';
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

export default defineSuite({
  name: 'key-binding',
  workloads: [
    workload('bindKey fuzzy-commitment m=10 t=150 r=4 dim=128 (cached material)', () => bindKey(enrolled, params, BENCH_KEY, BENCH_SALT, secret).template),
    workload('releaseKey genuine (decodes)', () => releaseKey(enrolled, template, BENCH_KEY)),
    workload('releaseKey impostor (rejected)', () => releaseKey(impostor, template, BENCH_KEY)),
  ],
});
