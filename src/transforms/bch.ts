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

/** S_i = word(alpha^i) for i = 1..2t, with S_2i = S_i^2. */
function syndromes(code: _Bch, ones: readonly number[]): Uint16Array {
  const { n, t, exp, log } = code;
  const S = new Uint16Array(2 * t + 1);
  for (let i = 1; i <= 2 * t; i++) {
    if (i % 2 === 0) {
      const h = S[i / 2]!;
      S[i] = h === 0 ? 0 : exp[(2 * log[h]!) % n]!;
      continue;
    }
    let s = 0;
    for (const j of ones) s ^= exp[(i * j) % n]!;
    S[i] = s;
  }
  return S;
}

/**
 * Bounded-distance decoding: the unique codeword within Hamming distance t of `word` (n bits,
 * one per byte), written over `word` in place, or false (and `word` unspecified) when none is.
 */
export function _bchDecode(code: _Bch, word: Uint8Array): boolean {
  const { n, t, exp, log } = code;
  const ones: number[] = [];
  for (let j = 0; j < n; j++) if (word[j]) ones.push(j);
  const S = syndromes(code, ones);
  let zero = true;
  for (let i = 1; i <= 2 * t; i++) if (S[i] !== 0) { zero = false; break; }
  if (zero) return true;
  const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : exp[log[a]! + log[b]!]!);
  const div = (a: number, b: number) => (a === 0 ? 0 : exp[log[a]! + n - log[b]!]!);
  // Berlekamp–Massey: the shortest LFSR C(x) generating S_1 .. S_2t.
  let C = new Uint16Array(2 * t + 2), B = new Uint16Array(2 * t + 2);
  C[0] = 1; B[0] = 1;
  let L = 0, shift = 1, b = 1;
  for (let s = 0; s < 2 * t; s++) {
    let d = S[s + 1]!;
    for (let i = 1; i <= L; i++) d ^= mul(C[i]!, S[s + 1 - i]!);
    if (d === 0) { shift++; continue; }
    const coef = div(d, b);
    const T = C.slice();
    for (let i = 0; i + shift < C.length; i++) C[i + shift]! ^= mul(coef, B[i]!);
    if (2 * L <= s) { L = s + 1 - L; B = T; b = d; shift = 1; } else shift++;
  }
  if (L > t) return false;
  // Chien search: error at position p when C(alpha^-p) = 0; term i's exponent, log C[i] - p * i
  // (mod n), steps down by i from one position to the next (-1: a zero coefficient).
  const errors: number[] = [];
  const exponent = new Int32Array(L + 1);
  for (let i = 0; i <= L; i++) exponent[i] = C[i] ? log[C[i]!]! : -1;
  for (let p = 0; p < n && errors.length <= L; p++) {
    let v = 0;
    for (let i = 0; i <= L; i++) {
      const e = exponent[i]!;
      if (e < 0) continue;
      v ^= exp[e]!;
      exponent[i] = e - i < 0 ? e - i + n : e - i;
    }
    if (v === 0) errors.push(p);
  }
  if (errors.length !== L) return false;
  for (const p of errors) word[p]! ^= 1;
  const fixed: number[] = [];
  for (let j = 0; j < n; j++) if (word[j]) fixed.push(j);
  const check = syndromes(code, fixed);
  for (let i = 1; i <= 2 * t; i++) if (check[i] !== 0) return false;
  return true;
}
