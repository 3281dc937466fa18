/* The native ceiling kernels called by addon.c. Galleries are row-major, `count` rows; top-k
 * results go to ids[k] and scores[k] (see topk.h) and the number filled is returned; scans
 * write one score per row to out[count]. */
#ifndef TEMPLOCK_KERNELS_H
#define TEMPLOCK_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Sum of the float64 values of buf (integers in the bench, so any order is exact). */
double read_f64(const double *buf, size_t n);

/* Similarity = bits - Hamming distance between the probe and each row of `words64` u64 words. */
int32_t hamming_u1_topk(const uint64_t *gallery, const uint64_t *probe, int32_t count, int32_t words64,
                        int32_t k, int32_t *ids, double *scores);
/* The same scan split over `threads` pthreads, shards merged in index order. */
int32_t hamming_u1_topk_threads(const uint64_t *gallery, const uint64_t *probe, int32_t count, int32_t words64,
                                int32_t k, int32_t *ids, double *scores, int32_t threads);
/* Hamming distance of two templates, computed `reps` times (for timing a single 1:1 compare). */
int32_t hamming_u1_pair(const uint64_t *a, const uint64_t *b, int32_t words64, int32_t reps);

/* Number of equal bytes (IoM indices) between the probe and each row of m bytes. */
int32_t equal_u8_topk(const uint8_t *gallery, const uint8_t *probe, int32_t count, int32_t m,
                      int32_t k, int32_t *ids, double *scores);

/* out[i] = exact dot product of the probe and row i of dim int8 values. */
void dot_i8_scan(const int8_t *gallery, const int8_t *probe, int32_t count, int32_t dim, int32_t *out);

/* out[i] = float32 dot product of the probe and row i of dim float32 values (the cosine scan of
 * unit rows), in the fixed summation order of the WASM and JS kernels. */
void dot_f32_scan(const float *gallery, const float *probe, int32_t count, int32_t dim, float *out);

/* IoM-GRP of n embeddings (SPEC.md section 2 canonicalisation, section 4.1 projection and argmax)
 * with the m*q*dim weight matrix W already derived; out[i*m + j] = hash j of embedding i. The
 * projections use the compiler's preferred vector width, or 128-bit vectors (WASM SIMD's width)
 * when `narrow` is non-zero. */
void iom_grp_protect(const float *embeddings, int32_t n, int32_t dim, const int8_t *W, int32_t m,
                     int32_t q, uint8_t *out, int32_t narrow);

/* Material (SPEC.md section 3.5): `count` centred-binomial weights from the start of the ChaCha20
 * keystream under the 32-byte stream key `key`, computing `lanes` (8: 256-bit vectors, or 4:
 * 128-bit as WASM SIMD) blocks at once. */
void binomial_weights(const uint8_t *key, int32_t count, int8_t *out, int32_t lanes);
/* Material (SPEC.md sections 3.3, 3.4, 4.2): `count` partial permutations of [0, n), k entries
 * each (n <= 4096, k <= 256), from the start of the keystream; permutation r at out + r * k. */
void partial_permutations(const uint8_t *key, int32_t n, int32_t k, int32_t count, uint16_t *out);

/* 1:N key release (SPEC.md section 4.5): `count` templates of helper bits in codeword order
 * (ceil(n r / 8) bytes each) voted over the probe's projections proj[n r], BCH(n = 2^m - 1, t)
 * decoded; the rows that decode go to out; returns their number. */
int32_t bound_scan(const uint8_t *helpers, const int32_t *proj, int32_t count, int32_t m, int32_t t, int32_t r, int32_t *out);

#endif
