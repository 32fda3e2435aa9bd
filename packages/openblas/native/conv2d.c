/* Regular 2-D convolution of NHWC tensors (kernel [kh, kw, cin, cout]) and its two gradients: the
   Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter kernels of the OpenBLAS backend.

     forward          y[b, oy, ox, o]   = Σ_{ky, kx, i} x[b, oy·sh − pt + ky, ox·sw − pl + kx, i] · w[ky, kx, i, o]
     backprop input   dx[b, iy, ix, i]  = Σ over the (b, oy, ox, ky, kx) that read x[b, iy, ix, ·] of dy[b, oy, ox, o] · w[ky, kx, i, o]
     backprop filter  dw[ky, kx, i, o]  = Σ_{b, oy, ox} x[b, oy·sh − pt + ky, ox·sw − pl + kx, i] · dy[b, oy, ox, o]

   (positions outside x count as zeros). As matrices: with M = n·oh·ow output pixels, K = kh·kw·cin
   and X̂ [M, K] the im2col matrix (row (b, oy, ox) holds the window it reads, tap-major, zeros for
   the padding), y = X̂ W, dX̂ = dy Wᵀ (summed back into dx, col2im) and dW = X̂ᵀ dy, W being the
   kernel read as [K, cout]. A 1 × 1 kernel with stride 1 and no padding (the pointwise half of a
   separable conv) has X̂ = x itself: one sgemm on the NHWC buffer. Otherwise X̂ is built a block of
   rows at a time (about 1 MB), so it stays in cache. */
#include "dale_openblas.h"

/* im2col block size: rows of X̂ per block (at least one). */
static int64_t block_rows(int64_t k) {
  const int64_t target = (INT64_C(1) << 18) / k; /* 256 Ki floats = 1 MiB */
  return target < 1 ? 1 : target;
}

static int is_pointwise(const conv_geometry *g) {
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->pt == 0 && g->pl == 0 && g->oh == g->h && g->ow == g->w;
}

/* Rows [r0, r0 + rows) of X̂ into col [rows, K]. */
__attribute__((noinline)) static void im2col(const float *restrict x, float *restrict col, int64_t r0, int64_t rows, const conv_geometry *g) {
  const int64_t cin = g->cin, K = g->kh * g->kw * cin;
  for (int64_t r = 0; r < rows; r++) {
    const int64_t p = r0 + r, ox = p % g->ow, oy = (p / g->ow) % g->oh, b = p / (g->ow * g->oh);
    float *out = col + r * K;
    for (int64_t ky = 0; ky < g->kh; ky++) {
      const int64_t iy = oy * g->sh - g->pt + ky;
      for (int64_t kx = 0; kx < g->kw; kx++, out += cin) {
        const int64_t ix = ox * g->sw - g->pl + kx;
        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) memset(out, 0, sizeof(float) * (size_t)cin);
        else memcpy(out, x + ((b * g->h + iy) * g->w + ix) * cin, sizeof(float) * (size_t)cin);
      }
    }
  }
}

/* dx += the rows [r0, r0 + rows) of dX̂ (col [rows, K]) put back where im2col read them. */
DALE_VECTOR_CLONES __attribute__((noinline)) static void col2im(const float *restrict col, float *restrict dx, int64_t r0, int64_t rows, const conv_geometry *g) {
  const int64_t cin = g->cin, K = g->kh * g->kw * cin;
  for (int64_t r = 0; r < rows; r++) {
    const int64_t p = r0 + r, ox = p % g->ow, oy = (p / g->ow) % g->oh, b = p / (g->ow * g->oh);
    const float *in = col + r * K;
    for (int64_t ky = 0; ky < g->kh; ky++) {
      const int64_t iy = oy * g->sh - g->pt + ky;
      for (int64_t kx = 0; kx < g->kw; kx++, in += cin) {
        const int64_t ix = ox * g->sw - g->pl + kx;
        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) continue;
        float *d = dx + ((b * g->h + iy) * g->w + ix) * cin;
        for (int64_t i = 0; i < cin; i++) d[i] += in[i];
      }
    }
  }
}

/* Reads (a, b, out, geometry) and checks that the arrays hold the geometry's sizes; which: 0
   forward (x, w, y), 1 backprop input (dy, w, dx), 2 backprop filter (x, dy, dw). */
static int read_args(napi_env env, napi_callback_info info, const char *usage, float **a, float **b, float **out, conv_geometry *g, int which) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  size_t la, lb, lo;
  if (!get_f32(env, argv[0], a, &la) || !get_f32(env, argv[1], b, &lb) || !get_f32(env, argv[2], out, &lo) || !get_conv_geometry(env, argv[3], g)) return 0;
  const uint64_t nx = (uint64_t)(g->n * g->h * g->w * g->cin), ny = (uint64_t)(g->n * g->oh * g->ow * g->cout), nw = (uint64_t)(g->kh * g->kw * g->cin * g->cout);
  const uint64_t need[3][3] = {{nx, nw, ny}, {ny, nw, nx}, {nx, ny, nw}};
  if (la < need[which][0] || lb < need[which][1] || lo < need[which][2] || g->kh * g->kw * g->cin > INT32_MAX || g->n * g->oh * g->ow > INT32_MAX) {
    napi_throw_range_error(env, NULL, "dale_openblas.conv2d: the arrays must hold the geometry's sizes");
    return 0;
  }
  return 1;
}

static float *scratch(napi_env env, size_t floats, const char *name) {
  float *p = malloc(floats * sizeof(float));
  if (!p) napi_throw_error(env, NULL, name);
  return p;
}

/* conv2dForward(x, w, y, geometry): y [M, cout] = X̂ [M, K] · W [K, cout]. */
napi_value dale_conv2d_forward(napi_env env, napi_callback_info info) {
  float *x, *w, *y;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.conv2dForward: expected (x, w, y, geometry)", &x, &w, &y, &g, 0)) return NULL;
  const int64_t M = g.n * g.oh * g.ow, K = g.kh * g.kw * g.cin, N = g.cout;
  if (is_pointwise(&g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0f, x, (int)K, w, (int)N, 0.0f, y, (int)N);
    return NULL;
  }
  const int64_t R = block_rows(K) < M ? block_rows(K) : M;
  float *col = scratch(env, (size_t)(R * K), "dale_openblas.conv2dForward: out of memory");
  if (!col) return NULL;
  for (int64_t r0 = 0; r0 < M; r0 += R) {
    const int64_t rows = M - r0 < R ? M - r0 : R;
    im2col(x, col, r0, rows, &g);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)N, (int)K, 1.0f, col, (int)K, w, (int)N, 0.0f, y + r0 * N, (int)N);
  }
  free(col);
  return NULL;
}

/* conv2dBackpropInput(dy, w, dx, geometry): dX̂ [M, K] = dy [M, cout] · Wᵀ, then col2im. */
napi_value dale_conv2d_backprop_input(napi_env env, napi_callback_info info) {
  float *dy, *w, *dx;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.conv2dBackpropInput: expected (dy, w, dx, geometry)", &dy, &w, &dx, &g, 1)) return NULL;
  const int64_t M = g.n * g.oh * g.ow, K = g.kh * g.kw * g.cin, N = g.cout;
  if (is_pointwise(&g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)K, (int)N, 1.0f, dy, (int)N, w, (int)N, 0.0f, dx, (int)K);
    return NULL;
  }
  const int64_t R = block_rows(K) < M ? block_rows(K) : M;
  float *col = scratch(env, (size_t)(R * K), "dale_openblas.conv2dBackpropInput: out of memory");
  if (!col) return NULL;
  memset(dx, 0, sizeof(float) * (size_t)(g.n * g.h * g.w * g.cin));
  for (int64_t r0 = 0; r0 < M; r0 += R) {
    const int64_t rows = M - r0 < R ? M - r0 : R;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)K, (int)N, 1.0f, dy + r0 * N, (int)N, w, (int)N, 0.0f, col, (int)K);
    col2im(col, dx, r0, rows, &g);
  }
  free(col);
  return NULL;
}

/* conv2dBackpropFilter(x, dy, dw, geometry): dW [K, cout] = X̂ᵀ · dy, accumulated over the row blocks. */
napi_value dale_conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  float *x, *dy, *dw;
  conv_geometry g;
  if (!read_args(env, info, "dale_openblas.conv2dBackpropFilter: expected (x, dy, dw, geometry)", &x, &dy, &dw, &g, 2)) return NULL;
  const int64_t M = g.n * g.oh * g.ow, K = g.kh * g.kw * g.cin, N = g.cout;
  if (is_pointwise(&g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)N, (int)M, 1.0f, x, (int)K, dy, (int)N, 0.0f, dw, (int)N);
    return NULL;
  }
  const int64_t R = block_rows(K) < M ? block_rows(K) : M;
  float *col = scratch(env, (size_t)(R * K), "dale_openblas.conv2dBackpropFilter: out of memory");
  if (!col) return NULL;
  for (int64_t r0 = 0; r0 < M; r0 += R) {
    const int64_t rows = M - r0 < R ? M - r0 : R;
    im2col(x, col, r0, rows, &g);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)K, (int)N, (int)rows, 1.0f, col, (int)K, dy + r0 * N, (int)N, r0 == 0 ? 0.0f : 1.0f, dw, (int)N);
  }
  free(col);
  return NULL;
}
