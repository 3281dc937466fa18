// Binary BCH codes (SPEC.md §4.5.2): primitive narrow-sense codes of length n = 2^m - 1 over
// GF(2^m), systematic encoding, and bounded-distance decoding that returns the unique codeword
// within Hamming distance t of a word, or nothing (syndromes by minimal-polynomial remainders,
// Berlekamp–Massey over the odd steps, the error locator's roots from its values at every field
// element by decimation, and a final syndrome check of the corrected word).

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
  /** Scratch: each coset's remainder of the word being decoded. */
  readonly rem: Uint32Array;
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
    members: Uint16Array.from(members), powers: Uint16Array.from(powers), rem: new Uint32Array(degree.length),
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
  const { degree, reduce, start, members, powers, rem } = tablesOf(code);
  // Degree n (= 2^m - 1) is bit 7 of byte 0 and always zero.
  for (let b = 0; b < packed.length; b++) {
    let v = 0;
    for (let k = 0, deg = n - 8 * b; k < 8; k++, deg--) v = (v << 1) | (deg < n && deg >= 0 ? word[deg]! : 0);
    packed[b] = v;
  }
  // The remainders of four cosets advance together: each is a chain of dependent table reads, and
  // four independent chains keep the processor busy.
  const cosets = degree.length, bytes = packed.length;
  let c = 0;
  for (; c + 4 <= cosets; c += 4) {
    const d0 = degree[c]!, d1 = degree[c + 1]!, d2 = degree[c + 2]!, d3 = degree[c + 3]!;
    const t0 = c * 256, t1 = t0 + 256, t2 = t1 + 256, t3 = t2 + 256;
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    for (let b = 0; b < bytes; b++) {
      const x = packed[b]!;
      r0 = (r0 << 8) | x; r1 = (r1 << 8) | x; r2 = (r2 << 8) | x; r3 = (r3 << 8) | x;
      r0 ^= reduce[t0 + (r0 >>> d0)]!; r1 ^= reduce[t1 + (r1 >>> d1)]!; r2 ^= reduce[t2 + (r2 >>> d2)]!; r3 ^= reduce[t3 + (r3 >>> d3)]!;
    }
    rem[c] = r0; rem[c + 1] = r1; rem[c + 2] = r2; rem[c + 3] = r3;
  }
  for (; c < cosets; c++) {
    const d = degree[c]!, base = c * 256;
    let r = 0;
    for (let b = 0; b < bytes; b++) {
      r = (r << 8) | packed[b]!;
      r ^= reduce[base + (r >>> d)]!;
    }
    rem[c] = r;
  }
  let any = 0;
  for (let c = 0; c < cosets; c++) {
    const d = degree[c]!, r = rem[c]!;
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
  readonly packed: Uint8Array; readonly S: Uint16Array; readonly logS: Uint16Array;
  /**
   * Field tables without a zero test: zlog[0] = 2n, zlog[a] = log a otherwise; zexp[i] = alpha^i
   * for i < 2n and 0 for 2n <= i < 4n, so zexp[zlog[a] + zlog[b]] = a b for any a, b.
   */
  readonly zlog: Uint16Array; readonly zexp: Uint16Array;
  /** Berlekamp–Massey's three rotating buffers, and which of them holds the error locator. */
  readonly C: Uint16Array; readonly B: Uint16Array; readonly T: Uint16Array;
  locator: Uint16Array;
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
      packed: new Uint8Array((code.n + 1) >>> 3), S: new Uint16Array(2 * code.t + 1), logS: new Uint16Array(2 * code.t + 1),
      zlog: Uint16Array.from(code.log, (v, a) => (a === 0 ? 2 * code.n : v)), zexp: Uint16Array.from({ length: 4 * code.n }, (_, i) => (i < 2 * code.n ? code.exp[i]! : 0)),
      C: new Uint16Array(len), B: new Uint16Array(len), T: new Uint16Array(len), locator: new Uint16Array(0),
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
  const { locator: C, factors, levels, zlog, zexp } = s;
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
          out[row + p]! ^= zexp[zlog[child[from + q]!]! + e]!;
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
  const { n, t } = code;
  const { S, logS, zlog, zexp } = s;
  for (let i = 1; i <= 2 * t; i++) logS[i] = zlog[S[i]!]!;
  // Three buffers rotate: C (the current LFSR), B (the one before its last lengthening), T (free).
  let C = s.C, B = s.B, T = s.T;
  C.fill(0); B.fill(0);
  C[0] = 1; B[0] = 1;
  let L = 0, degB = 0, shift = 1, logb = 0;
  for (let step = 0; step < 2 * t; step += 2) {
    let d = S[step + 1]!;
    for (let i = 1; i <= L; i++) d ^= zexp[zlog[C[i]!]! + logS[step + 1 - i]!]!;
    if (d === 0) { shift += 2; continue; }
    let logCoef = zlog[d]! + n - logb;
    if (logCoef >= n) logCoef -= n;
    if (2 * L <= step) {
      // Lengthening: T = C - d/b x^shift B becomes C, and the old C becomes B.
      const newL = step + 1 - L, top = Math.max(L, shift + degB);
      T.set(C.subarray(0, L + 1));
      T.fill(0, L + 1, top + 1);
      for (let i = 0; i <= degB; i++) T[i + shift]! ^= zexp[logCoef + zlog[B[i]!]!]!;
      const free = B;
      B = C; C = T; T = free;
      degB = L;
      L = newL;
      logb = zlog[d]!;
      shift = 2;
    } else {
      for (let i = 0; i <= degB; i++) C[i + shift]! ^= zexp[logCoef + zlog[B[i]!]!]!;
      shift += 2;
    }
  }
  s.locator = C;
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
