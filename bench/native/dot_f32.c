/* dot_f32 ceiling: out[i] = float32 dot product of the probe and row i in the kernels' fixed
 * order (README "Matching": 16 strided float32 partial sums, then a fixed tree), which gcc and
 * clang vectorise as is; with -ffp-contract=off every step rounds to float32 like WASM does. */
#include "kernels.h"

#define LANES 16

static inline float dot(const float *a, const float *b, int32_t n) {
  float acc[LANES] = {0};
  const int32_t body = n - n % LANES;
  for (int32_t i = 0; i < body; i += LANES)
    for (int l = 0; l < LANES; l++) acc[l] += a[i + l] * b[i + l];
  float s[4];
  for (int l = 0; l < 4; l++) s[l] = (acc[l] + acc[4 + l]) + (acc[8 + l] + acc[12 + l]);
  const float r = (s[0] + s[1]) + (s[2] + s[3]);
  float t = 0;
  for (int32_t i = body; i < n; i++) t += a[i] * b[i];
  return r + t;
}

void dot_f32_scan(const float *gallery, const float *probe, int32_t count, int32_t dim, float *out) {
  for (int32_t i = 0; i < count; i++)
    out[i] = dim == 512 ? dot(gallery + (size_t)i * 512, probe, 512) : dot(gallery + (size_t)i * dim, probe, dim);
}
