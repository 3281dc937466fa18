// The scan worker's program (scan-pool.ts), run with `eval`: self-contained, it imports nothing
// of the application or the package, so it survives bundling. Browser builds get
// scan-worker.browser.ts instead (package.json "browser"): galleries there scan on one thread.
import { SEQ, STOP, FAMILY, PROBE, BASE, N, K, MAX_DIST, CHUNKS, CHUNK_ROWS, ROWS, OUTS, OUT_STRIDE, CLAIM, DONE, RESULT, READY } from './scan-layout.js';

// The worker's whole program, run with `eval`: it touches only the control block and the kernels.
// A chunk is claimable only by the job right after the one its word names (the main thread sets
// it to the previous job number before posting), so a worker that wakes late for an old job can
// claim nothing of a newer one.
/** The program of one scan worker. */
export const SCAN_WORKER_SOURCE: string | undefined = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctlPtr, index } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, ctlPtr, ${READY} + index + 1);
let seen = Atomics.load(ctl, ${SEQ});
Atomics.store(ctl, ${READY} + index, 1);
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  if (Atomics.load(ctl, ${STOP}) !== 0) break;
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  const topk = ctl[${FAMILY}] === 0 ? k.topk_hamming_u1 : k.topk_equal_u8;
  const chunks = ctl[${CHUNKS}], chunkRows = ctl[${CHUNK_ROWS}], rows = ctl[${ROWS}];
  const prev = (seq - 1) | 0;
  for (let c = 0; c < chunks; c++) {
    if (Atomics.compareExchange(ctl, ${CLAIM} + c, prev, seq) !== prev) continue;
    const from = c * chunkRows, to = Math.min(rows, from + chunkRows);
    ctl[${RESULT} + c] = topk(ctl[${PROBE}], ctl[${BASE}] >>> 0, from, to, ctl[${N}], ctl[${K}], ctl[${MAX_DIST}], (ctl[${OUTS}] >>> 0) + c * ctl[${OUT_STRIDE}]);
    Atomics.store(ctl, ${DONE} + c, seq);
    Atomics.notify(ctl, ${DONE} + c);
  }
}
`;
