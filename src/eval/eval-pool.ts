// Worker threads for the evaluation (docs/EVALUATION.md "Speed"): jobs of eval-jobs.ts go to
// the least busy of `threads` workers (eval-worker.ts, which initialise the same kernel backend
// as this thread) and their results come back in the order of the jobs. With one thread, or where
// worker threads are unavailable, jobs run here one after another. Node only.
import { TemplockError } from '../errors.js';
import { _activeBackend } from '../match/loader.js';
import { _workerConstructor } from '../worker-threads.js';
import { _InstanceCache, _runEvalJob, type _EvalJob, type _EvalResult } from './eval-jobs.js';

interface WorkerLike {
  on(event: 'message', listener: (reply: Reply) => void): void;
  on(event: 'error' | 'exit', listener: (e: unknown) => void): void;
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<number>;
}

type Reply = { id: number; result: _EvalResult } | { id: number; error: string };

interface Slot {
  readonly worker: WorkerLike;
  readonly pending: Map<number, { resolve: (r: _EvalResult) => void; reject: (e: Error) => void }>;
}

/** Cores of this machine (1 where unknown). */
export function _cores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return Math.max(1, os?.availableParallelism?.() ?? 1);
}

/**
 * The worker's program: eval-worker.js beside this module; run from the TypeScript sources (under
 * tsx), a loader that registers tsx in the worker first, since workers do not inherit it.
 */
function workerProgram(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./eval-worker.js', import.meta.url), {}];
  const url = new URL('./eval-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return [`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`, { eval: true }];
}

/** Runs evaluation jobs on worker threads, or here. */
export class _EvalPool {
  private readonly slots: Slot[] = [];
  private readonly here = new _InstanceCache();
  private next = 0;
  private failure: Error | undefined;

  /** `threads` workers (none when threads is 1 or workers are unavailable). */
  constructor(threads: number) {
    if (threads <= 1) return;
    const Worker = _workerConstructor<WorkerLike>();
    if (!Worker) return;
    const active = _activeBackend();
    for (let i = 0; i < threads; i++) {
      const [program, how] = workerProgram();
      const worker = new Worker(program, { ...how, workerData: { backend: active } });
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (reply) => this.settle(slot, reply));
      worker.on('error', (e) => this.fail(new TemplockError('BACKEND_UNAVAILABLE', `evaluate: a worker thread failed (${e instanceof Error ? e.message : String(e)})`)));
      worker.on('exit', () => this.fail(new TemplockError('BACKEND_UNAVAILABLE', 'evaluate: a worker thread ended early')));
      this.slots.push(slot);
    }
  }

  /** Number of threads the jobs run on. */
  get threads(): number {
    return Math.max(1, this.slots.length);
  }

  /** Results of `jobs`, in their order; `onDone(k)` after each job finishes (k finished). */
  async run(jobs: readonly _EvalJob[], onDone: (done: number) => void = () => {}): Promise<_EvalResult[]> {
    if (this.slots.length === 0) {
      return jobs.map((job, k) => { const r = _runEvalJob(job, this.here); onDone(k + 1); return r; });
    }
    let done = 0;
    return Promise.all(jobs.map((job) => this.send(job).then((r) => { onDone(++done); return r; })));
  }

  private send(job: _EvalJob): Promise<_EvalResult> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job });
    });
  }

  private settle(slot: Slot, reply: Reply): void {
    const p = slot.pending.get(reply.id);
    if (!p) return;
    slot.pending.delete(reply.id);
    if ('error' in reply) p.reject(new TemplockError('BACKEND_UNAVAILABLE', `evaluate: a worker job failed (${reply.error})`));
    else p.resolve(reply.result);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const slot of this.slots) {
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
    }
  }

  /** Stops the workers (their instances go with them) and wipes the instance held here. */
  async close(): Promise<void> {
    this.here.clear();
    this.failure ??= new TemplockError('BACKEND_UNAVAILABLE', 'evaluate: the worker pool is closed');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
