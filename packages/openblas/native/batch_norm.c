/* BatchNorm over the positions p of a channels-last tensor x [P, C]:

   batchNorm (the FusedBatchNorm kernel, tf.batchNorm with given statistics, as tfjs-layers'
   BatchNormalization runs it):
     y[p, c] = offset[c] + (x[p, c] − mean[c]) · scale[c] / √(variance[c] + ε)
   in float64 in exactly the tfjs CPU kernel's order of operations, rounded once (that kernel's
   result to the bit);

   batchNormTrainForward / batchNormTrainBackward (the DaleBatchNorm_v1 contract of
   @dale-nn/core, training mode, the statistics from the batch):
     μ = Σ_p x / P, σ² = Σ_p (x − μ)² / P, r = 1 / √(σ² + ε), y = γ (x − μ) r + β;
     dβ = Σ_p dy, dγ = r Σ_p dy (x − μ),
     dx = γ r dy − (γ r² dγ / P) (x − μ) − γ r dβ / P + dμ / P + 2 dσ² (x − μ) / P
   with per-channel sums in float64 (two passes over x forward, two over dy and x backward). */
#include "dale_openblas.h"

DALE_VECTOR_CLONES __attribute__((noinline)) static void batch_norm_rows(const float *restrict x, const float *restrict mean, const double *restrict root, const float *restrict scale,
                                                                         const float *restrict offset, float *restrict y, int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
    for (int64_t j = 0; j < c; j++) yr[j] = (float)((double)offset[j] + ((double)xr[j] - (double)mean[j]) * (double)scale[j] / root[j]);
  }
}

/* batchNorm(x, mean, variance, scale, offset, y, channels, epsilon): the per-channel arrays hold
   `channels` values each; x and y hold a multiple of `channels`. */
napi_value dale_batch_norm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "dale_openblas.batchNorm: expected (x, mean, variance, scale, offset, y, channels, epsilon)");
    return NULL;
  }
  float *x, *mean, *variance, *scale, *offset, *y;
  size_t lx, lm, lv, ls, lo, ly;
  int64_t c;
  double eps;
  GET_F32(0, x, lx); GET_F32(1, mean, lm); GET_F32(2, variance, lv); GET_F32(3, scale, ls); GET_F32(4, offset, lo); GET_F32(5, y, ly);
  GET_I64(6, c);
  CHECK(napi_get_value_double(env, argv[7], &eps));
  if (c < 1 || lx % (size_t)c != 0 || ly < lx || lm < (size_t)c || lv < (size_t)c || ls < (size_t)c || lo < (size_t)c) {
    napi_throw_range_error(env, NULL, "dale_openblas.batchNorm: bad channel count or sizes");
    return NULL;
  }
  double *root = malloc(sizeof(double) * (size_t)c);
  if (!root) {
    napi_throw_error(env, NULL, "dale_openblas.batchNorm: out of memory");
    return NULL;
  }
  for (int64_t j = 0; j < c; j++) root[j] = sqrt((double)variance[j] + eps);
  batch_norm_rows(x, mean, root, scale, offset, y, (int64_t)(lx / (size_t)c), c);
  free(root);
  return NULL;
}

/* sum[c] += Σ_r x[r, c] (float64) */
DALE_VECTOR_CLONES __attribute__((noinline)) static void column_sums(const float *restrict x, double *restrict sum, int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    for (int64_t j = 0; j < c; j++) sum[j] += (double)xr[j];
  }
}

/* sq[c] += Σ_r (x[r, c] − mu[c])² (float64) */
DALE_VECTOR_CLONES __attribute__((noinline)) static void centred_squares(const float *restrict x, const double *restrict mu, double *restrict sq, int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    for (int64_t j = 0; j < c; j++) {
      const double d = (double)xr[j] - mu[j];
      sq[j] += d * d;
    }
  }
}

/* y[r, c] = x[r, c]·a[c] + b[c] (float64, rounded) */
DALE_VECTOR_CLONES __attribute__((noinline)) static void affine_rows(const float *restrict x, const double *restrict a, const double *restrict b, float *restrict y, int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * c;
    float *yr = y + r * c;
    for (int64_t j = 0; j < c; j++) yr[j] = (float)((double)xr[j] * a[j] + b[j]);
  }
}

/* sdy[c] += Σ_r dy, sdyx[c] += Σ_r dy (x − mu) (float64) */
DALE_VECTOR_CLONES __attribute__((noinline)) static void grad_sums(const float *restrict dy, const float *restrict x, const double *restrict mu, double *restrict sdy, double *restrict sdyx,
                                                                   int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *dr = dy + r * c, *xr = x + r * c;
    for (int64_t j = 0; j < c; j++) {
      const double d = (double)dr[j];
      sdy[j] += d;
      sdyx[j] += d * ((double)xr[j] - mu[j]);
    }
  }
}

/* dx[r, c] = a[c] dy + b[c] (x − mu[c]) + k[c] (float64, rounded) */
DALE_VECTOR_CLONES __attribute__((noinline)) static void grad_rows(const float *restrict dy, const float *restrict x, const double *restrict mu, const double *restrict a, const double *restrict b,
                                                                   const double *restrict k, float *restrict dx, int64_t rows, int64_t c) {
  for (int64_t r = 0; r < rows; r++) {
    const float *dr = dy + r * c, *xr = x + r * c;
    float *o = dx + r * c;
    for (int64_t j = 0; j < c; j++) o[j] = (float)(a[j] * (double)dr[j] + b[j] * ((double)xr[j] - mu[j]) + k[j]);
  }
}

/* batchNormTrainForward(x, gamma, beta, y, mean, variance, channels, epsilon) */
napi_value dale_batch_norm_train_forward(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "dale_openblas.batchNormTrainForward: expected (x, gamma, beta, y, mean, variance, channels, epsilon)");
    return NULL;
  }
  float *x, *gamma, *beta, *y, *mean, *variance;
  size_t lx, lg, lb, ly, lm, lv;
  int64_t c;
  double eps;
  GET_F32(0, x, lx); GET_F32(1, gamma, lg); GET_F32(2, beta, lb); GET_F32(3, y, ly); GET_F32(4, mean, lm); GET_F32(5, variance, lv);
  GET_I64(6, c);
  CHECK(napi_get_value_double(env, argv[7], &eps));
  if (c < 1 || lx == 0 || lx % (size_t)c != 0 || ly < lx || lg < (size_t)c || lb < (size_t)c || lm < (size_t)c || lv < (size_t)c || !(eps > 0)) {
    napi_throw_range_error(env, NULL, "dale_openblas.batchNormTrainForward: bad channel count, epsilon or sizes");
    return NULL;
  }
  const int64_t rows = (int64_t)(lx / (size_t)c);
  double *w = calloc(4 * (size_t)c, sizeof(double));
  if (!w) {
    napi_throw_error(env, NULL, "dale_openblas.batchNormTrainForward: out of memory");
    return NULL;
  }
  double *mu = w, *sq = w + c, *a = w + 2 * c, *b = w + 3 * c;
  column_sums(x, mu, rows, c);
  for (int64_t j = 0; j < c; j++) mu[j] /= (double)rows;
  centred_squares(x, mu, sq, rows, c);
  for (int64_t j = 0; j < c; j++) {
    const double var = sq[j] / (double)rows;
    a[j] = (double)gamma[j] / sqrt(var + eps);
    b[j] = (double)beta[j] - mu[j] * a[j];
    mean[j] = (float)mu[j];
    variance[j] = (float)var;
  }
  affine_rows(x, a, b, y, rows, c);
  free(w);
  return NULL;
}

/* batchNormTrainBackward(dy, dmean, dvariance, x, gamma, mean, variance, dx, dgamma, dbeta, channels, epsilon) */
napi_value dale_batch_norm_train_backward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) {
    napi_throw_type_error(env, NULL, "dale_openblas.batchNormTrainBackward: expected 12 arguments");
    return NULL;
  }
  float *dy, *dmean, *dvar, *x, *gamma, *mean, *variance, *dx, *dgamma, *dbeta;
  size_t ldy, ldm, ldv, lx, lg, lm, lv, ldx, ldg, ldb;
  int64_t c;
  double eps;
  GET_F32(0, dy, ldy); GET_F32(1, dmean, ldm); GET_F32(2, dvar, ldv); GET_F32(3, x, lx); GET_F32(4, gamma, lg); GET_F32(5, mean, lm); GET_F32(6, variance, lv);
  GET_F32(7, dx, ldx); GET_F32(8, dgamma, ldg); GET_F32(9, dbeta, ldb);
  GET_I64(10, c);
  CHECK(napi_get_value_double(env, argv[11], &eps));
  const size_t cc = (size_t)c;
  if (c < 1 || lx == 0 || lx % cc != 0 || ldy < lx || ldx < lx || ldm < cc || ldv < cc || lg < cc || lm < cc || lv < cc || ldg < cc || ldb < cc || !(eps > 0)) {
    napi_throw_range_error(env, NULL, "dale_openblas.batchNormTrainBackward: bad channel count, epsilon or sizes");
    return NULL;
  }
  const int64_t rows = (int64_t)(lx / cc);
  double *w = calloc(6 * cc, sizeof(double));
  if (!w) {
    napi_throw_error(env, NULL, "dale_openblas.batchNormTrainBackward: out of memory");
    return NULL;
  }
  double *mu = w, *sdy = w + c, *sdyx = w + 2 * c, *a = w + 3 * c, *b = w + 4 * c, *k = w + 5 * c;
  for (int64_t j = 0; j < c; j++) mu[j] = (double)mean[j];
  grad_sums(dy, x, mu, sdy, sdyx, rows, c);
  const double n = (double)rows;
  for (int64_t j = 0; j < c; j++) {
    const double r = 1.0 / sqrt((double)variance[j] + eps);
    const double g = (double)gamma[j];
    const double dg = r * sdyx[j];
    a[j] = g * r;
    b[j] = -g * r * r * dg / n + 2.0 * (double)dvar[j] / n;
    k[j] = -g * r * sdy[j] / n + (double)dmean[j] / n;
    dgamma[j] = (float)dg;
    dbeta[j] = (float)sdy[j];
  }
  grad_rows(dy, x, mu, a, b, k, dx, rows, c);
  free(w);
  return NULL;
}
