// Loading a vectors directory (every *.json file directly in it; schema/ is not read) and
// verifying all of it against our implementation or a port's outputs file. Node only (node:fs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './outcome.js';
import type { PortOutputs } from './outputs.js';
import type { VectorFile } from './types.js';
import { emptyReport, fail, verifyFile, type VerifyReport } from './verify.js';

/**
 * The vectors shipped in the package (vectors/ beside src/ and dist/).
 * @example
 * import { defaultVectorsDir } from 'templock/conformance';
 * const dir = defaultVectorsDir();
 */
export function defaultVectorsDir(): string {
  return fileURLToPath(new URL('../../vectors/', import.meta.url));
}

/**
 * The vector files of `dir`, sorted by name, parsed; a file that is not JSON has `error`.
 * @example
 * import { loadVectorFiles, defaultVectorsDir } from 'templock/conformance';
 * for (const { name, file } of loadVectorFiles(defaultVectorsDir())) console.log(name, file?.numberOfTests);
 */
export function loadVectorFiles(dir: string): { name: string; file?: VectorFile; error?: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      try {
        return { name, file: JSON.parse(readFileSync(join(dir, name), 'utf8')) as VectorFile };
      } catch (e) {
        return { name, error: `not readable as JSON: ${(e as Error).message}` };
      }
    });
}

/**
 * Verifies every vector file of `dir`: against our implementation, or, with `outputs`, against a
 * port's recorded outcomes (files without any outcome are listed in `skippedFiles`; outcomes for
 * unknown files or tests are failures).
 * @example
 * import { verifyVectorDir, defaultVectorsDir } from 'templock/conformance';
 * const { passed, failed } = verifyVectorDir(defaultVectorsDir());
 */
export function verifyVectorDir(dir: string, outputs?: PortOutputs): VerifyReport {
  const report = emptyReport();
  const files = loadVectorFiles(dir);
  if (files.length === 0) fail(report, dir, 0, 'no vector files (*.json) in this directory');
  const seen = new Map<string, Set<number>>();
  for (const { name, file, error } of files) {
    if (error || !file) { fail(report, name, 0, error ?? 'unreadable'); continue; }
    const port = outputs?.get(name);
    if (outputs && !port) { report.skippedFiles.push(name); continue; }
    const used = new Set<number>();
    seen.set(name, used);
    const source = port ? (_: string, __: unknown, t: { tcId: number }): Outcome | undefined => { used.add(t.tcId); return port.get(t.tcId); } : undefined;
    verifyFile(name, file, report, source);
  }
  for (const [name, port] of outputs ?? []) {
    const used = seen.get(name);
    if (!used) { fail(report, name, 0, 'outputs name a file that is not in the vectors directory'); continue; }
    for (const tcId of port.keys()) if (!used.has(tcId)) fail(report, name, tcId, 'outputs name a test that is not in this file');
  }
  return report;
}
