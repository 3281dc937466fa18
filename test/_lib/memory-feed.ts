// An in-memory central store's change feed for the replica suites: a desk's writes become
// changes with sealed records (sealTemplate under the desk's keyring, bound to tenant, subject
// and purpose), numbered 1, 2, ... and authenticated as a desk does (SPEC.md §7.8); `down` makes every call fail as an unreachable server does.
import { TemplockError, type ProtectedTemplate } from '../../src/index.js';
import { DEFAULT_PURPOSE, Keyring, saltId, sealTemplate, type Change, type ChangeFeed } from '../../src/storage/index.js';
import { _authenticateChange } from '../../src/storage/change-mac.js';

export class MemoryChangeFeed implements ChangeFeed {
  readonly changes: Change[] = [];
  #down = false;
  /** Calls of changesSince(), for the suites that count pulls. */
  pulls = 0;
  /** When set, reads see changes up to this sequence only (a hot standby that lags). */
  visibleSeq: number | undefined;
  readonly #listeners = new Set<(seq: number) => void>();

  constructor(readonly keyring: Keyring, readonly tenant: string) {}

  /** When true, every call fails with STORAGE_FAILED and the subscriptions are gone (the server is down). */
  get down(): boolean {
    return this.#down;
  }

  set down(value: boolean) {
    this.#down = value;
    if (value) this.#listeners.clear();
  }

  #unreachable(): void {
    if (this.#down) throw new TemplockError('STORAGE_FAILED', 'feed: the server is unreachable');
  }

  #append(change: Omit<Change, 'seq'>): number {
    const seq = this.changes.length + 1;
    const numbered = { ...change, seq };
    this.changes.push({ ...numbered, ..._authenticateChange(this.keyring, this.tenant, numbered) });
    for (const l of this.#listeners) l(seq);
    return seq;
  }

  put(subjectId: string, template: ProtectedTemplate, purpose = DEFAULT_PURPOSE): number {
    return this.#append({ kind: 'put', subjectId, purpose, record: sealTemplate(this.keyring, template, { tenant: this.tenant, subjectId, purpose }) });
  }

  /** A put whose record is whatever bytes are given (a tampered or foreign record). */
  putRecord(subjectId: string, record: Uint8Array, purpose = DEFAULT_PURPOSE): number {
    return this.#append({ kind: 'put', subjectId, purpose, record });
  }

  delete(subjectId: string, purpose = DEFAULT_PURPOSE): number {
    return this.#append({ kind: 'delete', subjectId, purpose });
  }

  revokeSubject(subjectId: string): number {
    return this.#append({ kind: 'revoke-subject', subjectId });
  }

  reinstateSubject(subjectId: string): number {
    return this.#append({ kind: 'reinstate-subject', subjectId });
  }

  revokeSalt(salt: Uint8Array): number {
    return this.#append({ kind: 'revoke-salt', saltId: saltId(salt) });
  }

  async changesSince(seq: number, options?: { readonly limit?: number }): Promise<Change[]> {
    this.pulls++;
    this.#unreachable();
    return this.changes.filter((c) => c.seq > seq && c.seq <= (this.visibleSeq ?? Infinity)).slice(0, options?.limit ?? Infinity);
  }

  async latestSeq(): Promise<number> {
    this.#unreachable();
    return this.changes.length;
  }

  async subscribe(onWake: (seq: number) => void): Promise<() => Promise<void>> {
    this.#unreachable();
    this.#listeners.add(onWake);
    return async () => void this.#listeners.delete(onWake);
  }

  /** Subscriptions alive now. */
  get subscribers(): number {
    return this.#listeners.size;
  }
}
