/* Streaming-read ceiling: sums a large float64 buffer with eight independent accumulators, so
 * the loop is limited by memory bandwidth, not by the latency of one addition chain. */
#include "kernels.h"

double read_f64(const double *buf, size_t n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) acc[l] += buf[i + l];
  for (; i < n; i++) acc[0] += buf[i];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
