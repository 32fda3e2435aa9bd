/* The fused DANN dense layer (Cornford et al. 2021, eq. 1) and its gradient. */
#include "dale_openblas.h"

/* ---- fused DANN dense layer (Cornford et al. 2021, eq. 1), row-major, batch B ----
   zE = x W_EEᵀ, zI = x W_IEᵀ, s = zI W_EIᵀ, a = zI ⊙ e^α, γ = a W_EIᵀ + ε, c = zE − s,
   z = g ⊙ c / γ + β. Each element-wise step rounds to float32 as the separate tfjs ops do. */

/* The element-wise passes, out of line: inlined into the Node-API functions, gcc 12 vectorises
   none of these loops. Every operation is the float32 one of the separate tfjs ops, in order. */

/* out[b][j] = x[b][j] · s[j]. */
__attribute__((noinline)) static void scale_columns(const float *x, const float *s, float *out, int64_t B, int64_t m) {
  for (int64_t b = 0; b < B; b++) {
    const float *xr = x + b * m;
    float *o = out + b * m;
    for (int64_t j = 0; j < m; j++) o[j] = xr[j] * s[j];
  }
}

/* γ ← γ + eps; c ← z_E − s; z ← g ⊙ c / γ + β (z holds z_E and c holds s = W_EI z_I on entry). */
__attribute__((noinline)) static void forward_rows(float *z, float *c, float *gamma, const float *g, const float *beta, float eps, int64_t B, int64_t ne) {
  for (int64_t b = 0; b < B; b++) {
    float *zr = z + b * ne, *cr = c + b * ne, *gr = gamma + b * ne;
    for (int64_t k = 0; k < ne; k++) {
      float gk = gr[k] + eps;
      gr[k] = gk;
      float ck = zr[k] - cr[k];
      cr[k] = ck;
      float num = g[k] * ck;
      float q = num / gk;
      zr[k] = q + beta[k];
    }
  }
}

/* u = dz / γ; q = u ⊙ g; dγ = −(dz ⊙ g ⊙ c) / γ²; accg += u ⊙ c and accb += dz in float64 (uc: a row of scratch). */
__attribute__((noinline)) static void backward_rows(const float *restrict dz, const float *restrict c, const float *restrict gamma, const float *restrict g,
                                                    float *restrict q, float *restrict dgam, double *restrict accg, double *restrict accb, float *restrict uc,
                                                    int64_t B, int64_t ne) {
  for (int64_t b = 0; b < B; b++) {
    const float *dzr = dz + b * ne, *cr = c + b * ne, *gr = gamma + b * ne;
    float *qr = q + b * ne, *dgr = dgam + b * ne;
    for (int64_t k = 0; k < ne; k++) {
      float u = dzr[k] / gr[k];           /* dL/d(g ⊙ c) */
      qr[k] = u * g[k];                   /* dL/dc */
      uc[k] = u * cr[k];
      float num = g[k] * cr[k];
      float gg = gr[k] * gr[k];
      dgr[k] = -(dzr[k] * num) / gg;      /* dL/dγ */
    }
    /* float64 sums in a loop of their own: mixed float / double in one loop is not vectorised */
    for (int64_t k = 0; k < ne; k++) {
      accg[k] += (double)uc[k];
      accb[k] += (double)dzr[k];
    }
  }
}

/* acca += da ⊙ z_I (float64); dz_I += da ⊙ e^α. */
__attribute__((noinline)) static void inhibitory_rows(const float *da, const float *zi, const float *ea, float *dzi, double *acca, int64_t B, int64_t ni) {
  for (int64_t b = 0; b < B; b++) {
    const float *dar = da + b * ni, *zr = zi + b * ni;
    float *dr = dzi + b * ni;
    for (int64_t j = 0; j < ni; j++) {
      float daj = dar[j];
      acca[j] += (double)(daj * zr[j]);
      dr[j] += daj * ea[j];
    }
  }
}

/* dannDenseForward(x, wEE, wIE, wEI, alpha, g, beta, z, c, gamma, zI, B, d, ne, ni, eps) */
napi_value dale_dann_dense_forward(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 16) {
    napi_throw_type_error(env, NULL, "dale_openblas.dannDenseForward: expected 16 arguments");
    return NULL;
  }
  float *x, *wee, *wie, *wei, *alpha, *g, *beta, *z, *c, *gamma, *zi;
  size_t lx, lwee, lwie, lwei, la, lg, lb, lz, lc, lgam, lzi;
  int64_t B, d, ne, ni;
  double eps64;
  GET_F32(0, x, lx); GET_F32(1, wee, lwee); GET_F32(2, wie, lwie); GET_F32(3, wei, lwei); GET_F32(4, alpha, la);
  GET_F32(5, g, lg); GET_F32(6, beta, lb); GET_F32(7, z, lz); GET_F32(8, c, lc); GET_F32(9, gamma, lgam); GET_F32(10, zi, lzi);
  GET_I64(11, B); GET_I64(12, d); GET_I64(13, ne); GET_I64(14, ni);
  CHECK(napi_get_value_double(env, argv[15], &eps64));
  if (B < 1 || d < 1 || ne < 1 || ni < 1 || (uint64_t)(B * d) > lx || (uint64_t)(ne * d) > lwee || (uint64_t)(ni * d) > lwie ||
      (uint64_t)(ne * ni) > lwei || (uint64_t)ni > la || (uint64_t)ne > lg || (uint64_t)ne > lb || (uint64_t)(B * ne) > lz ||
      (uint64_t)(B * ne) > lc || (uint64_t)(B * ne) > lgam || (uint64_t)(B * ni) > lzi) {
    napi_throw_range_error(env, NULL, "dale_openblas.dannDenseForward: sizes exceed the arrays");
    return NULL;
  }
  float *a = malloc(sizeof(float) * (size_t)(B * ni));
  float *ea = malloc(sizeof(float) * (size_t)ni);
  if (!a || !ea) {
    free(a); free(ea);
    napi_throw_error(env, NULL, "dale_openblas.dannDenseForward: out of memory");
    return NULL;
  }
  const float eps = (float)eps64;
  dale_sgemm_abt((int)B, (int)ne, (int)d, x, wee, z);    /* zE */
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ni, (int)d, 1.0f, x, (int)d, wie, (int)d, 0.0f, zi, (int)ni);   /* zI */
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, zi, (int)ni, wei, (int)ni, 0.0f, c, (int)ne); /* s */
  for (int64_t j = 0; j < ni; j++) ea[j] = (float)exp((double)alpha[j]);
  scale_columns(zi, ea, a, B, ni);
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, a, (int)ni, wei, (int)ni, 0.0f, gamma, (int)ne);
  forward_rows(z, c, gamma, g, beta, eps, B, ne);
  free(a);
  free(ea);
  return NULL;
}

/* dannDenseBackward(dz, x, wEI, alpha, g, c, gamma, zI, dwEE, dwIE, dwEI, dalpha, dg, dbeta, q, dzI, B, d, ne, ni)
   q = dL/dc = (dz / γ) ⊙ g, dγ = −(dz ⊙ g ⊙ c) / γ², da = dγ W_EI, dzI = −q W_EI + da ⊙ e^α,
   dW_EE = qᵀ x, dW_IE = dzIᵀ x, dW_EI = dγᵀ a − qᵀ zI, dα = Σ_b da ⊙ zI ⊙ e^α,
   dg = Σ_b (dz / γ) ⊙ c, dβ = Σ_b dz. dL/dx = q W_EE + dzI W_IE is left to the caller (only
   when x needs a gradient). */
napi_value dale_dann_dense_backward(napi_env env, napi_callback_info info) {
  size_t argc = 20;
  napi_value argv[20];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 20) {
    napi_throw_type_error(env, NULL, "dale_openblas.dannDenseBackward: expected 20 arguments");
    return NULL;
  }
  float *dz, *x, *wei, *alpha, *g, *c, *gamma, *zi, *dwee, *dwie, *dwei, *dalpha, *dg, *dbeta, *q, *dzi;
  size_t l[16];
  int64_t B, d, ne, ni;
  GET_F32(0, dz, l[0]); GET_F32(1, x, l[1]); GET_F32(2, wei, l[2]); GET_F32(3, alpha, l[3]); GET_F32(4, g, l[4]);
  GET_F32(5, c, l[5]); GET_F32(6, gamma, l[6]); GET_F32(7, zi, l[7]); GET_F32(8, dwee, l[8]); GET_F32(9, dwie, l[9]);
  GET_F32(10, dwei, l[10]); GET_F32(11, dalpha, l[11]); GET_F32(12, dg, l[12]); GET_F32(13, dbeta, l[13]); GET_F32(14, q, l[14]);
  GET_F32(15, dzi, l[15]);
  GET_I64(16, B); GET_I64(17, d); GET_I64(18, ne); GET_I64(19, ni);
  uint64_t need[16] = {(uint64_t)(B * ne), (uint64_t)(B * d), (uint64_t)(ne * ni), (uint64_t)ni, (uint64_t)ne, (uint64_t)(B * ne),
                       (uint64_t)(B * ne), (uint64_t)(B * ni), (uint64_t)(ne * d), (uint64_t)(ni * d), (uint64_t)(ne * ni), (uint64_t)ni,
                       (uint64_t)ne, (uint64_t)ne, (uint64_t)(B * ne), (uint64_t)(B * ni)};
  int ok = B >= 1 && d >= 1 && ne >= 1 && ni >= 1;
  for (int i = 0; i < 16 && ok; i++) ok = need[i] <= l[i];
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas.dannDenseBackward: sizes exceed the arrays");
    return NULL;
  }
  float *dgam = malloc(sizeof(float) * (size_t)(B * ne));
  float *a = malloc(sizeof(float) * (size_t)(B * ni));
  float *da = malloc(sizeof(float) * (size_t)(B * ni));
  float *ea = malloc(sizeof(float) * (size_t)ni);
  double *acc = calloc((size_t)(2 * ne + ni), sizeof(double));
  float *uc = malloc(sizeof(float) * (size_t)ne);
  if (!dgam || !a || !da || !ea || !acc || !uc) {
    free(dgam); free(a); free(da); free(ea); free(acc); free(uc);
    napi_throw_error(env, NULL, "dale_openblas.dannDenseBackward: out of memory");
    return NULL;
  }
  double *accg = acc, *accb = acc + ne, *acca = acc + 2 * ne;
  for (int64_t j = 0; j < ni; j++) ea[j] = (float)exp((double)alpha[j]);
  backward_rows(dz, c, gamma, g, q, dgam, accg, accb, uc, B, ne);
  scale_columns(zi, ea, a, B, ni);
  /* da = dγ W_EI; dzI = −q W_EI (then + da ⊙ e^α) */
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, 1.0f, dgam, (int)ne, wei, (int)ni, 0.0f, da, (int)ni);
  dale_sgemm_thin(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, -1.0f, q, (int)ne, wei, (int)ni, 0.0f, dzi, (int)ni);
  inhibitory_rows(da, zi, ea, dzi, acca, B, ni);
  /* dW_EI = dγᵀ a − qᵀ zI; dW_EE = qᵀ x; dW_IE = dzIᵀ x */
  dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, 1.0f, dgam, (int)ne, a, (int)ni, 0.0f, dwei, (int)ni);
  dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, -1.0f, q, (int)ne, zi, (int)ni, 1.0f, dwei, (int)ni);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)d, (int)B, 1.0f, q, (int)ne, x, (int)d, 0.0f, dwee, (int)d);
  dale_sgemm_thin(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ni, (int)d, (int)B, 1.0f, dzi, (int)ni, x, (int)d, 0.0f, dwie, (int)d);
  for (int64_t k = 0; k < ne; k++) { dg[k] = (float)accg[k]; dbeta[k] = (float)accb[k]; }
  for (int64_t j = 0; j < ni; j++) dalpha[j] = (float)(acca[j] * (double)ea[j]);
  free(dgam); free(a); free(da); free(ea); free(acc); free(uc);
  return NULL;
}
