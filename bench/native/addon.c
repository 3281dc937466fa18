/* Node-API entry of the native ceiling: unwraps typed arrays (zero-copy, the very buffers the
 * JS and WASM variants read) and numbers, calls the kernels of kernels.h and returns a number.
 * Argument order is the C order; bench/harness/native.ts types it for the suites. */
#include "kernels.h"
#include "napi_abi.h"

#define MAX_ARGS 8

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  int failed;
} call_t;

static call_t begin(napi_env env, napi_callback_info info) {
  call_t c = {env, {0}, 0};
  size_t argc = MAX_ARGS;
  napi_get_cb_info(env, info, &argc, c.argv, NULL, NULL);
  return c;
}

/* Data pointer of typed-array argument i (NULL and a pending TypeError when it is not one). */
static void *ptr(call_t *c, int i) {
  napi_typedarray_type type;
  size_t length, offset;
  void *data = NULL;
  napi_value buffer;
  if (c->failed || napi_get_typedarray_info(c->env, c->argv[i], &type, &length, &data, &buffer, &offset) != 0) {
    if (!c->failed) napi_throw_type_error(c->env, NULL, "native kernel expected a typed array argument");
    c->failed = 1;
    return NULL;
  }
  return data;
}

static int32_t num(call_t *c, int i) {
  double v = 0;
  if (c->failed || napi_get_value_double(c->env, c->argv[i], &v) != 0) {
    if (!c->failed) napi_throw_type_error(c->env, NULL, "native kernel expected a number argument");
    c->failed = 1;
  }
  return (int32_t)v;
}

static napi_value result(call_t *c, double v) {
  napi_value out = NULL;
  if (!c->failed) napi_create_double(c->env, v, &out);
  return out;
}

static napi_value js_read_f64(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  napi_typedarray_type type;
  size_t length = 0, offset;
  void *data = NULL;
  napi_value buffer;
  if (napi_get_typedarray_info(env, c.argv[0], &type, &length, &data, &buffer, &offset) != 0 || type != napi_float64_array) {
    napi_throw_type_error(env, NULL, "read_f64 expected a Float64Array");
    return NULL;
  }
  return result(&c, read_f64(data, length));
}

static napi_value js_hamming_u1_topk(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *g = ptr(&c, 0), *p = ptr(&c, 1);
  int32_t count = num(&c, 2), words64 = num(&c, 3), k = num(&c, 4);
  int32_t *ids = ptr(&c, 5);
  double *scores = ptr(&c, 6);
  return c.failed ? NULL : result(&c, hamming_u1_topk(g, p, count, words64, k, ids, scores));
}

static napi_value js_hamming_u1_topk_threads(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *g = ptr(&c, 0), *p = ptr(&c, 1);
  int32_t count = num(&c, 2), words64 = num(&c, 3), k = num(&c, 4);
  int32_t *ids = ptr(&c, 5);
  double *scores = ptr(&c, 6);
  int32_t threads = num(&c, 7);
  return c.failed ? NULL : result(&c, hamming_u1_topk_threads(g, p, count, words64, k, ids, scores, threads));
}

static napi_value js_hamming_u1_pair(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *a = ptr(&c, 0), *b = ptr(&c, 1);
  int32_t words64 = num(&c, 2), reps = num(&c, 3);
  return c.failed ? NULL : result(&c, hamming_u1_pair(a, b, words64, reps));
}

static napi_value js_equal_u8_topk(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *g = ptr(&c, 0), *p = ptr(&c, 1);
  int32_t count = num(&c, 2), m = num(&c, 3), k = num(&c, 4);
  int32_t *ids = ptr(&c, 5);
  double *scores = ptr(&c, 6);
  return c.failed ? NULL : result(&c, equal_u8_topk(g, p, count, m, k, ids, scores));
}

static napi_value js_dot_i8_scan(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *g = ptr(&c, 0), *p = ptr(&c, 1);
  int32_t count = num(&c, 2), dim = num(&c, 3);
  int32_t *out = ptr(&c, 4);
  if (c.failed) return NULL;
  dot_i8_scan(g, p, count, dim, out);
  return result(&c, count);
}

static napi_value js_dot_f32_scan(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *g = ptr(&c, 0), *p = ptr(&c, 1);
  int32_t count = num(&c, 2), dim = num(&c, 3);
  float *out = ptr(&c, 4);
  if (c.failed) return NULL;
  dot_f32_scan(g, p, count, dim, out);
  return result(&c, count);
}

static napi_value js_iom_grp_protect(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const void *x = ptr(&c, 0);
  int32_t n = num(&c, 1), dim = num(&c, 2);
  const void *W = ptr(&c, 3);
  int32_t m = num(&c, 4), q = num(&c, 5);
  uint8_t *out = ptr(&c, 6);
  int32_t narrow = num(&c, 7);
  if (c.failed) return NULL;
  iom_grp_protect(x, n, dim, W, m, q, out, narrow);
  return result(&c, n);
}

static napi_value js_binomial_weights(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const uint8_t *key = ptr(&c, 0);
  int32_t count = num(&c, 1);
  int8_t *out = ptr(&c, 2);
  int32_t lanes = num(&c, 3);
  if (c.failed) return NULL;
  if (lanes != 4 && lanes != 8) {
    napi_throw_type_error(env, NULL, "binomial_weights expected 4 or 8 lanes");
    return NULL;
  }
  binomial_weights(key, count, out, lanes);
  return result(&c, count);
}

static napi_value js_bound_scan(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const uint8_t *helpers = ptr(&c, 0);
  const int32_t *proj = ptr(&c, 1);
  int32_t count = num(&c, 2), m = num(&c, 3), t = num(&c, 4), r = num(&c, 5);
  int32_t *out = ptr(&c, 6);
  if (c.failed) return NULL;
  return result(&c, bound_scan(helpers, proj, count, m, t, r, out));
}

static napi_value js_partial_permutations(napi_env env, napi_callback_info info) {
  call_t c = begin(env, info);
  const uint8_t *key = ptr(&c, 0);
  int32_t n = num(&c, 1), k = num(&c, 2), count = num(&c, 3);
  uint16_t *out = ptr(&c, 4);
  if (c.failed) return NULL;
  partial_permutations(key, n, k, count, out);
  return result(&c, count);
}

static const struct {
  const char *name;
  napi_callback fn;
} TABLE[] = {
    {"read_f64", js_read_f64},
    {"hamming_u1_topk", js_hamming_u1_topk},
    {"hamming_u1_topk_threads", js_hamming_u1_topk_threads},
    {"hamming_u1_pair", js_hamming_u1_pair},
    {"equal_u8_topk", js_equal_u8_topk},
    {"dot_i8_scan", js_dot_i8_scan},
    {"dot_f32_scan", js_dot_f32_scan},
    {"iom_grp_protect", js_iom_grp_protect},
    {"binomial_weights", js_binomial_weights},
    {"partial_permutations", js_partial_permutations},
    {"bound_scan", js_bound_scan},
};

NAPI_EXPORT napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  for (size_t i = 0; i < sizeof(TABLE) / sizeof(TABLE[0]); i++) {
    napi_value fn;
    napi_create_function(env, TABLE[i].name, NAPI_AUTO_LENGTH, TABLE[i].fn, NULL, &fn);
    napi_set_named_property(env, exports, TABLE[i].name, fn);
  }
  return exports;
}
