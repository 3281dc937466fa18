// Worker threads for 1:N identification (README "Matching"): each worker instantiates the shared
// kernel module over the gallery's shared WebAssembly memory and scans the row range it is
// given. Jobs and replies go through a control block in that memory (Atomics.wait / notify), so
// an identification stays one synchronous call. Node only (node:worker_threads).
import { TemplockError } from '../errors.js';

/** Control block layout (int32 words): job header, then WORKER_WORDS per worker. */
const SEQ = 0, DONE = 1, STOP = 2, FAMILY = 3, PROBE = 4, BASE = 5, N = 6, K = 7, MAX_DIST = 8;
const HEADER_WORDS = 16;
const WORKER_WORDS = 8;
/** Per-worker words: its range, its output buffer, the job it must run, its result, ready flag. */
const FROM = 0, TO = 1, OUT = 2, JOB = 3, RESULT = 4, READY = 5;

/** Bytes of the control block for `workers` workers. */
export function _controlBytes(workers: number): number {
  return 4 * (HEADER_WORDS + WORKER_WORDS * workers);
}

/** Kernel family of a job: 0 = topk_hamming_u1, 1 = topk_equal_u8. */
export type _Family = 0 | 1;

// The worker's whole program, run with `eval`: it touches only the control block and the kernels.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctlPtr, index } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, ctlPtr, ${HEADER_WORDS} + ${WORKER_WORDS} * (index + 1));
const w = ${HEADER_WORDS} + ${WORKER_WORDS} * index;
let seen = Atomics.load(ctl, ${SEQ});
Atomics.store(ctl, w + ${READY}, 1);
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  if (Atomics.load(ctl, ${STOP}) !== 0) break;
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(ctl, w + ${JOB}) !== seq) continue;
  const topk = ctl[${FAMILY}] === 0 ? k.topk_hamming_u1 : k.topk_equal_u8;
  ctl[w + ${RESULT}] = topk(ctl[${PROBE}], ctl[${BASE}] >>> 0, ctl[w + ${FROM}], ctl[w + ${TO}], ctl[${N}], ctl[${K}], ctl[${MAX_DIST}], ctl[w + ${OUT}] >>> 0);
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

interface WorkerLike {
  on(event: 'error', listener: (e: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (src: string, opts: object) => WorkerLike;

function workerConstructor(): WorkerCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: WorkerCtor } | undefined;
  return wt?.Worker;
}

/** One job: a kernel family, probe and rows, k and the distance bound. */
export interface _Job {
  readonly family: _Family;
  readonly probe: number;
  readonly base: number;
  readonly n: number;
  readonly k: number;
  readonly maxDist: number;
}

/** A pool of scan workers over one shared memory. */
export class _ScanPool {
  private readonly workers: WorkerLike[] = [];
  private readonly ctl: Int32Array;
  /** Set when a worker failed to start or crashed; the pool then runs no more jobs on workers. */
  failed = false;

  /**
   * Starts `count` workers. `ctlPtr` is a control block of _controlBytes(count) bytes in
   * `memory`, zero-filled.
   * @throws TemplockError BACKEND_UNAVAILABLE without node:worker_threads.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, ctlPtr: number, count: number) {
    const Worker = workerConstructor();
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
    for (let i = 0; i < this.workers.length; i++) if (Atomics.load(this.ctl, HEADER_WORDS + WORKER_WORDS * i + READY) === 1) out.push(i);
    return out;
  }

  /**
   * Gives each listed worker its range and output buffer, runs `own` on this thread meanwhile,
   * waits for the workers and returns their result counts.
   */
  run(job: _Job, ranges: readonly { worker: number; from: number; to: number; out: number }[], own: () => void): number[] {
    const ctl = this.ctl;
    const seq = (ctl[SEQ]! + 1) | 0;
    ctl[FAMILY] = job.family;
    ctl[PROBE] = job.probe;
    ctl[BASE] = job.base;
    ctl[N] = job.n;
    ctl[K] = job.k;
    ctl[MAX_DIST] = job.maxDist;
    for (const r of ranges) {
      const w = HEADER_WORDS + WORKER_WORDS * r.worker;
      ctl[w + FROM] = r.from;
      ctl[w + TO] = r.to;
      ctl[w + OUT] = r.out;
      ctl[w + JOB] = seq;
    }
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    own();
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= ranges.length) break;
      if (Atomics.wait(ctl, DONE, done, 60_000) === 'timed-out')
        throw new TemplockError('BACKEND_UNAVAILABLE', 'match: a scan worker did not answer');
    }
    return ranges.map((r) => ctl[HEADER_WORDS + WORKER_WORDS * r.worker + RESULT]!);
  }

  /** Stops and ends every worker. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers.splice(0)) void w.terminate();
  }
}
