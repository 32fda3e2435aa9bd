/* The fused mean softmax cross-entropy over a batch and its logits gradient. */
#include "dale_openblas.h"

/* ---- softmax cross-entropy, row-major [B, C] ----
   For each row b, in the order and float32 roundings of tf.losses.softmaxCrossEntropy on the CPU
   backend (sums accumulated in float64 as its Sum kernel does; exp and log in float64, rounded):
     m = max_c z_c,  s = Σ_c e^(z_c − m),  lse = m + log s,  r_c = z_c − lse (log-softmax),
     loss_b = Σ_c −(r_c · t_c);  loss = (Σ_b loss_b) / B;
     dlogits_c = (1/B) · (e^(r_c) − t_c), 1/B rounded to float32 as tfjs's gradient forms it. */

/* softmaxCrossEntropy(logits, labels, loss[1], dlogits, B, C) */
napi_value dale_softmax_cross_entropy(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) {
    napi_throw_type_error(env, NULL, "dale_openblas.softmaxCrossEntropy: expected 6 arguments");
    return NULL;
  }
  float *z, *t, *loss, *dz;
  size_t lz, lt, ll, ldz;
  int64_t B, C;
  GET_F32(0, z, lz); GET_F32(1, t, lt); GET_F32(2, loss, ll); GET_F32(3, dz, ldz);
  GET_I64(4, B); GET_I64(5, C);
  if (B < 1 || C < 1 || (uint64_t)(B * C) > lz || (uint64_t)(B * C) > lt || ll < 1 || (uint64_t)(B * C) > ldz) {
    napi_throw_range_error(env, NULL, "dale_openblas.softmaxCrossEntropy: sizes exceed the arrays");
    return NULL;
  }
  const float inv = (float)(1.0 / (double)B);
  double total = 0;
  for (int64_t r = 0; r < B; r++) {
    const float *zr = z + r * C, *tr = t + r * C;
    float *dr = dz + r * C;
    float m = zr[0];
    for (int64_t c = 1; c < C; c++) {
      float v = zr[c];
      if (v > m || v != v) m = v;
      if (m != m) break;
    }
    double s = 0;
    for (int64_t c = 0; c < C; c++) {
      float a = zr[c] - m;
      s += (double)(float)exp((double)a);
    }
    const float lse = m + (float)log((double)(float)s);
    double row = 0;
    for (int64_t c = 0; c < C; c++) {
      float lr = zr[c] - lse;
      float prod = lr * tr[c];
      row += (double)(-prod);
      float p = (float)exp((double)lr);
      dr[c] = inv * (p - tr[c]);
    }
    total += (double)(float)row;
  }
  loss[0] = (float)((double)(float)total / (double)B);
  return NULL;
}
