/* hamming_u1 ceiling: packed-bit templates, similarity = bits - popcount(probe XOR row), 1:N
 * top-k on one thread or split over pthreads, and a single 1:1 compare. */
#include <pthread.h>
#include <stdlib.h>
#include "kernels.h"
#include "topk.h"

static inline int32_t distance(const uint64_t *a, const uint64_t *b, int32_t words64) {
  int32_t h = 0;
  for (int32_t j = 0; j < words64; j++) h += __builtin_popcountll(a[j] ^ b[j]);
  return h;
}

static inline void scan(const uint64_t *gallery, const uint64_t *probe, int32_t from, int32_t to,
                        int32_t words64, topk_t *t) {
  const double bits = 64.0 * words64;
  for (int32_t i = from; i < to; i++) {
    const double s = bits - distance(gallery + (size_t)i * words64, probe, words64);
    if (topk_admits(t, s)) topk_insert(t, i, s);
  }
}

static void scan_range(const uint64_t *gallery, const uint64_t *probe, int32_t from, int32_t to,
                       int32_t words64, topk_t *t) {
  if (words64 == 8) scan(gallery, probe, from, to, 8, t); /* 512-bit templates: constant trip count */
  else scan(gallery, probe, from, to, words64, t);
}

int32_t hamming_u1_topk(const uint64_t *gallery, const uint64_t *probe, int32_t count, int32_t words64,
                        int32_t k, int32_t *ids, double *scores) {
  topk_t t;
  topk_init(&t, k, ids, scores);
  scan_range(gallery, probe, 0, count, words64, &t);
  return t.filled;
}

typedef struct {
  const uint64_t *gallery, *probe;
  int32_t from, to, words64;
  topk_t top;
} shard_t;

static void *run_shard(void *arg) {
  shard_t *s = arg;
  scan_range(s->gallery, s->probe, s->from, s->to, s->words64, &s->top);
  return NULL;
}

int32_t hamming_u1_topk_threads(const uint64_t *gallery, const uint64_t *probe, int32_t count, int32_t words64,
                                int32_t k, int32_t *ids, double *scores, int32_t threads) {
  shard_t *shards = calloc((size_t)threads, sizeof(shard_t));
  int32_t *shard_ids = malloc(sizeof(int32_t) * (size_t)k * (size_t)threads);
  double *shard_scores = malloc(sizeof(double) * (size_t)k * (size_t)threads);
  pthread_t *tids = malloc(sizeof(pthread_t) * (size_t)threads);
  for (int32_t s = 0; s < threads; s++) {
    shards[s] = (shard_t){gallery, probe, (int32_t)((int64_t)count * s / threads),
                          (int32_t)((int64_t)count * (s + 1) / threads), words64, {0}};
    topk_init(&shards[s].top, k, shard_ids + (size_t)s * k, shard_scores + (size_t)s * k);
    if (s > 0) pthread_create(&tids[s], NULL, run_shard, &shards[s]);
  }
  run_shard(&shards[0]);
  for (int32_t s = 1; s < threads; s++) pthread_join(tids[s], NULL);
  topk_t t;
  topk_init(&t, k, ids, scores);
  /* Shards hold increasing index ranges, so offering them in order keeps the lower-index tie rule. */
  for (int32_t s = 0; s < threads; s++)
    for (int32_t i = 0; i < shards[s].top.filled; i++) topk_offer(&t, shards[s].top.ids[i], shards[s].top.scores[i]);
  free(tids);
  free(shard_scores);
  free(shard_ids);
  free(shards);
  return t.filled;
}

int32_t hamming_u1_pair(const uint64_t *a, const uint64_t *b, int32_t words64, int32_t reps) {
  int32_t h = 0;
  for (int32_t r = 0; r < reps; r++) {
    __asm__ volatile("" : : "r"(a), "r"(b) : "memory"); /* reload the templates every repetition */
    h = distance(a, b, words64);
  }
  return h;
}
