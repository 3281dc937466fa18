/* dot_f32 ceiling: out[i] = float32 dot product of the probe and row i in the kernels' fixed
 * order (README "Matching": 16 strided float32 partial sums acc[i mod 16], then a fixed tree),
 * held as four 4-lane vectors (GCC/clang vector extensions) so four independent addition chains
 * are in flight; with -ffp-contract=off every step rounds to float32 as in WASM and JS. */
#include <string.h>
#include "kernels.h"

typedef float v4f __attribute__((vector_size(16)));

static inline v4f load4(const float *p) {
  v4f v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline float dot(const float *a, const float *b, int32_t n) {
  v4f acc0 = {0}, acc1 = {0}, acc2 = {0}, acc3 = {0};
  const int32_t body = n - n % 16;
  for (int32_t i = 0; i < body; i += 16) {
    acc0 += load4(a + i) * load4(b + i);
    acc1 += load4(a + i + 4) * load4(b + i + 4);
    acc2 += load4(a + i + 8) * load4(b + i + 8);
    acc3 += load4(a + i + 12) * load4(b + i + 12);
  }
  /* s[l] = (acc[l] + acc[4+l]) + (acc[8+l] + acc[12+l]); r = (s0 + s1) + (s2 + s3) */
  const v4f s = (acc0 + acc1) + (acc2 + acc3);
  const float r = (s[0] + s[1]) + (s[2] + s[3]);
  float t = 0;
  for (int32_t i = body; i < n; i++) t += a[i] * b[i];
  return r + t;
}

void dot_f32_scan(const float *gallery, const float *probe, int32_t count, int32_t dim, float *out) {
  for (int32_t i = 0; i < count; i++)
    out[i] = dim == 512 ? dot(gallery + (size_t)i * 512, probe, 512) : dot(gallery + (size_t)i * dim, probe, dim);
}
