/* DaleDannDense_v2: the fused DANN dense layer y = f(z) (Cornford et al. 2021, eq. 1), f the
   identity or ReLU, and its gradient in one call (dL/dx included when asked for). */
#include "dale_openblas.h"

/* ---- row-major, batch B, weights "post x pre"; P the packed tensor's row length ----
   zE = x W_EEᵀ, zI = x W_IEᵀ, c = zE − zI W_EIᵀ;
   divisive:    γ = (zI ⊙ e^α) W_EIᵀ + ε, z = g ⊙ c / γ + b, packed rows [c | γ | zI], P = 2 ne + ni,
                then g (ne) and e^α (ni): B·P + ne + ni floats;
   subtractive: z = c + b, packed rows zI, P = ni: B·ni floats;
   y = z or ReLU(z) (NaN kept). Each element-wise step rounds to float32 as the separate tfjs ops
   do (and as DaleDannDense_v1 does). The loops are out of line with restrict pointers: inlined
   into the Node-API functions, gcc 12 vectorises none of them. */

enum { ACT_LINEAR = 0, ACT_RELU = 1 };

static inline float relu_nan_kept(float v) { return v > 0 ? v : (v != v ? v : 0.0f); }

/* a[b][j] = zi[b·ldz + j] · ea[j]. */
__attribute__((noinline)) static void scale_rows(const float *restrict zi, int64_t ldz, const float *restrict ea, float *restrict a, int64_t B, int64_t ni) {
  for (int64_t r = 0; r < B; r++) {
    const float *zr = zi + r * ldz;
    float *ar = a + r * ni;
    for (int64_t j = 0; j < ni; j++) ar[j] = zr[j] * ea[j];
  }
}

/* Divisive forward, row by row: on entry y holds zE, c holds s = zI W_EIᵀ and gamma holds
   (zI ⊙ e^α) W_EIᵀ (c and gamma with row stride ld). γ ← γ + ε; c ← zE − s; y ← f(g ⊙ c / γ + b). */
__attribute__((noinline)) static void divisive_forward_rows(float *restrict y, float *restrict c, float *restrict gamma, int64_t ld, const float *restrict g,
                                                            const float *restrict bias, float eps, int act, int64_t B, int64_t ne) {
  for (int64_t r = 0; r < B; r++) {
    float *yr = y + r * ne, *cr = c + r * ld, *gr = gamma + r * ld;
    for (int64_t k = 0; k < ne; k++) {
      float gk = gr[k] + eps;
      gr[k] = gk;
      float ck = yr[k] - cr[k];
      cr[k] = ck;
      float num = g[k] * ck;
      yr[k] = num / gk + bias[k];
    }
    if (act == ACT_RELU) for (int64_t k = 0; k < ne; k++) yr[k] = relu_nan_kept(yr[k]);
  }
}

/* Subtractive forward: y holds c = zE − zI W_EIᵀ on entry; y ← f(c + b). */
__attribute__((noinline)) static void bias_activation_rows(float *restrict y, const float *restrict bias, int act, int64_t B, int64_t ne) {
  for (int64_t r = 0; r < B; r++) {
    float *yr = y + r * ne;
    if (act == ACT_RELU) {
      for (int64_t k = 0; k < ne; k++) yr[k] = relu_nan_kept(yr[k] + bias[k]);
    } else {
      for (int64_t k = 0; k < ne; k++) yr[k] = yr[k] + bias[k];
    }
  }
}

/* dz = dy ⊙ step(y) (tfjs's relu′: 1 where y > 0, 0 elsewhere, NaN where y is NaN) or dy; accb += dz in float64. */
__attribute__((noinline)) static void activation_grad_rows(const float *restrict dy, const float *restrict y, float *restrict dz, double *restrict accb, int act,
                                                           int64_t B, int64_t ne) {
  for (int64_t r = 0; r < B; r++) {
    const float *dyr = dy + r * ne, *yr = y + r * ne;
    float *dzr = dz + r * ne;
    if (act == ACT_RELU) {
      for (int64_t k = 0; k < ne; k++) {
        float v = yr[k];
        float s = v != v ? v : (v > 0 ? 1.0f : 0.0f);
        dzr[k] = dyr[k] * s;
      }
    } else {
      memcpy(dzr, dyr, sizeof(float) * (size_t)ne);
    }
    /* float64 sums in a loop of their own: mixed float / double in one loop is not vectorised */
    for (int64_t k = 0; k < ne; k++) accb[k] += (double)dzr[k];
  }
}

/* Divisive backward rows, dz = dL/dz on entry (overwritten by q): u = dz / γ; q = u ⊙ g;
   dγ = −(dz ⊙ g ⊙ c) / γ²; accg += u ⊙ c in float64 (uc: a row of scratch). As DaleDannDenseGrad_v1. */
__attribute__((noinline)) static void divisive_backward_rows(float *restrict dz, const float *restrict c, const float *restrict gamma, int64_t ld,
                                                             const float *restrict g, float *restrict dgam, double *restrict accg, float *restrict uc,
                                                             int64_t B, int64_t ne) {
  for (int64_t r = 0; r < B; r++) {
    float *qr = dz + r * ne, *dgr = dgam + r * ne;
    const float *cr = c + r * ld, *gr = gamma + r * ld;
    for (int64_t k = 0; k < ne; k++) {
      float dzk = qr[k];
      float u = dzk / gr[k];              /* dL/d(g ⊙ c) */
      qr[k] = u * g[k];                   /* q = dL/dc */
      uc[k] = u * cr[k];
      float num = g[k] * cr[k];
      float gg = gr[k] * gr[k];
      dgr[k] = -(dzk * num) / gg;         /* dL/dγ */
    }
    for (int64_t k = 0; k < ne; k++) accg[k] += (double)uc[k];
  }
}

/* acca += da ⊙ zI (float64); dzI += da ⊙ e^α (zI with row stride ldz). */
__attribute__((noinline)) static void inhibitory_grad_rows(const float *restrict da, const float *restrict zi, int64_t ldz, const float *restrict ea,
                                                           float *restrict dzi, double *restrict acca, int64_t B, int64_t ni) {
  for (int64_t r = 0; r < B; r++) {
    const float *dar = da + r * ni, *zr = zi + r * ldz;
    float *dr = dzi + r * ni;
    for (int64_t j = 0; j < ni; j++) {
      float daj = dar[j];
      acca[j] += (double)(daj * zr[j]);
      dr[j] += daj * ea[j];
    }
  }
}

static void exp_alpha(const float *alpha, float *ea, int64_t ni) {
  for (int64_t j = 0; j < ni; j++) ea[j] = (float)exp((double)alpha[j]);
}

/* dannDenseV2Forward(x, wEE, wIE, wEI, b, alpha, g, y, saved, B, d, ne, ni, divisive, activation, eps)
   alpha and g may be empty when not divisive. */
napi_value dale_dann_dense_v2_forward(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 16) {
    napi_throw_type_error(env, NULL, "dale_openblas.dannDenseV2Forward: expected 16 arguments");
    return NULL;
  }
  float *x, *wee, *wie, *wei, *bias, *alpha, *g, *y, *saved;
  size_t l[9];
  int64_t B, d, ne, ni;
  int32_t divisive, act;
  double eps64;
  GET_F32(0, x, l[0]); GET_F32(1, wee, l[1]); GET_F32(2, wie, l[2]); GET_F32(3, wei, l[3]); GET_F32(4, bias, l[4]);
  GET_F32(5, alpha, l[5]); GET_F32(6, g, l[6]); GET_F32(7, y, l[7]); GET_F32(8, saved, l[8]);
  GET_I64(9, B); GET_I64(10, d); GET_I64(11, ne); GET_I64(12, ni);
  CHECK(napi_get_value_int32(env, argv[13], &divisive));
  CHECK(napi_get_value_int32(env, argv[14], &act));
  CHECK(napi_get_value_double(env, argv[15], &eps64));
  const int64_t P = divisive ? 2 * ne + ni : ni;
  int ok = B >= 1 && d >= 1 && ne >= 1 && ni >= 1 && (act == ACT_LINEAR || act == ACT_RELU);
  if (ok) {
    uint64_t need[9] = {(uint64_t)(B * d), (uint64_t)(ne * d), (uint64_t)(ni * d), (uint64_t)(ne * ni), (uint64_t)ne,
                        divisive ? (uint64_t)ni : 0, divisive ? (uint64_t)ne : 0, (uint64_t)(B * ne),
                        (uint64_t)(B * P) + (divisive ? (uint64_t)(ne + ni) : 0)};
    for (int i = 0; i < 9 && ok; i++) ok = need[i] <= l[i];
  }
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas.dannDenseV2Forward: bad activation or sizes exceed the arrays");
    return NULL;
  }
  /* zE into y; zI into its place in the packed rows */
  float *zi = divisive ? saved + 2 * ne : saved;
  dale_sgemm_abt((int)B, (int)ne, (int)d, x, wee, y);
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ni, (int)d, 1.0f, x, (int)d, wie, (int)d, 0.0f, zi, (int)P);
  if (!divisive) {
    /* y = zE − zI W_EIᵀ in the same sgemm, then f(y + b) */
    dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, -1.0f, zi, (int)P, wei, (int)ni, 1.0f, y, (int)ne);
    bias_activation_rows(y, bias, act, B, ne);
    return NULL;
  }
  float *a = malloc(sizeof(float) * (size_t)(B * ni));
  if (!a) {
    napi_throw_error(env, NULL, "dale_openblas.dannDenseV2Forward: out of memory");
    return NULL;
  }
  float *c = saved, *gamma = saved + ne;
  float *gcopy = saved + B * P, *ea = gcopy + ne;   /* the tail: g and e^α for the gradient */
  memcpy(gcopy, g, sizeof(float) * (size_t)ne);
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, zi, (int)P, wei, (int)ni, 0.0f, c, (int)P); /* s */
  exp_alpha(alpha, ea, ni);
  scale_rows(zi, P, ea, a, B, ni);
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, a, (int)ni, wei, (int)ni, 0.0f, gamma, (int)P);
  divisive_forward_rows(y, c, gamma, P, g, bias, (float)eps64, act, B, ne);
  free(a);
  return NULL;
}

/* dannDenseV2Backward(dy, x, wEE, wIE, wEI, y, saved, dwEE, dwIE, dwEI, db, dalpha, dg, dx,
                       B, d, ne, ni, divisive, activation, inputGradient)
   dalpha, dg may be empty when not divisive, dx when not inputGradient; g and e^α are read from
   the packed tensor's tail. With dz = dy ⊙ f′:
   q = dz (subtractive) or dz ⊙ g / γ (divisive, dγ = −(dz ⊙ g ⊙ c) / γ², a = zI ⊙ e^α, da = dγ W_EI);
   dzI = −q W_EI (+ da ⊙ e^α), dW_EE = qᵀ x, dW_IE = dzIᵀ x, dW_EI = −qᵀ zI (+ dγᵀ a), db = Σ dz,
   dg = Σ (dz / γ) ⊙ c, dα = Σ da ⊙ zI ⊙ e^α, dx = q W_EE + dzI W_IE. */
napi_value dale_dann_dense_v2_backward(napi_env env, napi_callback_info info) {
  size_t argc = 21;
  napi_value argv[21];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 21) {
    napi_throw_type_error(env, NULL, "dale_openblas.dannDenseV2Backward: expected 21 arguments");
    return NULL;
  }
  float *dy, *x, *wee, *wie, *wei, *y, *saved, *dwee, *dwie, *dwei, *db, *dalpha, *dg, *dx;
  size_t l[14];
  int64_t B, d, ne, ni;
  int32_t divisive, act, want_dx;
  GET_F32(0, dy, l[0]); GET_F32(1, x, l[1]); GET_F32(2, wee, l[2]); GET_F32(3, wie, l[3]); GET_F32(4, wei, l[4]);
  GET_F32(5, y, l[5]); GET_F32(6, saved, l[6]); GET_F32(7, dwee, l[7]); GET_F32(8, dwie, l[8]); GET_F32(9, dwei, l[9]);
  GET_F32(10, db, l[10]); GET_F32(11, dalpha, l[11]); GET_F32(12, dg, l[12]); GET_F32(13, dx, l[13]);
  GET_I64(14, B); GET_I64(15, d); GET_I64(16, ne); GET_I64(17, ni);
  CHECK(napi_get_value_int32(env, argv[18], &divisive));
  CHECK(napi_get_value_int32(env, argv[19], &act));
  CHECK(napi_get_value_int32(env, argv[20], &want_dx));
  const int64_t P = divisive ? 2 * ne + ni : ni;
  int ok = B >= 1 && d >= 1 && ne >= 1 && ni >= 1 && (act == ACT_LINEAR || act == ACT_RELU);
  if (ok) {
    const uint64_t dv = divisive ? 1 : 0;
    uint64_t need[14] = {(uint64_t)(B * ne), (uint64_t)(B * d), (uint64_t)(ne * d), (uint64_t)(ni * d), (uint64_t)(ne * ni),
                         (uint64_t)(B * ne), (uint64_t)(B * P) + dv * (uint64_t)(ne + ni), (uint64_t)(ne * d),
                         (uint64_t)(ni * d), (uint64_t)(ne * ni), (uint64_t)ne, dv * (uint64_t)ni, dv * (uint64_t)ne,
                         want_dx ? (uint64_t)(B * d) : 0};
    for (int i = 0; i < 14 && ok; i++) ok = need[i] <= l[i];
  }
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas.dannDenseV2Backward: bad activation or sizes exceed the arrays");
    return NULL;
  }
  const float *zi = divisive ? saved + 2 * ne : saved;
  float *q = malloc(sizeof(float) * (size_t)(B * ne));           /* dz, then q */
  float *dzi = malloc(sizeof(float) * (size_t)(B * ni));
  double *acc = calloc((size_t)(2 * ne + ni), sizeof(double));   /* db, dg, dα sums */
  float *dgam = divisive ? malloc(sizeof(float) * (size_t)(B * ne)) : NULL;
  float *a = divisive ? malloc(sizeof(float) * (size_t)(B * ni)) : NULL;
  float *da = divisive ? malloc(sizeof(float) * (size_t)(B * ni)) : NULL;
  float *uc = divisive ? malloc(sizeof(float) * (size_t)ne) : NULL;
  if (!q || !dzi || !acc || (divisive && (!dgam || !a || !da || !uc))) {
    free(q); free(dzi); free(acc); free(dgam); free(a); free(da); free(uc);
    napi_throw_error(env, NULL, "dale_openblas.dannDenseV2Backward: out of memory");
    return NULL;
  }
  double *accb = acc, *accg = acc + ne, *acca = acc + 2 * ne;
  activation_grad_rows(dy, y, q, accb, act, B, ne);
  if (divisive) {
    const float *c = saved, *gamma = saved + ne, *g = saved + B * P, *ea = g + ne;
    divisive_backward_rows(q, c, gamma, P, g, dgam, accg, uc, B, ne);
    scale_rows(zi, P, ea, a, B, ni);
    /* da = dγ W_EI; dzI = −q W_EI, then + da ⊙ e^α */
    dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, 1.0f, dgam, (int)ne, wei, (int)ni, 0.0f, da, (int)ni);
    dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, -1.0f, q, (int)ne, wei, (int)ni, 0.0f, dzi, (int)ni);
    inhibitory_grad_rows(da, zi, P, ea, dzi, acca, B, ni);
    /* dW_EI = dγᵀ a − qᵀ zI */
    dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, 1.0f, dgam, (int)ne, a, (int)ni, 0.0f, dwei, (int)ni);
    dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, -1.0f, q, (int)ne, zi, (int)P, 1.0f, dwei, (int)ni);
  } else {
    dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, -1.0f, q, (int)ne, wei, (int)ni, 0.0f, dzi, (int)ni);
    dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, -1.0f, q, (int)ne, zi, (int)P, 0.0f, dwei, (int)ni);
  }
  /* dW_EE = qᵀ x; dW_IE = dzIᵀ x; dx = q W_EE + dzI W_IE */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)d, (int)B, 1.0f, q, (int)ne, x, (int)d, 0.0f, dwee, (int)d);
  dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ni, (int)d, (int)B, 1.0f, dzi, (int)ni, x, (int)d, 0.0f, dwie, (int)d);
  if (want_dx) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)d, (int)ne, 1.0f, q, (int)ne, wee, (int)d, 0.0f, dx, (int)d);
    dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)d, (int)ni, 1.0f, dzi, (int)ni, wie, (int)d, 1.0f, dx, (int)d);
  }
  for (int64_t k = 0; k < ne; k++) db[k] = (float)accb[k];
  if (divisive) {
    const float *ea = saved + B * P + ne;
    for (int64_t k = 0; k < ne; k++) dg[k] = (float)accg[k];
    for (int64_t j = 0; j < ni; j++) dalpha[j] = (float)(acca[j] * (double)ea[j]);
  }
  free(q); free(dzi); free(acc); free(dgam); free(a); free(da); free(uc);
  return NULL;
}
