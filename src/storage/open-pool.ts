// Opening sealed records on worker threads (README "Storage", SPEC.md §7): the pool behind
// TemplateStore.openEntries(). The calling thread reads, parses and checks records (revocation
// list, key lookup); workers run the AEAD and the header checks of _openRecordBytes and send back
// the template bytes, which the calling thread decodes strictly and wipes. Workers receive the
// derived record keys and the record bytes by message, in-process only; they are ended when the
// load finishes. Node only: elsewhere start() returns undefined and the caller opens in-thread.
import { isTemplockError, TemplockError, type ErrorCode } from '../errors.js';
import { _contextEncoder } from './context.js';
import { _wipeSealKey, type _SealKey } from './key-material.js';
import { _openRecordBytes, _parseRecord, _SaltIdMemo } from './record.js';
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

interface OpenRequest {
  readonly batch: number;
  /** Keys this worker has not received yet; appended to its key list. */
  readonly keys: readonly _SealKey[];
  /** Records concatenated; record i ends at ends[i]. */
  readonly records: Uint8Array;
  readonly ends: Uint32Array;
  readonly keyIndex: Uint32Array;
  readonly subjects: readonly string[];
  readonly purposes: readonly string[];
}

interface OpenReply {
  readonly batch: number;
  /** Template bytes concatenated; job i's end at ends[i] (empty for a failed job). */
  readonly out: Uint8Array;
  readonly ends: Uint32Array;
  /** Per job: null, or the code and message of its TemplockError. */
  readonly errors: ReadonlyArray<readonly [ErrorCode, string] | null>;
}

/** Tells a worker to zero-fill and forget its keys and its remembered salt. */
interface WipeRequest {
  readonly wipe: true;
}

interface PortLike {
  on(event: 'message', listener: (request: OpenRequest | WipeRequest) => void): void;
  postMessage(value: OpenReply, transfer: ArrayBuffer[]): void;
}

/**
 * The worker side: opens each request's records and replies in one transferred buffer.
 * Errors other than TemplockError are not caught: they end the worker and fail the load.
 */
export function _serveOpenRequests(port: PortLike, tenant: string): void {
  const context = _contextEncoder(tenant);
  const keys: _SealKey[] = [];
  const saltIds = new _SaltIdMemo();
  port.on('message', (req) => {
    if ('wipe' in req) {
      for (const k of keys.splice(0)) _wipeSealKey(k);
      saltIds.wipe();
      return;
    }
    keys.push(...req.keys);
    const n = req.subjects.length;
    const parts: Uint8Array[] = [];
    const errors: Array<readonly [ErrorCode, string] | null> = [];
    let from = 0, total = 0;
    for (let i = 0; i < n; i++) {
      const record = req.records.subarray(from, req.ends[i]);
      from = req.ends[i]!;
      try {
        const bytes = _openRecordBytes(keys[req.keyIndex[i]!]!, _parseRecord(record), context(req.subjects[i], req.purposes[i]), saltIds);
        parts.push(bytes);
        total += bytes.length;
        errors.push(null);
      } catch (e) {
        if (!isTemplockError(e)) throw e;
        parts.push(new Uint8Array(0));
        errors.push([e.code, e.message]);
      }
    }
    const out = new Uint8Array(total), ends = new Uint32Array(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      out.set(parts[i]!, at);
      parts[i]!.fill(0);
      ends[i] = at += parts[i]!.length;
    }
    port.postMessage({ batch: req.batch, out, ends, errors }, [out.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
  });
}

// The worker's program, run with `eval`: it loads this very module (by its URL, so the same
// build serves both sides) and serves requests. When this module runs from its TypeScript
// sources (tests, benchmarks under tsx), worker threads do not inherit the parent's loader, so
// the worker registers tsx's loader first.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  (await import(workerData.url))._serveOpenRequests(parentPort, workerData.tenant);
})();
`;
const FROM_SOURCES = import.meta.url.endsWith('.ts');

interface WorkerLike {
  on(event: 'message', listener: (reply: OpenReply) => void): void;
  on(event: 'error', listener: (e: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  postMessage(value: OpenRequest | WipeRequest, transfer?: ArrayBuffer[]): void;
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

  private constructor(Worker: WorkerCtor, tenant: string, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url: import.meta.url, loader: FROM_SOURCES ? import.meta.resolve('tsx/esm/api') : undefined, tenant } });
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
    return Worker ? new _OpenPool(Worker, tenant, threads) : undefined;
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

  #settle(slot: Slot, reply: OpenReply): void {
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
