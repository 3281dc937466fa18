// Binary BCH codes (SPEC.md §4.5.2): primitive narrow-sense codes of length n = 2^m - 1 over
// GF(2^m), systematic encoding, and bounded-distance decoding that returns the unique codeword
// within Hamming distance t of a word, or nothing (syndromes, Berlekamp–Massey, Chien search,
// and a final syndrome check of the corrected word).

/** Primitive polynomial of GF(2^m), bit i = coefficient of x^i, for each supported m. */
export const BCH_PRIMITIVE_POLY: Readonly<Record<number, number>> = Object.freeze({ 6: 0x43, 7: 0x89, 8: 0x11d, 9: 0x211, 10: 0x409 });
export const BCH_M_MIN = 6;
export const BCH_M_MAX = 10;

/** One BCH code: its field tables, generator polynomial and dimensions. */
export interface _Bch {
  readonly m: number;
  readonly n: number;
  readonly t: number;
  /** Message bits: n - deg(g). */
  readonly k: number;
  /** Coefficients g[0..n-k] of the generator polynomial (g[n-k] = 1). */
  readonly gen: Uint8Array;
  /** exp[i] = alpha^i for 0 <= i < 2n. */
  readonly exp: Uint16Array;
  /** log[alpha^i] = i; log[0] unused. */
  readonly log: Uint16Array;
}

const codes = new Map<string, _Bch>();

function fieldTables(m: number): { exp: Uint16Array; log: Uint16Array } {
  const n = (1 << m) - 1;
  const poly = BCH_PRIMITIVE_POLY[m]!;
  const exp = new Uint16Array(2 * n), log = new Uint16Array(n + 1);
  let x = 1;
  for (let i = 0; i < n; i++) {
    exp[i] = x;
    exp[i + n] = x;
    log[x] = i;
    x <<= 1;
    if (x & (1 << m)) x ^= poly;
  }
  return { exp, log };
}

/** g(x) = product of the distinct minimal polynomials of alpha^1 .. alpha^2t (binary coefficients). */
function generator(m: number, t: number, exp: Uint16Array, log: Uint16Array): Uint8Array {
  const n = (1 << m) - 1;
  const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : exp[log[a]! + log[b]!]!);
  const seen = new Uint8Array(n);
  let g: number[] = [1];
  for (let i = 1; i <= 2 * t; i++) {
    if (seen[i]) continue;
    let minimal: number[] = [1];
    let e = i;
    do {
      seen[e] = 1;
      const next = new Array<number>(minimal.length + 1).fill(0);
      for (let j = 0; j < minimal.length; j++) {
        next[j + 1]! ^= minimal[j]!;
        next[j]! ^= mul(minimal[j]!, exp[e]!);
      }
      minimal = next;
      e = (2 * e) % n;
    } while (e !== i);
    const prod = new Array<number>(g.length + minimal.length - 1).fill(0);
    for (let a = 0; a < g.length; a++) if (g[a]) for (let b = 0; b < minimal.length; b++) prod[a + b]! ^= minimal[b]!;
    g = prod;
  }
  return Uint8Array.from(g);
}

/** The BCH code of field degree m (6..10) correcting t errors; built once and cached. */
export function _bchCode(m: number, t: number): _Bch {
  const id = `${m}/${t}`;
  let c = codes.get(id);
  if (!c) {
    const { exp, log } = fieldTables(m);
    const gen = generator(m, t, exp, log);
    const n = (1 << m) - 1;
    c = Object.freeze({ m, n, t, k: n - (gen.length - 1), gen, exp, log });
    codes.set(id, c);
  }
  return c;
}

/**
 * Systematic encoding: codeword bits c[0..n) (one per byte) with c[n-k+i] = msg[i] and
 * c[0..n-k) the remainder of x^(n-k) * msg(x) divided by g(x).
 */
export function _bchEncode(code: _Bch, msg: Uint8Array): Uint8Array {
  const { n, k, gen } = code;
  const r = n - k;
  const c = new Uint8Array(n);
  const rem = c.subarray(0, r);
  for (let i = k - 1; i >= 0; i--) {
    const fb = msg[i]! ^ rem[r - 1]!;
    for (let j = r - 1; j > 0; j--) rem[j] = rem[j - 1]! ^ (fb & gen[j]!);
    rem[0] = fb & gen[0]!;
  }
  c.set(msg.subarray(0, k), r);
  return c;
}

/**
 * Syndrome tables of one code: the odd i in 1..2t grouped by cyclotomic coset; for each coset its
 * minimal polynomial M (bits, degree d) with a byte-wise reduction table, and alpha^(i*k) for
 * k < d of each of its odd i, so that S_i = (word mod M)(alpha^i).
 */
interface SyndromeTables {
  readonly degree: Uint8Array;
  /** reduce[c * 256 + top] = (top << d) ^ (top * x^d mod M_c): clears the top byte of a d+8-bit remainder. */
  readonly reduce: Uint32Array;
  /** Odd i of each coset: members[start[c] .. start[c + 1]). */
  readonly start: Uint16Array;
  readonly members: Uint16Array;
  /** powers[(member index) * m + k] = alpha^(i * k). */
  readonly powers: Uint16Array;
}

const syndromeTables = new WeakMap<_Bch, SyndromeTables>();

function tablesOf(code: _Bch): SyndromeTables {
  let tables = syndromeTables.get(code);
  if (tables) return tables;
  const { m, n, t, exp, log } = code;
  const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : exp[log[a]! + log[b]!]!);
  const seen = new Uint8Array(n);
  const degree: number[] = [], reduce: number[] = [], start: number[] = [], members: number[] = [], powers: number[] = [];
  for (let i = 1; i <= 2 * t; i += 2) {
    if (seen[i]) continue;
    // The coset {i, 2i, 4i, ...} mod n and its minimal polynomial prod (x - alpha^e).
    let poly: number[] = [1];
    let e = i;
    start.push(members.length);
    do {
      seen[e] = 1;
      if (e % 2 === 1 && e <= 2 * t) members.push(e);
      const next = new Array<number>(poly.length + 1).fill(0);
      for (let j = 0; j < poly.length; j++) {
        next[j + 1]! ^= poly[j]!;
        next[j]! ^= mul(poly[j]!, exp[e]!);
      }
      poly = next;
      e = (2 * e) % n;
    } while (e !== i);
    const d = poly.length - 1;
    let bits = 0;
    for (let j = 0; j <= d; j++) bits |= poly[j]! << j;
    degree.push(d);
    for (let top = 0; top < 256; top++) {
      let r = top << d;
      for (let b = d + 7; b >= d; b--) if (r & (1 << b)) r ^= bits << (b - d);
      reduce.push((top << d) ^ r);
    }
  }
  start.push(members.length);
  for (const i of members) for (let k = 0; k < m; k++) powers.push(exp[(i * k) % n]!);
  tables = Object.freeze({
    degree: Uint8Array.from(degree), reduce: Uint32Array.from(reduce), start: Uint16Array.from(start),
    members: Uint16Array.from(members), powers: Uint16Array.from(powers),
  });
  syndromeTables.set(code, tables);
  return tables;
}

/**
 * S_i = word(alpha^i) for i = 1..2t (S[0] unused), into S: the word (one bit per byte) is packed
 * highest degree first, reduced modulo each coset's minimal polynomial a byte at a time, and each
 * remainder evaluated at the coset's odd i; S_2i = S_i^2. Returns true when every S_i is zero.
 */
function syndromes(code: _Bch, word: Uint8Array, packed: Uint8Array, S: Uint16Array): boolean {
  const { m, n, t, exp, log } = code;
  const { degree, reduce, start, members, powers } = tablesOf(code);
  // Degree n (= 2^m - 1) is bit 7 of byte 0 and always zero.
  for (let b = 0; b < packed.length; b++) {
    let v = 0;
    for (let k = 0, deg = n - 8 * b; k < 8; k++, deg--) v = (v << 1) | (deg < n && deg >= 0 ? word[deg]! : 0);
    packed[b] = v;
  }
  let any = 0;
  for (let c = 0; c < degree.length; c++) {
    const d = degree[c]!, base = c * 256;
    let r = 0;
    for (let b = 0; b < packed.length; b++) {
      r = (r << 8) | packed[b]!;
      r ^= reduce[base + (r >>> d)]!;
    }
    for (let x = start[c]!; x < start[c + 1]!; x++) {
      let s = 0;
      for (let k = 0, row = x * m; k < d; k++) if ((r >>> k) & 1) s ^= powers[row + k]!;
      S[members[x]!] = s;
      any |= s;
    }
  }
  for (let i = 2; i <= 2 * t; i += 2) {
    const h = S[i / 2]!;
    S[i] = h === 0 ? 0 : exp[(2 * log[h]!) % n]!;
  }
  return any === 0;
}

/** Per-code scratch space of the decoder (decoding is synchronous: one call at a time per thread). */
interface Scratch {
  readonly packed: Uint8Array; readonly S: Uint16Array; readonly C: Uint16Array; readonly B: Uint16Array; readonly T: Uint16Array;
  /** Prime factors of n, smallest first, and one buffer of n values per factor (evaluateEverywhere). */
  readonly factors: readonly number[];
  readonly levels: readonly Uint16Array[];
}
const scratches = new WeakMap<_Bch, Scratch>();

/** Prime factors of n, smallest first (n = 2^m - 1: 63 = 3·3·7, 127, 255 = 3·5·17, 511 = 7·73, 1023 = 3·11·31). */
function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let f = 2; f * f <= n; f++) while (n % f === 0) { out.push(f); n /= f; }
  if (n > 1) out.push(n);
  return out;
}

function scratchOf(code: _Bch): Scratch {
  let s = scratches.get(code);
  if (!s) {
    const len = 2 * code.t + 2;
    const factors = primeFactors(code.n);
    s = {
      packed: new Uint8Array((code.n + 1) >>> 3), S: new Uint16Array(2 * code.t + 1), C: new Uint16Array(len), B: new Uint16Array(len), T: new Uint16Array(len),
      factors, levels: factors.map(() => new Uint16Array(code.n)),
    };
    scratches.set(code, s);
  }
  return s;
}

/**
 * The values of C (degree <= L) at every nonzero field element: returns V with V[q] = C(alpha^q),
 * q in [0, n). Decimation, as in an FFT: with n = f_1 f_2 ... f_k and F_d = f_1 ... f_d, the
 * polynomial P_rho(x) = sum_j C[rho + j F_d] x^j of residue rho < F_d is evaluated at alpha^(F_d p)
 * for p < n / F_d; P_rho(x) = sum_{r < f_(d+1)} x^r P_(rho + r F_d)(x^f_(d+1)), so level d follows
 * from level d + 1, and the last level (f_k points) is evaluated term by term. Level d is held in
 * levels[d] as F_d rows of n / F_d values.
 */
function evaluateEverywhere(code: _Bch, s: Scratch, L: number): Uint16Array {
  const { n, exp, log } = code;
  const { C, factors, levels } = s;
  const k = factors.length;
  let F = n / factors[k - 1]!;
  const last = levels[k - 1]!, points = factors[k - 1]!;
  last.fill(0);
  for (let i = 0; i <= L; i++) {
    const c = C[i]!;
    if (c === 0) continue;
    const row = (i % F) * points, step = (F * Math.floor(i / F)) % n;
    for (let p = 0, e = log[c]!; p < points; p++) {
      last[row + p]! ^= exp[e]!;
      e += step;
      if (e >= n) e -= n;
    }
  }
  for (let d = k - 2; d >= 0; d--) {
    const f = factors[d]!, child = levels[d + 1]!, out = levels[d]!;
    const childPoints = n / F;
    F /= f;
    const rowPoints = childPoints * f;
    out.fill(0);
    for (let rho = 0; rho < F; rho++) {
      const row = rho * rowPoints;
      for (let r = 0; r < f; r++) {
        const from = (rho + r * F) * childPoints, step = (F * r) % n;
        for (let p = 0, e = 0, q = 0; p < rowPoints; p++) {
          const v = child[from + q]!;
          if (v !== 0) out[row + p]! ^= exp[log[v]! + e]!;
          e += step;
          if (e >= n) e -= n;
          if (++q === childPoints) q = 0;
        }
      }
    }
  }
  return levels[0]!;
}

/**
 * Berlekamp–Massey over S_1 .. S_2t: the shortest LFSR C(x) generating them, into s.C; returns
 * its length L. For binary BCH syndromes (S_2i = S_i^2) every discrepancy at an even step is zero,
 * so only the odd steps are computed.
 */
function berlekampMassey(code: _Bch, s: Scratch): number {
  const { n, t, exp, log } = code;
  const { S, C, T } = s;
  let { B } = s;
  let Cc = C;
  Cc.fill(0); B.fill(0);
  Cc[0] = 1; B[0] = 1;
  let L = 0, degB = 0, shift = 1, logb = 0;
  for (let step = 0; step < 2 * t; step += 2) {
    let d = S[step + 1]!;
    for (let i = 1; i <= L; i++) {
      const c = Cc[i]!, x = S[step + 1 - i]!;
      if (c !== 0 && x !== 0) d ^= exp[log[c]! + log[x]!]!;
    }
    if (d === 0) { shift += 2; continue; }
    const logCoef = (log[d]! + n - logb) % n;
    const lengthen = 2 * L <= step;
    if (lengthen) T.set(Cc);
    for (let i = 0; i <= degB; i++) {
      const bi = B[i]!;
      if (bi !== 0) Cc[i + shift]! ^= exp[logCoef + log[bi]!]!;
    }
    if (lengthen) {
      const newL = step + 1 - L;
      degB = L;
      B.set(T);
      L = newL;
      logb = log[d]!;
      shift = 2;
    } else shift += 2;
  }
  return L;
}

/**
 * Bounded-distance decoding: the unique codeword within Hamming distance t of `word` (n bits,
 * one per byte), written over `word` in place, or false (and `word` unspecified) when none is.
 * Syndromes, Berlekamp–Massey, the roots of the error locator from its values at every nonzero
 * field element, and a final syndrome check of the corrected word.
 */
export function _bchDecode(code: _Bch, word: Uint8Array): boolean {
  const { n, t } = code;
  const s = scratchOf(code);
  if (syndromes(code, word, s.packed, s.S)) return true;
  const L = berlekampMassey(code, s);
  if (L > t) return false;
  // Roots: error at position p when C(alpha^-p) = 0, i.e. C(alpha^q) = 0 for q = (n - p) mod n;
  // C is evaluated at every alpha^q at once (evaluateEverywhere), not position by position.
  const values = evaluateEverywhere(code, s, L);
  let found = 0;
  for (let q = 0; q < n && found <= L; q++) if (values[q] === 0) found++;
  if (found !== L) return false;
  for (let q = 0; q < n; q++) if (values[q] === 0) word[q === 0 ? 0 : n - q]! ^= 1;
  return syndromes(code, word, s.packed, s.S);
}
