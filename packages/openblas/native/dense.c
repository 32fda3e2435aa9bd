/* The fused dense layer y = f(x Wᵀ + b) (f the identity or ReLU) and its gradient. */
#include "dale_openblas.h"

/* ---- fused dense layer, row-major, batch B, W "post x pre" [n, d] ----
   The same arithmetic, element for element, as the separate kernels of the OpenBLAS backend:
   z = x Wᵀ by one sgemm (as BatchMatMul with transposeB), z + b rounded to float32 (Add), then
   ReLU as the Relu fast path (NaN kept); the gradient multiplies dy by tfjs's step(z), sums db in
   float64 over the batch in order (Sum) and forms dW = dzᵀ x by the sgemm BatchMatMul's gradient uses. */

enum { ACT_LINEAR = 0, ACT_RELU = 1 };

/* denseForward(x, w, b, y, B, d, n, activation) */
napi_value dale_dense_forward(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "dale_openblas.denseForward: expected 8 arguments");
    return NULL;
  }
  float *x, *w, *b, *y;
  size_t lx, lw, lb, ly;
  int64_t B, d, n;
  int32_t act;
  GET_F32(0, x, lx); GET_F32(1, w, lw); GET_F32(2, b, lb); GET_F32(3, y, ly);
  GET_I64(4, B); GET_I64(5, d); GET_I64(6, n);
  CHECK(napi_get_value_int32(env, argv[7], &act));
  if (B < 1 || d < 1 || n < 1 || (act != ACT_LINEAR && act != ACT_RELU) || (uint64_t)(B * d) > lx || (uint64_t)(n * d) > lw ||
      (uint64_t)n > lb || (uint64_t)(B * n) > ly) {
    napi_throw_range_error(env, NULL, "dale_openblas.denseForward: bad activation or sizes exceed the arrays");
    return NULL;
  }
  dale_sgemm_abt((int)B, (int)n, (int)d, x, w, y);
  for (int64_t r = 0; r < B; r++) {
    float *yr = y + r * n;
    if (act == ACT_RELU) {
      for (int64_t j = 0; j < n; j++) {
        float v = yr[j] + b[j];
        yr[j] = v > 0 ? v : (v != v ? v : 0.0f);
      }
    } else {
      for (int64_t j = 0; j < n; j++) yr[j] = yr[j] + b[j];
    }
  }
  return NULL;
}

/* dz = dy ⊙ f′ row by row, and acc[j] += Σ_r dz[r][j] in float64. Out of line: inlined into
   the Node-API function, gcc 12 vectorises none of these loops (measured 4x slower). */
__attribute__((noinline)) static void activation_grad(const float *dy, const float *y, float *dz, double *acc, int64_t B, int64_t n, int act) {
  for (int64_t r = 0; r < B; r++) {
    const float *dyr = dy + r * n, *yr = y + r * n;
    float *dzr = dz + r * n;
    if (act == ACT_RELU) {
      for (int64_t j = 0; j < n; j++) {
        float v = yr[j];
        float s = v != v ? v : (v > 0 ? 1.0f : 0.0f);
        dzr[j] = dyr[j] * s;
      }
    } else {
      memcpy(dzr, dyr, sizeof(float) * (size_t)n);
    }
    for (int64_t j = 0; j < n; j++) acc[j] += (double)dzr[j];
  }
}

/* denseBackward(dy, x, y, dz, dw, db, B, d, n, activation)
   dz = dy ⊙ f′ (relu′ = step(y): 1 where y > 0, 0 elsewhere, NaN where y is NaN),
   dW = dzᵀ x, db = Σ_batch dz. dL/dx = dz W is left to the caller (only when x needs a gradient). */
napi_value dale_dense_backward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) {
    napi_throw_type_error(env, NULL, "dale_openblas.denseBackward: expected 10 arguments");
    return NULL;
  }
  float *dy, *x, *y, *dz, *dw, *db;
  size_t ldy, lx, ly, ldz, ldw, ldb;
  int64_t B, d, n;
  int32_t act;
  GET_F32(0, dy, ldy); GET_F32(1, x, lx); GET_F32(2, y, ly); GET_F32(3, dz, ldz); GET_F32(4, dw, ldw); GET_F32(5, db, ldb);
  GET_I64(6, B); GET_I64(7, d); GET_I64(8, n);
  CHECK(napi_get_value_int32(env, argv[9], &act));
  if (B < 1 || d < 1 || n < 1 || (act != ACT_LINEAR && act != ACT_RELU) || (uint64_t)(B * n) > ldy || (uint64_t)(B * d) > lx ||
      (uint64_t)(B * n) > ly || (uint64_t)(B * n) > ldz || (uint64_t)(n * d) > ldw || (uint64_t)n > ldb) {
    napi_throw_range_error(env, NULL, "dale_openblas.denseBackward: bad activation or sizes exceed the arrays");
    return NULL;
  }
  double *acc = calloc((size_t)n, sizeof(double));
  if (!acc) {
    napi_throw_error(env, NULL, "dale_openblas.denseBackward: out of memory");
    return NULL;
  }
  activation_grad(dy, y, dz, acc, B, n, act);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)d, (int)B, 1.0f, dz, (int)n, x, (int)d, 0.0f, dw, (int)d);
  for (int64_t j = 0; j < n; j++) db[j] = (float)acc[j];
  free(acc);
  return NULL;
}
