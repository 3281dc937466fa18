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

/* NAME(W, v, dim, m, q, out): the m argmax hashes of the canonical vector v, the projections
 * vectorised by the compiler at its preferred width for -march=native or under ATTR. */
#define DEFINE_HASHES(NAME, ATTR)                                                                  \
  ATTR static inline int32_t NAME##_project(const int8_t *w, const int16_t *v, int32_t dim) {      \
    int32_t s = 0;                                                                                 \
    for (int32_t i = 0; i < dim; i++) s += (int32_t)w[i] * (int32_t)v[i];                          \
    return s;                                                                                      \
  }                                                                                                \
  ATTR __attribute__((noinline)) static void NAME(const int8_t *W, const int16_t *v, int32_t dim,  \
                                                  int32_t m, int32_t q, uint8_t *out) {            \
    for (int32_t j = 0; j < m; j++) {                                                              \
      const int8_t *rows = W + (size_t)j * q * dim;                                                \
      int32_t best = dim == 512 ? NAME##_project(rows, v, 512) : NAME##_project(rows, v, dim);     \
      int32_t arg = 0;                                                                             \
      for (int32_t t = 1; t < q; t++) {                                                            \
        const int8_t *r = rows + (size_t)t * dim;                                                  \
        const int32_t s = dim == 512 ? NAME##_project(r, v, 512) : NAME##_project(r, v, dim);      \
        if (s > best) {                                                                            \
          best = s;                                                                                \
          arg = t;                                                                                 \
        }                                                                                          \
      }                                                                                            \
      out[j] = (uint8_t)arg;                                                                       \
    }                                                                                              \
  }

DEFINE_HASHES(hashes, )
/* The same at WASM SIMD's width: 128-bit vectors (on x86 with AVX-512 VNNI still its fused
 * multiply-add of int16 pairs, which WASM SIMD does as a dot and an add). */
DEFINE_HASHES(hashes_128, __attribute__((target("prefer-vector-width=128"))))

void iom_grp_protect(const float *embeddings, int32_t n, int32_t dim, const int8_t *W, int32_t m,
                     int32_t q, uint8_t *out, int32_t narrow) {
  int16_t v[DIM_MAX];
  for (int32_t e = 0; e < n; e++) {
    canonicalise(embeddings + (size_t)e * dim, dim, v);
    if (narrow) hashes_128(W, v, dim, m, q, out + (size_t)e * m);
    else hashes(W, v, dim, m, q, out + (size_t)e * m);
  }
}
