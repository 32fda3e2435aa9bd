/* Element-wise float32 loops and the leading-axes swap: fast paths of the tfjs CPU kernels. */
#include "dale_openblas.h"

/* ---- element-wise float32 loops (the tfjs CPU backend's formulas, vectorisable) ---- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAX, OP_MIN, OP_SQDIFF };
enum { MODE_SAME, MODE_B_SCALAR, MODE_A_SCALAR, MODE_B_ROW, MODE_A_ROW, MODE_B_COLUMN, MODE_A_COLUMN };

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
    case MODE_A_ROW: for (size_t r = 0; r < n; r += block) for (size_t j = 0; j < block; j++) out[r + j] = apply_binary(OP, a[j], b[r + j]); break; \
    case MODE_B_COLUMN: for (size_t r = 0, k = 0; r < n; r += block, k++) { float v = b[k]; for (size_t j = 0; j < block; j++) out[r + j] = apply_binary(OP, a[r + j], v); } break; \
    default: for (size_t r = 0, k = 0; r < n; r += block, k++) { float v = a[k]; for (size_t j = 0; j < block; j++) out[r + j] = apply_binary(OP, v, b[r + j]); } break; \
  }

/* The loops, out of line and compiled per vector width (DALE_VECTOR_CLONES): inlined into the
   Node-API function gcc 12 leaves them at 4 floats per instruction, or scalar. `out` may be `a`
   or `b` itself (an in-place update). */
DALE_VECTOR_CLONES __attribute__((noinline)) static void binary_loops(int op, int mode, const float *a, const float *b, float *out, size_t n, size_t block) {
  switch (op) {
    case OP_ADD: BINARY_LOOPS(OP_ADD) break;
    case OP_SUB: BINARY_LOOPS(OP_SUB) break;
    case OP_MUL: BINARY_LOOPS(OP_MUL) break;
    case OP_DIV: BINARY_LOOPS(OP_DIV) break;
    case OP_MAX: BINARY_LOOPS(OP_MAX) break;
    case OP_MIN: BINARY_LOOPS(OP_MIN) break;
    default: BINARY_LOOPS(OP_SQDIFF) break;
  }
}

/* binary(op, mode, a, b, out, block): out = a (op) b with the given broadcast mode; in the row
   modes the small operand repeats every `block` elements, in the column modes each of its
   elements stands for `block` consecutive ones (e.g. x − max(x, -1, keepDims) over rows). */
napi_value dale_binary(napi_env env, napi_callback_info info) {
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
    case MODE_B_COLUMN: ok = ok && block > 0 && n % block == 0 && la >= n && lb >= n / block; break;
    case MODE_A_COLUMN: ok = ok && block > 0 && n % block == 0 && lb >= n && la >= n / block; break;
    default: ok = 0;
  }
  if (!ok) {
    napi_throw_range_error(env, NULL, "dale_openblas.binary: bad op, mode or sizes");
    return NULL;
  }
  binary_loops(op, mode, a, b, out, n, block);
  return NULL;
}

enum { U_RELU, U_RELU6, U_STEP, U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_SIGMOID, U_TANH };

/* e^x for x in [−120, 120] (callers clamp), in float64 to about 1 ulp, in a form gcc vectorises
   (no libm call): x = k·ln 2 + r with |r| <= ln 2 / 2 (k rounded by the 1.5·2^52 trick, ln 2 split
   in two so k·ln2_hi is exact), e^r by its Taylor series to r^13 (truncation below 1e-17), times 2^k
   built in the exponent bits. NaN stays NaN. */
static inline double exp_clamped(double x) {
  const double shifter = 0x1.8p52, log2e = 0x1.71547652b82fep0, ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
  const double kd = x * log2e + shifter;
  const double k = kd - shifter;
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  uint64_t kbits, sbits;
  memcpy(&kbits, &kd, sizeof kbits);
  const uint64_t shifted = 0x4338000000000000ULL; /* the bits of 1.5·2^52: kbits − shifted = k */
  sbits = (kbits - shifted + 1023) << 52;
  double scale;
  memcpy(&scale, &sbits, sizeof scale);
  return p * scale;
}

/* σ(x) = 1 / (1 + e^−x) in float64, rounded: e^−x from exp_clamped on −x clamped to [−120, 120],
   which changes no float32 result (beyond it σ rounds to exactly 0 or 1 either way). */
static inline float sigmoid_f64(float x) {
  double t = -(double)x;
  t = t < -120.0 ? -120.0 : t;
  t = t > 120.0 ? 120.0 : t;
  return (float)(1.0 / (1.0 + exp_clamped(t)));
}

DALE_VECTOR_CLONES __attribute__((noinline)) static void unary_loops(int op, const float *x, float *out, size_t n, float fa) {
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
    case U_SIGMOID: for (size_t i = 0; i < n; i++) out[i] = sigmoid_f64(x[i]); break;
    default: for (size_t i = 0; i < n; i++) out[i] = (float)tanh((double)x[i]); break;
  }
}

/* unary(op, x, out, alpha) */
napi_value dale_unary(napi_env env, napi_callback_info info) {
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
  unary_loops(op, x, out, n, (float)alpha);
  return NULL;
}

/* swapLeadingAxes(x [p*q*c], out [q*p*c], p, q, c): out[j][i][:] = x[i][j][:] */
napi_value dale_swap_leading_axes(napi_env env, napi_callback_info info) {
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

/* sumLeadingAxes(x, out, outer, inner): out[j] = Σ_r x[r·inner + j], each column summed in order
   in float64 and rounded once (what the JavaScript loop it replaces computes, to the bit). */
napi_value dale_sum_leading_axes(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *out;
  size_t lx, lo;
  int64_t outer, inner;
  if (argc != 4) {
    napi_throw_type_error(env, NULL, "dale_openblas.sumLeadingAxes: expected (x, out, outer, inner)");
    return NULL;
  }
  if (!get_f32(env, argv[0], &x, &lx) || !get_f32(env, argv[1], &out, &lo) || !get_i64(env, argv[2], &outer) || !get_i64(env, argv[3], &inner)) return NULL;
  if (outer < 0 || inner < 0 || (uint64_t)(outer * inner) > lx || (uint64_t)inner > lo) {
    napi_throw_range_error(env, NULL, "dale_openblas.sumLeadingAxes: sizes exceed the arrays");
    return NULL;
  }
  double *acc = calloc((size_t)inner + 1, sizeof(double));
  if (!acc) {
    napi_throw_error(env, NULL, "dale_openblas.sumLeadingAxes: out of memory");
    return NULL;
  }
  for (int64_t r = 0; r < outer; r++) {
    const float *row = x + r * inner;
    for (int64_t j = 0; j < inner; j++) acc[j] += (double)row[j];
  }
  for (int64_t j = 0; j < inner; j++) out[j] = (float)acc[j];
  free(acc);
  return NULL;
}
