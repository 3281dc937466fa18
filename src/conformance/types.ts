// The shapes of a published vector file (Wycheproof-style envelope, vectors/README.md) and of a
// checker, the module that computes our implementation's output for one test of one schema.

/** A JSON value as it appears in a vector file or a port's outputs file. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** One test case: tcId, comment, flags, inputs, then `result` and either the output or `error`. */
export interface VectorTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid';
  /** For invalid tests: 'TypeError', 'RangeError' or a TemplockError code. */
  readonly error?: string;
  readonly [field: string]: JsonValue | undefined;
}

/** A group of tests sharing inputs (parameters, key, mean, ...). */
export interface VectorGroup {
  readonly type: string;
  readonly tests: readonly VectorTest[];
  readonly [field: string]: JsonValue | readonly VectorTest[] | undefined;
}

/** One published vector file. */
export interface VectorFile {
  readonly algorithm: string;
  /** The schema file name under vectors/schema/, which also selects the checker. */
  readonly schema: string;
  readonly numberOfTests: number;
  /** Flag name -> what the flag marks. */
  readonly notes: Readonly<Record<string, string>>;
  readonly testGroups: readonly VectorGroup[];
}

/**
 * Computes our implementation's output for the tests of one schema. `run` throws for invalid
 * inputs; the thrown error's name (TemplockError code, 'RangeError' or 'TypeError') is then the
 * output. A valid test records the output in its field `outputKey`.
 */
export interface VectorChecker {
  readonly schema: string;
  readonly outputKey: string;
  run(group: VectorGroup, test: VectorTest): JsonValue;
}
