// Shared fixtures of the storage suites: seeded templates, and the error-message leak check
// (every error a suite provokes is recorded; at the end no message may contain a key, salt,
// passphrase or template byte string, in hex, base64, decimal list or raw form).
import { bytesToHex } from '@noble/hashes/utils.js';
import * as assert from 'uvu/assert';
import { protect, TemplockError, type ErrorCode, type ProtectedTemplate, type TransformParams } from '../../src/index.js';
import { Keyring } from '../../src/storage/index.js';
import { Seeded } from '../_lib/seeded.js';

export const DIM = 64;
export const PARAMS: Record<'sign' | 'iom-grp' | 'iom-urp', TransformParams> = {
  sign: { scheme: 'sign', dim: DIM, bits: 512 },
  'iom-grp': { scheme: 'iom-grp', dim: DIM, m: 64, q: 8 },
  'iom-urp': { scheme: 'iom-urp', dim: DIM, m: 32, k: 8, p: 2 },
};

/** A new keyring whose key is registered as a secret. */
export function newRing(): Keyring {
  const ring = Keyring.generate();
  for (const e of ring._entries()) secret(e.material!);
  return ring;
}

/** Seeded templates of one application key (registered as secrets). */
export class Templates {
  readonly rng: Seeded;
  readonly appKey: Uint8Array;
  constructor(seed: string) {
    this.rng = new Seeded(seed);
    this.appKey = secret(this.rng.bytes(32));
  }
  /** `count` templates of one gallery: one salt and key, distinct (random) payloads. */
  population(count: number): ProtectedTemplate[] {
    const base = this.make();
    return Array.from({ length: count }, () => ({ ...base, payload: secret(this.rng.bytes(base.payload.length)) }));
  }

  make(params: TransformParams = PARAMS.sign, saltBytes = 16): ProtectedTemplate {
    const t = protect(this.rng.unitVector(params.dim), params, this.appKey, this.rng.bytes(saltBytes));
    secret(t.salt);
    secret(t.payload);
    return t;
  }
}

const secrets: Uint8Array[] = [];
const messages = new Set<string>();

/** Registers bytes that must never appear in an error message; returns them. */
export function secret<T extends Uint8Array>(bytes: T): T {
  secrets.push(Uint8Array.from(bytes));
  return bytes;
}

/** Records an error's text for the leak check. */
export function noteError(e: unknown): void {
  if (e instanceof Error) messages.add(`${e.name}: ${e.message}`);
  else messages.add(String(e));
}

/** Runs fn, asserts it throws a TemplockError with `code` (or the given class), records the message. */
export function throwsCode(fn: () => unknown, expected: ErrorCode | typeof TypeError | typeof RangeError, what = ''): Error {
  try {
    fn();
  } catch (e) {
    noteError(e);
    if (typeof expected === 'string') {
      assert.instance(e, TemplockError, `${what}: expected TemplockError ${expected}, got ${String(e)}`);
      assert.is((e as TemplockError).code, expected, what);
    } else {
      assert.instance(e, expected, `${what}: expected ${expected.name}, got ${String(e)}`);
    }
    return e as Error;
  }
  assert.unreachable(`${what}: expected ${typeof expected === 'string' ? expected : expected.name}`);
  throw new Error('unreachable');
}

/** Async form of throwsCode. */
export async function rejectsCode(fn: () => Promise<unknown>, expected: ErrorCode | typeof TypeError | typeof RangeError, what = ''): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  throwsCode(() => { if (err !== undefined) throw err; }, expected, what);
}

function forms(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const window = Math.min(8, bytes.length);
  for (let i = 0; i + window <= bytes.length; i += 1) {
    const w = bytes.subarray(i, i + window);
    out.push(bytesToHex(w), Buffer.from(w).toString('base64').slice(0, 8), Array.from(w).join(','), Buffer.from(w).toString('latin1'));
  }
  return out;
}

/** Asserts no recorded message contains any registered secret; returns how many messages were checked. */
export function assertNoSecretInMessages(): number {
  assert.ok(messages.size > 0, 'the suite recorded error messages');
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const f of forms(s)) {
      for (const m of messages) {
        if (m.includes(f) || m.toLowerCase().includes(f.toLowerCase())) assert.unreachable(`an error message carries secret bytes: ${m.slice(0, 40)}`);
      }
    }
  }
  return messages.size;
}

export { bytesToHex };
