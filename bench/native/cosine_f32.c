/* cosine_f32 ceiling: dot and squared norm in 16 float32 lanes per row (vectorisable without
 * reassociation flags), lanes summed in float64, cosine = dot / sqrt(|probe|^2 |row|^2). */
#include <math.h>
#include "kernels.h"
#include "topk.h"

#define LANES 16

static inline void dot_norm(const float *a, const float *b, int32_t dim, double *dot, double *norm_a) {
  float d[LANES] = {0}, n[LANES] = {0};
  int32_t j = 0;
  for (; j + LANES <= dim; j += LANES)
    for (int l = 0; l < LANES; l++) {
      d[l] += a[j + l] * b[j + l];
      n[l] += a[j + l] * a[j + l];
    }
  double sd = 0, sn = 0;
  for (; j < dim; j++) {
    sd += (double)a[j] * b[j];
    sn += (double)a[j] * a[j];
  }
  for (int l = 0; l < LANES; l++) {
    sd += d[l];
    sn += n[l];
  }
  *dot = sd;
  *norm_a = sn;
}

int32_t cosine_f32_topk(const float *gallery, const float *probe, int32_t count, int32_t dim,
                        int32_t k, int32_t *ids, double *scores) {
  double unused, probe_norm;
  dot_norm(probe, probe, dim, &unused, &probe_norm);
  topk_t t;
  topk_init(&t, k, ids, scores);
  for (int32_t i = 0; i < count; i++) {
    double d, n;
    if (dim == 512) dot_norm(gallery + (size_t)i * 512, probe, 512, &d, &n);
    else dot_norm(gallery + (size_t)i * dim, probe, dim, &d, &n);
    const double s = n > 0 ? d / sqrt(probe_norm * n) : 0;
    if (topk_admits(&t, s)) topk_insert(&t, i, s);
  }
  return t.filled;
}
