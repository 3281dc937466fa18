// Worker threads sharing a BoundGallery's 1:N key release: each worker holds a copy of every
// epoch's bound templates (public helper data and commitments, re-sent when an epoch changes) and
// scans the rows it is given for the probe's projections, which it receives by message and wipes
// after the scan. Messages it finds go back by transfer; keys are derived on the calling thread.
// Each worker runs the self-contained program of bound-worker.gen.ts. Node only: elsewhere
// start() returns undefined and the gallery scans on the calling thread.
import type { _BoundRows } from './bound-scan.js';
import type { _BoundRequest, _ScanMessage, _ScanReply } from './bound-serve.js';
import { BOUND_WORKER_SOURCE } from './bound-worker.gen.js';
import { _workerConstructor, type _WorkerCtor } from '../worker-threads.js';

interface WorkerLike {
  on(event: 'message', listener: (reply: _ScanReply) => void): void;
  on(event: 'error', listener: (e: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  postMessage(value: _BoundRequest, transfer?: ArrayBuffer[]): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Pending { readonly resolve: (reply: _ScanReply) => void; readonly reject: (e: unknown) => void }

/** Workers of one BoundGallery. */
export class _BoundPool {
  readonly #workers: WorkerLike[] = [];
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: Error | undefined;

  private constructor(Worker: _WorkerCtor<WorkerLike>, source: string, count: number) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(source, { eval: true, execArgv: [] });
      worker.on('message', (reply) => {
        const p = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        if (this.#pending.size === 0) for (const w of this.#workers) w.unref();
        p?.resolve(reply);
      });
      worker.on('error', () => this.#fail(new Error('bound gallery: a key-release worker failed')));
      worker.on('exit', () => this.#fail(new Error('bound gallery: a key-release worker ended early')));
      worker.unref();
      this.#workers.push(worker);
    }
  }

  /** `count` workers, or undefined where worker threads are unavailable. */
  static start(count: number): _BoundPool | undefined {
    const Worker = _workerConstructor<WorkerLike>();
    return Worker && BOUND_WORKER_SOURCE !== undefined ? new _BoundPool(Worker, BOUND_WORKER_SOURCE, count) : undefined;
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Sends every worker the current templates of `epoch` (copied). */
  rows(epoch: number, rows: _BoundRows): void {
    for (const w of this.#workers) w.postMessage({ kind: 'rows', epoch, rows });
  }

  /** Tells every worker that `epoch` is gone. */
  drop(epoch: number): void {
    for (const w of this.#workers) w.postMessage({ kind: 'drop', epoch });
  }

  /**
   * Runs one scan on worker `index`, claiming chunks from `claim` (a shared counter); its
   * projections are transferred (the caller keeps no copy).
   */
  scan(index: number, claim: Int32Array, parts: _ScanMessage['parts']): Promise<_ScanReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) for (const w of this.#workers) w.ref();
      this.#pending.set(id, { resolve, reject });
      this.#workers[index]!.postMessage({ kind: 'scan', id, claim, parts }, parts.map((p) => p.proj.buffer as ArrayBuffer));
    });
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
    for (const w of this.#workers) w.unref();
  }

  /** Ends the workers. */
  close(): void {
    this.#fail(new Error('bound gallery: closed'));
    for (const w of this.#workers) void w.terminate();
  }
}
