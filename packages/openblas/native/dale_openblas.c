/*
 * dale_openblas: a small Node-API addon exposing OpenBLAS sgemm and two LAPACK drivers
 * (dgeev, dgesdd, values only) to JavaScript. Built from source by node-gyp against Debian's
 * libopenblas-dev; see ../scripts/build-addon.mjs. All matrices are row-major on the JS side.
 */
#include <node_api.h>
#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

/* LAPACK (Fortran ABI, column-major) as shipped inside libopenblas. The trailing size_t
   arguments are gfortran's hidden lengths of the character arguments. */
extern void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
                   double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
                   double *work, const int *lwork, int *info, size_t, size_t);
extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
                    double *s, double *u, const int *ldu, double *vt, const int *ldvt,
                    double *work, const int *lwork, int *iwork, int *info, size_t);
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error(env, NULL, "dale_openblas: Node-API call failed");  \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

static int get_f32(napi_env env, napi_value v, float **data, size_t *length) {
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

static int get_f64(napi_env env, napi_value v, double **data, size_t *length) {
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

static int get_i64(napi_env env, napi_value v, int64_t *out) {
  if (napi_get_value_int64(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "dale_openblas: expected an integer");
    return 0;
  }
  return 1;
}

/*
 * sgemmBatched(a, b, c, batch, m, n, k, transA, transB, aBatchStride, bBatchStride)
 * For each i < batch: C_i (m x n) = op(A_i) op(B_i), A_i at a + i * aBatchStride, etc.
 * op(A) is m x k; A is stored k x m when transA. Strides of 0 broadcast one matrix.
 */
static napi_value sgemm_batched(napi_env env, napi_callback_info info) {
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
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                1.0f, a + i * sa, ta ? (int)m : (int)k, b + i * sb, tb ? (int)k : (int)n, 0.0f, ci, (int)n);
  }
  return NULL;
}

/* eigenvalues(a: Float64Array n*n (overwritten), n, wr: Float64Array, wi: Float64Array) -> info */
static napi_value eigenvalues(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "dale_openblas.eigenvalues: expected 4 arguments");
    return NULL;
  }
  double *a, *wr, *wi;
  size_t la, lr, li;
  int64_t n64;
  if (!get_f64(env, argv[0], &a, &la) || !get_i64(env, argv[1], &n64) || !get_f64(env, argv[2], &wr, &lr) ||
      !get_f64(env, argv[3], &wi, &li)) return NULL;
  if (n64 < 1 || n64 > 100000 || (uint64_t)(n64 * n64) > la || (uint64_t)n64 > lr || (uint64_t)n64 > li) {
    napi_throw_range_error(env, NULL, "dale_openblas.eigenvalues: sizes exceed the arrays");
    return NULL;
  }
  int n = (int)n64, one = 1, lwork = -1, status = 0;
  double query = 0, dummy = 0;
  /* Row-major A is column-major Aᵀ, which has the same eigenvalues. */
  dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, &query, &lwork, &status, 1, 1);
  if (status == 0) {
    lwork = (int)query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    if (!work) {
      napi_throw_error(env, NULL, "dale_openblas.eigenvalues: out of memory");
      return NULL;
    }
    dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, work, &lwork, &status, 1, 1);
    free(work);
  }
  napi_value out;
  CHECK(napi_create_int32(env, status, &out));
  return out;
}

/* singularValues(a: Float64Array rows*cols (overwritten), rows, cols, s: Float64Array) -> info */
static napi_value singular_values(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "dale_openblas.singularValues: expected 4 arguments");
    return NULL;
  }
  double *a, *s;
  size_t la, ls;
  int64_t rows, cols;
  if (!get_f64(env, argv[0], &a, &la) || !get_i64(env, argv[1], &rows) || !get_i64(env, argv[2], &cols) ||
      !get_f64(env, argv[3], &s, &ls)) return NULL;
  int64_t kmin = rows < cols ? rows : cols;
  if (rows < 1 || cols < 1 || rows > 1000000 || cols > 1000000 || (uint64_t)(rows * cols) > la || (uint64_t)kmin > ls) {
    napi_throw_range_error(env, NULL, "dale_openblas.singularValues: sizes exceed the arrays");
    return NULL;
  }
  /* Row-major rows x cols is column-major cols x rows (the transpose: same singular values). */
  int m = (int)cols, n = (int)rows, lda = (int)cols, one = 1, lwork = -1, status = 0;
  double query = 0, dummy = 0;
  int *iwork = malloc(sizeof(int) * 8 * (size_t)kmin);
  if (!iwork) {
    napi_throw_error(env, NULL, "dale_openblas.singularValues: out of memory");
    return NULL;
  }
  dgesdd_("N", &m, &n, a, &lda, s, &dummy, &one, &dummy, &one, &query, &lwork, iwork, &status, 1);
  if (status == 0) {
    lwork = (int)query;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    if (!work) {
      free(iwork);
      napi_throw_error(env, NULL, "dale_openblas.singularValues: out of memory");
      return NULL;
    }
    dgesdd_("N", &m, &n, a, &lda, s, &dummy, &one, &dummy, &one, work, &lwork, iwork, &status, 1);
    free(work);
  }
  free(iwork);
  napi_value out;
  CHECK(napi_create_int32(env, status, &out));
  return out;
}


/* ---- element-wise float32 loops (the tfjs CPU backend's formulas, vectorisable) ---- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAX, OP_MIN, OP_SQDIFF };
enum { MODE_SAME, MODE_B_SCALAR, MODE_A_SCALAR, MODE_B_ROW, MODE_A_ROW };

static inline float apply_binary(int op, float a, float b) {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_MAX: return (a != a || b != b) ? NAN : (a > b ? a : b);
    case OP_MIN: return (a != a || b != b) ? NAN : (a < b ? a : b);
    default: { double d = (double)a - (double)b; return (float)(d * d); }
  }
}

#define BINARY_LOOPS(OP)                                                                          \
  switch (mode) {                                                                                 \
    case MODE_SAME: for (size_t i = 0; i < n; i++) out[i] = apply_binary(OP, a[i], b[i]); break;  \
    case MODE_B_SCALAR: { float v = b[0]; for (size_t i = 0; i < n; i++) out[i] = apply_binary(OP, a[i], v); } break; \
    case MODE_A_SCALAR: { float v = a[0]; for (size_t i = 0; i < n; i++) out[i] = apply_binary(OP, v, b[i]); } break; \
    case MODE_B_ROW: for (size_t r = 0; r < n; r += block) for (size_t j = 0; j < block; j++) out[r + j] = apply_binary(OP, a[r + j], b[j]); break; \
    default: for (size_t r = 0; r < n; r += block) for (size_t j = 0; j < block; j++) out[r + j] = apply_binary(OP, a[j], b[r + j]); break; \
  }

/* binary(op, mode, a, b, out, block): out = a (op) b with the given broadcast mode */
static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t op, mode;
  int64_t block64;
  float *a, *b, *out;
  size_t la, lb, n;
  if (argc != 6 || napi_get_value_int32(env, argv[0], &op) != napi_ok || napi_get_value_int32(env, argv[1], &mode) != napi_ok) {
    napi_throw_type_error(env, NULL, "dale_openblas.binary: expected (op, mode, a, b, out, block)");
    return NULL;
  }
  if (!get_f32(env, argv[2], &a, &la) || !get_f32(env, argv[3], &b, &lb) || !get_f32(env, argv[4], &out, &n) || !get_i64(env, argv[5], &block64)) return NULL;
  size_t block = (size_t)block64;
  int ok = op >= OP_ADD && op <= OP_SQDIFF && block64 >= 0;
  switch (mode) {
    case MODE_SAME: ok = ok && la >= n && lb >= n; break;
    case MODE_B_SCALAR: ok = ok && la >= n && lb >= 1; break;
    case MODE_A_SCALAR: ok = ok && lb >= n && la >= 1; break;
    case MODE_B_ROW: ok = ok && block > 0 && n % block == 0 && la >= n && lb >= block; break;
    case MODE_A_ROW: ok = ok && block > 0 && n % block == 0 && lb >= n && la >= block; break;
    default: ok = 0;
  }
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas.binary: bad op, mode or sizes");
    return NULL;
  }
  switch (op) {
    case OP_ADD: BINARY_LOOPS(OP_ADD) break;
    case OP_SUB: BINARY_LOOPS(OP_SUB) break;
    case OP_MUL: BINARY_LOOPS(OP_MUL) break;
    case OP_DIV: BINARY_LOOPS(OP_DIV) break;
    case OP_MAX: BINARY_LOOPS(OP_MAX) break;
    case OP_MIN: BINARY_LOOPS(OP_MIN) break;
    default: BINARY_LOOPS(OP_SQDIFF) break;
  }
  return NULL;
}

enum { U_RELU, U_RELU6, U_STEP, U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_SIGMOID, U_TANH };

/* unary(op, x, out, alpha) */
static napi_value unary(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t op;
  double alpha;
  float *x, *out;
  size_t lx, n;
  if (argc != 4 || napi_get_value_int32(env, argv[0], &op) != napi_ok || napi_get_value_double(env, argv[3], &alpha) != napi_ok) {
    napi_throw_type_error(env, NULL, "dale_openblas.unary: expected (op, x, out, alpha)");
    return NULL;
  }
  if (!get_f32(env, argv[1], &x, &lx) || !get_f32(env, argv[2], &out, &n)) return NULL;
  if (lx < n || op < U_RELU || op > U_TANH) {
    napi_throw_range_error(env, NULL, "dale_openblas.unary: bad op or sizes");
    return NULL;
  }
  float fa = (float)alpha;
  switch (op) {
    case U_RELU: for (size_t i = 0; i < n; i++) { float v = x[i]; out[i] = v > 0 ? v : (v != v ? v : 0.0f); } break;
    case U_RELU6: for (size_t i = 0; i < n; i++) { float v = x[i]; out[i] = v != v ? v : (v > 6 ? 6.0f : (v > 0 ? v : 0.0f)); } break;
    case U_STEP: for (size_t i = 0; i < n; i++) { float v = x[i]; out[i] = v != v ? v : (v > 0 ? 1.0f : fa); } break;
    case U_NEG: for (size_t i = 0; i < n; i++) out[i] = -x[i]; break;
    case U_ABS: for (size_t i = 0; i < n; i++) out[i] = fabsf(x[i]); break;
    case U_EXP: for (size_t i = 0; i < n; i++) out[i] = (float)exp((double)x[i]); break;
    case U_LOG: for (size_t i = 0; i < n; i++) out[i] = (float)log((double)x[i]); break;
    case U_SQRT: for (size_t i = 0; i < n; i++) out[i] = (float)sqrt((double)x[i]); break;
    case U_SQUARE: for (size_t i = 0; i < n; i++) { double v = x[i]; out[i] = (float)(v * v); } break;
    case U_SIGMOID: for (size_t i = 0; i < n; i++) out[i] = (float)(1.0 / (1.0 + exp(-(double)x[i]))); break;
    default: for (size_t i = 0; i < n; i++) out[i] = (float)tanh((double)x[i]); break;
  }
  return NULL;
}


/* ---- fused ReLU recurrence: H_t = relu(U_t + H_{t-1} Wᵀ), t = 0..T-1 (time-major) ---- */

/* reluRnnForward(u [T*B*n], w [n*n], h0 [B*n], h out [T*B*n], T, B, n) */
static napi_value relu_rnn_forward(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *u, *w, *h0, *h;
  size_t lu, lw, lh0, lh;
  int64_t T, B, n;
  if (argc != 7) {
    napi_throw_type_error(env, NULL, "dale_openblas.reluRnnForward: expected 7 arguments");
    return NULL;
  }
  if (!get_f32(env, argv[0], &u, &lu) || !get_f32(env, argv[1], &w, &lw) || !get_f32(env, argv[2], &h0, &lh0) ||
      !get_f32(env, argv[3], &h, &lh) || !get_i64(env, argv[4], &T) || !get_i64(env, argv[5], &B) || !get_i64(env, argv[6], &n)) return NULL;
  if (T < 1 || B < 1 || n < 1 || (uint64_t)(T * B * n) > lu || (uint64_t)(T * B * n) > lh || (uint64_t)(n * n) > lw || (uint64_t)(B * n) > lh0) {
    napi_throw_range_error(env, NULL, "dale_openblas.reluRnnForward: sizes exceed the arrays");
    return NULL;
  }
  size_t step = (size_t)(B * n);
  for (int64_t t = 0; t < T; t++) {
    float *ht = h + t * step;
    const float *prev = t == 0 ? h0 : h + (t - 1) * step;
    memcpy(ht, u + t * step, sizeof(float) * step);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)n, (int)n, 1.0f, prev, (int)n, w, (int)n, 1.0f, ht, (int)n);
    for (size_t i = 0; i < step; i++) {
      float v = ht[i]; /* one unconditional load per element keeps the loop branch-free (vectorised) */
      ht[i] = v > 0 ? v : (v != v ? v : 0.0f);
    }
  }
  return NULL;
}

/*
 * reluRnnBackward(dh [T*B*n] or empty, dhLast [B*n] or empty, h [T*B*n], w [n*n], h0 [B*n],
 *                 du out [T*B*n], dw out [n*n], dh0 out [B*n], T, B, n)
 * dh is dL/dH for every state, dhLast an extra dL/dH_{T-1} (the last state used on its own);
 * either may be empty (zero).
 * BPTT: g = dH_{T-1}; for t = T-1..0: dA_t = g ⊙ [H_t > 0]; g = dA_t W (+ dH_{t-1} when t > 0).
 * dU = dA, dW = Σ_t dA_tᵀ H_{t-1} (one product over all steps), dh0 = dA_0 W.
 */
static napi_value relu_rnn_backward(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *dh, *dhl, *h, *w, *h0, *du, *dw, *dh0;
  size_t ldh, ldhl, lh, lw, lh0, ldu, ldw, ldh0;
  int64_t T, B, n;
  if (argc != 11) {
    napi_throw_type_error(env, NULL, "dale_openblas.reluRnnBackward: expected 11 arguments");
    return NULL;
  }
  if (!get_f32(env, argv[0], &dh, &ldh) || !get_f32(env, argv[1], &dhl, &ldhl) || !get_f32(env, argv[2], &h, &lh) ||
      !get_f32(env, argv[3], &w, &lw) || !get_f32(env, argv[4], &h0, &lh0) || !get_f32(env, argv[5], &du, &ldu) ||
      !get_f32(env, argv[6], &dw, &ldw) || !get_f32(env, argv[7], &dh0, &ldh0) || !get_i64(env, argv[8], &T) ||
      !get_i64(env, argv[9], &B) || !get_i64(env, argv[10], &n)) return NULL;
  uint64_t total = (uint64_t)(T * B * n);
  int has_seq = ldh > 0, has_last = ldhl > 0;
  if (T < 1 || B < 1 || n < 1 || (has_seq && total > ldh) || (has_last && (uint64_t)(B * n) > ldhl) || total > lh || total > ldu ||
      (uint64_t)(n * n) > lw || (uint64_t)(n * n) > ldw || (uint64_t)(B * n) > lh0 || (uint64_t)(B * n) > ldh0) {
    napi_throw_range_error(env, NULL, "dale_openblas.reluRnnBackward: sizes exceed the arrays");
    return NULL;
  }
  size_t step = (size_t)(B * n);
  float *g = malloc(sizeof(float) * step);
  if (!g) {
    napi_throw_error(env, NULL, "dale_openblas.reluRnnBackward: out of memory");
    return NULL;
  }
  if (has_seq) memcpy(g, dh + (T - 1) * step, sizeof(float) * step);
  else memset(g, 0, sizeof(float) * step);
  if (has_last) for (size_t i = 0; i < step; i++) g[i] += dhl[i];
  for (int64_t t = T - 1; t >= 0; t--) {
    float *dat = du + t * step;
    const float *ht = h + t * step;
    for (size_t i = 0; i < step; i++) {
      /* Both loads unconditional: with g[i] loaded only when H > 0, gcc keeps a branch per
         element (3.6 ns each, measured) instead of a vector blend (0.25 ns). */
      float gi = g[i], hi = ht[i];
      dat[i] = hi > 0 ? gi : 0.0f;
    }
    if (t > 0) {
      if (has_seq) memcpy(g, dh + (t - 1) * step, sizeof(float) * step);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)n, (int)n, 1.0f, dat, (int)n, w, (int)n, has_seq ? 1.0f : 0.0f, g, (int)n);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)n, (int)n, 1.0f, dat, (int)n, w, (int)n, 0.0f, dh0, (int)n);
    }
  }
  free(g);
  /* dW = dA_0ᵀ h0 + Σ_{t≥1} dA_tᵀ H_{t-1}: the second sum is one product of [(T-1)B, n] blocks. */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)B, 1.0f, du, (int)n, h0, (int)n, 0.0f, dw, (int)n);
  if (T > 1) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)n, (int)((T - 1) * B), 1.0f, du + step, (int)n, h, (int)n, 1.0f, dw, (int)n);
  }
  return NULL;
}


/* sgdStep(w, g, out, lr, projection): out = P(w − lr·g), each product and difference rounded to
   float32 as the separate tfjs ops would; projection 0 none, 1 max(0, ·), 2 min(·, 0). */
static napi_value sgd_step(napi_env env, napi_callback_info info) {
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


/* ---- fused DANN dense layer (Cornford et al. 2021, eq. 1), row-major, batch B ----
   zE = x W_EEᵀ, zI = x W_IEᵀ, s = zI W_EIᵀ, a = zI ⊙ e^α, γ = a W_EIᵀ + ε, c = zE − s,
   z = g ⊙ c / γ + β. Each element-wise step rounds to float32 as the separate tfjs ops do. */

#define GET_F32(i, ptr, len) if (!get_f32(env, argv[i], &ptr, &len)) return NULL
#define GET_I64(i, v) if (!get_i64(env, argv[i], &v)) return NULL

/* dannDenseForward(x, wEE, wIE, wEI, alpha, g, beta, z, c, gamma, zI, B, d, ne, ni, eps) */
static napi_value dann_dense_forward(napi_env env, napi_callback_info info) {
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
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)d, 1.0f, x, (int)d, wee, (int)d, 0.0f, z, (int)ne);    /* zE */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ni, (int)d, 1.0f, x, (int)d, wie, (int)d, 0.0f, zi, (int)ni);   /* zI */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, zi, (int)ni, wei, (int)ni, 0.0f, c, (int)ne); /* s */
  for (int64_t j = 0; j < ni; j++) ea[j] = (float)exp((double)alpha[j]);
  for (int64_t b = 0; b < B; b++) for (int64_t j = 0; j < ni; j++) a[b * ni + j] = zi[b * ni + j] * ea[j];
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)ne, (int)ni, 1.0f, a, (int)ni, wei, (int)ni, 0.0f, gamma, (int)ne);
  for (int64_t b = 0; b < B; b++) {
    float *zr = z + b * ne, *cr = c + b * ne, *gr = gamma + b * ne;
    for (int64_t k = 0; k < ne; k++) {
      gr[k] = gr[k] + eps;
      float ck = zr[k] - cr[k];
      cr[k] = ck;
      float num = g[k] * ck;
      float q = num / gr[k];
      zr[k] = q + beta[k];
    }
  }
  free(a);
  free(ea);
  return NULL;
}

/* dannDenseBackward(dz, x, wEI, alpha, g, c, gamma, zI, dwEE, dwIE, dwEI, dalpha, dg, dbeta, q, dzI, B, d, ne, ni)
   q = dL/dc = (dz / γ) ⊙ g, dγ = −(dz ⊙ g ⊙ c) / γ², da = dγ W_EI, dzI = −q W_EI + da ⊙ e^α,
   dW_EE = qᵀ x, dW_IE = dzIᵀ x, dW_EI = dγᵀ a − qᵀ zI, dα = Σ_b da ⊙ zI ⊙ e^α,
   dg = Σ_b (dz / γ) ⊙ c, dβ = Σ_b dz. dL/dx = q W_EE + dzI W_IE is left to the caller (only
   when x needs a gradient). */
static napi_value dann_dense_backward(napi_env env, napi_callback_info info) {
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
  if (!dgam || !a || !da || !ea || !acc) {
    free(dgam); free(a); free(da); free(ea); free(acc);
    napi_throw_error(env, NULL, "dale_openblas.dannDenseBackward: out of memory");
    return NULL;
  }
  double *accg = acc, *accb = acc + ne, *acca = acc + 2 * ne;
  for (int64_t j = 0; j < ni; j++) ea[j] = (float)exp((double)alpha[j]);
  for (int64_t b = 0; b < B; b++) {
    const float *dzr = dz + b * ne, *cr = c + b * ne, *gr = gamma + b * ne;
    float *qr = q + b * ne, *dgr = dgam + b * ne;
    for (int64_t k = 0; k < ne; k++) {
      float u = dzr[k] / gr[k];           /* dL/d(g ⊙ c) */
      qr[k] = u * g[k];                   /* dL/dc */
      accg[k] += (double)(u * cr[k]);
      accb[k] += (double)dzr[k];
      float num = g[k] * cr[k];
      float gg = gr[k] * gr[k];
      dgr[k] = -(dzr[k] * num) / gg;      /* dL/dγ */
    }
    for (int64_t j = 0; j < ni; j++) a[b * ni + j] = zi[b * ni + j] * ea[j];
  }
  /* da = dγ W_EI; dzI = −q W_EI (then + da ⊙ e^α) */
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, 1.0f, dgam, (int)ne, wei, (int)ni, 0.0f, da, (int)ni);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)ni, (int)ne, -1.0f, q, (int)ne, wei, (int)ni, 0.0f, dzi, (int)ni);
  for (int64_t b = 0; b < B; b++) {
    for (int64_t j = 0; j < ni; j++) {
      float daj = da[b * ni + j];
      acca[j] += (double)(daj * zi[b * ni + j]);
      dzi[b * ni + j] += daj * ea[j];
    }
  }
  /* dW_EI = dγᵀ a − qᵀ zI; dW_EE = qᵀ x; dW_IE = dzIᵀ x */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, 1.0f, dgam, (int)ne, a, (int)ni, 0.0f, dwei, (int)ni);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)ni, (int)B, -1.0f, q, (int)ne, zi, (int)ni, 1.0f, dwei, (int)ni);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ne, (int)d, (int)B, 1.0f, q, (int)ne, x, (int)d, 0.0f, dwee, (int)d);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)ni, (int)d, (int)B, 1.0f, dzi, (int)ni, x, (int)d, 0.0f, dwie, (int)d);
  for (int64_t k = 0; k < ne; k++) { dg[k] = (float)accg[k]; dbeta[k] = (float)accb[k]; }
  for (int64_t j = 0; j < ni; j++) dalpha[j] = (float)(acca[j] * (double)ea[j]);
  free(dgam); free(a); free(da); free(ea); free(acc);
  return NULL;
}


/* swapLeadingAxes(x [p*q*c], out [q*p*c], p, q, c): out[j][i][:] = x[i][j][:] */
static napi_value swap_leading_axes(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *out;
  size_t lx, lo;
  int64_t p, q, c;
  if (argc != 5) {
    napi_throw_type_error(env, NULL, "dale_openblas.swapLeadingAxes: expected 5 arguments");
    return NULL;
  }
  if (!get_f32(env, argv[0], &x, &lx) || !get_f32(env, argv[1], &out, &lo) || !get_i64(env, argv[2], &p) || !get_i64(env, argv[3], &q) ||
      !get_i64(env, argv[4], &c)) return NULL;
  if (p < 0 || q < 0 || c < 0 || (uint64_t)(p * q * c) > lx || (uint64_t)(p * q * c) > lo) {
    napi_throw_range_error(env, NULL, "dale_openblas.swapLeadingAxes: sizes exceed the arrays");
    return NULL;
  }
  for (int64_t i = 0; i < p; i++)
    for (int64_t j = 0; j < q; j++) memcpy(out + (j * p + i) * c, x + (i * q + j) * c, sizeof(float) * (size_t)c);
  return NULL;
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
      {"sgemmBatched", NULL, sgemm_batched, NULL, NULL, NULL, napi_default, NULL},
      {"eigenvalues", NULL, eigenvalues, NULL, NULL, NULL, napi_default, NULL},
      {"singularValues", NULL, singular_values, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnForward", NULL, relu_rnn_forward, NULL, NULL, NULL, napi_default, NULL},
      {"reluRnnBackward", NULL, relu_rnn_backward, NULL, NULL, NULL, napi_default, NULL},
      {"sgdStep", NULL, sgd_step, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseForward", NULL, dann_dense_forward, NULL, NULL, NULL, napi_default, NULL},
      {"dannDenseBackward", NULL, dann_dense_backward, NULL, NULL, NULL, napi_default, NULL},
      {"swapLeadingAxes", NULL, swap_leading_axes, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
