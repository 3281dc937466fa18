/* dot_i8 ceiling: int8 vectors, exact int32 dot product. */
#include "kernels.h"
#include "topk.h"

static inline int32_t dot(const int8_t *a, const int8_t *b, int32_t dim) {
  int32_t s = 0;
  for (int32_t j = 0; j < dim; j++) s += (int32_t)a[j] * (int32_t)b[j];
  return s;
}

int32_t dot_i8_topk(const int8_t *gallery, const int8_t *probe, int32_t count, int32_t dim,
                    int32_t k, int32_t *ids, double *scores) {
  topk_t t;
  topk_init(&t, k, ids, scores);
  for (int32_t i = 0; i < count; i++) {
    const double s = dim == 512 ? dot(gallery + (size_t)i * 512, probe, 512)
                                : dot(gallery + (size_t)i * dim, probe, dim);
    if (topk_admits(&t, s)) topk_insert(&t, i, s);
  }
  return t.filled;
}
