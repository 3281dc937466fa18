/* Material derivation ceiling (SPEC.md section 3): the ChaCha20 keystream of RFC 8439 (nonce
 * zero, block counter from 0) with eight blocks computed at once, one per lane of a 256-bit
 * generic vector (AVX2 / AVX-512VL with -march=native, two 128-bit halves elsewhere) or, for
 * comparison with WASM SIMD, four per 128-bit vector; and the same samplers as the WASM kernels: centred-binomial weights by a SWAR popcount that the compiler
 * vectorises, and partial Fisher-Yates permutations that undo their swaps instead of
 * re-initialising the n-entry array. */
#include <string.h>
#include "kernels.h"

#define BUF_BLOCKS 64

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                                                           \
  a += b; d = ROTL(d ^ a, 16); c += d; b = ROTL(b ^ c, 12);                      \
  a += b; d = ROTL(d ^ a, 8); c += d; b = ROTL(b ^ c, 7);

/* NAME(key, block, out): keystream blocks block .. block + LANES - 1 (64 * LANES bytes) at out,
 * one block per lane of a LANES x 32-bit generic vector. */
#define DEFINE_CHACHA(NAME, LANES)                                                                  \
  typedef uint32_t NAME##_v __attribute__((vector_size(4 * LANES)));                               \
  static void NAME(const uint32_t key[8], uint32_t block, uint8_t *out) {                          \
    static const uint32_t sigma[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};           \
    NAME##_v s[16], x[16];                                                                         \
    for (int i = 0; i < 4; i++) s[i] = (NAME##_v){0} + sigma[i];                                   \
    for (int i = 0; i < 8; i++) s[4 + i] = (NAME##_v){0} + key[i];                                 \
    for (int l = 0; l < LANES; l++) s[12][l] = block + (uint32_t)l;                                \
    s[13] = s[14] = s[15] = (NAME##_v){0};                                                         \
    memcpy(x, s, sizeof x);                                                                        \
    for (int r = 0; r < 10; r++) {                                                                 \
      QR(x[0], x[4], x[8], x[12]) QR(x[1], x[5], x[9], x[13]) QR(x[2], x[6], x[10], x[14])         \
      QR(x[3], x[7], x[11], x[15]) QR(x[0], x[5], x[10], x[15]) QR(x[1], x[6], x[11], x[12])       \
      QR(x[2], x[7], x[8], x[13]) QR(x[3], x[4], x[9], x[14])                                      \
    }                                                                                              \
    uint32_t words[LANES * 16];                                                                    \
    for (int i = 0; i < 16; i++) {                                                                 \
      const NAME##_v v = x[i] + s[i];                                                              \
      for (int l = 0; l < LANES; l++) words[l * 16 + i] = v[l];                                    \
    }                                                                                              \
    memcpy(out, words, sizeof words); /* little-endian hosts: word order is byte order */          \
  }

DEFINE_CHACHA(chacha_x8, 8)
DEFINE_CHACHA(chacha_x4, 4)

static void load_key(const uint8_t *key, uint32_t k[8]) { memcpy(k, key, 32); }

void binomial_weights(const uint8_t *key, int32_t count, int8_t *out, int32_t lanes) {
  uint32_t k[8];
  load_key(key, k);
  uint8_t buf[64 * BUF_BLOCKS];
  uint32_t block = 0;
  for (int32_t done = 0; done < count;) {
    for (int b = 0; b < BUF_BLOCKS; b += lanes) (lanes == 4 ? chacha_x4 : chacha_x8)(k, block + (uint32_t)b, buf + 64 * b);
    block += BUF_BLOCKS;
    int32_t n = count - done < 32 * BUF_BLOCKS ? count - done : 32 * BUF_BLOCKS;
    uint16_t h[32 * BUF_BLOCKS];
    memcpy(h, buf, sizeof h);
    for (int32_t t = 0; t < n; t++) {
      uint16_t x = h[t]; /* byte 2t low, byte 2t + 1 high: popcount of each byte, SWAR */
      x = (uint16_t)(x - ((x >> 1) & 0x5555));
      x = (uint16_t)((x & 0x3333) + ((x >> 2) & 0x3333));
      x = (uint16_t)((x + (x >> 4)) & 0x0f0f);
      out[done + t] = (int8_t)((int)(x & 0xff) - (int)(x >> 8));
    }
    done += n;
  }
  memset(buf, 0, sizeof buf);
}

void partial_permutations(const uint8_t *key, int32_t n, int32_t k, int32_t count, uint16_t *out) {
  uint32_t kw[8];
  load_key(key, kw);
  uint32_t buf[16 * BUF_BLOCKS];
  uint16_t a[4096], swaps[256];
  for (int32_t i = 0; i < n; i++) a[i] = (uint16_t)i;
  uint32_t block = 0;
  int32_t pos = 16 * BUF_BLOCKS;
  for (int32_t r = 0; r < count; r++) {
    uint16_t *row = out + (size_t)r * k;
    for (int32_t i = 0; i < k; i++) {
      const uint32_t range = (uint32_t)(n - i);
      const uint64_t limit = 0x100000000ull - (0x100000000ull % range);
      uint32_t x;
      do {
        if (pos == 16 * BUF_BLOCKS) {
          for (int b = 0; b < BUF_BLOCKS; b += 8) chacha_x8(kw, block + (uint32_t)b, (uint8_t *)buf + 64 * b);
          block += BUF_BLOCKS;
          pos = 0;
        }
        x = buf[pos++];
      } while (x >= limit);
      const int32_t j = i + (int32_t)(x % range);
      const uint16_t t = a[j];
      a[j] = a[i];
      a[i] = t;
      row[i] = t;
      swaps[i] = (uint16_t)j;
    }
    for (int32_t i = k - 1; i >= 0; i--) {
      const uint16_t t = a[swaps[i]];
      a[swaps[i]] = a[i];
      a[i] = t;
    }
  }
  memset(buf, 0, sizeof buf);
}
