// Attempt states and the audit log of the SQLite store (README "Attempt limits and audit log"):
// tables access_attempts and access_audit of the same file (migration 3), so a restart keeps
// back-offs, lock-outs and the log. Each decision is one IMMEDIATE transaction.
import type Database from 'better-sqlite3';
import type { _AccessLedger, _AttemptChange, AttemptKind, AttemptState, AuditEntry } from '../access-ledger.js';

interface DbAttempt {
  failures: number;
  last_failure_at: number;
  blocked_until: number;
  locked: number;
}

/** The access ledger of a SqliteTemplateStore, over its open database. */
export class _SqliteLedger implements _AccessLedger {
  readonly #db: Database.Database;
  readonly #q;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#q = {
      attempt: db.prepare(`SELECT failures, last_failure_at, blocked_until, locked FROM access_attempts WHERE kind = ? AND id = ?`),
      setAttempt: db.prepare(`INSERT INTO access_attempts (kind, id, failures, last_failure_at, blocked_until, locked) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, id) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
        blocked_until = excluded.blocked_until, locked = excluded.locked`),
      clear: db.prepare(`DELETE FROM access_attempts WHERE kind = ? AND id = ?`),
      append: db.prepare(`INSERT INTO access_audit (at, action, subject, source, outcome) VALUES (?, ?, ?, ?, ?)`),
      trim: db.prepare(`DELETE FROM access_audit WHERE seq <= ?`),
      audit: db.prepare(`SELECT seq, at, action, subject AS subjectId, source, outcome FROM
        (SELECT * FROM access_audit WHERE at >= ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`),
      prune: db.prepare(`DELETE FROM access_audit WHERE at < ?`),
    };
  }

  attempt(kind: AttemptKind, id: string): AttemptState | undefined {
    const r = this.#q.attempt.get(kind, id) as DbAttempt | undefined;
    return r && Object.freeze({ failures: r.failures, lastFailureAt: r.last_failure_at, blockedUntil: r.blocked_until, locked: r.locked === 1 });
  }

  record(changes: readonly _AttemptChange[], entry: Omit<AuditEntry, 'seq'>, keepEntries: number): void {
    this.#db.transaction(() => {
      for (const { kind, id, next } of changes) {
        const s = next(this.attempt(kind, id));
        if (s) this.#q.setAttempt.run(kind, id, s.failures, s.lastFailureAt, s.blockedUntil, s.locked ? 1 : 0);
        else this.#q.clear.run(kind, id);
      }
      const seq = Number(this.#q.append.run(entry.at, entry.action, entry.subjectId, entry.source, entry.outcome).lastInsertRowid);
      if (seq > keepEntries) this.#q.trim.run(seq - keepEntries);
    }).immediate();
  }

  clear(kind: AttemptKind, id: string): boolean {
    return this.#q.clear.run(kind, id).changes > 0;
  }

  audit(since: number, limit: number): AuditEntry[] {
    return (this.#q.audit.all(since, limit) as AuditEntry[]).map((e) => Object.freeze({ ...e }));
  }

  prune(before: number): number {
    return this.#q.prune.run(before).changes;
  }
}
