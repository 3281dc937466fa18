// Streaming-read baseline in plain JS: the float64 sum of bench/native/read_bandwidth.c, eight
// independent accumulators so the loop waits on memory rather than on one addition chain.

export function read_f64(buf: Float64Array): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  const n = buf.length - (buf.length % 8);
  for (let i = 0; i < n; i += 8) {
    a0 += buf[i]!; a1 += buf[i + 1]!; a2 += buf[i + 2]!; a3 += buf[i + 3]!;
    a4 += buf[i + 4]!; a5 += buf[i + 5]!; a6 += buf[i + 6]!; a7 += buf[i + 7]!;
  }
  for (let i = n; i < buf.length; i++) a0 += buf[i]!;
  return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
