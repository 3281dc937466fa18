/* dot_i8 ceiling: out[i] = exact int32 dot product of the probe and row i (int8 values). */
#include "kernels.h"

static inline int32_t dot(const int8_t *a, const int8_t *b, int32_t dim) {
  int32_t s = 0;
  for (int32_t j = 0; j < dim; j++) s += (int32_t)a[j] * (int32_t)b[j];
  return s;
}

void dot_i8_scan(const int8_t *gallery, const int8_t *probe, int32_t count, int32_t dim, int32_t *out) {
  for (int32_t i = 0; i < count; i++)
    out[i] = dim == 512 ? dot(gallery + (size_t)i * 512, probe, 512) : dot(gallery + (size_t)i * dim, probe, dim);
}
