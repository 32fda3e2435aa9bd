/* DaleReluRnn_v2: the whole ReLU RNN layer H_t = ReLU(X_t Uᵀ + b + H_{t−1} Wᵀ) (Li et al. 2023,
   eq. 1) in one call, and its backpropagation through time with every gradient in another. x is
   read in the layer's own batch-major layout [B, T, d]; the states are written batch-major
   [B, T, n] when they are the layer's output (returnSequences), else time-major [T, B, n] (a
   tensor only the gradient reads: each step's B × n block contiguous, which the per-step products
   and loops stream through, measured faster than B rows T·n apart). Nothing is transposed: step t
   of a batch-major tensor is B rows, T·n (or T·d) apart, which sgemm reads and writes through its
   leading dimension. */
#include "dale_openblas.h"

static inline float relu_nan_kept(float v) { return v > 0 ? v : (v != v ? v : 0.0f); }

/* rows[r·ld + i] ← ReLU(rows[r·ld + i] + bias[i]) for B rows of n (NaN kept). */
DALE_VECTOR_CLONES __attribute__((noinline)) static void bias_relu_rows(float *restrict rows, int64_t ld, const float *restrict bias, int64_t B, int64_t n) {
  for (int64_t r = 0; r < B; r++) {
    float *hr = rows + r * ld;
    for (int64_t i = 0; i < n; i++) hr[i] = relu_nan_kept(hr[i] + bias[i]);
  }
}

/* One step of BPTT for B rows of n (row r of da at r·n, of h and dy at r·ld, of dyl at r·n):
   da ← (g + dy + dyl) ⊙ [h > 0], g what da holds on entry when has_g (dA_{t+1} W), absent terms
   0; relu′ as DaleReluRnnGrad_v1 reads it (1 where H > 0, else 0); accb += da in float64. Each
   row stays in L1 across the short loops, so the terms cost no pass over memory of their own. */
DALE_VECTOR_CLONES __attribute__((noinline)) static void grad_rows(float *restrict da, int has_g, const float *restrict dy, const float *restrict dyl,
                                                                  const float *restrict h, int64_t ld, double *restrict accb, int64_t B, int64_t n) {
  for (int64_t r = 0; r < B; r++) {
    float *dr = da + r * n;
    const float *hr = h + r * ld;
    const float *yr = dy ? dy + r * ld : NULL;
    const float *lr = dyl ? dyl + r * n : NULL;
    if (!has_g) {
      if (yr) memcpy(dr, yr, sizeof(float) * (size_t)n);
      else memset(dr, 0, sizeof(float) * (size_t)n);
      yr = NULL;
    }
    if (yr) for (int64_t i = 0; i < n; i++) dr[i] += yr[i];
    if (lr) for (int64_t i = 0; i < n; i++) dr[i] += lr[i];
    for (int64_t i = 0; i < n; i++) {
      /* both loads unconditional: a vector blend, not a branch per element */
      float gi = dr[i], hi = hr[i];
      dr[i] = hi > 0 ? gi : 0.0f;
    }
    /* float64 sums in a loop of their own: mixed float / double in one loop is not vectorised */
    for (int64_t i = 0; i < n; i++) accb[i] += (double)dr[i];
  }
}

/* Every size >= 1, and what sgemm takes as an int (the row strides T·n, T·d, B·n, and d, n) below
   2^31; the array lengths (products of three such sizes) then fit in 64 bits. */
static int sizes_ok(int64_t B, int64_t T, int64_t d, int64_t n) {
  const int64_t lim = (int64_t)1 << 31;
  return B >= 1 && T >= 1 && d >= 1 && n >= 1 && B < lim && T < lim && d < lim && n < lim && T * n < lim && T * d < lim && B * n < lim;
}

/* Where step t's rows of the states lie: H_t row r at h + t·step + r·ld. */
typedef struct {
  int64_t step, ld;
} states_layout;

static states_layout layout_of(int time_major, int64_t B, int64_t T, int64_t n) {
  states_layout l = {time_major ? B * n : n, time_major ? n : T * n};
  return l;
}

/*
 * reluRnnV2Forward(x [B·T·d], u [n·d], bias [n], w [n·n], h0 [B·n], h out [B·T·n], last out [B·n] or empty,
 *                  B, T, d, n, timeMajor)
 * x[(b·T + t)·d + k]; h batch-major h[(b·T + t)·n + i] (timeMajor 0) or time-major h[(t·B + b)·n + i] (1).
 * For t = 0..T−1: H_t = X_t Uᵀ, H_t += H_{t−1} Wᵀ (H_{−1} = h0), H_t ← ReLU(H_t + b); last ← H_{T−1}.
 */
napi_value dale_relu_rnn_v2_forward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) {
    napi_throw_type_error(env, NULL, "dale_openblas.reluRnnV2Forward: expected 12 arguments");
    return NULL;
  }
  float *x, *u, *bias, *w, *h0, *h, *last;
  size_t lx, lu, lb, lw, lh0, lh, llast;
  int64_t B, T, d, n, time_major;
  GET_F32(0, x, lx);
  GET_F32(1, u, lu);
  GET_F32(2, bias, lb);
  GET_F32(3, w, lw);
  GET_F32(4, h0, lh0);
  GET_F32(5, h, lh);
  GET_F32(6, last, llast);
  GET_I64(7, B);
  GET_I64(8, T);
  GET_I64(9, d);
  GET_I64(10, n);
  GET_I64(11, time_major);
  const int has_last = llast > 0;
  if (!sizes_ok(B, T, d, n) || (uint64_t)(B * T * d) > lx || (uint64_t)(n * d) > lu || (uint64_t)n > lb || (uint64_t)(n * n) > lw ||
      (uint64_t)(B * n) > lh0 || (uint64_t)(B * T * n) > lh || (has_last && (uint64_t)(B * n) > llast)) {
    napi_throw_range_error(env, NULL, "dale_openblas.reluRnnV2Forward: sizes exceed the arrays");
    return NULL;
  }
  const states_layout s = layout_of(time_major != 0, B, T, n);
  for (int64_t t = 0; t < T; t++) {
    float *ht = h + t * s.step;
    const float *prev = t == 0 ? h0 : h + (t - 1) * s.step;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)n, (int)d, 1.0f, x + t * d, (int)(T * d), u, (int)d, 0.0f, ht, (int)s.ld);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)n, (int)n, 1.0f, prev, t == 0 ? (int)n : (int)s.ld, w, (int)n, 1.0f, ht, (int)s.ld);
    bias_relu_rows(ht, s.ld, bias, B, n);
  }
  if (has_last) {
    const float *hl = h + (T - 1) * s.step;
    for (int64_t r = 0; r < B; r++) memcpy(last + r * n, hl + r * s.ld, sizeof(float) * (size_t)n);
  }
  return NULL;
}

/*
 * reluRnnV2Backward(dh [B·T·n] or empty, dhLast [B·n] or empty, x, h, u, w, h0,
 *                   dx out [B·T·d] or empty, du out [n·d], db out [n], dw out [n·n], dh0 out [B·n], scratch [B·T·n],
 *                   B, T, d, n, timeMajor)
 * h in the forward's layout; dh (dL/dH for every state, batch-major) only with batch-major h;
 * dhLast an extra dL/dH_{T−1}; either may be empty (zero); dx empty: not formed. With
 * dA_t = dL/d(pre-activation of step t), in the time-major scratch [T, B, n] (the caller's: a
 * 2.9 MB malloc per call, B 256, T 28, n 100, was fresh pages from the kernel every time):
 *   for t = T−1..0: dA_t = (dA_{t+1} W + dh_t (+ dhLast at T−1)) ⊙ [H_t > 0]; db += Σ_b dA_t;
 *   dh0 = dA_0 W;
 *   dW = Σ_t dA_tᵀ H_{t−1} (H_{−1} = h0), dU = Σ_t dA_tᵀ X_t and dx_t = dA_t U, one product per
 *   step (measured here: faster than one product over all B·T rows, 1.57 against 1.78 ms for dW
 *   at B 256, T 28, n 100).
 */
napi_value dale_relu_rnn_v2_backward(napi_env env, napi_callback_info info) {
  size_t argc = 18;
  napi_value argv[18];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 18) {
    napi_throw_type_error(env, NULL, "dale_openblas.reluRnnV2Backward: expected 18 arguments");
    return NULL;
  }
  float *dh, *dhl, *x, *h, *u, *w, *h0, *dx, *du, *db, *dw, *dh0, *da;
  size_t ldh, ldhl, lx, lh, lu, lw, lh0, ldx, ldu, ldb, ldw, ldh0, lda;
  int64_t B, T, d, n, time_major;
  GET_F32(0, dh, ldh);
  GET_F32(1, dhl, ldhl);
  GET_F32(2, x, lx);
  GET_F32(3, h, lh);
  GET_F32(4, u, lu);
  GET_F32(5, w, lw);
  GET_F32(6, h0, lh0);
  GET_F32(7, dx, ldx);
  GET_F32(8, du, ldu);
  GET_F32(9, db, ldb);
  GET_F32(10, dw, ldw);
  GET_F32(11, dh0, ldh0);
  GET_F32(12, da, lda);
  GET_I64(13, B);
  GET_I64(14, T);
  GET_I64(15, d);
  GET_I64(16, n);
  GET_I64(17, time_major);
  const int has_seq = ldh > 0, has_last = ldhl > 0, has_dx = ldx > 0;
  if (!sizes_ok(B, T, d, n) || (has_seq && time_major)) {
    napi_throw_range_error(env, NULL, has_seq && time_major ? "dale_openblas.reluRnnV2Backward: dh (batch-major) needs batch-major states"
                                                            : "dale_openblas.reluRnnV2Backward: sizes exceed the arrays");
    return NULL;
  }
  const uint64_t total = (uint64_t)(B * T * n), inputs = (uint64_t)(B * T * d);
  if ((has_seq && total > ldh) || (has_last && (uint64_t)(B * n) > ldhl) || inputs > lx || total > lh || (uint64_t)(n * d) > lu ||
      (uint64_t)(n * n) > lw || (uint64_t)(B * n) > lh0 || (has_dx && inputs > ldx) || (uint64_t)(n * d) > ldu || (uint64_t)n > ldb ||
      (uint64_t)(n * n) > ldw || (uint64_t)(B * n) > ldh0 || total > lda) {
    napi_throw_range_error(env, NULL, "dale_openblas.reluRnnV2Backward: sizes exceed the arrays");
    return NULL;
  }
  double *accb = calloc((size_t)n, sizeof(double));
  if (!accb) {
    napi_throw_error(env, NULL, "dale_openblas.reluRnnV2Backward: out of memory");
    return NULL;
  }
  const states_layout s = layout_of(time_major != 0, B, T, n);
  const int64_t step = B * n; /* the scratch's step stride */
  for (int64_t t = T - 1; t >= 0; t--) {
    float *dat = da + t * step;
    grad_rows(dat, t < T - 1, has_seq ? dh + t * n : NULL, has_last && t == T - 1 ? dhl : NULL, h + t * s.step, s.ld, accb, B, n);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)n, (int)n, 1.0f, dat, (int)n, w, (int)n, 0.0f, t > 0 ? dat - step : dh0, (int)n);
  }
  for (int64_t i = 0; i < n; i++) db[i] = (float)accb[i];
  free(accb);
  for (int64_t t = 0; t < T; t++) {
    const float *dat = da + t * step;
    const float beta = t == 0 ? 0.0f : 1.0f;
    const float *prev = t == 0 ? h0 : h + (t - 1) * s.step;
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)B, 1.0f, dat, (int)n, prev, t == 0 ? (int)n : (int)s.ld, beta, dw, (int)n);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)d, (int)B, 1.0f, dat, (int)n, x + t * d, (int)(T * d), beta, du, (int)d);
    if (has_dx) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)d, (int)n, 1.0f, dat, (int)n, u, (int)d, 0.0f, dx + t * d, (int)(T * d));
  }
  return NULL;
}
