// Locates ../shared (vectors and real embeddings beside the project) for the suites that need it;
// those suites skip with a clear "SKIP" line when it is absent (a clone of the project alone).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED_DIR = process.env.TEMPLOCK_SHARED ?? join(PROJECT_ROOT, '..', 'shared');

/** The path inside ../shared, or undefined (after printing a SKIP line) when it is absent. */
export function sharedPath(rel: string, suite: string): string | undefined {
  const p = join(SHARED_DIR, rel);
  if (existsSync(p)) return p;
  console.log(`SKIP ${suite}: ${p} is absent (it lives beside the project in ../shared); these tests did not run`);
  return undefined;
}
