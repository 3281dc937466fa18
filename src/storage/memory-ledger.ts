// Attempt states and the audit log of the in-memory store (README "Attempt limits and audit log"):
// maps and an array, lost with the process like the store's records.
import type { _AccessLedger, _AttemptChange, AttemptKind, AttemptState, AuditEntry } from './access-ledger.js';

/** The access ledger of a MemoryTemplateStore. */
export class _MemoryLedger implements _AccessLedger {
  readonly #attempts = new Map<string, AttemptState>();
  #entries: AuditEntry[] = [];
  #seq = 0;

  attempt(kind: AttemptKind, id: string): AttemptState | undefined {
    return this.#attempts.get(`${kind}:${id}`);
  }

  record(changes: readonly _AttemptChange[], entry: Omit<AuditEntry, 'seq'>, keepEntries: number): void {
    for (const { kind, id, next } of changes) {
      const key = `${kind}:${id}`;
      const state = next(this.#attempts.get(key));
      if (state) this.#attempts.set(key, Object.freeze({ ...state }));
      else this.#attempts.delete(key);
    }
    this.#entries.push(Object.freeze({ seq: ++this.#seq, ...entry }));
    if (this.#entries.length > keepEntries) this.#entries = this.#entries.slice(this.#entries.length - keepEntries);
  }

  clear(kind: AttemptKind, id: string): boolean {
    return this.#attempts.delete(`${kind}:${id}`);
  }

  audit(since: number, limit: number): AuditEntry[] {
    const from = this.#entries.filter((e) => e.at >= since);
    return from.slice(Math.max(0, from.length - limit));
  }

  prune(before: number): number {
    const n = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.at >= before);
    return n - this.#entries.length;
  }
}
