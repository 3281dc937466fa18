// The storage-key rotation procedure shared by `keys rotate` and `keys rewrap`: save the keyring
// (old and new keys) before re-wrapping, re-seal every record under the primary key (migrate():
// a database from before record format v2 gets its manifest first), disable the keys no record
// uses any more, save again. A crash at any step leaves every record readable.
import type { RewrapReport } from '../../storage/store.js';
import type { Io } from '../command.js';
import { step, type Session } from './terminal-session.js';

/** What one pass of re-wrapping did. */
export interface RewrapOutcome {
  readonly primaryKeyId: string;
  readonly rewrapped: number;
  readonly alreadyCurrent: number;
  readonly failures: RewrapReport['failures'];
  /** Keys disabled because no record is sealed under them any more. */
  readonly disabled: string[];
}

/** Re-wraps every record to the primary key and disables the keys left unused; progress on `io`. */
export async function rewrapAndRetire(s: Session, io?: Io): Promise<RewrapOutcome> {
  await s.save();
  const report = await step(io, 'rewrapping records', () => s.store.migrate());
  const inUse = new Set(s.store.list().map((r) => r.keyId));
  const disabled: string[] = [];
  for (const k of s.terminal.ring.keys()) {
    if (!k.primary && k.status === 'enabled' && !inUse.has(k.id)) {
      s.terminal.ring.disable(k.id);
      disabled.push(k.id);
    }
  }
  await s.save();
  return { primaryKeyId: s.terminal.ring.primaryId, rewrapped: report.rewrapped, alreadyCurrent: report.alreadyCurrent, failures: report.failures, disabled };
}

/** Text lines of an outcome. */
export function rewrapLines(o: RewrapOutcome): string[] {
  return [
    `  primary storage key ${o.primaryKeyId}: ${o.rewrapped} record(s) re-wrapped, ${o.alreadyCurrent} already current`,
    ...(o.disabled.length > 0 ? [`  disabled unused key(s): ${o.disabled.join(', ')}`] : []),
    ...o.failures.map((f) => `  FAILED ${f.subjectId} (${f.purpose}): ${f.code}`),
  ];
}
