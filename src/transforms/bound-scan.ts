// 1:N key release over the bound templates of one salt epoch (SPEC.md §4.5, §6.2): the templates
// share the keyed projection and permutation, so a probe is projected once and each template costs
// one soft-majority vote and one BCH decoding. The projections and every template's helper bits
// are laid out in codeword order (the r projections of codeword bit j at [j r, j r + r)), so a
// vote reads both sequentially. Used on the calling thread and, unchanged, by the release workers.
import { _equalBytes } from '../bytes.js';
import { _bchCode } from './bch.js';
import { _commitment, _decodedMessage, type FuzzyCommitmentParams } from './fuzzy-commitment.js';

/** Position of projection l in codeword order: slot(l) r + (how many earlier l share its slot). */
export function _codewordOrder(slot: Uint16Array, r: number): Uint16Array {
  const seen = new Uint8Array(slot.length / r);
  const order = new Uint16Array(slot.length);
  for (let l = 0; l < slot.length; l++) order[l] = slot[l]! * r + seen[slot[l]!]!++;
  return order;
}

/** Helper bits (LSB first, in projection order) rearranged into codeword order, into `out` at bit 0. */
export function _orderHelper(helper: Uint8Array, order: Uint16Array, out: Uint8Array): void {
  out.fill(0);
  for (let l = 0; l < order.length; l++) if ((helper[l >> 3]! >> (l & 7)) & 1) out[order[l]! >> 3]! |= 1 << (order[l]! & 7);
}

/** One epoch's templates as a scan reads them. */
export interface _BoundRows {
  readonly params: FuzzyCommitmentParams;
  readonly salt: Uint8Array;
  /** Helper data in codeword order, ceil(n r / 8) bytes per template. */
  readonly helpers: Uint8Array;
  /** Commitments, 32 bytes per template. */
  readonly commitments: Uint8Array;
  readonly count: number;
}

/** A template the probe released: its row and the bound message (the caller derives the key and wipes it). */
export interface _BoundHit { readonly row: number; readonly message: Uint8Array }

/**
 * The votes of the projections `proj` (codeword order) as tables: for codeword bit j and each run
 * of up to 4 of its r helper bits, the 16 sums of (bit ? -proj : proj) over that run, one per
 * value of the bits, so that a template's vote for j is ceil(r / 4) table reads.
 */
function voteTables(proj: Int32Array, n: number, r: number): Int32Array {
  const chunks = Math.ceil(r / 4);
  const table = new Int32Array(n * chunks * 16);
  for (let j = 0; j < n; j++) {
    for (let ch = 0; ch < chunks; ch++) {
      const first = j * r + ch * 4, count = Math.min(4, r - ch * 4), at = (j * chunks + ch) * 16;
      for (let bits = 0; bits < 16; bits++) {
        let sum = 0;
        for (let c = 0; c < count; c++) sum += (bits >> c) & 1 ? -proj[first + c]! : proj[first + c]!;
        table[at + bits] = sum;
      }
    }
  }
  return table;
}

/**
 * Rows [from, to) of `rows` whose message the probe releases, given the vote tables of the probe's
 * projections (voteTables): for each row, y_j = [sum over j's projections of (helper bit ? -proj :
 * proj) > 0], BCH decoding, and the commitment check. Hits go to `hits` with their part index.
 */
function scanRows(rows: _BoundRows, table: Int32Array, from: number, to: number, part: number, hits: Array<{ part: number; hit: _BoundHit }>): void {
  const { params: p, helpers, commitments, salt } = rows;
  const code = _bchCode(p.m, p.t);
  const { n } = code, r = p.r, chunks = Math.ceil(r / 4), mask = (1 << r) - 1;
  const stride = Math.ceil((n * r) / 8);
  const word = new Uint8Array(n);
  try {
    for (let row = from; row < to; row++) {
      const base = row * stride * 8;
      for (let j = 0; j < n; j++) {
        // The r helper bits of codeword bit j (r <= 16: within 3 bytes of its first byte).
        const bit = base + j * r, b = bit >> 3;
        const bits = ((helpers[b]! | (helpers[b + 1]! << 8) | (helpers[b + 2]! << 16)) >>> (bit & 7)) & mask;
        let soft = 0;
        for (let ch = 0, at = j * chunks * 16; ch < chunks; ch++, at += 16) soft += table[at + ((bits >>> (4 * ch)) & 15)]!;
        word[j] = soft > 0 ? 1 : 0;
      }
      const message = _decodedMessage(code, word);
      if (!message) continue;
      if (_equalBytes(_commitment(p, salt, message), commitments.subarray(row * 32, row * 32 + 32))) hits.push({ part, hit: { row, message } });
      else message.fill(0);
    }
  } finally {
    word.fill(0);
  }
}

/** Rows per unit of work that threads claim from a shared counter. */
export const SCAN_CHUNK_ROWS = 128;

/**
 * Scans chunks claimed one at a time from the shared counter `claim[0]` until none is left: chunk
 * g is rows [g' * SCAN_CHUNK_ROWS, ...) of the part whose chunks it falls in (parts in order).
 * Every thread of one release runs this on the same parts, so each chunk is scanned once, by
 * whichever thread is free first. A part's vote tables are built once, at its first chunk. Returns
 * the hits with their part index.
 */
export function _scanClaimed(parts: ReadonlyArray<{ readonly rows: _BoundRows; readonly proj: Int32Array }>, claim: Int32Array): Array<{ part: number; hit: _BoundHit }> {
  const hits: Array<{ part: number; hit: _BoundHit }> = [];
  const firstChunk: number[] = [];
  const tables: Array<Int32Array | undefined> = [];
  let total = 0;
  for (const p of parts) { firstChunk.push(total); total += Math.ceil(p.rows.count / SCAN_CHUNK_ROWS); }
  try {
    for (let g = Atomics.add(claim, 0, 1); g < total; g = Atomics.add(claim, 0, 1)) {
      let part = parts.length - 1;
      while (firstChunk[part]! > g) part--;
      const from = (g - firstChunk[part]!) * SCAN_CHUNK_ROWS;
      const { rows, proj } = parts[part]!;
      const table = (tables[part] ??= voteTables(proj, (1 << rows.params.m) - 1, rows.params.r));
      scanRows(rows, table, from, Math.min(rows.count, from + SCAN_CHUNK_ROWS), part, hits);
    }
    return hits;
  } finally {
    for (const t of tables) t?.fill(0);
  }
}
