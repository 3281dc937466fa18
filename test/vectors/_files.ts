// Helpers of the vector suites: the committed vector files, a temporary copy of some of them,
// and a perfect port's outputs file built from the expected outcomes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkerFor, defaultVectorsDir, expectedOutcome, formatOutputLine, loadVectorFiles, type VectorFile } from '../../src/conformance/index.js';

export const VECTORS = defaultVectorsDir();

/** Every committed vector file, parsed. */
export function vectorFiles(): { name: string; file: VectorFile }[] {
  return loadVectorFiles(VECTORS).map(({ name, file }) => ({ name, file: file! }));
}

/** A fresh temporary directory holding copies of the named vector files. */
export function tempCopy(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'templock-vectors-'));
  for (const n of names) writeFileSync(join(dir, n), readFileSync(join(VECTORS, n)));
  return dir;
}

/** The outputs file a port that gets every test right would write for `files`. */
export function perfectOutputs(files: readonly { name: string; file: VectorFile }[]): string[] {
  const lines: string[] = [];
  for (const { name, file } of files) {
    const checker = checkerFor(file)!;
    for (const g of file.testGroups) for (const t of g.tests) lines.push(formatOutputLine(name, t.tcId, expectedOutcome(checker, t)));
  }
  return lines;
}
