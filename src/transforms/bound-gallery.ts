// BoundGallery: 1:N key release over key-binding templates (SPEC.md §4.5, §6.2). Templates are
// grouped by salt epoch; a probe is canonicalised once and projected once per epoch, then every
// template of the epoch costs one vote and one BCH decoding (bound-scan.ts), shared among worker
// threads (bound-pool.ts). The outcome is the list of templates whose key the probe releases,
// with their keys: decisions and keys, never scores.
import { bytesToHex } from '@noble/hashes/utils.js';
import { _equalBytes } from '../bytes.js';
import { _canonicalise } from '../canonical.js';
import { TemplockError } from '../errors.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES, type BoundTemplate } from '../template.js';
import { aBytes, aEmbedding, aInt, aString, type EmbeddingInput } from '../validate.js';
import { _BoundPool } from './bound-pool.js';
import { _codewordOrder, _orderHelper, _scanClaimed, type _BoundRows } from './bound-scan.js';
import type { _ScanReply } from './bound-serve.js';
import { _bindingParamBlock, _helperBytes, _releasedKey, _withProjections, checkBindingParams, COMMITMENT_BYTES, type FuzzyCommitmentParams } from './fuzzy-commitment.js';
import { _keyId, _meanId } from './ids.js';
import { KEY_BYTES } from './protect.js';

/** Largest number of threads of one bound gallery. */
export const BOUND_THREADS_MAX = 16;

/** Options of a BoundGallery. */
export interface BoundGalleryOptions {
  /** The application key the templates were bound under (32 bytes). */
  readonly key: Uint8Array;
  /** The centring mean the templates were made with, if any. */
  readonly mean?: Float32Array | readonly number[];
  /** Threads that share each release (this one plus threads - 1 workers); default 1. Node only. */
  readonly threads?: number;
}

/** A template the probe released: its id and the 32-byte key bound in it. */
export interface BoundRelease { readonly id: string; readonly key: Uint8Array }

/** The templates of one (parameters, salt) epoch, in growable buffers. */
interface Epoch {
  readonly number: number;
  readonly params: FuzzyCommitmentParams;
  readonly salt: Uint8Array;
  /** Codeword-order position of each projection (bound-scan.ts). */
  readonly order: Uint16Array;
  readonly stride: number;
  ids: string[];
  helpers: Uint8Array;
  commitments: Uint8Array;
  /** True when the workers hold an older copy. */
  dirty: boolean;
}

/**
 * Key-binding templates of one application key (and mean), searched 1:N: `release(probe)` returns
 * every enrolled template whose key the probe releases. Templates sharing a salt (a salt epoch,
 * SPEC.md §6.2) share one projection of the probe; each distinct salt costs one projection per
 * release, so a gallery enrols its residents under one salt per epoch, not one salt each.
 * @example
 * import { BoundGallery, bindKey, generateSalt } from 'templock';
 * const gallery = new BoundGallery({ key: appKey, mean, threads: 2 });
 * const epochSalt = generateSalt();
 * gallery.add('resident-42', bindKey(embedding, params, appKey, epochSalt).template);
 * const [hit] = await gallery.release(probe); // hit?.id, hit?.key
 */
export class BoundGallery {
  readonly #key: Uint8Array;
  readonly #keyId: Uint8Array;
  readonly #mean: Float32Array | undefined;
  readonly #meanId: Uint8Array;
  readonly #epochs = new Map<string, Epoch>();
  /** Where each enrolled id is: its epoch and row. */
  readonly #where = new Map<string, { epoch: Epoch; row: number }>();
  readonly #threads: number;
  #pool: _BoundPool | undefined;
  #epochNumber = 0;
  #closed = false;

  /**
   * @throws TemplockError BACKEND_UNAVAILABLE when threads > 1 and there are no worker threads.
   */
  constructor(options: BoundGalleryOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
    this.#key = Uint8Array.from(aBytes('options.key', options.key, KEY_BYTES));
    this.#keyId = _keyId(this.#key);
    this.#mean = options.mean === undefined ? undefined : Float32Array.from(options.mean as ArrayLike<number>);
    if (this.#mean) for (const v of this.#mean) if (!Number.isFinite(v)) throw new RangeError('"options.mean" expected finite values');
    this.#meanId = _meanId(this.#mean);
    this.#threads = aInt('threads', options.threads ?? 1, 1, BOUND_THREADS_MAX);
    if (this.#threads > 1) {
      this.#pool = _BoundPool.start(this.#threads - 1);
      if (!this.#pool) throw new TemplockError('BACKEND_UNAVAILABLE', 'bound gallery: threads > 1 needs worker threads');
    }
  }

  /** Number of enrolled templates. */
  get size(): number {
    return this.#where.size;
  }

  /** Threads sharing each release. */
  get threads(): number {
    return this.#threads;
  }

  /**
   * Enrols `id` with a key-binding template made under this gallery's key and mean.
   * @throws TemplockError DUPLICATE_ID, INCOMPATIBLE (another key or mean); TypeError / RangeError for a malformed template.
   */
  add(id: string, template: BoundTemplate): void {
    this.#open();
    aString('id', id);
    if (typeof template !== 'object' || template === null) throw new TypeError(`"template" expected BoundTemplate, got ${template === null ? 'null' : typeof template}`);
    const p = checkBindingParams(template.params);
    const dim = this.#mean?.length ?? this.#epochs.values().next().value?.params.dim ?? p.dim;
    if (p.dim !== dim) throw new TemplockError('INCOMPATIBLE', 'bound gallery: the template is of another dimension than the gallery');
    const salt = aBytes('template.salt', template.salt, SALT_MIN_BYTES, SALT_MAX_BYTES);
    const keyId = aBytes('template.keyId', template.keyId, 8);
    const meanId = aBytes('template.meanId', template.meanId, 8);
    const helper = aBytes('template.helper', template.helper, _helperBytes(p));
    const commitment = aBytes('template.commitment', template.commitment, COMMITMENT_BYTES);
    if (!_equalBytes(keyId, this.#keyId)) throw new TemplockError('INCOMPATIBLE', 'bound gallery: the template was made under a different key');
    if (!_equalBytes(meanId, this.#meanId)) throw new TemplockError('INCOMPATIBLE', 'bound gallery: the template was centred by a different mean vector');
    if (this.#where.has(id)) throw new TemplockError('DUPLICATE_ID', 'bound gallery: this id is already enrolled');
    const epoch = this.#epochOf(p, salt);
    const row = epoch.ids.length;
    if ((row + 1) * epoch.stride > epoch.helpers.length) {
      const grow = (a: Uint8Array, bytes: number) => { const b = new Uint8Array(Math.max(bytes * 16, a.length * 2)); b.set(a); a.fill(0); return b; };
      epoch.helpers = grow(epoch.helpers, epoch.stride);
      epoch.commitments = grow(epoch.commitments, COMMITMENT_BYTES);
    }
    _orderHelper(helper, epoch.order, epoch.helpers.subarray(row * epoch.stride, (row + 1) * epoch.stride));
    epoch.commitments.set(commitment, row * COMMITMENT_BYTES);
    epoch.ids.push(id);
    epoch.dirty = true;
    this.#where.set(id, { epoch, row });
  }

  /**
   * Removes every enrolled id of `ids` (others are ignored); returns how many were removed.
   * @example
   * gallery.removeMany(revokedIds);
   */
  removeMany(ids: Iterable<string>): number {
    this.#open();
    let removed = 0;
    for (const id of ids) {
      const at = this.#where.get(aString('id', id));
      if (!at) continue;
      const { epoch, row } = at, last = epoch.ids.length - 1, s = epoch.stride;
      // The last row takes the removed one's place; the freed row is zero-filled.
      epoch.helpers.copyWithin(row * s, last * s, (last + 1) * s);
      epoch.helpers.fill(0, last * s, (last + 1) * s);
      epoch.commitments.copyWithin(row * COMMITMENT_BYTES, last * COMMITMENT_BYTES, (last + 1) * COMMITMENT_BYTES);
      epoch.commitments.fill(0, last * COMMITMENT_BYTES, (last + 1) * COMMITMENT_BYTES);
      epoch.ids[row] = epoch.ids[last]!;
      epoch.ids.pop();
      if (row !== last) this.#where.get(epoch.ids[row]!)!.row = row;
      epoch.dirty = true;
      this.#where.delete(id);
      removed++;
      if (epoch.ids.length === 0) {
        this.#epochs.delete(this.#epochKey(epoch.params, epoch.salt));
        this.#pool?.drop(epoch.number);
      }
    }
    return removed;
  }

  /**
   * Every enrolled template whose key `probe` releases, with the keys (each 32 bytes; the caller
   * wipes them): none for a stranger, one for an enrolled resident, and possibly more where the
   * code's false-release rate allows (docs/EVALUATION.md "Key binding", 1:N).
   * @example
   * const hits = await gallery.release(probe);
   * if (hits.length === 1) openDoorFor(hits[0].id, hits[0].key);
   */
  async release(probe: EmbeddingInput): Promise<BoundRelease[]> {
    this.#open();
    const epochs = [...this.#epochs.values()];
    if (epochs.length === 0) return [];
    const dim = epochs[0]!.params.dim;
    const x = aEmbedding('probe', probe, dim);
    let v: Int16Array;
    try { v = _canonicalise(x, this.#mean); } finally { x.fill(0); }
    const parts: Array<{ epoch: Epoch; ids: readonly string[]; rows: _BoundRows; proj: Int32Array }> = [];
    try {
      for (const epoch of epochs) {
        const proj = new Int32Array(epoch.order.length);
        _withProjections(v, epoch.params, this.#key, epoch.salt, (raw) => { for (let l = 0; l < raw.length; l++) proj[epoch.order[l]!] = raw[l]!; });
        const rows: _BoundRows = { params: epoch.params, salt: epoch.salt, helpers: epoch.helpers.subarray(0, epoch.ids.length * epoch.stride), commitments: epoch.commitments.subarray(0, epoch.ids.length * COMMITMENT_BYTES), count: epoch.ids.length };
        if (this.#pool && epoch.dirty) {
          this.#pool.rows(epoch.number, rows);
          epoch.dirty = false;
        }
        parts.push({ epoch, ids: epoch.ids.slice(), rows, proj });
      }
    } finally {
      v.fill(0);
    }
    // Every thread claims chunks of rows from one shared counter until none is left.
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const pool = this.#pool;
    const replies: Array<Promise<_ScanReply>> = [];
    if (pool) {
      for (let w = 0; w < pool.size; w++) {
        replies.push(pool.scan(w, claim, parts.map((part) => ({ epoch: part.epoch.number, proj: part.proj.slice(), count: part.rows.count }))));
      }
    }
    const hits = _scanClaimed(parts, claim);
    for (const part of parts) part.proj.fill(0);
    for (const reply of await Promise.all(replies)) for (const h of reply.hits) hits.push({ part: h.part, hit: { row: h.row, message: h.message } });
    hits.sort((a, b) => a.part - b.part || a.hit.row - b.hit.row);
    return hits.map(({ part, hit }) => {
      const { epoch, ids } = parts[part]!;
      try {
        return { id: ids[hit.row]!, key: _releasedKey(epoch.params, epoch.salt, this.#keyId, hit.message) };
      } finally {
        hit.message.fill(0);
      }
    });
  }

  /** Ends the worker threads and wipes the key and every template; the gallery is unusable after (BACKEND_UNAVAILABLE). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool?.close();
    this.#pool = undefined;
    this.#key.fill(0);
    for (const e of this.#epochs.values()) { e.helpers.fill(0); e.commitments.fill(0); }
    this.#epochs.clear();
    this.#where.clear();
  }

  #open(): void {
    if (this.#closed) throw new TemplockError('BACKEND_UNAVAILABLE', 'bound gallery: closed');
  }

  #epochKey(p: FuzzyCommitmentParams, salt: Uint8Array): string {
    return `${bytesToHex(_bindingParamBlock(p))}/${bytesToHex(salt)}`;
  }

  #epochOf(p: FuzzyCommitmentParams, salt: Uint8Array): Epoch {
    const k = this.#epochKey(p, salt);
    let epoch = this.#epochs.get(k);
    if (!epoch) {
      const order = _withProjections(new Int16Array(p.dim), p, this.#key, salt, (_, slot) => _codewordOrder(slot, p.r));
      epoch = { number: this.#epochNumber++, params: p, salt: Uint8Array.from(salt), order, stride: _helperBytes(p), ids: [], helpers: new Uint8Array(0), commitments: new Uint8Array(0), dirty: true };
      this.#epochs.set(k, epoch);
    }
    return epoch;
  }
}
