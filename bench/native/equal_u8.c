/* equal_u8 ceiling (IoM): templates are m index bytes; similarity = number of equal indices,
 * counted in 64 byte lanes (at most m / 64 <= 64 per lane) and summed once per row. */
#include "kernels.h"
#include "topk.h"

#define LANES 64

static inline int32_t equal_count(const uint8_t *a, const uint8_t *b, int32_t m) {
  uint8_t lanes[LANES] = {0};
  int32_t j = 0, e = 0;
  for (; j + LANES <= m; j += LANES)
    for (int l = 0; l < LANES; l++) lanes[l] += a[j + l] == b[j + l];
  for (int l = 0; l < LANES; l++) e += lanes[l];
  for (; j < m; j++) e += a[j] == b[j];
  return e;
}

int32_t equal_u8_topk(const uint8_t *gallery, const uint8_t *probe, int32_t count, int32_t m,
                      int32_t k, int32_t *ids, double *scores) {
  topk_t t;
  topk_init(&t, k, ids, scores);
  for (int32_t i = 0; i < count; i++) {
    const double s = m == 512 ? equal_count(gallery + (size_t)i * 512, probe, 512)
                              : equal_count(gallery + (size_t)i * m, probe, m);
    if (topk_admits(&t, s)) topk_insert(&t, i, s);
  }
  return t.filled;
}
