/* Module init, argument helpers and the OpenBLAS runtime settings (threads, build config). */
#include "dale_openblas.h"

extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

int get_f32(napi_env env, napi_value v, float **data, size_t *length) {
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, (void **)data, &ab, &offset) != napi_ok ||
      type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "dale_openblas: expected a Float32Array");
    return 0;
  }
  return 1;
}

int get_f64(napi_env env, napi_value v, double **data, size_t *length) {
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, (void **)data, &ab, &offset) != napi_ok ||
      type != napi_float64_array) {
    napi_throw_type_error(env, NULL, "dale_openblas: expected a Float64Array");
    return 0;
  }
  return 1;
}

int get_i64(napi_env env, napi_value v, int64_t *out) {
  if (napi_get_value_int64(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "dale_openblas: expected an integer");
    return 0;
  }
  return 1;
}

int get_conv_geometry(napi_env env, napi_value v, conv_geometry *g) {
  napi_typedarray_type type;
  napi_value ab;
  size_t length, offset;
  int32_t *d;
  if (napi_get_typedarray_info(env, v, &type, &length, (void **)&d, &ab, &offset) != napi_ok || type != napi_int32_array || length != CONV_GEOMETRY_FIELDS) {
    napi_throw_type_error(env, NULL, "dale_openblas: expected the geometry as an Int32Array [n, h, w, cin, oh, ow, cout, kh, kw, sh, sw, pt, pl]");
    return 0;
  }
  int64_t *f[CONV_GEOMETRY_FIELDS] = {&g->n, &g->h, &g->w, &g->cin, &g->oh, &g->ow, &g->cout, &g->kh, &g->kw, &g->sh, &g->sw, &g->pt, &g->pl};
  for (int i = 0; i < CONV_GEOMETRY_FIELDS; i++) *f[i] = d[i];
  int ok = g->pt >= 0 && g->pl >= 0;
  for (int i = 0; i < CONV_GEOMETRY_FIELDS - 2; i++) ok = ok && *f[i] >= 1;
  /* Every element count the kernels form stays below 2^62 (each field is below 2^31). */
  ok = ok && g->n * g->h * g->w <= INT64_C(1) << 31 && g->n * g->oh * g->ow <= INT64_C(1) << 31 && g->kh * g->kw <= INT64_C(1) << 20;
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas: bad convolution geometry (sizes must be >= 1, paddings >= 0)");
    return 0;
  }
  return 1;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t t;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &t) != napi_ok || t < 1) {
    napi_throw_range_error(env, NULL, "dale_openblas.setThreads: expected an integer >= 1");
    return NULL;
  }
  openblas_set_num_threads(t);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char *config = openblas_get_config();
  CHECK(napi_create_string_utf8(env, config ? config : "", NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, dale_sgemm_batched, NULL, NULL, NULL, napi_default, NULL},
      {"eigenvalues", NULL, dale_eigenvalues, NULL, NULL, NULL, napi_default, NULL},
      {"singularValues", NULL, dale_singular_values, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, dale_binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, dale_unary, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnForward", NULL, dale_relu_rnn_forward, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnBackward", NULL, dale_relu_rnn_backward, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnV2Forward", NULL, dale_relu_rnn_v2_forward, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnV2Backward", NULL, dale_relu_rnn_v2_backward, NULL, NULL, NULL, napi_default, NULL},
      {"ctRnnForward", NULL, dale_ct_rnn_forward, NULL, NULL, NULL, napi_default, NULL},
      {"ctRnnBackward", NULL, dale_ct_rnn_backward, NULL, NULL, NULL, napi_default, NULL},
      {"sgdStep", NULL, dale_sgd_step, NULL, NULL, NULL, napi_default, NULL},
      {"multiStep", NULL, dale_multi_step, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseForward", NULL, dale_dann_dense_forward, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseBackward", NULL, dale_dann_dense_backward, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseV2Forward", NULL, dale_dann_dense_v2_forward, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseV2Backward", NULL, dale_dann_dense_v2_backward, NULL, NULL, NULL, napi_default, NULL},
      {"denseForward", NULL, dale_dense_forward, NULL, NULL, NULL, napi_default, NULL},
      {"denseBackward", NULL, dale_dense_backward, NULL, NULL, NULL, napi_default, NULL},
      {"softmaxCrossEntropy", NULL, dale_softmax_cross_entropy, NULL, NULL, NULL, napi_default, NULL},
      {"swapLeadingAxes", NULL, dale_swap_leading_axes, NULL, NULL, NULL, napi_default, NULL},
      {"sumLeadingAxes", NULL, dale_sum_leading_axes, NULL, NULL, NULL, napi_default, NULL},
      {"depthwiseConv2dForward", NULL, dale_depthwise_conv2d_forward, NULL, NULL, NULL, napi_default, NULL},
      {"depthwiseConv2dBackpropInput", NULL, dale_depthwise_conv2d_backprop_input, NULL, NULL, NULL, napi_default, NULL},
      {"depthwiseConv2dBackpropFilter", NULL, dale_depthwise_conv2d_backprop_filter, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dForward", NULL, dale_conv2d_forward, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dBackpropInput", NULL, dale_conv2d_backprop_input, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dBackpropFilter", NULL, dale_conv2d_backprop_filter, NULL, NULL, NULL, napi_default, NULL},
      {"maxPool", NULL, dale_max_pool, NULL, NULL, NULL, napi_default, NULL},
      {"maxPoolGrad", NULL, dale_max_pool_grad, NULL, NULL, NULL, napi_default, NULL},
      {"batchNorm", NULL, dale_batch_norm, NULL, NULL, NULL, napi_default, NULL},
      {"batchNormTrainForward", NULL, dale_batch_norm_train_forward, NULL, NULL, NULL, napi_default, NULL},
      {"batchNormTrainBackward", NULL, dale_batch_norm_train_backward, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
