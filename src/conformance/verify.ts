// Checks vector files against an implementation: ours (each test re-run through its checker) or
// a port's recorded outcomes. Also checks the envelope itself (counts, tcIds, flags, results).
import { CHECKERS } from './checkers/index.js';
import { expectedOutcome, mismatch, runOutcome, type Outcome } from './outcome.js';
import type { VectorChecker, VectorFile, VectorGroup, VectorTest } from './types.js';

/** One failed test (tcId 0: the file as a whole). */
export interface VerifyFailure {
  readonly file: string;
  readonly tcId: number;
  readonly reason: string;
}

/** Passed and failed test counts, each failure, and the files skipped for lack of port outcomes. */
export interface VerifyReport {
  passed: number;
  failed: number;
  readonly failures: VerifyFailure[];
  readonly skippedFiles: string[];
}

/**
 * Where a verification takes its outcomes from when not from this implementation's checkers:
 * a port's recorded outcomes, or another backend (e.g. `(f, g, t) => runOutcome(myChecker, g, t)`).
 */
export type OutcomeSource = (file: string, group: VectorGroup, test: VectorTest) => Outcome | undefined;

/**
 * A report with nothing counted yet, for {@link verifyFile}.
 * @example
 * import { emptyReport, verifyFile } from 'templock/conformance';
 * const report = emptyReport(); verifyFile('sign_v1.json', file, report);
 */
export function emptyReport(): VerifyReport {
  return { passed: 0, failed: 0, failures: [], skippedFiles: [] };
}

/** Records a failure in `report`. */
export function fail(report: VerifyReport, file: string, tcId: number, reason: string): void {
  report.failed++;
  report.failures.push({ file, tcId, reason });
}

/**
 * Envelope problems of a parsed vector file (empty when well formed): numberOfTests, fresh
 * tcIds, flags described in notes, an output or error per test.
 * @example
 * import { checkerFor, envelopeProblems } from 'templock/conformance';
 * const problems = envelopeProblems(file, checkerFor(file)!);
 */
export function envelopeProblems(file: VectorFile, checker: VectorChecker): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  let count = 0;
  for (const g of file.testGroups ?? []) {
    for (const t of g.tests ?? []) {
      count++;
      if (!Number.isSafeInteger(t.tcId) || t.tcId < 1 || seen.has(t.tcId)) problems.push(`tcId ${String(t.tcId)} is not a fresh positive integer`);
      seen.add(t.tcId);
      for (const f of t.flags ?? []) if (!Object.hasOwn(file.notes ?? {}, f)) problems.push(`tcId ${t.tcId}: flag ${f} is not described in notes`);
      if (t.result === 'valid' && t[checker.outputKey] === undefined) problems.push(`tcId ${t.tcId}: valid test without "${checker.outputKey}"`);
      else if (t.result === 'invalid' && typeof t.error !== 'string') problems.push(`tcId ${t.tcId}: invalid test without "error"`);
      else if (t.result !== 'valid' && t.result !== 'invalid') problems.push(`tcId ${t.tcId}: result must be valid or invalid`);
    }
  }
  if (file.numberOfTests !== count) problems.push(`numberOfTests is ${String(file.numberOfTests)}, the file holds ${count} tests`);
  return problems;
}

/**
 * The checker of a file's schema, if any.
 * @example
 * import { checkerFor } from 'templock/conformance';
 * const checker = checkerFor(file); // undefined for an unknown schema
 */
export function checkerFor(file: VectorFile): VectorChecker | undefined {
  return CHECKERS.find((c) => c.schema === file.schema);
}

/**
 * Checks one parsed vector file into `report`: envelope, then every test's outcome (ours, or
 * the port's from `source`) against the expected one.
 * @example
 * import { emptyReport, verifyFile } from 'templock/conformance';
 * const report = emptyReport();
 * verifyFile('sign_v1.json', JSON.parse(text), report); // report.passed, report.failures
 */
export function verifyFile(name: string, file: VectorFile, report: VerifyReport, source?: OutcomeSource): void {
  const checker = checkerFor(file);
  if (!checker) return fail(report, name, 0, `no checker for schema ${JSON.stringify(file.schema)}`);
  const problems = envelopeProblems(file, checker);
  for (const p of problems) fail(report, name, 0, p);
  if (problems.length) return;
  for (const g of file.testGroups) {
    for (const t of g.tests) {
      let actual: Outcome | undefined;
      try {
        actual = source ? source(name, g, t) : runOutcome(checker, g, t);
      } catch (e) {
        fail(report, name, t.tcId, `crashed: ${(e as Error)?.message ?? String(e)}`);
        continue;
      }
      if (actual === undefined) { fail(report, name, t.tcId, 'no outcome for this test in the outputs file'); continue; }
      const why = mismatch(expectedOutcome(checker, t), actual);
      if (why) fail(report, name, t.tcId, `${t.comment}: ${why}`);
      else report.passed++;
    }
  }
}

/**
 * One line per failure, as `templock vectors verify` prints them.
 * @example
 * import { formatFailure } from 'templock/conformance';
 * for (const f of report.failures) console.log(formatFailure(f)); // FAIL sign_v1.json tcId 3: ...
 */
export function formatFailure(f: VerifyFailure): string {
  return f.tcId === 0 ? `FAIL ${f.file}: ${f.reason}` : `FAIL ${f.file} tcId ${f.tcId}: ${f.reason}`;
}
