// 1:N identification (README "Matching"): protected templates of one parameter set, key, mean
// and salt, held contiguously in the memory of one kernel instance (row i = the i-th enrolled
// subject); top-k search by one kernel call, optionally split over worker threads that share
// the memory. Decisions and ranks only, unless a score disclosure is asked for by name (an
// identification under 'none' needs a threshold). Every failed operation leaves the gallery unchanged.
import { bytesToHex } from '@noble/hashes/utils.js';
import { TemplockError } from '../errors.js';
import { _saltIdBytes } from '../salt-id.js';
import type { ProtectedTemplate } from '../template.js';
import { _schemeOf } from '../transforms/registry.js';
import type { TransformParams } from '../transforms/scheme.js';
import { aInt, aNumber, aString } from '../validate.js';
import { _newInstance, _sharedModule, _threadsAvailable, type _Instance } from './loader.js';
import { MAX_PAGES, PAGE_BYTES } from './memory.js';
import { _assertMatches, _metricOf, _referenceOf, type _Metric, type _Reference } from './metric.js';
import { _verification, type Verification } from './matcher.js';
import { _aScoreDisclosure, _disclose, type ScoreDisclosure } from './disclosure.js';
import { _controlBytes, CHUNKS_MAX, type _Family } from './scan-layout.js';
import { _ScanPool } from './scan-pool.js';

/** Largest k of one identification. */
export const K_MAX = 1000;
/** Largest number of threads of one gallery. */
export const THREADS_MAX = 64;

/** Options of a {@link Gallery}. */
export interface GalleryOptions {
  /** Threads that share each identification (this one plus threads - 1 workers); default 1. Node only. */
  readonly threads?: number;
  /** Most bytes of kernel memory the gallery may use, 1 MiB .. 4 GiB (the default). */
  readonly maxMemoryBytes?: number;
  /**
   * What verify() and identify() return beside decisions and ranks: 'none' (default), 'coarse'
   * (rounded down to tenths) or 'exact'. Under 'none' identify() needs a threshold.
   */
  readonly scores?: ScoreDisclosure;
}

/** Options of an identification. */
export interface IdentifyOptions {
  /** How many candidates at most, 1..1000; default 1. */
  readonly k?: number;
  /**
   * Only candidates with score >= threshold, in [0, 1]. Required when the gallery discloses no
   * scores (the order of candidates below any threshold would disclose them); default 0 otherwise.
   */
  readonly threshold?: number;
}

/**
 * A candidate of an identification: its id, its rank (1 = best), and its score only when the
 * gallery discloses scores.
 */
export interface Candidate {
  readonly id: string;
  readonly rank: number;
  readonly score?: number;
}

/** Bytes of one top-k output buffer: K_MAX (row u32, distance u32) pairs. */
const OUT_STRIDE = 8 * K_MAX;
/** Galleries with fewer rows scan on one thread (the hand-off would cost more than it saves). */
const PARALLEL_MIN_ROWS = 4096;
/**
 * Chunks per thread of a parallel identification: the scan ends when the last chunk does, so
 * smaller chunks leave less of one thread's work after the other has finished (with 4 per
 * thread, 2 threads over 1,000,000 sign-512 rows scanned chunks of 125,000 rows, about 0.4 ms each).
 */
const CHUNKS_PER_THREAD = 16;

/** Longest subject id, in UTF-16 code units. */
const ID_MAX_LENGTH = 256;

/**
 * A 1:N gallery of protected templates that share parameters, key, mean and salt (one salt epoch).
 * Candidates come by score descending; equal scores in enrolment order (`update` keeps a
 * subject's place, `remove` closes the gap).
 * @example
 * import { init, Gallery } from 'templock/match';
 * await init();
 * const g = new Gallery(firstTemplate);
 * g.add('alice', aliceTemplate);
 * const [best] = g.identify(probe, { k: 1, threshold: 0.3 }); // { id: 'alice', rank: 1 } or undefined
 */
export class Gallery {
  /** The parameters every template of this gallery has. */
  readonly params: TransformParams;
  /** What verify() and identify() disclose beside decisions and ranks. */
  readonly scores: ScoreDisclosure;
  /** Salt id (32 hex characters, SPEC.md §7.4) of the salt every template shares: what a salt revocation names. */
  readonly saltId: string;
  private readonly ref: _Reference;
  private readonly metric: _Metric;
  private readonly inst: _Instance;
  private readonly family: _Family;
  private readonly probePtr: number;
  /** Top-k output buffers: one for a single-thread scan, CHUNKS_MAX when threads share it. */
  private readonly outPtr: number;
  private readonly rowsBase: number;
  private readonly ids: string[] = [];
  private readonly slots = new Map<string, number>();
  private pool: _ScanPool | undefined;

  /**
   * An empty gallery for templates comparable with `reference` (same parameters, key, mean and
   * salt); `reference` itself is not added.
   * @throws TemplockError BACKEND_UNAVAILABLE before `await init()`, or when threads > 1 and
   * the backend has no shared WebAssembly memory or worker threads.
   */
  constructor(reference: ProtectedTemplate, options: GalleryOptions = {}) {
    this.ref = _referenceOf('reference', reference);
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
    const threads = aInt('threads', options.threads ?? 1, 1, THREADS_MAX);
    const maxMemoryBytes = aInt('maxMemoryBytes', options.maxMemoryBytes ?? MAX_PAGES * PAGE_BYTES, 1 << 20, MAX_PAGES * PAGE_BYTES);
    this.scores = _aScoreDisclosure('scores', options.scores);
    this.params = this.ref.params;
    this.saltId = bytesToHex(_saltIdBytes(this.ref.salt));
    this.metric = _metricOf(this.params);
    this.family = this.params.scheme === 'sign' ? 0 : 1;
    if (threads > 1 && !_threadsAvailable())
      throw new TemplockError('BACKEND_UNAVAILABLE', 'match: threads > 1 needs a WebAssembly backend with shared memory');
    this.inst = _newInstance(PAGE_BYTES, threads > 1);
    const heap = this.inst.heap;
    heap.limitBytes = maxMemoryBytes;
    const ctlPtr = threads > 1 ? heap.alloc(_controlBytes(threads - 1)) : 0;
    this.probePtr = heap.alloc(this.metric.n);
    this.outPtr = heap.alloc(OUT_STRIDE * (threads > 1 ? CHUNKS_MAX : 1));
    this.rowsBase = heap.top;
    if (threads > 1) {
      heap.u8.fill(0, ctlPtr, ctlPtr + _controlBytes(threads - 1));
      this.pool = new _ScanPool(_sharedModule(), heap.memory as WebAssembly.Memory, ctlPtr, threads - 1);
    }
  }

  /** Number of enrolled subjects. */
  get size(): number {
    return this.ids.length;
  }

  /** Threads an identification may use (1 + workers). */
  get threads(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /** Bytes of the kernel memory holding the rows (grown in steps; ids live in the JS heap). */
  get memoryBytes(): number {
    return this.inst.heap.byteLength;
  }

  /** Most templates this gallery can hold within its memory limit (4 GiB unless set lower). */
  get capacity(): number {
    return Math.floor((Math.floor(this.inst.heap.limitBytes / PAGE_BYTES) * PAGE_BYTES - this.rowsBase) / this.metric.n);
  }

  /**
   * Resolves once every worker thread has started (identify() uses the ready ones meanwhile,
   * with the same results); at once without workers.
   * @throws TemplockError BACKEND_UNAVAILABLE when a worker failed (identify() then runs on this thread).
   * @example
   * const g = new Gallery(reference, { threads: 2 });
   * await g.ready();
   */
  async ready(): Promise<void> {
    while (this.pool && this.pool.ready().length < this.pool.size) {
      if (this.pool.failed) throw new TemplockError('BACKEND_UNAVAILABLE', 'match: a scan worker failed to start');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** True when `id` is enrolled. */
  has(id: string): boolean {
    return this.slots.has(aString('id', id, ID_MAX_LENGTH));
  }

  /** The enrolled ids in row order. */
  list(): string[] {
    return this.ids.slice();
  }

  private row(slot: number): number {
    return this.rowsBase + slot * this.metric.n;
  }

  private reserve(extra: number): void {
    if (this.ids.length + extra > this.capacity)
      throw new TemplockError('CAPACITY_EXCEEDED', `gallery: ${this.ids.length + extra} templates exceed the capacity of ${this.capacity}`);
    this.inst.heap.ensure(this.row(this.ids.length + extra));
  }

  private slotOf(id: string): number {
    const slot = this.slots.get(aString('id', id, ID_MAX_LENGTH));
    if (slot === undefined) throw new TemplockError('NOT_FOUND', 'gallery: no subject with this id');
    return slot;
  }

  /**
   * Enrols `id` with template `t`.
   * @throws TemplockError DUPLICATE_ID, INCOMPATIBLE, CAPACITY_EXCEEDED (gallery unchanged).
   */
  add(id: string, t: ProtectedTemplate): void {
    aString('id', id, ID_MAX_LENGTH);
    const payload = _assertMatches(this.ref, 'template', t, true);
    if (this.slots.has(id)) throw new TemplockError('DUPLICATE_ID', 'gallery: this id is already enrolled');
    this.reserve(1);
    this.inst.heap.u8.set(payload, this.row(this.ids.length));
    this.slots.set(id, this.ids.length);
    this.ids.push(id);
  }

  /**
   * Enrols many subjects at once from their concatenated payloads (ids.length x payload bytes,
   * each as in a template of this gallery's parameters, key, mean and salt): the fast way to
   * load a large gallery from storage. All or nothing.
   * @throws TemplockError DUPLICATE_ID, CAPACITY_EXCEEDED; RangeError for a wrong length or value.
   */
  addPayloads(ids: readonly string[], payloads: Uint8Array): void {
    if (!Array.isArray(ids)) throw new TypeError(`"ids" expected string[], got ${typeof ids}`);
    if (!(payloads instanceof Uint8Array)) throw new TypeError(`"payloads" expected Uint8Array, got ${payloads === null ? 'null' : typeof payloads}`);
    const n = this.metric.n;
    if (payloads.length !== ids.length * n)
      throw new RangeError(`"payloads" expected Uint8Array of length ${ids.length * n}, got length ${payloads.length}`);
    for (const id of ids) aString('id', id, ID_MAX_LENGTH);
    const scheme = _schemeOf(this.params);
    if (!scheme.payloadValid(this.params, payloads)) {
      for (let i = 0; i < ids.length; i++)
        if (!scheme.payloadValid(this.params, payloads.subarray(i * n, (i + 1) * n)))
          throw new RangeError(`"payloads" holds values out of range for its parameters at template ${i}`);
    }
    this.reserve(ids.length);
    // Enter the ids, undoing them all at the first duplicate.
    const first = this.ids.length;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.slots.has(id)) {
        for (let j = 0; j < i; j++) this.slots.delete(ids[j]!);
        throw new TemplockError('DUPLICATE_ID', 'gallery: an id is enrolled twice');
      }
      this.slots.set(id, first + i);
    }
    this.inst.heap.u8.set(payloads, this.row(first));
    for (const id of ids) this.ids.push(id);
  }

  /**
   * Replaces the template of `id` (re-enrolment); the subject keeps its place.
   * @throws TemplockError NOT_FOUND, INCOMPATIBLE (gallery unchanged).
   */
  update(id: string, t: ProtectedTemplate): void {
    const slot = this.slotOf(id);
    const payload = _assertMatches(this.ref, 'template', t, true);
    this.inst.heap.u8.set(payload, this.row(slot));
  }

  /**
   * Removes `id`; later subjects move up one row (O(size)) and the freed row is zero-filled.
   * @throws TemplockError NOT_FOUND (gallery unchanged).
   */
  remove(id: string): void {
    this.slotOf(id);
    this.removeMany([id]);
  }

  /**
   * Removes every enrolled id of `ids` (ids not enrolled are ignored) in one pass over the rows:
   * the others keep their order and move up, the freed rows are zero-filled. Returns how many
   * were removed. O(size), however many go.
   * @example
   * gallery.removeMany(revokedIds);
   */
  removeMany(ids: Iterable<string>): number {
    const gone = new Set<string>();
    for (const id of ids) if (this.slots.has(aString('id', id, ID_MAX_LENGTH))) gone.add(id);
    if (gone.size === 0) return 0;
    const u8 = this.inst.heap.u8, total = this.ids.length, end = this.row(total);
    let kept = 0;
    for (let slot = 0; slot < total;) {
      if (gone.has(this.ids[slot]!)) { this.slots.delete(this.ids[slot++]!); continue; }
      // A run of kept rows moves up in one copy.
      const from = slot;
      while (slot < total && !gone.has(this.ids[slot]!)) slot++;
      if (kept !== from) u8.copyWithin(this.row(kept), this.row(from), this.row(slot));
      for (let i = from; i < slot; i++, kept++) {
        this.ids[kept] = this.ids[i]!;
        this.slots.set(this.ids[kept]!, kept);
      }
    }
    this.ids.length = kept;
    u8.fill(0, this.row(kept), end);
    return gone.size;
  }

  /**
   * Compares `probe` with the enrolled template of `id` (1:1 against the gallery).
   * @throws TemplockError NOT_FOUND, INCOMPATIBLE.
   */
  verify(id: string, probe: ProtectedTemplate, options: { readonly threshold: number }): Verification {
    const slot = this.slotOf(id);
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
    const threshold = aNumber('threshold', options.threshold, 0, 1);
    this.inst.heap.u8.set(_assertMatches(this.ref, 'probe', probe, true), this.probePtr);
    const score = this.metric.score(this.metric.distance(this.inst.kernels, this.probePtr, this.row(slot)));
    return _verification(score >= threshold, score, this.scores);
  }

  /**
   * The k enrolled subjects closest to `probe` with score >= threshold, best first (equal
   * scores in enrolment order), ranked from 1. Uses every thread of the gallery.
   * @throws TemplockError EMPTY_GALLERY, INCOMPATIBLE; RangeError for k outside 1..1000, or
   * for a missing threshold when the gallery discloses no scores.
   */
  identify(probe: ProtectedTemplate, options: IdentifyOptions = {}): Candidate[] {
    const { k, maxDist } = this.checkIdentify(options);
    return this.search(_assertMatches(this.ref, 'probe', probe, true), k, maxDist);
  }

  /**
   * identify() for several probes (validated first, all or nothing).
   * @throws as identify().
   */
  identifyMany(probes: readonly ProtectedTemplate[], options: IdentifyOptions = {}): Candidate[][] {
    if (!Array.isArray(probes)) throw new TypeError(`"probes" expected ProtectedTemplate[], got ${typeof probes}`);
    const { k, maxDist } = this.checkIdentify(options);
    const payloads = probes.map((p, i) => _assertMatches(this.ref, `probes[${i}]`, p, true));
    return payloads.map((p) => this.search(p, k, maxDist));
  }

  private checkIdentify(options: IdentifyOptions): { k: number; maxDist: number } {
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
    const k = aInt('k', options.k ?? 1, 1, K_MAX);
    if (options.threshold === undefined && this.scores === 'none')
      throw new RangeError('"threshold" is required when the gallery discloses no scores (scores: \'none\')');
    const threshold = aNumber('threshold', options.threshold ?? 0, 0, 1);
    if (this.ids.length === 0) throw new TemplockError('EMPTY_GALLERY', 'gallery: no subject is enrolled');
    return { k, maxDist: this.metric.maxDist(threshold) };
  }

  private search(payload: Uint8Array, k: number, maxDist: number): Candidate[] {
    const { kernels, heap } = this.inst;
    heap.u8.set(payload, this.probePtr);
    const rows = this.ids.length;
    const top = (from: number, to: number, out: number) =>
      this.metric.topk(kernels, this.probePtr, this.rowsBase, from, to, k, maxDist, out);
    const workers = this.pool?.ready() ?? [];
    let counts: number[];
    if (workers.length === 0 || rows < PARALLEL_MIN_ROWS) {
      counts = [top(0, rows, this.outPtr)];
    } else {
      // Chunks of at least PARALLEL_MIN_ROWS / 2 rows, CHUNKS_PER_THREAD per thread: the threads
      // finish at most one (small) chunk apart. Each chunk's top k in (distance, row) order,
      // merged in that order, is exactly the single-thread result.
      const chunks = Math.min(CHUNKS_MAX, CHUNKS_PER_THREAD * (workers.length + 1), Math.ceil(rows / (PARALLEL_MIN_ROWS / 2)));
      counts = this.pool!.run(
        { family: this.family, probe: this.probePtr, base: this.rowsBase, n: this.metric.n, k, maxDist, rows, chunks, outs: this.outPtr, outStride: OUT_STRIDE },
        top,
      );
    }
    // k-way merge of the chunks' lists, each in (distance, row) order: the k smallest overall.
    const u32 = heap.u32;
    const at = counts.map((_, c) => (this.outPtr + c * OUT_STRIDE) >>> 2), next = counts.map(() => 0);
    const out: Candidate[] = [];
    while (out.length < k) {
      let best = -1, bestDist = 0, bestRow = 0;
      for (let c = 0; c < counts.length; c++) {
        if (next[c]! === counts[c]!) continue;
        const o = at[c]! + 2 * next[c]!, row = u32[o]!, dist = u32[o + 1]!;
        if (best < 0 || dist < bestDist || (dist === bestDist && row < bestRow)) { best = c; bestDist = dist; bestRow = row; }
      }
      if (best < 0) break;
      next[best] = next[best]! + 1;
      const rank = out.length + 1, score = _disclose(this.metric.score(bestDist), this.scores);
      out.push(score === undefined ? { id: this.ids[bestRow]!, rank } : { id: this.ids[bestRow]!, rank, score });
    }
    return out;
  }

  /** Ends the worker threads; the gallery keeps working on this thread. */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
  }
}
