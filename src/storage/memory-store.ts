// The in-memory TemplateStore (README "Storage"): the same semantics as the SQLite store over
// maps, for tests, browsers and terminals that persist elsewhere. Records are sealed in memory too.
import { _MemoryLedger } from './memory-ledger.js';
import { _aStoreOptions, _SealedTemplateStore, type _Backend, type _Row, type Revocation, type StoreOptions } from './store.js';

class MemoryBackend implements _Backend {
  readonly #rows = new Map<string, Map<string, _Row>>();
  readonly #revoked = new Map<string, Revocation>();
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

  keysNotUnder(keyId: string): Array<readonly [string, string]> {
    return this.#all().filter((r) => r.keyId !== keyId).map((r) => [r.subjectId, r.purpose] as const);
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

  revoke(kind: Revocation['kind'], value: string, at: number): number {
    this.#live();
    const key = `${kind}:${value}`;
    if (!this.#revoked.has(key)) {
      this.#revoked.set(key, Object.freeze({ kind, value, revokedAt: at }));
      this.#revocationSeq++;
    }
    let n = 0;
    for (const m of this.#rows.values()) {
      for (const [purpose, r] of m) {
        if ((kind === 'subject' && r.subjectId === value) || (kind === 'salt' && r.saltId === value)) {
          m.delete(purpose);
          n++;
        }
      }
    }
    return n;
  }

  reinstate(subjectId: string): boolean {
    this.#live();
    if (!this.#revoked.delete(`subject:${subjectId}`)) return false;
    this.#revocationSeq++;
    return true;
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
