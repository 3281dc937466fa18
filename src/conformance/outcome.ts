// The outcome of one test, for our implementation or a port: an output value or an error name,
// compared as canonical JSON (object keys sorted, numbers as float64 values).
import { TemplockError } from '../errors.js';
import type { JsonValue, VectorChecker, VectorGroup, VectorTest } from './types.js';

export type Outcome = { readonly output: JsonValue } | { readonly error: string };

/** 'TypeError', 'RangeError' or the TemplockError code of `e`; anything else is rethrown. */
export function errorName(e: unknown): string {
  if (e instanceof TemplockError) return e.code;
  if (e instanceof TypeError) return 'TypeError';
  if (e instanceof RangeError) return 'RangeError';
  throw e;
}

/**
 * Runs `checker` on one test with this implementation: its output, or the name of its error.
 * @example
 * import { checkerFor, runOutcome } from 'templock/conformance';
 * const outcome = runOutcome(checkerFor(file)!, group, test); // { output } or { error }
 */
export function runOutcome(checker: VectorChecker, group: VectorGroup, test: VectorTest): Outcome {
  try {
    return { output: checker.run(group, test) };
  } catch (e) {
    return { error: errorName(e) };
  }
}

/**
 * The outcome a test expects: its output field when valid, its error when invalid.
 * @example
 * import { checkerFor, expectedOutcome } from 'templock/conformance';
 * const expected = expectedOutcome(checkerFor(file)!, test);
 */
export function expectedOutcome(checker: VectorChecker, test: VectorTest): Outcome {
  if (test.result === 'invalid') return { error: String(test.error) };
  return { output: test[checker.outputKey] ?? null };
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function describeValue(v: JsonValue): string {
  if (typeof v === 'string') return /^[0-9a-f]*$/.test(v) ? `${v.length / 2} byte${v.length === 2 ? '' : 's'}` : v.length > 32 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return `array of ${v.length}`;
  return 'object';
}

/** Where two differing values first differ, for a failure line (no full dumps). */
function difference(exp: JsonValue, act: JsonValue, path = ''): string {
  if (typeof exp === 'string' && typeof act === 'string' && /^[0-9a-f]*$/.test(exp) && /^[0-9a-f]*$/.test(act)) {
    let i = 0;
    while (i < exp.length && exp[i] === act[i]) i++;
    return `${path || 'value'}: ${describeValue(exp)} expected, got ${describeValue(act)}, first difference at byte ${i >> 1}`;
  }
  if (typeof exp === 'string' && typeof act === 'string' && exp === act.toLowerCase()) return `${path || 'value'}: hex must be lower-case`;
  if (typeof exp === 'object' && exp !== null && typeof act === 'object' && act !== null && Array.isArray(exp) === Array.isArray(act)) {
    const e = exp as Record<string, JsonValue>, a = act as Record<string, JsonValue>;
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      if (canonicalJson(e[k]) !== canonicalJson(a[k]))
        return e[k] === undefined || a[k] === undefined ? `${path}${path ? '.' : ''}${k}: ${e[k] === undefined ? 'unexpected' : 'missing'}`
          : difference(e[k], a[k], `${path}${path ? '.' : ''}${k}`);
    }
  }
  return `${path || 'value'}: expected ${describeValue(exp)}, got ${describeValue(act)}`;
}

/**
 * Undefined when the outcomes agree, else a one-line reason (where a hex value first differs,
 * which object field differs); it never dumps whole values.
 * @example
 * import { mismatch } from 'templock/conformance';
 * mismatch({ error: 'MALFORMED' }, { error: 'UNSUPPORTED_VERSION' }); // 'expected error MALFORMED, got error UNSUPPORTED_VERSION'
 */
export function mismatch(expected: Outcome, actual: Outcome): string | undefined {
  if ('error' in expected) {
    if ('error' in actual) return expected.error === actual.error ? undefined : `expected error ${expected.error}, got error ${actual.error}`;
    return `expected error ${expected.error}, got an output (${describeValue(actual.output)})`;
  }
  if ('error' in actual) return `expected an output, got error ${actual.error}`;
  return canonicalJson(expected.output) === canonicalJson(actual.output) ? undefined : difference(expected.output, actual.output);
}
