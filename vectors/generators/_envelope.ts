// The Wycheproof-style envelope of every vector file: numbering, expected outcomes computed by
// the file's checker (an intended error must be the error the implementation raises), and the
// canonical text form the committed files are compared in.
import { runOutcome, type JsonValue, type VectorChecker, type VectorFile, type VectorGroup, type VectorTest } from '../../src/conformance/index.js';

/** One vector file: its name in vectors/ and the function that builds it deterministically. */
export interface VectorGenerator {
  readonly file: string;
  generate(): VectorFile;
}

/** A test as a generator writes it: inputs, plus `error` when the test must fail that way. */
export interface TestSpec {
  readonly comment: string;
  readonly flags?: readonly string[];
  readonly error?: string;
  readonly [input: string]: JsonValue | undefined;
}

/** A group as a generator writes it: its type, shared inputs and tests. */
export interface GroupSpec {
  readonly type: string;
  readonly tests: readonly TestSpec[];
  readonly [field: string]: JsonValue | readonly TestSpec[] | undefined;
}

export interface FileSpec {
  readonly algorithm: string;
  readonly notes: Readonly<Record<string, string>>;
  readonly testGroups: readonly GroupSpec[];
}

/**
 * Builds a vector file: tcIds 1..N in order, `numberOfTests`, and each test's outcome from
 * `checker` (valid tests get their output; an invalid test's stated error must be what the
 * implementation raises, else generation fails).
 */
export function envelope(checker: VectorChecker, spec: FileSpec): VectorFile {
  let tcId = 0;
  const testGroups: VectorGroup[] = spec.testGroups.map(({ tests, ...fields }) => {
    const group = { ...fields, tests: [] as VectorTest[] } as VectorGroup & { tests: VectorTest[] };
    for (const { comment, flags = [], error, ...inputs } of tests) {
      for (const f of flags) if (!Object.hasOwn(spec.notes, f)) throw new Error(`${spec.algorithm}: flag ${f} is not described in notes`);
      const draft = { tcId: ++tcId, comment, flags: [...flags], ...inputs } as unknown as VectorTest;
      const outcome = runOutcome(checker, group, draft);
      if (error !== undefined) {
        if (!('error' in outcome) || outcome.error !== error)
          throw new Error(`${spec.algorithm} tcId ${tcId} (${comment}): expected error ${error}, got ${'error' in outcome ? outcome.error : 'an output'}`);
        group.tests.push({ ...draft, result: 'invalid', error });
      } else {
        if ('error' in outcome) throw new Error(`${spec.algorithm} tcId ${tcId} (${comment}): unexpected error ${outcome.error}`);
        group.tests.push({ ...draft, result: 'valid', [checker.outputKey]: outcome.output });
      }
    }
    return group;
  });
  return { algorithm: spec.algorithm, schema: checker.schema, numberOfTests: tcId, notes: spec.notes, testGroups };
}

/** JSON text with two-space indentation, arrays of numbers and strings kept on one line. */
export function serialize(file: VectorFile): string {
  const fmt = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.every((e) => typeof e !== 'object' || e === null)) return JSON.stringify(v);
      if (v.every((e) => Array.isArray(e) && e.every((x) => typeof x !== 'object'))) return `[${v.map((e) => JSON.stringify(e)).join(', ')}]`;
      const inner = indent + '  ';
      return `[\n${v.map((e) => inner + fmt(e, inner)).join(',\n')}\n${indent}]`;
    }
    if (typeof v === 'object' && v !== null) {
      const inner = indent + '  ';
      const entries = Object.entries(v).filter(([, e]) => e !== undefined);
      if (entries.length === 0) return '{}';
      return `{\n${entries.map(([k, e]) => `${inner}${JSON.stringify(k)}: ${fmt(e, inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return fmt(file, '') + '\n';
}
