// Opening sealed records on worker threads (README "Storage", SPEC.md §7): the pool behind
// TemplateStore.openEntries(). The calling thread reads, parses and checks records (revocation
// list, key lookup); workers run the AEAD and the header checks of _openRecordBytes and send back
// the template bytes, which the calling thread decodes strictly and wipes. Workers receive the
// derived record keys and the record bytes by message, in-process only; they are ended when the
// load finishes. Each worker runs the self-contained program of open-worker.gen.ts (it imports
// nothing of the application, so it survives bundling). Node only: elsewhere start() returns
// undefined and the caller opens in-thread.
import { TemplockError } from '../errors.js';
import type { _SealKey } from './key-material.js';
import type { _OpenReply, _OpenRequest, _WipeRequest } from './open-serve.js';
import { OPEN_WORKER_SOURCE } from './open-worker.gen.js';
import { _workerConstructor, type _WorkerCtor } from '../worker-threads.js';

/** One record to open under `key` for (tenant, subjectId, purpose). */
export interface _OpenJob {
  readonly record: Uint8Array;
  readonly subjectId: string;
  readonly purpose: string;
  readonly key: _SealKey;
}

/** Outcome of one job: the authenticated template bytes (the caller wipes them), or the error. */
export type _OpenOutcome = Uint8Array | TemplockError;

interface WorkerLike {
  on(event: 'message', listener: (reply: _OpenReply) => void): void;
  on(event: 'error', listener: (e: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  postMessage(value: _OpenRequest | _WipeRequest, transfer?: ArrayBuffer[]): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = _WorkerCtor<WorkerLike>;

interface Pending {
  readonly jobs: readonly _OpenJob[];
  readonly resolve: (outcomes: _OpenOutcome[]) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: WorkerLike;
  readonly pending: Map<number, Pending>;
  /** How many of the pool's keys this worker has received. */
  keysSent: number;
}

/**
 * Worker threads opening batches of records for one tenant. A store keeps an idle pool between
 * loads (unreferenced: it does not keep the process alive); release() makes every worker wipe
 * the keys it received, so no key outlives the load that sent it.
 */
export class _OpenPool {
  readonly #slots: Slot[] = [];
  readonly #keys: _SealKey[] = [];
  readonly #keyIndex = new Map<_SealKey, number>();
  #batch = 0;
  #failure: Error | undefined;

  private constructor(Worker: WorkerCtor, source: string, tenant: string, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(source, { eval: true, execArgv: [], workerData: { tenant } });
      const slot: Slot = { worker, pending: new Map(), keysSent: 0 };
      worker.on('message', (reply) => this.#settle(slot, reply));
      worker.on('error', () => this.#fail(new Error('storage: a record-opening worker failed')));
      worker.on('exit', () => this.#fail(new Error('storage: a record-opening worker ended early')));
      worker.unref();
      this.#slots.push(slot);
    }
  }

  /** Number of workers. */
  get threads(): number {
    return this.#slots.length;
  }

  /** False once a worker failed or the pool was closed. */
  get usable(): boolean {
    return this.#failure === undefined;
  }

  /** After a load: every worker zero-fills the keys it received; the next load sends them again. */
  release(): void {
    for (const slot of this.#slots) {
      slot.worker.postMessage({ wipe: true });
      slot.keysSent = 0;
    }
    this.#keys.length = 0;
    this.#keyIndex.clear();
  }

  /** Starts `threads` workers, or returns undefined where worker threads are unavailable. */
  static start(tenant: string, threads: number): _OpenPool | undefined {
    const Worker = _workerConstructor<WorkerLike>();
    return Worker && OPEN_WORKER_SOURCE !== undefined ? new _OpenPool(Worker, OPEN_WORKER_SOURCE, tenant, threads) : undefined;
  }

  /** Opens `jobs` on the least busy worker; outcomes in the order of the jobs. */
  open(jobs: readonly _OpenJob[]): Promise<_OpenOutcome[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    let bytes = 0;
    for (const j of jobs) {
      bytes += j.record.length;
      if (!this.#keyIndex.has(j.key)) {
        this.#keyIndex.set(j.key, this.#keys.length);
        this.#keys.push(j.key);
      }
    }
    const records = new Uint8Array(bytes), ends = new Uint32Array(jobs.length), keyIndex = new Uint32Array(jobs.length);
    let at = 0;
    jobs.forEach((j, i) => {
      records.set(j.record, at);
      ends[i] = at += j.record.length;
      keyIndex[i] = this.#keyIndex.get(j.key)!;
    });
    const batch = this.#batch++;
    const keys = this.#keys.slice(slot.keysSent);
    slot.keysSent = this.#keys.length;
    return new Promise((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(batch, { jobs, resolve, reject });
      slot.worker.postMessage({
        batch, keys, records, ends, keyIndex,
        subjects: jobs.map((j) => j.subjectId), purposes: jobs.map((j) => j.purpose),
      }, [records.buffer, ends.buffer, keyIndex.buffer]);
    });
  }

  #settle(slot: Slot, reply: _OpenReply): void {
    const p = slot.pending.get(reply.batch);
    if (!p) return;
    slot.pending.delete(reply.batch);
    if (slot.pending.size === 0) slot.worker.unref();
    let from = 0;
    p.resolve(p.jobs.map((_, i) => {
      const e = reply.errors[i];
      const bytes = reply.out.subarray(from, reply.ends[i]);
      from = reply.ends[i]!;
      return e ? new TemplockError(e[0], e[1]) : bytes;
    }));
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const slot of this.#slots) {
      for (const p of slot.pending.values()) p.reject(this.#failure);
      slot.pending.clear();
      slot.worker.unref();
    }
  }

  /** Ends the workers (pending batches are rejected). */
  close(): void {
    this.#fail(new Error('storage: the record-opening pool is closed'));
    for (const slot of this.#slots) void slot.worker.terminate();
  }
}
