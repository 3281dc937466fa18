// Worker threads for 1:N identification (README "Matching"): each worker instantiates the shared
// kernel module over the gallery's shared WebAssembly memory. An identification splits the rows
// into chunks; this thread and the workers claim chunks one at a time (compare-and-swap on a
// per-chunk word holding a job number), so a worker that wakes late delays no one: this
// thread scans what nobody claimed and waits only for chunks already being scanned. Each chunk's
// top k goes to its own output buffer. Everything goes through a control block in that memory
// (Atomics.wait / notify), so an identification stays one synchronous call. Node only.
import { TemplockError } from '../errors.js';
import { _workerConstructor } from '../worker-threads.js';

/** Control block layout (int32 words): job header, per-chunk words, per-worker ready flags. */
const SEQ = 0, STOP = 1, FAMILY = 2, PROBE = 3, BASE = 4, N = 5, K = 6, MAX_DIST = 7;
const CHUNKS = 8, CHUNK_ROWS = 9, ROWS = 10, OUTS = 11, OUT_STRIDE = 12;
const HEADER_WORDS = 16;
/** Most chunks of one identification. */
export const CHUNKS_MAX = 32;
/** Per chunk: the job that claimed it, the job that finished it, its result count. */
const CLAIM = HEADER_WORDS, DONE = CLAIM + CHUNKS_MAX, RESULT = DONE + CHUNKS_MAX;
const READY = RESULT + CHUNKS_MAX;

/** Bytes of the control block for `workers` workers. */
export function _controlBytes(workers: number): number {
  return 4 * (READY + workers);
}

/** Kernel family of a job: 0 = topk_hamming_u1, 1 = topk_equal_u8. */
export type _Family = 0 | 1;

// The worker's whole program, run with `eval`: it touches only the control block and the kernels.
// A chunk is claimable only by the job right after the one its word names (the main thread sets
// it to the previous job number before posting), so a worker that wakes late for an old job can
// claim nothing of a newer one.
const WORKER_SOURCE = `
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

interface WorkerLike {
  on(event: 'error', listener: (e: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** One identification: the kernel family and its arguments, the rows and their chunking. */
export interface _Job {
  readonly family: _Family;
  readonly probe: number;
  readonly base: number;
  readonly n: number;
  readonly k: number;
  readonly maxDist: number;
  readonly rows: number;
  readonly chunks: number;
  /** Output buffer of chunk c: outs + c * outStride. */
  readonly outs: number;
  readonly outStride: number;
}

/** A pool of scan workers over one shared memory. */
export class _ScanPool {
  private readonly workers: WorkerLike[] = [];
  private readonly ctl: Int32Array;
  /** Set when a worker failed to start or crashed; no more jobs then go to workers. */
  failed = false;

  /**
   * Starts `count` workers. `ctlPtr` is a zero-filled control block of _controlBytes(count)
   * bytes in `memory`.
   * @throws TemplockError BACKEND_UNAVAILABLE without node:worker_threads.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, ctlPtr: number, count: number) {
    const Worker = _workerConstructor<WorkerLike>();
    if (!Worker) throw new TemplockError('BACKEND_UNAVAILABLE', 'match: worker threads need node:worker_threads (Node.js)');
    this.ctl = new Int32Array(memory.buffer, ctlPtr, _controlBytes(count) / 4);
    for (let index = 0; index < count; index++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, ctlPtr, index } });
      worker.on('error', () => { this.failed = true; });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Number of workers started (ready or not). */
  get size(): number {
    return this.workers.length;
  }

  /** The workers that have started and wait for jobs. */
  ready(): number[] {
    const out: number[] = [];
    if (this.failed) return out;
    for (let i = 0; i < this.workers.length; i++) if (Atomics.load(this.ctl, READY + i) === 1) out.push(i);
    return out;
  }

  /**
   * Runs `job` in chunks on this thread and whichever workers wake up in time; `own(from, to,
   * out)` scans one chunk here. Returns the result count of every chunk.
   */
  run(job: _Job, own: (from: number, to: number, out: number) => number): number[] {
    const ctl = this.ctl;
    const prev = ctl[SEQ]!, seq = (prev + 1) | 0;
    const chunkRows = Math.ceil(job.rows / job.chunks);
    // Chunks start as claimed by the previous job: claimable by this job only, by exact compare-and-swap.
    for (let c = 0; c < job.chunks; c++) Atomics.store(ctl, CLAIM + c, prev);
    ctl[FAMILY] = job.family;
    ctl[PROBE] = job.probe;
    ctl[BASE] = job.base;
    ctl[N] = job.n;
    ctl[K] = job.k;
    ctl[MAX_DIST] = job.maxDist;
    ctl[CHUNKS] = job.chunks;
    ctl[CHUNK_ROWS] = chunkRows;
    ctl[ROWS] = job.rows;
    ctl[OUTS] = job.outs;
    ctl[OUT_STRIDE] = job.outStride;
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    for (let c = 0; c < job.chunks; c++) {
      if (Atomics.compareExchange(ctl, CLAIM + c, prev, seq) !== prev) continue;
      const from = c * chunkRows;
      ctl[RESULT + c] = own(from, Math.min(job.rows, from + chunkRows), job.outs + c * job.outStride);
      Atomics.store(ctl, DONE + c, seq);
    }
    for (let c = 0; c < job.chunks; c++) {
      for (;;) {
        const done = Atomics.load(ctl, DONE + c);
        if (done === seq) break;
        if (Atomics.wait(ctl, DONE + c, done, 60_000) === 'timed-out')
          throw new TemplockError('BACKEND_UNAVAILABLE', 'match: a scan worker did not answer');
      }
    }
    return Array.from(ctl.subarray(RESULT, RESULT + job.chunks));
  }

  /** Stops and ends every worker. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers.splice(0)) void w.terminate();
  }
}
