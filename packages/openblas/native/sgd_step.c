/* The fused projected-SGD update (Cornford et al. 2021, Alg. 5: step, then projection). */
#include "dale_openblas.h"

/* sgdStep(w, g, out, lr, projection): out = P(w − lr·g), each product and difference rounded to
   float32 as the separate tfjs ops would; projection 0 none, 1 max(0, ·), 2 min(·, 0). */
napi_value dale_sgd_step(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *w, *g, *out;
  size_t lw, lg, n;
  double lr64;
  int32_t projection;
  if (argc != 5 || napi_get_value_double(env, argv[3], &lr64) != napi_ok || napi_get_value_int32(env, argv[4], &projection) != napi_ok) {
    napi_throw_type_error(env, NULL, "dale_openblas.sgdStep: expected (w, g, out, lr, projection)");
    return NULL;
  }
  if (!get_f32(env, argv[0], &w, &lw) || !get_f32(env, argv[1], &g, &lg) || !get_f32(env, argv[2], &out, &n)) return NULL;
  if (lw < n || lg < n || projection < 0 || projection > 2) {
    napi_throw_range_error(env, NULL, "dale_openblas.sgdStep: bad sizes or projection");
    return NULL;
  }
  volatile float lrv = (float)lr64;
  float lr = lrv;
  switch (projection) {
    case 0: for (size_t i = 0; i < n; i++) { float step = lr * g[i]; out[i] = w[i] - step; } break;
    case 1: for (size_t i = 0; i < n; i++) { float step = lr * g[i]; float v = w[i] - step; out[i] = v > 0 ? v : (v != v ? v : 0.0f); } break;
    default: for (size_t i = 0; i < n; i++) { float step = lr * g[i]; float v = w[i] - step; out[i] = v <= 0 ? v : (v != v ? v : 0.0f); } break;
  }
  return NULL;
}
