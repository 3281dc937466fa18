// The decoder fuzz shared by fuzz.test.ts (a sample) and fuzz.slow.ts (>= 100,000 inputs):
// random byte strings and mutations of valid records (bit flips, byte overwrites, truncations,
// extensions, splices of two records, random bodies behind a valid header) go through
// readRecordHeader and openTemplate. Only typed errors may come out; an input that opens must be
// byte-identical to a valid record and open to its template; the slowest input and the heap
// growth are reported and bounded.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as assert from 'uvu/assert';
import { encodeTemplate, TemplockError } from '../../src/index.js';
import { Keyring, openTemplate, readRecordHeader, sealTemplate, type RecordContext } from '../../src/storage/index.js';
import { Seeded } from '../_lib/seeded.js';
import { bytesToHex, noteError, PARAMS, secret, Templates } from './_support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ALLOWED = new Set(['MALFORMED', 'UNSUPPORTED_VERSION', 'UNKNOWN_KEY_ID', 'DECRYPT_FAILED', 'KEY_DISABLED']);

export interface FuzzReport {
  inputs: number;
  opened: number;
  codes: Record<string, number>;
  slowestMs: number;
  heapGrowthBytes: number;
}

/** Fuzzes `count` inputs from `seed`; asserts only typed errors come out. */
export function fuzzRecords(count: number, seed: string): FuzzReport {
  const rng = new Seeded(seed);
  const T = new Templates(`${seed}/templates`);
  const ctx: RecordContext = { tenant: 'fuzz', subjectId: 'subject', purpose: 'access' };
  const rings = [Keyring.generate(), Keyring.generate({ algorithm: 'aes-256-gcm-siv' })];
  for (const r of rings) for (const e of r._entries()) secret(e.material!);
  const valid = rings.flatMap((ring) => Object.values(PARAMS).map((p) => {
    const t = T.make(p, 16 + rng.int(17));
    return { ring, record: sealTemplate(ring, t, ctx), plain: bytesToHex(encodeTemplate(t)) };
  }));
  const plainOf = new Map(valid.map((v) => [bytesToHex(v.record), v.plain]));
  const codes: Record<string, number> = {};
  let opened = 0, slowestMs = 0;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const base = valid[rng.int(valid.length)]!;
    let input: Uint8Array;
    switch (rng.int(7)) {
      case 0: input = rng.bytes(rng.int(1200)); break;
      case 1: { input = base.record.slice(); const flips = 1 + rng.int(8); for (let f = 0; f < flips; f++) input[rng.int(input.length)]! ^= 1 << rng.int(8); break; }
      case 2: { input = base.record.slice(); const n = 1 + rng.int(16); for (let f = 0; f < n; f++) input[rng.int(input.length)] = rng.int(256); break; }
      case 3: input = base.record.slice(0, rng.int(base.record.length)); break;
      case 4: { input = new Uint8Array(base.record.length + 1 + rng.int(64)); input.set(base.record); input.set(rng.bytes(input.length - base.record.length), base.record.length); break; }
      case 5: { const other = valid[rng.int(valid.length)]!.record; const cut = rng.int(Math.min(base.record.length, other.length)); input = new Uint8Array(other.length); input.set(base.record.subarray(0, cut)); input.set(other.subarray(cut), cut); break; }
      default: { const cut = 4 + rng.int(150); input = new Uint8Array(cut + rng.int(800)); input.set(base.record.subarray(0, Math.min(cut, base.record.length))); input.set(rng.bytes(input.length - cut), cut); break; }
    }
    const started = performance.now();
    try {
      readRecordHeader(input);
      const t = openTemplate(base.ring, input, ctx);
      assert.is(bytesToHex(encodeTemplate(t)), plainOf.get(bytesToHex(input)), 'only an unmodified record opens, to its own template');
      opened++;
    } catch (e) {
      if (!(e instanceof TemplockError) || !ALLOWED.has(e.code)) throw e;
      noteError(e);
      codes[e.code] = (codes[e.code] ?? 0) + 1;
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
  }
  gc();
  const heapGrowthBytes = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(slowestMs < 5000, `an input took ${slowestMs.toFixed(0)} ms (hang)`);
  assert.ok(heapGrowthBytes < 32 * 2 ** 20, `heap grew by ${heapGrowthBytes} bytes`);
  return { inputs: count, opened, codes, slowestMs, heapGrowthBytes };
}
