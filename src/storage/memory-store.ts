// The in-memory TemplateStore (README "Storage"): the same semantics as the SQLite store over
// maps, for tests, browsers and terminals that persist elsewhere. Records are sealed in memory
// too, and the manifest (SPEC.md §7.6) is kept beside them.
import { _entryKey, type _EntryState, type _ManifestHead } from './manifest.js';
import { _MemoryLedger } from './memory-ledger.js';
import { _aStoreOptions, _SealedTemplateStore, type _Backend, type _Row, type Revocation, type StoreOptions } from './store.js';

class MemoryBackend implements _Backend {
  readonly #rows = new Map<string, Map<string, _Row>>();
  readonly #revoked = new Map<string, Revocation>();
  readonly #entries = new Map<string, readonly [string, string, _EntryState]>();
  #head: _ManifestHead | undefined;
  #revocationSeq = 0;
  #closed = false;

  #live(): void {
    if (this.#closed) throw new TypeError('store is closed');
  }

  #all(): _Row[] {
    this.#live();
    return [...this.#rows.values()].flatMap((m) => [...m.values()]);
  }

  upsert(rows: readonly _Row[]): boolean {
    this.#live();
    if (rows.some((r) => this.isRevoked(r.subjectId, r.saltId))) return false;
    for (const r of rows) {
      let m = this.#rows.get(r.subjectId);
      if (!m) this.#rows.set(r.subjectId, (m = new Map()));
      m.delete(r.purpose);
      m.set(r.purpose, r);
    }
    return true;
  }

  fetch(subjectId: string, purpose: string): _Row | undefined {
    this.#live();
    return this.#rows.get(subjectId)?.get(purpose);
  }

  remove(subjectId: string, purpose: string): boolean {
    this.#live();
    return this.#rows.get(subjectId)?.delete(purpose) ?? false;
  }

  rows(): Iterable<_Row> {
    return this.#all();
  }

  records(purpose?: string): Iterable<readonly [string, string, Uint8Array]> {
    return this.#all().filter((r) => purpose === undefined || r.purpose === purpose).map((r) => [r.subjectId, r.purpose, r.record] as const);
  }

  toRewrap(keyId: string): Array<readonly [string, string]> {
    return this.#all().filter((r) => r.keyId !== keyId || r.record[4] === 1).map((r) => [r.subjectId, r.purpose] as const);
  }

  swap(expected: _Row, next: _Row): boolean {
    const m = this.#rows.get(expected.subjectId);
    if (m?.get(expected.purpose) !== expected) return false;
    m.set(expected.purpose, next);
    return true;
  }

  transaction<T>(fn: () => T): T {
    this.#live();
    return fn();
  }

  snapshot<T>(fn: () => T): T {
    this.#live();
    return fn();
  }

  revoke(kind: Revocation['kind'], value: string, at: number): { added: boolean; removed: Array<readonly [string, string]> } {
    this.#live();
    const key = `${kind}:${value}`;
    const added = !this.#revoked.has(key);
    if (added) {
      this.#revoked.set(key, Object.freeze({ kind, value, revokedAt: at }));
      this.#revocationSeq++;
    }
    const removed: Array<readonly [string, string]> = [];
    for (const m of this.#rows.values()) {
      for (const [purpose, r] of m) {
        if ((kind === 'subject' && r.subjectId === value) || (kind === 'salt' && r.saltId === value)) {
          m.delete(purpose);
          removed.push([r.subjectId, purpose]);
        }
      }
    }
    return { added, removed };
  }

  reinstate(subjectId: string): number | undefined {
    this.#live();
    const r = this.#revoked.get(`subject:${subjectId}`);
    if (!r) return undefined;
    this.#revoked.delete(`subject:${subjectId}`);
    this.#revocationSeq++;
    return r.revokedAt;
  }

  head(): _ManifestHead | undefined {
    this.#live();
    return this.#head;
  }

  setHead(head: _ManifestHead): void {
    this.#head = head;
  }

  entry(subjectId: string, purpose: string): _EntryState | undefined {
    this.#live();
    return this.#entries.get(_entryKey(subjectId, purpose))?.[2];
  }

  setEntry(subjectId: string, purpose: string, state: _EntryState): void {
    this.#entries.set(_entryKey(subjectId, purpose), [subjectId, purpose, state]);
  }

  *entryRows(): Iterable<readonly [string, string, number, boolean]> {
    this.#live();
    for (const [s, p, { version, live }] of this.#entries.values()) yield [s, p, version, live];
  }

  isEmpty(): boolean {
    return this.count() === 0 && this.#revoked.size === 0 && this.#entries.size === 0;
  }

  isRevoked(subjectId: string, saltId: string): boolean {
    this.#live();
    return this.#revoked.has(`subject:${subjectId}`) || this.#revoked.has(`salt:${saltId}`);
  }

  revocations(): Revocation[] {
    this.#live();
    return [...this.#revoked.values()];
  }

  revocationSeq(): number {
    this.#live();
    return this.#revocationSeq;
  }

  count(): number {
    this.#live();
    let n = 0;
    for (const m of this.#rows.values()) n += m.size;
    return n;
  }

  checkStorage(): string[] {
    this.#live();
    return [];
  }

  close(): void {
    this.#closed = true;
    this.#rows.clear();
    this.#entries.clear();
  }
}

/**
 * A TemplateStore in memory: sealed records in maps, lost when the process ends.
 * @example
 * import { Keyring, MemoryTemplateStore } from 'templock/storage';
 * const store = new MemoryTemplateStore({ keyring: Keyring.generate(), tenant: 'acme-gate-1' });
 * store.put('resident-42', template);
 */
export class MemoryTemplateStore extends _SealedTemplateStore {
  constructor(options: StoreOptions) {
    super(_aStoreOptions(options), new MemoryBackend(), new _MemoryLedger());
  }
}
