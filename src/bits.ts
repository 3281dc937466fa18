// Bit-counting table shared by the samplers and the Hamming score.

/** POPCOUNT8[b] = number of set bits in the byte b. */
export const POPCOUNT8: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();
