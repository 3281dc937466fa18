/* IoM-GRP ceiling (SPEC.md section 2 and 4.1): canonicalise each float32 embedding (float64,
 * left-to-right sum of squares, x 2^14, round half to even; built with -ffp-contract=off so no
 * fused multiply-add changes a bit), then m x q integer projections and the first argmax. */
#include <math.h>
#include "kernels.h"

#define DIM_MAX 4096

static void canonicalise(const float *x, int32_t dim, int16_t *v) {
  double s = 0;
  for (int32_t i = 0; i < dim; i++) s += (double)x[i] * (double)x[i];
  const double n = sqrt(s);
  for (int32_t i = 0; i < dim; i++) v[i] = (int16_t)nearbyint(((double)x[i] / n) * 16384.0);
}

static inline int32_t project(const int8_t *w, const int16_t *v, int32_t dim) {
  int32_t s = 0;
  for (int32_t i = 0; i < dim; i++) s += (int32_t)w[i] * (int32_t)v[i];
  return s;
}

void iom_grp_protect(const float *embeddings, int32_t n, int32_t dim, const int8_t *W, int32_t m,
                     int32_t q, uint8_t *out) {
  int16_t v[DIM_MAX];
  for (int32_t e = 0; e < n; e++) {
    canonicalise(embeddings + (size_t)e * dim, dim, v);
    for (int32_t j = 0; j < m; j++) {
      const int8_t *rows = W + (size_t)j * q * dim;
      int32_t best = dim == 512 ? project(rows, v, 512) : project(rows, v, dim), arg = 0;
      for (int32_t t = 1; t < q; t++) {
        const int32_t s = dim == 512 ? project(rows + (size_t)t * 512, v, 512) : project(rows + (size_t)t * dim, v, dim);
        if (s > best) {
          best = s;
          arg = t;
        }
      }
      out[(size_t)e * m + j] = (uint8_t)arg;
    }
  }
}
