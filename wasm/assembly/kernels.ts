// Matching and projection kernels (README "Matching"; the transforms of SPEC.md §4), AssemblyScript.
// One source, two builds: with
// `--enable simd` the v128 paths are compiled in (ASC_FEATURE_SIMD), without it the scalar ones.
// Every kernel works on raw byte offsets into linear memory that the caller lays out; nothing is
// allocated, and per-call state lives only in caller-given buffers, so one module may run in
// several threads over one shared memory. Results are identical on both builds and equal to
// the JS reference kernels in src/match/reference.ts.

/** First free byte after the module's own static data: the caller's memory starts here. */
export function heap_base(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------- Hamming distance, packed bits

/** Hamming distance of two packed bit strings of `bytes` bytes (a multiple of 8). */
// @ts-ignore: decorator
@inline function hamming(a: usize, b: usize, bytes: usize): u32 {
  let s: u64 = 0;
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    s += popcnt<u64>(load<u64>(a + i) ^ load<u64>(b + i)) +
      popcnt<u64>(load<u64>(a + i, 8) ^ load<u64>(b + i, 8)) +
      popcnt<u64>(load<u64>(a + i, 16) ^ load<u64>(b + i, 16)) +
      popcnt<u64>(load<u64>(a + i, 24) ^ load<u64>(b + i, 24));
  }
  for (; i < bytes; i += 8) s += popcnt<u64>(load<u64>(a + i) ^ load<u64>(b + i));
  return <u32>s;
}

/** Hamming distance of two 64-byte (512-bit) rows, with the probe words already loaded. */
// @ts-ignore: decorator
@inline function hamming64(p0: u64, p1: u64, p2: u64, p3: u64, p4: u64, p5: u64, p6: u64, p7: u64, r: usize): u32 {
  return <u32>(
    popcnt<u64>(p0 ^ load<u64>(r)) + popcnt<u64>(p1 ^ load<u64>(r, 8)) +
    popcnt<u64>(p2 ^ load<u64>(r, 16)) + popcnt<u64>(p3 ^ load<u64>(r, 24)) +
    popcnt<u64>(p4 ^ load<u64>(r, 32)) + popcnt<u64>(p5 ^ load<u64>(r, 40)) +
    popcnt<u64>(p6 ^ load<u64>(r, 48)) + popcnt<u64>(p7 ^ load<u64>(r, 56)));
}

export function hamming_u1(a: usize, b: usize, bytes: usize): u32 {
  return hamming(a, b, bytes);
}

export function scan_hamming_u1(probe: usize, base: usize, count: u32, bytes: usize, out: usize): void {
  if (bytes == 64) {
    const p0 = load<u64>(probe), p1 = load<u64>(probe, 8), p2 = load<u64>(probe, 16), p3 = load<u64>(probe, 24);
    const p4 = load<u64>(probe, 32), p5 = load<u64>(probe, 40), p6 = load<u64>(probe, 48), p7 = load<u64>(probe, 56);
    for (let i: u32 = 0; i < count; i++) {
      store<u32>(out + (<usize>i << 2), hamming64(p0, p1, p2, p3, p4, p5, p6, p7, base + (<usize>i << 6)));
    }
    return;
  }
  for (let i: u32 = 0; i < count; i++) store<u32>(out + (<usize>i << 2), hamming(probe, base + <usize>i * bytes, bytes));
}

// ---------------------------------------------------------------- top-k selection

/**
 * Inserts key = (dist << 32 | slot) into the ascending list of c keys at `out` (capacity k) and
 * returns the new count. Callers only insert keys smaller than the current k-th one.
 */
// @ts-ignore: decorator
@inline function topkInsert(out: usize, c: u32, k: u32, key: u64): u32 {
  let i: usize = c < k ? <usize>c : <usize>(k - 1);
  while (i > 0) {
    const prev = load<u64>(out + ((i - 1) << 3));
    if (prev <= key) break;
    store<u64>(out + (i << 3), prev);
    i--;
  }
  store<u64>(out + (i << 3), key);
  return c < k ? c + 1 : c;
}

/** The largest distance the next insertion may have: maxDist until full, then k-th distance - 1. */
// @ts-ignore: decorator
@inline function topkLimit(out: usize, c: u32, k: u32, maxDist: i64): i64 {
  if (c < k) return maxDist;
  const worst = <i64>(load<u64>(out + (<usize>(k - 1) << 3)) >> 32) - 1;
  return worst < maxDist ? worst : maxDist;
}

/**
 * Top-k rows of base[from..to) (stride `bytes`) by Hamming distance to the probe, only distances
 * <= maxDist, ordered by (distance, slot); writes (slot u32, dist u32) pairs, returns the count.
 */
export function topk_hamming_u1(probe: usize, base: usize, from: u32, to: u32, bytes: usize, k: u32, maxDist: u32, out: usize): u32 {
  let c: u32 = 0;
  let limit: i64 = <i64>maxDist;
  if (bytes == 64) {
    const p0 = load<u64>(probe), p1 = load<u64>(probe, 8), p2 = load<u64>(probe, 16), p3 = load<u64>(probe, 24);
    const p4 = load<u64>(probe, 32), p5 = load<u64>(probe, 40), p6 = load<u64>(probe, 48), p7 = load<u64>(probe, 56);
    for (let i = from; i < to; i++) {
      const d = hamming64(p0, p1, p2, p3, p4, p5, p6, p7, base + (<usize>i << 6));
      if (<i64>d <= limit) {
        c = topkInsert(out, c, k, (<u64>d << 32) | <u64>i);
        limit = topkLimit(out, c, k, <i64>maxDist);
      }
    }
    return c;
  }
  for (let i = from; i < to; i++) {
    const d = hamming(probe, base + <usize>i * bytes, bytes);
    if (<i64>d <= limit) {
      c = topkInsert(out, c, k, (<u64>d << 32) | <u64>i);
      limit = topkLimit(out, c, k, <i64>maxDist);
    }
  }
  return c;
}

// ---------------------------------------------------------------- IoM: unequal-index count over u8 codes

const LOW7: u64 = 0x7f7f7f7f7f7f7f7f;
const HIGH1: u64 = 0x8080808080808080;

/** Number of positions in [0, n) where the byte strings differ. */
// @ts-ignore: decorator
@inline function unequal(a: usize, b: usize, n: usize): u32 {
  let i: usize = 0;
  let d: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // i8x16.eq gives -1 (0xff) per equal lane; four independent accumulators add it up, so each
    // lane holds minus the number of equal bytes it saw (at most 131 per 2048-byte chunk).
    let eq: u32 = 0;
    while (i + 16 <= n) {
      let acc0 = i8x16.splat(0), acc1 = i8x16.splat(0), acc2 = i8x16.splat(0), acc3 = i8x16.splat(0);
      let end = i + 2048;
      if (end > n) end = n;
      for (; i + 64 <= end; i += 64) {
        acc0 = i8x16.add(acc0, i8x16.eq(v128.load(a + i), v128.load(b + i)));
        acc1 = i8x16.add(acc1, i8x16.eq(v128.load(a + i, 16), v128.load(b + i, 16)));
        acc2 = i8x16.add(acc2, i8x16.eq(v128.load(a + i, 32), v128.load(b + i, 32)));
        acc3 = i8x16.add(acc3, i8x16.eq(v128.load(a + i, 48), v128.load(b + i, 48)));
      }
      for (; i + 16 <= end; i += 16) acc0 = i8x16.add(acc0, i8x16.eq(v128.load(a + i), v128.load(b + i)));
      const counts = i8x16.sub(i8x16.splat(0), i8x16.add(i8x16.add(acc0, acc1), i8x16.add(acc2, acc3)));
      const w = i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(counts));
      eq += <u32>(i32x4.extract_lane(w, 0) + i32x4.extract_lane(w, 1) + i32x4.extract_lane(w, 2) + i32x4.extract_lane(w, 3));
    }
    d = <u32>i - eq;
  } else {
    // A byte y of x = a ^ b is non-zero exactly when bit 7 of ((y & 0x7f) + 0x7f) | y is set.
    for (; i + 8 <= n; i += 8) {
      const x = load<u64>(a + i) ^ load<u64>(b + i);
      d += <u32>popcnt<u64>((((x & LOW7) + LOW7) | x) & HIGH1);
    }
  }
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) d++;
  return d;
}

export function equal_u8(a: usize, b: usize, n: usize): u32 {
  return <u32>n - unequal(a, b, n);
}

export function scan_equal_u8(probe: usize, base: usize, count: u32, n: usize, out: usize): void {
  for (let i: u32 = 0; i < count; i++) store<u32>(out + (<usize>i << 2), <u32>n - unequal(probe, base + <usize>i * n, n));
}

/** As topk_hamming_u1 with dist = n - (number of equal indices). */
export function topk_equal_u8(probe: usize, base: usize, from: u32, to: u32, n: usize, k: u32, maxDist: u32, out: usize): u32 {
  let c: u32 = 0;
  let limit: i64 = <i64>maxDist;
  for (let i = from; i < to; i++) {
    const d = unequal(probe, base + <usize>i * n, n);
    if (<i64>d <= limit) {
      c = topkInsert(out, c, k, (<u64>d << 32) | <u64>i);
      limit = topkLimit(out, c, k, <i64>maxDist);
    }
  }
  return c;
}

// ---------------------------------------------------------------- dot products

// @ts-ignore: decorator
@inline function dotI8(a: usize, b: usize, n: usize): i32 {
  let i: usize = 0;
  let s: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    // Sign-extending loads (8 x i8 -> 8 x i16) and pairwise multiply-add into i32 lanes.
    let acc0 = i32x4.splat(0), acc1 = i32x4.splat(0), acc2 = i32x4.splat(0), acc3 = i32x4.splat(0);
    for (; i + 32 <= n; i += 32) {
      acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(v128.load8x8_s(a + i), v128.load8x8_s(b + i)));
      acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(v128.load8x8_s(a + i, 8), v128.load8x8_s(b + i, 8)));
      acc2 = i32x4.add(acc2, i32x4.dot_i16x8_s(v128.load8x8_s(a + i, 16), v128.load8x8_s(b + i, 16)));
      acc3 = i32x4.add(acc3, i32x4.dot_i16x8_s(v128.load8x8_s(a + i, 24), v128.load8x8_s(b + i, 24)));
    }
    for (; i + 8 <= n; i += 8) acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(v128.load8x8_s(a + i), v128.load8x8_s(b + i)));
    const acc = i32x4.add(i32x4.add(acc0, acc1), i32x4.add(acc2, acc3));
    s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  } else {
    let s0: i32 = 0, s1: i32 = 0, s2: i32 = 0, s3: i32 = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += <i32>load<i8>(a + i) * <i32>load<i8>(b + i);
      s1 += <i32>load<i8>(a + i, 1) * <i32>load<i8>(b + i, 1);
      s2 += <i32>load<i8>(a + i, 2) * <i32>load<i8>(b + i, 2);
      s3 += <i32>load<i8>(a + i, 3) * <i32>load<i8>(b + i, 3);
    }
    s = s0 + s1 + s2 + s3;
  }
  for (; i < n; i++) s += <i32>load<i8>(a + i) * <i32>load<i8>(b + i);
  return s;
}

export function dot_i8(a: usize, b: usize, n: usize): i32 {
  return dotI8(a, b, n);
}

export function scan_dot_i8(probe: usize, base: usize, count: u32, n: usize, out: usize): void {
  for (let i: u32 = 0; i < count; i++) store<i32>(out + (<usize>i << 2), dotI8(probe, base + <usize>i * n, n));
}

/** Element i of b as float32: T is f32, or i8 (converted exactly). */
// @ts-ignore: decorator
@inline function elementF32<T>(b: usize, i: usize): f32 {
  return <f32>load<T>(b + i * sizeof<T>());
}

/** Elements i .. i + 3 of b as float32 lanes (T as in elementF32). */
// @ts-ignore: decorator
@inline function quadF32<T>(b: usize, i: usize): v128 {
  if (isFloat<T>()) return v128.load(b + (i << 2));
  return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(b + i))));
}

/**
 * dot of n float32 values a with n values b of type T (f32, or i8 converted to f32 exactly) in
 * the specified order: 16 partial sums acc[i % 16] over the first n - n % 16 elements (each step
 * rounded to f32, no fused multiply-add), reduced as s[l] = (acc[l] + acc[4 + l]) + (acc[8 + l] +
 * acc[12 + l]), r = (s[0] + s[1]) + (s[2] + s[3]); the last n % 16 products are summed in order
 * into t starting at 0; the result is r + t.
 */
function dotF32<T>(a: usize, b: usize, n: usize): f32 {
  let i: usize = 0;
  let r: f32;
  if (ASC_FEATURE_SIMD) {
    let v0 = f32x4.splat(0), v1 = f32x4.splat(0), v2 = f32x4.splat(0), v3 = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const pa = a + (i << 2);
      v0 = f32x4.add(v0, f32x4.mul(v128.load(pa), quadF32<T>(b, i)));
      v1 = f32x4.add(v1, f32x4.mul(v128.load(pa, 16), quadF32<T>(b, i + 4)));
      v2 = f32x4.add(v2, f32x4.mul(v128.load(pa, 32), quadF32<T>(b, i + 8)));
      v3 = f32x4.add(v3, f32x4.mul(v128.load(pa, 48), quadF32<T>(b, i + 12)));
    }
    const s = f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3));
    r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  } else {
    let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0, c4: f32 = 0, c5: f32 = 0, c6: f32 = 0, c7: f32 = 0;
    let c8: f32 = 0, c9: f32 = 0, c10: f32 = 0, c11: f32 = 0, c12: f32 = 0, c13: f32 = 0, c14: f32 = 0, c15: f32 = 0;
    for (; i + 16 <= n; i += 16) {
      const pa = a + (i << 2);
      c0 += load<f32>(pa) * elementF32<T>(b, i); c1 += load<f32>(pa, 4) * elementF32<T>(b, i + 1);
      c2 += load<f32>(pa, 8) * elementF32<T>(b, i + 2); c3 += load<f32>(pa, 12) * elementF32<T>(b, i + 3);
      c4 += load<f32>(pa, 16) * elementF32<T>(b, i + 4); c5 += load<f32>(pa, 20) * elementF32<T>(b, i + 5);
      c6 += load<f32>(pa, 24) * elementF32<T>(b, i + 6); c7 += load<f32>(pa, 28) * elementF32<T>(b, i + 7);
      c8 += load<f32>(pa, 32) * elementF32<T>(b, i + 8); c9 += load<f32>(pa, 36) * elementF32<T>(b, i + 9);
      c10 += load<f32>(pa, 40) * elementF32<T>(b, i + 10); c11 += load<f32>(pa, 44) * elementF32<T>(b, i + 11);
      c12 += load<f32>(pa, 48) * elementF32<T>(b, i + 12); c13 += load<f32>(pa, 52) * elementF32<T>(b, i + 13);
      c14 += load<f32>(pa, 56) * elementF32<T>(b, i + 14); c15 += load<f32>(pa, 60) * elementF32<T>(b, i + 15);
    }
    const s0 = (c0 + c4) + (c8 + c12), s1 = (c1 + c5) + (c9 + c13);
    const s2 = (c2 + c6) + (c10 + c14), s3 = (c3 + c7) + (c11 + c15);
    r = (s0 + s1) + (s2 + s3);
  }
  let t: f32 = 0;
  for (; i < n; i++) t += load<f32>(a + (i << 2)) * elementF32<T>(b, i);
  return r + t;
}

export function dot_f32(a: usize, b: usize, n: usize): f32 {
  return dotF32<f32>(a, b, n);
}

/** dot(a, b) / sqrt(dot(a, a) * dot(b, b)) in float64 from the three float32 dot products. */
export function cosine_f32(a: usize, b: usize, n: usize): f64 {
  const ab = <f64>dotF32<f32>(a, b, n), aa = <f64>dotF32<f32>(a, a, n), bb = <f64>dotF32<f32>(b, b, n);
  return ab / Math.sqrt(aa * bb);
}

export function scan_dot_f32(probe: usize, base: usize, count: u32, n: usize, out: usize): void {
  const rowBytes = n << 2;
  for (let i: u32 = 0; i < count; i++) store<f32>(out + (<usize>i << 2), dotF32<f32>(probe, base + <usize>i * rowBytes, n));
}

// ---------------------------------------------------------------- float projections (evaluation attacks)
// The known-material attacks of templock/eval project a float32 direction onto int8 weight rows
// and back. Converting an int8 weight to float32 is exact; every sum is rounded to float32 in a
// fixed order (the projection in dot_f32's order, the back-projection row by row), so every
// backend gives the same bits.

/** out[r] (f32) = dot of the float32 vector x (dim) with int8 weight row r, for r < rows. */
export function project_i8_f32(x: usize, W: usize, dim: usize, rows: u32, out: usize): void {
  for (let r: u32 = 0; r < rows; r++) store<f32>(out + (<usize>r << 2), dotF32<i8>(x, W + <usize>r * dim, dim));
}

/** g[i] (f32, dim) += c[r] * W[r][i] for r = 0 .. rows - 1 in order, each step rounded to float32. */
export function backproject_i8_f32(c: usize, W: usize, dim: usize, rows: u32, g: usize): void {
  const simdDim = ASC_FEATURE_SIMD ? dim & ~(<usize>15) : 0;
  let row = W;
  for (let r: u32 = 0; r < rows; r++) {
    const cr = load<f32>(c + (<usize>r << 2));
    let i: usize = 0;
    if (ASC_FEATURE_SIMD) {
      const cv = f32x4.splat(cr);
      for (; i < simdDim; i += 16) {
        const pg = g + (i << 2), ww = v128.load(row + i);
        const lo = i16x8.extend_low_i8x16_s(ww), hi = i16x8.extend_high_i8x16_s(ww);
        v128.store(pg, f32x4.add(v128.load(pg), f32x4.mul(cv, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo)))));
        v128.store(pg, f32x4.add(v128.load(pg, 16), f32x4.mul(cv, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo)))), 16);
        v128.store(pg, f32x4.add(v128.load(pg, 32), f32x4.mul(cv, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi)))), 32);
        v128.store(pg, f32x4.add(v128.load(pg, 48), f32x4.mul(cv, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi)))), 48);
      }
    }
    for (; i < dim; i++) {
      const pg = g + (i << 2);
      store<f32>(pg, load<f32>(pg) + cr * <f32>load<i8>(row + i));
    }
    row += dim;
  }
}

// ---------------------------------------------------------------- projections (protect)
// The weights are read one row after another, front to back: on the x86 machines measured, a
// pass sharing the vector loads over four interleaved rows was 15 % faster while W fits in L2,
// as fast from L3, and several times slower once W (16 MiB for the IoM-GRP defaults at dim
// 512) spills out of L3, where interleaved row streams defeat the hardware prefetch.

/** Exact dot of an int8 weight row with the int16 canonical vector (|sum| < 2^25). */
// @ts-ignore: decorator
@inline function projectRow(w: usize, v: usize, dim: usize): i32 {
  let i: usize = 0;
  let s: i32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
    for (; i + 32 <= dim; i += 32) {
      const pv = v + (i << 1);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load8x8_s(w + i), v128.load(pv)));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.load8x8_s(w + i, 8), v128.load(pv, 16)));
      a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v128.load8x8_s(w + i, 16), v128.load(pv, 32)));
      a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v128.load8x8_s(w + i, 24), v128.load(pv, 48)));
    }
    for (; i + 8 <= dim; i += 8) a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load8x8_s(w + i), v128.load(v + (i << 1))));
    const a = i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3));
    s = i32x4.extract_lane(a, 0) + i32x4.extract_lane(a, 1) + i32x4.extract_lane(a, 2) + i32x4.extract_lane(a, 3);
  } else {
    let s0: i32 = 0, s1: i32 = 0, s2: i32 = 0, s3: i32 = 0;
    for (; i + 4 <= dim; i += 4) {
      const pv = v + (i << 1);
      s0 += <i32>load<i8>(w + i) * <i32>load<i16>(pv);
      s1 += <i32>load<i8>(w + i, 1) * <i32>load<i16>(pv, 2);
      s2 += <i32>load<i8>(w + i, 2) * <i32>load<i16>(pv, 4);
      s3 += <i32>load<i8>(w + i, 3) * <i32>load<i16>(pv, 6);
    }
    s = s0 + s1 + s2 + s3;
  }
  for (; i < dim; i++) s += <i32>load<i8>(w + i) * <i32>load<i16>(v + (i << 1));
  return s;
}

/** IoM-GRP: out[j] = argmax over t < q of dot(W[j * q + t], v), the smallest t winning ties. */
export function iomgrp_argmax(v: usize, W: usize, dim: usize, m: u32, q: u32, out: usize): void {
  let row = W;
  for (let j: u32 = 0; j < m; j++) {
    let best = projectRow(row, v, dim);
    let arg: u32 = 0;
    row += dim;
    for (let t: u32 = 1; t < q; t++) {
      const s = projectRow(row, v, dim);
      if (s > best) { best = s; arg = t; }
      row += dim;
    }
    store<u8>(out + <usize>j, <u8>arg);
  }
}

/** Transpose-and-add: lane r of the result is the sum of the four lanes of a_r. */
// @ts-ignore: decorator
@inline function laneSums(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t01 = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 4, 1, 5), v128.shuffle<i32>(a0, a1, 2, 6, 3, 7));
  const t23 = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 4, 1, 5), v128.shuffle<i32>(a2, a3, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(t01, t23, 0, 1, 4, 5), v128.shuffle<i32>(t01, t23, 2, 3, 6, 7));
}

/** i32x4 of four scalars. */
// @ts-ignore: decorator
@inline function lanes(s0: i32, s1: i32, s2: i32, s3: i32): v128 {
  return i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(s0), 1, s1), 2, s2), 3, s3);
}

/**
 * iomgrp_argmax of four canonical vectors (v: 4 x dim int16; codes of vector e at out + e *
 * outStride): each weight load and sign extension serves the four vectors, two rows per pass;
 * lane e of every vector below is vector e, and the argmax is kept per lane (rows in index
 * order, strictly greater replaces, so the first maximum wins).
 */
function iomgrpArgmax4(v: usize, W: usize, dim: usize, m: u32, q: u32, out: usize, outStride: usize): void {
  const v1 = v + (dim << 1), v2 = v1 + (dim << 1), v3 = v2 + (dim << 1);
  const simdDim = dim & ~(<usize>7);
  let row = W;
  for (let j: u32 = 0; j < m; j++) {
    let best = i32x4.splat(i32.MIN_VALUE), arg = i32x4.splat(0);
    for (let t: u32 = 0; t < q; t += 2) {
      // Rows t and t + 1 (row t again when t is the last: its second result is not used).
      const pair = t + 1 < q;
      const r0 = row, r1 = pair ? row + dim : row;
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0);
      for (let i: usize = 0; i < simdDim; i += 8) {
        const w0 = v128.load8x8_s(r0 + i), w1 = v128.load8x8_s(r1 + i), o = i << 1;
        let x = v128.load(v + o);
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(w0, x)); b0 = i32x4.add(b0, i32x4.dot_i16x8_s(w1, x));
        x = v128.load(v1 + o);
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(w0, x)); b1 = i32x4.add(b1, i32x4.dot_i16x8_s(w1, x));
        x = v128.load(v2 + o);
        a2 = i32x4.add(a2, i32x4.dot_i16x8_s(w0, x)); b2 = i32x4.add(b2, i32x4.dot_i16x8_s(w1, x));
        x = v128.load(v3 + o);
        a3 = i32x4.add(a3, i32x4.dot_i16x8_s(w0, x)); b3 = i32x4.add(b3, i32x4.dot_i16x8_s(w1, x));
      }
      let s0 = laneSums(a0, a1, a2, a3), s1 = laneSums(b0, b1, b2, b3);
      if (simdDim < dim) {
        let c0: i32 = 0, c1: i32 = 0, c2: i32 = 0, c3: i32 = 0, d0: i32 = 0, d1: i32 = 0, d2: i32 = 0, d3: i32 = 0;
        for (let i = simdDim; i < dim; i++) {
          const w0 = <i32>load<i8>(r0 + i), w1 = <i32>load<i8>(r1 + i), o = i << 1;
          const x0 = <i32>load<i16>(v + o), x1 = <i32>load<i16>(v1 + o), x2 = <i32>load<i16>(v2 + o), x3 = <i32>load<i16>(v3 + o);
          c0 += w0 * x0; c1 += w0 * x1; c2 += w0 * x2; c3 += w0 * x3;
          d0 += w1 * x0; d1 += w1 * x1; d2 += w1 * x2; d3 += w1 * x3;
        }
        s0 = i32x4.add(s0, lanes(c0, c1, c2, c3));
        s1 = i32x4.add(s1, lanes(d0, d1, d2, d3));
      }
      let gt = i32x4.gt_s(s0, best);
      best = v128.bitselect(s0, best, gt);
      arg = v128.bitselect(i32x4.splat(t), arg, gt);
      if (pair) {
        gt = i32x4.gt_s(s1, best);
        best = v128.bitselect(s1, best, gt);
        arg = v128.bitselect(i32x4.splat(t + 1), arg, gt);
        row += dim << 1;
      } else {
        row += dim;
      }
    }
    const at = out + <usize>j;
    store<u8>(at, <u8>i32x4.extract_lane(arg, 0));
    store<u8>(at + outStride, <u8>i32x4.extract_lane(arg, 1));
    store<u8>(at + (outStride << 1), <u8>i32x4.extract_lane(arg, 2));
    store<u8>(at + outStride * 3, <u8>i32x4.extract_lane(arg, 3));
  }
}

/** Weight bytes iomgrp_argmax_batch takes through all its vectors before moving on (stays in L2). */
const BATCH_BLOCK_BYTES: usize = 256 << 10;

/**
 * IoM-GRP of `count` canonical vectors (v: count x dim int16, contiguous; out: count x m):
 * out[e * m + j] is iomgrp_argmax of vector e. The weights go block by block (whole groups of q
 * rows, about BATCH_BLOCK_BYTES) through every vector, so each block is read from memory once
 * per call and from cache after that; the SIMD build takes four vectors per pass over a block.
 */
export function iomgrp_argmax_batch(v: usize, W: usize, dim: usize, m: u32, q: u32, count: u32, out: usize): void {
  const vBytes = dim << 1, groupBytes = <usize>q * dim;
  let groups = <u32>(BATCH_BLOCK_BYTES / groupBytes);
  if (groups == 0) groups = 1;
  for (let j: u32 = 0; j < m; j += groups) {
    const n = min(groups, m - j), block = W + <usize>j * groupBytes;
    let e: u32 = 0;
    if (ASC_FEATURE_SIMD) {
      for (; e + 4 <= count; e += 4) iomgrpArgmax4(v + <usize>e * vBytes, block, dim, n, q, out + <usize>e * <usize>m + <usize>j, <usize>m);
    }
    for (; e < count; e++) iomgrp_argmax(v + <usize>e * vBytes, block, dim, n, q, out + <usize>e * <usize>m + <usize>j);
  }
}

/** Sign projection: bit l of out (LSB first) is 1 exactly when dot(W[l], v) > 0. */
export function sign_project(v: usize, W: usize, dim: usize, bits: u32, out: usize): void {
  let row = W;
  for (let byte: u32 = 0; byte < (bits >> 3); byte++) {
    let acc: u32 = 0;
    for (let b: u32 = 0; b < 8; b++) {
      if (projectRow(row, v, dim) > 0) acc |= <u32>1 << b;
      row += dim;
    }
    store<u8>(out + <usize>byte, <u8>acc);
  }
}

// ---------------------------------------------------------------- material derivation (SPEC.md §3)
// The ChaCha20 keystream of RFC 8439 under a 32-byte stream key, nonce zero, read from block 0 as
// one byte stream, and the samplers over it: centred-binomial weights (IoM-GRP, sign projection)
// and partial Fisher–Yates permutations (IoM-URP). Bit-exact with src/random/ (the JS oracle).
// The SIMD build computes four blocks at once, one per 32-bit lane; it rotates by 16 and 8 with a
// byte shuffle (one instruction) and by 12 and 7 with a shift pair (WASM SIMD has no rotate).

const SIGMA0: u32 = 0x61707865, SIGMA1: u32 = 0x3320646e, SIGMA2: u32 = 0x79622d32, SIGMA3: u32 = 0x6b206574;

// @ts-ignore: decorator
@inline function rotl16(x: v128): v128 { return v128.shuffle<u8>(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13); }
// @ts-ignore: decorator
@inline function rotl8(x: v128): v128 { return v128.shuffle<u8>(x, x, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14); }
// @ts-ignore: decorator
@inline function rotl12(x: v128): v128 { return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20)); }
// @ts-ignore: decorator
@inline function rotl7(x: v128): v128 { return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25)); }

/** Stores words a, b, c, d of four blocks (lane l = block l) at block l's offset 16 * group. */
// @ts-ignore: decorator
@inline function storeTransposed(out: usize, a: v128, b: v128, c: v128, d: v128): void {
  const t0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(c, d, 0, 4, 1, 5), t3 = v128.shuffle<i32>(c, d, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(out, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7), 64);
  v128.store(out, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5), 128);
  v128.store(out, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7), 192);
}

/** One ChaCha20 block (number `block`) of the keystream under the key at `key`: 64 bytes at out. */
function chachaBlock(key: usize, block: u32, out: usize): void {
  const k0 = load<u32>(key), k1 = load<u32>(key, 4), k2 = load<u32>(key, 8), k3 = load<u32>(key, 12);
  const k4 = load<u32>(key, 16), k5 = load<u32>(key, 20), k6 = load<u32>(key, 24), k7 = load<u32>(key, 28);
  let x0 = SIGMA0, x1 = SIGMA1, x2 = SIGMA2, x3 = SIGMA3, x4 = k0, x5 = k1, x6 = k2, x7 = k3;
  let x8 = k4, x9 = k5, x10 = k6, x11 = k7, x12 = block, x13: u32 = 0, x14: u32 = 0, x15: u32 = 0;
  for (let r = 0; r < 10; r++) {
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  store<u32>(out, x0 + SIGMA0); store<u32>(out, x1 + SIGMA1, 4); store<u32>(out, x2 + SIGMA2, 8); store<u32>(out, x3 + SIGMA3, 12);
  store<u32>(out, x4 + k0, 16); store<u32>(out, x5 + k1, 20); store<u32>(out, x6 + k2, 24); store<u32>(out, x7 + k3, 28);
  store<u32>(out, x8 + k4, 32); store<u32>(out, x9 + k5, 36); store<u32>(out, x10 + k6, 40); store<u32>(out, x11 + k7, 44);
  store<u32>(out, x12 + block, 48); store<u32>(out, x13, 52); store<u32>(out, x14, 56); store<u32>(out, x15, 60);
}

/** Keystream blocks block .. block + 3 (256 bytes) at out. */
function keystream4(key: usize, block: u32, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    // Only the 16 state rows stay live across the rounds (x64 has 16 vector registers): the key
    // words and constants are loaded again for the final addition.
    let x0 = i32x4.splat(SIGMA0), x1 = i32x4.splat(SIGMA1), x2 = i32x4.splat(SIGMA2), x3 = i32x4.splat(SIGMA3);
    let x4 = v128.load32_splat(key), x5 = v128.load32_splat(key + 4), x6 = v128.load32_splat(key + 8), x7 = v128.load32_splat(key + 12);
    let x8 = v128.load32_splat(key + 16), x9 = v128.load32_splat(key + 20), x10 = v128.load32_splat(key + 24), x11 = v128.load32_splat(key + 28);
    let x12 = i32x4.add(i32x4.splat(block), i32x4(0, 1, 2, 3)), x13 = i32x4.splat(0), x14 = i32x4.splat(0), x15 = i32x4.splat(0);
    for (let r = 0; r < 10; r++) {
      x0 = i32x4.add(x0, x4); x12 = rotl16(v128.xor(x12, x0)); x8 = i32x4.add(x8, x12); x4 = rotl12(v128.xor(x4, x8));
      x0 = i32x4.add(x0, x4); x12 = rotl8(v128.xor(x12, x0)); x8 = i32x4.add(x8, x12); x4 = rotl7(v128.xor(x4, x8));
      x1 = i32x4.add(x1, x5); x13 = rotl16(v128.xor(x13, x1)); x9 = i32x4.add(x9, x13); x5 = rotl12(v128.xor(x5, x9));
      x1 = i32x4.add(x1, x5); x13 = rotl8(v128.xor(x13, x1)); x9 = i32x4.add(x9, x13); x5 = rotl7(v128.xor(x5, x9));
      x2 = i32x4.add(x2, x6); x14 = rotl16(v128.xor(x14, x2)); x10 = i32x4.add(x10, x14); x6 = rotl12(v128.xor(x6, x10));
      x2 = i32x4.add(x2, x6); x14 = rotl8(v128.xor(x14, x2)); x10 = i32x4.add(x10, x14); x6 = rotl7(v128.xor(x6, x10));
      x3 = i32x4.add(x3, x7); x15 = rotl16(v128.xor(x15, x3)); x11 = i32x4.add(x11, x15); x7 = rotl12(v128.xor(x7, x11));
      x3 = i32x4.add(x3, x7); x15 = rotl8(v128.xor(x15, x3)); x11 = i32x4.add(x11, x15); x7 = rotl7(v128.xor(x7, x11));
      x0 = i32x4.add(x0, x5); x15 = rotl16(v128.xor(x15, x0)); x10 = i32x4.add(x10, x15); x5 = rotl12(v128.xor(x5, x10));
      x0 = i32x4.add(x0, x5); x15 = rotl8(v128.xor(x15, x0)); x10 = i32x4.add(x10, x15); x5 = rotl7(v128.xor(x5, x10));
      x1 = i32x4.add(x1, x6); x12 = rotl16(v128.xor(x12, x1)); x11 = i32x4.add(x11, x12); x6 = rotl12(v128.xor(x6, x11));
      x1 = i32x4.add(x1, x6); x12 = rotl8(v128.xor(x12, x1)); x11 = i32x4.add(x11, x12); x6 = rotl7(v128.xor(x6, x11));
      x2 = i32x4.add(x2, x7); x13 = rotl16(v128.xor(x13, x2)); x8 = i32x4.add(x8, x13); x7 = rotl12(v128.xor(x7, x8));
      x2 = i32x4.add(x2, x7); x13 = rotl8(v128.xor(x13, x2)); x8 = i32x4.add(x8, x13); x7 = rotl7(v128.xor(x7, x8));
      x3 = i32x4.add(x3, x4); x14 = rotl16(v128.xor(x14, x3)); x9 = i32x4.add(x9, x14); x4 = rotl12(v128.xor(x4, x9));
      x3 = i32x4.add(x3, x4); x14 = rotl8(v128.xor(x14, x3)); x9 = i32x4.add(x9, x14); x4 = rotl7(v128.xor(x4, x9));
    }
    storeTransposed(out, i32x4.add(x0, i32x4.splat(SIGMA0)), i32x4.add(x1, i32x4.splat(SIGMA1)), i32x4.add(x2, i32x4.splat(SIGMA2)), i32x4.add(x3, i32x4.splat(SIGMA3)));
    storeTransposed(out + 16, i32x4.add(x4, v128.load32_splat(key)), i32x4.add(x5, v128.load32_splat(key + 4)), i32x4.add(x6, v128.load32_splat(key + 8)), i32x4.add(x7, v128.load32_splat(key + 12)));
    storeTransposed(out + 32, i32x4.add(x8, v128.load32_splat(key + 16)), i32x4.add(x9, v128.load32_splat(key + 20)), i32x4.add(x10, v128.load32_splat(key + 24)), i32x4.add(x11, v128.load32_splat(key + 28)));
    storeTransposed(out + 48, i32x4.add(x12, i32x4.add(i32x4.splat(block), i32x4(0, 1, 2, 3))), x13, x14, x15);
  } else {
    for (let b: u32 = 0; b < 4; b++) chachaBlock(key, block + b, out + (<usize>b << 6));
  }
}

/** n centred-binomial weights from the keystream bytes at src (2n bytes) to dst. */
// @ts-ignore: decorator
@inline function toWeights(src: usize, dst: usize, n: usize): void {
  let t: usize = 0;
  if (ASC_FEATURE_SIMD) {
    // Per 16-bit lane (byte 2t low, byte 2t + 1 high): popcount(low) - popcount(high).
    const low = i16x8.splat(0xff);
    for (; t + 16 <= n; t += 16) {
      const p0 = i8x16.popcnt(v128.load(src + (t << 1))), p1 = i8x16.popcnt(v128.load(src + (t << 1), 16));
      const w0 = i16x8.sub(v128.and(p0, low), i16x8.shr_u(p0, 8)), w1 = i16x8.sub(v128.and(p1, low), i16x8.shr_u(p1, 8));
      v128.store(dst + t, i8x16.narrow_i16x8_s(w0, w1));
    }
  } else {
    for (; t + 2 <= n; t += 2) {
      const x = load<u32>(src + (t << 1));
      store<i8>(dst + t, <i8>(<i32>popcnt<u32>(x & 0xff) - <i32>popcnt<u32>((x >> 8) & 0xff)));
      store<i8>(dst + t, <i8>(<i32>popcnt<u32>((x >> 16) & 0xff) - <i32>popcnt<u32>(x >> 24)), 1);
    }
  }
  for (; t < n; t++) store<i8>(dst + t, <i8>(<i32>popcnt<u32>(load<u8>(src + (t << 1))) - <i32>popcnt<u32>(load<u8>(src + (t << 1), 1))));
}

/**
 * Weights first .. first + count - 1 of binomial_weights over the keystream of the key at `key`
 * (SPEC.md §3.5: weight t from keystream bytes 2t and 2t + 1), as int8 at out; scratch: 256 bytes.
 */
export function binomial_weights(key: usize, first: u32, count: u32, out: usize, scratch: usize): void {
  const pos = <u64>first << 1;
  let block = <u32>(pos >> 8) << 2;
  let skip = <usize>(pos & 255);
  let done: u32 = 0;
  while (done < count) {
    keystream4(key, block, scratch);
    block += 4;
    const n = min(<u32>((256 - skip) >> 1), count - done);
    toWeights(scratch + skip, out + <usize>done, <usize>n);
    done += n;
    skip = 0;
  }
}

/**
 * IoM-URP material (SPEC.md §3.3, §3.4, §4.2): `count` partial permutations of [0, n), k entries
 * each, drawn one after another from the keystream of the key at `key` (read from byte 0), as
 * u16 at out (permutation r at out + 2 * r * k). scratch: 256 + 2 * k + 2 * n bytes.
 */
export function partial_permutations(key: usize, n: u32, k: u32, count: u32, out: usize, scratch: usize): void {
  const buf = scratch, swaps = scratch + 256, a = swaps + (<usize>k << 1);
  for (let i: u32 = 0; i < n; i++) store<u16>(a + (<usize>i << 1), <u16>i);
  let block: u32 = 0, pos: usize = 256;
  for (let r: u32 = 0; r < count; r++) {
    const row = out + ((<usize>r * <usize>k) << 1);
    for (let i: u32 = 0; i < k; i++) {
      const range = n - i;
      const limit: u64 = 0x1_0000_0000 - (0x1_0000_0000 % <u64>range);
      let x: u32;
      do {
        if (pos == 256) { keystream4(key, block, buf); block += 4; pos = 0; }
        x = load<u32>(buf + pos);
        pos += 4;
      } while (<u64>x >= limit);
      const j = i + x % range;
      const ai = a + (<usize>i << 1), aj = a + (<usize>j << 1);
      const t = load<u16>(aj);
      store<u16>(aj, load<u16>(ai));
      store<u16>(ai, t);
      store<u16>(row + (<usize>i << 1), t);
      store<u16>(swaps + (<usize>i << 1), <u16>j);
    }
    // Undo the swaps, last first: a is the identity again for the next permutation.
    for (let i = <i32>k - 1; i >= 0; i--) {
      const ai = a + (<usize>i << 1), aj = a + (<usize>load<u16>(swaps + (<usize>i << 1)) << 1);
      const t = load<u16>(aj);
      store<u16>(aj, load<u16>(ai));
      store<u16>(ai, t);
    }
  }
}

/**
 * iomgrp_argmax with the weights derived as they are used (the keyed form of the transform): the
 * q rows of hash j are binomial_weights j * q * dim .. (j + 1) * q * dim - 1 of the key at `key`,
 * derived into scratch + 256 and projected there, so the m * q * dim matrix is never held.
 * scratch: 256 + q * dim bytes.
 */
export function iomgrp_argmax_keyed(key: usize, v: usize, dim: usize, m: u32, q: u32, out: usize, scratch: usize): void {
  const W = scratch + 256, group = q * <u32>dim;
  for (let j: u32 = 0; j < m; j++) {
    binomial_weights(key, j * group, group, W, scratch);
    iomgrp_argmax(v, W, dim, 1, q, out + <usize>j);
  }
}
