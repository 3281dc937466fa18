// Typed reads of vector-file fields for the checkers: a tampered or hand-edited file gives a
// TypeError naming the field instead of an undefined value deep inside a transform.
import type { JsonValue } from './types.js';

type Fields = { readonly [k: string]: unknown };

/** The string field `name` of `obj`. */
export function str(obj: Fields, name: string): string {
  const v = obj[name];
  if (typeof v !== 'string') throw new TypeError(`"${name}" expected string, got ${typeof v}`);
  return v;
}

/** The number field `name` of `obj`. */
export function num(obj: Fields, name: string): number {
  const v = obj[name];
  if (typeof v !== 'number') throw new TypeError(`"${name}" expected number, got ${typeof v}`);
  return v;
}

/** The object field `name` of `obj`. */
export function obj(o: Fields, name: string): { readonly [k: string]: JsonValue } {
  const v = o[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`"${name}" expected object, got ${v === null ? 'null' : typeof v}`);
  return v as { readonly [k: string]: JsonValue };
}
