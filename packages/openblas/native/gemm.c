/* Batched sgemm: the OpenBLAS path of tfjs BatchMatMul and _FusedMatMul. */
#include "dale_openblas.h"

/*
 * sgemmBatched(a, b, c, batch, m, n, k, transA, transB, aBatchStride, bBatchStride)
 * For each i < batch: C_i (m x n) = op(A_i) op(B_i), A_i at a + i * aBatchStride, etc.
 * op(A) is m x k; A is stored k x m when transA. Strides of 0 broadcast one matrix.
 */
napi_value dale_sgemm_batched(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) {
    napi_throw_type_error(env, NULL, "dale_openblas.sgemmBatched: expected 11 arguments");
    return NULL;
  }
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!get_f32(env, argv[0], &a, &la) || !get_f32(env, argv[1], &b, &lb) || !get_f32(env, argv[2], &c, &lc)) return NULL;
  int64_t batch, m, n, k, sa, sb;
  bool ta, tb;
  if (!get_i64(env, argv[3], &batch) || !get_i64(env, argv[4], &m) || !get_i64(env, argv[5], &n) ||
      !get_i64(env, argv[6], &k) || !get_i64(env, argv[9], &sa) || !get_i64(env, argv[10], &sb)) return NULL;
  CHECK(napi_get_value_bool(env, argv[7], &ta));
  CHECK(napi_get_value_bool(env, argv[8], &tb));
  if (batch < 0 || m < 0 || n < 0 || k < 0 || sa < 0 || sb < 0 ||
      (batch > 0 && ((uint64_t)((batch - 1) * sa + m * k) > la || (uint64_t)((batch - 1) * sb + k * n) > lb ||
                     (uint64_t)(batch * m * n) > lc))) {
    napi_throw_range_error(env, NULL, "dale_openblas.sgemmBatched: sizes exceed the arrays");
    return NULL;
  }
  for (int64_t i = 0; i < batch; i++) {
    float *ci = c + i * m * n;
    if (k == 0) {
      memset(ci, 0, sizeof(float) * (size_t)(m * n));
      continue;
    }
    if (!ta && tb) {
      dale_sgemm_abt((int)m, (int)n, (int)k, a + i * sa, b + i * sb, ci); /* x Wᵀ: see dale_openblas.h */
      continue;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                1.0f, a + i * sa, ta ? (int)m : (int)k, b + i * sb, tb ? (int)k : (int)n, 0.0f, ci, (int)n);
  }
  return NULL;
}
