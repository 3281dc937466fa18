// The store manifest (SPEC.md §7.6, §7.7): for every (subject, purpose) the current record
// version or a tombstone, and the revocation list, summed into a keyed set hash whose head
// {key id, generation, entry count, masked digest} carries its own MAC. A write updates it in
// O(1) per changed entry; a load re-sums every entry and compares with the head. An optional
// MonotonicCounter outside the file pins the head's generation.
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { _equalBytes } from '../bytes.js';
import { TemplockError } from '../errors.js';
import { _counterValue, type MonotonicCounter } from './counter.js';
import type { Keyring } from './keyring.js';
import { _addDigest, _EntryEncoder, _subDigest, _xorDigest, MANIFEST_HASH_BYTES, type _ManifestMac } from './manifest-codec.js';

/** A revocation as the manifest and the stores hold it. */
export interface _RevocationEntry {
  readonly kind: 'subject' | 'salt';
  readonly value: string;
  readonly revokedAt: number;
}

/** The head as stored: key id (hex), generation, entry count, masked digest, MAC. */
export interface _ManifestHead {
  readonly keyId: string;
  readonly generation: number;
  readonly count: number;
  readonly digest: Uint8Array;
  readonly mac: Uint8Array;
}

/** One record entry as stored. */
export interface _EntryState {
  readonly version: number;
  readonly live: boolean;
}

/** What the manifest needs from a backend. */
export interface _ManifestBackend {
  head(): _ManifestHead | undefined;
  setHead(head: _ManifestHead): void;
  entry(subjectId: string, purpose: string): _EntryState | undefined;
  setEntry(subjectId: string, purpose: string, state: _EntryState): void;
  /** Every record entry: (subject, purpose, version, live). */
  entryRows(): Iterable<readonly [string, string, number, boolean]>;
  revocations(): _RevocationEntry[];
  /** True when the store holds no record, no entry and no revocation. */
  isEmpty(): boolean;
  /** Runs fn in one write transaction (nested calls join it). */
  transaction<T>(fn: () => T): T;
  /** Runs fn on one consistent view of the data (a read transaction). */
  snapshot<T>(fn: () => T): T;
}

/** A verified manifest: its head, record versions (a tombstone of version v as -1 - v) and revocations. */
export interface _ManifestView {
  readonly head: _ManifestHead;
  readonly versions: Map<string, number>;
  readonly subjects: Set<string>;
  readonly salts: Set<string>;
}

/** The map key of (subject, purpose): injective (the subject's length comes first). */
export function _entryKey(subjectId: string, purpose: string): string {
  return `${subjectId.length}:${subjectId}${purpose}`;
}

/** True when two stored heads are the same bytes. */
function sameHead(a: _ManifestHead, b: _ManifestHead): boolean {
  return a.generation === b.generation && a.count === b.count && a.keyId === b.keyId && _equalBytes(a.digest, b.digest) && _equalBytes(a.mac, b.mac);
}

const integrity = (why: string) => new TemplockError('INTEGRITY', `store: ${why}`);
const rolledBack = (why: string) => new TemplockError('ROLLBACK', `store: ${why}`);

/** A head whose MAC and counter were checked, with its digest unmasked. */
interface OpenHead {
  readonly stored: _ManifestHead;
  readonly mac: _ManifestMac;
  readonly digest: Uint8Array;
}

/** Changes of one write, applied to the manifest at its end. */
export class _ManifestWriter {
  readonly #m: _Manifest;
  readonly #head: OpenHead;
  readonly #digest: Uint8Array;
  readonly #pending = new Map<string, readonly [string, string, _EntryState]>();
  readonly #revocations: Array<readonly [_RevocationEntry, boolean]> = [];
  #count: number;

  constructor(m: _Manifest, head: OpenHead) {
    this.#m = m;
    this.#head = head;
    this.#digest = Uint8Array.from(head.digest);
    this.#count = head.stored.count;
  }

  /** The current entry of (subject, purpose), this write's changes included. */
  entry(subjectId: string, purpose: string): _EntryState | undefined {
    return this.#pending.get(_entryKey(subjectId, purpose))?.[2] ?? this.#m.backend.entry(subjectId, purpose);
  }

  /** The version the next record of (subject, purpose) gets: one past its entry (live or tombstone). */
  nextVersion(subjectId: string, purpose: string): number {
    const e = this.entry(subjectId, purpose);
    return e === undefined ? 1 : e.version + 1;
  }

  /** Sets the entry of (subject, purpose). */
  setRecord(subjectId: string, purpose: string, state: _EntryState): void {
    const old = this.entry(subjectId, purpose);
    if (old) _subDigest(this.#digest, this.#m.recordHash(this.#head.mac, subjectId, purpose, old));
    else this.#count++;
    _addDigest(this.#digest, this.#m.recordHash(this.#head.mac, subjectId, purpose, state));
    this.#pending.set(_entryKey(subjectId, purpose), [subjectId, purpose, state]);
  }

  /**
   * Marks a live entry deleted (a tombstone keeps its version). A deleted row without an entry
   * was never the store's (written behind its back): there is nothing to mark, and its deletion,
   * e.g. by a revocation, must not fail.
   */
  tombstone(subjectId: string, purpose: string): void {
    const e = this.entry(subjectId, purpose);
    if (e?.live) this.setRecord(subjectId, purpose, { version: e.version, live: false });
  }

  /** Counts a revocation the backend added. */
  addRevocation(r: _RevocationEntry): void {
    _addDigest(this.#digest, this.#m.revocationHash(this.#head.mac, r));
    this.#count++;
    this.#revocations.push([r, true]);
  }

  /** Counts a revocation the backend removed. */
  removeRevocation(r: _RevocationEntry): void {
    _subDigest(this.#digest, this.#m.revocationHash(this.#head.mac, r));
    this.#count--;
    this.#revocations.push([r, false]);
  }

  /** True when the write changed nothing. */
  get unchanged(): boolean {
    return this.#count === this.#head.stored.count && _equalBytes(this.#digest, this.#head.digest);
  }

  /** Writes the entries and the next head; returns that head. */
  finish(): _ManifestHead {
    for (const [s, p, state] of this.#pending.values()) this.#m.backend.setEntry(s, p, state);
    const head = this.#m.sealHead(this.#head.stored.keyId, this.#head.mac, this.#head.stored.generation + 1, this.#count, this.#digest);
    this.#m.backend.setHead(head);
    return head;
  }

  /** Applies this write's changes to a view verified against the head it started from. */
  applyTo(view: _ManifestView, head: _ManifestHead): _ManifestView {
    for (const [s, p, { version, live }] of this.#pending.values()) view.versions.set(_entryKey(s, p), live ? version : -1 - version);
    for (const [r, added] of this.#revocations) {
      const set = r.kind === 'subject' ? view.subjects : view.salts;
      if (added) set.add(r.value);
      else set.delete(r.value);
    }
    return { ...view, head };
  }
}

/** The manifest of one store: checks, writes, re-keying and the counter. */
export class _Manifest {
  readonly backend: _ManifestBackend;
  readonly #keyring: Keyring;
  readonly #encoder: _EntryEncoder;
  readonly #counter: MonotonicCounter | undefined;
  /** The last verified view, valid while the stored head is byte for byte `view.head`. */
  #view: _ManifestView | undefined;

  constructor(backend: _ManifestBackend, keyring: Keyring, tenant: string, counter: MonotonicCounter | undefined) {
    this.backend = backend;
    this.#keyring = keyring;
    this.#encoder = new _EntryEncoder(utf8ToBytes(tenant));
    this.#counter = counter;
  }

  recordHash(mac: _ManifestMac, subjectId: string, purpose: string, state: _EntryState): Uint8Array {
    return mac.mac(this.#encoder.record(subjectId, purpose, state.version, state.live));
  }

  revocationHash(mac: _ManifestMac, r: _RevocationEntry): Uint8Array {
    return mac.mac(this.#encoder.revocation(r.kind, r.value, r.revokedAt));
  }

  sealHead(keyId: string, mac: _ManifestMac, generation: number, count: number, digest: Uint8Array): _ManifestHead {
    const id = hexToBytes(keyId);
    return {
      keyId, generation, count,
      digest: _xorDigest(digest, mac.mask(generation)),
      mac: mac.mac(this.#encoder.head(id, generation, count, digest)),
    };
  }

  /** Creates the head of an empty store (generation = the counter's value, or 0); true when it did. */
  init(): boolean {
    return this.backend.transaction(() => {
      if (this.backend.head() !== undefined || !this.backend.isEmpty()) return false;
      const keyId = this.#keyring.primaryId;
      this.backend.setHead(this.sealHead(keyId, this.#keyring._manifestMac(keyId), this.#counterValue() ?? 0, 0, new Uint8Array(MANIFEST_HASH_BYTES)));
      return true;
    });
  }

  /** True when the store has a head (a store from before format v2 has none until migrate()). */
  get present(): boolean {
    return this.backend.head() !== undefined;
  }

  #counterValue(): number | undefined {
    return this.#counter === undefined ? undefined : _counterValue(this.#counter.read());
  }

  /** Reads (unless given) and checks the head: its MAC (INTEGRITY), then the counter (ROLLBACK). */
  #openHead(stored = this.backend.head()): OpenHead {
    if (!stored) throw integrity('no manifest: a store written before record format v2 needs migrate() once');
    const mac = this.#keyring._manifestMac(stored.keyId);
    const digest = _xorDigest(stored.digest, mac.mask(stored.generation));
    const expected = mac.mac(this.#encoder.head(hexToBytes(stored.keyId), stored.generation, stored.count, digest));
    if (!_equalBytes(expected, stored.mac)) throw integrity('the manifest head fails its MAC');
    this.#checkCounter(stored.generation);
    return { stored, mac, digest };
  }

  /** The counter check of a head's generation (ROLLBACK); catches the counter up when it is one behind. */
  #checkCounter(generation: number): void {
    const c = this.#counterValue();
    if (c === undefined) return;
    // generation = counter + 1: the last write committed but its counter advance did not happen.
    if (generation === c + 1) this.#counter!.advance(generation);
    else if (generation !== c) throw rolledBack('the manifest generation does not match the monotonic counter (the file was rolled back)');
  }

  /** Checks the head (MAC and counter); throws INTEGRITY or ROLLBACK. */
  checkHead(): void {
    this.#openHead();
  }

  /** Re-sums every entry and compares with the head; the verified view. */
  verified(): _ManifestView {
    const view = this.backend.snapshot(() => {
      const head = this.#openHead();
      const acc = new Uint8Array(MANIFEST_HASH_BYTES);
      const versions = new Map<string, number>();
      let n = 0;
      for (const [s, p, version, live] of this.backend.entryRows()) {
        _addDigest(acc, this.recordHash(head.mac, s, p, { version, live }));
        versions.set(_entryKey(s, p), live ? version : -1 - version);
        n++;
      }
      const subjects = new Set<string>(), salts = new Set<string>();
      for (const r of this.backend.revocations()) {
        _addDigest(acc, this.revocationHash(head.mac, r));
        (r.kind === 'subject' ? subjects : salts).add(r.value);
        n++;
      }
      if (n !== head.stored.count || !_equalBytes(acc, head.digest)) throw integrity('the manifest entries do not match its head');
      return { head: head.stored, versions, subjects, salts };
    });
    this.#view = view;
    return view;
  }

  /**
   * The verified view: the cached one while the stored head is byte for byte the one it was
   * verified with (then only the counter is checked again), else verified().
   */
  current(): _ManifestView {
    const head = this.backend.head();
    if (this.#view && head && sameHead(head, this.#view.head)) {
      this.#checkCounter(head.generation);
      return this.#view;
    }
    return this.verified();
  }

  /** True when the stored head is no longer the one `view` was verified against. */
  changedSince(view: _ManifestView): boolean {
    const head = this.backend.head();
    return !head || !sameHead(head, view.head);
  }

  /**
   * Runs `fn` in one write transaction with a writer over the checked head, then writes the
   * changed entries and the next head in the same transaction, then advances the counter.
   */
  write<T>(fn: (w: _ManifestWriter) => T): T {
    const [out, next] = this.backend.transaction(() => {
      const head = this.#openHead();
      const cached = this.#view && sameHead(this.#view.head, head.stored) ? this.#view : undefined;
      this.#view = undefined;
      const w = new _ManifestWriter(this, head);
      const result = fn(w);
      if (w.unchanged) {
        this.#view = cached;
        return [result, undefined] as const;
      }
      const written = w.finish();
      return [result, { head: written, view: cached && w.applyTo(cached, written) }] as const;
    });
    if (next) {
      this.#view = next.view;
      this.#counter?.advance(next.head.generation);
    }
    return out;
  }

  /**
   * Builds the manifest of a store written before format v2 from its current contents, trusting
   * them (migrate()); `versions` gives each record's version. No-op when a head exists.
   */
  adopt(records: Iterable<readonly [string, string, number]>): boolean {
    return this.backend.transaction(() => {
      if (this.backend.head() !== undefined) return false;
      const keyId = this.#keyring.primaryId;
      const mac = this.#keyring._manifestMac(keyId);
      const acc = new Uint8Array(MANIFEST_HASH_BYTES);
      let n = 0;
      for (const [s, p, version] of records) {
        const state = { version, live: true };
        this.backend.setEntry(s, p, state);
        _addDigest(acc, this.recordHash(mac, s, p, state));
        n++;
      }
      for (const r of this.backend.revocations()) {
        _addDigest(acc, this.revocationHash(mac, r));
        n++;
      }
      const generation = this.#counterValue() ?? 0;
      this.backend.setHead(this.sealHead(keyId, mac, generation, n, acc));
      this.#view = undefined;
      return true;
    });
  }

  /** Re-keys the manifest to the keyring's primary key (after a verified re-sum); no-op when it already is. */
  rekey(): void {
    const generation = this.backend.transaction(() => {
      const stored = this.backend.head();
      const keyId = this.#keyring.primaryId;
      if (stored?.keyId === keyId) return undefined;
      this.verified();
      const mac = this.#keyring._manifestMac(keyId);
      const acc = new Uint8Array(MANIFEST_HASH_BYTES);
      let n = 0;
      for (const [s, p, version, live] of this.backend.entryRows()) {
        _addDigest(acc, this.recordHash(mac, s, p, { version, live }));
        n++;
      }
      for (const r of this.backend.revocations()) {
        _addDigest(acc, this.revocationHash(mac, r));
        n++;
      }
      const next = stored!.generation + 1;
      this.backend.setHead(this.sealHead(keyId, mac, next, n, acc));
      return next;
    });
    this.#view = undefined;
    if (generation !== undefined) this.#counter?.advance(generation);
  }
}
