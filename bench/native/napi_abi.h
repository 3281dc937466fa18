/* The few Node-API functions the native ceiling uses, declared from the stable Node-API C ABI
 * (version 1 functions only), so the addon builds with a C compiler alone: no node-gyp, no
 * Node headers. The symbols are resolved from the running node executable at load time. */
#ifndef TEMPLOCK_NAPI_ABI_H
#define TEMPLOCK_NAPI_ABI_H
#include <stddef.h>
#include <stdint.h>

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);
typedef int napi_status; /* napi_ok == 0 */

typedef enum {
  napi_int8_array, napi_uint8_array, napi_uint8_clamped_array, napi_int16_array,
  napi_uint16_array, napi_int32_array, napi_uint32_array, napi_float32_array,
  napi_float64_array, napi_bigint64_array, napi_biguint64_array
} napi_typedarray_type;

#define NAPI_AUTO_LENGTH SIZE_MAX
#define NAPI_EXPORT __attribute__((visibility("default")))

napi_status napi_get_cb_info(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                             napi_value *this_arg, void **data);
napi_status napi_get_typedarray_info(napi_env env, napi_value typedarray, napi_typedarray_type *type,
                                     size_t *length, void **data, napi_value *arraybuffer, size_t *byte_offset);
napi_status napi_get_value_double(napi_env env, napi_value value, double *result);
napi_status napi_create_double(napi_env env, double value, napi_value *result);
napi_status napi_create_function(napi_env env, const char *utf8name, size_t length, napi_callback cb,
                                 void *data, napi_value *result);
napi_status napi_set_named_property(napi_env env, napi_value object, const char *utf8name, napi_value value);
napi_status napi_throw_type_error(napi_env env, const char *code, const char *msg);

#endif
