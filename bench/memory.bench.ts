// The machine's single-core streaming-read bandwidth, in C and in plain JS, over a buffer far
// larger than the caches; the scans' "% bw" column is measured against it.
import { read_f64 } from './baseline/read_f64.js';
import { fillWords } from './harness/data.js';
import { native } from './harness/native.js';
import { BANDWIDTH_WORKLOAD } from './harness/results.js';
import { defineSuite } from './harness/suite.js';

const BYTES = 256 * 1024 * 1024;
let buf = new Float64Array(0);

export default defineSuite({
  name: 'memory',
  workloads: [
    {
      name: BANDWIDTH_WORKLOAD,
      bytes: BYTES,
      setup() {
        const words = fillWords(new Uint32Array(BYTES / 8), 1);
        buf = new Float64Array(BYTES / 8);
        for (let i = 0; i < buf.length; i++) buf[i] = words[i]! & 0xffff; // integers: any summation order is exact
      },
      teardown() { buf = new Float64Array(0); },
      impls() {
        const c = native();
        return [
          { variant: 'baseline', fn: () => read_f64(buf) },
          ...(c ? [{ variant: 'native', fn: () => c.read_f64(buf) }] : []),
        ];
      },
    },
  ],
});
