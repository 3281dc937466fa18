// Comparison of two protected templates (SPEC.md §4.4): the scheme's score in [0, 1], only for
// templates of the same scheme, parameters, key and centring; anything else is INCOMPATIBLE.
import { _equalBytes } from './bytes.js';
import { TemplockError } from './errors.js';
import type { ProtectedTemplate } from './template.js';
import { _paramBlock } from './transforms/ids.js';
import { _schemeOf, checkParams } from './transforms/registry.js';
import { aBytes } from './validate.js';

/** Throws INCOMPATIBLE unless a and b can be compared (same parameters, key id and mean id). */
export function assertComparable(a: ProtectedTemplate, b: ProtectedTemplate): void {
  for (const [name, t] of [['a', a], ['b', b]] as const)
    if (typeof t !== 'object' || t === null) throw new TypeError(`"${name}" expected ProtectedTemplate, got ${t === null ? 'null' : typeof t}`);
  if (!_equalBytes(_paramBlock(checkParams(a.params)), _paramBlock(checkParams(b.params))))
    throw new TemplockError('INCOMPATIBLE', 'templates differ in scheme or parameters');
  if (!_equalBytes(aBytes('a.keyId', a.keyId, 8), aBytes('b.keyId', b.keyId, 8)))
    throw new TemplockError('INCOMPATIBLE', 'templates were made under different keys');
  if (!_equalBytes(aBytes('a.meanId', a.meanId, 8), aBytes('b.meanId', b.meanId, 8)))
    throw new TemplockError('INCOMPATIBLE', 'templates were centred by different mean vectors');
}

/**
 * Similarity of two comparable templates in [0, 1]: the fraction of equal indices for IoM, and
 * 1 - Hamming distance / bits for sign projection.
 * @example
 * import { compareTemplates } from 'templock';
 * const s = compareTemplates(probe, enrolled); // 1 = identical
 */
export function compareTemplates(a: ProtectedTemplate, b: ProtectedTemplate): number {
  assertComparable(a, b);
  const p = a.params;
  const scheme = _schemeOf(p);
  const n = scheme.payloadBytes(p);
  aBytes('a.payload', a.payload, n);
  aBytes('b.payload', b.payload, n);
  return scheme.score(a.payload, b.payload, p);
}
