/*
 * The fused continuous-time RNN Euler recurrence (Song, Yang & Wang 2016, eqs. 1-2) and its
 * backpropagation through time: the DaleCtRnn_v1 / DaleCtRnnGrad_v1 contract of @dale-nn/core.
 *
 *   v_{t+1} = (1 - α) ⊙ v_t + α ⊙ (φ(v_t) Wᵀ + d_t),   t = 0..T-1, time-major [T, B, n]
 *
 * φ: 0 relu, 1 softplus (tfjs's thresholds), 2 tanh; each rounded to float32 as tfjs's kernels
 * round it, so the forward pass is the separate ops' to the sgemm's summation order.
 */
#include "dale_openblas.h"

enum { ACT_RELU = 0, ACT_SOFTPLUS = 1, ACT_TANH = 2 };

/* tfjs's Softplus: x above -threshold is x, below threshold is e^x, log(1 + e^x) between. */
static const double SOFTPLUS_THRESHOLD = -13.942385152878742; /* log(2^-23) + 2 */

/* r = φ(v), n elements. */
static void apply_phi(const float *v, float *r, size_t n, int act) {
  switch (act) {
    case ACT_RELU:
      for (size_t i = 0; i < n; i++) {
        float x = v[i]; /* one unconditional load per element keeps the loop branch-free (vectorised) */
        r[i] = x > 0 ? x : (x != x ? x : 0.0f);
      }
      break;
    case ACT_SOFTPLUS:
      for (size_t i = 0; i < n; i++) {
        double x = v[i], e = exp(x);
        r[i] = (float)(x < SOFTPLUS_THRESHOLD ? e : x > -SOFTPLUS_THRESHOLD ? x : log(1.0 + e));
      }
      break;
    default:
      for (size_t i = 0; i < n; i++) r[i] = (float)tanh((double)v[i]);
      break;
  }
}

/* out = keep ⊙ g + φ'(v) ⊙ q (+ add when non-null), row-wise over [B, n]. */
static void backprop_step(const float *g, const float *q, const float *v, const float *keep, const float *add, float *out,
                          size_t B, size_t n, int act) {
  for (size_t b = 0; b < B; b++) {
    const float *gb = g + b * n, *qb = q + b * n, *vb = v + b * n;
    const float *ab = add ? add + b * n : NULL;
    float *ob = out + b * n;
    switch (act) {
      case ACT_RELU:
        for (size_t j = 0; j < n; j++) {
          float x = vb[j], qj = qb[j]; /* both loads unconditional: a blend, not a branch */
          ob[j] = keep[j] * gb[j] + (x > 0 ? qj : 0.0f);
        }
        break;
      case ACT_SOFTPLUS:
        for (size_t j = 0; j < n; j++) {
          float s = (float)(1.0 / (1.0 + exp(-(double)vb[j]))); /* tfjs: dy ⊙ sigmoid(x) */
          ob[j] = keep[j] * gb[j] + qb[j] * s;
        }
        break;
      default:
        for (size_t j = 0; j < n; j++) {
          float y = (float)tanh((double)vb[j]);
          float d = 1.0f - y * y; /* tfjs: dy ⊙ (1 − y²) */
          ob[j] = keep[j] * gb[j] + qb[j] * d;
        }
        break;
    }
    if (ab) for (size_t j = 0; j < n; j++) ob[j] += ab[j];
  }
}

static int act_ok(int64_t act) { return act == ACT_RELU || act == ACT_SOFTPLUS || act == ACT_TANH; }

/* ctRnnForward(drive [T*B*n], w [n*n], alpha [n], v0 [B*n], states out [T*B*n], T, B, n, activation) */
napi_value dale_ct_rnn_forward(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *d, *w, *alpha, *v0, *s;
  size_t ld, lw, la, lv0, ls;
  int64_t T, B, n, act;
  if (argc != 9) {
    napi_throw_type_error(env, NULL, "dale_openblas.ctRnnForward: expected 9 arguments");
    return NULL;
  }
  GET_F32(0, d, ld);
  GET_F32(1, w, lw);
  GET_F32(2, alpha, la);
  GET_F32(3, v0, lv0);
  GET_F32(4, s, ls);
  GET_I64(5, T);
  GET_I64(6, B);
  GET_I64(7, n);
  GET_I64(8, act);
  uint64_t total = (uint64_t)(T * B * n);
  if (T < 1 || B < 1 || n < 1 || total > ld || total > ls || (uint64_t)(n * n) > lw || (uint64_t)n > la || (uint64_t)(B * n) > lv0) {
    napi_throw_range_error(env, NULL, "dale_openblas.ctRnnForward: sizes exceed the arrays");
    return NULL;
  }
  if (!act_ok(act)) {
    napi_throw_range_error(env, NULL, "dale_openblas.ctRnnForward: activation must be 0 (relu), 1 (softplus) or 2 (tanh)");
    return NULL;
  }
  size_t step = (size_t)(B * n);
  float *r = malloc(sizeof(float) * step);
  float *keep = malloc(sizeof(float) * (size_t)n);
  if (!r || !keep) {
    free(r);
    free(keep);
    napi_throw_error(env, NULL, "dale_openblas.ctRnnForward: out of memory");
    return NULL;
  }
  for (int64_t i = 0; i < n; i++) keep[i] = 1.0f - alpha[i];
  for (int64_t t = 0; t < T; t++) {
    const float *prev = t == 0 ? v0 : s + (t - 1) * step;
    float *st = s + t * step;
    apply_phi(prev, r, step, (int)act);
    /* inner = d_t + φ(v_t) Wᵀ, then v_{t+1} = (1 − α) v_t + α inner (no FMA: -ffp-contract=off) */
    memcpy(st, d + t * step, sizeof(float) * step);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)n, (int)n, 1.0f, r, (int)n, w, (int)n, 1.0f, st, (int)n);
    for (int64_t b = 0; b < B; b++) {
      const float *pb = prev + b * n;
      float *sb = st + b * n;
      for (int64_t i = 0; i < n; i++) sb[i] = keep[i] * pb[i] + alpha[i] * sb[i];
    }
  }
  free(r);
  free(keep);
  return NULL;
}

/*
 * ctRnnBackward(dy [T*B*n], states [T*B*n], drive [T*B*n], w [n*n], alpha [n], v0 [B*n],
 *               dDrive out [T*B*n], dw out [n*n], dAlpha out [n], dv0 out [B*n], T, B, n, activation)
 *
 * g = dL/dv_T = dy_{T-1}; for t = T-1..0, with v_t the state before step t (v0 at t = 0):
 *   G_t = g (stored in dDrive, scaled by α at the end), Φ_t = φ(v_t),
 *   q = g · diag(α) W  (= (α ⊙ g) W), g ← (1 − α) ⊙ g + φ'(v_t) ⊙ q (+ dy_{t-1} when t > 0; else dv0).
 * Then G = Σ_t G_tᵀ Φ_t (one product over all steps), dW = diag(α) G,
 * dα_i = Σ_{t,b} g (d_t − v_t)_i + Σ_j W_ij G_ij, dDrive = α ⊙ G_t.
 */
napi_value dale_ct_rnn_backward(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *dy, *s, *d, *w, *alpha, *v0, *dd, *dw, *da, *dv0;
  size_t ldy, ls, ld, lw, la, lv0, ldd, ldw, lda, ldv0;
  int64_t T, B, n, act;
  if (argc != 14) {
    napi_throw_type_error(env, NULL, "dale_openblas.ctRnnBackward: expected 14 arguments");
    return NULL;
  }
  GET_F32(0, dy, ldy);
  GET_F32(1, s, ls);
  GET_F32(2, d, ld);
  GET_F32(3, w, lw);
  GET_F32(4, alpha, la);
  GET_F32(5, v0, lv0);
  GET_F32(6, dd, ldd);
  GET_F32(7, dw, ldw);
  GET_F32(8, da, lda);
  GET_F32(9, dv0, ldv0);
  GET_I64(10, T);
  GET_I64(11, B);
  GET_I64(12, n);
  GET_I64(13, act);
  uint64_t total = (uint64_t)(T * B * n), nn = (uint64_t)(n * n), bn = (uint64_t)(B * n);
  if (T < 1 || B < 1 || n < 1 || total > ldy || total > ls || total > ld || total > ldd || nn > lw || nn > ldw ||
      (uint64_t)n > la || (uint64_t)n > lda || bn > lv0 || bn > ldv0) {
    napi_throw_range_error(env, NULL, "dale_openblas.ctRnnBackward: sizes exceed the arrays");
    return NULL;
  }
  if (!act_ok(act)) {
    napi_throw_range_error(env, NULL, "dale_openblas.ctRnnBackward: activation must be 0 (relu), 1 (softplus) or 2 (tanh)");
    return NULL;
  }
  size_t step = (size_t)bn;
  float *g = malloc(sizeof(float) * step);
  float *q = malloc(sizeof(float) * step);
  float *phi = malloc(sizeof(float) * (size_t)total);
  float *wa = malloc(sizeof(float) * (size_t)nn);
  float *keep = malloc(sizeof(float) * (size_t)n);
  double *acc = calloc((size_t)n, sizeof(double));
  if (!g || !q || !phi || !wa || !keep || !acc) {
    free(g), free(q), free(phi), free(wa), free(keep), free(acc);
    napi_throw_error(env, NULL, "dale_openblas.ctRnnBackward: out of memory");
    return NULL;
  }
  for (int64_t i = 0; i < n; i++) {
    keep[i] = 1.0f - alpha[i];
    for (int64_t j = 0; j < n; j++) wa[i * n + j] = alpha[i] * w[i * n + j];
  }
  memcpy(g, dy + (T - 1) * step, sizeof(float) * step);
  for (int64_t t = T - 1; t >= 0; t--) {
    const float *prev = t == 0 ? v0 : s + (t - 1) * step;
    const float *dt = d + t * step;
    float *gt = dd + t * step;
    memcpy(gt, g, sizeof(float) * step);
    for (int64_t b = 0; b < B; b++) {
      const float *gb = g + b * n, *db = dt + b * n, *pb = prev + b * n;
      for (int64_t i = 0; i < n; i++) acc[i] += (double)gb[i] * ((double)db[i] - (double)pb[i]);
    }
    apply_phi(prev, phi + t * step, step, (int)act);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)n, (int)n, 1.0f, g, (int)n, wa, (int)n, 0.0f, q, (int)n);
    if (t > 0) {
      /* g is read and overwritten element by element (same index): safe in place. */
      backprop_step(g, q, prev, keep, dy + (t - 1) * step, g, (size_t)B, (size_t)n, (int)act);
    } else {
      backprop_step(g, q, prev, keep, NULL, dv0, (size_t)B, (size_t)n, (int)act);
    }
  }
  /* G = Σ_t G_tᵀ Φ_t: one product of [T·B, n] blocks, into dw. */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)(T * B), 1.0f, dd, (int)n, phi, (int)n, 0.0f, dw, (int)n);
  for (int64_t i = 0; i < n; i++) {
    double sw = 0;
    for (int64_t j = 0; j < n; j++) {
      float gij = dw[i * n + j];
      sw += (double)w[i * n + j] * (double)gij;
      dw[i * n + j] = alpha[i] * gij;
    }
    da[i] = (float)(acc[i] + sw);
  }
  for (size_t k = 0; k < (size_t)(T * B); k++) {
    float *row = dd + k * (size_t)n;
    for (int64_t i = 0; i < n; i++) row[i] = alpha[i] * row[i];
  }
  free(g), free(q), free(phi), free(wa), free(keep), free(acc);
  return NULL;
}
