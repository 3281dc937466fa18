/* Native ceiling of the 1:N key release (SPEC.md section 4.5; the key-binding bench suite): for
 * each template of one salt epoch, the soft vote of its helper bits (codeword order) over the
 * probe's projections, then bounded-distance BCH decoding with the algorithms of the JS core:
 * syndromes by minimal-polynomial remainders a byte at a time, binary Berlekamp-Massey over the
 * odd steps, the error locator's values at every field element by decimation, and the final
 * syndrome check. The rows that decode are written to out; their number is returned. */
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#define N_MAX 1023
#define T_MAX 511

static const int32_t PRIMITIVE[11] = {0, 0, 0, 0, 0, 0, 0x43, 0x89, 0x11d, 0x211, 0x409};

typedef struct {
  int32_t m, n, t;
  uint16_t exp[4 * N_MAX + 4]; /* alpha^i for i < 2n, then zeros: exp[log a + log b] without a zero test */
  uint16_t log[N_MAX + 1];     /* log[0] = 2n */
  int32_t cosets;
  uint8_t degree[N_MAX];
  uint32_t reduce[N_MAX][256];
  int32_t start[N_MAX + 1], members[T_MAX + 1];
  uint16_t powers[T_MAX + 1][10];
  int32_t factors[8], nfactors;
} code_t;

static code_t *cached;

static code_t *code_of(int32_t m, int32_t t) {
  if (cached && cached->m == m && cached->t == t) return cached;
  free(cached);
  code_t *c = calloc(1, sizeof(code_t));
  int32_t n = (1 << m) - 1, x = 1;
  c->m = m; c->n = n; c->t = t;
  for (int32_t i = 0; i < n; i++) {
    c->exp[i] = c->exp[i + n] = (uint16_t)x;
    c->log[x] = (uint16_t)i;
    x <<= 1;
    if (x & (1 << m)) x ^= PRIMITIVE[m];
  }
  c->log[0] = (uint16_t)(2 * n);
  uint8_t seen[N_MAX + 1] = {0};
  int32_t nm = 0;
  for (int32_t i = 1; i <= 2 * t; i += 2) {
    if (seen[i]) continue;
    uint16_t poly[11] = {1};
    int32_t deg = 0, e = i;
    c->start[c->cosets] = nm;
    do {
      seen[e] = 1;
      if ((e & 1) && e <= 2 * t) c->members[nm++] = e;
      uint16_t next[11] = {0};
      for (int32_t j = 0; j <= deg; j++) {
        next[j + 1] ^= poly[j];
        if (poly[j]) next[j] ^= c->exp[c->log[poly[j]] + e];
      }
      memcpy(poly, next, sizeof poly);
      deg++;
      e = (2 * e) % n;
    } while (e != i);
    uint32_t bits = 0;
    for (int32_t j = 0; j <= deg; j++) bits |= (uint32_t)poly[j] << j;
    c->degree[c->cosets] = (uint8_t)deg;
    for (uint32_t top = 0; top < 256; top++) {
      uint32_t r = top << deg;
      for (int32_t b = deg + 7; b >= deg; b--) if (r & (1u << b)) r ^= bits << (b - deg);
      c->reduce[c->cosets][top] = (top << deg) ^ r;
    }
    c->cosets++;
  }
  c->start[c->cosets] = nm;
  for (int32_t x2 = 0; x2 < nm; x2++) for (int32_t k = 0; k < m; k++) c->powers[x2][k] = c->exp[(c->members[x2] * k) % n];
  int32_t rest = n;
  for (int32_t f = 2; f * f <= rest; f++) while (rest % f == 0) { c->factors[c->nfactors++] = f; rest /= f; }
  if (rest > 1) c->factors[c->nfactors++] = rest;
  cached = c;
  return c;
}

/* S[1..2t] of the word packed highest degree first; returns 1 when all are zero. */
static int syndromes(const code_t *c, const uint8_t *packed, int32_t bytes, uint16_t *S) {
  int any = 0;
  for (int32_t k = 0; k < c->cosets; k++) {
    const uint32_t d = c->degree[k];
    const uint32_t *tab = c->reduce[k];
    uint32_t r = 0;
    for (int32_t b = 0; b < bytes; b++) {
      r = (r << 8) | packed[b];
      r ^= tab[r >> d];
    }
    for (int32_t x = c->start[k]; x < c->start[k + 1]; x++) {
      uint16_t s = 0;
      for (uint32_t j = 0; j < d; j++) if ((r >> j) & 1) s ^= c->powers[x][j];
      S[c->members[x]] = s;
      any |= s;
    }
  }
  for (int32_t i = 2; i <= 2 * c->t; i += 2) S[i] = S[i / 2] == 0 ? 0 : c->exp[(2 * c->log[S[i / 2]]) % c->n];
  return any == 0;
}

/* Berlekamp-Massey over the odd steps; the locator in *C (L + 1 coefficients); returns L. */
static int32_t berlekamp_massey(const code_t *c, const uint16_t *S, uint16_t bufs[3][2 * T_MAX + 2], uint16_t **locator) {
  const int32_t n = c->n, t = c->t;
  uint16_t logS[2 * T_MAX + 1];
  for (int32_t i = 1; i <= 2 * t; i++) logS[i] = c->log[S[i]];
  uint16_t *C = bufs[0], *B = bufs[1], *T = bufs[2];
  memset(C, 0, sizeof bufs[0]); memset(B, 0, sizeof bufs[0]);
  C[0] = B[0] = 1;
  int32_t L = 0, degB = 0, shift = 1, logb = 0;
  for (int32_t step = 0; step < 2 * t; step += 2) {
    uint16_t d = S[step + 1];
    for (int32_t i = 1; i <= L; i++) d ^= c->exp[c->log[C[i]] + logS[step + 1 - i]];
    if (d == 0) { shift += 2; continue; }
    int32_t logCoef = c->log[d] + n - logb;
    if (logCoef >= n) logCoef -= n;
    if (2 * L <= step) {
      int32_t newL = step + 1 - L, top = L > shift + degB ? L : shift + degB;
      memcpy(T, C, (size_t)(L + 1) * sizeof *T);
      memset(T + L + 1, 0, (size_t)(top - L) * sizeof *T);
      for (int32_t i = 0; i <= degB; i++) T[i + shift] ^= c->exp[logCoef + c->log[B[i]]];
      uint16_t *free_ = B; B = C; C = T; T = free_;
      degB = L; L = newL; logb = c->log[d]; shift = 2;
    } else {
      for (int32_t i = 0; i <= degB; i++) C[i + shift] ^= c->exp[logCoef + c->log[B[i]]];
      shift += 2;
    }
  }
  *locator = C;
  return L;
}

/* V[q] = C(alpha^q) for q < n, by decimation over the prime factors of n (as bch.ts). */
static void evaluate_everywhere(const code_t *c, const uint16_t *C, int32_t L, uint16_t levels[8][N_MAX]) {
  const int32_t n = c->n, k = c->nfactors;
  int32_t F = n / c->factors[k - 1];
  const int32_t points = c->factors[k - 1];
  uint16_t *last = levels[k - 1];
  memset(last, 0, sizeof levels[0]);
  for (int32_t i = 0; i <= L; i++) {
    if (C[i] == 0) continue;
    int32_t row = (i % F) * points, step = (F * (i / F)) % n, e = c->log[C[i]];
    for (int32_t p = 0; p < points; p++) {
      last[row + p] ^= c->exp[e];
      e += step;
      if (e >= n) e -= n;
    }
  }
  for (int32_t d = k - 2; d >= 0; d--) {
    const int32_t f = c->factors[d], childPoints = n / F;
    F /= f;
    const int32_t rowPoints = childPoints * f;
    uint16_t *out = levels[d];
    const uint16_t *child = levels[d + 1];
    memset(out, 0, sizeof levels[0]);
    for (int32_t rho = 0; rho < F; rho++) {
      for (int32_t r = 0; r < f; r++) {
        const uint16_t *from = child + (rho + r * F) * childPoints;
        uint16_t *o = out + rho * rowPoints;
        int32_t step = (F * r) % n, e = 0, q = 0;
        for (int32_t p = 0; p < rowPoints; p++) {
          o[p] ^= c->exp[c->log[from[q]] + e];
          e += step;
          if (e >= n) e -= n;
          if (++q == childPoints) q = 0;
        }
      }
    }
  }
}

int32_t bound_scan(const uint8_t *helpers, const int32_t *proj, int32_t count, int32_t m, int32_t t, int32_t r, int32_t *out) {
  code_t *c = code_of(m, t);
  const int32_t n = c->n, stride = (n * r + 7) / 8, bytes = (n + 1) / 8;
  uint8_t word[N_MAX + 1], packed[(N_MAX + 1) / 8];
  uint16_t S[2 * T_MAX + 1], bufs[3][2 * T_MAX + 2], levels[8][N_MAX], *C;
  int32_t found = 0;
  for (int32_t row = 0; row < count; row++) {
    const uint8_t *h = helpers + (size_t)row * stride;
    for (int32_t j = 0, at = 0; j < n; j++) {
      int64_t soft = 0;
      for (int32_t c2 = 0; c2 < r; c2++, at++) soft += ((h[at >> 3] >> (at & 7)) & 1) ? -proj[at] : proj[at];
      word[j] = soft > 0;
    }
    memset(packed, 0, sizeof packed);
    for (int32_t deg = 0; deg < n; deg++) if (word[deg]) packed[(n - deg) >> 3] |= (uint8_t)(1u << (7 - ((n - deg) & 7)));
    if (syndromes(c, packed, bytes, S)) { out[found++] = row; continue; }
    const int32_t L = berlekamp_massey(c, S, bufs, &C);
    if (L > t) continue;
    evaluate_everywhere(c, C, L, levels);
    int32_t roots = 0;
    for (int32_t q = 0; q < n; q++) roots += levels[0][q] == 0;
    if (roots != L) continue;
    for (int32_t q = 0; q < n; q++) if (levels[0][q] == 0) word[q == 0 ? 0 : n - q] ^= 1;
    memset(packed, 0, sizeof packed);
    for (int32_t deg = 0; deg < n; deg++) if (word[deg]) packed[(n - deg) >> 3] |= (uint8_t)(1u << (7 - ((n - deg) & 7)));
    if (syndromes(c, packed, bytes, S)) out[found++] = row;
  }
  return found;
}
