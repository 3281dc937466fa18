// The monotonic-counter hook of a store (SPEC.md §7.7): a callback object kept outside the
// database file (a TPM NV counter, a secure element, a server) that the manifest's generation
// must match, so that the whole file rolled back to an older copy is detected. Synchronous,
// like every store call.

/**
 * A counter that never goes down, held outside the store's file. The store calls `read()` when
 * it checks the manifest and `advance(generation)` after each committed write.
 *
 * Both calls are synchronous because store calls are: a terminal implements them over a local
 * TPM NV counter or secure element (an NV_Increment loop under a device-wide lock), or over a
 * server through a synchronous channel. `advance(value)` raises the counter to `value` when it is
 * lower and never lowers it (an atomic max: several processes may advance one counter); it
 * returns the value after the call. Errors it throws reach the caller unchanged; a write whose
 * advance failed is committed and is accepted by the next check (generation = counter + 1).
 */
export interface MonotonicCounter {
  read(): number;
  advance(value: number): number;
}

/**
 * An in-memory MonotonicCounter (starting at `start`), for tests and for a process that keeps
 * the counter elsewhere itself. It does not survive the process.
 * @example
 * import { memoryCounter, MemoryTemplateStore } from 'templock/storage';
 * const store = new MemoryTemplateStore({ keyring, tenant: 'acme-gate-1', counter: memoryCounter() });
 */
export function memoryCounter(start = 0): MonotonicCounter {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`"start" expected integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
  let value = start;
  return {
    read: () => value,
    advance: (to: number) => {
      if (!Number.isSafeInteger(to) || to < 0) throw new RangeError(`"value" expected integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
      value = Math.max(value, to);
      return value;
    },
  };
}

/** Asserts a MonotonicCounter (an object with read and advance functions). */
export function _aCounter(name: string, counter: unknown): MonotonicCounter {
  const c = counter as Partial<MonotonicCounter> | null;
  if (typeof c !== 'object' || c === null || typeof c.read !== 'function' || typeof c.advance !== 'function')
    throw new TypeError(`"${name}" expected MonotonicCounter (an object with read() and advance())`);
  return c as MonotonicCounter;
}

/** A counter's value, checked: a safe non-negative integer, else TypeError. */
export function _counterValue(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new TypeError('"counter.read()" expected a non-negative safe integer');
  return value;
}
