/* dot_i8 ceiling: out[i] = exact int32 dot product of the probe and row i (int8 values). The
 * probe is widened to int16 once, so each row is one sign extension and a 16-bit multiply-add
 * per lane pair (what gcc and clang vectorise best; int8 x int8 straight to int32 is 2x slower). */
#include "kernels.h"

#define DIM_MAX 4096

static inline int32_t dot(const int8_t *a, const int16_t *p16, int32_t dim) {
  int32_t s = 0;
  for (int32_t j = 0; j < dim; j++) s += (int16_t)a[j] * p16[j];
  return s;
}

void dot_i8_scan(const int8_t *gallery, const int8_t *probe, int32_t count, int32_t dim, int32_t *out) {
  int16_t p16[DIM_MAX];
  for (int32_t j = 0; j < dim; j++) p16[j] = probe[j];
  for (int32_t i = 0; i < count; i++)
    out[i] = dim == 512 ? dot(gallery + (size_t)i * 512, p16, 512) : dot(gallery + (size_t)i * dim, p16, dim);
}
