// Worker threads for 1:N identification (README "Matching"): each worker instantiates the shared
// kernel module over the gallery's shared WebAssembly memory. An identification splits the rows
// into chunks; this thread and the workers claim chunks one at a time (compare-and-swap on a
// per-chunk word holding a job number), so a worker that wakes late delays no one: this
// thread scans what nobody claimed and waits only for chunks already being scanned. Each chunk's
// top k goes to its own output buffer. Everything goes through a control block in that memory
// (Atomics.wait / notify), so an identification stays one synchronous call. Node only.
import { TemplockError } from '../errors.js';
import { _workerConstructor } from '../worker-threads.js';
import { _controlBytes, SEQ, STOP, FAMILY, PROBE, BASE, N, K, MAX_DIST, CHUNKS, CHUNK_ROWS, ROWS, OUTS, OUT_STRIDE, CLAIM, DONE, RESULT, READY, type _Family } from './scan-layout.js';
import { SCAN_WORKER_SOURCE } from './scan-worker.js';

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
    if (!Worker || SCAN_WORKER_SOURCE === undefined) throw new TemplockError('BACKEND_UNAVAILABLE', 'match: worker threads need node:worker_threads (Node.js)');
    this.ctl = new Int32Array(memory.buffer, ctlPtr, _controlBytes(count) / 4);
    for (let index = 0; index < count; index++) {
      const worker = new Worker(SCAN_WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, ctlPtr, index } });
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
