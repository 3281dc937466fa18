/* Top-k selection shared by the native 1:N scans: the k largest scores, ties won by the lower
 * index, kept sorted (score descending, index ascending) -- the same rule as the JS baselines. */
#ifndef TEMPLOCK_TOPK_H
#define TEMPLOCK_TOPK_H
#include <stdint.h>

typedef struct {
  int32_t k, filled;
  int32_t *ids;
  double *scores;
} topk_t;

static inline void topk_init(topk_t *t, int32_t k, int32_t *ids, double *scores) {
  t->k = k;
  t->filled = 0;
  t->ids = ids;
  t->scores = scores;
}

/* True when `score` would enter the list (cheap test kept inline in the scan loops). */
static inline int topk_admits(const topk_t *t, double score) {
  return t->filled < t->k || score > t->scores[t->k - 1];
}

static inline void topk_insert(topk_t *t, int32_t id, double score) {
  int32_t pos = t->filled < t->k ? t->filled++ : t->k - 1;
  while (pos > 0 && t->scores[pos - 1] < score) {
    t->ids[pos] = t->ids[pos - 1];
    t->scores[pos] = t->scores[pos - 1];
    pos--;
  }
  t->ids[pos] = id;
  t->scores[pos] = score;
}

static inline void topk_offer(topk_t *t, int32_t id, double score) {
  if (topk_admits(t, score)) topk_insert(t, id, score);
}

#endif
