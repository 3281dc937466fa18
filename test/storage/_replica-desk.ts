// The central writes the replica suites replay: rounds of puts over SUBJECTS residents of one
// salt epoch, every tenth resident revoked after round REVOKED_AFTER_ROUND (and not written
// again), the same on every run (records are sealed afresh: only their nonces differ).
import type { ProtectedTemplate } from '../../src/index.js';
import { MemoryChangeFeed } from '../_lib/memory-feed.js';
import { Templates } from './_support.js';

export const SUBJECTS = 300;
export const ROUNDS = 5;
export const REVOKED_AFTER_ROUND = 2;
export const TENANT = 'fleet';

/** True when resident i is revoked by the desk. */
export const isRevoked = (i: number): boolean => i % 10 === 0;

/** Writes the desk's changes into `feed`; returns the templates, [round][resident]. */
export function deskWrites(feed: MemoryChangeFeed): ProtectedTemplate[][] {
  const all = new Templates('replica-desk').population(SUBJECTS * ROUNDS);
  const templates = Array.from({ length: ROUNDS }, (_, round) => all.slice(round * SUBJECTS, (round + 1) * SUBJECTS));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < SUBJECTS; i++) if (round <= REVOKED_AFTER_ROUND || !isRevoked(i)) feed.put(`r${i}`, templates[round]![i]!);
    if (round === REVOKED_AFTER_ROUND) for (let i = 0; i < SUBJECTS; i++) if (isRevoked(i)) feed.revokeSubject(`r${i}`);
  }
  return templates;
}
